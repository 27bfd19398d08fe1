"""The monitor's figures: equal to a plain recount from the records, and the same after retention deleted records."""

from collections import Counter
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from kenniscentrum.cases.models import Case, ComenshaRegistration, Involvement, ReflectionPeriod, ShelterPlacement
from kenniscentrum.cases.services import (
    case_open_from_report,
    case_update,
    comensha_register,
    person_add,
    reflection_record,
    shelter_place,
)
from kenniscentrum.insights import tables
from kenniscentrum.insights.figures import age_band, figures_refresh
from kenniscentrum.insights.models import Figure
from kenniscentrum.lib.vocabulary import InvolvementRole, LabourSector
from kenniscentrum.organisations.models import Municipality, Organisation, OrganisationType
from kenniscentrum.reports.models import Report, ReportForm
from tests.conftest import submit_report

pytestmark = pytest.mark.django_db

START, END = date(2020, 1, 1), date(2030, 12, 1)
ENSCHEDE, HENGELO = "GM0153", "GM0164"


def varied_records(intake, director) -> None:
    """Reports from several channels, reporters, municipalities and months, a case with possible victims."""
    places = {code: Municipality.objects.get(cbs_code=code) for code in (ENSCHEDE, HENGELO)}
    for n in range(23):
        report = submit_report(
            municipality=places[ENSCHEDE if n % 3 else HENGELO] if n % 7 else None,
            residence_municipality=places[HENGELO] if n % 2 else None,
            reporter_role=["concerned", "professional", "victim"][n % 3],
            forms=[["labour"], ["sexual"], ["labour", "criminal"], []][n % 4],
        ).report
        Report.objects.filter(pk=report.pk).update(
            channel=["web", "phone", "email"][n % 3], received_at=timezone.now() - timedelta(days=40 * n)
        )
    report = Report.objects.filter(municipality__cbs_code=ENSCHEDE).first()
    case = case_open_from_report(report=report, title="Loods", actor=intake)
    for n, age in enumerate([15, 19, 33, None, 52]):
        person_add(case=case, actor=director, person=None, role=InvolvementRole.VICTIM, age_at_start=age,
                   person_data={"first_name": f"V{n}", "gender": "Feminine" if n % 2 else "Masculine",
                                "nationalities": [["PL"], ["RO"], []][n % 3]})  # fmt: skip


def as_counts(shown: tables.Shown, column: int = -1) -> dict[str, int]:
    return {row["label"]: row["cells"][column]["count"] for row in shown.rows if row["cells"][column]["count"]}


def test_the_figures_equal_a_plain_recount_from_the_records(intake, director) -> None:
    varied_records(intake, director)
    figures_refresh()

    channel = tables.MEASURES["reports.channel"].label
    shown = tables.table("reports.channel", START, END)
    recount = {channel(c["channel"]): c["n"] for c in Report.objects.values("channel").annotate(n=Count("id"))}
    assert as_counts(shown) == recount
    assert shown.total["cells"][-1]["count"] == Report.objects.count() == 23

    form = tables.MEASURES["reports.form"].label
    in_enschede = Report.objects.filter(municipality__cbs_code=ENSCHEDE)
    recount = Counter(form(f) for f in ReportForm.objects.filter(report__in=in_enschede).values_list("form", flat=True))
    recount[form("unknown")] += in_enschede.filter(forms__isnull=True).count()
    enschede = tables.table("reports.form", START, END, municipality=ENSCHEDE)
    assert as_counts(enschede, column=0) == +recount
    residence = tables.table("reports.residence", START, END)
    assert as_counts(residence)["Hengelo"] == Report.objects.filter(residence_municipality__cbs_code=HENGELO).count()

    ages = Counter(age_band(i.age_at_start) for i in Involvement.objects.filter(role=InvolvementRole.VICTIM))
    age_label = tables.MEASURES["victims.age_band"].label
    assert as_counts(tables.table("victims.age_band", START, END)) == {age_label(k): v for k, v in ages.items()}
    assert as_counts(tables.table("victims.minor", START, END))["Jonger dan 18"] == 1

    last_year = date(timezone.localdate().year - 1, 1, 1), date(timezone.localdate().year - 1, 12, 1)
    received = Report.objects.filter(received_at__year=last_year[0].year).count()
    assert sum(m["count"] for m in tables.by_month(*last_year)) == received
    assert tables.funnel(START, END)["rows"][2]["count"] == Report.objects.exclude(case=None).count() == 1


