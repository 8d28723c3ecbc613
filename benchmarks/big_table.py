"""Benchmark: one source with a very long table, the other way a site grows.

For each row count in `--rows` a temporary project is made from the real
`sources/` plus one Markdown pipe table of that many rows (an error catalogue:
an application error code, the HTTP status spread over the registered codes, a
short name and a short description), and a clean `statusdocs build` runs in a
fresh child process, measured as `scale.py` measures: wall and CPU time, the
peak RSS of the largest process and of the whole process tree.

    .venv/bin/python benchmarks/big_table.py [--rows 1000,10000] [--runs 1] [--keep DIR]
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from scale import BenchmarkError, make_project, run_build
from synthetic import registered_phrases

ROOT = Path(__file__).resolve().parent.parent
BIG = "error-catalogue.md"


def catalogue(rows: int) -> str:
    """A Markdown error catalogue of `rows` rows, codes cycling through the registered ones."""
    phrases = sorted(registered_phrases().items())
    lines = [
        "# Error catalogue",
        "",
        "| Error code | HTTP status | Name | Description |",
        "|---|---|---|---|",
    ]
    for number in range(1, rows + 1):
        code, phrase = phrases[number % len(phrases)]
        lines.append(
            f"| E{number:06} | {code} | {phrase} | Application error {number} of the catalogue. |"
        )
    return "\n".join(lines) + "\n"


def measure(project: Path, rows: int, timeout: float) -> tuple[float, float, float, float, str]:
    """One clean build: wall, CPU, peak of the largest process and of the tree, and what it
    said of the big source (its entry count, and any error: a table past a limit is read
    up to it, with an error, and the build exits 1)."""
    (project / "sources" / BIG).write_text(catalogue(rows), "utf-8")
    build = run_build(project, timeout)
    child = build.child
    said = [line for line in child.stderr.splitlines() if BIG in line and "warning" not in line]
    if child.returncode not in (0, 1):
        raise BenchmarkError(f"{rows} rows: exit {child.returncode}\n{child.stderr[-2000:]}")
    return child.wall, child.cpu, child.peak, child.tree_peak, "; ".join(said)


def main(argv: list[str] | None = None) -> int:
    """Measure every row count and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="1000,10000", help="comma-separated row counts")
    parser.add_argument("--runs", type=int, default=1, help="runs of each count (median)")
    parser.add_argument("--keep", type=Path, help="keep the projects in this folder")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per build (900)")
    args = parser.parse_args(argv)
    counts = [int(part) for part in args.rows.split(",") if part.strip()]
    print(f"$ {shlex.join(sys.orig_argv)}", flush=True)
    header = "| rows | wall (s) | CPU (s) | peak, largest (MiB) | peak, tree (MiB) | ms/row |"
    header += " KiB/row | what the build said of the big source |"
    lines = [header, "|---:|---:|---:|---:|---:|---:|---:|---|"]
    failures = []
    for rows in counts:
        results = []
        for run in range(args.runs):
            folder = Path(tempfile.mkdtemp(prefix=f"statusdocs-big-{rows}-"))
            try:
                make_project(folder, "real")
                results.append(measure(folder, rows, args.timeout))
                print(f"[{rows} rows {run + 1}/{args.runs}] {results[-1]}", file=sys.stderr)
            except BenchmarkError as problem:
                failures.append(str(problem))
                break
            finally:
                if args.keep:
                    shutil.copytree(folder, args.keep / f"{rows}-run{run + 1}", dirs_exist_ok=True)
                shutil.rmtree(folder, ignore_errors=True)
        if not results:
            continue
        wall = statistics.median(r[0] for r in results)
        cpu = statistics.median(r[1] for r in results)
        peak, tree = max(r[2] for r in results), max(r[3] for r in results)
        lines.append(
            f"| {rows:,} | {wall:.1f} | {cpu:.1f} | {peak:.0f} | {tree:.0f} | "
            f"{1000 * wall / rows:.2f} | {1024 * peak / rows:.1f} | {results[-1][4]} |"
        )
    print("\n".join(lines))
    for failure in failures:
        print(f"- FAILED {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
