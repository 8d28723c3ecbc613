"""The site as a Sphinx extension: `extensions = ["statusdocs.site"]` in a thin conf.py.

On `builder-inited` the extension reads the sources (once, through the parse
cache), renders every page through the Jinja templates and writes into the
Sphinx source folder only the pages whose text changed, the way sphinx-gallery
and sphinx-autoapi generate theirs; pages no longer made are removed.  So a
plain `sphinx-build site site/_build/html`, `sphinx-autobuild` or Read the Docs
builds the same site as `statusdocs build`, which runs this same build in
process (`hosting`) and publishes its result.

Every page statusdocs writes starts with `MARKER`.  A file at a page's place
without it is the user's: it is never overwritten or removed (a warning says
so).  Source errors are Sphinx warnings at their `path:line`; source warnings
and notes go to Sphinx's log.  The model's JSON is written into the HTML
output when the build finishes.
"""

from __future__ import annotations

import contextvars
import gc
import json
import time
import traceback
from collections.abc import Iterator, Sequence
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.errors import ConfigError
from sphinx.util import logging

from .. import __version__
from ..diagnostics import StatusdocsError
from ..formats.json_export import published_files
from ..ingest import build_model, collect_less
from ..model import Model
from ..progress import QUIET, Progress
from ..sources.settings import Project, SiteConfig, load_config, settings_in
from .cache import ParseCache, code_version
from .mentions import Mentions
from .pages import PAGE_FOLDERS, PageKeys, common_inputs, page_tree, render_pages
from .templates import environment

logger = logging.getLogger(__name__)

MARKER = ".. Made by statusdocs from the sources; edit the templates, not this page.\n\n"
"""The first line of every page statusdocs writes: a page without it is the user's."""

STATIC = Path(__file__).resolve().parent / "static"
"""The site's stylesheet, added to `html_static_path`."""

# Roles the generated pages use to mark names and advice; classes styled in statusdocs.css.
ROLES = (
    "registered",
    "differs",
    "variant",
    "former",
    "absent",
    "retry",
    "no-retry",
    "advice",
    "inferred",
    "error",
    "warning",
    "info",
)
PROLOG = "".join(f".. role:: sd-{role}\n" for role in ROLES)

# Sphinx's settings that the site sets unless conf.py does: the theme, and source text
# shown as written (no curly quotes or dashes substituted into it, no copied sources).
DEFAULTS: dict[str, Any] = {
    "html_theme": "furo",
    "smartquotes": False,
    "html_copy_source": False,
    "html_show_sourcelink": False,
    "html_theme_options": {"navigation_with_keys": True},
}


class Failed(StatusdocsError):
    """Rendering the pages failed (a template's fault); raised out of `builder-inited`."""


@dataclass(slots=True)
class Hosted:
    """What a build started by `statusdocs build` asks for, and what it learns."""

    paths: Sequence[Path] = ()
    """Source files or folders given on the command line, instead of the project's."""
    model: Model | None = None
    written: list[str] = field(default_factory=list)
    """Page files whose text changed (relative to the Sphinx source folder)."""
    removed: list[str] = field(default_factory=list)
    """Page files that were no longer made, and were deleted."""
    seconds: dict[str, float] = field(default_factory=dict)
    failure: BaseException | None = None
    """What went wrong while rendering, for `statusdocs build` to report as it is."""
    progress: Progress = QUIET
    """Where each stage of the build reports how far it is."""


_HOST: contextvars.ContextVar[Hosted | None] = contextvars.ContextVar("statusdocs_host")


@contextmanager
def hosting(paths: Sequence[Path] = (), progress: Progress = QUIET) -> Iterator[Hosted]:
    """Run a Sphinx build of the site inside this block as `statusdocs build` does."""
    hosted = Hosted(paths, progress=progress)
    token = _HOST.set(hosted)
    try:
        yield hosted
    finally:
        _HOST.reset(token)


def site_project(app: Sphinx) -> Project:
    """The statusdocs project whose site this is: conf.py's folder, in the project folder."""
    confdir = Path(app.confdir).resolve()
    root = confdir.parent
    try:
        return Project(root, load_config(root / "pyproject.toml"), site_dir=confdir)
    except StatusdocsError as problem:
        raise ConfigError(str(problem)) from problem


def _user_set(config: Config, name: str) -> bool:
    """Whether conf.py or an override gives `name` (Sphinx keeps both, privately)."""
    raw = getattr(config, "_raw_config", {})
    return name in raw or name in getattr(config, "_overrides", {})


