"""Proof under load and faults (issue 16), each a run that stops by itself, against gunicorn and PostgreSQL:

- soak: submissions, triage and case work for ten minutes (BENCH_SOAK_SECONDS); no error, and each worker's memory
  sampled every 30 seconds stays flat;
- kill -9: the whole gunicorn process group killed during a burst of submissions with a photo; every report whose
  receipt reached the reporter is complete, no report is half-stored and no file is without its report;
- PostgreSQL restarted under load: requests meanwhile get the clear 503 page, not a server error, and the same
  gunicorn answers again once the database is back;
- a full disk for files: the table of stored files moved to a tablespace on a small tmpfs, then reports with a photo
  until it is full; the reporter gets the form back with the text and a clear message, and nothing is half-stored.

The last two need root and the local cluster, as `make bench` has. `run.py` passes its server helpers in `Bench`.
"""

import os
import re
import signal
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

import requests
from django.db import connection
from PIL import Image

from bench.load import Request, run
from kenniscentrum.accounts.models import User
from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.cases.models import Case, Document
from kenniscentrum.lib.models import StoredFile
from kenniscentrum.organisations.models import Covenant
from kenniscentrum.reports import receipts
from kenniscentrum.reports.models import Attachment, Report, ReportTransition

CODE = re.compile(r'<p class="receipt-code"[^>]*>([A-Z0-9-]+)</p>')
UNAVAILABLE = "Even niet bereikbaar"
NOT_STORED = "niets van bewaard"


@dataclass
class Bench:
    host: str
    port: int
    workers: int
    clients: int
    start_server: Callable[..., subprocess.Popen[bytes]]
    stop_server: Callable[[subprocess.Popen[bytes]], None]
    staff_session: Callable[[User], str]
    csrf_pair: Callable[[], tuple[str, str]]

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"


def worker_rss_kb(server: subprocess.Popen[bytes]) -> list[int]:
    """The resident memory of each gunicorn worker (the master's children)."""
    sizes = []
    for pid in Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split():
        status = Path(f"/proc/{pid}/status").read_text()
        found = re.search(r"VmRSS:\s+(\d+)", status)
        if found:
            sizes.append(int(found.group(1)))
    return sorted(sizes)


def png(size: int, seed: int) -> bytes:
    """A photo of noise that does not compress: `size` pixels square."""
    image = Image.frombytes("RGB", (size, size), os.urandom(size * size * 3) if seed else b"\x80" * size * size * 3)
    out = BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def form_fields(description: str) -> dict[str, str]:
    return {
        "token": receipts.new_submission_token(),
        "acute_danger": "no",
        "reporter_role": "concerned",
        "description": description,
        "suspected_forms": "labour",
        "ongoing": "unknown",
        "contact_preference": "anonymous",
        "consent_share_identity": "no",
        "persons-TOTAL_FORMS": "0",
        "persons-INITIAL_FORMS": "0",
    }


def submit_with_photo(bench: Bench, cookie: str, token: str, description: str, photo: bytes) -> requests.Response:
    return requests.post(
        bench.base + "/melden/",
        data={"csrfmiddlewaretoken": token, **form_fields(description)},
        files={"attachments": ("foto.png", photo, "image/png")},
        headers={"Origin": bench.base, "Sec-Fetch-Site": "same-origin"},
        cookies={"csrftoken": cookie},
        timeout=30,
    )


def sh(*args: str, check: bool = True) -> str:
    """A fixed system command of the benchmark (pg_ctlcluster, mount, psql as postgres), run as root."""
    done = subprocess.run(args, check=check, capture_output=True, text=True)  # noqa: S603, S607 (fixed commands)
    return done.stdout


def urlencoded(fields: dict[str, str]) -> bytes:
    return "&".join(f"{k}={requests.utils.quote(v)}" for k, v in fields.items()).encode()


# Soak


