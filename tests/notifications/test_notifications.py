"""Nobody misses anything: each event makes one notification, sent through a real SMTP server, with nothing in it that
tells an outsider what it is about; a server that is down loses nothing."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kenniscentrum.accounts.models import Role
from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.cases.services import case_open_from_report, task_add
from kenniscentrum.lib.vocabulary import Priority
from kenniscentrum.notifications.models import Kind, Mode, Notification, Preference, State
from kenniscentrum.notifications.receivers import notify_due, on_report_received
from kenniscentrum.notifications.services import digests_send, outbox_retry, outbox_send
from kenniscentrum.organisations.models import Organisation, OrganisationType
from kenniscentrum.referrals.models import Consent
from kenniscentrum.referrals.services import referral_create, referral_step
from kenniscentrum.referrals.workflow import CENTRE, RECIPIENT
from kenniscentrum.reports.services import report_reporter_reply, report_set_priority
from tests.conftest import logged_in, make_user, region_file_changed, submit_report
from tests.factories import AccessGrantFactory, TaskFactory

pytestmark = pytest.mark.django_db

SECRET_STORY = "Mijn buurman Jan Jansen werkt in de loods aan de Schoolstraat 12"


def later(minutes: int = 0) -> timezone.datetime:
    return timezone.now() + timedelta(minutes=minutes)


def test_a_new_report_notifies_each_intake_worker_once_and_says_nothing_about_it(smtp, intake, director) -> None:
    other = make_user("ingrid", Role.INTAKE, OrganisationType.KNOWLEDGE_CENTRE)
    report = submit_report(description=SECRET_STORY, place="Schoolstraat 12").report
    # The event again (a retried request, a second receiver) adds nothing.
    on_report_received(report)
    rows = Notification.objects.filter(kind=Kind.NEW_REPORT)
    assert sorted(rows.values_list("recipient__username", flat=True)) == sorted([intake.username, other.username])
    assert outbox_send() == (2, 0)
    assert sorted(m["X-Rcpt"] for m in smtp.messages) == sorted([intake.email, other.email])
    for body in smtp.bodies():
        assert f"/medewerkers/meldingen/{report.pk}/" in body
        assert report.reference not in body and "Jansen" not in body and "Schoolstraat" not in body
        assert "loods" not in body
    # Sent is sent: a second run sends nothing again.
    assert outbox_send() == (0, 0)
    assert len(smtp.messages) == 2


@pytest.fixture
def duty_address(tmp_path, settings):
    yield from region_file_changed(
        settings, tmp_path, lambda data: data.setdefault("notifications", {}).update(duty_address="piket@example.test")
    )


def test_acute_danger_goes_at_once_to_the_duty_address_and_cannot_be_switched_off(smtp, intake, duty_address) -> None:
    for kind in (Kind.NEW_REPORT, Kind.URGENT_REPORT):
        Preference.objects.create(user=intake, kind=kind, mode=Mode.OFF)
    submit_report(acute_danger="yes")
    submit_report()  # not urgent: intake switched those off
    assert set(Notification.objects.values_list("kind", "mode")) == {(Kind.URGENT_REPORT, Mode.AT_ONCE)}
    outbox_send()
    assert sorted(m["X-Rcpt"] for m in smtp.messages) == sorted(["piket@example.test", intake.email])
    assert all("Dringend" in m["Subject"] for m in smtp.messages)


def test_with_the_server_down_nothing_is_lost_and_everything_arrives_once_it_is_up(smtp_settings, intake) -> None:
    from tests.smtp import SmtpServer

    submit_report()
    submit_report()
    sent, failed = outbox_send()
    assert sent == 0 and failed == 2
    waiting = Notification.objects.get(pk=Notification.objects.first().pk)
    assert waiting.state == State.WAITING and waiting.attempts == 1 and waiting.next_attempt_at > timezone.now()
    assert waiting.last_error and "example.test" not in waiting.last_error
    # Not due yet: the next minute's run leaves them alone.
    assert outbox_send() == (0, 0)
    server = SmtpServer(smtp_settings)
    server.start()
    try:
        assert outbox_send(later(2)) == (2, 0)
        assert outbox_send(later(60)) == (0, 0)
        assert len(server.messages) == 2
    finally:
        server.stop()


def test_after_many_failures_a_notification_waits_for_an_administrator(smtp_settings, intake) -> None:
    submit_report()
    for minutes in range(0, 60 * 24 * 7, 60 * 6):
        outbox_send(later(minutes))
    failed = Notification.objects.get()
    assert failed.state == State.FAILED
    assert outbox_retry(Notification.objects.all()) == 1
    assert Notification.objects.get().state == State.WAITING


def test_a_daily_summary_instead_of_one_mail_each(smtp, intake) -> None:
    Preference.objects.create(user=intake, kind=Kind.NEW_REPORT, mode=Mode.DIGEST)
    for _ in range(3):
        submit_report()
    assert outbox_send() == (0, 0)
    assert digests_send() == 1
    assert len(smtp.messages) == 1 and "3" in smtp.bodies()[0]
    assert not Notification.objects.filter(state=State.WAITING).exists()


def test_a_reply_goes_to_the_assignee(smtp, intake, director) -> None:
    report = submit_report().report
    report.assignee = director
    report.save()
    report_reporter_reply(report=report, body="Hij is weer thuis.")
    report_reporter_reply(report=report, body="En nog iets.")
    replies = Notification.objects.filter(kind=Kind.REPORTER_REPLIED)
    assert list(replies.values_list("recipient", flat=True)) == [director.pk, director.pk]


def test_referrals_and_tasks_reach_the_organisation_and_the_director(smtp, intake, director) -> None:
    from kenniscentrum.cases.models import Case

    partner = make_user("petra", Role.PARTNER, OrganisationType.CARE)
    case = case_open_from_report(report=submit_report().report, title="Loods", actor=intake)
    Case.objects.filter(pk=case.pk).update(director=director)
    case.refresh_from_db()
    referral = referral_create(
        case=case,
        actor=director,
        person=None,
        organisation=partner.organisation,
        purpose="Opvang",
        legal_basis="public_task",
        consent=Consent.GIVEN,
    )
    referral_step(referral=referral, name="send", actor=director, sides=frozenset({CENTRE}))
    referral_step(referral=referral, name="accept", actor=partner, sides=frozenset({RECIPIENT}))
    task_add(case=case, actor=director, title="Bellen", owner_user=None, owner_organisation=partner.organisation,
             due_date=None)  # fmt: skip
    got = set(Notification.objects.exclude(kind=Kind.NEW_REPORT).values_list("kind", "recipient"))
    assert got == {
        (Kind.REFERRAL_RECEIVED, partner.pk),
        (Kind.REFERRAL_ANSWERED, director.pk),
        (Kind.TASK_ASSIGNED, partner.pk),
    }


def test_the_daily_look_at_what_falls_due(case, director) -> None:
    today = timezone.localdate()
    tomorrow = TaskFactory(case=case, owner_user=director, due_date=today + timedelta(days=1))
    late = TaskFactory(case=case, owner_user=director, overdue=True)
    TaskFactory(case=case, owner_user=director, overdue=True, done=True)
    care = Organisation.objects.filter(type=OrganisationType.CARE).first()
    grant = AccessGrantFactory(case=case, organisation=care, granted_by=director, valid_until=today + timedelta(days=5))
    assert notify_due() == 3
    assert notify_due() == 0  # once per task and due date
    kinds = dict(Notification.objects.exclude(kind=Kind.NEW_REPORT).values_list("kind", "event"))
    assert kinds == {
        Kind.TASK_DUE: f"task:{tomorrow.pk}:{tomorrow.due_date}",
        Kind.TASK_OVERDUE: f"task:{late.pk}:{late.due_date}",
        Kind.GRANT_ENDING: f"grant:{grant.pk}:{grant.valid_until}",
    }


def test_staff_choose_per_kind_and_bad_input_is_refused(intake) -> None:
    client = logged_in(intake)
    page = client.get("/medewerkers/berichten/").content.decode()
    assert intake.email in page and "kunnen niet worden uitgezet" in page
    response = client.post("/medewerkers/berichten/", {"new_report": "sometimes", "task_due": "digest"})
    assert response.status_code == 400
    # What was chosen is kept.
    assert re.search(r'name="task_due" value="digest"[^>]*checked', response.content.decode())
    choices = {kind.value: Mode.AT_ONCE for kind in Kind if kind != Kind.URGENT_REPORT}
    response = client.post("/medewerkers/berichten/", {**choices, "new_report": Mode.DIGEST})
    assert response.status_code == 302
    assert Preference.objects.get(user=intake, kind=Kind.NEW_REPORT).mode == Mode.DIGEST
    assert AuditEvent.objects.filter(action=Action.NOTIFICATION_CHOICES, actor=intake).exists()
    # The urgent kind is not among the choices: it cannot be switched off.
    client.post("/medewerkers/berichten/", {**choices, "urgent_report": Mode.OFF})
    assert not Preference.objects.filter(kind=Kind.URGENT_REPORT).exists()


def test_a_priority_raised_later_does_not_send_a_second_new_report_notice(smtp, intake) -> None:
    report = submit_report().report
    report_set_priority(report=report, priority=Priority.URGENT, actor=intake)
    assert Notification.objects.count() == 1


def test_functional_admins_see_the_outbox_and_others_do_not(admin_user, intake) -> None:
    submit_report()
    assert logged_in(admin_user).get("/beheer/notifications/notification/").status_code == 200
    assert logged_in(intake).get("/beheer/notifications/notification/").status_code in (302, 403, 404)


def test_a_reporter_who_asked_for_it_gets_one_neutral_notice_in_their_language(smtp, intake) -> None:
    from kenniscentrum.reports.models import Report
    from kenniscentrum.reports.services import report_ask_reporter

    wants = submit_report(contact_preference="email", reporter_email="melder@example.test", email_notice=True).report
    Report.objects.filter(pk=wants.pk).update(language="pl")
    wants.refresh_from_db()
    rather_not = submit_report(contact_preference="email", reporter_email="stil@example.test").report
    report_ask_reporter(report=wants, question="Werkt Jan Jansen daar nog?", actor=intake)
    report_ask_reporter(report=rather_not, question="Nog een vraag", actor=intake)
    assert list(Notification.objects.filter(kind=Kind.REPORTER_NOTICE).values_list("report", flat=True)) == [wants.pk]
    outbox_send()
    notices = [m for m in smtp.messages if m["X-Rcpt"] == "melder@example.test"]
    assert len(notices) == 1 and not [m for m in smtp.messages if m["X-Rcpt"] == "stil@example.test"]
    body = notices[0].get_payload(decode=True).decode()
    assert "/pl/volgen/" in body and "wiadomość" in body.lower()
    assert "Jansen" not in body and wants.reference not in body
    # The address stays on the report: when retention deletes the report, its notices go with it.
    assert not Notification.objects.exclude(address="").filter(kind=Kind.REPORTER_NOTICE).exists()
    wants.delete()
    assert not Notification.objects.filter(kind=Kind.REPORTER_NOTICE).exists()


def test_the_public_form_keeps_the_notice_choice_only_with_e_mail(client, region) -> None:
    from kenniscentrum.reports.models import Report
    from tests.reports.test_public_form import valid

    client.post(
        "/melden/", valid(client, contact_preference="email", reporter_email="a@example.test", email_notice="yes")
    )
    other = Client()  # another visitor (one browser session sends one report per form)
    other.post("/melden/", valid(other, contact_preference="anonymous", email_notice="yes"))
    assert list(Report.objects.order_by("id").values_list("email_notice", flat=True)) == [True, False]


def test_a_term_about_to_be_missed_is_told_once(intake, director) -> None:
    from kenniscentrum.notifications.receivers import notify_terms_ending
    from kenniscentrum.reports.models import Report

    soon = submit_report().report
    Report.objects.filter(pk=soon.pk).update(triage_due_at=later(30))
    assigned = submit_report().report
    Report.objects.filter(pk=assigned.pk).update(assignee=director, feedback_due_at=later(120))
    submit_report()  # its terms are a working day away or more
    assert notify_terms_ending() == 2
    assert notify_terms_ending() == 0
    rows = set(Notification.objects.filter(kind=Kind.TERM_ENDING).values_list("recipient", "link"))
    assert rows == {
        (intake.pk, f"/medewerkers/meldingen/{soon.pk}/"),
        (director.pk, f"/medewerkers/meldingen/{assigned.pk}/"),
    }


def test_a_functional_admin_sends_failed_notifications_again_from_the_outbox(admin_user, intake) -> None:
    submit_report()
    Notification.objects.update(state=State.FAILED, attempts=12, last_error="SMTPDataError")
    client = logged_in(admin_user)
    page = client.get("/beheer/notifications/notification/?state=failed").content.decode()
    assert "SMTPDataError" in page and 'value="retry"' in page
    failed = Notification.objects.get()
    response = client.post(
        "/beheer/notifications/notification/", {"action": "retry", "_selected_action": [failed.pk], "index": 0}
    )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.state == State.WAITING and failed.attempts == 0
    assert AuditEvent.objects.filter(action=Action.ADMIN_CHANGE, details__operation="notifications_retry").exists()


def test_access_that_ends_with_its_covenant_is_told_to_the_director(case, director) -> None:
    from kenniscentrum.cases.services import grant_add
    from kenniscentrum.organisations.models import Covenant

    today = timezone.localdate()
    care = Organisation.objects.filter(type=OrganisationType.CARE).first()
    grant = grant_add(case=case, actor=director, organisation=care, purpose="Opvang", legal_basis="public_task",
                      valid_until=today + timedelta(days=180))  # fmt: skip
    assert notify_due() == 0
    Covenant.objects.update(ends_on=today + timedelta(days=3))
    assert notify_due() == 1
    event = Notification.objects.get(kind=Kind.GRANT_ENDING)
    assert event.event == f"grant:{grant.pk}:{today + timedelta(days=3)}" and event.recipient == director
