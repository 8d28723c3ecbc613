"""Benchmark: how `statusdocs build` grows with the number of sources, against plain Sphinx.

For each scale ("real" is the project's sources/, a number is that many
synthetic documents from benchmarks/synthetic.py) a temporary project is made
(templates/, site/conf.py and a sources/ folder), then each of
these runs in a fresh child process, timed (wall and CPU, the child's and its
children's, from `os.wait4`) and measured (the peak RSS of the largest process,
from `os.wait4`, and of the whole process tree, sampled from /proc):

- clean build: `python -m statusdocs build --project DIR`, split into
  read+render, sphinx and any other stage the command reports;
- no-op rebuild: the same command again, nothing changed;
- one edit: the same command after one description in one source changed;
- plain sphinx-build of as many minimal pages (basic theme, no sidebars) into
  fresh folders: the floor, what Sphinx alone costs for that many pages.

    .venv/bin/python benchmarks/scale.py [--scales real,100,1000] [--runs 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from synthetic import edit_one, generate, swap_words

ROOT = Path(__file__).resolve().parent.parent
SPHINX_BUILD = Path(sys.executable).with_name("sphinx-build")
REAL_EDIT = (
    "huaweicloud-iam-status-codes.rst",
    "continue with its request",
    "continue with the request",  # the same length, so the grid table stays aligned
)

_SUMMARY = re.compile(r"site (?:written to|unchanged at) .*\(([^()]*)\)\s*$", re.MULTILINE)
_STAGE = re.compile(r"([A-Za-z][\w+ -]*?)\s+(\d+(?:\.\d+)?)\s*s$")
_COUNTS = re.compile(r"(\d+) codes? from (\d+) sources?; (\d+) errors?, (\d+) warnings?")


class BenchmarkError(Exception):
    """A child process failed, so a scale has no result."""


@dataclass(slots=True)
class Child:
    """One finished child process."""

    wall: float
    """Seconds from start to exit."""
    cpu: float
    """CPU seconds (user and system) of the child and the processes it waited for."""
    peak: float
    """The peak resident set size of the largest process (the child or one of its own), MiB."""
    tree_peak: float
    """The largest sum of the resident set sizes of the child and its descendants, MiB,
    sampled every 20 ms."""
    returncode: int
    stdout: str
    stderr: str


@dataclass(slots=True)
class Build:
    """One `statusdocs build`, with the stages it reported."""

    child: Child
    stages: dict[str, float]

    @property
    def read_render(self) -> float:
        """Seconds reading the sources and rendering the pages."""
        return self.stages.get("read", 0.0) + self.stages.get("render", 0.0)

    @property
    def sphinx(self) -> float:
        """Seconds in the Sphinx build."""
        return self.stages.get("sphinx", 0.0)

    @property
    def other(self) -> float:
        """Seconds in stages other than read, render and sphinx."""
        return sum(v for k, v in self.stages.items() if k not in ("read", "render", "sphinx"))


@dataclass(slots=True)
class Run:
    """The four measurements of one scale on one fresh project."""

    clean: Build
    noop: Build
    edit: Build
    plain: Child
    sources: int
    pages: int
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Result:
    """A scale's runs, summarized: times are medians, peaks the largest."""

    scale: str
    runs: list[Run]

    def median(self, pick: str) -> float:
        """The median over runs of an attribute path such as "clean.sphinx"."""
        return statistics.median(_attribute(run, pick) for run in self.runs)

    def peak(self, pick: str) -> float:
        """The largest value over runs of an attribute path such as "clean.child.peak"."""
        return max(_attribute(run, pick) for run in self.runs)


def _attribute(run: Run, path: str) -> float:
    value: object = run
    for name in path.split("."):
        value = getattr(value, name, None) if not isinstance(value, dict) else value.get(name)
    # A stage a build did not report (a no-op reports none) took no time.
    return float(value) if isinstance(value, int | float) else 0.0


