"""Registration with CoMensha: recorded per possible victim with its ground, listed while missing, printable."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.cases.models import ComenshaRegistration
from kenniscentrum.cases.services import person_add
from kenniscentrum.lib.vocabulary import InvolvementRole, VictimStatus
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def register(client, case, **data):
    return client.post(
        f"/medewerkers/casussen/{case.pk}/actie/comensha/", {f"comensha-{k}": v for k, v in data.items()}
    )


def test_a_registration_needs_its_ground_and_a_date_not_in_the_future(case, director, victim) -> None:
    client = logged_in(director)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = register(client, case, involvement=victim.pk, kind="registration_shelter", registered_on=tomorrow,
                        legal_basis="public_task", comensha_reference="CM-123")  # fmt: skip
    assert response.status_code == 400 and 'value="CM-123"' in response.content.decode()
    response = register(client, case, involvement=victim.pk, kind="registration_shelter",
                        registered_on=timezone.localdate().isoformat(), comensha_reference="CM-123")  # fmt: skip
    assert response.status_code == 400 and not ComenshaRegistration.objects.exists()
    response = register(client, case, involvement=victim.pk, kind="registration_shelter",
                        registered_on=timezone.localdate().isoformat(), legal_basis="public_task",
                        comensha_reference="CM-123")  # fmt: skip
    assert response.status_code == 302
    again = register(client, case, involvement=victim.pk, kind="registration", legal_basis="consent",
                     registered_on=timezone.localdate().isoformat())  # fmt: skip
    assert again.status_code == 400 and ComenshaRegistration.objects.count() == 1


def test_the_centre_sees_who_is_not_registered_yet(case, director, intake, victim) -> None:
    client = logged_in(intake)
    listed = client.get("/medewerkers/comensha/").context["page"]
    assert [i.pk for i in listed] == [victim.pk]
    page = logged_in(director).get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    assert "nog niet geregistreerd" in page
    register(logged_in(director), case, involvement=victim.pk, kind="registration",
             registered_on=timezone.localdate().isoformat(), legal_basis="vital_interest")  # fmt: skip
    assert list(client.get("/medewerkers/comensha/").context["page"]) == []
    # Someone found not to be a victim is not waiting for a registration.
    other = person_add(case=case, actor=director, person=None, person_data={"first_name": "Ana"},
                       role=InvolvementRole.VICTIM, age_at_start=30)  # fmt: skip
    other.victim_status = VictimStatus.NOT_A_VICTIM
    other.save()
    assert list(client.get("/medewerkers/comensha/").context["page"]) == []


def test_the_registration_prints_on_one_page_for_the_centres_side_only(case, director, granted, victim) -> None:
    register(logged_in(director), case, involvement=victim.pk, kind="registration_information",
             registered_on=timezone.localdate().isoformat(), legal_basis="consent",
             comensha_reference="CM-2026-77")  # fmt: skip
    registration = ComenshaRegistration.objects.get()
    page = logged_in(director).get(f"/medewerkers/comensha/{registration.pk}/").content.decode()
    assert "Registratie, informatie en advies" in page and "CM-2026-77" in page and "Iryna" in page
    assert AuditEvent.objects.filter(action=Action.PERSON_VIEWED, details__comensha=registration.pk).exists()
    assert logged_in(granted).get(f"/medewerkers/comensha/{registration.pk}/").status_code == 404
    assert "CM-2026-77" not in logged_in(granted).get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    assert logged_in(granted).get("/medewerkers/comensha/").status_code in (403, 404)
