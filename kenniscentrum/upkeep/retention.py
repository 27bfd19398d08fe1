"""Retention of cases: a case closed long enough goes with its whole file. It reaches into reports and meetings, so
it lives here, above the apps it combines."""

from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction

from kenniscentrum.cases.models import Case, Document, Involvement, Person
from kenniscentrum.lib.vocabulary import CaseStatus
from kenniscentrum.meetings.models import AgendaItem
from kenniscentrum.reports.models import Report
from kenniscentrum.reports.services import files_delete, reports_delete


def cases_expiring(before: Any) -> Any:
    """Cases closed before `before`: what retention deletes, with their file."""
    return Case.objects.filter(status__in=[CaseStatus.CLOSED, CaseStatus.EVALUATED], closed_at__lt=before)


@transaction.atomic
def cases_expire(before: Any) -> int:
    """Deletes cases closed before `before` with their file: reports, notes, documents, referrals, meeting items,
    and the persons who are in no other case."""
    ids = list(cases_expiring(before).values_list("pk", flat=True))
    if not ids:
        return 0
    persons = set(Involvement.objects.filter(case_id__in=ids).values_list("person_id", flat=True))
    files = list(Document.objects.filter(case_id__in=ids).values_list("file", flat=True))
    reports_delete(Report.objects.filter(case_id__in=ids))
    AgendaItem.objects.filter(case_id__in=ids).delete()
    Case.objects.filter(pk__in=ids).delete()
    Person.objects.filter(pk__in=persons, involvements__isnull=True).delete()
    transaction.on_commit(lambda: files_delete(files))
    return len(ids)


# Where stored files live: the models' upload_to roots.
FILE_ROOTS = ("attachments", "cases", "covenants")


def stored_files(root: str | None = None) -> list[str]:
    """Every file in the storage under `root`, or under every root of FILE_ROOTS, by its storage name, sorted."""
    if root is None:
        return sorted(name for each in FILE_ROOTS for name in stored_files(each))
    if not default_storage.exists(root):
        return []
    directories, files = default_storage.listdir(root)
    names = [f"{root}/{name}" for name in files]
    for directory in directories:
        names.extend(stored_files(f"{root}/{directory}"))
    return names
