"""Runs every benchmark against PostgreSQL and writes docs/benchmarks.md.

    make bench        (starts the local PostgreSQL cluster and sets DATABASE_URL)

HTTP under load (gunicorn, production settings, 20 clients for 30 s per scenario) for the public pages,
the triage queue and the case pages, the cost of the queue's queries as the table grows to a million
reports, linking look-ups as the identifiers grow to ten million, and a worker's memory over 10,000 requests.
A ten-minute soak and the fault runs (kill -9, PostgreSQL restarted, a full disk; bench/faults.py) close it.
BENCH_PHASES=http,cases,memory,growth,linking,matching,insights,soak,faults picks phases; the others are taken from
the last run.

    make bench-quick  (BENCH_QUICK=1: a few minutes, smaller tables and shorter runs; prints the table and writes
                      nothing, for checking a change)
"""

import datetime
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "kenniscentrum.settings",
        "DEBUG": "0",
        "HTTPS": "0",  # plain HTTP on loopback; everything else as in production
        "ALLOWED_HOSTS": "127.0.0.1",
        "ROOT_URLCONF": "bench.urls",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        # A fixed key of the benchmark's own (its database holds only synthetic data), so data encrypted by one run
        # is read by the next; the public demo key would stop the server without DEBUG (startup.py).
        "DATA_KEYS": os.environ.get("BENCH_DATA_KEYS") or "YmVuY2gtb25seS1rZXktc3ludGhldGljLWRhdGEtLS0=",
    }
)
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("Set DATABASE_URL to a PostgreSQL database (make bench does).")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from bench.load import Request, Result, run  # noqa: E402
from bench.seed import reports_seed  # noqa: E402
from kenniscentrum.accounts.models import Role, User, UserRole  # noqa: E402
from kenniscentrum.organisations.models import Municipality, Organisation  # noqa: E402
from kenniscentrum.reports.models import Report  # noqa: E402
from kenniscentrum.reports.views_staff import QUEUE_ORDER, CappedPaginator  # noqa: E402

HOST, PORT = "127.0.0.1", 8765
BASE = f"http://{HOST}:{PORT}"
QUICK = os.environ.get("BENCH_QUICK") == "1"
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "20"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "5" if QUICK else "30"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
# Identifiers for the linking look-ups (issue 14: p95 below 20 ms with 10,000,000).
LINKING_SIZES = [
    int(s)
    for s in os.environ.get("BENCH_LINKING_SIZES", "10000,100000" if QUICK else "10000,100000,1000000,10000000").split(
        ","
    )
]
LINKING_TARGET_MS = 20
# The soak (issue 16): ten minutes of submissions, triage and case work.
SOAK_SECONDS = int(os.environ.get("BENCH_SOAK_SECONDS", "60" if QUICK else "600"))
# Reports and cases for the monitor (issue 15: dashboard p95 < 300 ms at 1,000,000 reports and 100,000 cases).
INSIGHTS_SIZES = [(10_000, 1_000), (100_000, 10_000)] if QUICK else [
    (10_000, 1_000), (100_000, 10_000), (1_000_000, 100_000)
]  # fmt: skip
# Records for person matching (issue 14: time and peak memory at 10,000, 100,000 and 1,000,000).
MATCHING_SIZES = [
    int(s) for s in os.environ.get("BENCH_MATCHING_SIZES", "10000" if QUICK else "10000,100000,1000000").split(",")
]
SIZES = [
    int(s) for s in os.environ.get("BENCH_SIZES", "1000,10000" if QUICK else "1000,10000,100000,1000000").split(",")
]
# The reports and cases of the load scenarios (issue 12: 100,000 reports and 10,000 cases).
REPORTS, CASES = (10_000, 1_000) if QUICK else (100_000, 10_000)
REPORTS_LABEL, CASES_LABEL = f"{REPORTS:,} reports", f"{CASES:,} cases"
# Scenario -> (least share of the ceiling's requests per second in the same run, in %; p95 below this many ms).
TARGETS: dict[str, tuple[int, int]] = {
    "public home page": (50, 0),
    "submit a report": (20, 150),
    f"triage queue, {REPORTS_LABEL}": (20, 100),
    f"report page, {REPORTS_LABEL}": (20, 100),
    f"case list, {CASES_LABEL}": (20, 100),
    "my tasks": (20, 100),
    "referral list": (20, 100),
    "case page, 500+ timeline entries": (0, 300),
}