def _tree_rss(root: int) -> int:
    """The resident set size of a process and all its descendants, in bytes, from /proc."""
    parents: dict[int, int] = {}
    sizes: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # the process ended while we looked
        fields = text[text.rindex(")") + 2 :].split()
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        sizes[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [root]
    children: dict[int, list[int]] = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    while stack:
        pid = stack.pop()
        total += sizes.get(pid, 0)
        stack.extend(children.get(pid, ()))
    return total


class TreeSampler(threading.Thread):
    """Samples the process tree's resident set size until stopped; keeps the largest."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak = pid, 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.02):
            self.peak = max(self.peak, _tree_rss(self.pid))


def run_child(command: list[str], cwd: Path, timeout: float) -> Child:
    """Run a command to the end: its wall and CPU time, the largest process's peak RSS
    (`os.wait4`) and the whole tree's (sampled)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err)
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        sampler = TreeSampler(process.pid)
        sampler.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
            sampler.done.set()
            sampler.join()
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        peak = usage.ru_maxrss / 1024
        cpu = usage.ru_utime + usage.ru_stime
        tree = max(peak, sampler.peak / 2**20)
        child = Child(wall, cpu, peak, tree, process.returncode, out.read(), err.read())
    if child.returncode < 0:
        raise BenchmarkError(f"{shlex.join(command)}: killed (signal {-child.returncode})")
    return child


def run_build(project: Path, timeout: float) -> Build:
    """`python -m statusdocs build --project DIR` in a fresh interpreter."""
    command = [sys.executable, "-m", "statusdocs", "build", "--project", str(project)]
    child = run_child(command, project, timeout)
    summary = _SUMMARY.findall(child.stdout)
    if not summary:
        raise BenchmarkError(f"build failed (exit {child.returncode}):\n{child.stderr[-3000:]}")
    stages: dict[str, float] = {}
    for item in summary[-1].split(","):
        match = _STAGE.fullmatch(item.strip())
        if match:
            stages[match[1]] = stages.get(match[1], 0.0) + float(match[2])
    return Build(child, stages)


PLAIN_CONF = """project = "bare"
html_theme = "basic"
html_sidebars = {"**": []}
"""


def run_plain_sphinx(project: Path, pages: int, timeout: float) -> Child:
    """Bare Sphinx on as many minimal pages (a title and a paragraph; basic theme, no
    sidebars) as the site has, into fresh folders: the floor, measured in the same run."""
    plain = project / "plain-sphinx"
    shutil.rmtree(plain, ignore_errors=True)
    source = plain / "src"
    source.mkdir(parents=True)
    (source / "conf.py").write_text(PLAIN_CONF, "utf-8")
    names = [f"p{number}" for number in range(1, pages)]
    toctree = "".join(f"   {name}\n" for name in names)
    (source / "index.rst").write_text(f"Bare\n====\n\n.. toctree::\n\n{toctree}", "utf-8")
    for name in names:
        (source / f"{name}.rst").write_text(f"{name}\n{'=' * len(name)}\n\nText.\n", "utf-8")
    command = [str(SPHINX_BUILD), "-b", "html", "-q", "-d", str(plain / "doctrees"), str(source)]
    child = run_child([*command, str(plain / "html")], project, timeout)
    if child.returncode != 0:
        raise BenchmarkError(f"sphinx-build failed (exit {child.returncode}):\n{child.stderr}")
    return child


def make_project(target: Path, scale: str) -> None:
    """A project to build: the site's configuration and templates, and the scale's sources."""
    shutil.copytree(ROOT / "templates", target / "templates")
    (target / "site").mkdir(parents=True)
    shutil.copy(ROOT / "site" / "conf.py", target / "site" / "conf.py")
    if scale == "real":
        shutil.copytree(ROOT / "sources", target / "sources")
    else:
        generate(target / "sources", int(scale))


def edit_sources(sources: Path, scale: str) -> Path:
    """Change one description in one source; returns the file changed."""
    if scale != "real":
        return edit_one(sources)
    name, old, new = REAL_EDIT
    swap_words(sources / name, old, new)
    return sources / name


def measure(project: Path, scale: str, timeout: float, log: str) -> Run:
    """The four measurements, in order, on a freshly made project."""
    clean = run_build(project, timeout)
    _progress(f"{log} clean {clean.child.wall:.1f} s, {clean.child.peak:.0f} MiB")
    noop = run_build(project, timeout)
    _progress(f"{log} no-op {noop.child.wall:.1f} s")
    edited = edit_sources(project / "sources", scale)
    edit = run_build(project, timeout)
    _progress(f"{log} one edit ({edited.name}) {edit.child.wall:.1f} s")
    pages = sum(1 for p in (project / "site" / "_build" / "html").rglob("*.html"))
    pages -= 2  # Sphinx's own genindex and search pages
    plain = run_plain_sphinx(project, pages, timeout)
    _progress(f"{log} plain sphinx-build {plain.wall:.1f} s, {plain.peak:.0f} MiB")
    counts = _COUNTS.search(clean.child.stderr)
    run = Run(clean, noop, edit, plain, int(counts[2]) if counts else 0, pages)
    for label, build in (("clean", clean), ("no-op", noop), ("one edit", edit)):
        if build.child.returncode != 0:
            run.notes.append(f"{scale}: {label} build exited {build.child.returncode}")
    if scale != "real" and (counts is None or counts.group(3, 4) != ("0", "0")):
        run.notes.append(f"{scale}: synthetic sources not clean: {counts and counts[0]}")
    return run


def bench_scale(scale: str, runs: int, keep: Path | None, timeout: float) -> Result:
    """Measure one scale `runs` times, each on a new project."""
    result = Result(scale, [])
    for number in range(1, runs + 1):
        log = f"[{scale} {number}/{runs}]"
        if keep is None:
            with tempfile.TemporaryDirectory(prefix=f"statusdocs-{scale}-") as folder:
                make_project(Path(folder), scale)
                result.runs.append(measure(Path(folder), scale, timeout, log))
        else:
            project = keep / f"{scale}-run{number}"
            shutil.rmtree(project, ignore_errors=True)
            make_project(project, scale)
            result.runs.append(measure(project, scale, timeout, log))
    return result


COLUMNS = (
    "scale",
    "sources",
    "pages",
    "clean wall (s)",
    "clean CPU (s)",
    "clean ms/page",
    "clean peak, largest process (MiB)",
    "clean peak, process tree (MiB)",
    "no-op wall (s)",
    "one edit wall (s)",
    "bare Sphinx wall (s)",
    "bare Sphinx peak (MiB)",
    "clean/bare",
    "edit/clean",
)


def table_row(result: Result) -> list[str]:
    """One line of the results table."""
    last = result.runs[-1]
    clean, plain = result.median("clean.child.wall"), result.median("plain.wall")
    edit = result.median("edit.child.wall")
    cells = [result.scale, str(last.sources), str(last.pages), f"{clean:.1f}"]
    cells += [f"{result.median('clean.child.cpu'):.1f}", f"{1000 * clean / last.pages:.0f}"]
    cells += [
        f"{result.peak('clean.child.peak'):.0f}",
        f"{result.peak('clean.child.tree_peak'):.0f}",
    ]
    cells += [f"{result.median('noop.child.wall'):.2f}", f"{edit:.2f}"]
    cells += [f"{plain:.1f}", f"{result.peak('plain.peak'):.0f}"]
    cells += [f"{clean / plain:.2f}x", f"{100 * edit / clean:.0f}%"]
    return cells


STAGE_COLUMNS = (
    "scale",
    "build",
    "wall (s)",
    "CPU (s)",
    "read+render (s)",
    "sphinx (s)",
    "other (s)",
    "peak, largest (MiB)",
    "peak, tree (MiB)",
)


def stage_rows(result: Result) -> list[list[str]]:
    """The stages of each `statusdocs build` kind, medians over runs."""
    rows = []
    for label, kind in (("clean", "clean"), ("no-op", "noop"), ("one edit", "edit")):
        cells = [result.scale, label]
        for pick in ("child.wall", "child.cpu", "read_render", "sphinx", "other"):
            cells.append(f"{result.median(f'{kind}.{pick}'):.2f}")
        cells.append(f"{result.peak(f'{kind}.child.peak'):.0f}")
        cells.append(f"{result.peak(f'{kind}.child.tree_peak'):.0f}")
        rows.append(cells)
    return rows


def markdown_table(header: tuple[str, ...], rows: list[list[str]]) -> str:
    """A Markdown table, numbers right-aligned."""
    lines = ["| " + " | ".join(header) + " |"]
    lines.append("|" + "|".join("---" if i < 2 else "---:" for i in range(len(header))) + "|")
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _machine() -> str:
    packages = ", ".join(f"{name} {version(name)}" for name in ("sphinx", "docutils", "furo"))
    return f"Python {platform.python_version()}, {packages}, {os.cpu_count()} CPUs"


def main(argv: list[str] | None = None) -> int:
    """Measure every scale and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scales", default="real,100,1000", help="comma-separated: real and/or source counts"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs of the real scale (median; 3)")
    parser.add_argument(
        "--synthetic-runs", type=int, default=3, help="runs of a numeric scale (median; 3)"
    )
    parser.add_argument("--keep", type=Path, help="keep the projects in this folder")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per child (3600)")
    args = parser.parse_args(argv)
    scales = [scale.strip() for scale in args.scales.split(",") if scale.strip()]
    for scale in scales:
        if scale != "real" and not scale.isdigit():
            parser.error(f"--scales: {scale!r} is neither 'real' nor a number")
    print(f"$ {shlex.join(sys.orig_argv)}", flush=True)
    print(_machine(), flush=True)
    results, failures = [], []
    for scale in scales:
        runs = args.runs if scale == "real" else args.synthetic_runs
        try:
            results.append(bench_scale(scale, runs, args.keep, args.timeout))
        except BenchmarkError as problem:
            failures.append(f"{scale}: {problem}")
            _progress(failures[-1])
    print()
    print(markdown_table(COLUMNS, [table_row(result) for result in results]))
    print()
    rows = [row for result in results for row in stage_rows(result)]
    print(markdown_table(STAGE_COLUMNS, rows))
    print()
    print("Times are medians of the runs, peaks the largest.")
    print("CPU counts the child and the processes it waited for.")
    for result in results:
        print(f"- {result.scale}: {len(result.runs)} run(s)")
        for note in (note for run in result.runs for note in run.notes):
            print(f"- note: {note}")
    for failure in failures:
        print(f"- FAILED {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
