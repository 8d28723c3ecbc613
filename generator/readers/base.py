"""What every reader produces: the tables of a document, before any meaning is given to them.

A reader knows one markup format and nothing about HTTP status codes.  It finds
every table-like structure in a document and hands it on as a `RawTable`:
header texts, rows of rich-text cells, and where each row starts.  Deciding
which tables are status-code tables, and which column is which, happens later
in `statusdocs.tables`, the same way for every format.

No document, however large or deeply nested, may make a reader do unbounded
work: `Limits` holds the checks against `statusdocs.limits` that every reader
shares.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Protocol, TypeVar

from ..diagnostics import Reporter
from ..limits import MAX_CELL_CHARS, MAX_CELLS, MAX_NESTING, MAX_ROWS
from ..richtext import (
    EMPTY,
    Block,
    Code,
    Inline,
    LineBreak,
    ListItem,
    Paragraph,
    RichText,
    Text,
    text_of,
)


@dataclass(slots=True)
class RawRow:
    """One body row of a table."""

    cells: list[RichText]
    """The row's cells, one per column after spans are expanded."""
    line: int
    """1-based line in the source file where the row starts."""
    spanned: frozenset[int] = frozenset()
    """Indices of cells that a row- or column-span filled, rather than the row itself."""

    def cell(self, column: int | None) -> RichText:
        """The cell in `column`, empty when the row is shorter or there is no such column."""
        if column is None or column >= len(self.cells):
            return EMPTY
        return self.cells[column]


@dataclass(slots=True)
class RawTable:
    """A table as found in a document, in the document's own column order."""

    header: list[str] | None
    """Header cell texts, or None when the table has no header row."""
    rows: list[RawRow]
    """Body rows, in document order."""
    line: int
    """1-based line where the table starts."""
    context: str | None = None
    """Text of the nearest heading above the table, e.g. "Success Codes"."""
    caption: str | None = None
    """The table's own title, e.g. from `.. table::` or `<caption>`."""
    notes: list[str] = field(default_factory=list)
    """Reader remarks about the table (e.g. "synthesised from a bullet list")."""
    lead_in: str | None = None
    """The sentence just above the table, when a paragraph leads into it
    ("The API returns these status codes:")."""


# An item that starts with a code, or whose first line ends with one ("Bad Request - 400").
_CODE_FIRST = re.compile(
    r"^[\s`*_\[(“\"']*\d{3}(?!\d)|^[^\d\n]{1,60}?[\s\-–—:(|]\(?\d{3}\)?[`*_]*(?:\s*[:：\-–—]|\s|$)"
    r"|^\{\{\s*[\w.:-]+\s*\(\s*[\"']?\d{3}(?!\d)"  # a macro showing a code: {{HTTPStatus(404)}}
)


def starts_with_code(text: str) -> bool:
    """Whether a list item or heading starts with a code, or its first line ends with one."""
    return _CODE_FIRST.match(text) is not None


NOTE_LIST = "synthesised from a list: one row per item"
"""The note on a raw table each reader makes from a list."""


def lists_codes(rows: list[RawRow]) -> bool:
    """Whether rows made from a list's items are a list of codes: at least half of them
    start with one (the rest are continuation text or stray items, reported as rows)."""
    coded = sum(starts_with_code(row.cells[0].plain) for row in rows if row.cells)
    return coded > 0 and coded * 2 >= len(rows)


