"""Benchmark: a clean `statusdocs build` of the real sources/, wall time and peak memory.

Each run copies the project to a temporary folder (so nothing is cached) and
runs the command line in a fresh interpreter; the time is split into reading
+ rendering and the Sphinx build, as the command reports them.

    .venv/bin/python benchmarks/clean_build.py [--runs 3]
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_TIMING = re.compile(r"read ([\d.]+) s, render ([\d.]+) s, sphinx ([\d.]+) s")


def copy_project(target: Path) -> None:
    """The parts of the project a build reads."""
    for name in ("sources", "templates"):
        shutil.copytree(ROOT / name, target / name)
    (target / "site").mkdir()
    shutil.copy(ROOT / "site" / "conf.py", target / "site" / "conf.py")


def one_run() -> dict[str, float]:
    """Time one clean build in a child process; peak memory from the child's rusage."""
    with tempfile.TemporaryDirectory() as folder:
        copy_project(Path(folder))
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "statusdocs", "build", "--project", folder],
            capture_output=True,
            text=True,
            check=False,
        )
        wall = time.perf_counter() - start
    match = _TIMING.search(done.stdout)
    if done.returncode != 0 or match is None:
        raise SystemExit(f"build failed:\n{done.stdout}\n{done.stderr}")
    read, render, sphinx = map(float, match.groups())
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"wall": wall, "read+render": read + render, "sphinx": sphinx, "peak MiB": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = [one_run() for _ in range(parser.parse_args().runs)]
    print(f"clean build of sources/ ({len(runs)} runs, median; peak is the largest child)")
    for key in ("wall", "read+render", "sphinx"):
        print(f"  {key:<12} {statistics.median(r[key] for r in runs):6.2f} s")
    print(f"  {'peak memory':<12} {max(r['peak MiB'] for r in runs):6.0f} MiB")


if __name__ == "__main__":
    main()
