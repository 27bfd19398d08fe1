"""Referrals: proposed on the case page, answered by the receiving organisation on its own page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kenniscentrum.accounts.models import User
from kenniscentrum.audit.models import Action
from kenniscentrum.audit.services import audit_record
from kenniscentrum.cases.access import case_for_user, case_part, case_worker_required, may
from kenniscentrum.lib.decorators import post_only
from kenniscentrum.lib.http import not_found

from .forms import ReferralForm, StepForm
from .models import Referral
from .services import referral_create, referral_sides, referral_step, steps_for, steps_refused
from .workflow import REFERRAL_FLOW

PAGE_SIZE = 25


@case_worker_required
def referral_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    referrals = Referral.objects.visible_to(user).select_related("case", "organisation", "person")
    page = Paginator(referrals.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "referrals/referral_list.html", {"page": page})


@case_worker_required
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    referral = (
        Referral.objects.visible_to(user)
        .filter(pk=pk)
        .select_related("case", "organisation", "person", "created_by")
        .first()
    )
    if referral is None:
        not_found(request)
    part = case_part(user, referral.case)
    sides = referral_sides(user, referral, part)
    form = StepForm(request.POST or None)
    if request.method == "POST":
        name = request.POST.get("step", "")
        if name not in REFERRAL_FLOW:
            not_found(request)
        if form.is_valid():
            try:
                referral_step(referral=referral, name=name, actor=user, sides=sides, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                form.add_error(None, " ".join(exc.messages))
            else:
                messages.success(
                    request,
                    _("The referral to %(organisation)s is now: %(status)s.")
                    % {"organisation": referral.organisation, "status": referral.get_status_display()},
                )
                # A referral the organisation declined is no longer theirs to read (ReferralQuerySet.addressed_to).
                if not Referral.objects.visible_to(user).filter(pk=referral.pk).exists():
                    return redirect("referrals:list")
                return redirect("referrals:detail", pk=referral.pk)
    audit_record(action=Action.REFERRAL_VIEWED, actor=user, obj=referral)
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "steps": steps_for(referral, sides),
            "refused": steps_refused(referral, sides),
            "form": form,
            "case_visible": part is not None,
            "history": referral.transitions.select_related("actor"),
        },
        status=400 if request.method == "POST" else 200,
    )


@case_worker_required
@post_only
def referral_new(request: HttpRequest, pk: int) -> HttpResponse:
    case, part = case_for_user(request, pk)
    user = request.user
    assert isinstance(user, User)
    if not may(part, "referral"):
        not_found(request)
    form = ReferralForm(request.POST, case=case, prefix="referral")
    if form.is_valid():
        try:
            referral = referral_create(case=case, actor=user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Referral proposed. Send it when it is complete."))
            return redirect("referrals:detail", pk=referral.pk)
    return render(request, "referrals/referral_form.html", {"case": case, "form": form}, status=400)


@case_worker_required
def referral_form(request: HttpRequest, pk: int) -> HttpResponse:
    case, part = case_for_user(request, pk)
    if not may(part, "referral"):
        not_found(request)
    audit_record(action=Action.CASE_VIEWED, actor=request.user, obj=case, part=part)
    return render(
        request, "referrals/referral_form.html", {"case": case, "form": ReferralForm(case=case, prefix="referral")}
    )
