"""Counting: what each report, case and advice contact adds to the monthly figures, recounting them from the records
(`figures_refresh`), and keeping the contribution of records that retention is about to delete (`figures_keep`).

One function counts a record's contribution (`contributions`), so the figures counted from the records and the figures
kept after retention can never be counted two ways. The monitor reads only the Figure table: small, whatever the
number of records.
"""

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import Exists, F, Min, OuterRef, QuerySet, Subquery
from django.utils import timezone

from kenniscentrum.cases.models import (
    Case,
    CaseTransition,
    Cooperation,
    Involvement,
    ReflectionAnswer,
    ShelterKind,
    ShelterPlacement,
)
from kenniscentrum.lib.vocabulary import (
    EU_MEMBER_STATES,
    Border,
    CaseStatus,
    Channel,
    ExploitationForm,
    Gender,
    InvolvementRole,
    LabourSector,
    ReporterRole,
    ReportKind,
    ReportStatus,
)
from kenniscentrum.referrals.models import Referral
from kenniscentrum.reports.models import Consultation, ConsultationAsker, Report, ReportForm, ReportTransition

from .models import Figure, FigureSource

# The CTDC's broad age bands (REFERENCE.md §3.2, `ageBroad`): the monitor and the record-level export use the same.
AGE_BANDS = [(0, 8, "0--8"), (9, 17, "9--17"), (18, 20, "18--20"), (21, 23, "21--23"), (24, 26, "24--26"),
             (27, 29, "27--29"), (30, 38, "30--38"), (39, 47, "39--47"), (48, 200, "48+")]  # fmt: skip
UNKNOWN = "unknown"
# A report is triaged once it leaves these states for a decision.
UNDECIDED = {ReportStatus.NEW, ReportStatus.IN_TRIAGE}
CLOSED_CASE = {CaseStatus.CLOSED, CaseStatus.EVALUATED}
# The values of each measure of a possible victim's trajectory, every one in the tables in this order.
NONE = "none"
# Trajectory measures that depend on each other: categorical shelter is placed through CoMensha, and cooperation is
# recorded with a reflection period. Each pair is also counted together, so it can be published as one table.
JOINED = [("victims.comensha", "victims.shelter"), ("victims.reflection", "victims.cooperation")]
# Placed in both kinds of shelter: one value, so each possible victim counts once and the table adds up to the
# possible victims (a victim counted in each kind would link the rows to the total by more than a sum).
BOTH_SHELTERS = "both"
TRAJECTORY = {
    "victims.comensha": ["registered", "not_registered"],
    "victims.reflection": ["not_offered", *ReflectionAnswer.values],
    "victims.cooperation": [c for c in Cooperation.values if c] + [NONE],
    "victims.shelter": [*ShelterKind.values, BOTH_SHELTERS, NONE],
    "victims.sector": [*LabourSector.values, UNKNOWN],
    "victims.border": [*Border.values, UNKNOWN],
}


class Cell(NamedTuple):
    month: date
    municipality: str
    measure: str
    value: str


def month_of(moment: datetime | date) -> date:
    day = timezone.localtime(moment).date() if isinstance(moment, datetime) else moment
    return day.replace(day=1)


def age_band(age: int | None) -> str:
    if age is None:
        return UNKNOWN
    return next(label for low, high, label in AGE_BANDS if low <= age <= high)


def nationality_group(nationalities: list[str] | None) -> str:
    """The first nationality as published: Dutch, another EU country, outside the EU, or not known."""
    first = (nationalities or [""])[0].upper()[:2]
    if not first:
        return UNKNOWN
    return "NL" if first == "NL" else "EU" if first in EU_MEMBER_STATES else "non_EU"


def days_between(start: datetime, end: datetime | None) -> str | None:
    """Whole days from `start` to `end`, as a figure's value; None when it has not happened (yet)."""
    if end is None:
        return None
    return str(max((end - start).days, 0))


