"""The monitor's pages: who sees what (analysts aggregates only, exact counts inside the centre only), exports opened
back with their own libraries, the PDF's text, advice contacts with bad input, and CSP-clean charts."""

import csv
import io
import re
from datetime import date, datetime, timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from kenniscentrum.accounts.models import Role
from kenniscentrum.audit.models import AuditEvent
from kenniscentrum.cases.models import Case
from kenniscentrum.cases.services import case_open_from_report, person_add
from kenniscentrum.insights import publication
from kenniscentrum.insights.figures import figures_refresh
from kenniscentrum.lib.vocabulary import InvolvementRole
from kenniscentrum.organisations.models import Municipality, OrganisationType
from kenniscentrum.reports.models import Consultation, Report
from tests.conftest import logged_in, make_user, submit_report

pytestmark = pytest.mark.django_db
SECRET_DESCRIPTION = "Zeldzaamwoord werkt in kas Zonnebloem"
LAST_YEAR = date.today().year - 1
PERIOD = f"start={LAST_YEAR}-01&end={LAST_YEAR}-12"


@pytest.fixture
def figures(intake, director) -> dict:
    """Twelve reports in Enschede, two in Hengelo (a small count), one with a name and a distinctive text."""
    from django.utils import timezone

    enschede, hengelo = (Municipality.objects.get(cbs_code=c) for c in ("GM0153", "GM0164"))
    for n in range(12):
        submit_report(municipality=enschede, reporter_role="professional" if n % 4 else "concerned")
    for _n in range(2):
        submit_report(municipality=hengelo)
    named = submit_report(municipality=enschede, description=SECRET_DESCRIPTION, reporter_name="Henk Melder",
                          contact_preference="phone", reporter_phone="0611112222").report  # fmt: skip
    case = case_open_from_report(report=named, title="Kas", actor=intake)
    person_add(case=case, actor=director, person=None, role=InvolvementRole.VICTIM, age_at_start=17,
               person_data={"first_name": "Oksana", "last_name": "Zeldzaam"})  # fmt: skip
    last_year = timezone.make_aware(datetime(LAST_YEAR, 6, 15, 12))
    Report.objects.update(received_at=last_year)
    Case.objects.update(created_at=last_year)
    figures_refresh()
    publication.make_release(LAST_YEAR, make_user("publisher", Role.ANALYST, OrganisationType.KNOWLEDGE_CENTRE))
    return {"named": named, "case": case}


def centre_analyst():
    return make_user("carla", Role.ANALYST, OrganisationType.KNOWLEDGE_CENTRE)


PAGES = [
    "/medewerkers/monitor/",
    f"/medewerkers/monitor/?{PERIOD}",
    "/medewerkers/monitor/?view=published&municipality=GM0153",
    f"/medewerkers/monitor/?view=exact&municipality=GM0164&{PERIOD}",
    "/medewerkers/monitor/rapport/GM0153/{year}/",
    "/medewerkers/monitor/rapport/regio/{year}/",
    "/medewerkers/monitor/publicaties/",
    "/medewerkers/monitor/export/alle.csv",
    "/medewerkers/monitor/export/reports.reporter_role.csv?year={year}",
]


def test_analysts_see_figures_and_never_a_record_name_or_text(figures, analyst, partner) -> None:
    year = LAST_YEAR
    for user in (analyst, centre_analyst()):
        client = logged_in(user)
        for page in PAGES:
            response = client.get(page.format(year=year))
            assert response.status_code == 200, page
            text = response.content.decode("utf-8-sig")
            for secret in ("Henk Melder", "0611112222", "Zeldzaamwoord", "Oksana", figures["named"].reference,
                           figures["case"].reference, f"/medewerkers/meldingen/{figures['named'].pk}/"):  # fmt: skip
                assert secret not in text, (page, secret)
        # No record is reached through the monitor: report, case and person pages stay closed.
        for record in (
            f"/medewerkers/meldingen/{figures['named'].pk}/",
            f"/medewerkers/casussen/{figures['case'].pk}/",
        ):
            assert client.get(record).status_code in (403, 404)
    assert logged_in(partner).get("/medewerkers/monitor/").status_code == 403
    assert logged_in(partner).get("/medewerkers/monitor/export/alle.csv").status_code == 403


def test_exact_counts_are_for_inside_the_centre_only(figures, analyst) -> None:
    hengelo = f"/medewerkers/monitor/?view=exact&municipality=GM0164&{PERIOD}"
    outside = logged_in(analyst).get(hengelo).content.decode()
    assert "Niet voor publicatie." not in outside and "&lt; 5" in outside
    assert "Nu opnieuw tellen" not in outside and "Openstaand werk nu" not in outside
    assert logged_in(analyst).post("/medewerkers/monitor/tellen/").status_code == 403
    inside = logged_in(centre_analyst()).get(hengelo).content.decode()
    assert "Niet voor publicatie." in inside and "Openstaand werk nu" in inside
    # Hengelo's two reports, exact inside; hidden as published.
    assert re.search(r"<th scope=\"row\">Totaal</th><td class=\"number\">2</td>", inside)
    assert not re.search(r"<th scope=\"row\">Totaal</th><td class=\"number\">2</td>", outside)


