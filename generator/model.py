"""The normalized model: what every source says about every status code.

Plain data only: no I/O and no formatting.  `statusdocs.ingest` builds it,
`statusdocs.formats.json_export` and the site render it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .diagnostics import Diagnostic
from .richtext import RichText

Format = Literal["markdown", "html", "rst", "text"]
FORMATS: tuple[Format, ...] = ("markdown", "html", "rst", "text")

Role = Literal["guideline", "service", "mirror"]
SOURCE_ROLES: dict[Role, str] = {
    "guideline": "the codes a house allows, with their names and meanings",
    "service": "what one API returns (the default)",
    "mirror": "a copy of another source (`of` names it)",
}
"""What a source is to the others, as the manifest's `role` says."""


@dataclass(slots=True)
class Source:
    """One source document and what is known about it."""

    id: str
    """Stable identifier, used in URLs (`sources/<id>.html`)."""
    title: str
    """Human title, from the manifest or the document's top heading."""
    path: str
    """Path of the file, relative to the folder it was read from where possible."""
    format: Format
    """Which reader read it."""
    metadata: dict[str, str] = field(default_factory=dict)
    """Manifest fields such as `publisher` and `url`."""
    tables: list[SourceTable] = field(default_factory=list)
    """The source's status-code tables, in document order."""
    decisions: list[TableDecision] = field(default_factory=list)
    """Every table the reader found, read or skipped, with the reasons."""
    role: Role = "service"
    """What the source is to the others (`SOURCE_ROLES`)."""
    mirror_of: str | None = None
    """For a mirror: the id of the source it copies."""


@dataclass(slots=True)
class SourceTable:
    """One status-code table of a source, as the source lays it out."""

    line: int
    """1-based line where the table starts."""
    header: list[str]
    """Column headings in the source's own words and order (made up when it has none)."""
    context: str | None = None
    """The heading the table sits under, e.g. "Success Codes"."""
    caption: str | None = None
    """The table's own title, e.g. "Table 1 Status codes"."""


@dataclass(slots=True)
class TableDecision:
    """Why a table of a source was read or skipped, and what each column was taken for."""

    line: int
    accepted: bool
    evidence: str
    """The signs for and against, with their weights."""
    columns: list[str] = field(default_factory=list)
    """Per column: its header, the role it got and why."""


@dataclass(slots=True)
class Entry:
    """One row of one source's status-code table."""

    source: str
    """The `Source.id` this row comes from."""
    code: int
    """The HTTP status code, 100-599."""
    name: str | None
    """The name the source uses for the code, as written ("StatusNotFound", "NotFound")."""
    description: RichText
    """What the source says the code means."""
    action: RichText
    """What the source tells a client to do, when it says so."""
    group: str | None
    """The label of the group the row is under, when its table has a group column
    ("Client errors"); `context` gives that, or else its table's heading."""
    line: int
    """1-based line of the row in its source's file (`Source.path`)."""
    ordinal: int = 1
    """1 for the first row starting on its line; 2, 3, ... for later rows on that same line
    (a table written on one line), so every row has its own anchor."""
    table: int = 0
    """Index of the row's table in `Source.tables`."""
    cells: list[RichText] = field(default_factory=list)
    """The row's cells in the table's own column order, to reproduce it faithfully."""
    extra: dict[str, RichText] = field(default_factory=dict)
    """Every other column of the row (an error code, notes), by its header text."""
    retryable: bool | None = None
    """What a yes/no retry column of the source says; None where it has none."""

    def context(self, source: Source) -> str | None:
        """What the row is under: its group label, else the heading above its table, e.g.
        "Error Codes" (`source` is the row's own)."""
        return self.group or source.tables[self.table].context


@dataclass(slots=True)
class StatusCode:
    """Everything known about one status code, across all sources."""

    code: int
    status_class: str
    """The class, "1xx" to "5xx"."""
    phrase: str | None
    """The registered reason phrase, or None for an unregistered code."""
    reference: str | None
    """The defining RFC section, e.g. "RFC 9110, Section 15.5.5"."""
    url: str | None
    """Address of the defining RFC section."""
    entries: list[Entry] = field(default_factory=list)
    """What each source says, in source order."""


@dataclass(slots=True)
class Model:
    """All sources, all codes they document, and every problem found."""

    sources: list[Source]
    codes: list[StatusCode]
    """Sorted by code."""
    diagnostics: list[Diagnostic]


RowIndex = dict[str, dict[int, list[Entry]]]
"""Each source's rows by code: `index[source id][code]` in document order."""


def rows_by_source(model: Model) -> RowIndex:
    """Each source's rows by code, codes in order and a code's rows in document order."""
    rows: RowIndex = {}
    for code in model.codes:
        for entry in code.entries:
            rows.setdefault(entry.source, {}).setdefault(code.code, []).append(entry)
    return rows