def report_contributions(reports: "QuerySet[Report]") -> Counter[Cell]:
    """Each report counts once in the month it was received, in the municipality where it happens: by channel, by
    reporter, by form, by where the person lives, through the funnel, and with its lead times. A question asked without
    reporting is not a report: it counts as an advice contact (question_contributions)."""
    reports = reports.filter(kind=ReportKind.REPORT)
    decided = ReportTransition.objects.filter(report=OuterRef("pk")).exclude(to_status__in=UNDECIDED)
    referred = Referral.objects.filter(case=OuterRef("case"))
    rows = reports.annotate(
        triaged_at=Subquery(decided.order_by("created_at").values("created_at")[:1]),
        referred=Exists(referred),
        code=F("municipality__cbs_code"),
        residence=F("residence_municipality__cbs_code"),
        case_opened=F("case__created_at"),
        case_status=F("case__status"),
    ).values_list(
        "pk", "received_at", "code", "residence", "channel", "reporter_role", "status", "case_id", "feedback_at",
        "triaged_at", "referred", "case_opened", "case_status",
    )  # fmt: skip
    forms: dict[int, list[str]] = {}
    for report_id, form in ReportForm.objects.filter(report__in=reports).values_list("report_id", "form"):
        forms.setdefault(report_id, []).append(form)
    counts: Counter[Cell] = Counter()
    for pk, received, code, residence, channel, role, status, case_id, feedback_at, triaged_at, referred, opened, \
            case_status in rows.iterator(chunk_size=5000):  # fmt: skip
        month, where = month_of(received), code or ""
        triaged = triaged_at is not None or status not in UNDECIDED
        counted = [
            ("reports", ""),
            ("reports.channel", channel),
            ("reports.reporter_role", role),
            ("reports.residence", residence or ""),
            ("funnel", "reported"),
        ]
        counted += [("reports.form", form) for form in forms.get(pk, [UNKNOWN])]
        counted += [("funnel", "triaged")] if triaged else []
        counted += [("funnel", "case")] if case_id else []
        counted += [("funnel", "referral")] if referred else []
        counted += [("funnel", "closed")] if case_status in CLOSED_CASE else []
        counted += [("funnel", "feedback")] if feedback_at else []
        for measure, end in (("days.triage", triaged_at), ("days.feedback", feedback_at), ("days.case", opened)):
            days = days_between(received, end)
            counted += [(measure, days)] if days is not None else []
        counts.update(Cell(month, where, measure, value) for measure, value in counted)
    return counts


def case_contributions(cases: "QuerySet[Case]") -> Counter[Cell]:
    """Each case counts in the month it was opened, in the municipality where it happens: by form and where the
    possible victim lives, with the days it spent in each state it has left; its possible victims and perpetrators;
    and its referrals in the month each was made."""
    counts: Counter[Cell] = Counter()
    where: dict[int, tuple[date, str]] = {}
    for pk, opened, code, residence, forms in cases.values_list(
        "pk", "created_at", "municipality__cbs_code", "residence_municipality__cbs_code", "forms"
    ).iterator(chunk_size=5000):
        month, place = month_of(opened), code or ""
        where[pk] = (month, place)
        counts[Cell(month, place, "cases", "")] += 1
        counts[Cell(month, place, "cases.residence", residence or "")] += 1
        for form in forms or [UNKNOWN]:
            counts[Cell(month, place, "cases.form", form)] += 1
    steps: dict[int, list[tuple[datetime, str]]] = {}
    for case_id, at, state in CaseTransition.objects.filter(case__in=cases).values_list(
        "case_id", "created_at", "to_status"
    ):
        steps.setdefault(case_id, []).append((at, state))
    for case_id, history in steps.items():
        history.sort()
        month, place = where[case_id]
        for (start, state), (end, _next) in zip(history, history[1:], strict=False):
            counts[Cell(month, place, f"days.state.{state}", str(max((end - start).days, 0)))] += 1
    involvements = Involvement.objects.filter(
        case__in=cases, role__in=[InvolvementRole.VICTIM, InvolvementRole.SUSPECT]
    )
    for case_id, role, age, gender, nationalities, processes, forms in involvements.values_list(
        "case_id", "role", "age_at_start", "person__gender", "person__nationalities", "roles_in_process", "case__forms"
    ).iterator(chunk_size=5000):
        month, place = where[case_id]
        if role == InvolvementRole.SUSPECT:
            counts[Cell(month, place, "suspects", "")] += 1
            for process in processes or [UNKNOWN]:
                counts[Cell(month, place, "suspects.role", process)] += 1
            continue
        counted = [
            ("victims", ""),
            ("victims.age_band", age_band(age)),
            ("victims.minor", UNKNOWN if age is None else "yes" if age < 18 else "no"),
            ("victims.gender", gender or Gender.UNKNOWN),
            ("victims.nationality", (nationalities or [UNKNOWN])[0]),
            # Nationality group and age band together: the published age bands, "minor", nationality and the four
            # groups (Dutch or not, minor or adult) are all sums of these (publication.py).
            ("victims.nat_age", f"{nationality_group(nationalities)}|{age_band(age)}"),
        ]
        counted += [("victims.form", form) for form in forms or [UNKNOWN]]
        counts.update(Cell(month, place, measure, value) for measure, value in counted)
    counts += victim_trajectory_contributions(cases, where)
    for case_id, made, organisation, kind, status in Referral.objects.filter(case__in=cases).values_list(
        "case_id", "created_at", "organisation__name", "organisation__type", "status"
    ):
        place = where[case_id][1]
        counts[Cell(month_of(made), place, "referrals", "")] += 1
        counts[Cell(month_of(made), place, "referrals.partner", organisation[:100])] += 1
        counts[Cell(month_of(made), place, "referrals.partner_type", kind)] += 1
        counts[Cell(month_of(made), place, "referrals.outcome", status)] += 1
    return counts