def setup() -> User:
    call_command("migrate", verbosity=0)
    call_command("load_region", stdout=open(os.devnull, "w"))  # noqa: SIM115
    user, _ = User.objects.get_or_create(
        username="bench-intake", defaults={"organisation": Organisation.objects.get(type="knowledge_centre")}
    )
    UserRole.objects.get_or_create(user=user, role=Role.INTAKE)
    TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "bench"})
    return user


def staff_session(user: User) -> str:
    """A session that passed both factors, as the login would leave it."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]  # a backend not in the list logs nobody in
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.create()
    return str(session.session_key)


def start_server(workers: int, new_session: bool = False) -> subprocess.Popen[bytes]:
    """gunicorn with `workers`; `new_session`: in a process group of its own, so the fault runs can kill it whole."""
    server = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "kenniscentrum.wsgi",
            "--bind",
            f"{HOST}:{PORT}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        start_new_session=new_session,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(BASE + "/bench/ceiling/", timeout=2)  # noqa: S310 (loopback only)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    server.wait(timeout=30)


def csrf_pair() -> tuple[str, str]:
    """A CSRF cookie and form token, fetched once like a browser would."""
    with urllib.request.urlopen(BASE + "/melden/") as response:  # noqa: S310 (loopback only)
        cookie = re.search(r"csrftoken=([^;]+)", response.headers["Set-Cookie"])
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode())
    assert cookie and token
    return cookie.group(1), token.group(1)


def submit_request(cookie: str, token: str) -> Any:
    from bench.faults import form_fields, urlencoded

    def make(i: int) -> Request:
        body = urlencoded(
            {"csrfmiddlewaretoken": token, **form_fields(f"Benchmark melding {i}: mijn buurman werkt dag en nacht.")}
        )
        return Request(
            "POST",
            "/melden/",
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookie}",
                "Origin": BASE,
                "Sec-Fetch-Site": "same-origin",
            },
            body,
        )

    return make


def get(path_of: Any, sessions: list[str] | None = None) -> Any:
    def make(i: int) -> Request:
        headers = {"Cookie": f"sessionid={sessions[(i // 1_000_000) % len(sessions)]}"} if sessions else {}
        return Request("GET", path_of(i) if callable(path_of) else path_of, headers)

    return make


def http_benchmarks(user: User) -> list[Result]:
    sessions = [staff_session(user) for _ in range(CLIENTS)]
    municipalities = list(Municipality.objects.values_list("pk", flat=True))
    results = []
    reports_truncate()
    reports_seed(REPORTS, assignee_id=user.pk, municipality_ids=municipalities)
    server = start_server(WORKERS)
    try:
        cookie, token = csrf_pair()
        open_ids = list(Report.objects.open().values_list("pk", flat=True)[:200])
        scenarios = [
            ("ceiling: minimal Django view", get("/bench/ceiling/")),
            ("public home page", get("/")),
            ("submit a report", submit_request(cookie, token)),
            (f"triage queue, {REPORTS_LABEL}", get("/medewerkers/meldingen/", sessions)),
            (
                f"report page, {REPORTS_LABEL}",
                get(lambda i: f"/medewerkers/meldingen/{open_ids[i % 200]}/", sessions),
            ),
            ("ceiling: minimal Django view (again)", get("/bench/ceiling/")),
        ]
        for name, make in scenarios:
            results.append(run(name, HOST, PORT, make, clients=CLIENTS, seconds=SECONDS))
            print(results[-1].summary(), flush=True)
    finally:
        stop_server(server)
    return results


def case_benchmarks(user: User) -> list[Result]:
    """The case list with 1,000 cases, and one case page with more than 500 timeline entries."""
    from bench.seed import cases_seed

    big = cases_seed(CASES, actor=user)
    sessions = [staff_session(user) for _ in range(CLIENTS)]
    server = start_server(WORKERS)
    results = []
    try:
        for name, make in [
            ("ceiling: minimal Django view (cases)", get("/bench/ceiling/")),
            (f"case list, {CASES_LABEL}", get("/medewerkers/casussen/", sessions)),
            ("my tasks", get("/medewerkers/taken/", sessions)),
            ("referral list", get("/medewerkers/verwijzingen/", sessions)),
            ("case page, 500+ timeline entries", get(f"/medewerkers/casussen/{big}/", sessions)),
        ]:
            results.append(run(name, HOST, PORT, make, clients=CLIENTS, seconds=SECONDS))
            print(results[-1].summary(), flush=True)
    finally:
        stop_server(server)
    return results


def queue_queries(user: User) -> dict[str, tuple[Any, Any]]:
    """Each selection as the queue makes it: (the page's query, in the queue's default order with its marks; the
    selection it counts)."""
    municipality = Municipality.objects.get(cbs_code="GM0153")
    queue = Report.objects.open()
    selections = {
        "open queue, first page": queue,
        "filter: municipality": queue.filter(municipality=municipality),
        "filter: form": queue.with_form("labour"),
        "filter: priority urgent": queue.filter(priority="urgent"),
        "filter: channel phone": queue.filter(channel="phone"),
        "filter: assigned to me": queue.filter(assignee=user),
        "reference search": Report.objects.filter(reference="M-2000-00420"),
    }
    return {name: (qs.for_queue().order_by(*QUEUE_ORDER["urgent"]), qs) for name, qs in selections.items()}


def time_query(queries: tuple[Any, Any], repeat: int = 11) -> float:
    """The page of 25 and the count the queue's paginator makes (capped, as in the view)."""
    shown, counted = queries
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        list(shown[:25])
        counted.order_by()[: CappedPaginator.cap + 1].count()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def reports_truncate() -> None:
    """Every phase starts from an empty reports table, whatever an earlier phase or run left."""
    with connection.cursor() as cursor:
        cursor.execute(
            # CASCADE: every table that points at a report (its signals, forms, persons, messages, history, and
            # whatever a later app adds) is emptied with it; naming them one by one broke when signals came.
            "TRUNCATE reports_report RESTART IDENTITY CASCADE"
        )


