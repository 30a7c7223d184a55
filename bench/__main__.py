"""``python -m bench`` (``make bench``): every benchmark, each in a process of its own, then one
table of every checked figure against its target (bench/results/summary.json and summary.md).

    python -m bench                    all of them, from a fresh work folder
    python -m bench query_latency ...  only those named (reusing the ingested store if there is one)
    python -m bench --quick            small sizes: checks that the benchmarks run, not the targets

Exit status 1 if a benchmark crashed; a missed target is reported, not an error.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime

from bench.common import REPO, RESULTS, WORK, Figure, machine, say

ORDER = [
    "ingest_overhead",
    "reingest",
    "query_latency",
    "scale",
    "memory",
    "concurrency",
    "cold_start",
    "idle_server",
    "learn_review",
]


def summary_markdown(rows: list[tuple[str, Figure]], host: dict) -> str:
    lines = [
        f"Measured on {host['cores']} cores (load average {host['load_average'][0]:.1f} at the start), "
        f"{datetime.now(UTC):%Y-%m-%d}.",
        "",
        "| benchmark | figure | target | measured | |",
        "|---|---|---|---|---|",
    ]
    for name, f in rows:
        mark = {True: "met", False: "**missed**", None: ""}[f.passed]
        target = f"{f.op} {f.target}{f.unit}" if f.op else ""
        lines.append(f"| {name} | {f.name} | {target} | {_value(f)} | {mark} |")
    return "\n".join(lines) + "\n"


def _value(f: Figure) -> str:
    return f"{f.measured}{f.unit}" + (f" ({f.note})" if f.note else "")


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    names = [a for a in argv if not a.startswith("--")] or ORDER
    unknown = [n for n in names if n not in ORDER]
    if unknown:
        say(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(ORDER)}")
        return 2
    env = {**os.environ, **({"PLAYBOOK_BENCH_QUICK": "1"} if quick else {})}
    if names == ORDER:
        shutil.rmtree(WORK, ignore_errors=True)  # a full run starts from nothing
    host = machine()
    say(
        f"bench: {', '.join(names)} on {host['cores']} cores, load average {host['load_average']}"
        + (" (quick: small sizes)" if quick else "")
    )
    started = time.perf_counter()
    crashed, timings = [], {}
    for name in names:
        say(f"\n== {name} ==")
        begun = time.perf_counter()
        if subprocess.run([sys.executable, "-m", f"bench.{name}"], cwd=REPO, env=env).returncode != 0:
            crashed.append(name)
        timings[name] = round(time.perf_counter() - begun, 1)
    rows: list[tuple[str, Figure]] = []
    for name in names:
        path = RESULTS / f"{name}.json"
        if name in crashed or not path.exists():
            continue
        for f in json.loads(path.read_text())["figures"]:
            f.pop("passed")
            rows.append((name, Figure(**f)))
    total = round(time.perf_counter() - started, 1)
    checked = [(n, f) for n, f in rows if f.passed is not None]
    say(
        f"\n== summary: {sum(bool(f.passed) for _, f in checked)} of {len(checked)} targets met, "
        f"{total / 60:.1f} min in all =="
    )
    for name, f in checked:
        say(f"{name:<16}{f.line()}")
    for name in crashed:
        say(f"{name:<16}  CRASHED: see its output above")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "summary.json").write_text(
        json.dumps(
            {
                "machine_at_start": host,
                "quick": quick,
                "seconds": total,
                "seconds_per_benchmark": timings,
                "crashed": crashed,
                "figures": [{"benchmark": n, **f.to_dict()} for n, f in rows],
            },
            indent=2,
        )
        + "\n"
    )
    (RESULTS / "summary.md").write_text(summary_markdown(rows, host))
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
