"""Every change to a report goes through one of these functions: atomic, rule-checked, audited."""

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from kenniscentrum.accounts.models import User
from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.audit.services import audit_record
from kenniscentrum.lib.models import row_lock
from kenniscentrum.lib.throttle import throttle_count, throttle_hit
from kenniscentrum.lib.upload_check import CleanFile
from kenniscentrum.lib.vocabulary import Channel, FeedbackMethod, Priority, ReportStatus, YesNoUnknown
from kenniscentrum.lib.workflow import STAFF, transition_apply
from kenniscentrum.organisations.models import Municipality, Organisation

from . import receipts
from .models import (
    Attachment,
    Consultation,
    Direction,
    ReferenceCounter,
    Report,
    ReportForm,
    ReportMessage,
    ReportPerson,
    ReportSignal,
    ReportTransition,
)
from .signals import message_to_reporter, report_details_given, report_received, reporter_replied
from .terms import feedback_due, triage_due
from .workflow import OPEN_STATES, REPORT_FLOW, REPORTER

# Fields a reporter or intake worker fills in; anything else in `data` is ignored.
REPORT_FIELDS = (
    "kind",
    "reporter_role",
    "contact_preference",
    "reporter_name",
    "reporter_phone",
    "reporter_email",
    "contact_safety_note",
    "email_notice",
    "consent_share_identity",
    "description",
    "municipality",
    "residence_municipality",
    "place",
    "when_text",
    "ongoing",
    "acute_danger",
)


@dataclass
class Submission:
    report: Report
    code: str
    created: bool
    token: str | None = None  # the form token the report is stored under (a new one when the sent one was spent)


class ReceiptThrottled(Exception):
    """Too many wrong receipt codes: in this browser session, or from everyone together."""


def reference_next(year: int) -> str:
    """The next report reference of `year`, e.g. M-2026-00042. Call inside a transaction.

    On PostgreSQL the number comes from a sequence per year, so submissions at the same moment do not wait for each
    other (a counter row stays locked until the submitting transaction ends); a number taken by a submission that
    failed is not used again, so there can be gaps. SQLite writes one transaction at a time anyway and counts in
    a row."""
    if connection.vendor == "postgresql":
        return f"M-{year}-{_sequence_next(year):05d}"
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"M-{year}-{counter.last:05d}"


def _sequence_next(year: int) -> int:
    name = f"report_reference_{int(year)}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [name])
        if cursor.fetchone()[0] is None:
            # The year's first report: one transaction creates the sequence (the others wait for it), starting
            # after any number already given for that year (by the counter row, or in data loaded by hand).
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [name])
            cursor.execute("SELECT to_regclass(%s)", [name])
            if cursor.fetchone()[0] is None:
                counted = ReferenceCounter.objects.filter(year=year).values_list("last", flat=True).first() or 0
                cursor.execute(
                    "SELECT coalesce(max(substring(reference from 8)::integer), 0) FROM reports_report "
                    "WHERE reference ~ %s",
                    [rf"^M-{int(year)}-[0-9]+$"],
                )
                used = max(counted, cursor.fetchone()[0])
                # IF NOT EXISTS: the check above can read a catalogue cached from before another worker created it
                # (an advisory lock does not refresh it); the creation itself sees what is committed.
                cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {name} START WITH {used + 1}")  # noqa: S608 (an int)
        cursor.execute("SELECT nextval(%s)", [name])
        return int(cursor.fetchone()[0])


def _audit_transition(step: ReportTransition) -> None:
    audit_record(
        action=Action.REPORT_TRANSITION,
        actor=step.actor,
        obj=step.report,
        transition=step.transition,
        from_status=step.from_status,
        to=step.to_status,
    )


def _signals_add(report: Report, codes: Iterable[str]) -> None:
    from kenniscentrum.indicators.models import Indicator

    codes = list(codes)
    if codes:
        ReportSignal.objects.bulk_create(
            [ReportSignal(report=report, indicator=i) for i in Indicator.objects.filter(code__in=codes)]
        )


