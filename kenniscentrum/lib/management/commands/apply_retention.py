"""Applies the retention terms of the region file; run it daily (cron or a systemd timer).

The terms are the ones the privacy statement shows (region file, `retention`), so what the public
reads and what the platform does come from the same numbers.
"""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from kenniscentrum.audit.models import Action
from kenniscentrum.audit.services import audit_expire, audit_record
from kenniscentrum.cases.services import cases_expire
from kenniscentrum.lib.region import region
from kenniscentrum.reports.services import reports_expire

DAYS_PER_MONTH = 30.44
DAYS_PER_YEAR = 365.25


class Command(BaseCommand):
    help = "Deletes what is past its retention term: closed reports without a case, closed cases, old audit events."

    def handle(self, *args: Any, **options: Any) -> None:
        terms = region()["retention"]
        now = timezone.now()
        with transaction.atomic():
            reports = reports_expire(now - timedelta(days=round(terms["report_closed_months"] * DAYS_PER_MONTH)))
            cases = cases_expire(now - timedelta(days=round(terms["case_closed_years"] * DAYS_PER_YEAR)))
            events = audit_expire(now - timedelta(days=round(terms["audit_years"] * DAYS_PER_YEAR)))
            audit_record(
                action=Action.RETENTION_APPLIED,
                reports_deleted=reports,
                cases_deleted=cases,
                audit_events_deleted=events,
            )
        self.stdout.write(f"{reports} reports, {cases} cases and {events} audit events were past their retention term.")
