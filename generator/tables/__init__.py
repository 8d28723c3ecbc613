"""From raw tables to entries: the stage that gives table cells their meaning.

Readers hand over tables with no idea what they hold; here each table is
either recognised as an HTTP status-code table (and every row becomes an
`Entry` or a diagnostic) or skipped with an `info` diagnostic saying why.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ..columns import ROLES, TITLES
from ..diagnostics import Reporter
from ..model import Entry, SourceTable, TableDecision
from ..readers.base import RawRow, RawTable
from ..registry import lookup, matches_registered
from ..richtext import Paragraph, RichText, Strong, from_plain
from ..sources.manifest import TableOverride
from .cells import CodeCell, first_line, parse_code, rest_after_code, split_action
from .evidence import Verdict, table_key, weigh
from .phrases import QUALIFIER, leading_phrase, split_leading_phrase
from .roles import Layout, code_column, column_count, detect_layout
from .words import (
    ENGLISH_SENTENCE,
    NO,
    PLACEHOLDERS,
    YES,
    ends_like_sentence,
    header_role,
    starts_like_sentence,
)

__all__ = ["TableEntries", "TableReader", "entries_from_table"]


@dataclass(slots=True)
class TableEntries:
    """A recognised status-code table and the entries read from its rows."""

    table: SourceTable
    entries: list[Entry] = field(default_factory=list)


@dataclass(slots=True)
class _Judged:
    """A table with its columns laid out and the evidence weighed, not yet read."""

    raw: RawTable
    header: list[str]
    layout: Layout | None
    """None when the table has no code column."""
    verdict: Verdict


def _shape(raw: RawTable, header: list[str]) -> str:
    """What tables of one kind share across a document: their header, or how they were made."""
    return "|".join(h.lower() for h in header) if raw.header else "\x00".join(raw.notes)


@dataclass(slots=True)
class TableReader:
    """Reads the tables of one source in order, so a table can count its accepted siblings."""

    source: str
    report: Reporter
    overrides: dict[str, int] = field(default_factory=dict)
    """The manifest's column numbers (0-based) by role; empty when it gives none."""
    table_overrides: list[TableOverride] = field(default_factory=list)
    """The manifest's columns for single tables."""
    accepted: set[str] = field(default_factory=set)
    decisions: list[TableDecision] = field(default_factory=list)

    def read(self, raw: RawTable) -> TableEntries | None:
        """The entries of one status-code table, or None (reported as info) when it is not one."""
        return self.read_all([raw])[0]

    def read_all(self, raws: Sequence[RawTable]) -> list[TableEntries | None]:
        """Every table of a document, in order; None for those that are not status tables.

        Tables are judged first, then a table skipped for little evidence is taken
        after all when a table of the same shape elsewhere in the document was
        (one list of codes per heading, the shortest with one or two items).
        """
        judged = [self._judge(raw, len(self.decisions) + 1 + n) for n, raw in enumerate(raws)]
        shapes = {_shape(j.raw, j.header) for j in judged if j.layout and j.verdict.accepted}
        for item in judged:
            skipped = item.layout and not item.verdict.accepted and not item.verdict.refused
            if skipped and _shape(item.raw, item.header) in shapes:
                item.verdict.add(3, "a table of the same shape in this document was accepted")
        return [self._finish(item) for item in judged]

    def _judge(self, raw: RawTable, index: int) -> _Judged:
        raw = promote_header_row(demote_header_row(raw))
        header = _padded_header(raw)
        chosen = [o for o in self.table_overrides if o.matches(index, raw.caption, raw.line)]
        fixed = self._fitting_overrides(raw, header, chosen[0].columns if chosen else None)
        code = fixed.get("code", code_column(raw, header))
        if code is None:
            return _Judged(raw, header, None, Verdict(refused="no column of HTTP status codes"))
        layout = detect_layout(raw, header, fixed, code)
        verdict = weigh(raw, header, layout, self.accepted)
        if fixed:
            verdict.add(ACCEPT_OVERRIDE, "columns set in the manifest")
        if verdict.accepted:
            self.accepted.add(table_key(raw, header))
        return _Judged(raw, header, layout, verdict)

    def _finish(self, item: _Judged) -> TableEntries | None:
        raw, header, layout, verdict = item.raw, item.header, item.layout, item.verdict
        if layout is None or not verdict.accepted:
            reason = _skip_reason(verdict)
            self.report.info(raw.line, "table.skipped", f"table skipped: {reason}")
            self._decide(raw, False, verdict, layout, header, reason)
            return None
        self._decide(raw, True, verdict, layout, header)
        result = TableEntries(SourceTable(raw.line, _header(raw, layout), raw.context, raw.caption))
        rows = _RowReader(self.source, self.report, layout, header, _rests_describe(raw, layout))
        for row in raw.rows:
            rows.read(row, result.entries)
        return result

    def _fitting_overrides(
        self, raw: RawTable, header: list[str], columns: dict[str, int] | None
    ) -> dict[str, int]:
        """The manifest's columns for this table (`columns`, else the file-wide ones), when
        the table has those columns; a file-wide code column must also hold codes here."""
        wanted = self.overrides if columns is None else columns
        if not wanted:
            return {}
        code = wanted.get("code")
        fits = all(column < len(header) for column in wanted.values()) and (
            columns is not None
            or code is None
            or any(parse_code(row.cell(code)).kind == "code" for row in raw.rows)
        )
        if not fits:
            self.report.info(
                raw.line,
                "table.override-skipped",
                f"the manifest's columns do not fit this table ({len(header)} columns); "
                "its columns were detected",
            )
            return {}
        return dict(wanted)

    def _decide(
        self,
        raw: RawTable,
        accepted: bool,
        verdict: Verdict,
        layout: Layout | None,
        header: list[str],
        reason: str | None = None,
    ) -> None:
        evidence = verdict.summary() if verdict.signs or verdict.refused else reason or ""
        columns = []
        if layout is not None:
            for column, why in sorted(layout.why.items()):
                shown = header[column] if column < len(header) and header[column] else "(no header)"
                columns.append(f"column {column + 1} {shown!r}: {why}")
        self.decisions.append(TableDecision(raw.line, accepted, evidence, columns))


