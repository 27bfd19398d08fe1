from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from kenniscentrum.accounts.demo import demo_secret
from kenniscentrum.accounts.models import Role, User
from kenniscentrum.cases.models import Case, Person
from kenniscentrum.lib.vocabulary import Channel, ReporterRole
from kenniscentrum.reports.demo import FINAL_STEPS
from kenniscentrum.reports.models import Report
from kenniscentrum.reports.services import receipt_open

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo_mode(settings) -> None:
    settings.DEMO_MODE = True


def test_the_demo_covers_every_triage_state_channel_and_role() -> None:
    call_command("load_demo", reports=150, cases=16, stdout=StringIO())
    from datetime import timedelta

    from django.utils import timezone

    from kenniscentrum.insights.models import Figure

    triage = Report.objects.filter(case=None)
    two_years = timezone.now() - timedelta(days=731)
    assert triage.filter(received_at__gte=two_years).count() == 151  # and the one with a printed receipt code
    # A year before those: retention deleted its closed reports, and the monitor kept what they counted for.
    assert not triage.filter(received_at__lt=two_years, closed_at__lt=timezone.now() - timedelta(days=731)).exists()
    assert Figure.objects.filter(source="kept", measure="reports").count() > 0
    # The completed years are published, in order, so the monitor has releases to show outside the centre.
    from django.utils import timezone

    from kenniscentrum.insights.models import Release

    years = list(Release.objects.order_by("year").values_list("year", flat=True))
    assert years and years[-1] == timezone.localdate().year - 1 and years == list(range(years[0], years[-1] + 1))
    assert set(triage.values_list("status", flat=True)) == set(FINAL_STEPS)
    in_cases = Report.objects.exclude(case=None).values_list("status", flat=True)
    assert set(in_cases) == {"case_opened", "linked_to_case"}
    assert set(Report.objects.values_list("channel", flat=True)) == set(Channel)
    assert set(Report.objects.values_list("reporter_role", flat=True)) == set(ReporterRole)
    assert Report.objects.values("municipality").distinct().count() == 14
    assert {u.username for u in User.objects.all()} == {
        "intake",
        "regie",
        "coordinator",
        "partner",
        "zorg",
        "analist",
        "beheer",
        "privacy",
    }
    assert {r for u in User.objects.all() for r in u.role_names} == set(Role)
    # Every closed demo report has its feedback recorded, as the workflow demands.
    assert (
        not Report.objects.filter(closed_at__isnull=False, feedback_method="")
        .exclude(status="case_opened")
        .filter(case=None)
        .exists()
    )


def test_the_demo_has_cases_in_every_state_with_their_whole_file(settings) -> None:
    from kenniscentrum.cases.models import (
        AccessGrant,
        Case,
        ComenshaRegistration,
        Handover,
        Involvement,
        ReflectionPeriod,
        ShelterPlacement,
        Task,
    )
    from kenniscentrum.lib.vocabulary import CaseStatus
    from kenniscentrum.meetings.models import Decision, Meeting
    from kenniscentrum.notifications.models import Notification
    from kenniscentrum.referrals.models import Referral

    call_command("load_demo", reports=5, cases=16, stdout=StringIO())
    # 16 opened from reports, and one received from another region, waiting for a case director.
    assert Case.objects.count() == 17
    assert Handover.objects.filter(direction="incoming", status="offered").count() == 1
    assert Handover.objects.filter(direction="outgoing", status="accepted").count() == 1
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus)
    assert set(Involvement.objects.values_list("role", flat=True)) == {"victim", "suspect", "other"}
    assert Task.objects.overdue().exists() and Referral.objects.filter(status="accepted").exists()
    assert (
        AccessGrant.objects.active().exists()
        and AccessGrant.objects.exclude(pk__in=AccessGrant.objects.active()).exists()
    )
    assert Meeting.objects.count() == 8 and Decision.objects.filter(tasks__isnull=False).exists()
    for case in Case.objects.filter(status__in=["closed", "evaluated"]):
        assert not case.reports.filter(feedback_method="").exists(), case.reference
    # Trajectories in several stages: registered and in shelter, a B8/3 period about to end (its director is told),
    # one offered and not answered, and possible victims in open cases not registered yet.
    assert ComenshaRegistration.objects.exists() and ShelterPlacement.objects.exists()
    soon = timezone.localdate() + timedelta(days=14)
    assert ReflectionPeriod.objects.filter(route="b8_3", answer="accepted", ends_on__lte=soon).exists()
    assert ReflectionPeriod.objects.filter(answer="pending").exists()
    assert Notification.objects.filter(kind="reflection_ending").exists()
    assert Involvement.objects.filter(role="victim", comensha=None, case__status="in_progress").exists()
    assert ReflectionPeriod.objects.filter(cooperation="police_report").exists()
    # The monitor's sector of labour exploitation and border: known on most cases, "not known" on some.
    opened = list(Case.objects.exclude(reports=None))
    borders = [case.border for case in opened]
    assert {"domestic", "cross_border", ""} <= set(borders) and borders.count("") < len(opened) / 2
    sectors = [case.labour_sector for case in opened if "labour" in case.forms]
    assert len(set(sectors) - {""}) >= 2 and sectors.count("") < len(sectors) / 2
    assert not [case for case in opened if "labour" not in case.forms and case.labour_sector]
    # Linking shows something on first start: one number in reports from three municipalities, one address of
    # victims in two cases.
    from kenniscentrum.linking.models import Sighting

    phone = Sighting.objects.filter(identifier__kind="phone", report__isnull=False)
    assert phone.values("identifier").distinct().count() == 1
    assert phone.values("report__municipality").distinct().count() == 3
    assert (
        Sighting.objects.filter(identifier__kind="address", person__isnull=False).values("person").distinct().count()
        == 2
    )
    assert Sighting.objects.filter(identifier__kind="address", place__isnull=False).count() == 1
    # The review list: a possible perpetrator in Latin and Cyrillic letters and named in a report not in a case yet,
    # a possible victim with a typo.
    from kenniscentrum.linking.models import PersonMatch

    pairs = {frozenset((str(m.side_a), str(m.side_b))) for m in PersonMatch.objects.all()}
    assert {
        frozenset({"Vasyl Petrenko", "Василь Петренко"}),
        frozenset({"Vasyl Petrenko", "Vasil Petrenko"}),
        frozenset({"Daniela Ionescu", "Daniella Ionescu"}),
    } <= pairs


