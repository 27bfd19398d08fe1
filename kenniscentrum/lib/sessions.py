"""Sessions with an absolute lifetime, on top of Django's idle timeout.

An idle timeout alone lets a session that is used now and then live for ever; a stolen or forgotten
session must end some hours after it began, however busy it is kept.
"""

import time

from django.conf import settings
from django.http import HttpRequest

STARTED = "session_started_at"


def session_started(request: HttpRequest) -> None:
    """Marks the moment a session began to count (a login, a receipt code that opened a report)."""
    request.session[STARTED] = int(time.time())


def session_expired(request: HttpRequest) -> bool:
    started = request.session.get(STARTED)
    return started is not None and time.time() - started > settings.SESSION_ABSOLUTE_SECONDS