def test_retention_deletes_the_records_and_the_figures_stay(intake, director) -> None:
    varied_records(intake, director)
    old = Report.objects.filter(case=None).order_by("received_at")[:4]
    gone = [r.pk for r in old]
    Report.objects.filter(pk__in=gone).update(status="advised", closed_at=timezone.now() - timedelta(days=800))
    figures_refresh()
    before = {code: tables.table(code, START, END).rows for code in tables.MEASURES}
    months_before = tables.by_month(START, END)

    call_command("apply_retention", stdout=StringIO())
    assert not Report.objects.filter(pk__in=gone).exists()
    assert Figure.objects.filter(source="kept", measure="reports").exists()
    for _run in ("after retention", "after the next count"):
        assert {code: tables.table(code, START, END).rows for code in tables.MEASURES} == before
        assert tables.by_month(START, END) == months_before
        figures_refresh()


def test_the_nightly_count_is_a_command(region) -> None:
    submit_report()
    out = StringIO()
    call_command("figures_refresh", stdout=out)
    assert "figures counted from the records" in out.getvalue()
    assert Figure.objects.get(measure="reports").count == 1


# The trajectory of each possible victim (issue 25, item 6): the values of each measure, in their fixed order.
TRAJECTORY_ORDER = {
    "victims.comensha": ["registered", "not_registered"],
    "victims.reflection": ["not_offered", "pending", "accepted", "declined"],
    "victims.cooperation": ["police_report", "other_cooperation", "none"],
    "victims.shelter": ["categorical", "other", "both", "none"],
    "victims.sector": [*LabourSector.values, "unknown"],
    "victims.border": ["domestic", "cross_border", "unknown"],
}


def trajectory_records(intake, director) -> list[Case]:
    """Three cases whose possible victims have each part of the trajectory, or lack it: registered with CoMensha or
    not, every answer to a reflection period and none, each kind of cooperation, placed in two kinds of shelter, in
    one kind twice, or never; labour exploitation with and without a sector, and a sector stored on a case without
    labour exploitation (not counted); within the Netherlands, across a border, not known."""
    police = Organisation.objects.filter(type=OrganisationType.POLICE).first()
    today = timezone.localdate()
    cases = []
    for place, forms, sector, border in [
        (ENSCHEDE, ["labour"], "C_Manufacturing", "cross_border"),
        (HENGELO, ["labour", "sexual"], "", "domestic"),
        (ENSCHEDE, ["sexual"], "I_AccommodationAndFoodServiceActivities", ""),
    ]:
        report = submit_report(municipality=Municipality.objects.get(cbs_code=place), forms=forms).report
        case = case_open_from_report(report=report, title="Traject", actor=intake)
        case_update(case=case, actor=director, labour_sector=sector, border=border)
        cases.append(case)

    def victim(case: Case, name: str) -> Involvement:
        return person_add(case=case, actor=director, person=None, person_data={"first_name": name},
                          role=InvolvementRole.VICTIM, age_at_start=30)  # fmt: skip

    def reflection(case: Case, involvement: Involvement, answer: str, cooperation: str = "") -> None:
        reflection_record(case=case, actor=director, involvement=involvement, route="b8_3", offered_on=today,
                          offered_by=police, answer=answer, starts_on=today if answer == "accepted" else None,
                          ends_on=None, cooperation=cooperation, cooperation_on=today if cooperation else None,
                          permit_applied_on=None, permit_status="")  # fmt: skip

    def shelter(case: Case, involvement: Involvement, kind: str, days_ago: int) -> None:
        shelter_place(case=case, actor=director, involvement=involvement, kind=kind, organisation=None,
                      placed_on=today - timedelta(days=days_ago), note="")  # fmt: skip

    first, second, third = cases
    v1, v2, v3 = victim(first, "V1"), victim(first, "V2"), victim(first, "V3")
    comensha_register(case=first, actor=director, involvement=v1, kind="registration_shelter", registered_on=today,
                      legal_basis="consent", comensha_reference="")  # fmt: skip
    reflection(first, v1, "accepted", "police_report")
    shelter(first, v1, "categorical", 20)
    shelter(first, v1, "other", 10)
    reflection(first, v3, "declined")
    shelter(first, v3, "other", 5)
    v4 = victim(second, "V4")
    comensha_register(case=second, actor=director, involvement=v4, kind="registration", registered_on=today,
                      legal_basis="consent", comensha_reference="")  # fmt: skip
    reflection(second, v4, "pending", "other_cooperation")
    person_add(case=second, actor=director, person=None, person_data={"first_name": "S"},
               role=InvolvementRole.SUSPECT)  # fmt: skip
    v5 = victim(third, "V5")
    shelter(third, v5, "categorical", 30)
    shelter(third, v5, "categorical", 3)
    assert v2  # a possible victim with no trajectory at all
    return cases


