"""Knowledge pages for the public: what trafficking is, the forms, the signals, help, privacy and contact."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from kenniscentrum.indicators.models import Indicator
from kenniscentrum.lib.decorators import public
from kenniscentrum.lib.region import channels
from kenniscentrum.reports.models import ExploitationForm

from .pages import Page, page_get, page_list
from .privacy import privacy_facts


def signals_by_form() -> list[tuple[str, list[Indicator]]]:
    """Each form of exploitation with the active signals that point to it (one query)."""
    indicators = list(Indicator.objects.filter(active=True, truncated=False).select_related("indicator_list"))
    return [
        (str(form.label), [i for i in indicators if form.value in i.forms])
        for form in ExploitationForm
        if form != ExploitationForm.UNSURE
    ]


def _block(name: str) -> dict[str, Any]:
    if name == "signals":
        return {"signals_by_form": signals_by_form()}
    if name == "channels":
        return {"channels": channels()}
    if name == "privacy":
        return privacy_facts()
    return {}


# A paragraph holding only this mark in a page file places the page's block there; without it the block follows
# the text.
BLOCK_MARK = "<p>[block]</p>"


def page_html(request: HttpRequest, found: Page) -> SafeString:
    """The page's text with its block of data (channels, signals, privacy facts) in place."""
    if not found.block:
        return found.html
    block = render_to_string(f"knowledge/block_{found.block}.html", _block(found.block), request=request)
    if BLOCK_MARK in found.html:
        return mark_safe(found.html.replace(BLOCK_MARK, block))  # noqa: S308 - both parts are safe
    return mark_safe(found.html + block)  # noqa: S308 - both parts are safe


@public
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "knowledge/index.html", {"pages": page_list()})


@public
def page(request: HttpRequest, slug: str) -> HttpResponse:
    found = page_get(slug)
    if found is None:
        raise Http404
    context = {"page": found, "pages": page_list(), "html": page_html(request, found)}
    return render(request, "knowledge/page.html", context)
