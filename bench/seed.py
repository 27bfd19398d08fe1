"""Reports in bulk, straight in SQL on PostgreSQL: a million rows in about a minute, not one ORM save each.

Synthetic references run M-2000-00001 ... M-2010-00000, far from the years that real submissions use.
"""

from typing import Any

from django.db import connection
from django.utils import timezone

from kenniscentrum.reports.models import Report

# One in twenty reports is open, as in a working reporting point where most are handled. Priority and
# form are spread so that open reports have every value too (i / 20 breaks the tie with i % 20).
SEED_SQL = """
INSERT INTO reports_report (
    reference, channel, reporter_role, contact_preference, reporter_name, reporter_phone, reporter_email,
    contact_safety_note, consent_share_identity, description, municipality_id, place, when_text, ongoing,
    acute_danger, language, status, priority, decision_reason, feedback_method, feedback_note,
    received_at, created_at, closed_at, assignee_id, content_digest
)
SELECT
    'M-' || (2000 + i / 100000) || '-' || lpad((i %% 100000)::text, 5, '0'),
    (ARRAY['web', 'web', 'web', 'phone', 'email', 'walk_in', 'partner'])[1 + i %% 7],
    (ARRAY['victim', 'concerned', 'professional', 'perpetrator', 'unknown'])[1 + i %% 5],
    'anonymous', '', '', '', '', 'no',
    'Synthetische melding ' || i || ': signalen van uitbuiting rond een bedrijf.',
    (%(municipalities)s::bigint[])[1 + i %% cardinality(%(municipalities)s::bigint[])],
    'Straat ' || (i %% 300), '', 'unknown', 'no', 'nl',
    CASE WHEN i %% 20 = 0 THEN (ARRAY['new', 'in_triage', 'awaiting_reporter'])[1 + (i / 20) %% 3]
         ELSE (ARRAY['advised', 'forwarded', 'closed_no_action'])[1 + i %% 3] END,
    (ARRAY['low', 'normal', 'normal', 'high', 'urgent'])[1 + (i + i / 20) %% 5],
    '', CASE WHEN i %% 20 = 0 THEN '' ELSE 'receipt_message' END, '',
    now() - make_interval(secs => (%(last)s - i) * 60),
    now(),
    CASE WHEN i %% 20 = 0 THEN NULL ELSE now() END,
    CASE WHEN i %% 3 = 0 THEN %(assignee)s ELSE NULL END,
    ''
FROM generate_series(%(first)s, %(last)s) AS i
"""

FORMS_SQL = """
INSERT INTO reports_reportform (report_id, form)
SELECT id, (ARRAY['sexual', 'labour', 'criminal', 'unsure'])[1 + (id + id / 20) %% 4]
FROM reports_report WHERE id > %(after)s
"""


def reports_seed(total: int, *, assignee_id: int, municipality_ids: list[int]) -> None:
    """Adds synthetic reports until the table holds `total` of them."""
    have = Report.objects.count()
    if have >= total:
        return
    after = Report.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with connection.cursor() as cursor:
        cursor.execute(
            SEED_SQL,
            {"first": have + 1, "last": total, "assignee": assignee_id, "municipalities": municipality_ids},
        )
        cursor.execute(FORMS_SQL, {"after": after})
        cursor.execute("ANALYZE reports_report; ANALYZE reports_reportform;")


def _referrals_seed(actor: Any, total: int = 300) -> None:
    """Referrals from the first cases to the region's organisations, for the referral list."""
    from kenniscentrum.cases.models import Case
    from kenniscentrum.organisations.models import Organisation
    from kenniscentrum.referrals.models import Referral

    have = Referral.objects.count()
    if have >= total:
        return
    cases = list(Case.objects.order_by("id")[:total])
    organisations = list(Organisation.objects.exclude(type="knowledge_centre"))
    Referral.objects.bulk_create(
        [
            Referral(
                case=cases[i % len(cases)],
                organisation=organisations[i % len(organisations)],
                purpose=f"Synthetische verwijzing {i}",
                legal_basis="public_task",
                consent="given",
                status=("sent", "accepted", "completed")[i % 3],
                created_by=actor,
            )
            for i in range(have, total)
        ]
    )


def cases_seed(total: int, *, actor: Any) -> int:
    """Adds synthetic cases until there are `total`, and returns one case with 500+ timeline entries."""
    from kenniscentrum.cases.models import Case, Note, Task, Visibility

    have = Case.objects.count()
    if have < total:
        Case.objects.bulk_create(
            [
                Case(reference=f"C-2000-{i:05d}", title=f"Synthetische casus {i}", created_by=actor, director=actor)
                for i in range(have + 1, total + 1)
            ],
            batch_size=1000,
        )
    big = Case.objects.order_by("id").first()
    assert big is not None
    _referrals_seed(actor)
    if big.notes.count() < 400:
        Note.objects.bulk_create(
            [Note(case=big, body=f"Notitie {i}", visibility=Visibility.SHARED, author=actor) for i in range(400)]
        )
        # A long case as it looks after months: most of its 150 tasks done, ten still open.
        Task.objects.bulk_create(
            [
                Task(
                    case=big,
                    title=f"Taak {i}",
                    owner_user=actor,
                    created_by=actor,
                    status="open" if i < 10 else "done",
                    completed_at=None if i < 10 else timezone.now(),
                )
                for i in range(150)
            ]
        )
    return big.pk
