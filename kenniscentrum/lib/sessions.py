"""Sessions with an absolute lifetime, on top of Django's idle timeout.

An idle timeout alone lets a session that is used now and then live for ever; a stolen or forgotten
session must end some hours after it began, however busy it is kept.
"""

import json
import time
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest

from .encryption import WrongKey, decrypt, encrypt

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


def session_keep(session: SessionBase, key: str, value: Any) -> None:
    """Keeps what someone typed (a form kept across a login, a reporter's reply, an address with a search in it) in
    the session, encrypted with the data keys (lib/encryption.py). The session table is plain to whoever reads the
    database, its standby or its WAL, and what is typed is often a name or a number we encrypt everywhere else; so
    everything typed that a session keeps goes through here."""
    session[key] = encrypt(json.dumps(value).encode("utf-8")).decode("ascii")


def session_kept(session: SessionBase, key: str) -> Any:
    """What `session_keep` kept under `key`, or None. Kept under a key no longer in DATA_KEYS, it is lost, as if the
    session had ended: a few minutes of typing are not worth a server error."""
    token = session.get(key)
    if not isinstance(token, str):
        return None
    try:
        return json.loads(decrypt(token.encode("ascii")))
    except (WrongKey, ValueError):
        return None


def session_take(session: SessionBase, key: str) -> Any:
    """`session_kept`, taken out of the session: it is used once."""
    value = session_kept(session, key)
    session.pop(key, None)
    return value
