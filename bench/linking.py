"""Linking look-ups as the identifiers grow: 10,000 to 10,000,000 identifiers, straight in SQL on PostgreSQL.

Each identifier is seen in one report, and one in ten in a second report too (so look-ups find matches). Kinds are
spread over phone numbers, plates and e-mail addresses, with values unique per kind, as `Identifier` demands.
The ceiling is a read of one row by its primary key, timed the same way in the same run.
"""

import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from django.db import connection

from kenniscentrum.accounts.models import User
from kenniscentrum.linking.models import Identifier
from kenniscentrum.linking.services import search, seen_before, sightings_of
from kenniscentrum.reports.models import Report

IDENTIFIERS_SQL = """
INSERT INTO linking_identifier (kind, value, valid, created_at)
SELECT (ARRAY['phone', 'plate', 'email'])[1 + i %% 3],
       CASE i %% 3 WHEN 0 THEN '+316' || lpad(i::text, 8, '0')
                   WHEN 1 THEN 'B' || i::text
                   ELSE 'x' || i::text || '@voorbeeld.nl' END,
       true, now()
FROM generate_series(%(first)s, %(last)s) AS i
"""

# Every identifier in one report; one in ten in a second report as well.
SIGHTINGS_SQL = """
WITH reports AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM reports_report),
     total AS (SELECT count(*) AS c FROM reports_report),
     new AS (SELECT id, row_number() OVER (ORDER BY id) AS i FROM linking_identifier WHERE id > %(after)s),
     seen AS (SELECT new.id AS identifier_id, new.i AS i, 0 AS copy FROM new
              UNION ALL SELECT new.id, new.i, 1 FROM new WHERE new.i %% 10 = 0)
INSERT INTO linking_sighting (identifier_id, report_id, typed, source, legal_basis, recorded_at)
SELECT seen.identifier_id, reports.id, 'as typed', 'reporter', '', now()
FROM seen, total, reports
WHERE reports.n = 1 + (seen.i * 7919 + seen.copy * 104729) %% total.c
"""


def identifiers_seed(total: int) -> None:
    """Adds identifiers (with their sightings) until the table holds `total`."""
    have = Identifier.objects.count()
    if have >= total:
        return
    after = Identifier.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with connection.cursor() as cursor:
        cursor.execute(IDENTIFIERS_SQL, {"first": have + 1, "last": total})
        cursor.execute(SIGHTINGS_SQL, {"after": after})
        cursor.execute("ANALYZE linking_identifier; ANALYZE linking_sighting;")


# Reports as the field knows them: a few identifiers each (three here), each also seen in one other report. The bulk
# identifiers above spread over the seeded reports give each of those a hundred at ten million, which measures
# fan-out rather than the size of the table.
PROBE_REPORTS = 200
PROBE_SQL = """
WITH probe AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM reports_report WHERE id > %(after)s),
     made AS (
         INSERT INTO linking_identifier (kind, value, valid, created_at)
         SELECT 'phone', 'probe-' || %(size)s || '-' || (probe.n * 3 + k), true, now()
         FROM probe, generate_series(0, 2) AS k
         RETURNING id, value
     ),
     numbered AS (SELECT id, row_number() OVER (ORDER BY id) AS m FROM made)
INSERT INTO linking_sighting (identifier_id, report_id, typed, source, legal_basis, recorded_at)
SELECT numbered.id, probe.id, 'as typed', 'reporter', '', now()
FROM numbered JOIN probe ON probe.n = 1 + (numbered.m - 1) / 3
UNION ALL
SELECT numbered.id, %(other)s, 'as typed', 'reporter', '', now() FROM numbered
"""


def probe_reports(size: int) -> list[int]:
    """Adds PROBE_REPORTS reports with three identifiers each, every one also seen in an older report."""
    from bench.seed import reports_seed

    before = Report.objects.count()
    after = Report.objects.order_by("-id").values_list("id", flat=True).first() or 0
    user_id = User.objects.order_by("id").values_list("id", flat=True).first()
    municipalities = list(Report.objects.exclude(municipality=None).values_list("municipality_id", flat=True)[:1])
    reports_seed(before + PROBE_REPORTS, assignee_id=user_id or 0, municipality_ids=municipalities or [0])
    with connection.cursor() as cursor:
        cursor.execute(PROBE_SQL, {"after": after, "size": size, "other": after // 2 or 1})
        cursor.execute("ANALYZE linking_sighting;")
    return list(Report.objects.filter(pk__gt=after).values_list("pk", flat=True))


def linking_truncate() -> None:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE linking_identifier, linking_sighting, linking_dismissal RESTART IDENTITY")


def _p95(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=20)[-1]


def _timed(prepare: Callable[[], Callable[[], Any]], rounds: int) -> float:
    """p95 of `rounds` runs; each run is prepared (its value chosen, its report read) before the clock starts."""
    timings = []
    for _ in range(rounds):
        work = prepare()
        started = time.perf_counter()
        work()
        timings.append((time.perf_counter() - started) * 1000)
    return _p95(timings)


def lookups(user: User, size: int, rounds: int = 200) -> dict[str, float]:
    """p95 in ms of: the search page's look-up of a value typed as a person would; "seen before" for a report with
    identifiers; and the ceiling, a primary-key read."""
    rng = random.Random(size)
    last_report = Report.objects.order_by("-id").values_list("id", flat=True).first() or 1

    def search_one() -> Any:
        i = 3 * rng.randint(1, size // 3 - 1)  # a phone number that exists, written the Dutch way
        return lambda: search(user, "phone", f"06-{i:08d}")

    probes = probe_reports(size)

    def seen_one() -> Any:
        report = Report.objects.get(pk=probes[rng.randrange(len(probes))])
        return lambda: seen_before(user, sightings_of(report), audit_obj=report)

    def ceiling_one() -> Any:
        pk = rng.randint(1, last_report)
        return lambda: Report.objects.filter(pk=pk).values_list("reference", flat=True).first()

    return {
        "ceiling: one report by primary key": _timed(ceiling_one, rounds),
        "search a phone number": _timed(search_one, rounds),
        "seen before, for a report": _timed(seen_one, rounds),
    }


def linking_benchmarks(user: User, sizes: list[int]) -> dict[str, dict[int, float]]:
    linking_truncate()
    results: dict[str, dict[int, float]] = {}
    for size in sizes:
        started = time.perf_counter()
        identifiers_seed(size)
        print(f"seeded {size} identifiers in {time.perf_counter() - started:.1f}s", flush=True)
        for name, p95 in lookups(user, size).items():
            results.setdefault(name, {})[size] = p95
        print(size, {name: round(by_size[size], 2) for name, by_size in results.items()}, flush=True)
    return results
