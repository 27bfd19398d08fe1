"""Businesses and places as nodes: linked to reports, cases and persons, one business in every file (by its KvK
number or by choosing the known one), a place's address seen again in a report, and what a partner may see."""

import pytest

from kenniscentrum.linking.models import Business, Identifier, Mention, Place
from kenniscentrum.linking.services import identifier_record
from tests.conftest import logged_in, submit_report
from tests.factories import AccessGrantFactory

pytestmark = pytest.mark.django_db


def link(client, path, pk, **data):
    return client.post(f"/medewerkers/koppelingen/{path}/{pk}/koppelen/", data)


def test_one_agency_behind_two_reports_is_one_business(region, intake, director) -> None:
    first, second = submit_report().report, submit_report().report
    client = logged_in(intake)
    new = {"do": "new_business", "business-name": "Snel Uitzend BV", "business-kvk": "1234 5678",
           "business-kind": "employment_agency", "note": "werkgever"}  # fmt: skip
    short = link(client, "melding", first.pk, **{**new, "business-kvk": "1234"})
    assert short.status_code == 400 and "Een KvK-nummer heeft acht cijfers." in short.content.decode()
    assert 'value="Snel Uitzend BV"' in short.content.decode() and not Business.objects.exists()
    assert link(client, "melding", first.pk, **new).status_code == 302
    # The same KvK number typed again is the business already known, not a second one.
    assert link(client, "melding", second.pk, **{**new, "business-kvk": "12.34.56.78"}).status_code == 302
    business = Business.objects.get()
    assert business.kvk == "12345678" and Mention.objects.filter(business=business).count() == 2
    found = client.get(f"/medewerkers/koppelingen/melding/{second.pk}/koppelen/", {"q": "12345678"}).content.decode()
    assert "Snel Uitzend BV" in found
    again = link(client, "melding", second.pk, do="business", id=business.pk)
    assert again.status_code == 400 and "Dit is hier al gekoppeld." in again.content.decode()

    page = client.get(f"/medewerkers/koppelingen/bedrijven/{business.pk}/").content.decode()
    assert first.reference in page and second.reference in page and "werkgever" in page
    network = client.get(f"/medewerkers/koppelingen/netwerk/bedrijf/{business.pk}/").content.decode()
    assert first.reference in network and second.reference in network
    assert "Snel Uitzend BV" in client.get(f"/medewerkers/meldingen/{first.pk}/").content.decode()
    # The agency's own number, recorded on its page and removed again.
    add = client.post(
        f"/medewerkers/koppelingen/bedrijf/{business.pk}/toevoegen/", {"kind": "phone", "value": "053-4321234"}
    )
    assert add.status_code == 302 and add["Location"] == f"/medewerkers/koppelingen/bedrijven/{business.pk}/"
    sighting = business.sightings.get()
    assert client.post(f"/medewerkers/koppelingen/waarneming/{sighting.pk}/verwijderen/").status_code == 302
    assert not business.sightings.exists()


def test_a_housing_address_is_seen_again_in_a_later_report(case, director, partner) -> None:
    client = logged_in(director)
    response = link(client, "casus", case.pk, **{"do": "new_place", "place-kind": "housing",
                    "place-label": "Woning boven de winkel", "place-postcode": "7511 AB", "place-house_number": "12",
                    "note": "slaapplek"})  # fmt: skip
    assert response.status_code == 302
    place = Place.objects.get()
    assert Identifier.objects.get(kind="address").value == "7511AB 12"
    later = submit_report().report
    identifier_record(kind="address", text="Hoofdstraat 12, 7511 AB Enschede", actor=None, source="reporter",
                      report=later)  # fmt: skip
    page = client.get(f"/medewerkers/meldingen/{later.pk}/").content.decode()
    assert "Plaats Woning boven de winkel" in page

    AccessGrantFactory(case=case, organisation=partner.organisation, granted_by=director)
    partner_page = logged_in(partner).get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    assert "Woning boven de winkel" in partner_page  # linked to the case they share
    assert f"/medewerkers/koppelingen/plaatsen/{place.pk}/" not in partner_page
    assert logged_in(partner).get(f"/medewerkers/koppelingen/plaatsen/{place.pk}/").status_code == 403
    assert link(logged_in(partner), "casus", case.pk, do="place", id=place.pk).status_code == 404


def test_bad_input_on_the_link_page_is_answered_and_kept(region, intake) -> None:
    report = submit_report().report
    client = logged_in(intake)
    empty = link(client, "melding", report.pk, do="new_place", **{"place-kind": "housing"})
    assert empty.status_code == 400 and "Beschrijf de plaats" in empty.content.decode()
    wrong = link(client, "melding", report.pk, do="new_business", **{"business-name": "X", "business-kind": "castle"})
    assert wrong.status_code == 400 and 'value="X"' in wrong.content.decode()
    forged = link(client, "melding", report.pk, do="business", id="99999999999999999999999")
    assert forged.status_code == 400 and not Mention.objects.exists()