def victim_trajectory_contributions(cases: "QuerySet[Case]", where: dict[int, tuple[date, str]]) -> Counter[Cell]:
    """Each possible victim of these cases counts once, in the month and municipality of their case (`where`), in
    each of: registered with CoMensha or not; the answer to a reflection period, or none offered; a report to the
    police, other cooperation, or none; the sector of labour exploitation (only where labour exploitation is among
    the case's forms); within the Netherlands or across a border; the kind of shelter they were placed in, both kinds,
    or none."""
    counts: Counter[Cell] = Counter()
    victims = Involvement.objects.filter(case__in=cases, role=InvolvementRole.VICTIM)
    kinds: dict[int, set[str]] = {}
    for involvement_id, kind in ShelterPlacement.objects.filter(involvement__in=victims).values_list(
        "involvement_id", "kind"
    ):
        kinds.setdefault(involvement_id, set()).add(kind)
    for pk, case_id, registration, answer, cooperation, forms, sector, border in victims.values_list(
        "pk", "case_id", "comensha__pk", "reflection__answer", "reflection__cooperation", "case__forms",
        "case__labour_sector", "case__border",
    ).iterator(chunk_size=5000):  # fmt: skip
        month, place = where[case_id]
        counted = [
            ("victims.comensha", "registered" if registration else "not_registered"),
            ("victims.reflection", answer or "not_offered"),
            ("victims.cooperation", cooperation or NONE),
            ("victims.border", border or UNKNOWN),
        ]
        placed = kinds.get(pk, set())
        counted += [("victims.shelter", placed.pop() if len(placed) == 1 else BOTH_SHELTERS if placed else NONE)]
        # The pairs that depend on each other (shelter placed through CoMensha, cooperation recorded with a
        # reflection period), counted together: publication.py protects each pair as one table.
        values = dict(counted)
        counted += [(f"{a}+{b}", f"{values[a]}|{values[b]}") for a, b in JOINED]
        counted += [("victims.sector", sector or UNKNOWN)] if ExploitationForm.LABOUR in (forms or []) else []
        counts.update(Cell(month, place, measure, value) for measure, value in counted)
    return counts


def consultation_contributions(consultations: "QuerySet[Consultation]") -> Counter[Cell]:
    """Advice contacts, apart from reports: by who asked, the professional's field, topic, channel and form."""
    counts: Counter[Cell] = Counter()
    for received, code, asker, field, topic, channel, forms in consultations.values_list(
        "received_on", "municipality__cbs_code", "asker", "field", "topic", "channel", "forms"
    ).iterator(chunk_size=5000):
        month, place = month_of(received), code or ""
        counted = [("consultations", ""), ("consultations.asker", asker), ("consultations.topic", topic),
                   ("consultations.channel", channel)]  # fmt: skip
        counted += [("consultations.field", field)] if field else []
        counted += [("consultations.form", form) for form in forms or [UNKNOWN]]
        counts.update(Cell(month, place, measure, value) for measure, value in counted)
    return counts


# Who asked a question on the website, in the advice contacts' terms (the visitor's own answer to "Who are you?").
ASKER_OF_ROLE: dict[str, str] = {
    ReporterRole.PROFESSIONAL: ConsultationAsker.PROFESSIONAL,
    ReporterRole.CONCERNED: ConsultationAsker.CONCERNED,
    ReporterRole.VICTIM: ConsultationAsker.AFFECTED,
}


