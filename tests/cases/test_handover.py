"""Handover between regions: a case or one possible victim's trajectory handed to another region's centre, or received
from one; the receiving side accepts and the responsibility moves; the summary holds only what the basis allows."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from kenniscentrum.accounts.models import Role
from kenniscentrum.cases.models import Case, Handover, HandoverTransition, ReflectionPeriod
from kenniscentrum.lib.vocabulary import CaseStatus, HandoverStatus, TaskStatus
from kenniscentrum.notifications.models import Notification
from kenniscentrum.organisations.models import Organisation, OrganisationType
from tests.conftest import logged_in, make_user
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_centre(region) -> Organisation:
    return Organisation.objects.create(
        name="Kenniscentrum Mensenhandel Voorbeeldregio",
        type=OrganisationType.KNOWLEDGE_CENTRE,
        other_region="Voorbeeld",
    )


def offer(client, case, **data):
    values = {f"handover-{k}": v for k, v in data.items()}
    return client.post(f"/medewerkers/casussen/{case.pk}/actie/handover/", values)


def step(client, handover, name, text=""):
    data = {"handover": handover.pk, "step": name, "text": text}
    return client.post(f"/medewerkers/casussen/{handover.case_id}/actie/handover_step/", data)


def page(client, case) -> str:
    return client.get(f"/medewerkers/casussen/{case.pk}/").content.decode()


def test_another_regions_centre_is_never_taken_for_this_regions_own(region, other_centre) -> None:
    own = Organisation.objects.centre()
    assert own is not None and own != other_centre and own.is_centre and not other_centre.is_centre
    assert other_centre not in Organisation.objects.partners()
    assert list(Organisation.objects.other_centres()) == [other_centre]
    visitor = make_user("vera", Role.CASE_DIRECTOR, OrganisationType.POLICE)
    visitor.organisation = other_centre
    visitor.save()
    assert not visitor.in_centre and not visitor.handles_reports_and_cases


def test_a_trajectory_handed_to_another_region_is_recorded_there_once_accepted(
    case, director, granted, victim, other_centre
) -> None:
    client = logged_in(director)
    today = timezone.localdate().isoformat()
    good = {
        "involvement": victim.pk,
        "handed_on": today,
        "legal_basis": "public_task",
        "reason": "Verhuist naar Zwolle",
    }
    no_centre = offer(client, case, **good, parts=["identity"], organisation="")
    assert no_centre.status_code == 400
    assert "Kies het kenniscentrum van een andere regio." in no_centre.content.decode()
    assert "Verhuist naar Zwolle" in no_centre.content.decode()
    police = Organisation.objects.filter(type=OrganisationType.POLICE).first()
    assert offer(client, case, **good, parts=["identity"], organisation=police.pk).status_code == 400
    too_much = offer(client, case, **good, parts=["identity", "risk"], organisation=other_centre.pk)
    assert too_much.status_code == 400
    assert "Op deze grondslag mag de overdracht niet delen: De laatste risicotaxatie." in too_much.content.decode()
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    later = offer(client, case, **{**good, "handed_on": future}, parts=["identity"], organisation=other_centre.pk)
    assert later.status_code == 400 and not Handover.objects.exists()

    assert offer(client, case, **good, parts=["identity", "plan"], organisation=other_centre.pk).status_code == 302
    handover = Handover.objects.get()
    assert handover.status == HandoverStatus.OFFERED and handover.parts == ["identity", "plan"]
    again = offer(client, case, **good, parts=["identity"], organisation=other_centre.pk)
    assert "Er wacht al een overdracht" in again.content.decode()

    summary = client.get(f"/medewerkers/overdrachten/{handover.pk}/").content.decode()
    assert "Iryna" in summary and "Open taken" in summary and "Werkers in een loods" not in summary
    assert "Laatste risicotaxatie" not in summary and "Het traject: aanmelding bij CoMensha" in summary
    assert "Voorbeeldregio" not in page(logged_in(granted), case)
    assert logged_in(granted).get(f"/medewerkers/overdrachten/{handover.pk}/").status_code == 404
    assert step(logged_in(granted), handover, "record_acceptance", "Anna, per telefoon").status_code == 404

    # A centre in another region answers in its own system; here a case director records its answer and who gave it.
    assert step(client, handover, "accept").status_code == 400
    unsaid = step(client, handover, "record_acceptance")
    assert (
        unsaid.status_code == 400 and "Schrijf op wie bij het ontvangende centrum aanvaardde" in unsaid.content.decode()
    )
    assert step(client, handover, "record_acceptance", "Anna de Vries, per telefoon").status_code == 302
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.ACCEPTED and handover.answered_at and "Anna" in handover.answer
    assert HandoverTransition.objects.filter(handover=handover, transition="record_acceptance").count() == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.SCREENING, "a trajectory goes, the case stays"
    director_sees = page(client, case)
    assert "Kenniscentrum Mensenhandel Voorbeeldregio is nu verantwoordelijk." in director_sees
    assert "Overdracht met Kenniscentrum Mensenhandel Voorbeeldregio: Geaccepteerd" in director_sees  # the timeline

    reflection = client.post(
        f"/medewerkers/casussen/{case.pk}/actie/reflection/",
        {"reflection-involvement": victim.pk, "reflection-route": "b8_3", "reflection-offered_on": today,
         "reflection-answer": "pending"},
    )  # fmt: skip
    assert reflection.status_code == 400 and not ReflectionPeriod.objects.exists()
    assert "Iryna" not in client.get("/medewerkers/comensha/").content.decode()
    assert step(client, handover, "record_decline", "te laat").status_code == 400


def test_handing_over_the_whole_case_closes_it_here_once_every_reporter_heard_back(
    case, director, granted, other_centre
) -> None:
    client = logged_in(director)
    task = TaskFactory(case=case, owner_user=director, created_by=director)
    today = timezone.localdate().isoformat()
    assert offer(client, case, organisation=other_centre.pk, handed_on=today, legal_basis="consent",
                 reason="Slachtoffers verhuisd", parts=["identity", "concerns", "risk"]).status_code == 302  # fmt: skip
    handover = Handover.objects.get()
    summary = client.get(f"/medewerkers/overdrachten/{handover.pk}/").content.decode()
    assert "Laatste risicotaxatie" in summary and "Rita Reporter" not in summary

    # Closing "by a handover" is the handover's step, not one a person takes on the case page.
    direct = client.post(f"/medewerkers/casussen/{case.pk}/actie/hand_over/", {"hand_over-text": "weg"})
    assert direct.status_code == 404 and Case.objects.get(pk=case.pk).is_open
    report = case.reports.get()
    blocked = step(client, handover, "record_acceptance", "Anna, per brief")
    assert blocked.status_code == 400 and report.reference in blocked.content.decode()
    assert Handover.objects.get().status == HandoverStatus.OFFERED

    report.feedback_method = "phone"
    report.save(update_fields=["feedback_method"])
    assert step(client, handover, "record_acceptance", "Anna, per brief").status_code == 302
    case.refresh_from_db()
    task.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and "Voorbeeldregio" in case.closure_reason
    assert task.status == TaskStatus.CANCELLED
    assert not case.grants.active().exists()
    assert logged_in(granted).get(f"/medewerkers/casussen/{case.pk}/").status_code == 404


def test_a_case_from_another_region_waits_for_a_case_director_here(intake, director, partner, other_centre) -> None:
    receive = "/medewerkers/overdrachten/ontvangen/"
    assert logged_in(partner).get(receive).status_code == 403
    client = logged_in(intake)
    assert "Kenniscentrum Mensenhandel Voorbeeldregio" in client.get(receive).content.decode()
    data = {"organisation": other_centre.pk, "handed_on": timezone.localdate().isoformat(), "title": "Vrouw uit Zwolle",
            "reason": "Verhuisd naar Enschede", "legal_basis": "consent", "parts": ["identity", "trajectory"],
            "received": "Samenvatting per beveiligde mail ontvangen"}  # fmt: skip
    missing = client.post(receive, {**data, "organisation": ""})
    assert missing.status_code == 400 and "Vrouw uit Zwolle" in missing.content.decode()
    assert "Kies het kenniscentrum van een andere regio." in missing.content.decode()
    response = client.post(receive, data)
    assert response.status_code == 302
    handover = Handover.objects.get()
    case = handover.case
    assert handover.direction == "incoming" and handover.status == HandoverStatus.OFFERED and case.director is None
    assert list(Notification.objects.filter(kind="handover_received").values_list("recipient", flat=True)) == [
        director.pk
    ]
    assert "blijft verantwoordelijk tot een casusregisseur hier aanvaardt" in page(client, case)

    not_a_director = step(client, handover, "accept")
    assert not_a_director.status_code == 400 and "Een casusregisseur zet deze stap" in not_a_director.content.decode()
    assert step(logged_in(director), handover, "record_acceptance", "x").status_code == 400
    assert step(logged_in(director), handover, "accept").status_code == 302
    handover.refresh_from_db()
    case.refresh_from_db()
    assert handover.status == HandoverStatus.ACCEPTED and case.director == director and case.is_open


def test_declining_a_received_handover_closes_its_case(intake, director, other_centre) -> None:
    from kenniscentrum.cases.services import handover_receive, handover_step

    handover = handover_receive(
        actor=intake, organisation=other_centre, handed_on=timezone.localdate(), reason="Verhuisd",
        legal_basis="consent", parts=["identity"], received="Per telefoon", title="Man uit Zwolle", municipality=None,
    )  # fmt: skip
    unsaid = step(logged_in(director), handover, "decline")
    assert unsaid.status_code == 400
    handover_step(handover=handover, name="decline", actor=director, text="Niet in onze regio")
    handover.case.refresh_from_db()
    assert handover.case.status == CaseStatus.CLOSED
    assert handover.case.closure_reason == f"Overdracht van {other_centre.name} afgewezen."


def test_one_handover_waits_at_a_time_as_a_database_rule(case, director, other_centre) -> None:
    def waiting() -> Handover:
        return Handover.objects.create(
            case=case, direction="outgoing", organisation=other_centre, handed_on=timezone.localdate(), reason="x",
            legal_basis="consent", parts=["identity"], created_by=director,
        )  # fmt: skip

    waiting()
    with pytest.raises(IntegrityError), transaction.atomic():
        waiting()
