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

import html
import json
import posixpath
import re
import weakref
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.errors import NoUri
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.writers.html5 import HTML5Translator

from .. import __version__
from ..labels import code_label
from ..sphinx_ext.table_nodes import XrefFactory, table_node
from . import table_html
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
        # Its words, for the search index; the HTML translator writes the table itself.
        placeholder = table_data("", nodes.Text(table_html.words(data)), data=text)
        placeholder["statusdocs_rows"] = [
            (row["id"], row.get("title", "")) for row in data.get("rows", []) if row.get("id")
        ]
        self.set_source_info(placeholder)
        return [placeholder]


def note_rows(app: Sphinx, doctree: nodes.document) -> None:
    """Make each anchored row a label, titled as its row link is, for `:ref:`, the table's
    own links and the inventory.

    The rows' anchors are the `<tr>` ids: no target node stands for them, since docutils
    would move a target's id onto the next section too.  Run after the standard domain
    has noted the document's own labels (`doctree-read` follows it).
    """
    std = app.env.domains.standard_domain
    docname = app.env.docname
    for placeholder in doctree.findall(table_data):
        rows: list[tuple[str, str]] = placeholder.get("statusdocs_rows", [])
        for anchor, title in rows:
            std.anonlabels[anchor] = (docname, anchor)
            if title:
                std.labels[anchor] = (docname, anchor, title)


def expand_tables(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """For builders other than HTML, replace each table's data with its nodes, each anchored
    row carrying its id (the HTML translator writes the table straight from the data)."""
    if app.builder.format == "html" and app.config.statusdocs_html_tables:
        return
    xref = _resolved_ref(app.builder, docname)
    for placeholder in list(doctree.findall(table_data)):
        # Wrapped as the theme wraps ordinary tables (its transform ran before this one):
        # a wide table scrolls inside the content column instead of being cut off.
        wrapper = nodes.container(classes=["table-wrapper"])
        wrapper += table_node(json.loads(placeholder["data"]), xref)
        placeholder.replace_self(wrapper)


def visit_table_data_html(translator: HTML5Translator, node: table_data) -> None:
    """Write the table from its data, as the docutils nodes of it would be written."""
    builder = translator.builder
    docname = builder.current_docname
    make = _resolved_ref(builder, docname)

    def resolve(target: str, text: str, shown: str) -> str:
        link = make(target, text)
        if isinstance(link, nodes.reference):
            return f'<a class="reference internal" href="{html.escape(link["refuri"])}">{shown}</a>'
        return f"<span>{shown}</span>"

    translator.body.append(table_html.table_html(json.loads(node["data"]), resolve))
    raise nodes.SkipNode


def _resolved_ref(builder: Builder, docname: str) -> XrefFactory:
    """Links to the site's own labels, resolved as Sphinx's `:ref:` would; a missing label warns."""
    std = builder.env.domains.standard_domain

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
            uri = builder.get_relative_uri(docname, found[0])
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
    html_writer = (visit_table_data_html, None)
    app.add_node(table_data, html=html_writer, latex=skip, text=skip, man=skip, texinfo=skip)
    app.connect("doctree-read", note_rows)
    app.connect("doctree-resolved", expand_tables)
    # Before the theme's own handler (500), which asks for the navigation tree.
    app.connect("html-page-context", share_navigation, priority=400)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
