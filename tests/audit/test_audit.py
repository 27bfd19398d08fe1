import pytest

from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.audit.services import audit_record
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def test_events_cannot_be_changed_or_deleted(intake) -> None:
    event = audit_record(action=Action.LOGIN, actor=intake, obj=intake)
    event.action = Action.LOGOUT
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(action=Action.LOGOUT)
    assert AuditEvent.objects.get().action == Action.LOGIN


def test_the_actor_name_survives_a_renamed_account(intake) -> None:
    audit_record(action=Action.LOGIN, actor=intake)
    intake.username = "renamed"
    intake.save()
    assert AuditEvent.objects.get().actor_name == "ilse"


def test_functional_admins_read_the_log_with_filters_and_reading_is_audited(admin_user, intake) -> None:
    audit_record(action=Action.LOGIN, actor=intake, obj=intake)
    audit_record(action=Action.LOGIN_FAILED, username="mallory")
    client = logged_in(admin_user)
    response = client.get("/beheer/audit/auditevent/", {"action__exact": Action.LOGIN_FAILED})
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert [r.action for r in rows] == [Action.LOGIN_FAILED]
    assert AuditEvent.objects.filter(action=Action.AUDIT_VIEWED, actor=admin_user).exists()


def test_the_log_offers_no_way_to_change_an_event(admin_user, intake) -> None:
    event = audit_record(action=Action.LOGIN, actor=intake)
    client = logged_in(admin_user)
    client.post(f"/beheer/audit/auditevent/{event.pk}/delete/", {"post": "yes"})
    client.post("/beheer/audit/auditevent/add/", {"action": Action.LOGOUT})
    assert list(AuditEvent.objects.filter(action__in=[Action.LOGIN, Action.LOGOUT]).values_list("pk", flat=True)) == [
        event.pk
    ]


def test_a_two_factor_reset_issues_an_enrolment_code_shown_once_and_audited(admin_user, intake) -> None:
    from kenniscentrum.accounts.models import Authenticator

    client = logged_in(admin_user)
    response = client.post(
        "/beheer/accounts/user/",
        {"action": "issue_enrolment_code", "_selected_action": [intake.pk]},
    )
    assert response.status_code == 200
    code = response.context["issued"][0]["code"]
    assert code in response.content.decode()
    assert not Authenticator.objects.filter(user=intake).exists()
    event = AuditEvent.objects.get(action=Action.ENROLMENT_CODE_ISSUED, object_id=str(intake.pk))
    assert event.actor == admin_user and code not in str(event.details)


