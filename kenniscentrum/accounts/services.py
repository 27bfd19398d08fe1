"""Login rules: a password, then a second factor; what repeated failures do; the first enrolment.

Failures are counted per username (a keyed hash, never an IP address), in two scopes:

- wrong passwords: past the limit the username is "under attack". A stranger who only knows the
  username can cause that at will, so it must not lock the owner out. Instead the password step stops
  telling whether the password was right: every attempt goes on to the code step, and only the right
  password together with a valid code gets through. Guessing the password alone tells nothing.
- wrong codes after a right password: past the limit the username is locked, even for a valid code.
  Only someone who knows the password can cause this, and then a lock is what the owner needs.

The first enrolment of an authenticator needs a one-time enrolment code that a functional
administrator hands over outside the platform: a password alone never gives a full session.
"""

import hashlib
import hmac
import secrets
from base64 import b32encode
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from kenniscentrum.audit.models import Action
from kenniscentrum.audit.services import audit_record
from kenniscentrum.lib.throttle import throttle_clear, throttle_count, throttle_hit

from .models import Authenticator, EnrolmentCode, User, UserRole

PASSWORD_SCOPE = "login"  # noqa: S105 (a counter's name, not a password)
CODE_SCOPE = "login_code"


def _failures(scope: str, username: str) -> int:
    return throttle_count(scope, username.lower(), settings.LOGIN_FAILURE_WINDOW_SECONDS)


def login_under_attack(username: str) -> bool:
    """Wrong passwords for this username passed the limit: the password step no longer answers."""
    return _failures(PASSWORD_SCOPE, username) >= settings.LOGIN_FAILURE_LIMIT


def login_codes_locked(username: str) -> bool:
    """Wrong second factors after a right password passed the limit: the username is locked for a while."""
    return _failures(CODE_SCOPE, username) >= settings.LOGIN_FAILURE_LIMIT


def _typed_username(username: str) -> dict[str, Any]:
    """The typed name for the audit log, only when it is an account: a password typed into the
    username field must not be kept."""
    name = username[:150]
    return {"username": name} if User.objects.filter(username=name).exists() else {}


@dataclass(frozen=True)
class PasswordOutcome:
    user: User | None  # the user when the password was right
    reveal: bool  # whether the login page may say so (False while the username is under attack)


def login_check_password(*, request: HttpRequest, username: str, password: str) -> PasswordOutcome:
    """Checks the password; audits and counts a wrong one."""
    reveal = not login_under_attack(username)
    user = authenticate(request, username=username, password=password)
    if user is None:
        throttle_hit(PASSWORD_SCOPE, username.lower())
        audit_record(action=Action.LOGIN_FAILED, factor="password", **_typed_username(username))
        return PasswordOutcome(None, reveal)
    assert isinstance(user, User)
    return PasswordOutcome(user, reveal)


def login_check_token(*, user: User, device: Authenticator, token: str) -> bool:
    """Checks the second factor of a user whose password was right; wrong codes count toward the code lock."""
    if login_codes_locked(user.username):
        audit_record(action=Action.LOGIN_LOCKED, obj=user, username=user.username)
        return False
    if device.verify_token(token):
        throttle_clear(PASSWORD_SCOPE, user.username.lower())
        throttle_clear(CODE_SCOPE, user.username.lower())
        return True
    throttle_hit(CODE_SCOPE, user.username.lower())
    audit_record(action=Action.OTP_FAILED, obj=user, username=user.username)
    return False


def totp_device_for_enrolment(user: User) -> Authenticator:
    """The user's unconfirmed TOTP device, created on first use; its key is shown only during enrolment."""
    device = Authenticator.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = Authenticator.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def totp_secret(device: Authenticator) -> str:
    return b32encode(device.bin_key).decode().rstrip("=")


# Enrolment codes: 16 characters without look-alikes (80 bits), shown once to the administrator.
ENROLMENT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
ENROLMENT_LENGTH = 16


def _enrolment_digest(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"enrolment:{code}".encode(), hashlib.sha256).hexdigest()


def _normalise_enrolment_code(raw: str) -> str:
    return "".join(ch for ch in raw.upper() if ch.isalnum())


