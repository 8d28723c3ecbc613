"""Docutils nodes from table data (see `statusdocs.site.celldata` for its shapes).

Used by the site's `statusdocs-table` directive and by the embedding
extension: tables become real docutils nodes (so every builder renders
them), text becomes text nodes (so nothing in it is markup), and
cross-references are made by the caller's factory (a `pending_xref` for
the embedding extension, an already resolved link for the site).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from docutils import nodes

from ..site.rst import url as safe_url

XrefFactory = Callable[[str, str], nodes.Node]


def table_node(data: dict[str, Any], xref: XrefFactory) -> nodes.table:
    """A docutils table from table data; a row with an anchor carries it as its id."""
    header: list[Any] = data.get("header", [])
    rows: list[dict[str, Any]] = data.get("rows", [])
    width = max([len(header), *(len(row["cells"]) for row in rows)], default=0)
    table = nodes.table(classes=[data.get("class", "")] if data.get("class") else [])
    group = nodes.tgroup(cols=width)
    table += group
    for column in range(width):
        group += nodes.colspec(colwidth=1, stub=1 if column < data.get("stub", 0) else 0)
    if header:
        head = nodes.thead()
        head += _row(header, width, xref)
        group += head
    body = nodes.tbody()
    for row in rows:
        body += _row(row["cells"], width, xref, row.get("id"), row.get("classes", ()))
    group += body
    return table


def _row(
    cells: Sequence[Any],
    width: int,
    xref: XrefFactory,
    anchor: str | None = None,
    classes: Sequence[str] = (),
) -> nodes.row:
    row = nodes.row(ids=[anchor] if anchor else [], classes=list(classes))
    for index in range(width):
        entry = nodes.entry()
        entry.extend(blocks(cells[index] if index < len(cells) else [], xref))
        row += entry
    return row


def blocks(data: Sequence[Any], xref: XrefFactory) -> list[nodes.Element]:
    """Body elements from block values."""
    out: list[nodes.Element] = []
    for block in data:
        if "p" in block and any(is_break(item) for item in block["p"]):
            # Lines kept apart inside a cell: a line block, as RST writes one ("| ").
            lines = split_lines(block["p"])
            out.append(
                nodes.line_block("", *(nodes.line("", "", *inlines(ln, xref)) for ln in lines))
            )
        elif "p" in block:
            out.append(nodes.paragraph("", "", *inlines(block["p"], xref)))
        else:
            items = [
                nodes.list_item("", *blocks(item, xref)) for item in block.get("ul") or block["ol"]
            ]
            if "ul" in block:
                out.append(nodes.bullet_list("", *items, bullet="-"))
            else:
                out.append(
                    nodes.enumerated_list(
                        "", *items, enumtype="arabic", start=block.get("start", 1)
                    )
                )
    return out


def is_break(item: Any) -> bool:
    """Whether an inline value is a line break (`{"br": 1}`)."""
    return isinstance(item, dict) and "br" in item


def split_lines(data: Sequence[Any]) -> list[list[Any]]:
    lines: list[list[Any]] = [[]]
    for item in data:
        if is_break(item):
            lines.append([])
        else:
            lines[-1].append(item)
    return lines


def inlines(data: Sequence[Any], xref: XrefFactory) -> list[nodes.Node]:
    """Inline nodes from inline values."""
    out: list[nodes.Node] = []
    for item in data:
        if isinstance(item, str):
            out.append(nodes.Text(item))
        elif "code" in item:
            out.append(nodes.literal(item["code"], item["code"]))
        elif "strong" in item:
            out.append(nodes.strong("", "", *inlines(item["strong"], xref)))
        elif "em" in item:
            out.append(nodes.emphasis("", "", *inlines(item["em"], xref)))
        elif "ref" in item and item.get("literal"):
            out.append(nodes.literal("", "", xref(item["ref"], item["t"])))
        elif "ref" in item:
            out.append(xref(item["ref"], item["t"]))
        elif "span" in item:
            # A badge is the site's judgement, not the source's words: kept out of search.
            out.append(nodes.inline(item["t"], item["t"], classes=[item["span"], "no-search"]))
        elif "link" in item:
            out.append(_link(item["link"], "".join(item["c"]) or item["link"]))
    return out


def _link(address: str, text: str) -> nodes.Node:
    target = safe_url(address)
    if target is None:
        return nodes.Text(text)
    return nodes.reference(text, text, refuri=target)