# More words than this after a code are a description, not a name.
_NAME_WORDS = 5
_END_PUNCTUATION = " .!！。"
# Git's conflict markers, left in a document between the rows of a table.
_CONFLICT_MARKER = re.compile(r"(?:<{7}|={7}|>{7}|\|{7})(?:\s.*)?")
# Columns the manifest sets are trusted: a table with them is read even on little evidence.
ACCEPT_OVERRIDE = 3


def entries_from_table(
    raw: RawTable,
    source: str,
    report: Reporter,
    overrides: dict[str, int] | None = None,
) -> TableEntries | None:
    """The entries of one table read on its own (see `TableReader` for a whole source)."""
    return TableReader(source, report, dict(overrides or {})).read(raw)


def promote_header_row(raw: RawTable) -> RawTable:
    """A table whose first row is its header (header words, or all bold) but not marked so."""
    if (raw.header is not None and any(raw.header)) or not raw.rows:
        return raw
    first = raw.rows[0]
    texts = [first_line(cell) for cell in first.cells]
    filled = [text for text in texts if text]
    if not filled or any(
        parse_code(cell).kind in ("code", "class", "range") for cell in first.cells
    ):
        return raw
    worded = sum(header_role(text) is not None for text in filled)
    bold = all(_all_bold(cell) for cell in first.cells if first_line(cell))
    if worded * 2 < len(filled) and not bold:
        return raw
    return replace(raw, header=texts, rows=raw.rows[1:])


def demote_header_row(raw: RawTable) -> RawTable:
    """A table whose "header" is a row of data (a pipe table must have a header: `| 200 | OK |`)."""
    if not raw.header:
        return raw
    cells = [from_plain(text) for text in raw.header]
    holds_code = any(parse_code(cell).kind == "code" for cell in cells)
    if not holds_code or any(header_role(text) for text in raw.header):
        return raw
    first = RawRow(cells, raw.line)
    return replace(raw, header=None, rows=[first, *raw.rows])


def _rests_describe(raw: RawTable, layout: Layout) -> bool:
    """Whether the text after the codes in the code column describes rather than names them.

    Decided for the whole table: when few of those texts are registered phrases
    and most read as sentences, the short ones are descriptions too ("**404**:
    Ressource non trouvée" in a list of French explanations); when most are
    short labels, they are names (a list of translated phrases).
    """
    if layout.name is not None:
        return False
    rests = [
        (cell.code, cell.rest)
        for cell in (parse_code(row.cell(layout.code)) for row in raw.rows)
        if cell.code is not None and cell.rest and not cell.after
    ]
    phrases = sum(
        matches_registered(code, rest) or leading_phrase(code, rest) is not None
        for code, rest in rests
    )
    # Table-wide, English sentence words count too: "Request was OK" describes.
    prose = sum(_is_prose(rest) or bool(ENGLISH_SENTENCE.search(rest)) for _, rest in rests)
    return bool(rests) and phrases * 2 < len(rests) and prose * 2 >= len(rests)


def _is_prose(text: str) -> bool:
    """Whether text after a code is a sentence rather than a name: long, or ending like one."""
    long = len(text.split()) > _NAME_WORDS
    return long or starts_like_sentence(text) or ends_like_sentence(text)


def _all_bold(cell: RichText) -> bool:
    """Whether a cell is one paragraph of bold text, as a header row written in body cells is."""
    if len(cell.blocks) != 1 or not isinstance(cell.blocks[0], Paragraph):
        return False
    children = cell.blocks[0].children
    return bool(children) and all(isinstance(node, Strong) for node in children)


def _padded_header(raw: RawTable) -> list[str]:
    width = column_count(raw)
    return [*(raw.header or []), *[""] * (width - len(raw.header or []))]


def _skip_reason(verdict: Verdict) -> str:
    if verdict.refused:
        return verdict.refused
    reason = "its numbers are not shown to be HTTP status codes"
    return f"{reason} ({verdict.summary()})" if verdict.signs else reason


