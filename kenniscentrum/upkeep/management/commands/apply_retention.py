"""Applies the retention terms of the region file; run it daily (cron or a systemd timer).

The terms are the ones the privacy statement shows (region file, `retention`), so what the public
reads and what the platform does come from the same numbers.
"""

import time
from datetime import timedelta
from typing import Any

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kenniscentrum.audit.models import Action
from kenniscentrum.audit.services import audit_expire, audit_record
from kenniscentrum.cases.models import Case, Document
from kenniscentrum.insights.figures import figures_keep
from kenniscentrum.lib.region import region
from kenniscentrum.linking.services import identifiers_orphaned
from kenniscentrum.organisations.models import Covenant
from kenniscentrum.reports.models import Attachment, Report
from kenniscentrum.reports.services import files_delete, reports_expire, reports_expiring
from kenniscentrum.upkeep.retention import cases_expire, cases_expiring, stored_files

DAYS_PER_MONTH = 30.44
DAYS_PER_YEAR = 365.25
# How old a file without a row must be before it goes: a report being stored right now has written its files but
# not yet committed its rows.
ORPHAN_GRACE_SECONDS = 24 * 60 * 60


def orphan_files_delete() -> int:
    """Removes stored files that no attachment or document refers to, such as those of a crash mid-store."""
    known = (
        set(Attachment.objects.values_list("file", flat=True))
        | set(Document.objects.values_list("file", flat=True))
        | set(Covenant.objects.values_list("document", flat=True))
    )
    cutoff = time.time() - ORPHAN_GRACE_SECONDS
    orphans = [
        name
        for name in stored_files()
        if name not in known and default_storage.get_modified_time(name).timestamp() < cutoff
    ]
    files_delete(orphans)
    return len(orphans)


class Command(BaseCommand):
    help = (
        "Deletes what is past its retention term (closed reports without a case, closed cases, old audit events), "
        "files no row refers to, and ended sessions."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        terms = region()["retention"]
        now = timezone.now()
        with transaction.atomic():
            report_cutoff = now - timedelta(days=round(terms["report_closed_months"] * DAYS_PER_MONTH))
            case_cutoff = now - timedelta(days=round(terms["case_closed_years"] * DAYS_PER_YEAR))
            # The monitor keeps what these records count for before they go, so last year's figures stay.
            expiring_cases = Case.objects.filter(pk__in=cases_expiring(case_cutoff).values("pk"))
            figures_keep(
                reports=Report.objects.filter(Q(pk__in=reports_expiring(report_cutoff).values("pk"))
                                              | Q(case__in=expiring_cases)),
                cases=expiring_cases,
            )  # fmt: skip
            reports = reports_expire(report_cutoff)
            cases = cases_expire(case_cutoff)
            events = audit_expire(now - timedelta(days=round(terms["audit_years"] * DAYS_PER_YEAR)))
            # A phone number or address seen only in what just went is personal data that links nothing any more.
            identifiers, _by_kind = identifiers_orphaned().delete()
            audit_record(
                action=Action.RETENTION_APPLIED,
                reports_deleted=reports,
                cases_deleted=cases,
                audit_events_deleted=events,
                identifiers_deleted=identifiers,
            )
        orphans = orphan_files_delete()
        # Ended sessions (a reporter's follow-up, a staff login) leave the database too.
        call_command("clearsessions")
        self.stdout.write(f"{reports} reports, {cases} cases and {events} audit events were past their retention term.")
        self.stdout.write(f"{orphans} stored files belonged to no report or document and were removed.")
