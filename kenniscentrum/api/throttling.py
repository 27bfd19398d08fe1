"""A rate per API client (settings.API_RATE, e.g. "60/min"): past it, 429 with Retry-After. Counted per client,
never per address (the platform keeps no IP addresses), in the cache that settings.CACHES names: the database, so
every worker on every server counts together."""

from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle


class ClientRateThrottle(SimpleRateThrottle):
    def get_rate(self) -> str:
        # Read at each call, not once at import like DRF's DEFAULT_THROTTLE_RATES, so a change of setting applies.
        return str(settings.API_RATE)

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        token = request.auth
        # Without a token nothing is counted here: authentication has refused the call before throttling runs.
        return f"api-rate:{token.client_id}" if token is not None else None
