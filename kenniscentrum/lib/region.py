"""The region this installation serves, read from the region file named in settings.

The file is data: another region replaces it without touching code.
"""

import json
from functools import lru_cache
from typing import Any

from django.conf import settings


@lru_cache(maxsize=1)
def region() -> dict[str, Any]:
    with open(settings.REGION_FILE, encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data