def test_the_printed_demo_receipt_code_opens_its_report(settings) -> None:
    from kenniscentrum.reports import receipts
    from kenniscentrum.reports.demo import DEMO_RECEIPT_TOKEN

    call_command("load_demo", reports=1, cases=0, stdout=StringIO())
    code = receipts.format_code(receipts.code_from_token(DEMO_RECEIPT_TOKEN))
    report = receipt_open(code=receipts.normalise_code(code), browser_key="test")
    assert report is not None and report.status == "awaiting_reporter"


def test_the_demo_refuses_to_load_outside_demo_mode(settings) -> None:
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="DEMO_MODE"):
        call_command("load_demo", reports=1, cases=0, stdout=StringIO())
    assert not User.objects.exists() and not Report.objects.exists()


def test_a_few_demo_cases_load_too() -> None:
    from kenniscentrum.cases.models import Case

    call_command("load_demo", reports=5, cases=3, stdout=StringIO())
    assert Case.objects.count() == 3 + 1, "three from reports, one received from another region"


def test_demo_two_factor_keys_are_random_per_installation() -> None:
    from kenniscentrum.accounts.demo import demo_users_create
    from kenniscentrum.accounts.models import Authenticator

    out = StringIO()
    call_command("load_demo", reports=1, cases=0, stdout=out)
    first = dict(Authenticator.objects.values_list("user__username", "key"))
    assert demo_secret("intake") in out.getvalue()  # printed for the newcomer
    Authenticator.objects.all().delete()
    demo_users_create()
    second = dict(Authenticator.objects.values_list("user__username", "key"))
    assert first.keys() == second.keys() and all(first[name] != second[name] for name in first)
    # Nothing about a key follows from the username any more.
    assert len(set(second.values())) == len(second)


def test_the_demos_mail_says_nothing_of_its_reports_or_cases(settings, tmp_path) -> None:
    """Every notification the demo sends, read from the files the demo's mail server writes: no reference, no name,
    no place and no text of any report or case."""
    from tests.smtp import free_port

    settings.DEMO_MODE = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    call_command("load_demo", reports=40, cases=6, stdout=StringIO())
    call_command("demo_mail", once=True, backlog=True, folder=str(tmp_path), stdout=StringIO())
    mails = [p.read_text(encoding="utf-8", errors="replace") for p in tmp_path.glob("*.eml")]
    assert len(mails) >= 40
    secrets = set()
    for report in Report.objects.all():
        secrets |= {report.reference, report.place, report.description[:40], report.reporter_name}
    for case in Case.objects.all():
        secrets |= {case.reference, case.title}
    for person in Person.objects.all():
        secrets |= {person.last_name, person.first_name}
    secrets = {s for s in secrets if s and len(s) > 3}
    for mail in mails:
        found = [s for s in secrets if s in mail]
        assert not found, found


