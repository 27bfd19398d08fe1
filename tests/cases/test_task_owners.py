"""Who can hold a task or a meeting's action (finding 9): the case's staff, and the organisations at the meeting,
with a grant, or with an accepted referral. An organisation without access to the case gets the task and nothing
more: its title, due date and the case's reference, never the case itself."""

import pytest

from kenniscentrum.accounts.models import Role
from kenniscentrum.cases.forms import TaskForm
from kenniscentrum.cases.models import Task
from kenniscentrum.meetings.forms import DecisionForm
from kenniscentrum.meetings.services import decision_add, item_add, meeting_create
from kenniscentrum.organisations.models import Organisation, OrganisationType
from kenniscentrum.referrals.models import Consent
from kenniscentrum.referrals.services import CENTRE, RECIPIENT, referral_create, referral_step
from tests.cases.conftest import organisation
from tests.conftest import logged_in, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(case, director):
    from django.utils import timezone

    police = organisation(OrganisationType.POLICE)
    meeting = meeting_create(actor=director, type="case_meeting", held_at=timezone.now(), location="ZVH",
                             organisations=[police, Organisation.objects.centre()])  # fmt: skip
    item_add(meeting=meeting, case=case, actor=director)
    return meeting


def owners(form) -> set[Organisation]:
    return set(form.fields["owner_organisation"].queryset)


def test_the_police_attending_the_meeting_can_hold_its_action(case, director, meeting) -> None:
    police = organisation(OrganisationType.POLICE)
    item = meeting.items.get()
    form = DecisionForm(prefix="d", case=case, meeting=meeting)
    assert police in owners(form)
    assert Organisation.objects.centre() not in owners(form)  # the centre acts through its people
    assert police not in owners(TaskForm(case=case))  # outside the meeting, no grant: not a holder

    page = logged_in(director).get(f"/medewerkers/overleggen/{meeting.pk}/").content.decode()
    assert f'<option value="{police.pk}">{police}</option>' in page
    response = logged_in(director).post(
        f"/medewerkers/overleggen/{meeting.pk}/",
        {"what": f"decision-{item.pk}", f"decision-{item.pk}-text": "Politie checkt het adres",
         f"decision-{item.pk}-title": "Adres controleren", f"decision-{item.pk}-owner_organisation": police.pk},
    )  # fmt: skip
    assert response.status_code == 302
    assert Task.objects.get(title="Adres controleren").owner_organisation == police


def test_an_organisation_with_an_accepted_referral_can_hold_a_task(case, director) -> None:
    care_worker = make_user("sanne", Role.PARTNER, OrganisationType.CARE)
    care = care_worker.organisation
    referral = referral_create(case=case, actor=director, organisation=care, person=None, purpose="Opvang",
                               legal_basis="public_task", consent=Consent.GIVEN)  # fmt: skip
    assert care not in owners(TaskForm(case=case))  # proposed only
    referral_step(referral=referral, name="send", actor=director, sides=frozenset({CENTRE}))
    referral_step(referral=referral, name="accept", actor=care_worker, sides=frozenset({RECIPIENT}))
    case.grants.update(revoked_at=case.created_at)  # its access ended, the referral it accepted stands
    assert care in owners(TaskForm(case=case))


def test_an_organisation_without_access_sees_its_task_and_nothing_of_the_case(
    case, director, meeting, ungranted
) -> None:
    police_user = make_user("paul", Role.PARTNER, OrganisationType.POLICE)
    police = police_user.organisation
    decision_add(item=meeting.items.get(), actor=director, text="Politie checkt het adres in Hengelo",
                 task_title="Adres controleren", owner_organisation=police)  # fmt: skip
    client = logged_in(police_user)
    tasks = client.get("/medewerkers/taken/").content.decode()
    assert "Adres controleren" in tasks and case.reference in tasks
    assert f'href="/medewerkers/casussen/{case.pk}/"' not in tasks  # no link into a case it may not open
    assert client.get(f"/medewerkers/casussen/{case.pk}/").status_code == 404
    assert case.title not in tasks

    task = Task.objects.get(title="Adres controleren")
    done = client.post(f"/medewerkers/casussen/{case.pk}/taken/{task.pk}/", {"status": "done", "next": "tasks"})
    assert done.status_code == 302
    task.refresh_from_db()
    assert task.status == "done"
    # Another organisation's partner sees neither the task nor the case.
    other = logged_in(ungranted)
    assert "Adres controleren" not in other.get("/medewerkers/taken/").content.decode()


def test_a_task_addressed_to_an_organisation_ends_with_its_revoked_access(case, director) -> None:
    from kenniscentrum.cases.services import grant_add, grant_revoke, task_add

    police_user = make_user("paul", Role.PARTNER, OrganisationType.POLICE)
    police = police_user.organisation
    grant = grant_add(case=case, actor=director, organisation=police, purpose="Onderzoek", legal_basis="public_task",
                      valid_until=None)  # fmt: skip
    task_add(case=case, actor=director, title="Verhoor plannen", owner_user=None, owner_organisation=police,
             due_date=None)  # fmt: skip
    assert set(Task.objects.visible_to(police_user).values_list("title", flat=True)) == {"Verhoor plannen"}
    grant_revoke(grant=grant, actor=director)
    assert not Task.objects.visible_to(police_user).exists()
