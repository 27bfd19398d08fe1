"""The centre's side: triage queue, report page with its actions, staff intake, attachments."""

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise, cached_property
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from kenniscentrum.accounts.models import Role, User
from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.audit.services import audit_record
from kenniscentrum.lib.actions import PageAction, action_forms, action_take, registry
from kenniscentrum.lib.decorators import post_only
from kenniscentrum.lib.panels import panels
from kenniscentrum.lib.vocabulary import ReportKind, ReportStatus

from . import receipts
from .access import report_for_user, report_handler_required, sees_reporter_of
from .forms import (
    CloseForm,
    FeedbackForm,
    ForwardForm,
    IntakeForm,
    QuestionForm,
    ReasonForm,
    SignalsForm,
    StandardReplyForm,
    details_valid,
)
from .forms_staff import (
    ConsultationForm,
    QueueFilterForm,
    StaffDetailFormSet,
    StaffPersonFormSet,
    TriageForm,
    staff_details_bound,
)
from .history import report_history
from .models import Attachment, Consultation, Report, StandardReply
from .pages import signals_page
from .search import reports_find
from .services import (
    consultation_record,
    report_ask_reporter,
    report_change_status,
    report_close,
    report_record_feedback,
    report_set_signals,
    report_triage,
)
from .workflow import OPEN_STATES, REPORT_FLOW, transitions_from

QUEUE_PAGE_SIZE = 25
# The queue's orders; the first is the default: acute danger, then urgent and high priority, then the oldest.
QUEUE_ORDER = {
    "urgent": ("acute_rank", "priority_rank", "received_at", "id"),
    "oldest": ("received_at", "id"),
    "newest": ("-received_at", "-id"),
}


class CappedPaginator(Paginator):
    """Counts at most `cap` reports, so a page costs the same however many reports match.

    Counting every match grows with the table; past a hundred pages nobody pages on, they filter. `counted` is the
    same selection without what only the page shows (the queue's marks), so counting does not work them out.
    """

    cap = 2_500

    def __init__(self, object_list: Any, per_page: int, counted: Any = None) -> None:
        super().__init__(object_list, per_page)
        self.counted = object_list if counted is None else counted

    @cached_property
    def _matches(self) -> int:
        return int(self.counted.order_by()[: self.cap + 1].count())

    @cached_property
    def count(self) -> int:
        return min(self._matches, self.cap)

    @property
    def capped(self) -> bool:
        return self._matches > self.cap


def _queue_order(form: QueueFilterForm) -> str:
    """The order asked for, or the default when none or a wrong one was (the form has been validated)."""
    return "urgent" if "sort" in form.errors else (form.cleaned_data.get("sort") or "urgent")


def _filtered_queue(request: HttpRequest, form: QueueFilterForm) -> Any:
    """The reports the filters select, without the queue's marks or order (see `queue`)."""
    reports = Report.objects.visible_to(request.user)  # type: ignore[arg-type]
    form.is_valid()
    data = {name: value for name, value in form.cleaned_data.items() if name not in form.errors}
    if data.get("q"):
        reports = reports_find(reports, data["q"])
    # A search looks in every state unless a state is chosen too; without one the queue is the open reports.
    status = data.get("status") or ("all" if data.get("q") else "open")
    if status == "open":
        reports = reports.filter(status__in=OPEN_STATES)
    elif status != "all":
        reports = reports.filter(status=status)
    if data.get("priority"):
        reports = reports.filter(priority=data["priority"])
    if data.get("municipality"):
        reports = reports.filter(municipality=data["municipality"])
    if data.get("form"):
        reports = reports.with_form(data["form"])
    if data.get("channel"):
        reports = reports.filter(channel=data["channel"])
    assignee = data.get("assignee")
    if assignee == "me":
        reports = reports.filter(assignee_id=request.user.pk)
    elif assignee == "none":
        reports = reports.filter(assignee__isnull=True)
    elif assignee:
        reports = reports.filter(assignee_id=assignee)
    if data.get("term") == "past":
        reports = reports.past_term()
    return reports