def growth_benchmarks(user: User) -> tuple[dict[str, dict[int, float]], dict[str, str]]:
    municipalities = list(Municipality.objects.values_list("pk", flat=True))
    timings: dict[str, dict[int, float]] = {}
    plans: dict[str, str] = {}
    reports_truncate()
    for size in SIZES:
        started = time.perf_counter()
        reports_seed(size, assignee_id=user.pk, municipality_ids=municipalities)
        print(f"seeded {size} reports in {time.perf_counter() - started:.1f}s", flush=True)
        for name, queries in queue_queries(user).items():
            timings.setdefault(name, {})[size] = time_query(queries)
            if size == SIZES[-1]:
                plans[name] = queries[0][:25].explain(analyze=True)
        print(size, {k: round(v[size], 2) for k, v in timings.items()}, flush=True)
    return timings, plans


def worker_rss_kb(server: subprocess.Popen[bytes]) -> int:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    status = Path(f"/proc/{children[0]}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]


def memory_benchmark(user: User) -> dict[str, int]:
    sessions = [staff_session(user) for _ in range(4)]
    open_ids = list(Report.objects.open().values_list("pk", flat=True)[:200])
    server = start_server(1)
    try:
        cookie, token = csrf_pair()
        mix = [
            get("/"),
            get("/medewerkers/meldingen/", sessions),
            get(lambda i: f"/medewerkers/meldingen/{open_ids[i % 200]}/", sessions),
            submit_request(cookie, token),
        ]

        def make(i: int) -> Request:
            return mix[i % len(mix)](i)

        def requests(count: int) -> int:
            done = 0
            while done < count:
                result = run("memory", HOST, PORT, make, clients=4, seconds=5)
                done += result.requests
            return done

        warm = requests(200 if QUICK else 1_000)
        before = worker_rss_kb(server)
        more = requests(1_000 if QUICK else 10_000)
        after = worker_rss_kb(server)
    finally:
        stop_server(server)
    return {"warm_up_requests": warm, "rss_after_warm_up_kb": before, "more_requests": more, "rss_after_kb": after}


def machine() -> str:
    mem = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())
    cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]  # type: ignore[index]
    return (
        f"{os.cpu_count()} cores ({cpu.group(1).strip() if cpu else 'unknown CPU'}), "
        f"{int(mem.group(1)) // 1024 // 1024 if mem else '?'} GiB memory, PostgreSQL {pg}, "
        f"Python {sys.version.split()[0]}, gunicorn with {WORKERS} sync workers"
    )


