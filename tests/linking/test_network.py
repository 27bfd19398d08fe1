"""The network around a report, case, person or identifier: two steps, drawn as SVG and listed as a table, only what
the user may open; the centre's overview of the most seen identifiers and the largest clusters."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kenniscentrum.cases.services import person_add
from kenniscentrum.lib.vocabulary import InvolvementRole
from kenniscentrum.linking.models import Identifier
from kenniscentrum.linking.services import identifier_record
from tests.conftest import logged_in
from tests.factories import AccessGrantFactory
from tests.linking.test_seen_before import reported

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(case, director):
    """A number in a report, and on a possible victim in a case; a plate in a second report two steps away."""
    victim = person_add(case=case, actor=director, person=None, person_data={"first_name": "Ola"},
                        role=InvolvementRole.VICTIM, age_at_start=30)  # fmt: skip
    identifier_record(kind="phone", text="0612345678", actor=director, source="staff", person=victim.person)
    first = reported("06-12345678", "GM0153")
    identifier_record(kind="plate", text="12-ABC-3", actor=None, source="reporter", report=first)
    second = reported("0687654321", "GM0164")
    identifier_record(kind="plate", text="12abc3", actor=None, source="reporter", report=second)
    return first, second, victim


def test_the_director_sees_two_steps_around_a_report(linked, director) -> None:
    first, second, victim = linked
    page = logged_in(director).get(f"/medewerkers/koppelingen/netwerk/melding/{first.pk}/").content.decode()
    assert "<svg" in page and 'role="group"' in page
    assert first.reference in page and second.reference in page  # via the plate, two steps away
    assert "Ola" in page and "Telefoonnummer: +31612345678" in page
    assert "<td>2</td>" in page  # the steps column of the table


def test_a_partner_sees_the_case_side_and_counts_the_reports(linked, case, director, partner, analyst) -> None:
    first, second, victim = linked
    AccessGrantFactory(case=case, organisation=partner.organisation, granted_by=director)
    page = logged_in(partner).get(f"/medewerkers/koppelingen/netwerk/casus/{case.pk}/").content.decode()
    assert "Ola" in page and first.reference not in page and second.reference not in page
    assert "in een dossier dat je niet mag openen" in page or "in dossiers die je niet mag openen" in page
    assert logged_in(partner).get(f"/medewerkers/koppelingen/netwerk/melding/{first.pk}/").status_code == 404
    identifier = Identifier.objects.get(kind="phone", value="+31612345678")
    assert logged_in(partner).get(f"/medewerkers/koppelingen/netwerk/kenmerk/{identifier.pk}/").status_code == 404
    assert logged_in(analyst).get(f"/medewerkers/koppelingen/netwerk/casus/{case.pk}/").status_code == 404
    assert logged_in(partner).get("/medewerkers/koppelingen/overzicht/").status_code == 403
    assert logged_in(director).get("/medewerkers/koppelingen/netwerk/iets/1/").status_code == 404


def test_the_network_page_costs_as_many_queries_with_one_match_as_with_a_hundred(linked, director) -> None:
    first, _second, _victim = linked
    client = logged_in(director)
    url = f"/medewerkers/koppelingen/netwerk/melding/{first.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _n in range(100):
        reported("0612345678", "GM0141")
    with CaptureQueriesContext(connection) as hundred:
        page = client.get(url).content.decode()
    assert "te ver of te veel om te tekenen" in page  # more than can be drawn, counted
    assert len(hundred.captured_queries) == len(one.captured_queries)


def test_the_overview_lists_the_number_seen_in_three_municipalities(region, intake) -> None:
    for code in ("GM0153", "GM0164", "GM0141"):
        reported("06-12345678", code)
    page = logged_in(intake).get("/medewerkers/koppelingen/overzicht/").content.decode()
    assert "Telefoonnummer: +31612345678</a></td><td>3</td><td>3</td>" in page
    assert "Rond Telefoonnummer: +31612345678" in page
