"""The build stage: render the pages into the Sphinx project, then run Sphinx.

All writing of files happens here.  A page file is rewritten only when its
text changed and pages that no longer exist are removed, so Sphinx's own
change detection re-reads just what changed.
"""

from __future__ import annotations

import io
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util.console import nocolor
from sphinx.util.docutils import docutils_namespace, patch_docutils

from generator.ingest import build_model
from generator.model import Model
from generator.project import Project
from generator.render.mentions import Mentions
from generator.render.pages import render_pages
from generator.render.templates import environment


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
    seconds: dict[str, float] = field(default_factory=dict)
    """Wall time of each stage: read, render, sphinx."""


def build(project: Project, paths: Sequence[Path] = (), out: Path | None = None) -> BuildResult:
    """Read the sources, render the pages and build the HTML site."""
    clock = time.perf_counter()
    model = build_model(list(paths) or [project.sources], base=project.root)
    result = BuildResult(model, out or project.out)
    result.seconds["read"] = time.perf_counter() - clock

    clock = time.perf_counter()
    env = environment(project.template_dirs, Mentions(code.code for code in model.codes))
    pages = render_pages(model, env, project.config.title)
    result.written, result.removed = write_pages(pages, project.generated)
    result.seconds["render"] = time.perf_counter() - clock

    clock = time.perf_counter()
    result.warnings = run_sphinx(project, result.out)
    result.seconds["sphinx"] = time.perf_counter() - clock
    return result


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
    for path in sorted(folder.rglob("*.rst")):
        name = path.relative_to(folder).as_posix()
        if name not in pages:
            path.unlink()
            removed.append(name)
    return written, removed


def run_sphinx(project: Project, out: Path) -> list[str]:
    """Build HTML from the generated pages; returns Sphinx's warnings."""
    nocolor()
    warnings = io.StringIO()
    # As sphinx-build does: docutils' global registries are restored after the build,
    # so several builds in one process do not see each other's roles and nodes.
    with patch_docutils(project.site), docutils_namespace():
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
        )
        app.build()
    return [line for line in warnings.getvalue().splitlines() if line.strip()]