def write_report(
    http: list[dict[str, Any]],
    timings: dict[str, dict[int, float]],
    plans: dict[str, str],
    memory: dict[str, int],
    linking: dict[str, dict[int, float]],
    matching: list[dict[str, float]],
    insights: dict[str, Any] | None = None,
    soak: dict[str, Any] | None = None,
    faults: dict[str, Any] | None = None,
) -> None:
    from bench.report import render

    text = render(
        date=datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        machine=machine(),
        clients=CLIENTS,
        seconds=SECONDS,
        http=http,
        targets=TARGETS,
        sizes=SIZES,
        timings=timings,
        plans=plans,
        memory=memory,
        linking=linking,
        linking_target=LINKING_TARGET_MS,
        matching=matching,
        insights=insights,
        soak=soak,
        faults=faults,
    )
    if QUICK:
        print(text.split("## Cost as the data grows")[0])
        print(text.split("## Cost as the data grows")[1].split("<details>")[0])
        return
    (ROOT / "docs" / "benchmarks.md").write_text(text, encoding="utf-8")


RESULTS = ROOT / "var" / "bench-results.json"


def main() -> None:
    """Runs the phases named in BENCH_PHASES (all by default); the others are taken from the last run."""
    phases = os.environ.get("BENCH_PHASES", "http,cases,memory,growth,linking,matching,insights,soak,faults").split(",")
    saved = json.loads(RESULTS.read_text()) if RESULTS.exists() and not QUICK else {}
    # The report needs every phase's figures: a phase without figures from an earlier run (a fresh clone) runs too.
    for phase, key in (
        ("http", "http"),
        ("memory", "memory"),
        ("growth", "timings"),
        ("linking", "linking"),
        ("matching", "matching"),
        ("insights", "insights"),
        ("soak", "soak"),
        ("faults", "faults"),
    ):
        if key not in saved and phase not in phases:
            print(f"no earlier figures for the {phase} phase: running it too", flush=True)
            phases.append(phase)
    user = setup()
    if "http" in phases:
        saved["http"] = [r.summary() for r in http_benchmarks(user)]
    if "cases" in phases:
        saved["cases"] = [r.summary() for r in case_benchmarks(user)]
    if "memory" in phases:
        saved["memory"] = memory_benchmark(user)
    if "growth" in phases:
        timings, plans = growth_benchmarks(user)
        saved["timings"] = {name: {str(k): v for k, v in by_size.items()} for name, by_size in timings.items()}
        saved["plans"] = plans
    if "linking" in phases:
        from bench.linking import linking_benchmarks

        reports_seed(
            REPORTS, assignee_id=user.pk, municipality_ids=list(Municipality.objects.values_list("pk", flat=True))
        )
        linking = linking_benchmarks(user, LINKING_SIZES)
        saved["linking"] = {name: {str(k): v for k, v in by_size.items()} for name, by_size in linking.items()}
    if "matching" in phases:
        from bench.matching import matching_benchmarks

        saved["matching"] = matching_benchmarks(MATCHING_SIZES)
    if "insights" in phases:
        from bench.insights import insights_benchmarks

        saved["insights"] = insights_benchmarks(user, INSIGHTS_SIZES)
    if "soak" in phases or "faults" in phases:
        from bench import faults

        bench = faults.Bench(HOST, PORT, WORKERS, min(CLIENTS, 8), start_server, stop_server, staff_session, csrf_pair)
        reports_truncate()
        reports_seed(
            2_000, assignee_id=user.pk, municipality_ids=list(Municipality.objects.values_list("pk", flat=True))
        )
        if "soak" in phases:
            saved["soak"] = faults.soak(bench, user, SOAK_SECONDS)
        if "faults" in phases:
            saved["faults"] = {
                "kill9": faults.kill9(bench),
                "pg_restart": faults.pg_restart(bench, user),
                "disk_full": faults.disk_full(bench),
            }
            print(saved["faults"], flush=True)
    if not QUICK:
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(json.dumps(saved, indent=1))
    timings = {name: {int(k): v for k, v in by_size.items()} for name, by_size in saved["timings"].items()}
    linking = {name: {int(k): v for k, v in by_size.items()} for name, by_size in saved["linking"].items()}
    write_report(
        saved["http"] + saved.get("cases", []),
        timings,
        saved["plans"],
        saved["memory"],
        linking,
        saved["matching"],
        saved.get("insights"),
        saved.get("soak"),
        saved.get("faults"),
    )
    print("" if QUICK else "written docs/benchmarks.md")


if __name__ == "__main__":
    main()
