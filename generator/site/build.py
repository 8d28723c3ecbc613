"""`statusdocs build`: the site's Sphinx build, run in process, then published.

The Sphinx application of the project's site (`site/conf.py`, whose site
extension reads the sources and writes the pages whose text changed,
`statusdocs.site.extension`) builds into a staging folder; its result is
published atomically (`statusdocs.site.publish`), and only when something
changed.  Sphinx is not run at all when none of its inputs changed.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import filelock
from sphinx.application import Sphinx
from sphinx.errors import SphinxError
from sphinx.util.console import nocolor
from sphinx.util.docutils import docutils_namespace, patch_docutils

from ..diagnostics import StatusdocsError
from ..model import Model
from ..progress import QUIET, Progress
from ..sources.settings import Project
from . import noop
from .cache import code_version
from .extension import Hosted, hosting
from .publish import check_output, output_path, publish, releases_dir


@dataclass(slots=True)
class BuildResult:
    """What a build did."""

    model: Model
    out: Path
    written: list[str] = field(default_factory=list)
    """Page files whose text changed (relative to the generated folder)."""
    removed: list[str] = field(default_factory=list)
    """Page files that were stale and deleted."""
    warnings: list[str] = field(default_factory=list)
    """Sphinx's warnings, one per line."""
    published: bool = False
    """Whether the output changed (a no-op rebuild publishes nothing)."""
    seconds: dict[str, float] = field(default_factory=dict)
    """Wall time of each stage: read, render, sphinx."""


# Sphinx reads and writes pages in this many processes: on this project's pages
# (big tables) two processes cut a large build's Sphinx time by about a fifth.
SPHINX_PROCESSES = min(2, os.cpu_count() or 1)
# The lock file that keeps two builds of one project, or into one output, apart.
LOCK_NAME = "statusdocs.lock"
# How long a build waits for another one to finish, in seconds.
LOCK_WAIT = 600


class BuildFailed(StatusdocsError):
    """The site could not be built; the previously published site is left as it was."""


def build(
    project: Project,
    paths: Sequence[Path] = (),
    out: Path | None = None,
    progress: Progress = QUIET,
) -> BuildResult:
    """Read the sources, render the pages, build the HTML and publish it atomically,
    reporting each stage to `progress`.

    Raises `OutputRefused` (before doing anything) when the output path is the
    user's, and `BuildFailed` when a stage fails, a file cannot be written or
    the disk is full; the published site is then left as it was.
    """
    target = output_path(out or project.out)
    check_output(target, project.build_dir)  # before the lock, which makes a file beside it
    try:
        with one_at_a_time(project.build_dir), one_at_a_time(releases_dir(target)):
            check_output(target, project.build_dir)  # another build may have made it since
            return _build(project, paths, target, progress)
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        raise BuildFailed(f"{exc.strerror or exc}{where}") from exc


@contextmanager
def one_at_a_time(folder: Path) -> Iterator[None]:
    """Hold the build lock of `folder` (waiting, with a word, while another build holds it).

    An OS file lock: the kernel releases it when its process dies, so a killed
    build never leaves a stale lock behind.
    """
    if folder.exists() and not folder.is_dir():
        raise BuildFailed(f"{folder} is not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(folder / LOCK_NAME)
    try:
        lock.acquire(timeout=0)
    except filelock.Timeout:
        print(f"statusdocs: waiting for another build using {folder}", file=sys.stderr, flush=True)
        try:
            lock.acquire(timeout=LOCK_WAIT)
        except filelock.Timeout as exc:
            message = f"another build has held {folder / LOCK_NAME} for {LOCK_WAIT} s; giving up"
            raise StatusdocsError(message) from exc
    try:
        yield
    finally:
        lock.release()


def _build(project: Project, paths: Sequence[Path], out: Path, progress: Progress) -> BuildResult:
    staging = project.build_dir / "staging"
    warnings = io.StringIO()
    # As sphinx-build does: docutils' global registries are restored after the build,
    # so several builds in one process do not see each other's roles and nodes.
    with (
        hosting(paths, progress) as hosted,
        patch_docutils(project.site),
        docutils_namespace(),
        _sphinx_errors(hosted),
    ):
        app = sphinx_app(project, staging, warnings)  # reads the sources, writes the pages
        assert hosted.model is not None
        result = BuildResult(hosted.model, out, hosted.written, hosted.removed)
        result.seconds.update(hosted.seconds)
        clock = time.perf_counter()
        result.warnings = run_sphinx_if_needed(project, app, staging, warnings)
        result.seconds["sphinx"] = time.perf_counter() - clock

    clock = time.perf_counter()
    progress.stage("publishing")
    result.published = publish(staging, result.out)
    progress.close()
    result.seconds["publish"] = time.perf_counter() - clock
    noop.remember(project, paths, out, noop.report_of(result.model, result.warnings))
    return result


def run_sphinx_if_needed(
    project: Project, app: Sphinx, staging: Path, warnings: io.StringIO
) -> list[str]:
    """Run the Sphinx build unless none of its inputs changed since its last successful run.

    Sphinx's own up-to-date check still rewrites its indices and search files;
    skipping it when no page, configuration or static file changed keeps a
    no-op rebuild from touching anything.
    """
    stamp_file = project.build_dir / "sphinx-inputs.json"
    stamp = _sphinx_inputs(project)
    try:
        last = json.loads(stamp_file.read_text("utf-8"))
    except (OSError, ValueError):
        last = {}
    if last.get("inputs") == stamp and (staging / "index.html").is_file():
        return list(last.get("warnings", []))
    app.build()
    lines = [line for line in warnings.getvalue().splitlines() if line.strip()]
    stamp_file.write_text(json.dumps({"inputs": stamp, "warnings": lines}), "utf-8")
    return lines


def _sphinx_inputs(project: Project) -> str:
    """A digest of everything a Sphinx run reads: pages, configuration, static files, versions."""
    digest = hashlib.sha256(project.config.title.encode())
    digest.update(code_version().encode())  # the site extension, its directives, its CSS
    digest.update(noop.versions().encode())
    # The generated pages are inputs; Sphinx's own output and state are not.
    outputs = (project.build_dir.resolve(),)
    for line in noop.listing(project.site, outputs, project.root.resolve()):
        digest.update(line.encode())
    return digest.hexdigest()


def sphinx_app(project: Project, out: Path, warnings: io.StringIO) -> Sphinx:
    """The Sphinx application of the site, building HTML into `out`."""
    nocolor()
    return Sphinx(
        srcdir=project.site,
        confdir=project.site,
        outdir=out,
        doctreedir=project.build_dir / "doctrees",
        buildername="html",
        confoverrides={},
        status=None,
        warning=warnings,
        freshenv=False,
        parallel=SPHINX_PROCESSES,
    )


@contextmanager
def _sphinx_errors(hosted: Hosted) -> Iterator[None]:
    """Sphinx's own failures (a broken conf.py, an extension error) as BuildFailed; a
    template's failure as it is."""
    try:
        yield
    except SphinxError as exc:
        if hosted.failure is not None:
            raise BuildFailed(str(hosted.failure)) from hosted.failure
        raise BuildFailed(f"Sphinx failed: {exc}") from exc
