from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language

from .region import region


def platform(request: HttpRequest) -> dict[str, Any]:
    """What every page needs: the region's centre, the quick exit, and links to the page in each language.

    The language is chosen by the link (a URL prefix), not a cookie, so nothing is stored about a visitor.
    """
    path = request.get_full_path()
    language = get_language() or settings.LANGUAGE_CODE
    user = getattr(request, "user", None)
    return {
        "perms_functional_admin": bool(user and user.is_authenticated and user.has_role("functional_admin")),
        "centre": region()["centre"],
        "region_name": region()["name"],
        "quick_exit_url": settings.QUICK_EXIT_URL,
        "centre_channels": [
            {"name": c["name"].get(language, c["name"]["nl"]), "phone": c["phone"]}
            for c in region().get("channels", [])
        ],
        "language_links": [
            {"code": code, "name": name, "url": translate_url(path, code)} for code, name in settings.LANGUAGES
        ],
    }
