from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language

from .language import SWITCH_FIELD
from .middleware import staff_side
from .region import channels, region


@lru_cache(maxsize=4096)
def _translated(path: str, current: str, code: str) -> str:
    """`path` in language `code`, as seen from `current`: the same for every visitor, so worked out once."""
    return translate_url(path, code)


def language_links(request: HttpRequest, languages: list[tuple[str, str]]) -> list[dict[str, str]]:
    path, mark, query = request.get_full_path().partition("?")
    current = get_language() or settings.LANGUAGE_CODE
    return [
        {"code": code, "name": name, "url": _translated(path, current, code) + mark + query} for code, name in languages
    ]


def platform(request: HttpRequest) -> dict[str, Any]:
    """What every page needs: the region's centre, the quick exit, and links to the page in each language.

    The language is chosen by the link (a URL prefix), not a cookie, so nothing is stored about a visitor.
    Staff pages offer only the staff languages.
    """
    user = getattr(request, "user", None)
    staff_page = staff_side(request.path_info)
    languages = [(c, n) for c, n in settings.LANGUAGES if not staff_page or c in settings.STAFF_LANGUAGES]
    staff = user if user is not None and user.is_authenticated else None
    desk = bool(staff and staff.handles_reports_and_cases)
    return {
        "perms_functional_admin": bool(staff and staff.has_role("functional_admin")),
        "perms_reports": desk,
        # The monitor: the centre's analysts and its desk (insights/views.may_see_monitor).
        "perms_monitor": bool(staff and staff.sees_monitor),
        "perms_data_requests": bool(staff and staff.answers_data_requests),
        "perms_cases": desk or bool(staff and staff.has_role("case_coordinator", "partner")),
        # Staff pages have no quick exit: three times Escape must not throw away what a worker is typing.
        "staff_page": staff_page,
        # How long a staff session lasts without a request, for the warning before it ends (js/session.js).
        "session_seconds": settings.SESSION_COOKIE_AGE,
        # A page with a form the language switch should carry sets `switch_form` (lib/language.py).
        "switch_form": False,
        "switch_field": SWITCH_FIELD,
        "centre": region()["centre"],
        "region_name": region()["name"],
        # The region's NL Design System tokens and logo (static files named in the region file).
        "region_theme": region().get("theme", {}),
        "quick_exit_url": settings.QUICK_EXIT_URL,
        "centre_channels": channels(),
        "language_links": language_links(request, languages),
    }
