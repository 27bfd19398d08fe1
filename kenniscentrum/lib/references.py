"""References as people type them: M-2026-00042, m2026-42 or 2026-42 for a report; C-2026-7 for a case."""

import re

REFERENCE_PATTERN = re.compile(r"^(?:(?P<prefix>[A-Za-z])-?)?(?P<year>\d{4})-0*(?P<number>\d{1,6})$")


def reference_normalise(raw: str, prefix: str) -> str | None:
    """The full reference with `prefix` ("M" or "C"), or None when `raw` is not a reference of that kind."""
    match = REFERENCE_PATTERN.match(raw.strip())
    if match is None or (match["prefix"] and match["prefix"].upper() != prefix):
        return None
    return f"{prefix}-{match['year']}-{int(match['number']):05d}"
