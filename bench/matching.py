"""Person matching at scale: time and peak memory to match 10,000, 100,000 and 1,000,000 synthetic records
(`bench/persons.py`) with the trained model, each size in a fresh process so its peak memory is its own."""

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def one(size: int) -> dict[str, float]:
    """Runs in its own process: prepare, predict, cluster."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kenniscentrum.settings")
    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)
    from bench.persons import records
    from kenniscentrum.linking import matching

    rows = list(records(size, seed=11))
    started = time.perf_counter()
    result = matching.clusters(rows)
    seconds = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "records": size,
        "seconds": seconds,
        "peak_mib": peak_mib,
        "clusters": len({r["cluster_id"] for r in result}),
    }


def matching_benchmarks(sizes: list[int]) -> list[dict[str, float]]:
    results = []
    for size in sizes:
        out = (
            subprocess.run(  # noqa: S603 (this very file, with a number)
                [sys.executable, __file__, str(size)], capture_output=True, text=True, check=True, cwd=ROOT
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        results.append(json.loads(out))
        print(results[-1], flush=True)
    return results


if __name__ == "__main__":
    print(json.dumps(one(int(sys.argv[1]))))
