"""Where a staff page spends its time: N requests in-process on PostgreSQL, the milliseconds per request and the
functions that take the most (cProfile). For finding what to make cheaper; the load figures come from run.py.

    DATABASE_URL=postgres://... .venv/bin/python bench/page_profile.py /medewerkers/meldingen/ [requests]
"""

import cProfile
import io
import os
import pstats
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from django.test import Client  # noqa: E402

import bench.run as run  # noqa: E402  (sets up Django with the benchmark's settings)
from bench.seed import cases_seed, reports_seed  # noqa: E402
from kenniscentrum.organisations.models import Municipality  # noqa: E402
from kenniscentrum.reports.models import Report  # noqa: E402


def main() -> None:
    path = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    user = run.setup()
    reports_seed(10_000, assignee_id=user.pk, municipality_ids=list(Municipality.objects.values_list("pk", flat=True)))
    big = cases_seed(1_000, actor=user)
    path = path.replace("{open}", str(Report.objects.open().values_list("pk", flat=True).first()))
    path = path.replace("{big}", str(big))
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = run.staff_session(user)
    assert client.get(path).status_code == 200, path
    started = time.perf_counter()
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(count):
        client.get(path)
    profile.disable()
    print(f"{path}: {(time.perf_counter() - started) * 1000 / count:.1f} ms per request (with the profiler on)")
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(45)
    print(out.getvalue())


if __name__ == "__main__":
    main()
