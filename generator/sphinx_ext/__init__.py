"""Embed statusdocs tables in any Sphinx project (reStructuredText or MyST).

    extensions = ["statusdocs.sphinx_ext"]
    statusdocs_sources = ["sources"]        # files or folders, relative to conf.py
    statusdocs_inventory = "statusdocs"     # intersphinx name of a statusdocs site (optional)

adds a `status-table` directive (options `codes`, `sources`, `columns`,
`caption`) and a `status` role.  Codes link to their page in the statusdocs
site when `intersphinx_mapping` has that inventory, else to their RFC
section.  A document that embeds a table depends on the source files it
shows, so editing one rebuilds exactly the documents that show it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

from .. import __version__
from ..analysis.selection import Selection
from ..columns import TITLES
from ..diagnostics import StatusdocsError
from ..labels import code_label, code_of_label
from ..model import Model
from ..registry import lookup
from ..site import celldata
from ..sources.settings import SiteConfig, as_list, settings_in
from .embed import entry_cells, load_model
from .table_nodes import table_node

logger = logging.getLogger(__name__)


def _configured_paths(env: BuildEnvironment) -> list[Path]:
    return [Path(name) for name in env.config.statusdocs_sources]


def _check_settings(app: Sphinx, config: Config) -> None:
    """Check every `statusdocs_*` value as its declaration says (a bad one is a warning and
    its default is used); then make `statusdocs_sources` absolute, relative to conf.py, and
    keep the source documents that lie in the Sphinx source folder from being built as pages."""
    for item in settings_in(SiteConfig, "conf.py"):
        if problem := item.check(getattr(config, item.confval)):
            logger.warning(
                f"{item.confval} {problem}; using {item.default!r}",
                type="statusdocs",
                subtype="config",
            )
            setattr(config, item.confval, item.default)
    names = as_list(config.statusdocs_sources)
    config.statusdocs_sources = [str(Path(app.confdir) / name) for name in names]
    config.exclude_patterns = [
        *config.exclude_patterns,
        *_inside(Path(app.srcdir), [Path(name) for name in config.statusdocs_sources]),
    ]


def _inside(srcdir: Path, paths: list[Path]) -> list[str]:
    """`exclude_patterns` for the source files and folders that lie inside `srcdir`."""
    patterns = []
    for path in paths:
        try:
            relative = path.resolve().relative_to(srcdir.resolve()).as_posix()
        except ValueError:
            continue  # outside the Sphinx source folder: Sphinx never sees it
        if relative == ".":
            continue  # the sources are the whole project: nothing could be built
        patterns += [relative, f"{relative}/**"] if path.is_dir() else [relative]
    return patterns


def _xref_factory(env: BuildEnvironment) -> Any:
    """References to a statusdocs site through intersphinx, falling back to RFC or text."""
    inventory = env.config.statusdocs_inventory
    mapping = getattr(env.config, "intersphinx_mapping", {}) or {}
    prefix = f"{inventory}:" if inventory and inventory in mapping else ""

    def make(target: str, text: str) -> nodes.Node:
        fallback = ""
        code = code_of_label(target)
        if code is not None and (registration := lookup(code)):
            fallback = registration.url
        return addnodes.pending_xref(
            "",
            nodes.inline(text, text, classes=["xref", "std", "std-ref"]),
            refdomain="std",
            reftype="ref",
            reftarget=prefix + target,
            refexplicit=True,
            refwarn=False,
            refdoc=env.docname,
            statusdocs_fallback=fallback,
        )

    return make


class StatusTableDirective(SphinxDirective):
    """`.. status-table::` — a table of what the sources say, filtered."""

    option_spec: ClassVar[dict[str, Any]] = {
        "codes": directives.unchanged,
        "sources": directives.unchanged,
        "columns": directives.unchanged,
        "caption": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        try:
            selection = Selection.parse(
                self.options.get("codes"), self.options.get("sources"), self.options.get("columns")
            )
            model, files = load_model(_configured_paths(self.env), Path(self.env.srcdir))
            _report_source_errors(model)
            selection.check_sources(model)
        except StatusdocsError as problem:  # a bad option, or statusdocs_sources not found
            logger.warning(
                f"status-table: {problem}",
                location=self.get_location(),
                type="statusdocs",
                subtype="option",
            )
            return []
        except Exception as exc:  # never take the host project's build down
            message = f"status-table: statusdocs failed ({type(exc).__name__}: {exc})"
            logger.warning(
                message, location=self.get_location(), type="statusdocs", subtype="internal-error"
            )
            return []
        chosen = selection.entries(model)
        sources = {source.id: source for source in model.sources}
        for source_id in {entry.source for _, entry in chosen} | set(selection.sources):
            self.env.note_dependency(str(files[source_id]))
        header = [celldata.text_cell(TITLES[c]) for c in selection.columns]
        rows = [
            (None, entry_cells(code, entry, sources, selection.columns)) for code, entry in chosen
        ]
        data = celldata.table(header, rows, "statusdocs-table")
        table = table_node(data, _xref_factory(self.env))
        if "caption" in self.options:
            caption = self.options["caption"]
            table.insert(0, nodes.title(caption, caption))
        self.set_source_info(table)
        return [table]


_REPORTED: set[int] = set()


def _report_source_errors(model: Model) -> None:
    """Errors in the sources (rows that could not be read) as Sphinx warnings, once a model."""
    if id(model) in _REPORTED:
        return
    _REPORTED.add(id(model))
    for item in model.diagnostics:
        if item.severity == "error":
            # "path:" is how Sphinx itself writes a place with no line; a bare path
            # would be taken for a document name.
            where = f"{item.path}:" if item.line is None else f"{item.path}:{item.line}"
            logger.warning(
                f"statusdocs: {item.message}",  # Sphinx adds [statusdocs.<type>]
                location=where,
                type="statusdocs",
                subtype=item.type,
            )


class StatusRole(SphinxRole):
    """`:status:`404`` — "404 Not Found", linked to the code's page or its RFC section."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        text = self.text.strip()
        registration = lookup(int(text)) if text.isdigit() and len(text) == 3 else None
        if registration is None:
            logger.warning(
                f"status: {text!r} is not a registered HTTP status code",
                location=self.get_location(),
                type="statusdocs",
                subtype="unknown-code",
            )
            return [nodes.literal(self.rawtext, text)], []
        shown = f"{registration.code} {registration.phrase}"
        return [_xref_factory(self.env)(code_label(registration.code), shown)], []


def _fallback(
    app: Sphinx, env: BuildEnvironment, node: addnodes.pending_xref, contnode: nodes.Element
) -> nodes.Node | None:
    """Resolve our references that no inventory resolved: to the RFC, or to plain text."""
    if "statusdocs_fallback" not in node:
        return None
    if node["statusdocs_fallback"]:
        return nodes.reference("", "", contnode, refuri=node["statusdocs_fallback"])
    return contnode


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directive, the role and their configuration."""
    for item in settings_in(SiteConfig, "conf.py"):
        app.add_config_value(item.confval, item.default, "env", types=item.types)
    app.connect("config-inited", _check_settings)
    app.add_directive("status-table", StatusTableDirective)
    app.add_role("status", StatusRole())
    # After intersphinx (priority 500) has had its chance.
    app.connect("missing-reference", _fallback, priority=900)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