def soak(bench: Bench, user: User, seconds: int) -> dict[str, Any]:
    from bench.seed import cases_seed

    if Case.objects.count() < 20:
        cases_seed(20, actor=user)
    case_ids = list(Case.objects.order_by("id").values_list("pk", flat=True)[:20])
    report_ids = list(Report.objects.open().order_by("id").values_list("pk", flat=True)[:200])
    sessions = [bench.staff_session(user) for _ in range(bench.clients)]
    server = bench.start_server(bench.workers)
    try:
        cookie, token = bench.csrf_pair()

        def staff(i: int, path: str, body: dict[str, str] | None = None) -> Request:
            headers = {"Cookie": f"sessionid={sessions[(i // 1_000_000) % len(sessions)]}; csrftoken={cookie}"}
            if body is None:
                return Request("GET", path, headers)
            headers |= {"Content-Type": "application/x-www-form-urlencoded", "Origin": bench.base,
                        "Sec-Fetch-Site": "same-origin"}  # fmt: skip
            encoded = "&".join(
                f"{k}={requests.utils.quote(v)}" for k, v in {"csrfmiddlewaretoken": token, **body}.items()
            )
            return Request("POST", path, headers, encoded.encode())

        def make(i: int) -> Request:
            step, report, case = i % 6, report_ids[i % len(report_ids)], case_ids[i % len(case_ids)]
            if step == 0:
                body = urlencoded({"csrfmiddlewaretoken": token, **form_fields(f"Soak {i}: werk zonder loon.")})
                headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookie}",
                           "Origin": bench.base, "Sec-Fetch-Site": "same-origin"}  # fmt: skip
                return Request("POST", "/melden/", headers, body)
            if step == 1:
                return staff(i, "/medewerkers/meldingen/")
            if step == 2:
                return staff(i, f"/medewerkers/meldingen/{report}/")
            if step == 3:
                priority = "high" if (i // 6) % 2 else "normal"
                return staff(i, f"/medewerkers/meldingen/{report}/actie/triage/",
                             {"triage-priority": priority, "triage-suspected_forms": "labour"})  # fmt: skip
            if step == 4:
                return staff(i, f"/medewerkers/casussen/{case}/")
            return staff(i, f"/medewerkers/casussen/{case}/actie/note/",
                         {"note-body": f"Soak-notitie {i}", "note-visibility": "internal"})  # fmt: skip

        samples: list[dict[str, Any]] = []
        statuses: Counter[int] = Counter()
        requests_done = errors = 0
        started = time.monotonic()
        interval = min(30, seconds)
        while time.monotonic() - started < seconds:
            result = run("soak", bench.host, bench.port, make, clients=bench.clients, seconds=interval)
            requests_done += result.requests
            errors += result.errors
            statuses.update(result.statuses)
            samples.append({"at_s": round(time.monotonic() - started), "rss_kb": worker_rss_kb(server),
                            "p95_ms": round(result.percentile(95), 1), "rps": round(result.throughput, 1)})  # fmt: skip
            print("soak", samples[-1], dict(result.statuses), flush=True)
    finally:
        bench.stop_server(server)
    first, last = samples[0]["rss_kb"], samples[-1]["rss_kb"]
    growth = max(b - a for a, b in zip(first, last, strict=False)) if first and last else 0
    return {"seconds": seconds, "requests": requests_done, "errors": errors,
            "statuses": {str(k): v for k, v in sorted(statuses.items())}, "samples": samples,
            "rss_first_kb": first, "rss_last_kb": last, "rss_growth_kb": growth}  # fmt: skip


# kill -9 during a burst of submissions


def orphan_files() -> int:
    """Stored files no attachment, document or covenant names."""
    named = (
        set(Attachment.objects.values_list("file", flat=True))
        | set(Document.objects.values_list("file", flat=True))
        | set(Covenant.objects.values_list("document", flat=True))
    )
    return StoredFile.objects.exclude(name__in=named).count()


def complete(report: Report, photos: int) -> bool:
    """Every part a submission stores: the report, its photo as a row and a stored file, its first step, its audit
    event."""
    attachments = list(report.attachments.values_list("file", flat=True))
    return (
        len(attachments) == photos
        and StoredFile.objects.filter(name__in=attachments).count() == photos
        and ReportTransition.objects.filter(report=report, transition="submitted").exists()
        and AuditEvent.objects.filter(action=Action.REPORT_CREATED, object_id=str(report.pk)).exists()
    )


def kill9(bench: Bench, burst_seconds: float = 4.0, threads: int = 8) -> dict[str, Any]:
    connection.close()
    before = set(Report.objects.values_list("pk", flat=True))
    orphans_before = orphan_files()
    server = bench.start_server(bench.workers, new_session=True)
    cookie, token = bench.csrf_pair()
    photo = png(300, seed=1)
    receipts_got: list[str] = []
    failures: Counter[str] = Counter()
    stop = threading.Event()

    def submitter(n: int) -> None:
        i = 0
        while not stop.is_set():
            i += 1
            try:
                response = submit_with_photo(bench, cookie, token, f"Kill-9 burst {n}-{i}: werk zonder loon.", photo)
            except requests.RequestException as error:
                failures[type(error).__name__] += 1
                time.sleep(0.05)
                continue
            found = CODE.search(response.text)
            if response.status_code == 200 and found:
                receipts_got.append(found.group(1))
            else:
                failures[f"status {response.status_code}"] += 1

    workers = [threading.Thread(target=submitter, args=(n,)) for n in range(threads)]
    for thread in workers:
        thread.start()
    time.sleep(burst_seconds)
    os.killpg(server.pid, signal.SIGKILL)  # the master and every worker, mid-request
    time.sleep(1.0)
    stop.set()
    for thread in workers:
        thread.join(timeout=40)
    server.wait(timeout=10)
    connection.close()
    made = Report.objects.exclude(pk__in=before)
    digests = [receipts.receipt_digest(receipts.normalise_code(code) or "") for code in receipts_got]
    found = set(Report.objects.filter(receipt_digest__in=digests).values_list("receipt_digest", flat=True))
    incomplete = [r.reference for r in made if not complete(r, 1)]
    restarted = bench.start_server(bench.workers)
    try:
        answers_again = requests.get(bench.base + "/", timeout=10).status_code
    finally:
        bench.stop_server(restarted)
    return {
        "threads": threads,
        "burst_seconds": burst_seconds,
        "receipts": len(receipts_got),
        "receipts_without_report": sum(1 for digest in digests if digest not in found),
        "reports_stored": made.count(),
        "reports_without_receipt": made.count() - len(receipts_got),
        "incomplete_reports": incomplete,
        "orphan_files": orphan_files() - orphans_before,
        "client_errors_after_kill": dict(failures),
        "answers_after_restart": answers_again,
    }


# PostgreSQL restarted under load


def cluster() -> tuple[str, str]:
    version, name = sh("pg_lsclusters", "-h").split("\n")[0].split()[:2]
    return version, name


def pg_restart(bench: Bench, user: User, seconds: float = 40.0, restart_at: float = 10.0) -> dict[str, Any]:
    session = bench.staff_session(user)
    server = bench.start_server(bench.workers)
    master = server.pid
    log: list[tuple[float, int, bool]] = []
    stop = threading.Event()
    started = time.monotonic()

    def load() -> None:
        while not stop.is_set():
            try:
                response = requests.get(bench.base + "/medewerkers/meldingen/", cookies={"sessionid": session},
                                        timeout=15, allow_redirects=False)  # fmt: skip
                log.append((time.monotonic() - started, response.status_code, UNAVAILABLE in response.text))
            except requests.RequestException:
                log.append((time.monotonic() - started, 0, False))
            time.sleep(0.02)

    workers = [threading.Thread(target=load) for _ in range(4)]
    for thread in workers:
        thread.start()
    try:
        time.sleep(restart_at)
        connection.close()
        version, name = cluster()
        down_at = time.monotonic() - started
        sh("pg_ctlcluster", version, name, "restart", "-m", "fast")
        up_at = time.monotonic() - started
        time.sleep(max(0.0, seconds - up_at))
    finally:
        stop.set()
        for thread in workers:
            thread.join(timeout=20)
        same_server = server.poll() is None and server.pid == master
        bench.stop_server(server)
    during = [entry for entry in log if entry[0] >= down_at]
    first_ok = next((t for t, status, _ in during if status == 200 and t >= up_at), None)
    failed = [entry for entry in during if entry[1] != 200]
    return {
        "requests": len(log),
        "restart_took_s": round(up_at - down_at, 2),
        "failed_requests": len(failed),
        "failed_with_clear_page": sum(1 for _, status, clear in failed if status == 503 and clear),
        "server_errors_500": sum(1 for _, status, _ in log if status == 500),
        "no_answer": sum(1 for _, status, _ in log if status == 0),
        "back_after_s": round(first_ok - up_at, 2) if first_ok is not None else None,
        "ok_after_restart": sum(1 for t, status, _ in log if status == 200 and t >= up_at),
        "same_gunicorn": same_server,
    }


# A full disk for files


def psql(sql: str) -> None:
    sh("su", "postgres", "-c", f'psql -q -v ON_ERROR_STOP=1 -d {connection.settings_dict["NAME"]} -c "{sql}"')


def disk_full(bench: Bench, room_mb: int = 16, attempts: int = 60) -> dict[str, Any]:
    """`room_mb` free on the tmpfs beside the files already stored (the earlier runs' reports)."""
    # Files of reports an earlier phase truncated away: not the subject here, and they would fill the tmpfs.
    StoredFile.objects.filter(name__startswith="attachments/").exclude(
        name__in=Attachment.objects.values("file")
    ).delete()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size('lib_storedfile')")
        size_mb = cursor.fetchone()[0] // (1024 * 1024) + room_mb
    mount = Path("/mnt/kenniscentrum-bench-full")
    mount.mkdir(parents=True, exist_ok=True)
    sh("mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", str(mount))
    connection.close()
    before = set(Report.objects.values_list("pk", flat=True))
    orphans_before = orphan_files()
    role = connection.settings_dict["USER"]
    results: Counter[str] = Counter()
    kept_text = 0
    try:
        sh("chown", "postgres:postgres", str(mount))
        psql(f"CREATE TABLESPACE bench_full LOCATION '{mount}'")
        psql(f"GRANT CREATE ON TABLESPACE bench_full TO {role}")
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE lib_storedfile SET TABLESPACE bench_full")
        connection.close()
        server = bench.start_server(bench.workers)
        try:
            cookie, token = bench.csrf_pair()
            refused_in_a_row = 0
            for i in range(attempts):
                text = f"Volle schijf {i}: twintig mensen slapen in een schuur."
                response = submit_with_photo(bench, cookie, token, text, png(700, seed=i + 1))
                if response.status_code == 200 and CODE.search(response.text):
                    results["stored"] += 1
                    refused_in_a_row = 0
                elif response.status_code == 503 and NOT_STORED in response.text:
                    results["refused with the form and a clear message"] += 1
                    kept_text += text in response.text
                    refused_in_a_row += 1
                else:
                    results[f"other: {response.status_code}"] += 1
                if refused_in_a_row >= 5:
                    break
        finally:
            bench.stop_server(server)
        connection.close()
        made = Report.objects.exclude(pk__in=before)
        incomplete = [r.reference for r in made if not complete(r, 1)]
        orphans = orphan_files() - orphans_before
        stored = made.count()
    finally:
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM lib_storedfile WHERE name LIKE 'attachments/%%' AND name NOT IN "
                           "(SELECT file FROM reports_attachment)")  # fmt: skip
            cursor.execute("ALTER TABLE lib_storedfile SET TABLESPACE pg_default")
        connection.close()
        psql("DROP TABLESPACE IF EXISTS bench_full")
        sh("umount", str(mount), check=False)
    return {"tmpfs_mb": size_mb, "room_mb": room_mb, "outcomes": dict(results), "text_kept": kept_text,
            "reports_stored": stored, "incomplete_reports": incomplete, "orphan_files": orphans}  # fmt: skip