def trajectory_recount(victims) -> dict[str, Counter[str]]:
    """What each trajectory measure should count, read from the records with the ORM, one possible victim at a
    time."""
    counts: dict[str, Counter[str]] = {code: Counter() for code in TRAJECTORY_ORDER}
    for involvement in victims.select_related("case"):
        case = involvement.case
        period = ReflectionPeriod.objects.filter(involvement=involvement).first()
        registered = ComenshaRegistration.objects.filter(involvement=involvement).exists()
        counts["victims.comensha"]["registered" if registered else "not_registered"] += 1
        counts["victims.reflection"][period.answer if period else "not_offered"] += 1
        counts["victims.cooperation"][period.cooperation if period and period.cooperation else "none"] += 1
        kinds = set(ShelterPlacement.objects.filter(involvement=involvement).values_list("kind", flat=True))
        counts["victims.shelter"][kinds.pop() if len(kinds) == 1 else "both" if kinds else "none"] += 1
        if "labour" in case.forms:
            counts["victims.sector"][case.labour_sector or "unknown"] += 1
        counts["victims.border"][case.border or "unknown"] += 1
    return counts


def every_row(shown: tables.Shown, column: int = -1) -> dict[str, int]:
    return {row["label"]: row["cells"][column]["count"] for row in shown.rows}


def test_the_trajectory_figures_equal_a_plain_recount_per_possible_victim(intake, director) -> None:
    trajectory_records(intake, director)
    figures_refresh()
    victims = Involvement.objects.filter(role=InvolvementRole.VICTIM)
    assert victims.count() == 5
    in_enschede = victims.filter(case__municipality__cbs_code=ENSCHEDE)
    for code, order in TRAJECTORY_ORDER.items():
        label = tables.MEASURES[code].label
        region = tables.table(code, START, END)
        enschede = tables.table(code, START, END, municipality=ENSCHEDE)
        # Every value is always there, in its fixed order, zeros included: the layout tells no count.
        assert [row["label"] for row in region.rows] == [label(value) for value in order], code
        assert tables.MEASURES[code].order == order
        expected = {label(value): trajectory_recount(victims)[code][value] for value in order}
        assert every_row(region) == expected, code
        assert every_row(enschede, column=0) == {
            label(value): trajectory_recount(in_enschede)[code][value] for value in order
        }, code
    # What the records hold, spelled out: two of five registered; V1 in two kinds of shelter, V5 twice in one kind.
    assert every_row(tables.table("victims.comensha", START, END)) == {
        tables.MEASURES["victims.comensha"].label("registered"): 2,
        tables.MEASURES["victims.comensha"].label("not_registered"): 3,
    }
    shelter = tables.MEASURES["victims.shelter"].label
    assert every_row(tables.table("victims.shelter", START, END)) == {
        shelter("categorical"): 1,
        shelter("other"): 1,
        shelter("both"): 1,
        shelter("none"): 2,
    }
    sector = tables.MEASURES["victims.sector"].label
    sectors = {k: v for k, v in every_row(tables.table("victims.sector", START, END)).items() if v}
    assert sectors == {sector("C_Manufacturing"): 3, sector("unknown"): 1}


def test_each_possible_victim_counts_once_where_the_family_total_is_shared(intake, director) -> None:
    for code in ("victims.comensha", "victims.reflection", "victims.cooperation", "victims.border", "victims.shelter"):
        assert tables.MEASURES[code].margin == "victims", code
    # Only victims of labour exploitation have a sector.
    assert tables.MEASURES["victims.sector"].margin is None
    trajectory_records(intake, director)
    figures_refresh()
    victims = Involvement.objects.filter(role=InvolvementRole.VICTIM).count()
    for code in ("victims.comensha", "victims.reflection", "victims.cooperation", "victims.border", "victims.shelter"):
        assert tables.table(code, START, END).total["count"] == victims
    # The sector table is a breakdown of one row of another: as published it keeps that row's decision.
    assert tables.MEASURES["victims.sector"].total_of == ("victims.form", "labour")
    labour = tables.MEASURES["victims.form"].label("labour")
    labour_row = next(r for r in tables.table("victims.form", START, END).rows if r["label"] == labour)
    assert tables.table("victims.sector", START, END).total["count"] == labour_row["count"] == 4


def test_retention_keeps_the_trajectory_figures(intake, director) -> None:
    cases = trajectory_records(intake, director)
    long_ago = timezone.now() - timedelta(days=6 * 366)
    for case in cases[::2]:
        Case.objects.filter(pk=case.pk).update(status="closed", closed_at=long_ago)
    figures_refresh()
    before = {code: tables.table(code, START, END).rows for code in TRAJECTORY_ORDER}

    call_command("apply_retention", stdout=StringIO())
    assert list(Case.objects.all()) == [cases[1]]
    assert Figure.objects.filter(source="kept", measure="victims.shelter").exists()
    for _run in ("after retention", "after the next count"):
        assert {code: tables.table(code, START, END).rows for code in TRAJECTORY_ORDER} == before
        figures_refresh()
