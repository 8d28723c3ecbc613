"""Deciding which column of a table plays which role: code, name, description, action.

Headers are matched against words in several languages; where headers are
missing or say something unexpected ("Test" for the reason phrase), the cells
decide: a column of three-digit codes is the code column, a column whose
cells are the registered phrases of their row's code is the name column, and
the longest remaining text is the description.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from generator.readers.base import RawTable
from generator.registry import lookup, matches_registered
from generator.tables.cells import ACTION_WORDS, first_line, looks_like_code, parse_code

Role = Literal["code", "name", "description", "action"]
ROLES: tuple[Role, ...] = ("code", "name", "description", "action")

# Header words per role, checked action first so "Suggested action details" is an action.
HEADER_WORDS: dict[Role, tuple[str, ...]] = {
    "action": ACTION_WORDS,
    "description": (
        "description",
        "meaning",
        "information",
        "info",
        "detail",
        "details",
        "explanation",
        "notes",
        "remarks",
        "comment",
        "说明",
        "描述",
        "含义",
        "解释",
        "beschreibung",
        "bedeutung",
        "descripción",
        "significado",
        "signification",
        "описание",
    ),
    "name": (
        "name",
        "message",
        "title",
        "text",
        "reason",
        "phrase",
        "名称",
        "消息",
        "标题",
        "nom",
        "nombre",
        "bezeichnung",
        "meldung",
        "название",
    ),
    "code": ("code", "status", "状态码", "状态", "返回码", "código", "statut", "statuscode", "код"),
}
_ERROR_CODE = re.compile(r"error\s*code|错误码|error\s*id|errorcode", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class Layout:
    """Which column index holds which role; `None` where the table has no such column."""

    code: int
    name: int | None = None
    description: int | None = None
    action: int | None = None


class NotAStatusTable(Exception):
    """Raised with the reason a table is not an HTTP status-code table."""


def header_role(header: str) -> Role | None:
    """The role a header names, if any: "Status Code" is code, "Message Title" is name."""
    lowered = header.lower()
    words = set(_WORD.findall(lowered))
    for role, vocabulary in HEADER_WORDS.items():
        for word in vocabulary:
            if (word in words) if word.isascii() and " " not in word else (word in lowered):
                return role
    return None


def detect_layout(table: RawTable, overrides: dict[str, int] | None = None) -> Layout:
    """The layout of a status-code table; raises NotAStatusTable when it is not one."""
    width = max((len(row.cells) for row in table.rows), default=0)
    header = (table.header or []) + [""] * width
    _reject_error_catalogue(header)
    fixed = dict(overrides or {})
    code = fixed.get("code", _code_column(table, header, width))
    if code is None:
        raise NotAStatusTable("no column of HTTP status codes")
    roles: dict[str, int] = {"code": code}
    for role in ("action", "description", "name"):
        if role in fixed:
            roles[role] = fixed[role]
            continue
        found = _header_column(header, width, role, taken=set(roles.values()) | set(fixed.values()))
        if found is not None:
            roles[role] = found
    _fill_from_cells(table, roles, width, set(fixed.values()))
    layout = Layout(**roles)
    if "code" not in fixed and not _says_status(table, header, layout):
        raise NotAStatusTable("its numbers are not shown to be HTTP status codes")
    return layout


def _says_status(table: RawTable, header: list[str], layout: Layout) -> bool:
    """Whether anything beyond three digits shows the code column holds HTTP status codes.

    A price list of "100" and "300" is not a status table; a header saying
    "Status", a name that is a code's registered phrase, or (in a table with
    no header) several codes that are all registered, is evidence enough.
    """
    if header_role(header[layout.code]) == "code":
        return True
    codes = [parse_code(row.cell(layout.code)) for row in table.rows]
    for row, cell in zip(table.rows, codes, strict=True):
        name = first_line(row.cell(layout.name)) if layout.name is not None else cell.rest
        if cell.code is not None and name and matches_registered(cell.code, name):
            return True
    filled = [cell for cell in codes if cell.kind != "empty"]
    registered = [cell for cell in filled if cell.code is not None and lookup(cell.code)]
    return table.header is None and len(registered) >= 3 and len(registered) == len(filled)


def _reject_error_catalogue(header: list[str]) -> None:
    for text in header:
        if _ERROR_CODE.search(text):
            raise NotAStatusTable(f"it is an error-code catalogue (column {text!r})")


def _code_column(table: RawTable, header: list[str], width: int) -> int | None:
    """The column whose cells are mostly status codes, preferring one whose header says so."""
    best: tuple[bool, float, int] | None = None
    for column in range(width):
        cells = [row.cells[column] for row in table.rows if column < len(row.cells)]
        filled = [cell for cell in cells if first_line(cell)]
        if not filled:
            continue
        share = sum(looks_like_code(cell) for cell in filled) / len(filled)
        named = header_role(header[column]) == "code"
        if share >= 0.5 or (named and share > 0):
            candidate = (named, share, -column)
            best = candidate if best is None or candidate > best else best
    return None if best is None else -best[2]


def _header_column(header: list[str], width: int, role: str, taken: set[int]) -> int | None:
    for column in range(width):
        if column not in taken and header_role(header[column]) == role:
            return column
    return None


def _fill_from_cells(table: RawTable, roles: dict[str, int], width: int, fixed: set[int]) -> None:
    """Give the name and description roles to unclaimed columns by what their cells hold."""
    free = [c for c in range(width) if c not in roles.values() and c not in fixed]
    if "name" not in roles:
        named = [c for c in free if _phrase_share(table, roles["code"], c) >= 0.5]
        if named:
            roles["name"] = named[0]
            free.remove(named[0])
    if "description" not in roles and free:
        roles["description"] = max(free, key=lambda c: (_mean_length(table, c), -c))


def _phrase_share(table: RawTable, code_column: int, column: int) -> float:
    """How many of a column's cells are the registered phrase of their row's code."""
    pairs = [
        (parse_code(row.cells[code_column]), first_line(row.cells[column]))
        for row in table.rows
        if max(code_column, column) < len(row.cells)
    ]
    judged = [(cell.code, text) for cell, text in pairs if cell.code is not None and text]
    if not judged:
        return 0.0
    return sum(matches_registered(code, text) for code, text in judged) / len(judged)


def _mean_length(table: RawTable, column: int) -> float:
    cells = [row.cells[column].plain for row in table.rows if column < len(row.cells)]
    return sum(map(len, cells)) / max(len(cells), 1)
