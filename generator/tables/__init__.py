"""From raw tables to entries: the stage that gives table cells their meaning.

Readers hand over tables with no idea what they hold; here each table is
either recognised as an HTTP status-code table (and every row becomes an
`Entry` or a diagnostic) or skipped with an `info` diagnostic saying why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.diagnostics import Reporter
from generator.model import Entry, SourceTable
from generator.readers.base import RawRow, RawTable
from generator.registry import lookup
from generator.richtext import RichText
from generator.tables.cells import CodeCell, first_line, parse_code, rest_after_code, split_action
from generator.tables.roles import Layout, NotAStatusTable, detect_layout

__all__ = ["TableEntries", "entries_from_table"]


@dataclass(slots=True)
class TableEntries:
    """A recognised status-code table and the entries read from its rows."""

    table: SourceTable
    entries: list[Entry] = field(default_factory=list)


def entries_from_table(
    raw: RawTable,
    source: str,
    report: Reporter,
    overrides: dict[str, int] | None = None,
) -> TableEntries | None:
    """The entries of a status-code table, or None (reported as info) when it is not one."""
    try:
        layout = detect_layout(raw, overrides)
    except NotAStatusTable as reason:
        report.info(raw.line, "table.skipped", f"table skipped: {reason}")
        return None
    result = TableEntries(SourceTable(raw.line, _header(raw, layout), raw.context, raw.caption))
    reader = _RowReader(source, report, layout, raw.context)
    for row in raw.rows:
        reader.read(row, result.entries)
    return result


@dataclass(slots=True)
class _RowReader:
    source: str
    report: Reporter
    layout: Layout
    context: str | None
    first_line_of: dict[int, int] = field(default_factory=dict)

    def read(self, row: RawRow, entries: list[Entry]) -> None:
        """Turn one row into an entry, a continuation of the previous one, or a diagnostic."""
        code_cell = row.cell(self.layout.code)
        parsed = parse_code(code_cell)
        if parsed.kind == "empty" or self.layout.code in row.spanned:
            self._continue(row, entries)
        elif parsed.kind == "code" and parsed.code is not None:
            entries.append(self._entry(row, parsed, parsed.code))
        else:
            self._reject(row, parsed)

    def _entry(self, row: RawRow, parsed: CodeCell, code: int) -> Entry:
        if lookup(code) is None:
            self.report.warning(
                row.line,
                "row.unregistered-code",
                f"{code} is not a registered HTTP status code; kept as written",
            )
        if code in self.first_line_of:
            self.report.warning(
                row.line,
                "row.duplicate-code",
                f"code {code} appears twice in this table "
                f"(also at line {self.first_line_of[code]}); both rows kept",
            )
        self.first_line_of.setdefault(code, row.line)
        description, action = self._meaning(row)
        name = first_line(row.cell(self.layout.name)) or parsed.rest or None
        return Entry(
            self.source,
            code,
            name,
            description,
            action,
            self.context,
            self.report.path,
            row.line,
            cells=list(row.cells),
        )

    def _meaning(self, row: RawRow) -> tuple[RichText, RichText]:
        """The row's description and action, splitting a labelled action out of the text."""
        if self.layout.description is not None:
            described = row.cell(self.layout.description)
        else:
            described = rest_after_code(row.cell(self.layout.code))
        action = row.cell(self.layout.action)
        if self.layout.action is None:
            sections = split_action(described)
            return sections.description, sections.action
        return described, action

    def _continue(self, row: RawRow, entries: list[Entry]) -> None:
        """A row with no code of its own adds its text to the row above (a continuation row)."""
        if not any(cell for index, cell in enumerate(row.cells) if index not in row.spanned):
            return
        if not entries:
            self.report.error(row.line, "row.no-code", "row has no status code; row skipped")
            return
        previous = entries[-1]
        description, action = self._meaning(row)
        previous.description = _join(previous.description, description)
        previous.action = _join(previous.action, action)
        previous.cells = [
            cell if index in row.spanned else _join(cell, row.cell(index))
            for index, cell in enumerate(previous.cells)
        ]

    def _reject(self, row: RawRow, parsed: CodeCell) -> None:
        if parsed.kind == "class":
            self.report.warning(
                row.line,
                "row.code-class",
                f"{parsed.text!r} is a class of status codes, not one code; row skipped",
            )
        elif parsed.kind == "range":
            self.report.warning(
                row.line,
                "row.code-range",
                f"{parsed.text!r} is a range of status codes, not one code; row skipped",
            )
        else:
            self.report.error(
                row.line,
                "row.invalid-code",
                f"{parsed.text!r} is not a valid HTTP status code (100-599); row skipped",
            )


def _join(first: RichText, second: RichText) -> RichText:
    return RichText(first.blocks + second.blocks)


def _header(raw: RawTable, layout: Layout) -> list[str]:
    """The table's own header, or one named after the roles its columns play."""
    width = max((len(row.cells) for row in raw.rows), default=0)
    if raw.header:
        return raw.header + [""] * (width - len(raw.header))
    names = {layout.code: "Code", layout.name: "Name", layout.description: "Description"}
    names[layout.action] = "Action"
    return [names.get(column, f"Column {column + 1}") for column in range(width)]