class SpanGrid:
    """Rows of cells with their spans expanded, one row at a time, as HTML and RST tables need.

    A row span repeats its cell in the rows it covers; a column span fills the
    columns it covers with empty cells; both are marked as spanned, so a
    continuation row is told from a row of its own.  Where spans overlap, the
    earlier cell wins.
    """

    def __init__(self) -> None:
        self._carried: dict[int, tuple[RichText, int]] = {}
        """Column -> (content, rows below it still covers)."""

    def row(
        self, cells: Iterable[tuple[RichText, int, int]], room: int | None = None
    ) -> tuple[dict[int, RichText], frozenset[int]]:
        """Place one row's `(content, rows below, columns)` cells; its cells by column, and
        the columns a span filled.  No cell goes past `room` columns."""
        placed = {column: content for column, (content, _) in self._carried.items()}
        spanned = set(placed)
        carried = {column: (content, left - 1) for column, (content, left) in self._carried.items()}
        column = 0
        for content, down, across in cells:
            while column in placed:
                column += 1
            if room is not None:
                across = min(across, room - column)
            if across <= 0:
                break
            for offset in range(across):
                if column + offset not in placed:
                    placed[column + offset] = EMPTY if offset else content
                    carried[column + offset] = (placed[column + offset], down)
            spanned.update(range(column + 1, column + across))
            column += across
        self._carried = {column: kept for column, kept in carried.items() if kept[1] > 0}
        return placed, frozenset(spanned)


LEAD_IN_CHARS = 200
"""How much of the paragraph above a table counts as its lead-in: the end of it."""


def lead_in_of(text: str | None) -> str | None:
    """The end of a paragraph's text, where a sentence leading into a table is."""
    text = " ".join((text or "").split())
    return text[-LEAD_IN_CHARS:] or None


@dataclass(frozen=True, slots=True)
class Document:
    """A decoded source document handed to a reader."""

    path: str
    """Path for diagnostics and provenance."""
    text: str
    """The decoded text, newlines normalized to \\n."""


@dataclass(slots=True)
class Parsed:
    """What a reader found in one document."""

    tables: list[RawTable]
    """Every table-like structure, in document order."""
    title: str | None = None
    """The document's top heading, when it has one."""


class Reader(Protocol):
    """Reads one markup format into raw tables."""

    def __call__(self, document: Document, report: Reporter) -> Parsed:
        """Every table in `document`; problems go to `report` with a line number."""
        ...


class Limits:
    """One document's reading against `statusdocs.limits`: the cells it has left, what was said.

    A reader makes one per document.  Where a parser could do far more work
    than the document's size suggests (nesting, padding short rows), the
    reader asks it first; `bound` then applies the row, cell and cell-size
    limits to what the reader found, the same way for every format.
    """

    def __init__(self, report: Reporter) -> None:
        self.report = report
        self.cells_left = MAX_CELLS
        """Cells the document's tables may still hold; readers that pad rows use them up."""
        self._reported: set[str] = set()

    def once(self, line: int | None, type: str, message: str) -> None:
        """Report an error the first time only: a limit hit a thousand times is one diagnostic."""
        if type not in self._reported:
            self._reported.add(type)
            self.report.error(line, type, message)

    def too_deep(self, line: int | None, type: str, what: str, limit: int = MAX_NESTING) -> None:
        """Say, once, that `what` (e.g. "elements") nested past `limit` was not read."""
        message = f"{what} nested deeper than {limit}; the content inside is not read"
        self.once(line, type, message)

    def too_many_cells(self, line: int | None) -> None:
        """Say, once, that the tables from `line` on are past the MAX_CELLS limit."""
        message = f"the tables hold more than {MAX_CELLS:,} cells; the rest is not read"
        self.once(line, "table.too-many-cells", message)

    def rows_fitting(self, width: int) -> int:
        """How many rows `width` cells wide still fit in the document's cells."""
        return self.cells_left // max(width, 1)

    def table(self) -> TableCells:
        """A counter for the cells of a table whose rows are about to be built."""
        return TableCells(self)

    def bound(self, tables: list[RawTable]) -> list[RawTable]:
        """`tables` within the limits: rows past MAX_ROWS or MAX_CELLS dropped, long cells cut."""
        kept: list[RawTable] = []
        room = MAX_CELLS
        for table in tables:
            self._cap_rows(table)
            room -= len(table.header or ())
            if room < 0:
                self.too_many_cells(table.line)
                break
            room = self._cap_cells(table, room)
            self._cut_long_cells(table)
            kept.append(table)
        return kept

    def _cap_rows(self, table: RawTable) -> None:
        if len(table.rows) > MAX_ROWS:
            message = f"this table has more than {MAX_ROWS:,} rows; the rest is not read"
            self.report.error(table.rows[MAX_ROWS].line, "table.too-many-rows", message)
            del table.rows[MAX_ROWS:]

    def _cap_cells(self, table: RawTable, room: int) -> int:
        """Drop the rows of `table` past `room` cells; the cells left after it."""
        for index, row in enumerate(table.rows):
            room -= len(row.cells)
            if room < 0:
                self.too_many_cells(row.line)
                del table.rows[index:]
                break
        return room

    def _cut_long_cells(self, table: RawTable) -> None:
        """Cut every cell, and header text, past MAX_CELL_CHARS; a span's copies are one cell."""
        if table.header and any(len(text) > MAX_CELL_CHARS for text in table.header):
            self._long_cell(table.line)
            table.header = [text[:MAX_CELL_CHARS] for text in table.header]
        cut: dict[int, RichText] = {}  # id of a long cell -> its cut copy
        for row in table.rows:
            for column, cell in enumerate(row.cells):
                if id(cell) not in cut and _length(cell.blocks) > MAX_CELL_CHARS:
                    self._long_cell(row.line)
                    cut[id(cell)] = RichText(_cut_blocks(cell.blocks, [MAX_CELL_CHARS]))
                row.cells[column] = cut.get(id(cell), cell)

    def _long_cell(self, line: int) -> None:
        limit = f"{MAX_CELL_CHARS:,}"
        message = f"a cell longer than {limit} characters is cut to its first {limit}"
        self.report.warning(line, "cell.too-long", message)


