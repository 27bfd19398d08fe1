"""Parts of a page that an app above the page's own app adds, without the page importing it.

The report page (reports) and the case and person pages (cases) show what linking finds ("seen before"); linking
sits above them. A page asks `panels(page, request, obj)` for the HTML of every panel registered for it, in order of
registration; an app registers its panels when it loads (AppConfig.ready).
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString

Panel = Callable[[HttpRequest, Any], str]
PANELS: dict[str, list[Panel]] = {}


def panel_register(page: str, panel: Panel) -> None:
    registered = PANELS.setdefault(page, [])
    if panel not in registered:
        registered.append(panel)


def panels(page: str, request: HttpRequest, obj: Any) -> list[SafeString]:
    """The HTML of each panel for `obj` on `page`; a panel with nothing to show gives an empty string."""
    return [SafeString(html) for panel in PANELS.get(page, []) if (html := panel(request, obj))]
