"""Sessions with an absolute lifetime, on top of Django's idle timeout.

An idle timeout alone lets a session that is used now and then live for ever; a stolen or forgotten
session must end some hours after it began, however busy it is kept.
"""

import time

from django.conf import settings
from django.http import HttpRequest

STARTED = "session_started_at"
TOUCHED = "session_touched_at"
# The idle timer restarts at most this often: writing the session on every request cost a database write per page.
TOUCH_SECONDS = 60


def session_started(request: HttpRequest) -> None:
    """Marks the moment a session began to count (a login, a receipt code that opened a report)."""
    request.session[STARTED] = int(time.time())


def session_touch(request: HttpRequest) -> None:
    """Restarts the idle timer of an existing session when it was last restarted a minute or more ago (setting a
    key makes Django save the session with a new expiry). A visitor without a session gets none from this."""
    session = request.session
    if session.session_key is None or session.is_empty():
        return
    now = int(time.time())
    if now - session.get(TOUCHED, 0) >= TOUCH_SECONDS:
        session[TOUCHED] = now


def session_expired(request: HttpRequest) -> bool:
    started = request.session.get(STARTED)
    return started is not None and time.time() - started > settings.SESSION_ABSOLUTE_SECONDS
