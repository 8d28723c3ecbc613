"""HTML straight from table data, for the HTML builders (see `statusdocs.site.celldata`).

The site's big tables (a code's sources side by side, each source's table, the
matrix) would otherwise become hundreds of thousands of docutils nodes, which
Sphinx's resolve and write phases and Python's garbage collector walk again
and again.  The HTML translator writes them from their data instead, as the
docutils HTML5 writer would write the nodes `statusdocs.sphinx_ext.table_nodes`
makes of the same data (other builders still get those nodes).  Every piece
of text is HTML-escaped; links are only the generator's own labels, resolved
by the caller, and http(s)/mailto addresses.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ..sphinx_ext.table_nodes import is_break, split_lines
from .rst import url as safe_url

Resolve = Callable[[str, str, str], str]
"""HTML of a link to one of the generator's labels, given the label, the link's text and
that text already written as HTML."""


def table_html(data: dict[str, Any], resolve: Resolve) -> str:
    """The table, wrapped in the theme's scroll container, as the HTML5 writer writes it."""
    header: list[Any] = data.get("header", [])
    rows: list[dict[str, Any]] = data.get("rows", [])
    width = max([len(header), *(len(row["cells"]) for row in rows)], default=0)
    stub = int(data.get("stub", 0))
    classes = " ".join(filter(None, [data.get("class", ""), "docutils", "align-default"]))
    out = ['<div class="table-wrapper docutils container">\n', f'<table class="{_a(classes)}">\n']
    parity = iter(_parities())
    if header:
        out.append("<thead>\n")
        out.append(_row(header, width, resolve, next(parity), head=True, stub=stub))
        out.append("</thead>\n")
    out.append("<tbody>\n")
    for row in rows:
        out.append(
            _row(
                row["cells"],
                width,
                resolve,
                next(parity),
                stub=stub,
                anchor=row.get("id"),
                classes=row.get("classes", ()),
            )
        )
    out.append("</tbody>\n</table>\n</div>\n")
    return "".join(out)


def _parities() -> Iterator[str]:
    while True:
        yield "row-odd"
        yield "row-even"


def _row(
    cells: Sequence[Any],
    width: int,
    resolve: Resolve,
    parity: str,
    *,
    head: bool = False,
    stub: int = 0,
    anchor: str | None = None,
    classes: Sequence[str] = (),
) -> str:
    names = " ".join([*classes, parity])
    ident = f' id="{_a(anchor)}"' if anchor else ""
    out = [f'<tr class="{_a(names)}"{ident}>']
    for index in range(width):
        cell = cells[index] if index < len(cells) else []
        if head:
            tag, attributes = "th", ' class="head stub"' if index < stub else ' class="head"'
        elif index < stub:
            tag, attributes = "th", ' class="stub"'
        else:
            tag, attributes = "td", ""
        body = blocks(cell, resolve)
        out.append(f"<{tag}{attributes}>{body}</{tag}>\n")
    out.append("</tr>\n")
    return "".join(out)


def blocks(data: Sequence[Any], resolve: Resolve, compact: bool = False) -> str:
    """Block values as HTML: paragraphs, line blocks, lists (`compact` inside a simple list)."""
    out = []
    for block in data:
        if "p" in block and any(is_break(item) for item in block["p"]):
            lines = "".join(
                f'<div class="line">{inlines(line, resolve)}</div>\n'
                for line in split_lines(block["p"])
            )
            out.append(f'<div class="line-block">\n{lines}</div>\n')
        elif "p" in block:
            out.append(f"<p>{inlines(block['p'], resolve)}</p>")
        else:
            simple = _simple(block)
            inner = compact or simple
            items = "".join(
                f"<li>{blocks(item, resolve, inner)}</li>\n"
                for item in block.get("ul") or block["ol"]
            )
            # As docutils marks a list that can be set compactly; not again inside one.
            mark = simple and not compact
            if "ul" in block:
                names = ' class="simple"' if mark else ""
                out.append(f"<ul{names}>\n{items}</ul>\n")
            else:
                first = f' start="{int(block.get("start", 1))}"'  # as table_nodes sets it
                names = "arabic simple" if mark else "arabic"
                out.append(f'<ol class="{names}"{first}>\n{items}</ol>\n')
    # As docutils writes a cell or item of several blocks: one a line, and a line break last.
    return "\n".join(out) + "\n" if len(out) > 1 else "".join(out)


def inlines(data: Sequence[Any], resolve: Resolve) -> str:
    """Inline values as HTML."""
    out = []
    for item in data:
        if isinstance(item, str):
            out.append(_t(item))
        elif "code" in item:
            out.append(f'<code class="docutils literal notranslate">{_pre(item["code"])}</code>')
        elif "strong" in item:
            out.append(f"<strong>{inlines(item['strong'], resolve)}</strong>")
        elif "em" in item:
            out.append(f"<em>{inlines(item['em'], resolve)}</em>")
        elif "ref" in item and item.get("literal"):
            shown = resolve(item["ref"], item["t"], _pre(item["t"]))
            out.append(f'<code class="docutils literal notranslate">{shown}</code>')
        elif "ref" in item:
            out.append(resolve(item["ref"], item["t"], _t(item["t"])))
        elif "span" in item:
            out.append(f'<span class="{_a(item["span"])} no-search">{_t(item["t"])}</span>')
        elif "link" in item:
            out.append(_link(item["link"], "".join(item["c"]) or item["link"]))
    return "".join(out)


def words(data: dict[str, Any]) -> str:
    """The table's text for the search index: every word a reader sees, but the badges."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict) and "span" not in value:
            for key in ("p", "ul", "ol", "strong", "em", "c"):
                if key in value:
                    walk(value[key])
            if "code" in value:
                found.append(value["code"])
            if "ref" in value:
                found.append(value["t"])

    for cell in data.get("header", []):
        walk(cell)
    for row in data.get("rows", []):
        walk(row["cells"])
    # The index notes which pages hold a word, not how often: each word once, so a table of
    # a thousand rows saying "returns this when" is not stemmed a thousand times.
    return " ".join(dict.fromkeys(" ".join(found).split()))


def _simple(block: dict[str, Any]) -> bool:
    """Docutils' test for a list it sets compactly: each item a paragraph, a simple list,
    or a paragraph followed by a simple list."""
    for item in block.get("ul") or block["ol"]:
        kinds = [_kind(child) for child in item]
        if kinds and kinds[0] == "p" and kinds[-1] == "list":
            kinds.pop()
        if len(kinds) > 1 or "lines" in kinds:
            return False
        if any(_kind(child) == "list" and not _simple(child) for child in item):
            return False
    return True


def _kind(block: dict[str, Any]) -> str:
    if "p" in block:
        return "lines" if any(is_break(item) for item in block["p"]) else "p"
    return "list"


def _link(address: str, text: str) -> str:
    target = safe_url(address)
    if target is None:
        return _t(text)
    return f'<a class="reference external" href="{_a(target)}">{_t(text)}</a>'


def _pre(text: str) -> str:
    """Literal text as Sphinx writes it: each word in a `pre` span, the spaces between."""
    pieces = []
    for index, word in enumerate(text.split(" ")):
        if index:
            pieces.append(" ")
        if word:
            pieces.append(f'<span class="pre">{_t(word)}</span>')
    return "".join(pieces)


def _t(text: str) -> str:
    return html.escape(text, quote=False)


def _a(text: str) -> str:
    return html.escape(text, quote=True)
