from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import EmailValidator
from django.db import connection, models
from django.db.models import Case, Exists, OuterRef, Q, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kenniscentrum.lib.encryption import EncryptedTextField
from kenniscentrum.lib.models import ChoiceLabelsModel
from kenniscentrum.lib.vocabulary import (
    PRIORITY_ORDER,
    Channel,
    ContactPreference,
    FeedbackMethod,
    Priority,
    ReporterRole,
    ReportKind,
    ReportStatus,
    YesNoUnknown,
    exploitation_forms,
)
from kenniscentrum.organisations.models import Municipality, Organisation

from .workflow import OPEN_STATES

if TYPE_CHECKING:
    from kenniscentrum.accounts.models import User


def acute_rank() -> Case:
    """0 for a report that says someone is in danger now, else 1: the queue's first order."""
    return Case(When(acute_danger=YesNoUnknown.YES, then=0), default=1)


def priority_rank() -> Case:
    """The priority as a rank, most urgent 0."""
    return Case(*[When(priority=p, then=i) for i, p in enumerate(PRIORITY_ORDER)], default=9)


class ReportQuerySet(models.QuerySet["Report"]):
    def submitted_by(self, organisation: Organisation) -> "ReportQuerySet":
        """Reports an organisation made (through the API, or entered by intake for it): what it may follow."""
        return self.filter(partner_organisation=organisation)

    def visible_to(self, user: "User") -> "ReportQuerySet":
        """Need-to-know: reports are read by the centre's intake workers and case directors only."""
        if user.is_authenticated and user.handles_reports_and_cases:
            return self.all()
        return self.none()

    def open(self) -> "ReportQuerySet":
        return self.filter(status__in=OPEN_STATES)

    def past_term(self, now: Any = None) -> "ReportQuerySet":
        """Reports the centre owes something past its response term: not triaged in time, or no feedback to the
        reporter in time (reports/terms.py)."""
        now = now or timezone.now()
        late_triage = Q(status=ReportStatus.NEW, triage_due_at__lt=now)
        late_feedback = Q(feedback_method="", feedback_due_at__lt=now)
        return self.filter(late_triage | late_feedback)

    def with_form(self, form: str) -> "ReportQuerySet":
        return self.filter(Exists(ReportForm.objects.filter(report=OuterRef("pk"), form=form)))

    def for_queue(self) -> "ReportQuerySet":
        """With what the queue marks: acute danger and priority as ranks (0 first), and a reply from the
        reporter that nobody has answered yet (the reporter has the last word in the thread)."""
        answered_after = ReportMessage.objects.filter(
            report=OuterRef("report"), direction=Direction.TO_REPORTER, created_at__gte=OuterRef("created_at")
        )
        unanswered = ReportMessage.objects.filter(report=OuterRef("pk"), direction=Direction.FROM_REPORTER).filter(
            ~Exists(answered_after)
        )
        return (
            self.select_related("municipality", "assignee")
            .prefetch_related("forms")
            .annotate(
                acute_rank=acute_rank(),
                priority_rank=priority_rank(),
                new_reply=Exists(unanswered),
            )
        )

    def search(self, words: str, *, also: Q | None = None) -> "ReportQuerySet":
        """Reports whose text or place contains `words`: PostgreSQL full-text search in Dutch (stems, so
        "uitgebuit" finds "uitbuiting"), a plain contains-search on SQLite; and the reports `also` selects (where
        a typed number was seen, lib/finders.py)."""
        also = also if also is not None else Q(pk__in=[])
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchVector

            vector = SearchVector("description", "place", config="dutch")
            return self.annotate(search=vector).filter(
                Q(search=SearchQuery(words, config="dutch", search_type="websearch")) | also
            )
        found = Q()
        for word in words.split()[:10]:
            found &= Q(description__icontains=word) | Q(place__icontains=word)
        return self.filter(found | also)


