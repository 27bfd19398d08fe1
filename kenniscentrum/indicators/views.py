"""The public signals check: who you are, what you recognise, what it may mean and what to do.

Works without JavaScript. Every step is a POST, so no answer ends up in an address or the browser's
history. No answer is stored: the result is computed from the request and forgotten; only a monthly
count per audience and form is kept (CheckTally).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from kenniscentrum.lib.decorators import public
from kenniscentrum.lib.language import switching_language, typed_values
from kenniscentrum.reports.models import YesNoUnknown

from .check import check_channels, check_questions, check_score, check_tally
from .forms import SECTORS, AudienceForm, CheckForm
from .models import Audience


@public
def check_start(request: HttpRequest) -> HttpResponse:
    initial = typed_values(AudienceForm, request.POST) if switching_language(request) else None
    return render(request, "indicators/check_start.html", {"form": AudienceForm(initial=initial), "switch_form": True})


def _questions(request: HttpRequest, form: CheckForm, audience: str, sector: str, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "groups": check_questions(audience, sector),
        "chosen": set(request.POST.getlist("signals")),
        "switch_form": True,
    }
    return render(request, "indicators/check_questions.html", context, status=status)


@public
def check_questions_view(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        # A GET here comes from the language switch or a reload: start again, in that language.
        return redirect("indicators:check")
    if switching_language(request):
        # The language was switched on the questions page (the start page's switch posts to the start page):
        # show the questions again with what was ticked.
        audience = request.POST.get("audience", "")
        sector = request.POST.get("sector", "")
        if audience in Audience.values and audience != "perpetrator":
            checked = CheckForm(initial=typed_values(CheckForm, request.POST))
            return _questions(request, checked, audience, sector if sector in dict(SECTORS) else "")
    form = AudienceForm(request.POST)
    if not form.is_valid():
        return render(request, "indicators/check_start.html", {"form": form, "switch_form": True}, status=400)
    audience = form.cleaned_data["audience"]
    if audience == "perpetrator":
        channels = check_channels(audience=audience, forms=[], minor=False, acute=False)
        return render(request, "indicators/check_perpetrator.html", {"channels": channels})
    return _questions(request, CheckForm(initial=form.cleaned_data), audience, form.cleaned_data["sector"])


@public
def check_result(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("indicators:check")
    form = CheckForm(request.POST)
    if not form.is_valid():
        audience = request.POST.get("audience", "concerned")
        if audience not in Audience.values:
            return render(request, "indicators/check_start.html", {"form": AudienceForm()}, status=400)
        sector = request.POST.get("sector", "")
        return _questions(request, form, audience, sector if sector in dict(SECTORS) else "", status=400)
    data = form.cleaned_data
    result = check_score(
        codes=data["signals"],
        audience=data["audience"],
        minor=data["minor"] == YesNoUnknown.YES,
        acute=data["acute"] == YesNoUnknown.YES,
    )
    check_tally(audience=data["audience"], forms=result.form_codes)
    context = {"result": result, "audience": data["audience"], "acute_answer": data["acute"]}
    return render(request, "indicators/check_result.html", context)