@report_handler_required
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET)
    reports = _filtered_queue(request, form)
    order = _queue_order(form)
    shown = reports.for_queue().order_by(*QUEUE_ORDER[order])
    page = CappedPaginator(shown, QUEUE_PAGE_SIZE, counted=reports).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter_form": form,
        "page": page,
        "query": query.urlencode(),
        "order_label": dict(form.fields["sort"].choices)[order],  # type: ignore[attr-defined]
    }
    return render(request, "reports/queue.html", context)


def _said(text: str | Promise) -> Callable[[Report, dict[str, Any]], str]:
    """A confirmation that names the report, its state or where it went."""
    return lambda report, data: (
        str(text)
        % {
            "reference": report.reference,
            "status": report.get_status_display(),
            "organisation": str(report.forwarded_to or ""),
        }
    )


def _close(name: str, said: str | Promise) -> PageAction:
    """One of the three ways to close a report: the step, the reporter's feedback and a message, together."""
    form_class = ForwardForm if name == "forward" else CloseForm
    return PageAction(
        name,
        lambda report, user, data, files: form_class(data, prefix=name, recorded=report.feedback_method),
        lambda report, data, user: report_close(
            report=report,
            name=name,
            reason=data["reason"],
            actor=user,
            feedback_method=data["feedback_method"],
            feedback_note=data["feedback_note"],
            message_to_reporter=data["message_to_reporter"],
            forwarded_to=data.get("forwarded_to"),
            interpreter_used=data["interpreter_used"],
        ),
        _said(said),
    )


# The actions on a report page. The page's gate (report_handler_required) is their permission.
ACTIONS = registry(
    PageAction(
        "start_triage",
        lambda report, user, data, files: django_forms.Form(data),
        lambda report, data, user: report_change_status(report=report, name="start_triage", actor=user),
        _said(gettext_lazy("Triage of %(reference)s started.")),
    ),
    PageAction(
        "triage",
        lambda report, user, data, files: TriageForm(
            data,
            initial={
                "suspected_forms": report.form_values,
                "municipality": report.municipality_id,
                "residence_municipality": report.residence_municipality_id,
                "place": report.place,
                "priority": report.priority,
                "assignee": report.assignee_id,
            },
            prefix="triage",
        ),
        lambda report, data, user: report_triage(
            report=report,
            forms=data["suspected_forms"],
            municipality=data["municipality"],
            residence_municipality=data["residence_municipality"],
            place=data["place"],
            priority=data["priority"],
            assignee=data["assignee"],
            actor=user,
        ),
        _said(gettext_lazy("Triage of %(reference)s saved.")),
    ),
    PageAction(
        "ask_reporter",
        lambda report, user, data, files: QuestionForm(data, prefix="ask_reporter"),
        lambda report, data, user: report_ask_reporter(
            report=report, question=data["question"], actor=user, interpreter_used=data["interpreter_used"]
        ),
        _said(gettext_lazy("Your question was sent to the reporter; the report waits for their answer.")),
    ),
    PageAction(
        "feedback",
        lambda report, user, data, files: FeedbackForm(
            data,
            initial={"feedback_method": report.feedback_method, "feedback_note": report.feedback_note},
            prefix="feedback",
        ),
        lambda report, data, user: report_record_feedback(
            report=report,
            method=data["feedback_method"],
            note=data["feedback_note"],
            actor=user,
            interpreter_used=data["interpreter_used"],
        ),
        _said(gettext_lazy("Feedback to the reporter recorded.")),
    ),
    _close("close_advised", gettext_lazy("Report %(reference)s closed: %(status)s.")),
    _close("forward", gettext_lazy("Report forwarded to %(organisation)s.")),
    _close("close_no_action", gettext_lazy("Report %(reference)s closed: %(status)s.")),
    PageAction(
        "reopen",
        lambda report, user, data, files: ReasonForm(data, prefix="reopen"),
        lambda report, data, user: report_change_status(
            report=report, name="reopen", actor=user, reason=data["reason"]
        ),
        _said(gettext_lazy("Report %(reference)s reopened.")),
    ),
)