def _configure(app: Sphinx, config: Config) -> None:
    """Fill in the site's defaults where conf.py leaves Sphinx's own."""
    project = site_project(app)
    # The title is `[tool.statusdocs] title` where pyproject.toml sets one, else conf.py's.
    if "title" in _explicit_settings(project) or not _user_set(config, "project"):
        config.project = project.config.title
    if not _user_set(config, "html_title"):
        config.html_title = config.project
    for name, value in DEFAULTS.items():
        if not _user_set(config, name):
            setattr(config, name, value)
    if not _user_set(config, "copyright") and not _user_set(config, "html_show_copyright"):
        config.html_show_copyright = False  # no bare "Copyright ©" in every footer
    if not _user_set(config, "statusdocs_sources"):
        config.statusdocs_sources = [str(path) for path in project.sources]
    config.rst_prolog = PROLOG + (config.rst_prolog or "")
    config.html_static_path = [*config.html_static_path, str(STATIC)]
    config.html_css_files = [*config.html_css_files, "statusdocs.css"]
    config.html_css_files = [*config.html_css_files, "statusdocs-tables.css"]
    config.html_js_files = [*config.html_js_files, "statusdocs-tables.js"]
    config.exclude_patterns = [*config.exclude_patterns, "_build", "README*"]


def _explicit_settings(project: Project) -> set[str]:
    """The `[tool.statusdocs]` keys the project's pyproject.toml sets."""
    defaults = {item.name: item.default for item in settings_in(SiteConfig, "pyproject")}
    return {name for name, value in defaults.items() if getattr(project.config, name) != value}


def _generate(app: Sphinx) -> None:
    """Read the sources and write the pages whose text changed (`builder-inited`)."""
    hosted = _HOST.get(None)
    project = site_project(app)
    srcdir = Path(app.srcdir)
    clock = time.perf_counter()
    paths = list(hosted.paths) if hosted and hosted.paths else _configured(app)
    cache = ParseCache(Path(app.doctreedir) / "statusdocs-cache")
    collect_less()
    progress = hosted.progress if hosted else QUIET
    model = build_model(paths, base=project.root, cache=cache, progress=progress)
    app.statusdocs_model = model  # type: ignore[attr-defined]
    _tune_garbage_collection()
    read = time.perf_counter() - clock
    if hosted is None:
        _log_diagnostics(model)
    clock = time.perf_counter()
    keys = PageKeys(
        Path(app.doctreedir) / "statusdocs-pages.json",
        common_inputs(model, app.config.project, project.template_dirs, code_version()),
    )
    try:
        pages = render(project, model, app.config.project, (keys, srcdir), progress)
    except Failed as failure:
        if hosted is not None:
            hosted.failure = failure
        raise
    written, removed = write_pages(pages, srcdir)
    keys.save()
    for name in removed:
        (Path(app.outdir) / name).with_suffix(".html").unlink(missing_ok=True)
    app.statusdocs_nav = page_tree(model, project.template_dirs)  # type: ignore[attr-defined]
    if hosted is not None:
        hosted.model, hosted.written, hosted.removed = model, written, removed
        hosted.seconds.update(read=read, render=time.perf_counter() - clock)
        _count_pages_written(app, progress)


def _tune_garbage_collection() -> None:
    """Keep what is loaded by now (modules, the model) out of every later collection; the
    collector already runs less often (`collect_less`, before reading)."""
    gc.collect()
    gc.freeze()


def _configured(app: Sphinx) -> list[Path]:
    return [Path(name) for name in app.config.statusdocs_sources]


def _log_diagnostics(model: Model) -> None:
    """Source errors as Sphinx warnings at `path:line`; warnings and notes as log lines."""
    for item in model.diagnostics:
        # "path:" is how Sphinx writes a place with no line; a bare path is a document name.
        where = f"{item.path}:" if item.line is None else f"{item.path}:{item.line}"
        if item.severity == "error":
            logger.warning(item.message, location=where, type="statusdocs", subtype=item.type)
        else:
            logger.info(f"{where} {item.severity}: {item.message} [{item.type}]")


def render(
    project: Project,
    model: Model,
    title: str,
    reuse: tuple[PageKeys, Path] | None = None,
    progress: Progress = QUIET,
) -> dict[str, str | None]:
    """Every page's text (None for a page that `reuse` finds unchanged); a failure of a
    (user's) template is `Failed`, naming its place."""
    try:
        mentions = Mentions(code.code for code in model.codes)
        env = environment(project.template_dirs, mentions)
        pages = render_pages(model, env, title, mentions, reuse, progress)
    except jinja2.TemplateError as exc:
        raise Failed(f"template {_template_place(exc)}: {exc}") from exc
    except RecursionError as exc:
        place = _traceback_place(exc)
        message = "recursion too deep (a template or macro that extends, includes or calls itself)"
        raise Failed(f"template {place}: {message}") from exc
    except Exception as exc:  # a user's template may raise anything: report where, not how
        place = _traceback_place(exc)
        raise Failed(f"template {place}: {type(exc).__name__}: {exc}") from exc
    return {name: None if text is None else MARKER + text for name, text in pages.items()}


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