@dataclass(slots=True)
class _RowReader:
    source: str
    report: Reporter
    layout: Layout
    header: list[str]
    rests_describe: bool = False
    """Whether the text after the codes is, table-wide, descriptions rather than names."""
    seen: dict[tuple[int, tuple[str, ...]], int] = field(default_factory=dict)
    """Each code with the rest of its row's text, and the line it was first seen on."""
    group: str | None = None
    """The group label the rows are under (a label column written once per group)."""

    def read(self, row: RawRow, entries: list[Entry]) -> None:
        """Turn one row into an entry, a continuation of the previous one, or a diagnostic."""
        code_cell = row.cell(self.layout.code)
        parsed = parse_code(code_cell)
        if parsed.kind == "empty" or self.layout.code in row.spanned:
            self._continue(row, entries)
        elif parsed.kind == "code" and parsed.code is not None:
            entries.append(self._entry(row, parsed, parsed.code))
            for code in parsed.also:  # "401 & 403 - …": the same row for each
                entries.append(self._entry(row, parsed, code))
        else:
            self._reject(row, parsed)

    def _entry(self, row: RawRow, parsed: CodeCell, code: int) -> Entry:
        if lookup(code) is None:
            self.report.warning(
                row.line,
                "row.unregistered-code",
                f"{code} is not a registered HTTP status code; kept as written",
            )
        # One row per application error under the same code is normal; the same row twice is not.
        said = tuple(cell.plain for i, cell in enumerate(row.cells) if i != self.layout.code)
        if (code, said) in self.seen:
            self.report.warning(
                row.line,
                "row.duplicate-code",
                f"code {code} appears twice in this table with the same text "
                f"(also at line {self.seen[code, said]}); both rows kept",
            )
        self.seen.setdefault((code, said), row.line)
        description, action = self._meaning(row)
        name, description = self._name(row, parsed, code, description)
        if name is not None and name.strip(" .").lower() in PLACEHOLDERS:
            name = None  # "TBD" names nothing; the cell is kept as written in the row
        if self.layout.group is not None:
            self.group = first_line(row.cell(self.layout.group)) or self.group
        return Entry(
            self.source,
            code,
            name,
            description,
            action,
            self.group,
            row.line,
            cells=list(row.cells),
            extra={self._column_title(i): row.cell(i) for i in self.layout.extra if row.cell(i)},
            retryable=self._retryable(row),
        )

    def _name(
        self, row: RawRow, parsed: CodeCell, code: int, description: RichText
    ) -> tuple[str | None, RichText]:
        """The row's name, and its description once a phrase written into it is taken out.

        "OK - request succeeded" in a name cell, "200 OK: the request succeeded"
        in a code cell, or "Bad Request: the JSON is invalid" in a description
        with no name column all hold a name and the start of a description.
        """
        if self.layout.name is not None:
            cell = row.cell(self.layout.name)
            split = split_leading_phrase(code, cell)
            if split is None or QUALIFIER.fullmatch(split[1].plain):
                # "Processing (WebDAV)" in a name column is the name as written.
                return first_line(cell) or None, description
            phrase, rest = split
            return phrase, _join(rest, description)
        if parsed.after:
            return parsed.rest, _join(from_plain(parsed.after), description)
        if parsed.rest:
            if matches_registered(code, parsed.rest):
                return parsed.rest.rstrip(_END_PUNCTUATION) or parsed.rest, description
            found = leading_phrase(code, parsed.rest)
            if found is None and (self.rests_describe or _is_prose(parsed.rest)):
                # "**400**: La syntaxe de la requête est erronée" says what 400 means.
                return None, _join(from_plain(parsed.rest), description)
            if found is None:
                return parsed.rest, description
            phrase, after = found
            return phrase, _join(from_plain(after), description)
        split = split_leading_phrase(code, description)
        if split is not None:
            return split
        if len(description.blocks) == 1 and matches_registered(code, description.plain):
            # A description that is only the phrase ("I'm a teapot.") names the code.
            return description.plain.rstrip(_END_PUNCTUATION) or None, RichText()
        return None, description

    def _column_title(self, column: int) -> str:
        return self.header[column] if self.header[column] else f"Column {column + 1}"

    def _retryable(self, row: RawRow) -> bool | None:
        if self.layout.retry is None:
            return None
        value = first_line(row.cell(self.layout.retry)).lower().strip(" .!*`")
        return True if value in YES else False if value in NO else None

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
        marker = " ".join(cell.plain for cell in row.cells).strip()
        if _CONFLICT_MARKER.fullmatch(marker):
            self.report.warning(
                row.line,
                "row.conflict-marker",
                f"unresolved merge-conflict marker {marker!r}; the rows of both sides are read",
            )
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
        for index in self.layout.extra:
            if index not in row.spanned and row.cell(index):
                title = self._column_title(index)
                previous.extra[title] = _join(
                    previous.extra.get(title, RichText()), row.cell(index)
                )

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
    placed = {role: getattr(layout, role) for role in ROLES}
    names = {column: TITLES[role] for role, column in placed.items() if column is not None}
    return [names.get(column, f"Column {column + 1}") for column in range(width)]
