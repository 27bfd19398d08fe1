"""The public signals check: who you are, what you recognise, what it may mean and what to do.

Works without JavaScript. Every step is a POST, so no answer ends up in an address or the browser's
history. No answer is stored: the result is computed from the request and forgotten; only a monthly
count per audience and form is kept (CheckTally).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from kenniscentrum.lib.decorators import public
from kenniscentrum.lib.language import switching_language, typed_values
from kenniscentrum.lib.vocabulary import YesNoUnknown

from .check import check_channels, check_score, check_steps, check_tally
from .forms import SECTORS, AudienceForm, CheckForm
from .models import Audience


@public
def check_start(request: HttpRequest) -> HttpResponse:
    initial = typed_values(AudienceForm, request.POST) if switching_language(request) else None
    return render(request, "indicators/check_start.html", {"form": AudienceForm(initial=initial), "switch_form": True})


def _step_page(
    request: HttpRequest, form: CheckForm, audience: str, sector: str, index: int, status: int = 200
) -> HttpResponse:
    """Step `index` of the check (0-based); one past the last step of signals is the page with the closing questions."""
    steps = check_steps(audience, sector)
    index = max(0, min(index, len(steps)))
    step = steps[index] if index < len(steps) else None
    on_page = {signal.code for signal in step.signals} if step else set()
    valid = {code for code, _label in form.fields["signals"].choices}  # type: ignore[attr-defined]
    chosen = [code for code in request.POST.getlist("signals") if code in valid]
    if audience == Audience.VICTIM:
        # Asked of yourself from the first signal to the last question.
        form.fields["minor"].label = _("Are you younger than 18?")
    context = {
        "form": form,
        "audience": audience,
        "sector": sector,
        "step": step,
        "index": index,
        "number": index + 1,
        "total": len(steps) + 1,
        "chosen": set(chosen),
        "carried": [code for code in dict.fromkeys(chosen) if code not in on_page],
        "switch_form": True,
    }
    return render(request, "indicators/check_questions.html", context, status=status)


def _valid_sector(sector: str) -> str:
    return sector if sector in dict(SECTORS) else ""


def _posted_step(request: HttpRequest) -> int:
    value = request.POST.get("step", "")
    return int(value) if value.isdigit() and len(value) <= 2 else 0


@public
def check_questions_view(request: HttpRequest) -> HttpResponse:
    """The signals, in short steps. Every step posts what was ticked so far; nothing is kept between requests."""
    if request.method != "POST":
        # A GET here comes from a reload or a link: start again, in that language.
        return redirect("indicators:check")
    if "step" in request.POST or switching_language(request):
        audience = request.POST.get("audience", "")
        if audience not in Audience.values or audience == "perpetrator":
            return render(
                request, "indicators/check_start.html", {"form": AudienceForm(), "switch_form": True}, status=400
            )
        sector = _valid_sector(request.POST.get("sector", ""))
        form = CheckForm(request.POST)
        index = _posted_step(request)
        if switching_language(request):
            # The same step again, in the other language, with what was ticked and answered.
            return _step_page(
                request, CheckForm(initial=typed_values(CheckForm, request.POST)), audience, sector, index
            )
        if not form.is_valid():
            return _step_page(request, form, audience, sector, index, status=400)
        if request.POST.get("go") == "back":
            if index == 0:
                start = AudienceForm(initial={"audience": audience, "sector": sector})
                return render(request, "indicators/check_start.html", {"form": start, "switch_form": True})
            index -= 1
        else:
            index += 1
        return _step_page(request, CheckForm(initial=form.cleaned_data), audience, sector, index)
    chosen = AudienceForm(request.POST)
    if not chosen.is_valid():
        return render(request, "indicators/check_start.html", {"form": chosen, "switch_form": True}, status=400)
    audience = chosen.cleaned_data["audience"]
    if audience == "perpetrator":
        channels = check_channels(audience=audience, forms=[], minor=False, acute=False)
        return render(request, "indicators/check_perpetrator.html", {"channels": channels})
    return _step_page(request, CheckForm(initial=chosen.cleaned_data), audience, chosen.cleaned_data["sector"], 0)


@public
def check_result(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("indicators:check")
    form = CheckForm(request.POST)
    if not form.is_valid():
        audience = request.POST.get("audience", "concerned")
        if audience not in Audience.values:
            return render(request, "indicators/check_start.html", {"form": AudienceForm()}, status=400)
        sector = _valid_sector(request.POST.get("sector", ""))
        return _step_page(request, form, audience, sector, _posted_step(request), status=400)
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
