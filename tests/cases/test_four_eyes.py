"""Four-eyes closing, a region setting: one case director asks, a second approves; both are steps in the history."""

from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError

from kenniscentrum.accounts.models import Role
from kenniscentrum.cases.services import case_change_status
from kenniscentrum.lib.vocabulary import CaseStatus, FeedbackMethod
from kenniscentrum.organisations.models import OrganisationType
from kenniscentrum.reports.models import Report
from tests.conftest import logged_in, make_user, region_file_changed

pytestmark = pytest.mark.django_db


@pytest.fixture
def four_eyes(tmp_path, settings) -> Iterator[None]:
    yield from region_file_changed(settings, tmp_path, lambda data: data["cases"].update(four_eyes_closing=True))


@pytest.fixture
def heard_back(case) -> None:
    Report.objects.filter(case=case).update(feedback_method=FeedbackMethod.PHONE)


def test_a_second_director_approves_and_the_history_shows_both_steps(case, director, heard_back, four_eyes) -> None:
    second = make_user("saskia", Role.CASE_DIRECTOR, OrganisationType.KNOWLEDGE_CENTRE)
    with pytest.raises(ValidationError, match="ask for approval"):
        case_change_status(case=case, name="close", actor=director, text="Veilig")
    case_change_status(case=case, name="ask_close_approval", actor=director, text="Betrokkene is veilig")
    case.refresh_from_db()
    assert case.status == CaseStatus.SCREENING and case.closure_reason == "Betrokkene is veilig"
    with pytest.raises(ValidationError, match="asked already"):
        case_change_status(case=case, name="ask_close_approval", actor=second, text="Nog eens")
    with pytest.raises(ValidationError, match="not the one who asked"):
        case_change_status(case=case, name="approve_close", actor=director)
    case_change_status(case=case, name="approve_close", actor=second)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closed_at is not None
    steps = list(case.transitions.values_list("transition", "from_status", "to_status", "actor__username"))
    assert steps[-2:] == [
        ("ask_close_approval", "screening", "screening", director.username),
        ("approve_close", "screening", "closed", second.username),
    ]


def test_the_page_offers_what_the_region_asks(case, director, heard_back, four_eyes) -> None:
    second = make_user("saskia", Role.CASE_DIRECTOR, OrganisationType.KNOWLEDGE_CENTRE)
    page = logged_in(director).get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    assert 'id="action-ask_close_approval"' in page and 'id="action-close"' not in page
    assert 'id="action-approve_close"' not in page
    case_change_status(case=case, name="ask_close_approval", actor=director, text="Betrokkene is veilig")
    own = logged_in(director).get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    assert 'id="action-approve_close"' in own and "niet degene die het vroeg" in own
    response = logged_in(second).post(
        f"/medewerkers/casussen/{case.pk}/actie/approve_close/", {"approve_close-text": ""}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_without_the_setting_a_director_closes_alone(case, director, heard_back) -> None:
    with pytest.raises(ValidationError, match="closes a case alone"):
        case_change_status(case=case, name="ask_close_approval", actor=director, text="x")
    page = logged_in(director).get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    assert 'id="action-close"' in page and "ask_close_approval" not in page
    case_change_status(case=case, name="close", actor=director, text="Veilig")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