class Report(ChoiceLabelsModel):
    """A melding: what someone told the centre, through any channel."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    # A question asked without reporting (the public question form) is a report of its own kind: the same queue,
    # thread and receipt code, but counted as an advice contact in the monitor (insights/figures.py).
    kind = models.CharField(
        _("kind"), max_length=10, choices=ReportKind.choices, default=ReportKind.REPORT, db_default=ReportKind.REPORT
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    reporter_role = models.CharField(_("who is reporting"), max_length=20, choices=ReporterRole.choices)
    contact_preference = models.CharField(
        _("contact"), max_length=10, choices=ContactPreference.choices, default=ContactPreference.ANONYMOUS
    )
    # Reporter identity: visible to intake and case directors only, never to partners; encrypted at rest.
    reporter_name = EncryptedTextField(_("reporter's name"), max_length=200, blank=True)
    reporter_phone = EncryptedTextField(_("reporter's phone"), max_length=40, blank=True)
    reporter_email = EncryptedTextField(
        _("reporter's e-mail"), max_length=254, blank=True, validators=[EmailValidator()]
    )
    contact_safety_note = EncryptedTextField(_("when and how it is safe to contact"), max_length=500, blank=True)
    # The reporter chose e-mail and said a short notice there is safe: when staff write, one neutral notice.
    email_notice = models.BooleanField(_("a notice by e-mail when we answer"), default=False, db_default=False)
    consent_share_identity = models.CharField(
        _("may share the reporter's details with partners"),
        max_length=10,
        choices=YesNoUnknown.choices,
        default=YesNoUnknown.NO,
    )
    description = models.TextField(_("what happened"))
    # Where the exploitation takes place, and where the person it happens to lives: the monitor counts both, since
    # a municipality answers for what happens within it and for the care of those who live there.
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality where it happens"), null=True, blank=True, on_delete=models.PROTECT
    )
    residence_municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality where the person lives"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    when_text = models.CharField(_("when"), max_length=200, blank=True)
    ongoing = models.CharField(
        _("still going on"), max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN
    )
    acute_danger = models.CharField(
        _("acute danger"), max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN
    )
    language = models.CharField(_("language"), max_length=10, default="nl")
    partner_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("reported by organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submitted_reports",
    )

    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.NEW)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_reports",
    )
    forwarded_to = models.ForeignKey(
        Organisation,
        verbose_name=_("forwarded to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forwarded_reports",
    )
    decision_reason = models.TextField(_("triage decision and reason"), blank=True)
    feedback_method = models.CharField(
        _("feedback to the reporter"), max_length=20, choices=FeedbackMethod.choices, blank=True
    )
    feedback_note = models.TextField(_("feedback note"), blank=True)
    feedback_at = models.DateTimeField(_("feedback given at"), null=True, blank=True)
    feedback_interpreter = models.BooleanField(default=False, db_default=False)

    received_at = models.DateTimeField(_("received"), db_index=True)
    # The response terms of the region file applied to this report (reports/terms.py): by when it is triaged (by its
    # priority) and its reporter hears back. Empty where the region sets no term.
    triage_due_at = models.DateTimeField(_("to be triaged by"), null=True, blank=True)
    feedback_due_at = models.DateTimeField(_("feedback due by"), null=True, blank=True)
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entered_reports",
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), related_name="reports", null=True, blank=True, on_delete=models.PROTECT
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Keyed hashes only: the receipt code and the form's one-time token are never stored as such.
    receipt_digest = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    submission_digest = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    # A keyed hash of what was sent (receipts.content_digest): a form token sent again gives back this report's code
    # only with the same content, so the next person on a shared browser never gets it (reports.services.report_submit).
    content_digest = models.CharField(max_length=64, blank=True, editable=False)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["received_at", "id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            # Closed exactly when in a closed state (reports/services.report_change_status keeps them together).
            models.CheckConstraint(
                condition=models.Q(status__in=sorted(OPEN_STATES), closed_at__isnull=True)
                | (~models.Q(status__in=sorted(OPEN_STATES)) & models.Q(closed_at__isnull=False)),
                name="report_closed_at_with_closed_state",
            ),
            # An organisation it was forwarded to only while it stands forwarded.
            models.CheckConstraint(
                condition=models.Q(forwarded_to__isnull=True) | models.Q(status=ReportStatus.FORWARDED),
                name="report_forwarded_to_only_when_forwarded",
            ),
        ]
        indexes = [
            # The triage queue: open reports, oldest first, read 25 at a time from these small indexes,
            # with and without each filter, so a page costs the same at any number of closed reports.
            models.Index(
                fields=["received_at", "id"],
                name="report_open_queue_idx",
                condition=models.Q(status__in=sorted(OPEN_STATES)),
            ),
            # The queue's first order: acute danger, then priority, then the oldest (the same expressions as
            # the queue's ranks, so the database reads the page from the index instead of sorting every open report).
            models.Index(
                acute_rank(),
                priority_rank(),
                models.F("received_at"),
                models.F("id"),
                name="report_open_urgent_idx",
                condition=models.Q(status__in=sorted(OPEN_STATES)),
            ),
            # Each filter of the queue in the queue's first order, so a filter that matches few open reports does not
            # walk every open report to find them.
            *[
                models.Index(
                    models.F(field),
                    acute_rank(),
                    priority_rank(),
                    models.F("received_at"),
                    models.F("id"),
                    name=f"report_open_{field}_idx"[:30],
                    condition=models.Q(status__in=sorted(OPEN_STATES)),
                )
                for field in ("municipality", "priority", "channel", "assignee")
            ],
            models.Index(fields=["status", "received_at"]),
            models.Index(fields=["priority", "received_at"]),
            models.Index(fields=["channel", "received_at"]),
            models.Index(fields=["municipality", "received_at"]),
            models.Index(fields=["assignee", "received_at"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    @property
    def reporter_role_for_staff(self) -> str:
        from .staff_wording import REPORTER_ROLE_FOR_STAFF

        return str(REPORTER_ROLE_FOR_STAFF.get(self.reporter_role, self.get_reporter_role_display()))

    @property
    def contact_preference_for_staff(self) -> str:
        from .staff_wording import CONTACT_PREFERENCE_FOR_STAFF

        return str(CONTACT_PREFERENCE_FOR_STAFF.get(self.contact_preference, self.get_contact_preference_display()))

    @property
    def form_values(self) -> list[str]:
        return [f.form for f in self.forms.all()]

    @property
    def pending_term(self) -> Any:
        from .terms import pending_term

        return pending_term(self)

    def get_form_display_list(self) -> list[Any]:
        return [f.get_form_display() for f in self.forms.all()]


class ReportForm(ChoiceLabelsModel):
    """A form of exploitation suspected in a report (several per report)."""

    report = models.ForeignKey(Report, related_name="forms", on_delete=models.CASCADE)
    form = models.CharField(_("form of exploitation"), max_length=30, choices=exploitation_forms)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "form"], name="unique_report_form")]
        indexes = [models.Index(fields=["form", "report"])]
        ordering = ["form"]

    def __str__(self) -> str:
        return self.get_form_display()


class PersonRole(models.TextChoices):
    POSSIBLE_VICTIM = "possible_victim", _("Possibly exploited")
    SUSPECT = "suspect", _("Possibly exploiting others")
    OTHER = "other", _("Other / don't know")


class ReportPerson(ChoiceLabelsModel):
    """Someone the reporter mentions: as they described them, not (yet) a verified person."""

    report = models.ForeignKey(Report, related_name="persons", on_delete=models.CASCADE)
    role = models.CharField(_("role"), max_length=20, choices=PersonRole.choices, default=PersonRole.OTHER)
    description = models.CharField(_("name or description"), max_length=300)
    age = models.CharField(_("age (estimate)"), max_length=30, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description


class Attachment(models.Model):
    """A file sent with a report: an image (stored without its metadata) or a PDF."""

    report = models.ForeignKey(Report, related_name="attachments", on_delete=models.CASCADE)
    file = models.FileField(upload_to="attachments/%Y/%m/")  # a random name: the file's own name may say who
    original_name = EncryptedTextField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    # Sent by the reporter through the receipt code after the report itself: staff see when it came.
    added_later = models.BooleanField(default=False, db_default=False)
    # The SHA-256 of the stored content, so the same file sent twice (a double click, a reload) is kept once.
    digest = models.CharField(max_length=64, blank=True, default="", db_default="")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class Direction(models.TextChoices):
    TO_REPORTER = "to_reporter", _("To the reporter")
    FROM_REPORTER = "from_reporter", _("From the reporter")


class ReportMessage(ChoiceLabelsModel):
    """A message in the thread between staff and a reporter who follows up with the receipt code."""

    report = models.ForeignKey(Report, related_name="messages", on_delete=models.CASCADE)
    direction = models.CharField(max_length=20, choices=Direction.choices)
    body = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)
    # Recorded per contact: an interpreter helped write or explain this message.
    interpreter_used = models.BooleanField(default=False, db_default=False)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.get_direction_display()}"


class StandardReply(models.Model):
    """A text intake starts a question or feedback to a reporter from, in each visitor language; functional
    administrators keep them. The message is stored as it was sent, so changing a text later changes no thread."""

    title = models.CharField(_("title"), max_length=100, unique=True)
    # Language code -> text, for each of the visitor languages.
    texts = models.JSONField(_("texts"), default=dict)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("standard reply")
        verbose_name_plural = _("standard replies")

    def __str__(self) -> str:
        return self.title


class ReportTransition(ChoiceLabelsModel):
    """One row per status change: the report's history."""

    report = models.ForeignKey(Report, related_name="transitions", on_delete=models.CASCADE)
    transition = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ReportStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_status} -> {self.to_status}"


class ReferenceCounter(models.Model):
    """The last report number used per year, for references like M-2026-00042."""

    year = models.PositiveIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class ReportSignal(models.Model):
    """A signal from the indicator catalogue observed in a report (from the signals check or by staff)."""

    report = models.ForeignKey(Report, related_name="signals", on_delete=models.CASCADE)
    indicator = models.ForeignKey("indicators.Indicator", related_name="report_signals", on_delete=models.PROTECT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="unique_report_signal")]
        ordering = ["indicator__indicator_list__order", "indicator__order"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.indicator_id}"


# Advice contacts are staff-only (their texts in Dutch and English): the model lives in its own module.
from .consultations import Consultation, ConsultationAsker, ConsultationTopic, ProfessionalField  # noqa: E402, F401
