"""Sphinx helpers for the generated site: index entries, code objects and tables from data.

`.. statusdocs-index:: 404 Not Found` followed by one name per content line
adds general-index entries for the code and for every name sources use
(`StatusNotFound`, `NotFound`), and declares them as objects of the
`statusdocs` domain (`statusdocs.site.domain`), which search and
`objects.inv` list.  The lines are taken as data, never parsed
as markup: the renderer backslash-escapes them like all source text, and
this directive reverses exactly that escaping.
"""

from __future__ import annotations

import json
import posixpath
import re
import weakref
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.errors import NoUri
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .. import __version__
from ..labels import code_label
from ..sphinx_ext.table_nodes import XrefFactory, table_node
from .domain import StatusDomain

logger = logging.getLogger(__name__)
_ESCAPED = re.compile(r"\\(.)")


def unescape(text: str) -> str:
    """Undo `statusdocs.site.rst.escape`: a backslash keeps the character after it."""
    return _ESCAPED.sub(r"\1", text.strip())


class StatusIndex(SphinxDirective):
    """Index entries for one status code and the names sources give it."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True

    def run(self) -> list[nodes.Node]:
        title = unescape(self.arguments[0])
        code = title.split(" ", 1)[0]
        domain = self.env.get_domain("statusdocs")
        assert isinstance(domain, StatusDomain)
        # The code page's own label is the anchor its objects point at.
        anchor = code_label(int(code)) if code.isdigit() else ""
        domain.note("code", code, title, self.env.docname, anchor)
        target_id = f"index-{self.env.new_serialno('index')}"
        target = nodes.target("", "", ids=[target_id])
        entries: list[tuple[str, str, str, str, str | None]] = [
            ("single", title, target_id, "", None)
        ]
        for line in self.content:
            # ";" would split an entry into levels; a source's name is one level.
            name = unescape(line).replace(";", ",")
            if name:
                entries.append(("single", f"{name}; {title}", target_id, "", None))
                domain.note("name", name, f"{name} ({title})", self.env.docname, anchor)
        index = addnodes.index(entries=entries, inline=False)
        self.set_source_info(index)
        return [index, target]


class table_data(nodes.General, nodes.Element):
    """A big table, still as its JSON data: expanded into nodes just before writing.

    Sphinx walks every node of a document once per transform while reading;
    keeping a table of hundreds of rows as one node until the document is
    resolved spares all those walks.  Row anchors are registered at read time
    as targets, so labels, intersphinx inventories and links all know them.
    """


class StatusTable(SphinxDirective):
    """A table whose data is one line of JSON (`statusdocs.site.celldata`)."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        text = "\n".join(self.content)
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise self.error(f"statusdocs-table: content is not JSON: {exc}") from exc
        placeholder = table_data(data=text)
        self.set_source_info(placeholder)
        rows = [row for row in data.get("rows", []) if row.get("id")]
        return [placeholder, *(self._target(row["id"], row.get("title", "")) for row in rows)]

    def _target(self, anchor: str, title: str) -> nodes.target:
        target = nodes.target(
            "", "", ids=[anchor], names=[anchor], statusdocs_row=True, statusdocs_title=title
        )
        self.state.document.note_explicit_target(target)
        return target


def title_rows(app: Sphinx, doctree: nodes.document) -> None:
    """Give each titled row's label its title, so a bare `:ref:` to a row shows it.

    After the standard domain has noted the labels (`doctree-read` follows it), which
    keeps a target with no section after it as a label without a title.
    """
    std = app.env.domains.standard_domain
    for target in doctree.findall(nodes.target):
        # Docutils may have moved the target's name and id onto the next node (`refid`);
        # the generator's row labels are their own ids.
        name = (target["names"] or [target.get("refid")])[0]
        if target.get("statusdocs_title") and name:
            std.labels[name] = (app.env.docname, name, target["statusdocs_title"])


def expand_tables(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace each table's data with its nodes; row anchors move onto the rows."""
    for target in list(doctree.findall(nodes.target)):
        if target.get("statusdocs_row"):
            target.parent.remove(target)
    xref = _resolved_ref(app, docname)
    for placeholder in list(doctree.findall(table_data)):
        # Wrapped as the theme wraps ordinary tables (its transform ran before this one):
        # a wide table scrolls inside the content column instead of being cut off.
        wrapper = nodes.container(classes=["table-wrapper"])
        wrapper += table_node(json.loads(placeholder["data"]), xref)
        placeholder.replace_self(wrapper)


def _resolved_ref(app: Sphinx, docname: str) -> XrefFactory:
    """Links to the site's own labels, resolved as Sphinx's `:ref:` would; a missing label warns."""
    std = app.env.domains.standard_domain

    def make(target: str, text: str) -> nodes.Node:
        found = std.labels.get(target) or std.anonlabels.get(target)
        if found is None:
            logger.warning(
                f"statusdocs-table: undefined label: {target!r}",
                location=docname,
                type="statusdocs",
                subtype="undefined-label",
            )
            return nodes.inline(text, text)
        try:
            uri = app.builder.get_relative_uri(docname, found[0])
        except NoUri:
            return nodes.inline(text, text)
        return nodes.reference(text, text, refuri=f"{uri}#{found[1]}", internal=True)

    return make


def share_navigation(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    """Let pages outside the page tree share one navigation tree per folder.

    A theme renders the whole navigation into every page, and Sphinx computes
    it afresh each time.  For a page that no toctree includes (the source pages
    of a big site), nothing in it depends on the page but the folder its links
    are relative to, so it is computed once per folder.
    """
    toctree = context.get("toctree")
    if toctree is None or pagename in _tree_members(app):
        return
    folder = posixpath.dirname(pagename)
    shared = _NAVIGATION.setdefault(app, {})

    def cached(**options: Any) -> str:
        key = (folder, tuple(sorted(options.items())))
        if key not in shared:
            shared[key] = toctree(**options)
        return shared[key]

    context["toctree"] = cached


# Per Sphinx application, so a later build in the same process starts afresh.
_NAVIGATION: weakref.WeakKeyDictionary[Sphinx, dict[tuple[str, tuple[tuple[str, Any], ...]], str]]
_NAVIGATION = weakref.WeakKeyDictionary()


def _tree_members(app: Sphinx) -> set[str]:
    env = app.env
    members = {env.config.root_doc}
    for children in env.toctree_includes.values():
        members.update(children)
    return members


def _skip(translator: object, node: nodes.Element) -> None:
    raise nodes.SkipNode


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directives."""
    app.add_domain(StatusDomain)
    app.add_directive("statusdocs-index", StatusIndex)
    app.add_directive("statusdocs-table", StatusTable)
    # Expanded before any builder writes; the visitors only keep builders from complaining.
    skip = (_skip, None)
    app.add_node(table_data, html=skip, latex=skip, text=skip, man=skip, texinfo=skip)
    app.connect("doctree-read", title_rows)
    app.connect("doctree-resolved", expand_tables)
    # Before the theme's own handler (500), which asks for the navigation tree.
    app.connect("html-page-context", share_navigation, priority=400)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