def _attachment_store(
    report: Report, clean: CleanFile, number: int, saved: list[str], *, later: bool = False
) -> Attachment:
    """Stores one checked file as the report's attachment number `number`; its stored name goes into `saved`."""
    attachment = Attachment(
        report=report,
        # Named after its type and place: the sender's file name may carry their own name.
        original_name=f"bijlage-{number}{clean.extension}",
        content_type=clean.content_type,
        size=len(clean.content),
        added_later=later,
        digest=hashlib.sha256(clean.content).hexdigest(),
    )
    attachment.file.save(get_random_string(32) + clean.extension, ContentFile(clean.content), save=False)
    saved.append(attachment.file.name)
    attachment.save()
    return attachment


def _store_report(
    *,
    data: dict[str, Any],
    forms: list[str],
    persons: list[dict[str, str]],
    details: list[dict[str, str]],
    files: list[CleanFile],
    signals: list[str],
    channel: str,
    actor: User | None,
    token: str | None,
    content_digest: str,
    language: str,
    received_at: Any = None,
    partner_organisation: Organisation | None = None,
    saved: list[str],
) -> Report:
    now = timezone.now()
    received = received_at or now
    report = Report(
        reference=reference_next(timezone.localtime(received).year),
        channel=channel,
        created_by=actor,
        received_at=received,
        language=language,
        partner_organisation=partner_organisation,
        submission_digest=receipts.submission_digest(token) if token else None,
        receipt_digest=receipts.receipt_digest(receipts.code_from_token(token)) if token else None,
        content_digest=content_digest,
        **{field: data[field] for field in REPORT_FIELDS if field in data and data[field] is not None},
    )
    # Someone in danger now comes first in the queue.
    if report.acute_danger == YesNoUnknown.YES:
        report.priority = Priority.URGENT
    report.triage_due_at = triage_due(received, report.priority)
    report.feedback_due_at = feedback_due(received)
    report.save()
    ReportForm.objects.bulk_create([ReportForm(report=report, form=f) for f in dict.fromkeys(forms)])
    ReportPerson.objects.bulk_create(
        [ReportPerson(report=report, **p) for p in persons if p.get("description", "").strip()]
    )
    _signals_add(report, signals)
    for number, clean in enumerate(files, start=1):
        _attachment_store(report, clean, number, saved)
    _audit_transition(
        ReportTransition.objects.create(report=report, transition="submitted", to_status=ReportStatus.NEW, actor=actor)
    )
    audit_record(action=Action.REPORT_CREATED, actor=actor, obj=report, channel=channel)
    # Phone numbers, addresses, plates the reporter gave: linking keeps them as identifiers, in this transaction.
    if details:
        report_details_given.send(sender=Report, report=report, details=details, actor=actor)
    report_received.send(sender=Report, report=report)
    return report


