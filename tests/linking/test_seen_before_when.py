"""Seen before as intake reads it: near the top of the report page, dated when each report came in, and a search that
found nothing is not headed "found"."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kenniscentrum.linking.services import identifier_record
from kenniscentrum.reports.models import Report
from tests.conftest import logged_in, submit_report

pytestmark = pytest.mark.django_db


def test_seen_before_is_above_the_reporter_and_dated_when_the_report_came_in(region, intake) -> None:
    earlier = submit_report().report
    received = timezone.now() - timedelta(days=40)
    Report.objects.filter(pk=earlier.pk).update(received_at=received)
    # Staff record the plate of the earlier report today, weeks after it came in.
    identifier_record(kind="plate", text="AB-123-C", actor=intake, source="staff", report=earlier)
    report = submit_report().report
    identifier_record(kind="plate", text="ab123c", actor=None, source="reporter", report=report)
    page = logged_in(intake).get(f"/medewerkers/meldingen/{report.pk}/").content.decode()
    assert page.index("Eerder gezien") < page.index("<h2>Melder</h2>")
    row = page.split(earlier.reference, 1)[1].split("</tr>", 1)[0]
    assert timezone.localtime(received).strftime("%d-%m-%Y") in row
    assert timezone.localdate().strftime("%d-%m-%Y") not in row


def test_a_search_that_finds_nothing_says_so(region, intake) -> None:
    page = logged_in(intake).get("/medewerkers/koppelingen/zoeken/?kind=phone&value=0612345678").content.decode()
    assert "<h2>Gevonden</h2>" not in page and "<h2>Niets gevonden</h2>" in page
