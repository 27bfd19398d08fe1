"""Cases (casussen): the file the centre directs and its partners carry out together.

Where a field exists in HTCDS 2.0 (sources.md §3.1) its values are HTCDS's own
system ids, so exports map one to one; `docs/htcds.md` lists the mapping and the local extensions.
"""

from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kenniscentrum.lib.encryption import EncryptedTextField
from kenniscentrum.lib.models import ChoiceLabelsModel, HistoryRow, choice_labels
from kenniscentrum.lib.vocabulary import (
    Border,
    CaseStatus,
    Gender,
    HandoverStatus,
    InvolvementRole,
    LabourSector,
    LegalBasis,
    RiskLevel,
    TaskStatus,
    VictimStatus,
    exploitation_form_name,
)
from kenniscentrum.organisations.models import Covenant, Municipality, Organisation, covenant_holds

from .workflow import OPEN

if TYPE_CHECKING:
    from kenniscentrum.accounts.models import User


class MethodOfControl(models.TextChoices):
    """HTCDS vic_MethodsOfControl."""

    PHYSICAL_THREATS = "PhysicalThreats", _("Physical threats")
    THREATS_LAW_ENFORCEMENT = "ThreatsLawEnforcement", _("Threats of law enforcement")
    THREATENS_FAMILY = "ThreatensChildrenFamily", _("Threatens children or family")
    DEBT_BONDAGE = "DebtBondage", _("Debt bondage")
    FALSE_PROMISES = "FalsePromises", _("False promises")
    PHYSICAL_ABUSE = "PhysicalAbuse", _("Physical abuse")
    SEXUAL_ABUSE = "SexualAbuse", _("Sexual abuse")
    TAKES_EARNINGS = "TakesEarnings", _("Takes earnings")
    RESTRICTS_FINANCES = "RestrictsFinancialAccess", _("Restricts financial access")
    RESTRICTS_MEDICAL = "RestrictsMedicalCare", _("Restricts medical care")
    WITHHOLDS_NECESSITIES = "WithholdsNecessities", _("Withholds necessities")
    PSYCHOLOGICAL_ABUSE = "PsychologicalAbuse", _("Psychological abuse")
    PSYCHOACTIVE_SUBSTANCE = "PsychoactiveSubstance", _("Psychoactive substances")
    EXCESSIVE_HOURS = "ExcessiveWorkingHours", _("Excessive working hours")
    WITHHOLDS_DOCUMENTS = "WithholdsDocuments", _("Withholds documents")
    OTHER = "Other", _("Other")


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: "User") -> "CaseQuerySet":
        """Need-to-know: the centre's intake and case directors see every case; a coordinator sees their
        cases; a partner user sees a case only through an active grant for their organisation."""
        if not user.is_authenticated:
            return self.none()
        if user.handles_reports_and_cases:
            return self.all()
        visible = Q(coordinator_user=user)
        if user.has_role("partner") and user.organisation_id:
            grants = AccessGrant.objects.active().filter(case=OuterRef("pk"), organisation_id=user.organisation_id)
            visible |= Q(Exists(grants))
        return self.filter(visible)

    def open(self) -> "CaseQuerySet":
        return self.filter(status__in=OPEN)


