"""What deduce costs each gunicorn worker: two workers each de-identify a text, with deduce loaded by each worker on
its first use (as before issue 18) and loaded once in the master before the fork (deploy/gunicorn.conf.py,
when_ready). Prints each worker's resident memory (RSS), its proportional share (PSS) and what only it holds (USS,
private pages), and how long the first de-identification took. Needs DATABASE_URL to a migrated PostgreSQL
database: `DATABASE_URL=postgres://... python bench/deduce_memory.py`."""

import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8791
ENV = os.environ | {
    "DJANGO_SETTINGS_MODULE": "kenniscentrum.settings",
    "DEBUG": "0",
    "HTTPS": "0",
    "ALLOWED_HOSTS": "127.0.0.1",
    "ROOT_URLCONF": "bench.urls",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "DATA_KEYS": os.environ.get("BENCH_DATA_KEYS") or "YmVuY2gtb25seS1rZXktc3ludGhldGljLWRhdGEtLS0=",
}
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
# A control socket of its own, so it does not take the place of another gunicorn's on the same machine.
CONTROL = Path(tempfile.mkdtemp()) / "gunicorn.ctl"
COMMON = ["kenniscentrum.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", "2", "--threads", "1",
          "--control-socket", str(CONTROL)]  # fmt: skip
WAYS = {
    "each worker loads deduce": [GUNICORN, "--preload", *COMMON],
    "the master loads deduce before the fork": [GUNICORN, "-c", "deploy/gunicorn.conf.py", *COMMON],
}


def memory_kb(pid: int) -> dict[str, int]:
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    value = {k: int(v) for k, v in re.findall(r"^(\w+):\s+(\d+) kB", rollup, re.M)}
    return {"rss": value["Rss"], "pss": value["Pss"], "uss": value["Private_Clean"] + value["Private_Dirty"]}


def get(path: str) -> float:
    started = time.perf_counter()
    urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=600).read()  # noqa: S310 (loopback only)
    return time.perf_counter() - started


def measure(command: list[str]) -> dict[str, object]:
    started = time.perf_counter()
    server = subprocess.Popen(command, cwd=ROOT, env=ENV)  # noqa: S603 (our own gunicorn, fixed arguments)
    try:
        for _ in range(3000):
            try:
                get("/bench/ceiling/")
                break
            except OSError:
                time.sleep(0.2)
        ready = time.perf_counter() - started
        workers = [int(p) for p in Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()]
        # Sync workers, one request at a time each: two requests at once reach both workers.
        with ThreadPoolExecutor(2) as pool:
            first = sorted(pool.map(get, ["/bench/deidentify/"] * 2))
        for _ in range(20):
            get("/bench/deidentify/")
        return {"ready_s": round(ready, 1), "first_deidentify_s": [round(s, 2) for s in first],
                "workers": [memory_kb(pid) for pid in workers], "master": memory_kb(server.pid)}  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=600)


if __name__ == "__main__":
    for way, command in WAYS.items():
        print(way, json.dumps(measure(command)), flush=True)
