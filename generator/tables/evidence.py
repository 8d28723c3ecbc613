"""Whether a table lists HTTP status codes: all the evidence weighed, for and against.

No single sign decides.  For: a header that says status or HTTP, a heading or
caption that says status codes, a sibling table already accepted with the same
header, names that are registered reason phrases, descriptions in the words of
requests and responses, codes that are all registered.  Against: codes that
are mostly unregistered, names that look like application identifiers
(`ERR_UNKNOWN`), a heading that says the codes are an application's own.
Each sign is kept with its weight, so `statusdocs check --explain` can say
why a table was read or skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..readers.base import RawTable
from ..registry import lookup, matches_registered
from .cells import CodeCell, first_line, parse_code
from .phrases import leading_phrase
from .roles import Layout, column_count, column_texts, phrase_share
from .words import (
    APP_CODE_CONTEXT,
    CLASS_WORDS,
    HTTP_VOCABULARY,
    IDENTIFIER,
    OTHER_PROTOCOL,
    STATUS_CONTEXT,
    STATUS_LEAD_IN,
    header_role,
    is_strong_code_header,
    mentions_http,
)

ACCEPT_FROM = 3
"""The weight of evidence from which a table is taken for a status-code table."""
_NUMBER = re.compile(r"[-+]?[$€£¥]?\s*\d[\d,.\s]*(?:%|[$€£¥]|元|円|원)?")


@dataclass(slots=True)
class Verdict:
    """The signs found for and against a table, each with its weight."""

    signs: list[tuple[int, str]] = field(default_factory=list)
    refused: str | None = None
    """A reason that rejects the table whatever else it shows."""

    @property
    def weight(self) -> int:
        """The evidence added up."""
        return sum(weight for weight, _ in self.signs)

    @property
    def accepted(self) -> bool:
        """Whether the table is a status-code table."""
        return self.refused is None and self.weight >= ACCEPT_FROM

    def add(self, weight: int, sign: str) -> None:
        """Record one sign (a negative weight is evidence against)."""
        self.signs.append((weight, sign))

    def summary(self) -> str:
        """The signs in a line: "+3 header 'Status Code'; +3 all 12 codes registered"."""
        parts = [f"{weight:+d} {sign}" for weight, sign in self.signs]
        if self.refused:
            parts.append(self.refused)
        return "; ".join(parts) or "no evidence"


def weigh(table: RawTable, header: list[str], layout: Layout, siblings: set[str]) -> Verdict:
    """The verdict on a table whose columns are laid out as `layout`."""
    verdict = Verdict()
    _weigh_header(verdict, header, layout)
    codes = [parse_code(row.cell(layout.code)) for row in table.rows]
    valid = [cell.code for cell in codes if cell.code is not None and cell.kind == "code"]
    if not valid:
        # A table the header calls a status table still has its rows reported one by one.
        if verdict.weight < 2:
            verdict.refused = "no row has a status code"
        else:
            verdict.add(1, "no row has a valid code, so each is reported")
        return verdict
    _weigh_codes(verdict, valid)
    # Application codes beside a column the header calls HTTP are that table's other column.
    http_column = mentions_http(header[layout.code])
    _weigh_context(verdict, table, http_column)
    _weigh_class_heading(verdict, table, valid)
    if table_key(table, header) in siblings:
        verdict.add(3, "a table with the same header in this section was accepted")
    _weigh_names(verdict, table, layout, codes)
    _weigh_prose(verdict, table, layout)
    if not http_column:
        _weigh_numbers(verdict, table, layout)
    return verdict


def table_key(table: RawTable, header: list[str]) -> str:
    """What makes two tables siblings: the section they are under and their header."""
    return f"{table.context or ''}\x00{'|'.join(h.lower() for h in header)}"


def _weigh_codes(verdict: Verdict, valid: list[int]) -> None:
    registered = sum(lookup(code) is not None for code in valid)
    if registered < len(valid) / 2:
        verdict.refused = f"most codes are not registered HTTP codes ({registered} of {len(valid)})"
    elif registered == len(valid) >= 3:
        verdict.add(
            1,
            f"all {registered} codes are registered"
            if registered > 1
            else "its code is registered",
        )
    elif len(valid) >= 5 and registered < len(valid) * 0.8:
        verdict.add(-1, f"only {registered} of {len(valid)} codes are registered")


def _weigh_header(verdict: Verdict, header: list[str], layout: Layout) -> None:
    code_header = header[layout.code]
    if is_strong_code_header(code_header):
        verdict.add(3, f"code column headed {code_header!r}")
    elif any(mentions_http(text) for text in header):
        verdict.add(3, "a header says HTTP")
    elif header_role(code_header) == "code":
        verdict.add(1, f"code column headed {code_header!r}")
    named = [h for i, h in enumerate(header) if i != layout.code and _role_word(h)]
    if named:
        verdict.add(1, f"other columns headed as a status table's are ({named[0]!r})")


def _role_word(header: str) -> bool:
    return header_role(header) in ("name", "description", "action", "retry")


def _weigh_numbers(verdict: Verdict, table: RawTable, layout: Layout) -> None:
    """A column of prices or counts beside the codes: a price list, not a status table."""
    for column in range(column_count(table)):
        if column == layout.code:
            continue
        texts = [t for t in column_texts(table, column) if t]
        if texts and all(_NUMBER.fullmatch(t) for t in texts):
            verdict.add(-2, f"column {column + 1} holds only numbers or amounts")
            return


def _weigh_context(verdict: Verdict, table: RawTable, http_column: bool) -> None:
    signs = (("caption", table.caption), ("heading", table.context), ("lead-in", table.lead_in))
    for what, text in signs:
        if not text:
            continue
        protocol = OTHER_PROTOCOL.search(text)
        if protocol and not mentions_http(text):
            # SIP, SMTP and FTP reply codes share HTTP's numbers and some of its phrases.
            verdict.refused = f"the {what} {text!r} names another protocol ({protocol[0]})"
            return
        if APP_CODE_CONTEXT.search(text) and not mentions_http(text):
            if http_column:
                continue  # the application's codes are another column of this table
            verdict.add(-3, f"the {what} {text!r} speaks of an application's own codes")
        elif (STATUS_LEAD_IN if what == "lead-in" else STATUS_CONTEXT).search(text):
            verdict.add(3, f"the {what} {text!r} speaks of status codes")
            return


def _weigh_class_heading(verdict: Verdict, table: RawTable, valid: list[int]) -> None:
    """A heading that names the class of every code under it ("Client errors" over 4xx)."""
    heading = table.context or ""
    if STATUS_CONTEXT.search(heading):
        return  # already weighed as status context
    classes = {code // 100 for code in valid}
    if heading and all(CLASS_WORDS[digit].search(heading) for digit in classes):
        verdict.add(3, f"the heading {heading!r} names the class of its codes")


def _weigh_names(verdict: Verdict, table: RawTable, layout: Layout, codes: list[CodeCell]) -> None:
    if layout.name is not None:
        names = column_texts(table, layout.name)
        share = phrase_share(table, layout.code, layout.name)
    elif layout.extra:
        # An application's error-code column that spells some phrases (`NOT_FOUND`).
        names = [cell.rest for cell in codes]
        share = max(phrase_share(table, layout.code, column) for column in layout.extra)
    else:
        names = [cell.rest for cell in codes]
        judged = [c for c in codes if c.code is not None and c.rest]
        hits = sum(_names_phrase(c) for c in judged)
        share = hits / len(judged) if judged else 0.0
    if share >= 0.5:
        verdict.add(3, f"{share:.0%} of the names are registered reason phrases")
    elif share > 0:
        verdict.add(2, f"{share:.0%} of the names are registered reason phrases")
    if share > 0:
        return
    for column in [names, *(column_texts(table, c) for c in layout.extra)]:
        filled = [name for name in column if name]
        identifiers = sum(bool(IDENTIFIER.fullmatch(name)) for name in filled)
        if filled and identifiers > len(filled) / 2:
            verdict.add(-4, f"names look like application identifiers ({filled[0]!r})")
            return


def _names_phrase(cell: CodeCell) -> bool:
    """Whether the text after a code is, or starts with, a registered phrase of it."""
    if cell.code is None:
        return False
    return (
        matches_registered(cell.code, cell.rest) or leading_phrase(cell.code, cell.rest) is not None
    )


def _weigh_prose(verdict: Verdict, table: RawTable, layout: Layout) -> None:
    columns = [c for c in (layout.description, layout.action, layout.name) if c is not None]
    # The text after the code in its own cell counts too (a list item: "400: the request…").
    rows = [
        " ".join([row.cell(layout.code).plain, *(first_line(row.cell(c)) for c in columns)])
        for row in table.rows
    ]
    rows = [text for text in rows if text]
    if rows and sum(bool(HTTP_VOCABULARY.search(t)) for t in rows) >= max(1, len(rows) * 0.3):
        verdict.add(2, "the descriptions speak of requests and responses")
