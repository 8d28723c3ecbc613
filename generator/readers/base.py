"""What every reader produces: the tables of a document, before any meaning is given to them.

A reader knows one markup format and nothing about HTTP status codes.  It finds
every table-like structure in a document and hands it on as a `RawTable`:
header texts, rows of rich-text cells, and where each row starts.  Deciding
which tables are status-code tables, and which column is which, happens later
in `generator.tables`, the same way for every format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from generator.diagnostics import Reporter
from generator.richtext import EMPTY, RichText


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
