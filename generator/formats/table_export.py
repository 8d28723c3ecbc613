"""Writing a selection of the model for other tools: JSON, CSV, Markdown, RST, HTML.

`EXPORTERS` maps each `statusdocs export --format` to a function
`(model, selection) -> str`.  JSON is the versioned model of
`statusdocs.formats.json_export`, narrowed to the selection; the other four are one table
with a row per selected entry and the selection's columns, the same table the
`status-table` directive shows.  Source text is untrusted in every format:
each writer escapes it so that it reads back as itself and never as markup.
"""

from __future__ import annotations

import csv
import html
import io
import itertools
import json
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from ..analysis.selection import Selection, SelectionError
from ..columns import TITLES
from ..model import Model
from ..richtext import (
    Code,
    Link,
    Paragraph,
    RichText,
    Text,
    Written,
)
from ..site import rst
from ..sphinx_ext.embed import entry_values
from .json_export import schema_text, to_json

Exporter = Callable[[Model, Selection], str]

"""The JSON Schema of the JSON export, inside the `generator` package."""

# What CommonMark, GFM tables and GitHub give meaning to inside a table cell;
# other punctuation (. , - ( ) ...) stays unescaped so the Markdown reads well.
_MARKDOWN_SPECIALS = frozenset("\\`*_[]<>&|~!#$:@^")
# Not the csv module's "\r\n": the text is written through text streams, which
# already turn "\n" into the platform's line end.
_CSV_LINE_END = "\n"
# A spreadsheet runs a cell that starts with one of these as a formula (`=HYPERLINK(...)`);
# such a cell gets a leading apostrophe, as OWASP's CSV-injection advice says.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every version-1 JSON export satisfies."""
    loaded: dict[str, Any] = json.loads(schema_text())
    return loaded


def selected_model(model: Model, selection: Selection) -> Model:
    """The model narrowed to the selected codes and sources; every diagnostic is kept."""
    codes = [
        replace(code, entries=[entry for _, entry in pairs])
        for code, pairs in itertools.groupby(selection.entries(model), key=lambda pair: pair[0])
    ]
    return Model(list(selection.sources_of(model)), codes, list(model.diagnostics))


def export_json(model: Model, selection: Selection) -> str:
    """The versioned JSON export of the selection: every field (`--columns` is an error)."""
    _no_columns(selection, "json")
    return to_json(selected_model(model, selection))


def _no_columns(selection: Selection, format: str) -> None:
    if selection.columns_chosen:
        raise SelectionError(
            f"--columns is for the tables (csv, markdown, rst, html); --format {format} "
            "writes every field"
        )


