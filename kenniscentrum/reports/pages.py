"""Page parts the reports and cases views share (cases may use reports; views never import each other)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .forms import SignalsForm


def signals_page(
    request: HttpRequest, form: SignalsForm, current: Any, template: str, context: dict[str, Any]
) -> HttpResponse:
    """The catalogue's signals to tick, for a report or a case; after an error, with what was ticked."""
    from kenniscentrum.indicators.models import IndicatorList

    chosen = set(request.POST.getlist("signals")) if form.is_bound else set(current)
    lists = IndicatorList.objects.prefetch_related("indicators")
    context = {**context, "form": form, "lists": lists, "chosen": chosen}
    return render(request, template, context, status=400 if form.is_bound else 200)
