"""The page for a server error. When the database cannot be reached or is full, the visitor is told so (503, with
Retry-After), and that what they sent was not stored: every write is one transaction, so nothing half-stored remains.
The next request opens a new connection, so the platform recovers by itself when the database is back.

Neither page reads the database or the session: they must render while both are away."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

RETRY_AFTER_SECONDS = 60


def database_unavailable(error: BaseException | None) -> bool:
    return isinstance(error, (OperationalError, InterfaceError))


def server_error(request: HttpRequest) -> HttpResponse:
    if database_unavailable(sys.exc_info()[1]):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(render_to_string("500.html"), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form the site did not accept (an old page, or one sent again from the history after the quick exit, which
    deletes the form cookie). Shown in the site's own frame, so the quick exit, Escape and the way home stay in reach
    of someone who may be in danger; Django's own page has none of them. The reason is not shown."""
    return render(request, "403_csrf.html", status=403)