def report_submit(
    *,
    data: dict[str, Any],
    forms: list[str],
    persons: list[dict[str, str]],
    files: list[CleanFile],
    token: str | None,
    language: str,
    signals: list[str] | None = None,
    details: list[dict[str, str]] | None = None,
    channel: str = Channel.WEB,
    actor: User | None = None,
    received_at: Any = None,
    partner_organisation: Organisation | None = None,
) -> Submission:
    """Stores a report from the public form or from staff intake, exactly once per form token and content.

    A second submit of the same form (double click, reload, Back and send again) stores nothing and returns the first
    report with the same receipt code, so the reporter never loses the code. A spent token sent with other content
    (someone else on the same browser, or the reporter who went Back to add something) is a new report under a new
    token, with its own code: one report's code is never given for another's content. Without a token (a partner's
    system, which follows its report through the API and keeps its own retries apart) the report has no receipt code.
    """
    content = receipts.content_digest(
        {
            "data": {field: data.get(field) for field in REPORT_FIELDS},
            "forms": sorted(map(str, forms)),
            "persons": persons,
            "details": details or [],
            "signals": sorted(map(str, signals or [])),
            "files": [hashlib.sha256(f.content).hexdigest() for f in files],
            "channel": channel,
            "received_at": received_at,
        }
    )
    # At most a few turns: a spent token with other content goes on under its successor for that content, which
    # only the same content can reach.
    for _attempt in range(3):
        digest = receipts.submission_digest(token) if token else None
        code = receipts.code_from_token(token) if token else ""
        existing = Report.objects.filter(submission_digest=digest).first() if digest else None
        if existing is not None and token:  # a report found by its token's digest
            if hmac.compare_digest(existing.content_digest, content):
                return Submission(existing, code, created=False, token=token)
            token = receipts.successor_token(token, content)
            continue
        saved: list[str] = []  # files written so far: removed again when the report is not stored
        try:
            with transaction.atomic():
                report = _store_report(
                    data=data,
                    forms=forms,
                    persons=persons,
                    details=details or [],
                    files=files,
                    signals=signals or [],
                    channel=channel,
                    actor=actor,
                    token=token,
                    content_digest=content,
                    language=language,
                    received_at=received_at,
                    partner_organisation=partner_organisation,
                    saved=saved,
                )
        except IntegrityError:
            files_delete(saved)
            # The same token won a race in another request: the next turn judges that report.
            if digest and Report.objects.filter(submission_digest=digest).exists():
                continue
            raise
        except BaseException:
            files_delete(saved)
            raise
        return Submission(report, code, created=True, token=token)
    raise RuntimeError("no form token left to store the report under")


@transaction.atomic
def report_change_status(*, report: Report, name: str, actor: User | None, reason: str = "", by: str = STAFF) -> Report:
    """Moves a report along the transition `name` of the workflow table, with one history row."""
    step = transition_apply(REPORT_FLOW, report, name, actor=actor, text=reason, by=by)
    _audit_transition(step)
    return report


def _message(
    *, report: Report, direction: str, body: str, author: User | None, interpreter_used: bool = False
) -> ReportMessage:
    message = ReportMessage.objects.create(
        report=report, direction=direction, body=body, author=author, interpreter_used=interpreter_used
    )
    action = (
        Action.REPORT_MESSAGE_TO_REPORTER if direction == Direction.TO_REPORTER else Action.REPORT_MESSAGE_FROM_REPORTER
    )
    audit_record(action=action, actor=author, obj=report, message=message.pk)
    if direction == Direction.TO_REPORTER:
        message_to_reporter.send(sender=Report, report=report, message=message)
    return message


@transaction.atomic
def report_ask_reporter(*, report: Report, question: str, actor: User, interpreter_used: bool = False) -> ReportMessage:
    """Sends a question the reporter reads with the receipt code; the report then waits for them."""
    row_lock(report)
    if report.status not in OPEN_STATES:
        raise ValidationError(_("Reopen the report before asking the reporter something."))
    message = _message(
        report=report, direction=Direction.TO_REPORTER, body=question, author=actor, interpreter_used=interpreter_used
    )
    if report.status != ReportStatus.AWAITING_REPORTER:
        report_change_status(report=report, name="ask_reporter", actor=actor)
    return message


@transaction.atomic
def report_reporter_reply(*, report: Report, body: str) -> ReportMessage:
    """A message from the reporter; it puts a waiting or closed report back into triage."""
    message = _message(report=report, direction=Direction.FROM_REPORTER, body=body, author=None)
    reporter_replied.send(sender=Report, report=report)
    if report.status in REPORT_FLOW["reporter_replied"].sources:
        report_change_status(report=report, name="reporter_replied", actor=None, by=REPORTER)
    return message


@dataclass
class FilesAdded:
    added: list[Attachment]
    already: int  # files the report held already (the same form sent twice): not stored again