class Case(ChoiceLabelsModel):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    title = models.CharField(
        _("working title"), max_length=200, help_text=_("A short description without names, e.g. 'Workers in a shed'.")
    )
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.SCREENING)
    director = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case director"),
        related_name="directed_cases",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    coordinator_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case coordinator"),
        related_name="coordinated_cases",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    coordinator_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("coordinating organisation"),
        related_name="coordinated_cases",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality where it happens"), null=True, blank=True, on_delete=models.PROTECT
    )
    residence_municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality where the possible victim lives"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Codes of lib.vocabulary.exploitation_forms.
    forms = models.JSONField(_("forms of exploitation"), default=list, blank=True)
    # Asked where labour exploitation is among the forms, but kept as given when the forms change: a sector typed
    # once is not lost by unticking and ticking a form. The monitor counts it for labour exploitation only.
    labour_sector = models.CharField(
        _("sector of the labour exploitation"), max_length=60, choices=LabourSector.choices, blank=True
    )
    border = models.CharField(
        _("within the Netherlands or across a border"), max_length=20, choices=Border.choices, blank=True
    )
    act_note = models.TextField(_("act: what was done (recruiting, transporting, housing)"), blank=True)
    means_note = models.TextField(_("means: how (coercion, deception, abuse of vulnerability)"), blank=True)
    purpose_note = models.TextField(_("purpose: the exploitation"), blank=True)
    methods_of_control = models.JSONField(_("methods of control"), default=list, blank=True)
    closure_reason = models.TextField(_("reason for closing"), blank=True)
    evaluation = models.TextField(_("evaluation"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            # A closing moment exactly when closed or evaluated (services.case_change_status).
            models.CheckConstraint(
                condition=models.Q(status__in=sorted(OPEN), closed_at__isnull=True)
                | (~models.Q(status__in=sorted(OPEN)) & models.Q(closed_at__isnull=False)),
                name="case_closed_at_with_closed_state",
            ),
            # Only the values of the lists, or empty for not known: what the monitor counts is what the form offers.
            models.CheckConstraint(
                condition=models.Q(labour_sector__in=["", *LabourSector.values]), name="case_labour_sector_known"
            ),
            models.CheckConstraint(condition=models.Q(border__in=["", *Border.values]), name="case_border_known"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    def get_methods_of_control_display(self) -> list[str]:
        return choice_labels(MethodOfControl.choices, self.methods_of_control)

    @property
    def form_names(self) -> list[str]:
        return [exploitation_form_name(code) for code in self.forms]


class CaseTransition(HistoryRow):
    """One row per step of the case workflow (cases/workflow.py), shown on the timeline."""

    case = models.ForeignKey(Case, related_name="transitions", on_delete=models.CASCADE)
    from_status = models.CharField(max_length=20, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=CaseStatus.choices)

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status} -> {self.to_status}"


class CaseCounter(models.Model):
    """The last case number used per year, for references like C-2026-00007."""

    year = models.PositiveIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


# Persons ---------------------------------------------------------------------------------------------


class Person(models.Model):
    """Someone involved in one or more cases (HTCDS Person). Only what the case needs is recorded."""

    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    aliases = models.CharField(_("aliases and nicknames"), max_length=300, blank=True)
    birthdate = models.DateField(_("date of birth"), null=True, blank=True)
    estimated_age = models.PositiveSmallIntegerField(_("estimated age"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=25, choices=Gender.choices, default=Gender.UNKNOWN)
    # ISO 3166-1 alpha-2 codes (HTCDS prs_Citizenship) and ISO 639-1 codes (prs_PrimaryLanguage, ...).
    nationalities = models.JSONField(_("nationalities"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=12, blank=True)
    city = models.CharField(_("town"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return name or self.aliases or f"#{self.pk}"

    def age_on(self, day: date) -> int | None:
        if self.birthdate is None:
            return self.estimated_age
        years = day.year - self.birthdate.year
        return years - ((day.month, day.day) < (self.birthdate.month, self.birthdate.day))


# What staff may change about a person: the person form's fields, and all person_update accepts.
PERSON_FIELDS = (
    "first_name",
    "last_name",
    "aliases",
    "birthdate",
    "estimated_age",
    "gender",
    "nationalities",
    "languages",
    "phone",
    "email",
    "street",
    "postal_code",
    "city",
    "country",
)


class Relation(models.TextChoices):
    """How an 'other involved' person relates to the case (local list; HTCDS has none for this)."""

    PARENT = "parent", _("Parent or carer")
    FAMILY = "family", _("Family member")
    PARTNER = "partner", _("Partner")
    EMPLOYER = "employer", _("Employer")
    LANDLORD = "landlord", _("Landlord")
    AGENCY = "agency", _("Employment agency")
    WITNESS = "witness", _("Witness")
    PROFESSIONAL = "professional", _("Professional")
    OTHER = "other", _("Other")


class RoleInProcess(models.TextChoices):
    """HTCDS per_RoleInProcess: a possible perpetrator's part in the exploitation."""

    TRAVELLING_PARTNER = "TravellingPartner", _("Travelling partner")
    TRANSPORTER = "Transporter", _("Transporter")
    RECRUITER = "RecruiterOrIntermediary", _("Recruiter or intermediary")
    BROKER = "BrokerTravelAgent", _("Broker or travel agent")
    SMUGGLER = "Smuggler", _("Smuggler")
    ABUSER = "Abuser", _("Abuser")
    KIDNAPPER = "Kidnapper", _("Kidnapper")
    EXPLOITER = "Exploiter", _("Exploiter")
    OTHER = "Other", _("Other")


class DecidingBody(models.TextChoices):
    """HTCDS vic_TraffickingStatusDecisionMakingOrg."""

    POLICE = "Police", _("Police")
    NGO = "NGO", _("Non-governmental organisation")
    COURT_OR_PROSECUTION = "CourtOrProsecution", _("Court or prosecution")
    GOVERNMENT = "NonPoliceGovernmentalOrganization", _("Government body other than the police")
    OTHER = "Other", _("Other")


class Involvement(ChoiceLabelsModel):
    """A person's role in one case. One person can be in several cases, and in more than one role."""

    case = models.ForeignKey(Case, related_name="involvements", on_delete=models.CASCADE)
    person = models.ForeignKey(Person, related_name="involvements", on_delete=models.PROTECT)
    role = models.CharField(_("role"), max_length=10, choices=InvolvementRole.choices)
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices, blank=True)
    roles_in_process = models.JSONField(_("role in the process"), default=list, blank=True)
    age_at_start = models.PositiveSmallIntegerField(
        _("age when the exploitation started"),
        null=True,
        blank=True,
        help_text=_("Decides the legal test: under 18, no means of coercion is needed."),
    )
    victim_status = models.CharField(
        _("victim status"), max_length=40, choices=VictimStatus.choices, blank=True, default=""
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["role", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "person", "role"], name="unique_involvement")]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"

    def get_roles_in_process_display(self) -> list[str]:
        return choice_labels(RoleInProcess.choices, self.roles_in_process)

    @property
    def minor(self) -> bool:
        """The minors rule (art. 273f Sr): under 18 at the start of the exploitation, no means is needed."""
        return self.age_at_start is not None and self.age_at_start < 18


class VictimStatusChange(ChoiceLabelsModel):
    """The history of a victim status: what was decided, by which kind of body, recorded by whom."""

    involvement = models.ForeignKey(Involvement, related_name="status_changes", on_delete=models.CASCADE)
    status = models.CharField(_("victim status"), max_length=40, choices=VictimStatus.choices)
    decided_by = models.CharField(_("decided by"), max_length=40, choices=DecidingBody.choices)
    deciding_organisation = models.ForeignKey(
        Organisation, verbose_name=_("deciding organisation"), null=True, blank=True, on_delete=models.PROTECT
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.involvement_id}: {self.status}"


class ComenshaRegistrationKind(models.TextChoices):
    """The three kinds of registration file CoMensha keeps (sources.md §7.1)."""

    REGISTRATION = "registration", _("Registration")
    SHELTER = "registration_shelter", _("Registration and shelter")
    INFORMATION = "registration_information", _("Registration, information and advice")


class ComenshaRegistration(ChoiceLabelsModel):
    """A possible victim's registration with CoMensha, which registers possible victims for the Ministry of Justice and
    Security (sources.md §1.5, §7.1): when, by whom, on what ground, and CoMensha's own reference once given."""

    involvement = models.OneToOneField(Involvement, related_name="comensha", on_delete=models.CASCADE)
    kind = models.CharField(_("kind of registration"), max_length=30, choices=ComenshaRegistrationKind.choices)
    registered_on = models.DateField(_("registered on"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices)
    comensha_reference = models.CharField(_("CoMensha's reference"), max_length=50, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("CoMensha registration")

    def __str__(self) -> str:
        return f"{self.involvement_id}: {self.kind}"


class ReflectionRoute(models.TextChoices):
    """Which rules apply (sources.md §2.4): the B8/3 regulation, or the other conditions for EU, EEA and Swiss
    nationals, or for people under temporary protection; recorded as such, not judged here."""

    B8_3 = "b8_3", _("B8/3 regulation")
    EU = "eu", _("EU, EEA or Swiss national: other conditions")
    TEMPORARY_PROTECTION = "temporary_protection", _("Under temporary protection: other conditions")


class ReflectionAnswer(models.TextChoices):
    PENDING = "pending", _("Not decided yet")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Cooperation(models.TextChoices):
    NONE = "", _("Not yet")
    REPORT = "police_report", _("Report to the police (aangifte)")
    OTHER = "other_cooperation", _("Cooperation in another way")


# At most three months of reflection period (sources.md §2.4).
REFLECTION_MONTHS = 3


class ReflectionPeriod(ChoiceLabelsModel):
    """A foreign possible victim's reflection period and what follows (sources.md §2.4): offered when and by whom,
    the answer, start and end (at most three months), a report to the police or other cooperation, the permit."""

    involvement = models.OneToOneField(Involvement, related_name="reflection", on_delete=models.CASCADE)
    route = models.CharField(_("route"), max_length=30, choices=ReflectionRoute.choices, default=ReflectionRoute.B8_3)
    offered_on = models.DateField(_("offered on"))
    offered_by = models.ForeignKey(
        Organisation, verbose_name=_("offered by"), null=True, blank=True, on_delete=models.PROTECT
    )
    answer = models.CharField(_("answer"), max_length=10, choices=ReflectionAnswer.choices)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    cooperation = models.CharField(_("cooperation"), max_length=20, choices=Cooperation.choices, blank=True)
    cooperation_on = models.DateField(_("cooperation since"), null=True, blank=True)
    permit_applied_on = models.DateField(_("permit applied for on"), null=True, blank=True)
    permit_status = models.CharField(_("permit status"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="reflection_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.involvement_id}: {self.answer}"


class ShelterKind(models.TextChoices):
    # Categorical shelter for victims (COSM) is placed exclusively through CoMensha (sources.md §7.1).
    CATEGORICAL = "categorical", _("Categorical shelter (placed through CoMensha)")
    OTHER = "other", _("Other shelter")


class ShelterPlacement(ChoiceLabelsModel):
    """Where a possible victim stays: a placement from its first day to its last; a re-placement is a new one that
    ends the one before on its first day. At most one placement runs at a time (a database rule)."""

    involvement = models.ForeignKey(Involvement, related_name="placements", on_delete=models.CASCADE)
    kind = models.CharField(_("kind of shelter"), max_length=20, choices=ShelterKind.choices)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("shelter organisation"), null=True, blank=True, on_delete=models.PROTECT
    )
    placed_on = models.DateField(_("placed on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["placed_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["involvement"], condition=models.Q(left_on__isnull=True), name="one_running_placement"
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True) | models.Q(left_on__gte=models.F("placed_on")),
                name="placement_left_after_placed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.involvement_id}: {self.kind} {self.placed_on}"


# Handover between regions ----------------------------------------------------------------------------


class HandoverDirection(models.TextChoices):
    OUTGOING = "outgoing", _("To another region")
    INCOMING = "incoming", _("From another region")


class HandoverPart(models.TextChoices):
    """What a handover summary can hold; the legal basis decides which of them may go (cases/handover.py)."""

    IDENTITY = "identity", _("Who the possible victims are (name, date of birth, gender, nationality)")
    SAFETY = "safety", _("Safety points")
    CONCERNS = "concerns", _("The concerns: forms of exploitation and the summary")
    PLAN = "plan", _("The plan of action: goals and open tasks")
    TRAJECTORY = "trajectory", _("The trajectory: CoMensha registration, reflection period, shelter")
    RISK = "risk", _("The latest risk assessment")
    ORGANISATIONS = "organisations", _("The organisations involved")


class Handover(ChoiceLabelsModel):
    """A case, or one possible victim's trajectory, handed to another region's centre or received from one: to or
    from whom, why, when, on what legal basis and what was shared. The receiving side accepts or declines
    (HANDOVER_FLOW); an accepted handover moves the responsibility (services.handover_step)."""

    case = models.ForeignKey(Case, related_name="handovers", on_delete=models.CASCADE)
    # One possible victim's trajectory; empty for the whole case.
    involvement = models.ForeignKey(
        Involvement,
        verbose_name=_("possible victim"),
        related_name="handovers",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    direction = models.CharField(_("direction"), max_length=10, choices=HandoverDirection.choices)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("other region's centre"), related_name="handovers", on_delete=models.PROTECT
    )
    status = models.CharField(
        _("status"), max_length=10, choices=HandoverStatus.choices, default=HandoverStatus.OFFERED
    )
    handed_on = models.DateField(_("date"))
    reason = models.TextField(_("reason"))
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices)
    # HandoverPart codes: what was shared (outgoing) or received (incoming).
    parts = models.JSONField(_("what is shared"), default=list)
    # Incoming: what the other centre sent, in short, as received.
    received = models.TextField(_("what was received"), blank=True)
    # The receiving side's answer: who accepted there and how, or why it declined (HANDOVER_FLOW text_field).
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # One handover at a time waits for an answer, per case and per trajectory.
            models.UniqueConstraint(
                "case",
                Coalesce("involvement", 0),
                condition=models.Q(status="offered"),
                name="one_offered_handover",
            ),
            # An answer exactly when answered.
            models.CheckConstraint(
                condition=models.Q(status="offered", answered_at__isnull=True)
                | (~models.Q(status="offered") & models.Q(answered_at__isnull=False)),
                name="handover_answered_at_with_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.direction} {self.organisation_id}"

    @property
    def is_outgoing(self) -> bool:
        return self.direction == HandoverDirection.OUTGOING

    def get_parts_display(self) -> list[str]:
        return choice_labels(HandoverPart.choices, self.parts)


class HandoverTransition(HistoryRow):
    """One row per step of a handover (cases/workflow.py HANDOVER_FLOW), shown on the case's timeline."""

    handover = models.ForeignKey(Handover, related_name="transitions", on_delete=models.CASCADE)
    from_status = models.CharField(max_length=10, choices=HandoverStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=HandoverStatus.choices)

    def __str__(self) -> str:
        return f"{self.handover_id}: {self.from_status} -> {self.to_status}"


# Assessment ------------------------------------------------------------------------------------------


class CaseSignal(models.Model):
    """A signal from the catalogue observed in the case; its legal element files it under act, means or purpose."""

    case = models.ForeignKey(Case, related_name="signals", on_delete=models.CASCADE)
    indicator = models.ForeignKey("indicators.Indicator", related_name="case_signals", on_delete=models.PROTECT)
    note = models.CharField(_("observation"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["indicator__indicator_list__order", "indicator__order"]
        constraints = [models.UniqueConstraint(fields=["case", "indicator"], name="unique_case_signal")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.indicator_id}"


class SafetyFlagKind(models.TextChoices):
    NO_CONTACT_AT_HOME = "no_contact_at_home", _("Do not contact at home")
    THREAT = "threat", _("Threatened by possible perpetrators")
    INTERPRETER = "interpreter", _("Interpreter needed")
    OTHER = "other", _("Other safety point")


class SafetyFlagQuerySet(models.QuerySet["SafetyFlag"]):
    def active(self) -> "SafetyFlagQuerySet":
        return self.filter(ended_at=None)


class SafetyFlag(ChoiceLabelsModel):
    """What everyone who works on a case must know before acting: shown at the top of every page about the case or
    the person, to all who see that case (partners included: it is about safety, not about the case's content)."""

    case = models.ForeignKey(Case, related_name="safety_flags", on_delete=models.CASCADE)
    # About one person in the case, or about the case as a whole.
    person = models.ForeignKey(
        Person, verbose_name=_("person"), null=True, blank=True, related_name="safety_flags", on_delete=models.CASCADE
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SafetyFlagKind.choices)
    # For an interpreter: the language (ISO 639-1).
    language = models.CharField(_("language"), max_length=2, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = SafetyFlagQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="interpreter") | ~models.Q(language=""),
                name="safety_interpreter_has_language",
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class RiskAssessment(ChoiceLabelsModel):
    """A risk assessment (risicotaxatie); repeated over time, the latest one counts."""

    case = models.ForeignKey(Case, related_name="risk_assessments", on_delete=models.CASCADE)
    level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices)
    factors = models.TextField(_("risk factors"))
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assessed by"), null=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.level} ({self.assessed_on})"


# Plan of action --------------------------------------------------------------------------------------


class Goal(models.Model):
    case = models.ForeignKey(Case, related_name="goals", on_delete=models.CASCADE)
    text = models.CharField(_("goal"), max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


def _internal_for(user: "User") -> Q:
    """The cases whose internal notes and documents `user` reads: within the centre, the cases they steer or
    coordinate. Internal notes and documents stay within the centre."""
    if not user.in_centre:
        return Q(pk__in=[])
    return Q() if user.handles_reports_and_cases else Q(case__coordinator_user=user)


class CaseContentQuerySet(models.QuerySet[Any]):
    """Notes and documents: of the cases the user sees, the shared ones, the user's own personal notes, and the
    internal ones for the centre's side of the case. One rule, for the case page and any list."""

    def visible_to(self, user: "User") -> Any:
        if not user.is_authenticated:
            return self.none()
        readable = Q(visibility=Visibility.SHARED) | (Q(visibility=Visibility.INTERNAL) & _internal_for(user))
        if self.model is Note:
            readable |= Q(visibility=Visibility.PERSONAL, author=user)
        return self.filter(readable, case__in=Case.objects.visible_to(user))


class TaskQuerySet(models.QuerySet["Task"]):
    def visible_to(self, user: "User") -> "TaskQuerySet":
        """The tasks of the cases the user sees; a partner sees only those addressed to them or their
        organisation (the centre's side of the case sees all)."""
        if not user.is_authenticated:
            return self.none()
        cases = Case.objects.visible_to(user)
        if user.handles_reports_and_cases:
            return self.filter(case__in=cases)
        own = Q(case__coordinator_user=user) | Q(owner_user=user)
        if user.organisation_id:
            own |= Q(owner_organisation_id=user.organisation_id)
        return self.filter((own & Q(case__in=cases)) | addressed_only(user))

    def with_case_shown(self, user: "User") -> "TaskQuerySet":
        """Each task with `case_shown`: whether the user may open its case, or sees the task alone."""
        return self.annotate(case_shown=Exists(Case.objects.visible_to(user).filter(pk=OuterRef("case_id"))))

    def owned_by(self, user: "User") -> "TaskQuerySet":
        """Tasks for this user, or for their organisation."""
        mine = Q(owner_user=user)
        if user.organisation_id:
            mine |= Q(owner_user=None, owner_organisation_id=user.organisation_id)
        return self.filter(mine)

    def overdue(self, today: date | None = None) -> "TaskQuerySet":
        return self.filter(status=TaskStatus.OPEN, due_date__lt=today or timezone.localdate())


def addressed_only(user: "User") -> Q:
    """The tasks given to the user, or to their partner organisation, in a case they have no access to: each is
    shown alone, what it asks, by when and the case's reference, and nothing else of the case (finding 9: a meeting
    gives the police an action without giving it the case file). While it is open in an open case, the
    organisation's access to the case was not revoked since the task was made (the rule of referrals), and, for a
    partner, a covenant in force covers sharing with its organisation."""
    if not user.organisation_id:
        return Q(pk__in=[])
    mine = Q(owner_user=user)
    if user.has_role("partner"):
        mine |= Q(owner_user=None, owner_organisation_id=user.organisation_id)
    revoked_since = AccessGrant.objects.filter(
        case=OuterRef("case"), organisation_id=user.organisation_id, revoked_at__gte=OuterRef("created_at")
    )
    addressed = mine & Q(status=TaskStatus.OPEN, case__status__in=sorted(OPEN)) & ~Q(Exists(revoked_since))
    if user.in_centre:
        return addressed
    covered = Covenant.objects.in_force().filter(parties=user.organisation_id)
    return addressed & Q(Exists(covered))


class PracticalSupport(models.TextChoices):
    """What a task of the plan arranges for a possible victim, where it is practical support (sources.md §7.1: the
    care coordinator's work from registration to handover)."""

    BRP = "brp", _("Registration in the BRP (municipal records)")
    HEALTH_INSURANCE = "health_insurance", _("Health insurance")
    INCOME = "income", _("Income or benefits")
    LEGAL_AID = "legal_aid", _("Legal aid")
    INTERPRETER = "interpreter", _("Interpreter")
    MEDICAL = "medical", _("Medical care")
    SCHOOL_OR_WORK = "school_or_work", _("School or work")


class Task(ChoiceLabelsModel):
    """An action of the plan, owned by a user or by a partner organisation."""

    case = models.ForeignKey(Case, related_name="tasks", on_delete=models.CASCADE)
    goal = models.ForeignKey(Goal, verbose_name=_("goal"), null=True, blank=True, on_delete=models.SET_NULL)
    title = models.CharField(_("task"), max_length=300)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner (person)"),
        related_name="tasks",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("owner (organisation)"),
        related_name="tasks",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    # Practical support for a possible victim this task arranges, if any.
    support = models.CharField(
        _("practical support"), max_length=20, choices=PracticalSupport.choices, blank=True, db_default=""
    )
    decision = models.ForeignKey(
        "meetings.Decision", related_name="tasks", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", null=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"])]
        constraints = [
            # Exactly one owner: a person or an organisation (services.task_add).
            models.CheckConstraint(
                condition=models.Q(owner_user__isnull=False, owner_organisation__isnull=True)
                | models.Q(owner_user__isnull=True, owner_organisation__isnull=False),
                name="task_exactly_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner_label(self) -> str:
        if self.owner_user_id:
            return str(self.owner_user.display_name)  # type: ignore[union-attr]
        return str(self.owner_organisation or "")

    @property
    def is_overdue(self) -> bool:
        return self.status == TaskStatus.OPEN and self.due_date is not None and self.due_date < timezone.localdate()


class TaskTransition(HistoryRow):
    """One row per step of a task (cases/workflow.py TASK_FLOW): done, cancelled, open again."""

    task = models.ForeignKey(Task, related_name="transitions", on_delete=models.CASCADE)
    from_status = models.CharField(max_length=10, choices=TaskStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=TaskStatus.choices)

    def __str__(self) -> str:
        return f"{self.task_id}: {self.from_status} -> {self.to_status}"


# Notes and documents ---------------------------------------------------------------------------------


class Visibility(models.TextChoices):
    INTERNAL = "internal", _("Internal to the centre")
    SHARED = "shared", _("Shared with organisations that have access")
    PERSONAL = "personal", _("Personal (only me)")


class Note(ChoiceLabelsModel):
    case = models.ForeignKey(Case, related_name="notes", on_delete=models.CASCADE)
    body = models.TextField(_("note"))
    visibility = models.CharField(_("visible to"), max_length=10, choices=Visibility.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CaseContentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.body[:40]}"


class Document(ChoiceLabelsModel):
    """A file in the case: stored outside the web root, downloaded through an audited view."""

    case = models.ForeignKey(Case, related_name="documents", on_delete=models.CASCADE)
    file = models.FileField(upload_to="cases/%Y/%m/")  # a random name: the file's own name may say who it is about
    original_name = EncryptedTextField(_("name"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    visibility = models.CharField(
        _("visible to"), max_length=10, choices=Visibility.choices[:2], default=Visibility.INTERNAL
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CaseContentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name


# Need-to-know sharing --------------------------------------------------------------------------------


class AccessGrantQuerySet(models.QuerySet["AccessGrant"]):
    def active(self, today: date | None = None) -> "AccessGrantQuerySet":
        """The grants that give access today: the one rule every page, list and API call asks (through
        `Case.objects.visible_to` and `access.case_part`). Not revoked, within its dates, its organisation active,
        and its covenant in force with the organisation still a party to it: taking an organisation off a covenant,
        moving the covenant's start into the future or making the organisation inactive ends the access at once
        (issue 16; probe finding 8). Grants from before the register name no covenant."""
        today = today or timezone.localdate()
        return (
            self.filter(revoked_at=None, valid_from__lte=today, organisation__active=True)
            .filter(Q(valid_until=None) | Q(valid_until__gte=today))
            .filter(covenant_holds(today))
        )

    def with_activity(self) -> "AccessGrantQuerySet":
        """Each grant with `active_now`, judged by `active()`, for a page that lists ended grants beside active ones."""
        return self.annotate(active_now=Exists(AccessGrant.objects.active().filter(pk=OuterRef("pk"))))


class TrajectoryPart(models.TextChoices):
    """The parts of a possible victim's trajectory a grant's purpose may cover for a partner."""

    COMENSHA = "comensha", _("Registration with CoMensha")
    REFLECTION = "reflection", _("Reflection period (B8/3) and residence")
    SHELTER = "shelter", _("Shelter")


class AccessGrant(ChoiceLabelsModel):
    """Lets one organisation's partner users see one case, for a purpose, on a legal basis, until a date; and of the
    possible victims' trajectory, what the purpose covers (`covers`), nothing else."""

    case = models.ForeignKey(Case, related_name="grants", on_delete=models.CASCADE)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), related_name="grants", on_delete=models.PROTECT
    )
    purpose = models.CharField(_("purpose"), max_length=300)
    # TrajectoryPart codes: the parts of the trajectory the purpose covers (a shelter sees the placements).
    covers = models.JSONField(_("also covers"), default=list, blank=True, db_default=[])
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices)
    covenant = models.ForeignKey(
        Covenant, verbose_name=_("covenant"), related_name="grants", null=True, on_delete=models.PROTECT
    )
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("granted by"), on_delete=models.PROTECT)
    valid_from = models.DateField(_("from"), default=timezone.localdate)
    valid_until = models.DateField(_("until"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AccessGrantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "case"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("valid_from")),
                name="grant_valid_until_not_before_valid_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.case}"

    def get_covers_display(self) -> list[str]:
        return choice_labels(TrajectoryPart.choices, self.covers)

    @property
    def ends_on(self) -> date | None:
        """The last day of access: the grant's own end date, or its covenant's when that comes first."""
        ends = [day for day in (self.valid_until, self.covenant.ends_on if self.covenant else None) if day]
        return min(ends) if ends else None

    @property
    def covenant_ended(self) -> bool:
        return bool(self.covenant and self.covenant.ends_on and self.covenant.ends_on < timezone.localdate())
