"""Writes the benchmark figures as docs/benchmarks.md, each beside its target and its ceiling."""

import re
from pathlib import Path
from typing import Any

NOTES = Path(__file__).with_name("notes.md")
# The HTTP figures measured before issue 12's work (2026-11-28), kept beside the new ones.
BEFORE = Path(__file__).with_name("before-issue-12.md")


def _plan_summary(plan: str) -> str:
    indexes = sorted(set(re.findall(r"[Ii]ndex (?:Only )?Scan(?: Backward)? using (\w+)", plan)))
    seq = sorted(set(re.findall(r"Seq Scan on (\w+)", plan)))
    parts = []
    if indexes:
        parts.append("index " + ", ".join(f"`{i}`" for i in indexes))
    if "Bitmap Index Scan" in plan:
        parts.append(
            "bitmap " + ", ".join(f"`{i}`" for i in sorted(set(re.findall(r"Bitmap Index Scan on (\w+)", plan))))
        )
    if seq:
        parts.append("sequential scan of " + ", ".join(f"`{s}`" for s in seq))
    return "; ".join(parts) or "–"


def render(
    *,
    date: str,
    machine: str,
    clients: int,
    seconds: float,
    http: list[dict[str, Any]],
    targets: dict[str, tuple[int, int]],
    sizes: list[int],
    timings: dict[str, dict[int, float]],
    plans: dict[str, str],
    memory: dict[str, int],
    linking: dict[str, dict[int, float]],
    linking_target: int,
    matching: list[dict[str, float]],
    insights: dict[str, Any] | None = None,
    soak: dict[str, Any] | None = None,
    faults: dict[str, Any] | None = None,
) -> str:
    first_ceiling = next(r for r in http if r["scenario"].startswith("ceiling"))
    lines = [
        "# Benchmarks",
        "",
        f"Measured {date} on {machine}. Produced by `make bench` (`bench/run.py`); do not edit by hand,",
        "except `bench/notes.md`, which is copied in at the end.",
        "",
        "## HTTP under load",
        "",
        f"{clients} concurrent clients on localhost for {seconds:.0f} s per scenario, a new connection per request.",
        "The ceiling is a minimal Django view rendering a small template through the same middleware, measured with",
        f"each group of scenarios (first: {first_ceiling['rps']} requests per second); each scenario's share is of the",
        "ceiling measured last before it.",
        "",
        "| scenario | requests | req/s | % of ceiling | p50 ms | p95 ms | p99 ms | errors | target | met |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    ceiling = first_ceiling
    for r in http:
        if r["scenario"].startswith("ceiling"):
            ceiling = r
        share = round(100 * r["rps"] / ceiling["rps"]) if ceiling["rps"] else 0
        least, p95 = targets.get(r["scenario"], (0, 0))
        wanted = [f"≥ {least}% of ceiling"] * bool(least) + [f"p95 < {p95} ms"] * bool(p95)
        ok = share >= least and (not p95 or r["p95"] < p95) and r["errors"] == 0
        met = "–" if not wanted else ("yes" if ok else "**no**")
        lines.append(
            f"| {r['scenario']} | {r['requests']} | {r['rps']} | {share}% | {r['p50']} | {r['p95']} | {r['p99']} | "
            f"{r['errors']} | {', '.join(wanted) or '–'} | {met} |"
        )
    if BEFORE.exists():
        lines += ["", BEFORE.read_text(encoding="utf-8").rstrip()]
    lines += [
        "",
        "## Cost as the data grows",
        "",
        "Median of 11 runs of each query as the triage queue runs it (first page of 25 in the queue's default order,",
        "acute danger and urgent first, with related rows and marks, plus the capped count for paging), on PostgreSQL,",
        "with the reports table at each size. One in twenty reports is open.",
        "",
        "| query | "
        + " | ".join(f"{s:,} reports" for s in sizes)
        + f" | {sizes[-1] // sizes[0]:,}× data gives | plan at {sizes[-1]:,} |",
        "| --- | " + " | ".join("---:" for _ in sizes) + " | ---: | --- |",
    ]
    for name, by_size in timings.items():
        growth = by_size[sizes[-1]] / by_size[sizes[0]] if by_size[sizes[0]] else float("nan")
        cells = " | ".join(f"{by_size[s]:.2f} ms" for s in sizes)
        lines.append(f"| {name} | {cells} | {growth:.1f}× time | {_plan_summary(plans.get(name, ''))} |")
    lines += ["", "<details><summary>EXPLAIN ANALYZE of each query at the largest size</summary>", ""]
    for name, plan in plans.items():
        lines += [f"**{name}**", "", "```", plan, "```", ""]
    lines += ["</details>", ""]
    lines += _linking_lines(linking, linking_target)
    lines += _matching_lines(matching)
    lines += _insights_lines(insights or {})
    lines += _soak_lines(soak or {})
    lines += _fault_lines(faults or {})
    lines += ["## Memory of a worker", ""]
    growth_kb = memory["rss_after_kb"] - memory["rss_after_warm_up_kb"]
    lines += [
        "| moment | requests | resident memory |",
        "| --- | ---: | ---: |",
        f"| after warm-up | {memory['warm_up_requests']} | {memory['rss_after_warm_up_kb'] / 1024:.1f} MiB |",
        f"| after more requests | {memory['more_requests']} | {memory['rss_after_kb'] / 1024:.1f} MiB |",
        "",
        f"Growth: {growth_kb / 1024:+.1f} MiB over {memory['more_requests']} requests (one gunicorn worker, a mix of",
        "the home page, the queue, report pages and submissions).",
        "",
    ]
    if NOTES.exists():
        lines += [NOTES.read_text(encoding="utf-8").rstrip(), ""]
    return "\n".join(lines)


def _linking_lines(linking: dict[str, dict[int, float]], target: int) -> list[str]:
    """The linking look-ups at each number of identifiers: p95, and its ratio to the ceiling at the same size."""
    sizes = sorted(next(iter(linking.values())))
    ceiling = next(by_size for name, by_size in linking.items() if name.startswith("ceiling"))
    lines = [
        "## Linking look-ups as the identifiers grow",
        "",
        "p95 of 200 look-ups at each size (`bench/linking.py`), on PostgreSQL, with every identifier seen in one",
        "report and one in ten in two. The search normalises a number typed as a person would, finds the identifier",
        "and every place it was seen, judges what the user may open and writes the audit event. *Seen before* does",
        "the same for all identifiers of one report, on reports as the field knows them: three identifiers each,",
        "every one also seen in another report (the bulk spread over the seeded reports would give each a hundred",
        "at ten million). The ceiling is one report read by its primary key, timed the same way.",
        "",
        "| look-up | "
        + " | ".join(f"{s:,} identifiers" for s in sizes)
        + f" | × ceiling at {sizes[-1]:,} | target | met |",
        "| --- | " + " | ".join("---:" for _ in sizes) + " | ---: | --- | --- |",
    ]
    for name, by_size in linking.items():
        cells = " | ".join(f"{by_size[s]:.2f} ms" for s in sizes)
        ratio = by_size[sizes[-1]] / ceiling[sizes[-1]] if ceiling[sizes[-1]] else float("nan")
        wanted = "–" if name.startswith("ceiling") else f"p95 < {target} ms"
        met = "–" if name.startswith("ceiling") else ("yes" if by_size[sizes[-1]] < target else "**no**")
        lines.append(f"| {name} | {cells} | {ratio:.1f}× | {wanted} | {met} |")
    return [*lines, ""]


def _matching_lines(matching: list[dict[str, float]]) -> list[str]:
    lines = [
        "## Person matching as the records grow",
        "",
        "Splink on DuckDB with the trained model (`linking/data/person_model.json`), on synthetic records with known",
        "truth (`bench/persons.py`): prepare, predict the pairs at the review threshold, cluster. Each size runs in a",
        "fresh process; peak memory is that process's maximum resident size. Quality is in docs/linking.md.",
        "",
        "| records | seconds | peak memory | clusters |",
        "| ---: | ---: | ---: | ---: |",
    ]
    for row in matching:
        records, clusters = int(row["records"]), int(row["clusters"])
        lines.append(f"| {records:,} | {row['seconds']:.1f} | {row['peak_mib']:,.0f} MiB | {clusters:,} |")
    return [*lines, ""]


INSIGHTS_TARGET_MS = 300
INSIGHTS_PAGES = ["dashboard, exact", "dashboard, published", "one municipality, published", "municipality report"]


def _insights_lines(insights: dict[str, Any]) -> list[str]:
    if not insights:
        return []
    rows = [insights[k] for k in sorted(insights, key=int)]
    last = rows[-1]
    lines = [
        "## The monitor as the records grow",
        "",
        "`bench/insights.py`, on PostgreSQL: synthetic reports (as the queue's growth table) and cases with one",
        "possible victim each, over five years. The nightly count (`figures_refresh`) reads every record; the",
        "dashboard reads only the counted figures. Times are the whole view in the process (template and charts",
        "included): the first request after the count, when no chart or published table is cached yet, and the p95",
        "of the 30 after it. A release (s): making one year's release (the publish button), the mean of four.",
        "The ceiling is the minimal page of bench/urls.py, timed the same way.",
        "",
        "| reports | cases | count (s) | figure rows | release (s) | "
        + " | ".join(f"{p}: first / p95" for p in INSIGHTS_PAGES)
        + " | ceiling p95 |",
        "| ---: | ---: | ---: | ---: | ---: | " + " | ".join("---:" for _ in INSIGHTS_PAGES) + " | ---: |",
    ]
    for row in rows:
        cells = " | ".join(f"{row[p]['first_ms']:,.0f} / {row[p]['p95_ms']:,.0f} ms" for p in INSIGHTS_PAGES)
        lines.append(
            f"| {row['reports']:,} | {row['cases']:,} | {row['seconds_to_count']:,.1f} | {row['figure_rows']:,} | "
            f"{row.get('seconds_per_release', float('nan')):,.1f} | {cells} | {row['ceiling_ms']:.1f} ms |"
        )
    worst = max(last[p]["p95_ms"] for p in INSIGHTS_PAGES)
    ratio = worst / last["ceiling_ms"] if last["ceiling_ms"] else float("nan")
    met = "yes" if worst < INSIGHTS_TARGET_MS else "**no**"
    lines += [
        "",
        f"At {last['reports']:,} reports and {last['cases']:,} cases the slowest p95 is {worst:,.0f} ms, "
        f"{ratio:,.0f}× the ceiling; target p95 < {INSIGHTS_TARGET_MS} ms: {met}.",
        "",
    ]
    return lines


def _soak_lines(soak: dict[str, Any]) -> list[str]:
    if not soak:
        return []
    lines = [
        "## Soak",
        "",
        f"`bench/faults.py`: {soak['seconds'] // 60} minutes of one mix against gunicorn on PostgreSQL: a public",
        "report, the triage queue, a report page, a priority change, a case page and a note on a case, in turn. Each",
        "worker's resident memory is read every 30 seconds (gunicorn restarts no worker here: no `max_requests`).",
        "",
        "| after | req/s | p95 | worker memory (MiB) |",
        "| ---: | ---: | ---: | --- |",
    ]
    for sample in soak["samples"]:
        memory = ", ".join(f"{kb / 1024:.0f}" for kb in sample["rss_kb"])
        lines.append(f"| {sample['at_s']} s | {sample['rps']} | {sample['p95_ms']} ms | {memory} |")
    flat = soak["rss_growth_kb"] <= 0.1 * max(soak["rss_first_kb"] or [1])
    lines += [
        "",
        f"{soak['requests']:,} requests, {soak['errors']} errors (statuses: "
        + ", ".join(f"{k}: {v:,}" for k, v in soak["statuses"].items())
        + f"). The largest growth of one worker from the first sample to the last: "
        f"{soak['rss_growth_kb'] / 1024:+.1f} MiB; flat (under 10%): {'yes' if flat else '**no**'}; "
        f"no error: {'yes' if not soak['errors'] else '**no**'}.",
        "",
    ]
    return lines


def _fault_lines(faults: dict[str, Any]) -> list[str]:
    if not faults:
        return []
    kill, restart, full = faults["kill9"], faults["pg_restart"], faults["disk_full"]
    return [
        "## Faults",
        "",
        "`bench/faults.py`, each run stopping by itself.",
        "",
        f"**kill -9 during submissions.** {kill['threads']} clients sent reports with a photo for "
        f"{kill['burst_seconds']:.0f} s; then the whole gunicorn process group was killed with SIGKILL. "
        f"{kill['receipts']} receipts reached a client; reports without a report behind their receipt: "
        f"{kill['receipts_without_report']}. Reports stored: {kill['reports_stored']} "
        f"({kill['reports_without_receipt']} committed while the answer was lost: stored before confirmed). "
        f"Half-stored reports (without their photo, stored file, first step or audit event): "
        f"{len(kill['incomplete_reports'])}. Files without a report: {kill['orphan_files']}. "
        f"After a new start the server answered {kill['answers_after_restart']}.",
        "",
        f"**PostgreSQL restarted under load.** Four clients read the triage queue without pause; after 10 s the "
        f"cluster was restarted (`pg_ctlcluster … restart -m fast`, {restart['restart_took_s']} s). "
        f"{restart['failed_requests']} requests failed meanwhile, {restart['failed_with_clear_page']} of them with "
        f"the clear 503 page; server errors (500): {restart['server_errors_500']}; no answer at all: "
        f"{restart['no_answer']}. The first request answered after the restart came "
        f"{restart['back_after_s']} s after it; {restart['ok_after_restart']} requests were answered after it, by the "
        f"same gunicorn (not restarted: {'yes' if restart['same_gunicorn'] else '**no**'}).",
        "",
        f"**A full disk for files.** The stored files' table was moved to a tablespace on a {full['tmpfs_mb']} MB "
        f"tmpfs ({full['room_mb']} MB free beside the files already stored), then reports with a photo of about "
        "1.5 MB were sent one after another: "
        + ", ".join(f"{k}: {v}" for k, v in full["outcomes"].items())
        + f". The reporter's text was on the form that came back {full['text_kept']} times. Half-stored reports: "
        f"{len(full['incomplete_reports'])}; files without a report: {full['orphan_files']}.",
        "",
    ]
