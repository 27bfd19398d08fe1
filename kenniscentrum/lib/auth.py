from typing import Any


def two_factor_verified(user: Any) -> bool:
    """True for a logged-in user whose session passed the second factor (django-otp's is_verified)."""
    return bool(user.is_authenticated and getattr(user, "is_verified", lambda: False)())
