"""Partners see of a possible victim's trajectory what their grant's purpose covers, and nothing else; analysts see
no case at all."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kenniscentrum.accounts.models import Role
from kenniscentrum.cases.models import AccessGrant
from kenniscentrum.cases.services import comensha_register, reflection_record, shelter_place
from kenniscentrum.organisations.models import OrganisationType
from tests.conftest import logged_in, make_user
from tests.factories import AccessGrantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trajectory(case, director, victim):
    today = timezone.localdate()
    registration = comensha_register(
        case=case,
        actor=director,
        involvement=victim,
        kind="registration_shelter",
        registered_on=today,
        legal_basis="consent",
        comensha_reference="CM-77",
    )
    reflection_record(case=case, actor=director, involvement=victim, route="b8_3", offered_on=today, offered_by=None,
                      answer="accepted", starts_on=today, ends_on=today + timedelta(days=60), cooperation="",
                      cooperation_on=None, permit_applied_on=None, permit_status="")  # fmt: skip
    shelter_place(case=case, actor=director, involvement=victim, kind="categorical", organisation=None,
                  placed_on=today, note="")  # fmt: skip
    return registration


def test_a_shelter_sees_the_placements_its_grant_covers_and_no_more(
    case, director, granted, analyst, trajectory
) -> None:
    shelter = make_user("sanne", Role.PARTNER, OrganisationType.CARE)
    AccessGrantFactory(case=case, organisation=shelter.organisation, granted_by=director, covers=["shelter"])
    url = f"/medewerkers/casussen/{case.pk}/"

    shelter_sees = logged_in(shelter).get(url).content.decode()
    assert "Categorale opvang" in shelter_sees
    assert "CM-77" not in shelter_sees and "B8/3" not in shelter_sees
    assert logged_in(shelter).get(f"/medewerkers/comensha/{trajectory.pk}/").status_code == 404

    police_sees = logged_in(granted).get(url).content.decode()  # a grant whose purpose covers no trajectory
    assert "Categorale opvang" not in police_sees and "CM-77" not in police_sees and "B8/3" not in police_sees
    assert logged_in(analyst).get(url).status_code == 404

    director_sees = logged_in(director).get(url).content.decode()
    assert "Categorale opvang" in director_sees and "CM-77" in director_sees and "B8/3" in director_sees


def test_a_grant_covering_the_registration_shows_it_and_its_print_page(case, director, trajectory) -> None:
    helper = make_user("hanna", Role.PARTNER, OrganisationType.CARE)
    client = logged_in(director)
    grant = f"/medewerkers/casussen/{case.pk}/actie/grant/"
    until = (timezone.localdate() + timedelta(days=30)).isoformat()
    data = {"grant-organisation": helper.organisation_id, "grant-purpose": "Registratie bij CoMensha",
            "grant-legal_basis": "consent", "grant-valid_until": until}  # fmt: skip
    wrong = client.post(grant, {**data, "grant-covers": ["everything"]})
    assert wrong.status_code == 400 and 'value="Registratie bij CoMensha"' in wrong.content.decode()
    assert client.post(grant, {**data, "grant-covers": ["comensha"]}).status_code == 302
    assert AccessGrant.objects.get(organisation=helper.organisation).covers == ["comensha"]

    sees = logged_in(helper).get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    assert "CM-77" in sees and "Categorale opvang" not in sees and "B8/3" not in sees
    printed = logged_in(helper).get(f"/medewerkers/comensha/{trajectory.pk}/")
    assert printed.status_code == 200 and "CM-77" in printed.content.decode()