def test_setting_a_password_is_audited_without_the_password(admin_user, intake) -> None:
    client = logged_in(admin_user)
    response = client.post(
        f"/beheer/accounts/user/{intake.pk}/password/",
        {"password1": "een-nieuw-wachtwoord-2026", "password2": "een-nieuw-wachtwoord-2026", "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action=Action.ADMIN_CHANGE, object_id=str(intake.pk))
    assert event.actor == admin_user and event.details == {"operation": "set_password"}
    assert "een-nieuw-wachtwoord" not in str(AuditEvent.objects.values_list("details", flat=True))


def test_granting_a_role_inline_is_audited_with_the_role(admin_user, intake) -> None:
    client = logged_in(admin_user)
    role = intake.roles.get()
    response = client.post(
        f"/beheer/accounts/user/{intake.pk}/change/",
        {
            "username": intake.username,
            "first_name": "",
            "last_name": "",
            "email": "",
            "organisation": intake.organisation_id,
            "is_active": "on",
            "roles-TOTAL_FORMS": "2",
            "roles-INITIAL_FORMS": "1",
            "roles-0-id": role.pk,
            "roles-0-user": intake.pk,
            "roles-0-role": "intake",
            "roles-1-user": intake.pk,
            "roles-1-role": "case_director",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.get(action=Action.ADMIN_CHANGE, object_id=str(intake.pk), details__operation="inline")
    assert event.details["added"][0]["role"] == "case_director"
    assert event.actor == admin_user


def test_the_log_names_people_by_reference_never_by_name(admin_user, intake, director) -> None:
    from kenniscentrum.cases.models import Case, Person

    person = Person.objects.create(first_name="Oksana", last_name="Kowalczyk")
    case = Case.objects.create(reference="C-2026-00001", title="Uitbuiting in de loods", director=director)
    audit_record(action=Action.PERSON_VIEWED, actor=director, obj=person)
    audit_record(action=Action.CASE_VIEWED, actor=director, obj=case)
    labels = list(AuditEvent.objects.values_list("object_label", flat=True))
    assert "case C-2026-00001" in labels and f"person #{person.pk}" in labels
    assert not any("Kowalczyk" in label or "Oksana" in label or "loods" in label for label in labels)
    # The functional admin's search finds nothing by a person's name.
    client = logged_in(admin_user)
    found = client.get("/beheer/audit/auditevent/", {"q": "Kowalczyk"})
    assert list(found.context["cl"].result_list) == []


def test_a_changed_place_is_audited_without_the_place(intake) -> None:
    from kenniscentrum.reports.services import report_classify, report_set_priority
    from tests.conftest import submit_report

    report = submit_report().report
    report_classify(
        report=report,
        forms=report.form_values,
        municipality=report.municipality,
        place="Schoolstraat 12, bij Jansen",
        actor=intake,
    )
    report_set_priority(report=report, priority="high", actor=intake)
    events = AuditEvent.objects.filter(action=Action.REPORT_UPDATED).order_by("id")
    assert [e.details["changed"] for e in events] == [{"place": "(changed)"}, {"priority": "high"}]


def test_a_functional_admin_adds_a_user_with_a_role_and_it_is_audited(admin_user) -> None:
    from kenniscentrum.accounts.models import User
    from kenniscentrum.organisations.models import Organisation

    centre = Organisation.objects.get(type="knowledge_centre")
    client = logged_in(admin_user)
    response = client.post(
        "/beheer/accounts/user/add/",
        {
            "username": "nieuw",
            "first_name": "Nina",
            "last_name": "Nieuw",
            "email": "nina@example.org",
            "organisation": centre.pk,
            "password1": "een-lang-wachtwoord-2026",
            "password2": "een-lang-wachtwoord-2026",
            "usable_password": "true",
            "roles-TOTAL_FORMS": "1",
            "roles-INITIAL_FORMS": "0",
            "roles-0-role": "intake",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="nieuw")
    assert user.organisation == centre and user.has_role("intake")
    assert AuditEvent.objects.filter(action=Action.ADMIN_CHANGE, object_id=str(user.pk)).exists()


def test_a_functional_admin_adds_an_organisation(admin_user) -> None:
    from kenniscentrum.organisations.models import Organisation

    client = logged_in(admin_user)
    response = client.post("/beheer/organisations/organisation/add/", {"name": "Fier", "type": "care", "active": "on"})
    assert response.status_code == 302
    assert Organisation.objects.filter(name="Fier", type="care").exists()


def test_the_administration_pages_render(admin_user, intake) -> None:
    client = logged_in(admin_user)
    for path in (
        f"/beheer/accounts/user/{intake.pk}/change/",
        "/beheer/accounts/user/add/",
        "/beheer/organisations/organisation/add/",
        "/beheer/audit/auditevent/",
    ):
        assert client.get(path).status_code == 200, path


def test_only_a_functional_admin_can_issue_an_enrolment_code(intake, director) -> None:
    from kenniscentrum.accounts.models import EnrolmentCode

    response = logged_in(intake).post(
        "/beheer/accounts/user/", {"action": "issue_enrolment_code", "_selected_action": [director.pk]}
    )
    assert response.status_code == 403
    assert not EnrolmentCode.objects.exists()


def test_repeated_views_of_one_report_by_one_person_are_one_row_in_the_log(admin_user, intake) -> None:
    from tests.conftest import submit_report

    report = submit_report().report
    client = logged_in(intake)
    for _ in range(4):
        client.get(f"/medewerkers/meldingen/{report.pk}/")
    admin = logged_in(admin_user)
    grouped = admin.get("/beheer/audit/auditevent/", {"action__exact": Action.REPORT_VIEWED})
    rows = list(grouped.context["cl"].result_list)
    assert len(rows) == 1 and rows[0].times == 4
    every = admin.get("/beheer/audit/auditevent/", {"action__exact": Action.REPORT_VIEWED, "herhalingen": "alle"})
    assert len(list(every.context["cl"].result_list)) == 4
    assert f'href="/medewerkers/meldingen/{report.pk}/inzage/"' in grouped.content.decode()


def test_who_has_seen_a_report_is_for_directors_and_functional_admins_and_is_audited(
    admin_user, intake, director
) -> None:
    from tests.conftest import submit_report

    report = submit_report(description="Vertrouwelijk verhaal over de loods.").report
    logged_in(intake).get(f"/medewerkers/meldingen/{report.pk}/")
    for viewer in (admin_user, director):
        page = logged_in(viewer).get(f"/medewerkers/meldingen/{report.pk}/inzage/")
        assert page.status_code == 200
        html = page.content.decode()
        assert intake.display_name in html and "Vertrouwelijk verhaal" not in html
    assert logged_in(intake).get(f"/medewerkers/meldingen/{report.pk}/inzage/").status_code == 403
    assert AuditEvent.objects.filter(action=Action.AUDIT_VIEWED, actor=director, object_id=str(report.pk)).exists()


def test_the_check_counts_show_their_labels(admin_user) -> None:
    from django.utils import timezone

    from kenniscentrum.indicators.models import CheckTally

    CheckTally.objects.create(month=timezone.localdate().replace(day=1), audience="concerned", form="labour", count=3)
    page = logged_in(admin_user).get("/beheer/indicators/checktally/").content.decode()
    assert "Iemand die zich zorgen maakt over een ander" in page and "Arbeidsuitbuiting" in page


@pytest.mark.parametrize("path", ["/beheer/", "/beheer/accounts/user/add/", "/beheer/audit/auditevent/"])
def test_the_administration_speaks_dutch_throughout(admin_user, path) -> None:
    page = logged_in(admin_user).get(path).content.decode()
    assert "Add link" not in page and "After you’ve created a user" not in page
    assert "Kenniscentrum Mensenhandel Twente" in page  # the platform's name and look, not Django's
