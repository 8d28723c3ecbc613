"""Sphinx helpers for the generated site: index entries and tables from data.

`.. statusdocs-index:: 404 Not Found` followed by one name per content line
adds general-index entries for the code and for every name sources use
(`StatusNotFound`, `NotFound`).  The lines are taken as data, never parsed
as markup: the renderer backslash-escapes them like all source text, and
this directive reverses exactly that escaping.
"""

from __future__ import annotations

import json
import re
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from generator import __version__
from generator.sphinx_nodes import std_ref, table_node

_ESCAPED = re.compile(r"\\(.)")


def unescape(text: str) -> str:
    """Undo `generator.render.rst.escape`: a backslash keeps the character after it."""
    return _ESCAPED.sub(r"\1", text.strip())


class StatusIndex(SphinxDirective):
    """Index entries for one status code and the names sources give it."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True

    def run(self) -> list[nodes.Node]:
        title = unescape(self.arguments[0])
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
        index = addnodes.index(entries=entries, inline=False)
        self.set_source_info(index)
        return [index, target]


class StatusTable(SphinxDirective):
    """A table whose data is one line of JSON (`generator.render.celldata`), built as nodes."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        try:
            data = json.loads("\n".join(self.content))
        except ValueError as exc:
            raise self.error(f"statusdocs-table: content is not JSON: {exc}") from exc
        table = table_node(data, std_ref(self.env.docname), self.state.document)
        self.set_source_info(table)
        return [table]


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directives."""
    app.add_directive("statusdocs-index", StatusIndex)
    app.add_directive("statusdocs-table", StatusTable)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