def _render_report(
    request: HttpRequest,
    report: Report,
    action_forms: dict[str, Any],
    failed: str = "",
    status: int = 200,
    standard: StandardReplyForm | None = None,
    check: dict[str, str] | None = None,
) -> HttpResponse:
    available = {t.name for t in transitions_from(report.status)}
    ask = REPORT_FLOW["ask_reporter"].sources | {ReportStatus.AWAITING_REPORTER}
    context = {
        "report": report,
        "sees_reporter": sees_reporter_of(request.user, report),  # type: ignore[arg-type]
        "forms": action_forms,
        "persons": report.persons.all(),
        "attachments": report.attachments.all(),
        "thread": report.messages.select_related("author"),
        "history": report_history(report),
        "may_see_readers": may_see_readers(request.user),  # type: ignore[arg-type]
        "signals": report.signals.select_related("indicator"),
        "can_ask": report.status in ask,
        "available": available,
        "standard": standard if standard is not None else StandardReplyForm(),
        "standard_opened": "ask_reporter" if standard is not None and standard.is_bound else "",
        "standard_replies": StandardReply.objects.filter(active=True).exists(),
        "standard_check": check,
        # A report nobody has triaged yet opens with its triage form: that is the next thing to do.
        "triage_opened": "triage" if report.status == ReportStatus.NEW else "",
        "failed": failed,
        "panels": panels("report", request, report),
    }
    return render(request, "reports/report_detail.html", context, status=status)


@report_handler_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_for_user(request, pk)
    audit_record(action=Action.REPORT_VIEWED, actor=request.user, obj=report)
    forms = action_forms(ACTIONS, report, request.user)
    standard = StandardReplyForm(request.GET if "standaard" in request.GET else None)
    check = None
    if standard.is_valid():
        check = _standard_text_fill(forms, standard.cleaned_data["standaard"], report)
    return _render_report(request, report, forms, standard=standard, check=check)


def _standard_text_fill(forms: dict[str, Any], reply: StandardReply, report: Report) -> dict[str, str] | None:
    """Puts the standard text, in the reporter's language, where a message to the reporter is written: the question
    and the message with each way of closing. Staff read it and may change it before sending.

    Returns the same text in the worker's language when the reporter's is another, to show beside it: a worker who
    does not read Polish still knows what is sent."""
    fallback = settings.LANGUAGE_CODE
    language = report.language if reply.texts.get(report.language) else fallback
    text = reply.texts.get(language, "")
    forms["ask_reporter"].initial["question"] = text
    for name in ("close_advised", "forward", "close_no_action"):
        forms[name].initial["message_to_reporter"] = text
    own = get_language() or fallback
    own = own if reply.texts.get(own) else fallback
    if own == language:
        return None
    return {"language": own, "text": reply.texts.get(own, "")}


@report_handler_required
@post_only
def report_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    report = report_for_user(request, pk)
    form, said = action_take(ACTIONS[action], request, report)
    if said:
        messages.success(request, said)
        return redirect("reports:detail", pk=report.pk)
    forms = action_forms(ACTIONS, report, request.user)
    forms[action] = form
    report.refresh_from_db()
    # The page is shown again with the report's details: that is a read too.
    audit_record(action=Action.REPORT_VIEWED, actor=request.user, obj=report)
    return _render_report(request, report, forms, failed=action, status=400)


