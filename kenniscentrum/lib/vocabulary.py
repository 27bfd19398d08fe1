"""The platform's shared vocabulary: the choices more than one app speaks of, and the states of each workflow.

One home for each term, so a report, a case, a referral and the monitor mean the same by it. Values are stored
codes and never change; where HTCDS 2.0 has a field the values are its own ids (`docs/htcds.md`). A region adds
forms of exploitation in its region file (`exploitation_forms`), without a code change.
"""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from .region import localised, region

# The empty choice of a list on a staff form, instead of Django's "---------", which says nothing to a reader.
CHOOSE = _("Choose …")

# Workflow states ------------------------------------------------------------------------------------------
# The transitions between them are the workflow tables (reports/workflow.py, cases/workflow.py, ...).


class ReportStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_TRIAGE = "in_triage", _("In triage")
    AWAITING_REPORTER = "awaiting_reporter", _("Waiting for the reporter")
    ADVISED = "advised", _("Closed with advice")
    CASE_OPENED = "case_opened", _("Case opened")
    LINKED_TO_CASE = "linked_to_case", _("Linked to a case")
    FORWARDED = "forwarded", _("Forwarded")
    CLOSED_NO_ACTION = "closed_no_action", _("Closed without action")


class CaseStatus(models.TextChoices):
    SCREENING = "screening", _("Screening")
    RISK_ASSESSMENT = "risk_assessment", _("Risk assessment")
    PLAN = "plan", _("Plan of action")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed")
    EVALUATED = "evaluated", _("Evaluated")


class ReferralStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class HandoverStatus(models.TextChoices):
    OFFERED = "offered", _("Offered, waiting for the receiving centre")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Reports and cases ------------------------------------------------------------------------------------------


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    WALK_IN = "walk_in", _("Walk-in")
    PARTNER = "partner", _("Partner organisation")


class ReportKind(models.TextChoices):
    """What a visitor sent: a report (melding), or a question asked without reporting. A question is answered in the
    same thread and followed up with the same receipt code; the monitor counts it as an advice contact, not a
    report."""

    REPORT = "report", _("Report")
    QUESTION = "question", _("Question")


class ReporterRole(models.TextChoices):
    VICTIM = "victim", _("I think it is happening to me")
    CONCERNED = "concerned", _("I am worried about someone (family, friend, neighbour)")
    PROFESSIONAL = "professional", _("I am a professional")
    PERPETRATOR = "perpetrator", _("I want help to stop exploiting others")
    UNKNOWN = "unknown", _("I would rather not say")