def write_pages(pages: dict[str, str | None], folder: Path) -> tuple[list[str], list[str]]:
    """Write pages whose text differs from what is on disk (None: known to be unchanged);
    delete our pages no longer made.

    A file without `MARKER` is the user's: it is neither overwritten nor deleted.
    """
    written = []
    for name, text in sorted(pages.items()):
        if text is None:
            continue
        path = folder / name
        current = _read(path)
        if current == text:
            continue
        if current is not None and not current.startswith(MARKER):
            logger.warning(
                f"{path} was not made by statusdocs; it is kept, and its page not generated",
                type="statusdocs",
                subtype="page-kept",
            )
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        written.append(name)
    removed = []
    for path in _our_pages(folder):
        name = path.relative_to(folder).as_posix()
        if name not in pages:
            path.unlink()
            removed.append(name)
    return written, removed


def _read(path: Path) -> str | None:
    try:
        return path.read_text("utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError):
        return ""  # unreadable as a page: not ours, so kept


def _our_pages(folder: Path) -> list[Path]:
    """The pages under `folder` that statusdocs made (they start with `MARKER`)."""
    found = [*folder.glob("*.rst")]
    for name in PAGE_FOLDERS:
        found += (folder / name).glob("*.rst")
    ours = []
    for path in sorted(found):
        try:
            with path.open("r", encoding="utf-8") as page:
                head = page.read(len(MARKER))
        except (OSError, UnicodeDecodeError):
            continue
        if head == MARKER:
            ours.append(path)
    return ours


def _read_all_when_statusdocs_changed(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """A new statusdocs (its directives, its tables' nodes) reads every page again."""
    version = code_version()
    if getattr(env, "statusdocs_code", None) == version:
        return []
    env.statusdocs_code = version  # type: ignore[attr-defined]
    return sorted(env.found_docs - removed)


def _write_all_when_nav_changed(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Every page shows the page tree in its sidebar: when the tree changed, write them all."""
    nav = getattr(app, "statusdocs_nav", None)
    if getattr(env, "statusdocs_nav", None) == nav:
        return []
    env.statusdocs_nav = nav  # type: ignore[attr-defined]
    return sorted(env.found_docs)


def _count_pages_written(app: Sphinx, progress: Progress) -> None:
    """Report Sphinx's writing as a stage of `progress`: how many pages it writes is known
    only when it starts writing them, so its builder says so (this build's builder alone)."""
    builder = app.builder
    write_documents = builder.write_documents

    def counted(docnames: AbstractSet[str]) -> None:
        progress.stage("Sphinx: writing pages", len(docnames))
        write_documents(docnames)
        progress.stage("Sphinx: indexes and search")

    builder.write_documents = counted  # type: ignore[method-assign]


def _progress() -> Progress:
    hosted = _HOST.get(None)
    return hosted.progress if hosted else QUIET


def _reading_starts(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    _progress().stage("Sphinx: reading pages", len(docnames))


def _page_read(app: Sphinx, doctree: nodes.document) -> None:
    _progress().advance()  # only counted where the build runs: not in a parallel reader


def _pages_merged(
    app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment
) -> None:
    _progress().advance(len(docnames))  # a parallel reader's pages, merged into this process


def _page_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    _progress().advance()  # resolved in this process before each page is written


def _publish_model(app: Sphinx, exception: BaseException | None) -> None:
    """Write the model's JSON into the HTML output, changing only files whose text changed."""
    model: Model | None = getattr(app, "statusdocs_model", None)
    if exception is not None or model is None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    record = Path(app.doctreedir) / "statusdocs-json.json"
    try:
        before = set(json.loads(record.read_text("utf-8")))
    except (OSError, ValueError):
        before = set()
    files = published_files(model)
    for name, text in files.items():
        path = out / name
        if _read(path) != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
    for name in sorted(before - set(files)):
        (out / name).unlink(missing_ok=True)
    record.write_text(json.dumps(sorted(files)), "utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the site: its parsers, directives, defaults and page generation."""
    app.setup_extension("myst_parser")
    app.setup_extension("statusdocs.sphinx_ext")
    app.setup_extension("statusdocs.site.directives")
    # Before the embedding extension resolves statusdocs_sources (priority 500).
    app.connect("config-inited", _configure, priority=400)
    app.connect("builder-inited", _generate)
    app.connect("env-get-outdated", _read_all_when_statusdocs_changed)
    app.connect("env-updated", _write_all_when_nav_changed)
    app.connect("build-finished", _publish_model)
    app.connect("env-before-read-docs", _reading_starts)
    app.connect("doctree-read", _page_read)
    app.connect("env-merge-info", _pages_merged)
    app.connect("doctree-resolved", _page_resolved)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