class EnrolmentCodeRefused(PermissionError):
    """The administrator may not issue this account's enrolment code (enrolment_code_same_hands)."""


def enrolment_code_same_hands(*, issuer_id: int | None, user: User) -> bool:
    """Whether the enrolment code of `user` would come from the person who also knows its password: the user
    themself, or the administrator who last set the password. Password and code together make a working account,
    so two people must be involved (probe finding 18: no one makes a case director alone). A code issued on the
    server (no issuer) is outside the web and audited."""
    if issuer_id is None:
        return False
    password_set_by = User.objects.filter(pk=user.pk).values_list("password_set_by", flat=True).first()
    return issuer_id in (user.pk, password_set_by)


def enrolment_code_issue(*, user: User, actor: User | None, via: str = "admin") -> tuple[str, EnrolmentCode]:
    """Removes the user's authenticators and issues a one-time enrolment code (earlier codes stop working);
    refused (EnrolmentCodeRefused) when `actor` set the user's password or is the user.

    Returns the code in clear once, for the administrator to hand over by phone or in person; only its
    keyed hash is stored. `actor` None: issued on the server (`manage.py enrolment_code`).
    """
    with transaction.atomic():
        # The row lock orders this after a password being set at the same moment.
        user = User.objects.select_for_update().get(pk=user.pk)
        refused = enrolment_code_same_hands(issuer_id=actor.pk if actor else None, user=user)
        if not refused:
            Authenticator.objects.filter(user=user).delete()
            EnrolmentCode.objects.filter(user=user, used_at=None).delete()
            code = "".join(secrets.choice(ENROLMENT_ALPHABET) for _ in range(ENROLMENT_LENGTH))
            record = EnrolmentCode.objects.create(
                user=user,
                digest=_enrolment_digest(code),
                issued_by=actor,
                expires_at=timezone.now() + timedelta(hours=settings.ENROLMENT_CODE_HOURS),
            )
            audit_record(action=Action.ENROLMENT_CODE_ISSUED, actor=actor, obj=user,
                         expires_at=record.expires_at.isoformat(), via=via)  # fmt: skip
            return "-".join(code[i : i + 4] for i in range(0, ENROLMENT_LENGTH, 4)), record
    # Outside the transaction, so the refusal stays on record.
    audit_record(action=Action.ACCESS_DENIED, actor=actor, obj=user, refused="enrolment_code")
    raise EnrolmentCodeRefused(user.username)


@transaction.atomic
def enrolment_code_use(*, user: User, raw: str) -> bool:
    """Spends the user's valid enrolment code; a wrong one counts toward the code lock."""
    if login_codes_locked(user.username):
        audit_record(action=Action.LOGIN_LOCKED, obj=user, username=user.username)
        return False
    record = (
        EnrolmentCode.objects.select_for_update()
        .filter(
            user=user,
            digest=_enrolment_digest(_normalise_enrolment_code(raw)),
            used_at=None,
            expires_at__gt=timezone.now(),
        )
        .first()
    )
    if record is None:
        throttle_hit(CODE_SCOPE, user.username.lower())
        audit_record(action=Action.OTP_FAILED, obj=user, username=user.username, factor="enrolment_code")
        return False
    if enrolment_code_same_hands(issuer_id=record.issued_by_id, user=user):
        # The issuer set the password after issuing the code: the one who holds both may not enrol.
        audit_record(action=Action.ACCESS_DENIED, obj=user, refused="enrolment_code_same_hands")
        return False
    record.used_at = timezone.now()
    record.save(update_fields=["used_at"])
    audit_record(action=Action.ENROLMENT_CODE_USED, actor=user, obj=user)
    return True


def roles_granted_to_self(*, actor: User, user: User, roles: set[str]) -> set[str]:
    """The roles in `roles` that `actor` would be giving themself: any role `user` lacks, when `user` is `actor`.
    No one grants themself a role (each opens data: a case director reads every case); another functional
    administrator does, so two people know of it."""
    if actor.pk is None or actor.pk != user.pk:
        return set()
    return roles - set(UserRole.objects.filter(user=user).values_list("role", flat=True))