def test_the_demo_loads_quietly_and_its_mail_server_sends_only_what_is_new(
    settings, tmp_path, capfd, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    """Issue 26, finding 9: `make demo` printed the matching library's progress ("Blocking time ..."), and the first
    `make demo-mail` sent every notification the demo data had queued (some 830) at once."""
    from kenniscentrum.notifications.models import Notification
    from tests.conftest import submit_report
    from tests.smtp import free_port

    settings.DEMO_MODE = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    out = StringIO()
    call_command("load_demo", reports=40, cases=6, stdout=out)
    printed = capfd.readouterr()
    assert "Blocking time" not in printed.err + printed.out
    # The counts it printed are the true ones.
    assert f"{Report.objects.count()} reports and {Case.objects.count()} cases in the database." in out.getvalue()
    waiting = Notification.objects.filter(state="waiting").count()
    assert waiting > 0
    said = StringIO()
    call_command("demo_mail", once=True, folder=str(tmp_path), stdout=said)
    assert not list(tmp_path.glob("*.eml")) and f"{waiting} notifications made before now wait" in said.getvalue()
    # The mail server runs beside the demo; then something happens in the demo, and the desk is told at once.
    from types import SimpleNamespace

    from kenniscentrum.notifications.management.commands import demo_mail

    started = timezone.now()
    monkeypatch.setattr(demo_mail, "timezone", SimpleNamespace(now=lambda: started))
    with django_capture_on_commit_callbacks(execute=True):
        submit_report()
    assert Notification.objects.filter(state="waiting").count() > waiting
    call_command("demo_mail", once=True, folder=str(tmp_path), stdout=StringIO())
    assert 0 < len(list(tmp_path.glob("*.eml"))) < waiting


def test_the_demos_headline_number_is_valid_and_suggested_from_a_reports_text() -> None:
    """The number of the demo's "seen before" is a real-looking number linking recognises, from a range kept for
    fiction, so it is found however it is typed and suggested where a report's text holds it."""
    import phonenumbers

    from kenniscentrum.lib.identifiers import normalise
    from kenniscentrum.linking.demo import FICTION_PHONES, PHONE
    from kenniscentrum.linking.services import suggestions

    call_command("load_demo", reports=40, cases=6, stdout=StringIO())
    assert normalise("phone", PHONE).valid
    for number in FICTION_PHONES:
        assert phonenumbers.is_valid_number(phonenumbers.parse(number, "NL")), number
    value = normalise("phone", PHONE).value
    regie = User.objects.get(username="regie")
    suggested = [
        report for report in Report.objects.filter(description__contains=PHONE)
        if value in {s.candidate.value for s in suggestions(report, regie)}
    ]  # fmt: skip
    assert suggested, "a report whose text holds the number, not recorded yet"


def test_the_demo_has_no_event_in_the_future_and_few_open_reports_past_their_term() -> None:
    from kenniscentrum.cases.access import MANAGER
    from kenniscentrum.cases.timeline import case_timeline
    from kenniscentrum.reports.history import report_history

    call_command("load_demo", reports=150, cases=16, stdout=StringIO())
    now = timezone.now()
    regie = User.objects.get(username="regie")
    for report in Report.objects.all():
        future = [entry for entry in report_history(report) if entry.at > now]
        assert not future, (report.reference, future)
        assert not report.messages.filter(created_at__gt=now).exists(), report.reference
        assert report.closed_at is None or report.closed_at <= now
    for case in Case.objects.all():
        entries, _count = case_timeline(case, regie, MANAGER)
        future = [entry for entry in entries if entry.at > now]
        assert not future, (case.reference, future)
        assert case.closed_at is None or case.closed_at <= now
    open_reports = [r for r in Report.objects.open()]
    overdue = [r for r in open_reports if r.pending_term and r.pending_term.overdue]
    assert len(open_reports) >= 10
    assert len(overdue) < len(open_reports) / 3, f"{len(overdue)} of {len(open_reports)} open reports past term"
    assert overdue, "a few past their term, so the badge is seen"


def test_demo_reports_received_in_the_last_days_have_no_step_in_the_future() -> None:
    from kenniscentrum.reports.demo import demo_reports_create
    from kenniscentrum.reports.history import report_history

    call_command("load_demo", reports=1, cases=0, stdout=StringIO())
    demo_reports_create(40, seed=7, days_back=(0, 3), receipt=False)
    now = timezone.now()
    for report in Report.objects.all():
        assert not [entry for entry in report_history(report) if entry.at > now], report.reference
        assert not report.messages.filter(created_at__gt=now).exists(), report.reference
        assert report.closed_at is None or report.closed_at <= now, report.reference
        assert report.feedback_at is None or report.feedback_at <= now, report.reference
