"""The monitor's figures: equal to a plain recount from the records, and the same after retention deleted records."""

from collections import Counter
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from kenniscentrum.cases.models import Involvement
from kenniscentrum.cases.services import case_open_from_report, person_add
from kenniscentrum.insights import tables
from kenniscentrum.insights.figures import age_band, figures_refresh
from kenniscentrum.insights.models import Figure
from kenniscentrum.lib.vocabulary import InvolvementRole
from kenniscentrum.organisations.models import Municipality
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
