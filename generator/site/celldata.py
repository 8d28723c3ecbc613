"""Table data for the site's big tables: rich text as JSON-ready values, links resolved.

Large tables (a code's entries side by side, a source's table, the matrix)
are not written as reStructuredText: docutils would parse every cell again,
which dominates the build time of a big site.  Instead a page carries the
table as one line of JSON inside a `statusdocs-table` directive, and the
directive (`statusdocs.sphinx_ext.table_nodes`) builds docutils nodes from it directly.
Source text stays data all the way: it becomes text nodes, never markup.

The shapes, compact because a big site holds hundreds of thousands of them:
a cell is a list of blocks; a block is `{"p": [inline…]}`, `{"ul": [[block…]…]}`
or `{"ol": [[block…]…], "start": n}`; an inline is a string (text),
`{"code": s}`, `{"em": [inline…]}`, `{"strong": [inline…]}`,
`{"link": url, "c": [inline…]}`, `{"br": 1}`, `{"ref": label, "t": text}`
(a cross-reference) or `{"span": class, "t": text}` (a styled badge).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..richtext import (
    Block,
    Code,
    Inline,
    Link,
    RichText,
    Text,
    Written,
    text_of,
)
from .mentions import Mention, Mentions
from .rst import Rst, label

Cell = list[dict[str, Any]]


def cell(content: RichText | Sequence[Block], mentions: Mentions | None = None) -> Cell:
    """A table cell from rich text, with mentions of codes and headers linked."""
    blocks = content.blocks if isinstance(content, RichText) else content
    return [_block(block, mentions) for block in blocks]


def text_cell(*inlines: str | dict[str, Any]) -> Cell:
    """A one-paragraph cell from plain strings and inline values."""
    return [{"p": [piece for piece in inlines if piece]}]


def ref(target: str, text: str) -> dict[str, Any]:
    """A cross-reference to one of the generator's labels."""
    return {"ref": label(target), "t": text}


def span(css_class: str, text: str) -> dict[str, Any]:
    """A styled badge (classes are styled in the site's statusdocs.css)."""
    return {"span": label(css_class), "t": text}


def table(
    header: Sequence[Cell],
    rows: Iterable[tuple[str | None, Sequence[Cell]]],
    css_class: str,
    stub_columns: int = 0,
    titles: dict[str, str] | None = None,
    row_classes: Sequence[Sequence[str]] = (),
) -> dict[str, Any]:
    """A table: header cells, rows of (anchor label or None, cells), a CSS class; `titles`
    gives an anchored row the title a `:ref:` to it shows ("Huawei Cloud IAM, line 57");
    `row_classes` gives each row, in order, classes for the page's script (`sd-disagrees`)."""
    body = []
    for index, (anchor, cells) in enumerate(rows):
        row: dict[str, Any] = {"id": label(anchor) if anchor else None, "cells": list(cells)}
        if anchor and titles and anchor in titles:
            row["title"] = titles[anchor]
        if index < len(row_classes) and row_classes[index]:
            row["classes"] = [label(name) for name in row_classes[index]]
        body.append(row)
    return {"class": label(css_class), "stub": stub_columns, "header": list(header), "rows": body}


def directive(data: dict[str, Any]) -> Rst:
    """The `statusdocs-table` directive carrying `data` as one line of ASCII JSON.

    Directive content is handed to the directive as lines, never parsed as
    markup, and ASCII JSON has no line breaks, so no value can escape it.
    """
    payload = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return Rst(f".. statusdocs-table::\n\n   {payload}\n")


def _block(block: Block, mentions: Mentions | None) -> dict[str, Any]:
    block_data: dict[str, Any] = Written(_CellWriter(mentions)).block(block)
    return block_data


def inlines(nodes: Iterable[Inline], mentions: Mentions | None = None) -> list[Any]:
    """Inline content as values; text runs are split where they mention a code or header."""
    out: list[Any] = []
    for written in Written(_CellWriter(mentions)).inlines(nodes):
        # A text run comes back as the pieces it splits into, spliced in place.
        out.extend(written if isinstance(written, list) else [written])
    return out


@dataclass(frozen=True, slots=True)
class _CellWriter:
    """Rich text as the site's table data: JSON values a node, read by `table_nodes`."""

    mentions: Mentions | None

    def text(self, node: Text) -> Any:
        return _linked(node.text, self.mentions)

    def code(self, node: Code) -> Any:
        # `<samp>200 StatusOK</samp>`: the code in it links to its page, still as code.
        if self.mentions is None:
            return {"code": node.text}
        return [
            ref(piece.label, piece.text) | {"literal": 1}
            if isinstance(piece, Mention)
            else {"code": piece}
            for piece in self.mentions.split(node.text)
            if piece
        ]

    def line_break(self) -> Any:
        return {"br": 1}

    def emphasis(self, inner: list[Any]) -> Any:
        return {"em": _spliced(inner)}

    def strong(self, inner: list[Any]) -> Any:
        return {"strong": _spliced(inner)}

    def link(self, node: Link, inner: list[Any]) -> Any:
        return {"link": node.url, "c": [text_of(node.children)]}

    def paragraph(self, inner: list[Any]) -> Any:
        return {"p": _spliced(inner)}

    def bullet_list(self, items: list[list[Any]]) -> Any:
        return {"ul": items}

    def ordered_list(self, items: list[list[Any]], start: int) -> Any:
        return {"ol": items, "start": start}


def _spliced(written: list[Any]) -> list[Any]:
    """Inline values with each text run's pieces in place of the run."""
    return [piece for item in written for piece in (item if isinstance(item, list) else [item])]


def _linked(text: str, mentions: Mentions | None) -> list[Any]:
    if mentions is None:
        return [text]
    return [
        ref(piece.label, piece.text) if isinstance(piece, Mention) else piece
        for piece in mentions.split(text)
        if piece
    ]