def export_csv(model: Model, selection: Selection) -> str:
    """A CSV table: the column keys as header, then a row of plain text per entry."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=_CSV_LINE_END)
    writer.writerow(selection.columns)
    writer.writerows([csv_cell(value.plain) for value in row] for row in _rows(model, selection))
    return out.getvalue()


def csv_cell(text: str) -> str:
    """`text` as a CSV cell a spreadsheet shows and never runs: `=1+1` becomes `'=1+1`."""
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def export_markdown(model: Model, selection: Selection) -> str:
    """A pipe table (GFM) with the column titles as header; each cell is literal text."""
    titles = [TITLES[column] for column in selection.columns]
    lines = [
        _markdown_row(markdown_text(title) for title in titles),
        _markdown_row("---" for _ in titles),
    ]
    lines.extend(
        _markdown_row(markdown_text(one_line(value)) for value in row)
        for row in _rows(model, selection)
    )
    return "\n".join(lines) + "\n"


def export_rst(model: Model, selection: Selection) -> str:
    """A `list-table` directive; the header row holds the column titles."""
    header = [rst.escape(TITLES[column]) for column in selection.columns]
    rows = [header] + [[rst.blocks(value) for value in row] for row in _rows(model, selection)]
    lines = [".. list-table::", "   :header-rows: 1", ""]
    for row in rows:
        for number, cell in enumerate(row):
            marker = "   * - " if number == 0 else "     - "
            lines.append((marker + rst.indent(cell, len(marker), first=False)).rstrip())
    return "\n".join(lines) + "\n"


def export_html(model: Model, selection: Selection) -> str:
    """A `<table class="statusdocs-table">` fragment, every source text escaped."""
    titles = "".join(f"<th>{html.escape(TITLES[c])}</th>" for c in selection.columns)
    rows = [
        "<tr>" + "".join(f"<td>{html_cell(value)}</td>" for value in row) + "</tr>"
        for row in _rows(model, selection)
    ]
    lines = ['<table class="statusdocs-table">', "<thead>", f"<tr>{titles}</tr>", "</thead>"]
    return "\n".join([*lines, "<tbody>", *rows, "</tbody>", "</table>"]) + "\n"


def export_retry_policy(model: Model, selection: Selection) -> str:
    """The retry policy (`statusdocs.formats.retry_policy`) of the one source `--sources`
    names, or of all sources merged; `--codes` narrows it."""
    from .retry_policy import retry_policy_json

    _no_columns(selection, "retry-policy")
    if len(selection.sources) > 1:
        raise SelectionError(
            "--format retry-policy takes one source (--sources ID), or none for the sources' "
            "merged advice"
        )
    source = selection.sources[0] if selection.sources else None
    return retry_policy_json(model, source, selection.codes)


EXPORTERS: dict[str, Exporter] = {
    "json": export_json,
    "csv": export_csv,
    "markdown": export_markdown,
    "rst": export_rst,
    "html": export_html,
    "retry-policy": export_retry_policy,
}
"""The writer of each `--format`."""


def _rows(model: Model, selection: Selection) -> list[list[RichText]]:
    """The selected entries' cells for the selected columns."""
    sources = {source.id: source for source in model.sources}
    return [
        entry_values(code, entry, sources, selection.columns)
        for code, entry in selection.entries(model)
    ]


def one_line(value: RichText) -> str:
    """A cell's plain text on one line: its lines joined by single spaces."""
    return " ".join(value.plain.split())


def markdown_text(text: str) -> str:
    """`text` backslash-escaped so that Markdown reads it back literally."""
    return "".join("\\" + char if char in _MARKDOWN_SPECIALS else char for char in text)


def _markdown_row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def html_cell(value: RichText) -> str:
    """A cell's rich text as HTML, a block a line; a lone paragraph is written without `<p>`."""
    if len(value.blocks) == 1 and isinstance(value.blocks[0], Paragraph):
        return "".join(_HTML.inlines(value.blocks[0].children))
    return "\n".join(_HTML.blocks(value.blocks))


class _HtmlWriter:
    """Rich text as HTML: text escaped, links only to http(s) and mailto addresses."""

    def text(self, node: Text) -> str:
        return html.escape(node.text)

    def code(self, node: Code) -> str:
        return f"<code>{html.escape(node.text)}</code>"

    def line_break(self) -> str:
        return "<br>"

    def emphasis(self, inner: list[str]) -> str:
        return f"<em>{''.join(inner)}</em>"

    def strong(self, inner: list[str]) -> str:
        return f"<strong>{''.join(inner)}</strong>"

    def link(self, node: Link, inner: list[str]) -> str:
        target = rst.url(node.url)
        text = "".join(inner)
        if target is None:
            return text  # any other address keeps just its text
        return f'<a href="{html.escape(target)}">{text or html.escape(node.url)}</a>'

    def paragraph(self, inner: list[str]) -> str:
        return f"<p>{''.join(inner)}</p>"

    def bullet_list(self, items: list[list[str]]) -> str:
        return "<ul>\n" + "\n".join(_html_item(item) for item in items) + "\n</ul>"

    def ordered_list(self, items: list[list[str]], start: int) -> str:
        first = f' start="{start}"' if start != 1 else ""
        return f"<ol{first}>\n" + "\n".join(_html_item(item) for item in items) + "\n</ol>"


def _html_item(blocks: list[str]) -> str:
    """A list item; a lone paragraph inside it is written without `<p>`."""
    if len(blocks) == 1 and blocks[0].startswith("<p>") and blocks[0].endswith("</p>"):
        return f"<li>{blocks[0][3:-4]}</li>"
    return "<li>" + "\n".join(blocks) + "</li>"


_HTML = Written(_HtmlWriter())