def _room_check(report: Report, files: list[CleanFile]) -> None:
    """A report holds at most REPORT_ATTACHMENT_MAX_COUNT files and REPORT_ATTACHMENT_MAX_BYTES in all: an anonymous
    visitor with a code must not be able to fill the database."""
    held = report.attachments.aggregate(count=Count("id"), size=Sum("size"))
    count, size = held["count"], held["size"] or 0
    max_count = settings.REPORT_ATTACHMENT_MAX_COUNT
    if count + len(files) > max_count:
        raise ValidationError(
            _("A report can hold at most %(max)d files; yours has room for %(left)d more.")
            % {"max": max_count, "left": max(0, max_count - count)}
        )
    if size + sum(len(f.content) for f in files) > settings.REPORT_ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("A report can hold at most %(max)d MB of files in all. Choose fewer or smaller files.")
            % {"max": settings.REPORT_ATTACHMENT_MAX_BYTES // (1024 * 1024)}
        )


def report_reporter_add_files(*, report: Report, files: list[CleanFile]) -> FilesAdded:
    """Adds checked files the reporter sends later through the receipt code: all or none, each file once, within
    what a report may hold. Audited; staff hear of it like of a reply, and a waiting or closed report is looked at
    again."""
    saved: list[str] = []
    try:
        with transaction.atomic():
            # Locked: two sends at once (a double click) are counted and compared one after the other.
            row_lock(report)
            held = set(report.attachments.values_list("digest", flat=True))
            new = [f for f in files if hashlib.sha256(f.content).hexdigest() not in held]
            if not new:
                return FilesAdded(added=[], already=len(files))
            _room_check(report, new)
            start = report.attachments.count() + 1
            added = [_attachment_store(report, f, n, saved, later=True) for n, f in enumerate(new, start=start)]
            audit_record(action=Action.REPORT_UPDATED, actor=None, obj=report,
                         changed={"attachments_added": [a.pk for a in added]})  # fmt: skip
            reporter_replied.send(sender=Report, report=report, attachments=[a.pk for a in added])
            if report.status in REPORT_FLOW["reporter_replied"].sources:
                report_change_status(report=report, name="reporter_replied", actor=None, by=REPORTER)
    except BaseException:
        files_delete(saved)
        raise
    return FilesAdded(added=added, already=len(files) - len(new))


def _audit_value(field: Any, value: Any) -> str:
    """The new value for the audit log: ids and choice codes; free text (a place) only as "changed"."""
    if field.is_relation:
        return str(getattr(value, "pk", "")) if value is not None else ""
    return str(value) if field.choices else "(changed)"


def _fields_save(report: Report, actor: User, values: dict[str, Any]) -> Report:
    """Saves the named triage fields that changed, and audits which (free text only as "changed")."""
    changed = {}
    for field, value in values.items():
        if getattr(report, field) != value:
            changed[field] = _audit_value(Report._meta.get_field(field), value)
            setattr(report, field, value)
    if changed:
        report.save(update_fields=list(changed))
        audit_record(action=Action.REPORT_UPDATED, actor=actor, obj=report, changed=changed)
    return report


@transaction.atomic
def report_assign(*, report: Report, assignee: User | None, actor: User) -> Report:
    return _fields_save(report, actor, {"assignee": assignee})


@transaction.atomic
def report_set_priority(*, report: Report, priority: str, actor: User) -> Report:
    """A new priority; a report not yet triaged gets the triage term of its new priority."""
    _fields_save(report, actor, {"priority": priority})
    if report.status == ReportStatus.NEW:
        # Follows from the priority (which the audit log has), so not audited on its own.
        report.triage_due_at = triage_due(report.received_at, priority)
        report.save(update_fields=["triage_due_at"])
    return report


@transaction.atomic
def report_classify(
    *,
    report: Report,
    forms: list[str],
    municipality: Municipality | None,
    place: str,
    actor: User,
    residence_municipality: Municipality | None = None,
) -> Report:
    """Sets the suspected forms of exploitation, the municipalities (where it happens, where the person lives) and
    the place."""
    before = sorted(report.form_values)
    if sorted(forms) != before:
        ReportForm.objects.filter(report=report).delete()
        ReportForm.objects.bulk_create([ReportForm(report=report, form=f) for f in dict.fromkeys(forms)])
        audit_record(action=Action.REPORT_UPDATED, actor=actor, obj=report, changed={"forms": sorted(forms)})
    return _fields_save(
        report,
        actor,
        {"municipality": municipality, "residence_municipality": residence_municipality, "place": place},
    )


