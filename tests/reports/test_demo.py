from io import StringIO

import pytest
from django.core.management import call_command

from kenniscentrum.accounts.models import Role, User
from kenniscentrum.reports.demo import FINAL_STEPS
from kenniscentrum.reports.models import Channel, Report, ReporterRole
from kenniscentrum.reports.services import receipt_open

pytestmark = pytest.mark.django_db


def test_the_demo_covers_every_triage_state_channel_and_role(settings) -> None:
    settings.DEMO_MODE = True
    call_command("load_demo", reports=150, stdout=StringIO())
    assert Report.objects.count() == 151  # and the one with a printed receipt code
    assert set(Report.objects.values_list("status", flat=True)) == set(FINAL_STEPS)
    assert set(Report.objects.values_list("channel", flat=True)) == set(Channel)
    assert set(Report.objects.values_list("reporter_role", flat=True)) == set(ReporterRole)
    assert Report.objects.values("municipality").distinct().count() == 14
    assert {u.username for u in User.objects.all()} == {
        "intake",
        "regie",
        "coordinator",
        "partner",
        "analist",
        "beheer",
    }
    assert {r for u in User.objects.all() for r in u.role_names} == set(Role)
    # Every closed demo report has its feedback recorded, as the workflow demands.
    assert not Report.objects.filter(closed_at__isnull=False, feedback_method="").exists()


def test_the_printed_demo_receipt_code_opens_its_report(settings) -> None:
    from kenniscentrum.reports import receipts
    from kenniscentrum.reports.demo import DEMO_RECEIPT_TOKEN

    call_command("load_demo", reports=1, stdout=StringIO())
    code = receipts.format_code(receipts.code_from_token(DEMO_RECEIPT_TOKEN))
    report = receipt_open(raw_code=code, session_key="test")
    assert report is not None and report.status == "awaiting_reporter"