class YesNoUnknown(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("I don't know")


class ContactPreference(models.TextChoices):
    ANONYMOUS = "anonymous", _("Anonymous: only through my receipt code")
    PHONE = "phone", _("By phone")
    EMAIL = "email", _("By e-mail")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


# Most urgent first, for the queue's order.
PRIORITY_ORDER = [Priority.URGENT, Priority.HIGH, Priority.NORMAL, Priority.LOW]


class FeedbackMethod(models.TextChoices):
    RECEIPT_MESSAGE = "receipt_message", _("Message readable with the receipt code")
    PHONE = "phone", _("By phone")
    EMAIL = "email", _("By e-mail")
    IN_PERSON = "in_person", _("In person")
    NOT_POSSIBLE = "not_possible", _("Not possible (say why)")


class LegalBasis(models.TextChoices):
    """The ground for sharing personal data with another organisation (sources.md §5.2): not consent alone."""

    CONSENT = "consent", _("Consent of the person")
    VITAL_INTEREST = "vital_interest", _("Vital interest (protecting someone in danger)")
    PUBLIC_TASK = "public_task", _("Public task under the covenant")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation")


class InvolvementRole(models.TextChoices):
    VICTIM = "victim", _("Possible victim")
    # What a reporter or worker thinks, not a status in criminal procedure: "verdachte" is for the police and the
    # public prosecutor (art. 27 Sv; sources.md §7.5). The value stays HTCDS's.
    SUSPECT = "suspect", _("Possible perpetrator")
    OTHER = "other", _("Other involved")


class VictimStatus(models.TextChoices):
    """HTCDS vic_TraffickingStatus."""

    POSSIBLE = "PossibleVictimOfTrafficking", _("Possible victim")
    IDENTIFIED = "ActualVictimOfTrafficking", _("Identified victim")
    NOT_A_VICTIM = "NotAVictimOfTrafficking", _("Not a victim")


class Gender(models.TextChoices):
    """HTCDS prs_Gender."""

    FEMININE = "Feminine", _("Female")
    MASCULINE = "Masculine", _("Male")
    TRANSGENDER_FEMININE = "TransgenderFeminine", _("Transgender female")
    TRANSGENDER_MASCULINE = "TransgenderMasculine", _("Transgender male")
    NON_CONFORMING = "NonConforming", _("Non-conforming")
    UNKNOWN = "NonSpecifiedUnknown", _("Not specified or unknown")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    ACUTE = "acute", _("Acute danger")


class LabourSector(models.TextChoices):
    """The sector of labour exploitation: HTCDS 2.0 `vic_ForcedLabourIndustry` (IOM, 'HTCDS Field Standards 2.0',
    CC BY 4.0; sources.md §3.1), whose values are the 21 sections A-U of ISIC Rev. 4 (UN Statistics Division). The
    Dutch names are those of the same sections in CBS's SBI 2008, which follows ISIC at this level."""

    A = "A_AgricultureForestryAndFishing", _("Agriculture, forestry and fishing")
    B = "B_MiningAndQuarrying", _("Mining and quarrying")
    C = "C_Manufacturing", _("Manufacturing")
    D = "D_ElectricityGasSteamAndAirConditioningSupply", _("Electricity, gas, steam and air conditioning supply")
    E = "E_WaterSupplySewerageWasteManagement", _("Water supply; sewerage, waste management and remediation")
    F = "F_Construction", _("Construction")
    G = (
        "G_WholesaleAndRetailTradeRepairOfMotorVehicles",
        _("Wholesale and retail trade; repair of motor vehicles and motorcycles"),
    )
    H = "H_TransportationAndStorage", _("Transportation and storage")
    I = "I_AccommodationAndFoodServiceActivities", _("Accommodation and food service activities")  # noqa: E741
    J = "J_InformationAndCommunication", _("Information and communication")
    K = "K_FinancialAndInsuranceActivities", _("Financial and insurance activities")
    L = "L_RealEstateActivities", _("Real estate activities")
    M = "M_ProfessionalScientificAndTechnicalActivities", _("Professional, scientific and technical activities")
    N = "N_AdministrativeAndSupportServiceActivities", _("Administrative and support service activities")
    O = "O_PublicAdministrationAndDefence", _("Public administration and defence; compulsory social security")  # noqa: E741
    P = "P_Education", _("Education")
    Q = "Q_HumanHealthAndSocialWorkActivities", _("Human health and social work activities")
    R = "R_ArtsEntertainmentAndRecreation", _("Arts, entertainment and recreation")
    S = "S_OtherServiceActivities", _("Other service activities")
    T = "T_ActivitiesOfHouseholdsAsEmployers", _("Activities of households as employers")
    U = "U_ActivitiesOfExtraterritorialOrganizations", _("Activities of extraterritorial organisations and bodies")


class Border(models.TextChoices):
    """Whether the exploitation crossed a border. HTCDS 2.0 has no such field: a local extension (docs/htcds.md).
    Empty: not known."""

    DOMESTIC = "domestic", _("Within the Netherlands")
    CROSS_BORDER = "cross_border", _("Across a border")


# Forms of exploitation ------------------------------------------------------------------------------------


class ExploitationForm(models.TextChoices):
    """The forms the centre works on (sources.md §1.1) with an 'unsure' choice for reporters.

    HTCDS_TYPE maps each to HTCDS 2.0 vic_TypeOfExploitation; criminal exploitation has no HTCDS
    value and uses the local extension `CriminalExploitation`.
    """

    SEXUAL = "sexual", _("Sexual exploitation")
    LABOUR = "labour", _("Labour exploitation")
    CRIMINAL = "criminal", _("Criminal exploitation")
    ORGAN_REMOVAL = "organ_removal", _("Forced organ removal")
    SURROGACY = "surrogacy", _("Forced surrogacy")
    UNSURE = "unsure", _("Not sure")


# HTCDS 2.0 vic_TypeOfExploitation of each form the law names.
HTCDS_TYPE: dict[str, str] = {
    ExploitationForm.SEXUAL: "SexualExploitation",
    ExploitationForm.LABOUR: "ForcedLabour",
    ExploitationForm.CRIMINAL: "CriminalExploitation",
    ExploitationForm.ORGAN_REMOVAL: "OrganRemoval",
    ExploitationForm.SURROGACY: "Surrogacy",
    ExploitationForm.UNSURE: "Other",
}


def region_forms() -> list[dict[str, Any]]:
    """The forms the region adds (region file `exploitation_forms.extra`), each with its names and source."""
    forms: list[dict[str, Any]] = region().get("exploitation_forms", {}).get("extra", [])
    return forms


def exploitation_forms(*, unsure: bool = True) -> list[tuple[str, str]]:
    """(code, name) of every form in the current language: those the law names, those the region adds, and
    "not sure" last (for reporters; staff lists leave it out with `unsure=False`)."""
    forms = [(f.value, str(f.label)) for f in ExploitationForm if f != ExploitationForm.UNSURE]
    forms += [(f["code"], localised(f["name"])) for f in region_forms()]
    if unsure:
        forms.append((ExploitationForm.UNSURE.value, str(ExploitationForm.UNSURE.label)))
    return forms


def exploitation_form_codes() -> frozenset[str]:
    return frozenset(code for code, _name in exploitation_forms())


def exploitation_form_name(code: str) -> str:
    """The form's name in the current language; a code no longer in the list (a region removed it) stays as it is."""
    return dict(exploitation_forms()).get(code, code)


def htcds_type(code: str) -> str:
    """The HTCDS 2.0 type of exploitation; a region's own form says its own, else "Other"."""
    if code in HTCDS_TYPE:
        return HTCDS_TYPE[code]
    return next((f.get("htcds", "Other") for f in region_forms() if f["code"] == code), "Other")


# The 27 member states of the European Union, by ISO 3166 code (europa.eu/institutions-law-budget/eu-countries, as of
# 2026). The monitor publishes nationality as Dutch, another EU country, outside the EU or not known: the groups
# the reflection period and shelter routes turn on (REFERENCE.md §2.4, §7.6).
EU_MEMBER_STATES = frozenset("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split())
