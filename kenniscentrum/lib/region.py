"""The region this installation serves, read from the region file named in settings.

The file is data: another region replaces it without touching code.
"""

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import get_language


@lru_cache(maxsize=1)
def region() -> dict[str, Any]:
    with open(settings.REGION_FILE, encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


def localised(names: dict[str, str]) -> str:
    """The name in the current language, else in English, else in Dutch (the region file's names per language)."""
    language = get_language() or settings.LANGUAGE_CODE
    return names.get(language) or names.get("en") or names["nl"]


def channels(keys: list[str] | None = None) -> list[dict[str, Any]]:
    """The region's channels in the current language: all of them, or those named in `keys`, in that order.

    A channel is shown only with the public source that gives its number (`source_public`): a number a visitor may
    call in danger is never one that no source confirms."""
    by_key = {c["key"]: c for c in region().get("channels", []) if c.get("source_public")}
    wanted = keys if keys is not None else list(by_key)
    return [
        {
            "key": key,
            "name": localised(by_key[key]["name"]),
            "what": localised(by_key[key]["what"]) if by_key[key].get("what") else "",
            "phone": by_key[key].get("phone") or "",
            "url": by_key[key].get("url") or "",
            "source": by_key[key]["source_public"],
        }
        for key in wanted
        if key in by_key
    ]


# The centre's own ways to be reached (the region file's `centre.contact`), in the order the contact page gives them.
CENTRE_CONTACT_FIELDS = ("phone", "email", "address", "hours")


def centre_contact() -> dict[str, Any]:
    """The centre's phone, e-mail, address and hours as far as the region file gives them (with their source), and
    the names of those it does not give, which the contact page says are not yet known."""
    contact = region()["centre"].get("contact", {})
    # Without a source nothing is shown: the page then says the details are not yet known.
    given = contact if contact.get("source") else {}
    known = {field: given[field] for field in CENTRE_CONTACT_FIELDS if given.get(field)}
    if isinstance(known.get("hours"), dict):
        known["hours"] = localised(known["hours"])
    return {
        "known": known,
        "unknown": [field for field in CENTRE_CONTACT_FIELDS if field not in known],
        "source": contact.get("source", ""),
    }


@lru_cache(maxsize=1)
def iso_codes() -> dict[str, frozenset[str]]:
    """ISO 3166-1 alpha-2 country codes and ISO 639-1 language codes, from lib/data/iso_codes.json."""
    path = Path(__file__).resolve().parent / "data" / "iso_codes.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return {"countries": frozenset(data["countries"]["codes"]), "languages": frozenset(data["languages"]["codes"])}
