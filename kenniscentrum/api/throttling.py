"""A rate per API client (settings.API_RATE, e.g. "60/min"): past it, 429 with Retry-After. Counted per client,
never per address (the platform keeps no IP addresses), with the platform's one rate-limit mechanism
(`lib/throttle`): each call writes a row and then counts the rows of its window. A row is committed before it is
counted, so of calls at the same moment on any worker or server the one past the limit always sees itself past it
(a read-then-write counter, as DRF's cache throttle is, let 80 parallel calls through where 60 were allowed)."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from kenniscentrum.lib.models import ThrottleEvent
from kenniscentrum.lib.throttle import throttle_count, throttle_hit, throttle_key

SCOPE = "api-client"
SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def api_rate() -> tuple[int, int]:
    """settings.API_RATE as (calls, seconds), in DRF's notation: "60/min", "1000/hour"."""
    calls, period = str(settings.API_RATE).split("/")
    return int(calls), SECONDS[period[0]]


class ClientRateThrottle(BaseThrottle):
    def allow_request(self, request: Request, view: Any) -> bool:
        token = request.auth
        if token is None:
            return True  # authentication has refused the call before throttling runs
        calls, seconds = api_rate()
        self.key = str(token.client_id)
        self.seconds = seconds
        # Refused calls count too: a client that keeps calling past its rate stays refused until it pauses.
        throttle_hit(SCOPE, self.key)
        return throttle_count(SCOPE, self.key, seconds) <= calls

    def wait(self) -> float:
        """Seconds until the oldest call of the window leaves it."""
        since = timezone.now() - timedelta(seconds=self.seconds)
        oldest = (
            ThrottleEvent.objects.filter(scope=SCOPE, key=throttle_key(SCOPE, self.key), created_at__gte=since)
            .order_by("created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        if oldest is None:
            return 1.0
        return max(1.0, (oldest + timedelta(seconds=self.seconds) - timezone.now()).total_seconds())