@transaction.atomic
def report_triage(
    *,
    report: Report,
    forms: list[str],
    municipality: Municipality | None,
    residence_municipality: Municipality | None,
    place: str,
    priority: str,
    assignee: User | None,
    actor: User,
) -> Report:
    """Classification, priority and assignee in one step, each change audited as on its own; a new report is in
    triage once it is triaged."""
    row_lock(report)
    if report.status not in OPEN_STATES:
        raise ValidationError(_("Reopen the report before triaging it."))
    report_classify(report=report, forms=forms, municipality=municipality,
                    residence_municipality=residence_municipality, place=place, actor=actor)  # fmt: skip
    report_set_priority(report=report, priority=priority, actor=actor)
    report_assign(report=report, assignee=assignee, actor=actor)
    if report.status == ReportStatus.NEW:
        report_change_status(report=report, name="start_triage", actor=actor)
    return report


@transaction.atomic
def report_set_signals(*, report: Report, codes: list[str], actor: User) -> Report:
    """Sets the catalogue signals observed in a report; audits what was added and removed."""
    before = set(report.signals.values_list("indicator__code", flat=True))
    after = set(codes)
    if after != before:
        report.signals.filter(indicator__code__in=before - after).delete()
        _signals_add(report, after - before)
        audit_record(
            action=Action.REPORT_UPDATED,
            actor=actor,
            obj=report,
            changed={"signals_added": sorted(after - before), "signals_removed": sorted(before - after)},
        )
    return report


@transaction.atomic
def report_record_feedback(
    *, report: Report, method: str, note: str, actor: User, interpreter_used: bool = False
) -> Report:
    """Records whether and how the reporter heard back; 'not possible' needs the reason in the note."""
    if method == FeedbackMethod.NOT_POSSIBLE and not note.strip():
        raise ValidationError(_("Say why feedback to the reporter is not possible."))
    if (report.feedback_method, report.feedback_note, report.feedback_interpreter) == (method, note, interpreter_used):
        # The same feedback sent again (a form saved unchanged) keeps when it was given.
        return report
    report.feedback_method = method
    report.feedback_note = note
    report.feedback_at = timezone.now()
    report.feedback_interpreter = interpreter_used
    report.save(update_fields=["feedback_method", "feedback_note", "feedback_at", "feedback_interpreter"])
    audit_record(action=Action.REPORT_FEEDBACK, actor=actor, obj=report, method=method)
    return report


@transaction.atomic
def report_close(
    *,
    report: Report,
    name: str,
    reason: str,
    actor: User,
    feedback_method: str = "",
    feedback_note: str = "",
    message_to_reporter: str = "",
    forwarded_to: Organisation | None = None,
    interpreter_used: bool = False,
) -> Report:
    """Closes a report with advice, by forwarding it, or without action, recording the reporter's feedback."""
    row_lock(report)
    REPORT_FLOW.fits(report, name)
    if name == "forward" and forwarded_to is None:
        raise ValidationError(_("Choose the organisation the report goes to."))
    if feedback_method == FeedbackMethod.RECEIPT_MESSAGE and not message_to_reporter.strip():
        raise ValidationError(_("Write the message the reporter will read with the receipt code."))
    if message_to_reporter.strip():
        _message(
            report=report,
            direction=Direction.TO_REPORTER,
            body=message_to_reporter,
            author=actor,
            interpreter_used=interpreter_used,
        )
    if feedback_method:
        report_record_feedback(
            report=report, method=feedback_method, note=feedback_note, actor=actor, interpreter_used=interpreter_used
        )
    report.decision_reason = reason
    report.save(update_fields=["decision_reason"])
    report_change_status(report=report, name=name, actor=actor, reason=reason)
    if name == "forward":
        # Only a forwarded report names where it went (a database rule), so this follows the step.
        report.forwarded_to = forwarded_to
        report.save(update_fields=["forwarded_to"])
    return report


