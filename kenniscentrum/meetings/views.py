"""Meetings: the centre plans them and records decisions; others read the items on cases they may see."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kenniscentrum.accounts.models import User
from kenniscentrum.audit.models import Action
from kenniscentrum.audit.services import audit_record
from kenniscentrum.cases.access import case_worker_required
from kenniscentrum.lib.http import not_found

from .forms import DecisionForm, ItemForm, MeetingForm, MinutesForm
from .models import Meeting
from .services import decision_add, item_add, meeting_create, minutes_set


@case_worker_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    meetings = Meeting.objects.visible_to(user).prefetch_related("organisations")[:100]
    return render(request, "meetings/meeting_list.html", {"meetings": meetings})


@case_worker_required
def meeting_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if not user.handles_reports_and_cases:
        not_found(request)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = meeting_create(actor=user, **form.cleaned_data)
        messages.success(request, _("Meeting created: %(meeting)s.") % {"meeting": meeting})
        return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form}, status=400 if form.is_bound else 200)


@case_worker_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    meeting = Meeting.objects.visible_to(user).filter(pk=pk).prefetch_related("organisations").first()
    if meeting is None:
        not_found(request)
    items = list(meeting.items.visible_to(user).select_related("case").prefetch_related("decisions__tasks"))
    failed, failed_form = "", None
    if request.method == "POST":
        if not user.handles_reports_and_cases:
            not_found(request)
        outcome, failed_form = _meeting_action(request, meeting, items, user)
        if failed_form is None:
            messages.success(request, outcome)
            return redirect("meetings:detail", pk=meeting.pk)
        failed = outcome
    audit_record(action=Action.MEETING_VIEWED, actor=user, obj=meeting)
    forms: dict[int, dict[str, Any]] = {
        item.pk: {
            "minutes": MinutesForm(initial={"minutes": item.minutes}, prefix=f"minutes-{item.pk}"),
            "decision": DecisionForm(prefix=f"decision-{item.pk}", case=item.case, meeting=meeting),
            "failed": "",
        }
        for item in items
    }
    item_form = ItemForm(prefix="item")
    if failed == "item":
        item_form = failed_form  # type: ignore[assignment]
    elif failed:
        kind, item_pk = failed.split("-")
        forms[int(item_pk)][kind] = failed_form
        forms[int(item_pk)]["failed"] = kind
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "items": [(item, forms[item.pk]) for item in items],
            "item_form": item_form,
            "manages": user.handles_reports_and_cases,
            "failed": failed,
        },
        status=400 if failed else 200,
    )


def _meeting_action(request: HttpRequest, meeting: Meeting, items: list, user: User) -> tuple[str, object]:
    """Runs one form of the meeting page. Returns (what was done, None) when it went through, or (the failed
    form's name, the form) when it did not."""
    what = request.POST.get("what", "")
    if what == "item":
        form = ItemForm(request.POST, prefix="item")
        if form.is_valid():
            item_add(meeting=meeting, case=form.cleaned_data["reference"], actor=user)
            return _("Case added to the agenda."), None
        return "item", form
    kind, _sep, item_pk = what.partition("-")
    item = next((i for i in items if str(i.pk) == item_pk), None)
    if item is None or kind not in ("minutes", "decision"):
        not_found(request)
    if kind == "minutes":
        minutes = MinutesForm(request.POST, prefix=what)
        if minutes.is_valid():
            minutes_set(item=item, actor=user, minutes=minutes.cleaned_data["minutes"])
            return _("Minutes of %(case)s saved.") % {"case": item.case}, None
        return what, minutes
    decision = DecisionForm(request.POST, prefix=what, case=item.case, meeting=meeting)
    if decision.is_valid():
        data = decision.cleaned_data
        try:
            decision_add(
                item=item,
                actor=user,
                text=data["text"],
                task_title=data.get("title") or "",
                owner_user=data.get("owner_user"),
                owner_organisation=data.get("owner_organisation"),
                due_date=data.get("due_date"),
                support=data.get("support") or "",
            )
        except ValidationError as exc:
            decision.add_error(None, " ".join(exc.messages))
            return what, decision
        return _("Decision on %(case)s recorded.") % {"case": item.case}, None
    return what, decision
