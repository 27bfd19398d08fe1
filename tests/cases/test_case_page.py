"""The case page as staff use it all day: a timeline with the whole trajectory, a header that says what waits, the
reports' identifiers under "seen before", a closed case that offers only what makes sense, Dutch words only, and
persons' countries and languages by name."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone

from kenniscentrum.cases import services
from kenniscentrum.cases.models import Person, ShelterPlacement
from kenniscentrum.lib.vocabulary import FeedbackMethod
from kenniscentrum.linking.services import identifier_record
from kenniscentrum.organisations.models import Organisation, OrganisationType
from kenniscentrum.reports.models import Report
from tests.conftest import logged_in, region_file_changed, submit_report

pytestmark = pytest.mark.django_db


def page_of(user, case, query: str = "") -> str:
    response = logged_in(user).get(f"/medewerkers/casussen/{case.pk}/{query}")
    assert response.status_code == 200
    return response.content.decode()


def timeline_of(page: str) -> str:
    return page.split('id="timeline"', 1)[1].split("</ol>", 1)[0]


@pytest.fixture
def heard_back(case) -> None:
    Report.objects.filter(case=case).update(feedback_method=FeedbackMethod.PHONE)


@pytest.fixture
def four_eyes(tmp_path, settings) -> Iterator[None]:
    yield from region_file_changed(settings, tmp_path, lambda data: data["cases"].update(four_eyes_closing=True))


def test_the_timeline_shows_the_trajectory_safety_points_and_grants_with_their_dates(case, director, victim) -> None:
    today = timezone.localdate()
    care = Organisation.objects.filter(type=OrganisationType.CARE).order_by("name").first()
    services.comensha_register(
        case=case, actor=director, involvement=victim, kind="registration_shelter",
        registered_on=today - timedelta(days=40), legal_basis="public_task", comensha_reference="CM-7",
    )  # fmt: skip
    services.reflection_record(
        case=case, actor=director, involvement=victim, route="b8_3", offered_on=today - timedelta(days=35),
        offered_by=None, answer="accepted", starts_on=today - timedelta(days=34), ends_on=today + timedelta(days=50),
        cooperation="", cooperation_on=None, permit_applied_on=None, permit_status="",
    )  # fmt: skip
    services.shelter_place(
        case=case, actor=director, involvement=victim, kind="categorical", organisation=care,
        placed_on=today - timedelta(days=33), note="",
    )  # fmt: skip
    services.safety_flag_add(case=case, actor=director, kind="threat", involvement=victim, language="", note="")
    police = Organisation.objects.filter(type=OrganisationType.POLICE).order_by("name").first()
    services.grant_add(
        case=case, actor=director, organisation=police, purpose="Onderzoek", legal_basis="public_task",
        valid_until=today + timedelta(days=20),
    )  # fmt: skip

    timeline = timeline_of(page_of(director, case))
    day = "{:%d-%m-%Y}"
    assert "Registratie bij CoMensha" in timeline and day.format(today - timedelta(days=40)) in timeline
    assert "Bedenktijd" in timeline and day.format(today - timedelta(days=34)) in timeline
    assert day.format(today + timedelta(days=50)) in timeline
    assert "Opvang" in timeline and day.format(today - timedelta(days=33)) in timeline
    assert "Veiligheidspunt" in timeline and "Bedreigd door mogelijke daders" in timeline
    assert "Toegang voor" in timeline and str(police) in timeline
    assert day.format(today + timedelta(days=20)) in timeline


def test_the_header_names_the_next_deadlines(case, director, victim) -> None:
    today = timezone.localdate()
    services.reflection_record(
        case=case, actor=director, involvement=victim, route="b8_3", offered_on=today - timedelta(days=35),
        offered_by=None, answer="accepted", starts_on=today - timedelta(days=34), ends_on=today + timedelta(days=9),
        cooperation="", cooperation_on=None, permit_applied_on=None, permit_status="",
    )  # fmt: skip
    services.task_add(
        case=case, actor=director, title="Bel de huisarts", owner_user=director, owner_organisation=None,
        due_date=today - timedelta(days=2),
    )  # fmt: skip
    page = page_of(director, case)
    header = page.split('class="case-header"', 1)[1].split("</header>", 1)[0]
    assert "Bedenktijd" in header and f"{today + timedelta(days=9):%d-%m-%Y}" in header
    assert "Bel de huisarts" in header and "te laat" in header


def test_a_case_awaiting_a_second_director_says_so(case, director, heard_back, four_eyes) -> None:
    services.case_change_status(case=case, name="ask_close_approval", actor=director, text="Betrokkene is veilig")
    page = page_of(director, case)
    header = page.split('class="case-header"', 1)[1].split("</header>", 1)[0]
    assert "wacht op een tweede casusregisseur" in header
    timeline = timeline_of(page)
    assert timeline.count("Status: Screening") == 1  # the opening step only, not the request to close
    assert "Sluiten gevraagd" in timeline


def test_a_case_shows_where_its_reports_identifiers_were_seen_before(case, director) -> None:
    own = case.reports.get()
    identifier_record(kind="plate", text="AB-123-C", actor=None, source="reporter", report=own)
    others = [submit_report().report for _ in range(2)]
    for other in others:
        identifier_record(kind="plate", text="ab123c", actor=None, source="reporter", report=other)
    seen = page_of(director, case).split("Eerder gezien", 1)[1]
    assert "Nergens anders gezien" not in seen
    assert others[0].reference in seen and others[1].reference in seen
    assert own.reference not in seen.split("</table>", 1)[0]


def test_a_closed_case_offers_no_access_or_risk_actions(case, director, heard_back) -> None:
    services.case_change_status(case=case, name="close", actor=director, text="Veilig")
    page = page_of(director, case)
    assert 'id="action-grant"' not in page and 'id="action-risk"' not in page
    assert 'id="action-safety_flag"' not in page and 'id="action-reopen"' in page
    assert (
        logged_in(director)
        .post(
            f"/medewerkers/casussen/{case.pk}/actie/grant/",
            {"grant-organisation": Organisation.objects.filter(type=OrganisationType.POLICE).first().pk},
        )
        .status_code
        == 404
    )


def test_closing_asks_about_a_running_placement_and_ends_it(case, director, heard_back, victim) -> None:
    today = timezone.localdate()
    services.shelter_place(case=case, actor=director, involvement=victim, kind="other", organisation=None,
                           placed_on=today - timedelta(days=3), note="")  # fmt: skip
    page = page_of(director, case)
    assert 'name="close-end_placements"' in page
    client = logged_in(director)
    response = client.post(
        f"/medewerkers/casussen/{case.pk}/actie/close/", {"close-text": "Veilig", "close-end_placements": "on"}
    )
    assert response.status_code == 302
    assert ShelterPlacement.objects.get().left_on == today
    assert "<strong>nu</strong>" not in page_of(director, case)


def test_a_placement_may_be_planned_up_to_a_month_ahead(case, director, victim) -> None:
    client = logged_in(director)
    url = f"/medewerkers/casussen/{case.pk}/actie/shelter/"
    today = timezone.localdate()
    tomorrow = {"shelter-involvement": victim.pk, "shelter-kind": "other",
                "shelter-placed_on": (today + timedelta(days=1)).isoformat()}  # fmt: skip
    assert client.post(url, tomorrow).status_code == 302
    placement = ShelterPlacement.objects.get()
    assert placement.placed_on == today + timedelta(days=1)
    assert "vanaf" in page_of(director, case).split("Opvang", 1)[1].split("</li>", 1)[0]
    too_far = {**tomorrow, "shelter-placed_on": (today + timedelta(days=60)).isoformat()}
    response = client.post(url, too_far)
    assert response.status_code == 400 and "30 dagen" in response.content.decode()


ENGLISH_ACTIONS = [
    "Handover",
    "Step",
    "Give an organisation access",
    "Record a risk assessment",
    "Record a safety point",
    "Add a task",
    "Add a note",
    "Add a goal",
    "Close the case",
    "Change case details",
    "Hand over to another region",
    "Record a placement in shelter",
    "Record a registration with CoMensha",
    "Record a victim status",
    "Assess the legal elements",
    "Screening done",
    "not possible yet",
]


def test_the_dutch_case_page_has_no_english_action_names(case, director, intake, victim) -> None:
    other_centre = Organisation.objects.create(
        name="Kenniscentrum Voorbeeldregio", type=OrganisationType.KNOWLEDGE_CENTRE, other_region="Voorbeeld"
    )
    received = services.handover_receive(
        actor=intake, organisation=other_centre, handed_on=timezone.localdate(), reason="Verhuisd",
        legal_basis="consent", parts=["identity"], received="Per telefoon", title="Man uit Zwolle", municipality=None,
    )  # fmt: skip
    for shown in (case, received.case):
        page = page_of(director, shown)
        found = [word for word in ENGLISH_ACTIONS if word in page]
        assert not found, found


def test_a_case_without_victims_has_no_empty_comensha_heading(case, director) -> None:
    assert "Registratie bij CoMensha</h3>" not in page_of(director, case)


def test_no_staff_form_offers_dashes_as_the_empty_choice(case, director, victim, intake) -> None:
    report = submit_report().report
    pages = [
        f"/medewerkers/casussen/{case.pk}/",
        f"/medewerkers/casussen/{case.pk}/personen/nieuw/",
        f"/medewerkers/personen/{victim.person_id}/",
        f"/medewerkers/meldingen/{report.pk}/",
        f"/medewerkers/casussen/{case.pk}/verwijzing/",
        "/medewerkers/overleggen/nieuw/",
        "/medewerkers/meldingen/nieuw/",
        "/medewerkers/overdrachten/ontvangen/",
        f"/medewerkers/koppelingen/casus/{case.pk}/toevoegen/",
    ]
    for path in pages:
        response = logged_in(director).get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert "---------" not in html, path
        # The empty choice says "Kies …", once per list.
        assert html.count(">Kies …</option>") <= html.count("<select"), path


def test_a_nationality_and_a_language_are_given_by_name(case, director, victim) -> None:
    client = logged_in(director)
    data = {"person-first_name": "Iryna", "person-last_name": "P.", "person-gender": "NonSpecifiedUnknown",
            "person-nationalities": "Polen, Oekraïne", "person-languages": "Pools, uk"}  # fmt: skip
    response = client.post(f"/medewerkers/personen/{victim.person_id}/", data)
    assert response.status_code == 302, response.content.decode().split("<main", 1)[-1][:4000]
    person = Person.objects.get(pk=victim.person_id)
    assert person.nationalities == ["PL", "UA"] and person.languages == ["pl", "uk"]
    page = client.get(f"/medewerkers/personen/{victim.person_id}/").content.decode()
    assert 'value="Polen, Oekraïne"' in page and "<datalist" in page
    wrong = client.post(f"/medewerkers/personen/{victim.person_id}/", {**data, "person-nationalities": "Polan"})
    assert wrong.status_code == 400 and 'value="Polan"' in wrong.content.decode()