RECEIPT_SCOPE = "receipt"
# The key under which wrong codes from all visitors together are counted.
EVERYONE = "*"


def receipt_throttled(browser_key: str) -> bool:
    """Wrong codes have passed a limit: in this browser, or from all visitors together in the window."""
    window = settings.RECEIPT_FAILURE_WINDOW_SECONDS
    if browser_key and throttle_count(RECEIPT_SCOPE, browser_key, window) >= settings.RECEIPT_FAILURES_PER_SESSION:
        return True
    return throttle_count(RECEIPT_SCOPE, EVERYONE, window) >= settings.RECEIPT_FAILURES_GLOBAL


def _receipt_throttled_once() -> None:
    """One audit event per window while the limit holds: an attacker cannot fill the log."""
    since = timezone.now() - timedelta(seconds=settings.RECEIPT_FAILURE_WINDOW_SECONDS)
    if not AuditEvent.objects.filter(action=Action.RECEIPT_THROTTLED, created_at__gte=since).exists():
        audit_record(action=Action.RECEIPT_THROTTLED)


def receipt_open(*, code: str, browser_key: str) -> Report | None:
    """The report of a well-formed receipt code (see `receipts.normalise_code`), or None.

    A right code always opens its report, however many wrong ones others tried: the 60 bits of a code
    are what protects a report, and a limit that refused right codes would let one client lock out
    every reporter. Wrong codes count per browser and for all visitors together; past either limit a
    wrong code is answered with ReceiptThrottled, and nothing more is written (no count, no audit row).
    """
    report = Report.objects.filter(receipt_digest=receipts.receipt_digest(code)).first()
    if report is not None:
        audit_record(action=Action.RECEIPT_OPENED, obj=report)
        return report
    if receipt_throttled(browser_key):
        _receipt_throttled_once()
        raise ReceiptThrottled
    if browser_key:
        throttle_hit(RECEIPT_SCOPE, browser_key)
    throttle_hit(RECEIPT_SCOPE, EVERYONE)
    audit_record(action=Action.RECEIPT_FAILED)
    return None


# A report that ended here is removed after the retention term; one that became (part of) a case
# follows the case's term.
EXPIRING_STATES = [ReportStatus.ADVISED, ReportStatus.FORWARDED, ReportStatus.CLOSED_NO_ACTION]


@transaction.atomic
def reports_expire(before: datetime) -> int:
    """Deletes reports closed before `before` without a case: their persons, messages, signals and files."""
    return reports_delete(reports_expiring(before))


def reports_expiring(before: datetime) -> Any:
    """Closed reports without a case, closed before `before`: what retention deletes."""
    return Report.objects.filter(status__in=EXPIRING_STATES, closed_at__lt=before, case=None)


def reports_delete(reports: Any) -> int:
    """Deletes reports with everything in them, their files after the transaction commits."""
    files = list(Attachment.objects.filter(report__in=reports).values_list("file", flat=True))
    count = reports.count()
    reports.delete()
    # Files go after the rows: should the transaction fail, no row points at a missing file.
    transaction.on_commit(lambda: files_delete(files))
    return count


def files_delete(names: list[str]) -> None:
    """Removes stored files by name; called after the rows that named them are gone."""
    for name in names:
        default_storage.delete(name)


def consultation_record(*, actor: User, token: str, **fields: Any) -> tuple[Consultation, bool]:
    """Records an advice or consultation contact; the same form posted twice is one contact. Returns it, and whether
    it is new."""
    with transaction.atomic():
        consultation, created = Consultation.objects.get_or_create(
            token=token[:64], defaults={**fields, "created_by": actor}
        )
    if created:
        audit_record(action=Action.CONSULTATION_RECORDED, actor=actor, consultation=consultation.pk)
    return consultation, created
