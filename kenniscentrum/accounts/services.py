"""Login rules: password, then a second factor; lockout after repeated failures."""

from base64 import b32encode

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from kenniscentrum.audit.models import Action
from kenniscentrum.audit.services import audit_record
from kenniscentrum.lib.throttle import throttle_clear, throttle_count, throttle_hit

from .models import User

LOGIN_SCOPE = "login"


def login_is_locked(username: str) -> bool:
    """A username is locked after LOGIN_FAILURE_LIMIT failed passwords or codes within the window."""
    count = throttle_count(LOGIN_SCOPE, username.lower(), settings.LOGIN_FAILURE_WINDOW_SECONDS)
    return count >= settings.LOGIN_FAILURE_LIMIT


def login_check_password(*, request: HttpRequest, username: str, password: str) -> User | None:
    """Returns the user when the password is right and the username not locked; audits every outcome."""
    if login_is_locked(username):
        audit_record(action=Action.LOGIN_LOCKED, username=username[:150])
        return None
    user = authenticate(request, username=username, password=password)
    if user is None:
        throttle_hit(LOGIN_SCOPE, username.lower())
        audit_record(action=Action.LOGIN_FAILED, username=username[:150], factor="password")
        return None
    assert isinstance(user, User)
    return user


def login_check_token(*, user: User, device: TOTPDevice, token: str) -> bool:
    """Checks the second factor; a wrong code counts toward the same lockout as a wrong password."""
    if login_is_locked(user.username):
        audit_record(action=Action.LOGIN_LOCKED, obj=user, username=user.username)
        return False
    if device.verify_token(token):
        throttle_clear(LOGIN_SCOPE, user.username.lower())
        return True
    throttle_hit(LOGIN_SCOPE, user.username.lower())
    audit_record(action=Action.OTP_FAILED, obj=user, username=user.username)
    return False


def totp_device_for_enrolment(user: User) -> TOTPDevice:
    """The user's unconfirmed TOTP device, created on first use; its key is shown only during enrolment."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def totp_secret(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode().rstrip("=")