@report_handler_required
def report_signals(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff add or remove the catalogue signals of a report, on a page of its own (the list is long)."""
    report = report_for_user(request, pk)
    form = SignalsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        report_set_signals(report=report, codes=form.cleaned_data["signals"], actor=request.user)  # type: ignore[arg-type]
        count = len(form.cleaned_data["signals"])
        messages.success(
            request,
            ngettext("%(count)d signal recorded for this report.", "%(count)d signals recorded for this report.", count)
            % {"count": count},
        )
        return redirect("reports:detail", pk=report.pk)
    audit_record(action=Action.REPORT_VIEWED, actor=request.user, obj=report)
    current = report.signals.values_list("indicator__code", flat=True)
    return signals_page(request, form, current, "reports/report_signals.html", {"report": report})


@report_handler_required
def intake_create(request: HttpRequest) -> HttpResponse:
    """A report received by phone, e-mail, walk-in or from a partner, entered by staff."""
    if request.method == "POST":
        form = IntakeForm(request.POST, request.FILES)
        persons = StaffPersonFormSet(request.POST, prefix="persons")
        details = staff_details_bound(request.POST)
        if form.is_valid() and persons.is_valid() and details_valid(details):
            data = form.cleaned_data
            submission = form.submit(
                persons,
                details,
                channel=data["channel"],
                actor=request.user,
                received_at=data["received_at"],
                partner_organisation=data.get("partner_organisation"),
            )
            return render(
                request,
                "reports/intake_done.html",
                {"report": submission.report, "code": receipts.format_code(submission.code)},
            )
    else:
        form = IntakeForm(initial={"token": receipts.new_submission_token()})
        persons = StaffPersonFormSet(prefix="persons")
        details = StaffDetailFormSet(prefix="details")
    return render(request, "reports/intake_form.html", {"form": form, "persons": persons, "details": details})


@report_handler_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponseBase:
    report = report_for_user(request, pk)
    attachment = Attachment.objects.filter(report=report, pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    audit_record(action=Action.ATTACHMENT_DOWNLOADED, actor=request.user, obj=report, attachment=attachment.pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    # Never rendered by the browser as a page of ours.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def may_see_readers(user: User) -> bool:
    """Who read a report is for the centre's case directors and the functional administrators."""
    return (user.in_centre and user.has_role(Role.CASE_DIRECTOR)) or user.has_role(Role.FUNCTIONAL_ADMIN)


def report_readers(request: HttpRequest, pk: int) -> HttpResponse:
    """Who has seen a report: each person once, with the first and last time and how often. Shows no content of
    the report, so a functional administrator can answer "who read this?" without reading it."""
    user = request.user
    assert isinstance(user, User)
    if not may_see_readers(user):
        audit_record(action=Action.ACCESS_DENIED, actor=user, path=request.path[:200])
        raise PermissionDenied
    report = Report.objects.filter(pk=pk).only("pk", "reference").first()
    if report is None:
        raise Http404
    readers = (
        AuditEvent.objects.filter(
            action=Action.REPORT_VIEWED, object_type=Report._meta.label_lower, object_id=str(report.pk)
        )
        .values("actor_id", "actor_name")
        .annotate(first=Min("created_at"), last=Max("created_at"), times=Count("pk"))
        .order_by("first")
    )
    names = {u.pk: u.display_name for u in User.objects.filter(pk__in=[r["actor_id"] for r in readers])}
    rows = [{**row, "name": names.get(row["actor_id"], row["actor_name"])} for row in readers]
    audit_record(action=Action.AUDIT_VIEWED, actor=user, obj=report, readers=True)
    return render(request, "reports/report_readers.html", {"report": report, "rows": rows})


@report_handler_required
def consultations(request: HttpRequest) -> HttpResponse:
    """Advice and consultation contacts: record one, and see the latest. Counted apart from reports in the monitor."""
    user = request.user
    assert isinstance(user, User)
    form = ConsultationForm(request.POST or None, initial={"token": receipts.new_submission_token(),
                                                          "received_on": timezone.localdate()})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _consultation, created = consultation_record(
            actor=user, token=data["token"], received_on=data["received_on"], channel=data["channel"],
            asker=data["asker"], field=data["field"], topic=data["topic"], forms=list(data["forms"]),
            municipality=data["municipality"],
        )  # fmt: skip
        messages.success(
            request, _("Advice contact recorded.") if created else _("This advice contact was recorded already.")
        )
        return redirect("reports:consultations")
    latest = Consultation.objects.select_related("municipality")[:30]
    # Questions visitors asked on the website wait in the queue like reports; listed here too, since they are advice.
    questions = Report.objects.visible_to(user).open().filter(kind=ReportKind.QUESTION)
    return render(
        request,
        "reports/consultations.html",
        {"form": form, "latest": latest, "total": Consultation.objects.count(), "questions": questions[:50]},
        status=400 if request.method == "POST" else 200,
    )