def question_contributions(reports: "QuerySet[Report]") -> Counter[Cell]:
    """Questions visitors asked on the website without reporting: advice contacts through the web form, by who
    asked. The visitor chose no topic, so the topic is "other"."""
    counts: Counter[Cell] = Counter()
    rows = reports.filter(kind=ReportKind.QUESTION).values_list(
        "received_at", "municipality__cbs_code", "reporter_role"
    )
    for received, code, role in rows.iterator(chunk_size=5000):
        asker = ASKER_OF_ROLE.get(role, ConsultationAsker.OTHER)
        counted = [("consultations", ""), ("consultations.asker", asker), ("consultations.topic", "other"),
                   ("consultations.channel", Channel.WEB), ("consultations.form", UNKNOWN)]  # fmt: skip
        counts.update(Cell(month_of(received), code or "", measure, value) for measure, value in counted)
    return counts


def contributions(
    reports: "QuerySet[Report]", cases: "QuerySet[Case]", consultations: "QuerySet[Consultation] | None" = None
) -> Counter[Cell]:
    counts = report_contributions(reports) + question_contributions(reports) + case_contributions(cases)
    if consultations is not None:
        counts += consultation_contributions(consultations)
    return counts


def _rows(source: str, counts: Counter[Cell]) -> Iterable[Figure]:
    for cell, count in counts.items():
        if count > 0:
            yield Figure(source=source, count=count, **cell._asdict())


@transaction.atomic
def figures_refresh() -> int:
    """Counts the figures again from every record there is; the figures kept after retention stay as they are.
    Returns the number of figure rows."""
    counts = contributions(Report.objects.all(), Case.objects.all(), Consultation.objects.all())
    Figure.objects.filter(source=FigureSource.LIVE).delete()
    Figure.objects.bulk_create(_rows(FigureSource.LIVE, counts), batch_size=5000)
    return len(counts)


@transaction.atomic
def figures_keep(*, reports: "QuerySet[Report]", cases: "QuerySet[Case]") -> int:
    """Before retention deletes these reports and cases: adds what they contribute to the kept figures, and takes it
    from the counted ones, so the monitor shows the same before and after. Returns the number of cells changed."""
    counts = contributions(reports, cases)
    existing = {
        Cell(f.month, f.municipality, f.measure, f.value): f
        for f in Figure.objects.select_for_update().filter(
            source=FigureSource.KEPT, measure__in={c.measure for c in counts}, month__in={c.month for c in counts}
        )
    }
    changed, new = [], []
    for cell, count in counts.items():
        kept = existing.get(cell)
        if kept is None:
            new.append(Figure(source=FigureSource.KEPT, count=count, **cell._asdict()))
        else:
            kept.count += count
            changed.append(kept)
    Figure.objects.bulk_update(changed, ["count"], batch_size=5000)
    Figure.objects.bulk_create(new, batch_size=5000)
    _live_subtract(counts)
    return len(counts)


def _live_subtract(counts: Counter[Cell]) -> None:
    """Takes deleted records out of the counted figures at once, rather than at the next recount."""
    for figure in Figure.objects.select_for_update().filter(
        source=FigureSource.LIVE, measure__in={c.measure for c in counts}, month__in={c.month for c in counts}
    ):
        taken = counts.get(Cell(figure.month, figure.municipality, figure.measure, figure.value), 0)
        if not taken:
            continue
        if figure.count <= taken:
            figure.delete()
        else:
            Figure.objects.filter(pk=figure.pk).update(count=F("count") - taken)


def figures_counted_at() -> datetime | None:
    """When the figures were last counted from the records."""
    return Figure.objects.filter(source=FigureSource.LIVE).aggregate(at=Min("refreshed_at"))["at"]


def cells(measure: str, start: date, end: date, *, by_month: bool = False) -> Counter[tuple[str, str]]:
    """The figures of one measure from month `start` up to and including month `end`, both sources summed:
    {(municipality, value): count}, or {(municipality, "YYYY-MM"): count} by month."""
    rows = Figure.objects.filter(measure=measure, month__gte=start.replace(day=1), month__lte=end.replace(day=1))
    counts: Counter[tuple[str, str]] = Counter()
    for month, municipality, value, count in rows.values_list("month", "municipality", "value", "count"):
        counts[(municipality, f"{month:%Y-%m}" if by_month else value)] += count
    return counts


def counted(measure: str, start: date, end: date, *, municipality: Any = None) -> Counter[str]:
    """One measure by value, for the region or one municipality (its CBS code)."""
    totals: Counter[str] = Counter()
    for (place, value), count in cells(measure, start, end).items():
        if municipality is None or place == municipality:
            totals[value] += count
    return totals