class TableCells:
    """Counts the cells of one table, padded to its widest row, against the document's share."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.room = limits.cells_left
        self.rows = 0
        self.width = 0

    def admit(self, row: RawRow) -> bool:
        """Count `row` in, or say the table is past MAX_CELLS (once) and keep it out."""
        width = max(self.width, len(row.cells))
        if width * (self.rows + 1) > self.room:
            self.limits.too_many_cells(row.line)
            return False
        self.width, self.rows = width, self.rows + 1
        self.limits.cells_left = self.room - width * self.rows
        return True


# Cutting rich text to a number of characters, its structure kept.


def _length(blocks: Iterable[Block]) -> int:
    """Characters of text in `blocks`, markup and list markers left out."""
    total = 0
    for block in blocks:
        if isinstance(block, Paragraph):
            total += len(text_of(block.children))
        else:
            total += sum(_length(item.blocks) for item in block.items)
    return total


def _cut_blocks(blocks: Iterable[Block], room: list[int]) -> tuple[Block, ...]:
    """The first `room[0]` characters of `blocks`; `room` is shared, and used up, by the calls."""
    kept: list[Block] = []
    for block in blocks:
        if room[0] <= 0:
            break
        if isinstance(block, Paragraph):
            kept.append(Paragraph(_cut_inlines(block.children, room)))
        else:
            items = (ListItem(_cut_blocks(item.blocks, room)) for item in block.items)
            kept.append(replace(block, items=tuple(_while_room(items, room))))
    return tuple(kept)


def _cut_inlines(inlines: Iterable[Inline], room: list[int]) -> tuple[Inline, ...]:
    kept: list[Inline] = []
    for node in _while_room(inlines, room):
        if isinstance(node, Text | Code):
            text = node.text[: room[0]]
            room[0] -= len(text)
            kept.append(type(node)(text))
        elif isinstance(node, LineBreak):
            kept.append(node)
        else:
            kept.append(replace(node, children=_cut_inlines(node.children, room)))
    return tuple(kept)


_T = TypeVar("_T")


def _while_room(nodes: Iterable[_T], room: list[int]) -> Iterator[_T]:
    """`nodes` while `room` is left, checked before each is taken: taking one may use it up."""
    iterator = iter(nodes)
    while room[0] > 0 and (node := next(iterator, None)) is not None:
        yield node
