"""The monitor as the records grow: 10,000 reports and 1,000 cases to 1,000,000 reports and 100,000 cases.

At each size: how long the nightly count takes (figures_refresh), and the dashboard's time in the process (Django's
test client, the whole view with its template and charts): the first request after the count, when charts and
published tables are not cached yet, and the p95 of the requests after it, exact and as published, for the region
and for one municipality; and how long making a release of a year takes (the publish button). The ceiling is the
minimal page of bench/urls.py, timed the same way in the same run.
"""

import random
import time
from datetime import timedelta
from typing import Any

from django.db import connection
from django.test import Client
from django.utils import timezone

from kenniscentrum.accounts.models import User
from kenniscentrum.cases.models import Case, Involvement, Person
from kenniscentrum.insights.figures import figures_refresh
from kenniscentrum.organisations.models import Municipality

REPEATS = 30
FORMS = ["labour", "sexual", "criminal", "organ_removal"]


def cases_seed(total: int, actor: User) -> None:
    """Cases over the last five years with one possible victim each, in bulk."""
    have = Case.objects.count()
    if have >= total:
        return
    rng = random.Random(total)
    places = list(Municipality.objects.all())
    now = timezone.now()
    for start in range(have, total, 10_000):
        size = min(10_000, total - start)
        opened = [now - timedelta(days=rng.randint(60, 5 * 365)) for _ in range(size)]
        states = [rng.choice(["screening", "in_progress", "closed"]) for _ in range(size)]
        cases = Case.objects.bulk_create(
            [
                Case(
                    reference=f"C-1990-{start + i:06d}",
                    title="Synthetische casus",
                    created_by=actor,
                    municipality=rng.choice(places),
                    residence_municipality=rng.choice(places),
                    forms=[rng.choice(FORMS)],
                    status=states[i],
                    created_at=opened[i],
                    closed_at=opened[i] + timedelta(days=50) if states[i] == "closed" else None,
                )
                for i in range(size)
            ],
            batch_size=5_000,
        )
        persons = Person.objects.bulk_create(
            [
                Person(gender=rng.choice(["Feminine", "Masculine"]), nationalities=[rng.choice(["PL", "RO", "NL"])])
                for _ in cases
            ],
            batch_size=5_000,
        )
        Involvement.objects.bulk_create(
            [
                Involvement(case=c, person=p, role="victim", age_at_start=rng.randint(14, 60))
                for c, p in zip(cases, persons, strict=True)
            ],
            batch_size=5_000,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case; ANALYZE cases_person; ANALYZE cases_involvement;")


def timed(client: Client, path: str, repeats: int = REPEATS) -> tuple[float, float]:
    """(the first request, the p95 of the next `repeats`) in milliseconds."""
    samples = []
    for _ in range(repeats + 1):
        started = time.perf_counter()
        response = client.get(path, HTTP_HOST="127.0.0.1")
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    rest = sorted(samples[1:])
    return samples[0], rest[max(0, int(len(rest) * 0.95) - 1)]


def insights_benchmarks(user: User, sizes: list[tuple[int, int]]) -> dict[str, Any]:
    from bench.seed import reports_seed

    municipalities = list(Municipality.objects.values_list("pk", flat=True))
    with connection.cursor() as cursor:  # from empty tables, whatever an earlier phase or run left
        cursor.execute("TRUNCATE reports_report, cases_case, cases_person, insights_figure RESTART IDENTITY CASCADE")
    client = Client()
    client.force_login(user)
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    year = timezone.localdate().year
    pages = {
        "dashboard, exact": f"/medewerkers/monitor/?start={year - 4}-01&end={year}-12",
        "dashboard, published": f"/medewerkers/monitor/?view=published&year={year - 1}",
        "one municipality, published": f"/medewerkers/monitor/?view=published&year={year - 1}&municipality=GM0153",
        "municipality report": f"/medewerkers/monitor/rapport/GM0153/{year - 1}/",
    }
    results: dict[str, Any] = {}
    for reports, cases in sizes:
        started = time.perf_counter()
        reports_seed(reports, assignee_id=user.pk, municipality_ids=municipalities)
        cases_seed(cases, user)
        seeded = time.perf_counter() - started
        started = time.perf_counter()
        rows = figures_refresh()
        counted = time.perf_counter() - started
        from django.core.cache import cache

        from kenniscentrum.insights.publication import make_release

        cache.clear()
        # The four completed years published again at this size, one after the other, as the centre does each
        # January: the time of one release is what the publish button costs.
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE insights_release")
        started = time.perf_counter()
        for released in range(year - 4, year):
            make_release(released, user)
        published = (time.perf_counter() - started) / 4
        row: dict[str, Any] = {"reports": reports, "cases": cases, "seconds_to_seed": round(seeded, 1),
                               "seconds_to_count": round(counted, 1), "figure_rows": rows,
                               "seconds_per_release": round(published, 1)}  # fmt: skip
        row["ceiling_ms"] = round(timed(client, "/bench/ceiling/")[1], 2)
        for name, path in pages.items():
            first, p95 = timed(client, path)
            row[name] = {"first_ms": round(first, 1), "p95_ms": round(p95, 1)}
        print(f"{reports} reports, {cases} cases: {row}", flush=True)
        results[str(reports)] = row
    return results
