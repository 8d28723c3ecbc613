"""The build stage: render the pages into the Sphinx project, run Sphinx, publish.

All writing of files happens here.  Sources are parsed only when they
changed (`statusdocs.site.cache`); a page file is rewritten only when its text
changed and pages no longer made are removed, so Sphinx's own change
detection re-reads and re-writes just those; the result is published
atomically (`statusdocs.site.publish`), and only when something changed.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sys
import time
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import filelock
import jinja2
from sphinx.application import Sphinx
from sphinx.errors import SphinxError
from sphinx.util.console import nocolor
from sphinx.util.docutils import docutils_namespace, patch_docutils

from ..diagnostics import StatusdocsError
from ..formats.json_export import published_files
from ..ingest import build_model
from ..model import Model
from ..sources.settings import Project
from .cache import ParseCache
from .mentions import Mentions
from .pages import page_tree, render_pages
from .publish import check_output, output_path, publish, releases_dir
from .templates import environment


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
# Files copied into the site as they are (Sphinx's html_extra_path in site/conf.py).
EXTRA = "_extra"
# The lock file that keeps two builds of one project, or into one output, apart.
LOCK_NAME = "statusdocs.lock"
# How long a build waits for another one to finish, in seconds.
LOCK_WAIT = 600


class BuildFailed(StatusdocsError):
    """The site could not be built; the previously published site is left as it was."""


def build(project: Project, paths: Sequence[Path] = (), out: Path | None = None) -> BuildResult:
    """Read the sources, render the pages, build the HTML and publish it atomically.

    Raises `OutputRefused` (before doing anything) when the output path is the
    user's, and `BuildFailed` when a stage fails, a file cannot be written or
    the disk is full; the published site is then left as it was.
    """
    target = output_path(out or project.out)
    check_output(target, project.build_dir)  # before the lock, which makes a file beside it
    try:
        with one_at_a_time(project.build_dir), one_at_a_time(releases_dir(target)):
            check_output(target, project.build_dir)  # another build may have made it since
            return _build(project, paths, target)
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


def _build(project: Project, paths: Sequence[Path], out: Path) -> BuildResult:
    clock = time.perf_counter()
    cache = ParseCache(project.build_dir / "cache")
    model = build_model(list(paths) or project.sources, base=project.root, cache=cache)
    result = BuildResult(model, out)
    result.seconds["read"] = time.perf_counter() - clock

    clock = time.perf_counter()
    pages = _render(project, model)
    extras = {f"{EXTRA}/{name}": text for name, text in published_files(model).items()}
    result.written, result.removed = write_pages(pages | extras, project.generated)
    staging = project.build_dir / "staging"
    for name in result.removed:
        extra = name.removeprefix(f"{EXTRA}/")
        stale = staging / extra if extra != name else (staging / name).with_suffix(".html")
        stale.unlink(missing_ok=True)
    result.seconds["render"] = time.perf_counter() - clock

    clock = time.perf_counter()
    tree = page_tree(model, project.template_dirs)
    result.warnings = run_sphinx_if_needed(project, staging, tree)
    result.seconds["sphinx"] = time.perf_counter() - clock

    clock = time.perf_counter()
    result.published = publish(staging, result.out)
    result.seconds["publish"] = time.perf_counter() - clock
    return result


def _render(project: Project, model: Model) -> dict[str, str]:
    """Every page's text; any failure of a (user's) template is a `BuildFailed` naming it."""
    try:
        mentions = Mentions(code.code for code in model.codes)
        env = environment(project.template_dirs, mentions)
        return render_pages(model, env, project.config.title, mentions)
    except jinja2.TemplateError as exc:
        raise BuildFailed(f"template {_template_place(exc)}: {exc}") from exc
    except RecursionError as exc:
        place = _traceback_place(exc)
        message = "recursion too deep (a template or macro that extends, includes or calls itself)"
        raise BuildFailed(f"template {place}: {message}") from exc
    except Exception as exc:  # a user's template may raise anything: report where, not how
        place = _traceback_place(exc)
        raise BuildFailed(f"template {place}: {type(exc).__name__}: {exc}") from exc


def _traceback_place(exc: BaseException) -> str:
    """`template:line` of the innermost template frame of `exc` (Jinja maps frames to lines)."""
    place = "?"
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith(".jinja") or frame.filename.startswith("<template"):
            place = f"{frame.filename}:{frame.lineno}"
    return place


def _template_place(exc: jinja2.TemplateError) -> str:
    name = getattr(exc, "filename", None) or getattr(exc, "name", None)
    line = getattr(exc, "lineno", None)
    if name is None:
        return _traceback_place(exc)
    return f"{name}:{line}" if line else str(name)


def write_pages(pages: dict[str, str], folder: Path) -> tuple[list[str], list[str]]:
    """Write pages whose text differs from what is on disk; delete pages no longer made."""
    written = []
    for name, text in sorted(pages.items()):
        path = folder / name
        if not path.is_file() or path.read_text("utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
            written.append(name)
    removed = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if name not in pages:
            path.unlink()
            removed.append(name)
    return written, removed


def run_sphinx_if_needed(project: Project, staging: Path, nav: str) -> list[str]:
    """Run Sphinx unless none of its inputs changed since its last successful run.

    Sphinx's own up-to-date check still rewrites its indices and search files;
    skipping it when no page, configuration or static file changed keeps a
    no-op rebuild from touching anything.  When the page tree changed, every
    page is written again, since each page's sidebar shows the tree.
    """
    stamp_file = project.build_dir / "sphinx-inputs.json"
    stamp = _sphinx_inputs(project)
    try:
        last = json.loads(stamp_file.read_text("utf-8"))
    except (OSError, ValueError):
        last = {}
    if last.get("inputs") == stamp and (staging / "index.html").is_file():
        return list(last.get("warnings", []))
    warnings = run_sphinx(project, staging, write_all=last.get("nav") != nav)
    record = {"inputs": stamp, "nav": nav, "warnings": warnings}
    stamp_file.write_text(json.dumps(record), "utf-8")
    return warnings


def _sphinx_inputs(project: Project) -> str:
    """A digest of everything a Sphinx run reads: pages, configuration, static files, versions."""
    digest = hashlib.sha256(project.config.title.encode())
    for package in ("sphinx", "furo", "myst-parser", "docutils"):
        digest.update(f"{package}={metadata.version(package)}".encode())
    for path in sorted(project.site.rglob("*")):
        # The generated pages are inputs; Sphinx's own output and state are not.
        if path.is_file() and project.build_dir not in path.parents:
            info = path.stat()
            # Relative: a project moved or copied elsewhere is the same project to Sphinx.
            name = path.relative_to(project.site).as_posix()
            digest.update(f"{name}:{info.st_size}:{info.st_mtime_ns}".encode())
    return digest.hexdigest()


def run_sphinx(project: Project, out: Path, write_all: bool = False) -> list[str]:
    """Build HTML from the generated pages; returns Sphinx's warnings."""
    nocolor()
    warnings = io.StringIO()
    # As sphinx-build does: docutils' global registries are restored after the build,
    # so several builds in one process do not see each other's roles and nodes.
    with patch_docutils(project.site), docutils_namespace(), _sphinx_errors():
        app = Sphinx(
            srcdir=project.generated,
            confdir=project.site,
            outdir=out,
            doctreedir=project.build_dir / "doctrees",
            buildername="html",
            confoverrides={"project": project.config.title, "html_title": project.config.title},
            status=None,
            warning=warnings,
            freshenv=False,
            parallel=SPHINX_PROCESSES,
        )
        app.build(force_all=write_all)
    return [line for line in warnings.getvalue().splitlines() if line.strip()]


@contextmanager
def _sphinx_errors() -> Iterator[None]:
    """Sphinx's own failures (a broken conf.py, an extension error) as BuildFailed."""
    try:
        yield
    except SphinxError as exc:
        raise BuildFailed(f"Sphinx failed: {exc}") from exc
