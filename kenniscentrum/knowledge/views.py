"""Knowledge pages for the public: what trafficking is, the forms, the signals, help, privacy and contact."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from kenniscentrum.indicators.models import Indicator
from kenniscentrum.lib.decorators import public
from kenniscentrum.lib.region import channels, region
from kenniscentrum.reports.models import ExploitationForm

from .pages import page_get, page_list


def signals_by_form() -> list[tuple[str, list[Indicator]]]:
    """Each form of exploitation with the active signals that point to it (one query)."""
    indicators = list(Indicator.objects.filter(active=True, truncated=False).select_related("indicator_list"))
    return [
        (str(form.label), [i for i in indicators if form.value in i.forms])
        for form in ExploitationForm
        if form != ExploitationForm.UNSURE
    ]


def _block(name: str) -> dict[str, Any]:
    if name == "signals_by_form":
        return {"signals_by_form": signals_by_form()}
    if name == "channels":
        return {"channels": channels()}
    if name == "retention":
        return {"retention": region().get("retention", {})}
    return {}


@public
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "knowledge/index.html", {"pages": page_list()})


@public
def page(request: HttpRequest, slug: str) -> HttpResponse:
    found = page_get(slug)
    if found is None:
        raise Http404
    context = {"page": found, "pages": page_list(), **_block(found.block)}
    return render(request, "knowledge/page.html", context)