def test_exports_are_suppressed_audited_and_open_back(figures, analyst) -> None:
    client = logged_in(analyst)
    response = client.get(f"/medewerkers/monitor/export/reports.reporter_role.csv?year={LAST_YEAR}")
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0] == ["Meldingen per melder", str(LAST_YEAR)] and lines[1] == ["", "Regio"]
    rows = {line[0]: line[1] for line in lines[2:] if len(line) == 2}
    # Of 15 reports, the roles nobody had are "< 5" like the small ones, and enough is hidden that none comes out.
    assert rows["Totaal"] == "15" and "x" in rows.values() or list(rows.values()).count("< 5") >= 2
    assert all(cell in ("< 5", "x") or int(cell) >= 5 for cell in rows.values())

    workbook = load_workbook(io.BytesIO(client.get("/medewerkers/monitor/export/alle.xlsx").content))
    assert "reports.channel" in workbook.sheetnames and "victims.age" in workbook.sheetnames
    sheet = workbook["victims.age"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    # One possible victim in the region: its total is below five, so what it consists of is not published at all.
    assert ["Minderjarigen (jonger dan 18)", "."] in rows and ["Totaal", "."] in rows
    exports = AuditEvent.objects.filter(action="insights.exported", actor=analyst)
    assert exports.count() == 2 and exports.filter(details__format="xlsx").exists()
    assert client.get("/medewerkers/monitor/export/bestaat-niet.csv").status_code == 404
    assert client.get("/medewerkers/monitor/export/alle.exe").status_code == 404


def test_the_municipality_report_prints_and_is_a_pdf_with_its_figures(figures, analyst) -> None:
    year = LAST_YEAR
    client = logged_in(analyst)
    page = client.get(f"/medewerkers/monitor/rapport/GM0153/{year}/").content.decode()
    assert f"Mensenhandel in Enschede, {year}" in page
    totals = page.split("<h2>In cijfers</h2>")[1].split("</table>")[0]
    # The years before have no release ("–"); the year itself, the five years together, and the region beside it.
    cells = r'(<td class="number">–</td>){4}' + "".join(f'<td class="number">{n}</td>' for n in (13, 13, 15, 15))
    assert re.search(r'<th scope="row">Meldingen</th>' + cells, totals)
    response = client.get(f"/medewerkers/monitor/rapport/GM0164/{year}/?formaat=pdf")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert f"Mensenhandel in Hengelo, {year}" in text
    assert "Meldingen – – – – < 5 < 5 15 15" in " ".join(text.split())
    assert "Wat deze cijfers zeggen, en wat niet" in text
    assert client.get(f"/medewerkers/monitor/rapport/GM9999/{year}/").status_code == 404
    assert client.get(f"/medewerkers/monitor/rapport/GM0153/{year + 5}/").status_code == 404


def test_the_period_with_bad_input_says_why_and_keeps_it(figures) -> None:
    client = logged_in(centre_analyst())
    page = client.get("/medewerkers/monitor/?start=2026-05&end=2026-01&municipality=GM0153").content.decode()
    assert "Het einde ligt voor het begin." in page and 'value="2026-05"' in page
    page = client.get("/medewerkers/monitor/?start=%27%3B--&end=9999-99&municipality=<script>").content.decode()
    assert "Vul een maand in als jaar en maand" in page and "<script>" not in page


def test_the_charts_are_clean_under_the_content_security_policy(figures, director) -> None:
    page = logged_in(director).get(f"/medewerkers/monitor/?{PERIOD}").content.decode()
    svgs = re.findall(r"<svg .*?</svg>", page, flags=re.S)
    assert len(svgs) >= 5
    for svg in svgs:
        assert 'role="img"' in svg and "aria-label=" in svg
        assert "style=" not in svg and "<style" not in svg and "<script" not in svg
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))


def test_advice_contacts_refuse_bad_input_keep_it_and_count_once(intake, partner) -> None:
    client = logged_in(intake)
    url = "/medewerkers/adviesvragen/"
    form = client.get(url).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', form).group(1)
    good = {"token": token, "received_on": "2026-03-01", "channel": "phone", "asker": "professional",
            "field": "education", "topic": "signals", "forms": ["labour"], "municipality": ""}  # fmt: skip
    for change, message in [
        ({"field": ""}, "Kies het werkveld van de professional."),
        ({"asker": "concerned"}, "Alleen een professional heeft een werkveld"),
        ({"received_on": (date.today() + timedelta(days=2)).isoformat()}, "De datum kan niet in de toekomst liggen."),
        ({"received_on": "gisteren"}, "Vul een datum in"),
        ({"channel": "x" * 5000}, "Selecteer een geldige keuze"),
        ({"municipality": "99999999999999999999"}, "Kies een gemeente uit de lijst."),
    ]:
        response = client.post(url, {**good, **change})
        assert response.status_code == 400 and message in response.content.decode(), change
        assert "education" in response.content.decode()  # what was typed is kept
    assert not Consultation.objects.exists()
    assert client.post(url, good).status_code == 302
    again = client.post(url, good, follow=True).content.decode()
    assert Consultation.objects.count() == 1 and "Deze adviesvraag was al vastgelegd." in again
    assert AuditEvent.objects.filter(action="consultation.recorded").count() == 1
    assert logged_in(partner).get(url).status_code == 403
    figures_refresh()
    page = client.get("/medewerkers/monitor/?start=2026-01&end=2026-12").content.decode()
    assert "Adviesvragen per vraagsteller" in page
