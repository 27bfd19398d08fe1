"""Rate limits counted in the database, so every worker process sees the same counts."""

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import ThrottleEvent


def throttle_key(scope: str, key: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{scope}:{key}".encode(), hashlib.sha256).hexdigest()


# Counts older than this are of no use to any limit and are removed as new ones arrive.
KEEP = timedelta(days=1)


def throttle_hit(scope: str, key: str) -> None:
    ThrottleEvent.objects.filter(scope=scope, created_at__lt=timezone.now() - KEEP).delete()
    ThrottleEvent.objects.create(scope=scope, key=throttle_key(scope, key))


def throttle_count(scope: str, key: str, window_seconds: int) -> int:
    since = timezone.now() - timedelta(seconds=window_seconds)
    return ThrottleEvent.objects.filter(scope=scope, key=throttle_key(scope, key), created_at__gte=since).count()


def throttle_clear(scope: str, key: str) -> None:
    ThrottleEvent.objects.filter(scope=scope, key=throttle_key(scope, key)).delete()
