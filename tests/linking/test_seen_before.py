"""Seen before: where else an identifier was seen, as far as the user may open it; the rest counted; every look-up
audited; recording and removing with bad input; the search page; a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kenniscentrum.accounts.models import Role
from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.cases.services import person_add
from kenniscentrum.lib.vocabulary import InvolvementRole
from kenniscentrum.linking.models import Identifier, Sighting
from kenniscentrum.linking.services import identifier_record
from kenniscentrum.organisations.models import Municipality, OrganisationType
from tests.conftest import logged_in, make_user, submit_report
from tests.factories import AccessGrantFactory

pytestmark = pytest.mark.django_db


def reported(phone: str, cbs_code: str) -> object:
    report = submit_report(municipality=Municipality.objects.get(cbs_code=cbs_code)).report
    identifier_record(kind="phone", text=phone, actor=None, source="reporter", report=report)
    return report


def test_one_number_in_three_reports_from_three_municipalities(region, director) -> None:
    first = reported("06-12345678", "GM0153")
    second = reported("+31 6 1234 5678", "GM0164")
    third = reported("0031612345678", "GM0141")
    assert Identifier.objects.count() == 1 and Sighting.objects.count() == 3

    page = logged_in(director).get(f"/medewerkers/meldingen/{first.pk}/").content.decode()
    assert second.reference in page and third.reference in page and first.reference in page
    assert "Hengelo" in page and "Almelo" in page
    assert "Nergens anders gezien." not in page
    lookup = AuditEvent.objects.filter(action=Action.LINK_LOOKUP, object_id=str(first.pk)).get()
    assert lookup.details["shown"] == 2 and lookup.details["hidden"] == 0


def test_a_partner_sees_matches_in_cases_it_may_open_and_counts_the_rest(case, director, partner, analyst) -> None:
    victim = person_add(case=case, actor=director, person=None, person_data={"first_name": "Ola"},
                        role=InvolvementRole.VICTIM, age_at_start=30)  # fmt: skip
    identifier_record(kind="phone", text="0612345678", actor=director, source="staff", person=victim.person)
    earlier = reported("06 12 34 56 78", "GM0153")
    AccessGrantFactory(case=case, organisation=partner.organisation, granted_by=director)

    police_page = logged_in(partner).get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    assert earlier.reference not in police_page  # a partner never sees into a report
    assert "Nog 1 overeenkomst staat in een dossier dat je niet mag openen." in police_page
    director_page = logged_in(director).get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    assert earlier.reference in director_page
    assert logged_in(analyst).get(f"/medewerkers/casussen/{case.pk}/").status_code == 404
    assert logged_in(analyst).get("/medewerkers/koppelingen/zoeken/?kind=phone&value=0612345678").status_code == 403
    # The partner may not record or remove anything on the case.
    add = f"/medewerkers/koppelingen/casus/{case.pk}/toevoegen/"
    assert logged_in(partner).post(add, {"kind": "phone", "value": "0687654321"}).status_code == 404
    sighting = Sighting.objects.get(report=earlier)
    assert logged_in(partner).post(f"/medewerkers/koppelingen/waarneming/{sighting.pk}/verwijderen/").status_code == 404
    assert Sighting.objects.filter(pk=sighting.pk).exists()


def test_recording_refuses_bad_input_and_keeps_what_was_typed(region, intake) -> None:
    report = submit_report().report
    client = logged_in(intake)
    add = f"/medewerkers/koppelingen/melding/{report.pk}/toevoegen/"
    empty = client.post(add, {"kind": "phone", "value": ""})
    assert empty.status_code == 400 and "Vul een waarde in." in empty.content.decode()
    unknown = client.post(add, {"kind": "tattoo", "value": "anker"})
    assert unknown.status_code == 400 and 'value="anker"' in unknown.content.decode()
    no_basis = client.post(add, {"kind": "bsn", "value": "111222333"})
    assert no_basis.status_code == 400 and "Noem de grondslag" in no_basis.content.decode()
    assert 'value="111222333"' in no_basis.content.decode()
    huge = client.post(add, {"kind": "web", "value": "x" * 5000})
    assert huge.status_code == 400

    wrong_iban = client.post(add, {"kind": "iban", "value": "NL92ABNA0417164300"})
    assert wrong_iban.status_code == 302
    assert not Identifier.objects.get(kind="iban").valid
    assert client.post(add, {"kind": "bsn", "value": "111222333", "legal_basis": "legal_obligation"}).status_code == 302
    again = client.post(add, {"kind": "phone", "value": "0612345678"})
    assert again.status_code == 302
    twice = client.post(add, {"kind": "phone", "value": "+31612345678"})
    assert twice.status_code == 400 and "Dit staat hier al." in twice.content.decode()

    page = client.get(f"/medewerkers/meldingen/{report.pk}/").content.decode()
    assert "111222333" not in page and "••••••333" in page  # a BSN is shown masked
    assert "niet herkend, bewaard als tekst" in page

    sighting = Sighting.objects.get(identifier__kind="phone")
    assert client.post(f"/medewerkers/koppelingen/waarneming/{sighting.pk}/verwijderen/").status_code == 302
    assert not Identifier.objects.filter(kind="phone").exists(), "an identifier seen nowhere goes"
    assert AuditEvent.objects.filter(action=Action.LINK_CHANGED, details__sighting_removed=sighting.pk).exists()


def test_the_search_finds_a_number_however_it_is_written(region, intake, partner) -> None:
    report = reported("+31 6 1234 5678", "GM0153")
    found = logged_in(intake).get("/medewerkers/koppelingen/zoeken/", {"kind": "phone", "value": "06-12345678"})
    assert found.status_code == 200 and report.reference in found.content.decode()
    nothing = logged_in(intake).get("/medewerkers/koppelingen/zoeken/", {"kind": "phone", "value": "0687654321"})
    assert "Deze waarde is nergens gezien." in nothing.content.decode()
    assert logged_in(partner).get("/medewerkers/koppelingen/zoeken/").status_code == 403
    assert AuditEvent.objects.filter(action=Action.LINK_LOOKUP, actor=intake).count() == 2


def test_the_report_page_costs_as_many_queries_with_one_match_as_with_a_hundred(region, director) -> None:
    first = reported("0612345678", "GM0153")
    reported("0612345678", "GM0164")
    client = logged_in(director)
    url = f"/medewerkers/meldingen/{first.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _n in range(99):
        reported("0612345678", "GM0164")
    with CaptureQueriesContext(connection) as hundred:
        page = client.get(url).content.decode()
    assert "Nog 50 overeenkomsten staan hier niet in de lijst." in page
    assert len(hundred.captured_queries) == len(one.captured_queries)


def test_a_partner_of_another_organisation_is_not_a_centre_user(region) -> None:
    user = make_user("petra", Role.PARTNER, OrganisationType.CARE)
    assert not user.handles_reports_and_cases


def test_an_identifier_goes_with_the_last_report_it_was_seen_in(region) -> None:
    from io import StringIO

    from django.core.management import call_command

    from kenniscentrum.reports.services import reports_delete

    kept = reported("0612345678", "GM0153")
    gone = reported("0687654321", "GM0153")
    reports_delete(type(gone).objects.filter(pk=gone.pk))
    call_command("apply_retention", stdout=StringIO())
    assert list(Identifier.objects.values_list("value", flat=True)) == ["+31612345678"]
    assert Sighting.objects.get().report == kept
