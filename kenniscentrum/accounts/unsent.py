"""What a worker typed when their session ended, kept for them across the login.

A form sent after the session ended reaches the login page instead of its view. What was typed is kept
server-side, in the new session, encrypted with the data keys, with the id of the user whose session ended; after
that same user logs in again within a few minutes, the page the form was on shows it filled in again. Nothing goes
into an address, and another user logging in on the same browser gets nothing.
"""

import time
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.http import HttpRequest
from django.urls import Resolver404, resolve

from kenniscentrum.lib.sessions import session_keep, session_kept

UNSENT_KEY = "unsent_form"
ENDED_KEY = "session_ended"
KEEP_SECONDS = 10 * 60
# Enough for any staff form; a larger post is not kept.
MAX_FIELDS, MAX_CHARS = 40, 50_000
NOT_KEPT = {"csrfmiddlewaretoken"}


def ended_session_user(request: HttpRequest) -> int | None:
    """The user of the session this browser had, if it ended (idle or absolute lifetime), else None."""
    ended = getattr(request, "ended_user_id", None)
    if ended is not None:
        return int(ended)
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key or request.session.get(SESSION_KEY) is not None:
        return None
    # The ended session's row stays until `clearsessions` (run by apply_retention) removes it.
    row = Session.objects.filter(session_key=key).first()
    user_id = row.get_decoded().get(SESSION_KEY) if row is not None else None
    return int(user_id) if user_id is not None else None


def page_of(path: str) -> str:
    """The page a form at `path` is on: the path itself, or for an address that only takes a form (POST), the
    nearest address above it that is a page."""
    candidate = path
    while candidate.count("/") > 1:
        try:
            match = resolve(candidate)
        except Resolver404:
            match = None
        if match is not None and not getattr(match.func, "post_only", False):
            return candidate
        candidate = candidate.rstrip("/").rsplit("/", 1)[0] + "/"
    return "/"


def keep_unsent(request: HttpRequest, user_id: int | None) -> str:
    """Marks the session as ended for the login page, keeps a posted form for `user_id`; returns where to go
    back to after logging in."""
    request.session[ENDED_KEY] = True
    page = page_of(request.path)
    if request.method != "POST" or user_id is None:
        return page if request.method == "POST" else request.get_full_path()
    fields = {name: request.POST.getlist(name) for name in request.POST if name not in NOT_KEPT}
    if len(fields) <= MAX_FIELDS and sum(len(v) for values in fields.values() for v in values) <= MAX_CHARS:
        # Encrypted: what was typed is often a name, a phone number or a pasted case text (lib/sessions.py).
        session_keep(
            request.session,
            UNSENT_KEY,
            {"user": user_id, "action": request.path, "page": page, "fields": fields, "at": time.time()},
        )
    return page


def unsent_for(request: HttpRequest) -> dict[str, Any] | None:
    """The form kept for this user and this page, taken out of the session (it is shown once). Asked again in the
    same request (a page part rendered on its own, lib/panels.py), it gives the same answer."""
    if hasattr(request, "unsent_taken"):
        return request.unsent_taken
    request.unsent_taken = _unsent_take(request)  # type: ignore[attr-defined]
    return request.unsent_taken  # type: ignore[attr-defined]


def _unsent_take(request: HttpRequest) -> dict[str, Any] | None:
    unsent = session_kept(request.session, UNSENT_KEY)
    if not unsent or unsent["page"] != request.path or request.method != "GET":
        return None
    del request.session[UNSENT_KEY]
    if unsent["user"] != request.user.pk or time.time() - unsent["at"] > KEEP_SECONDS:
        return None
    return unsent
