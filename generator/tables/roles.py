"""Deciding which column of a table plays which role, from header words and content together.

The code column is the column of three-digit codes.  A column whose cells are
the registered phrases of their row's code is the name column, whatever its
header says ("Meaning", "Test").  Header words then name the action,
description and name columns; a yes/no column under a retry header is
structured retry advice; a column repeating a few labels ("Success",
"Informational") groups the rows; the longest remaining prose is the
description.  Every other column is kept as an extra column: nothing is
dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..codes import CLASS, CODE
from ..readers.base import RawTable
from .cells import first_line, parse_code, phrase_then_code, without_prefix
from .phrases import names_phrase
from .words import (
    ENGLISH_SENTENCE,
    IDENTIFIER,
    SENTENCE_ENDS,
    YES_NO,
    header_role,
    is_strong_code_header,
    starts_like_sentence,
)

_CODE_START = re.compile(rf"#?(?:{CODE.pattern}|{CLASS.pattern})")
_QUOTES = "`'\"“”‘’*_[]() \t"
# A column of identifiers is the name column only when (nearly) every one spells the phrase.
_IDENTIFIER_NAMES = 0.9
# A label of more words than this is a sentence, not a name.
_LABEL_WORDS = 5
# A label column holds no sentence, nor a lead-in to one ("Example:").
_SENTENCE_ENDS = (*SENTENCE_ENDS, ":")


@dataclass(frozen=True, slots=True)
class Layout:
    """Which column index holds which role; `None` where the table has no such column."""

    code: int
    name: int | None = None
    description: int | None = None
    action: int | None = None
    retry: int | None = None
    """A yes/no column saying whether a client may retry."""
    group: int | None = None
    """A column of group labels ("Success", "Client errors"): the rows' context."""
    extra: tuple[int, ...] = ()
    """Every other column, kept under its header."""
    why: dict[int, str] = field(default_factory=dict, compare=False)
    """For each column, why it got its role (for `check --explain`)."""


def column_count(table: RawTable) -> int:
    """The table's width: its widest row or header."""
    return max([len(table.header or []), *(len(row.cells) for row in table.rows)])


def code_column(table: RawTable, header: list[str]) -> int | None:
    """The column whose cells are mostly status codes, preferring one whose header says so."""
    best: tuple[bool, float, int] | None = None
    for column in range(len(header)):
        filled = [text for text in column_texts(table, column) if text]
        if not filled:
            continue
        share = sum(looks_like_code_text(text) for text in filled) / len(filled)
        named = is_strong_code_header(header[column]) or header_role(header[column]) == "code"
        if share >= 0.5 or (named and share > 0):
            candidate = (share >= 0.5, share + named * 0.25, -column)
            best = candidate if best is None or candidate > best else best
    return None if best is None else -best[2]


def detect_layout(table: RawTable, header: list[str], fixed: dict[str, int], code: int) -> Layout:
    """The role of every column: `fixed` ones as the manifest sets them, `code` the code column."""
    width = len(header)
    roles = {role: column for role, column in fixed.items() if column < width}
    why = {column: f"{role}: set in the manifest" for role, column in roles.items()}
    if "code" not in roles:
        roles["code"] = code
        codes = sum(looks_like_code_text(text) for text in column_texts(table, code))
        why[code] = f"code: {codes} of {len(table.rows)} cells are status codes"
    free = [c for c in range(width) if c not in roles.values()]
    _by_phrases(table, header, roles, free, why)
    _by_header(table, header, roles, free, why)
    _by_content(table, roles, free, why)
    for column in free:
        why[column] = "kept as an extra column"
    return Layout(
        code=roles["code"],
        name=roles.get("name"),
        description=roles.get("description"),
        action=roles.get("action"),
        retry=roles.get("retry"),
        group=roles.get("group"),
        extra=tuple(free),
        why=why,
    )


def _by_phrases(
    table: RawTable, header: list[str], roles: dict[str, int], free: list[int], why: dict[int, str]
) -> None:
    """The name column by content: its cells are the registered phrases of their codes."""
    if "name" in roles:
        return
    shares = {c: phrase_share(table, roles["code"], c) for c in free}
    best = max(free, key=lambda c: (shares[c], -c), default=None)
    if best is None or shares[best] < 0.5:
        return
    if (
        header_role(header[best]) == "code"
        and _is_identifier_column(table, best)
        and shares[best] < _IDENTIFIER_NAMES
    ):
        # A "CODE" column of `NOT_FOUND` beside `DUPLICATE_REQUEST`: an application's
        # error codes, some of which spell a phrase; kept as an extra column.
        return
    roles["name"] = best
    free.remove(best)
    why[best] = f"name: {shares[best]:.0%} of its cells are the registered phrases"


def _by_header(
    table: RawTable, header: list[str], roles: dict[str, int], free: list[int], why: dict[int, str]
) -> None:
    """Roles the headers name; a retry header over prose is client advice."""
    for column in list(free):
        role = header_role(header[column])
        if role == "retry" and not _is_yes_no(table, column):
            role = "action"
        if role in (None, "code") or role in roles:
            continue
        if role == "description" and _is_group_column(table, column):
            continue
        if role == "name" and _is_identifier_column(table, column):
            continue  # an error-code column headed "Name": kept as an extra column
        if role == "name" and _is_sentence_column(table, column):
            # A "Message" column of sentences describes ("Server failed to authenticate…").
            role = "description"
            if role in roles:
                continue
        roles[role] = column
        free.remove(column)
        why[column] = f"{role}: header {header[column]!r}"


def _by_content(
    table: RawTable, roles: dict[str, int], free: list[int], why: dict[int, str]
) -> None:
    """Groups and the description from what the remaining cells hold."""
    for column in list(free):
        if "group" not in roles and _is_group_column(table, column):
            roles["group"] = column
            free.remove(column)
            why[column] = "group: a few labels repeated over the rows"
    if "retry" not in roles:
        for column in list(free):
            if _is_yes_no(table, column) and _has_yes_no_word(table, column):
                roles["retry"] = column
                free.remove(column)
                why[column] = "retry: yes/no values"
                break
    prose = [c for c in free if _mean_length(table, c) > 0]
    if "description" not in roles and prose:
        column = max(prose, key=lambda c: (_mean_length(table, c), -c))
        roles["description"] = column
        free.remove(column)
        why[column] = "description: the longest text"
    described = roles.get("description")
    if (
        "name" not in roles
        and described is not None
        and why.get(described, "").startswith("description: the longest text")
        and not [c for c in free if _mean_length(table, c) > 0]
        and _is_label_column(table, described)
    ):
        # The table's only text, not headed as a description, and nearly every cell a
        # short label ("Creado", "Non trouvé"): its names.  Under a "Description" header
        # such cells are taken as written; only registered phrases outrank that header.
        roles["name"] = roles.pop("description")
        why[described] = "name: the only text, short labels in every row"
        return
    if "name" not in roles and table.header is None:
        # With no header to go by, a short text column before the description is the name.
        short = [c for c in free if 0 < _mean_length(table, c) <= 40]
        if short and short[0] < roles.get("description", -1):
            roles["name"] = short[0]
            free.remove(short[0])
            why[short[0]] = "name: short text before the description, in a table with no header"


def column_texts(table: RawTable, column: int) -> list[str]:
    """The first line of each row's cell in `column` ('' where the row is short)."""
    return [first_line(row.cells[column]) if column < len(row.cells) else "" for row in table.rows]


def looks_like_code_text(text: str) -> bool:
    """Whether a cell's first line is meant as a status code: it starts with one (or a class),
    or is a registered phrase followed by its code ("Not Found - 404")."""
    bare = without_prefix(text.strip(_QUOTES))
    return _CODE_START.match(bare) is not None or phrase_then_code(text)


def phrase_share(table: RawTable, code_column: int, column: int) -> float:
    """How many of a column's cells are the registered phrase of their row's code."""
    judged = []
    for row in table.rows:
        if max(code_column, column) < len(row.cells):
            code = parse_code(row.cells[code_column]).code
            text = first_line(row.cells[column])
            if code is not None and text:
                judged.append(names_phrase(code, text))
    return sum(judged) / len(judged) if judged else 0.0


def _is_identifier_column(table: RawTable, column: int) -> bool:
    """A column of application identifiers (`NOT_FOUND`, `INTERNAL_ERROR`), not names."""
    filled = [text for text in column_texts(table, column) if text]
    identifiers = sum(bool(IDENTIFIER.fullmatch(text)) for text in filled)
    return bool(filled) and identifiers > len(filled) / 2


def _is_sentence_column(table: RawTable, column: int) -> bool:
    """Most cells are sentences: they end like one, or run past a dozen words."""
    filled = [text for text in column_texts(table, column) if text]
    sentences = sum(
        text.rstrip().endswith(_SENTENCE_ENDS) or len(text.split()) > 12 for text in filled
    )
    return len(filled) >= 2 and sentences * 2 > len(filled)


def _is_label_column(table: RawTable, column: int) -> bool:
    """A column of three or more short labels: no sentences, a few words each."""
    filled = [text for text in column_texts(table, column) if text]
    if len(filled) < 3 or any(text.rstrip().endswith(_SENTENCE_ENDS) for text in filled):
        return False
    if sum(bool(ENGLISH_SENTENCE.search(text)) for text in filled) >= len(filled) * 0.2:
        # Short English text that is not the registry's phrases describes the codes.
        return False
    return sum(_is_label(text) for text in filled) >= len(filled) * 0.75


def _is_label(text: str) -> bool:
    """A few words, not begun in lower case as a sentence is ("the token expired")."""
    short = len(text.split()) <= _LABEL_WORDS and len(text) <= 40
    return short and not starts_like_sentence(text)


def _is_yes_no(table: RawTable, column: int) -> bool:
    values = [text.lower().strip(" .!*`") for text in column_texts(table, column) if text]
    return bool(values) and all(value in YES_NO for value in values)


def _has_yes_no_word(table: RawTable, column: int) -> bool:
    """Whether some cell says yes or no in a word ("yes", "false", "否"): a column of dashes
    or crosses alone is left empty, not a retry column (its header may say so)."""
    values = {text.lower().strip(" .!*`") for text in column_texts(table, column) if text}
    return any(any(char.isalpha() for char in value) for value in values & YES_NO)


def _is_group_column(table: RawTable, column: int) -> bool:
    """A column of a few labels each covering a run of rows ("Success", "Client error")."""
    spanned = sum(column in row.spanned for row in table.rows)
    values = column_texts(table, column)
    filled = [value for value in values if value]
    if len(table.rows) < 3 or not filled or any(looks_like_code_text(v) for v in filled):
        return False
    if _is_yes_no(table, column):
        return False
    runs = sum(1 for i, value in enumerate(values) if value and (i == 0 or values[i - 1] != value))
    distinct = len(set(filled))
    labels = all(len(value) <= 30 and "." not in value for value in filled)
    repeated = distinct <= len(values) / 2 and runs == distinct
    # A label written once at the top of its run, the cells below it left empty.
    sparse = 2 <= distinct == len(filled) <= len(values) / 3 and spanned == 0 and bool(values[0])
    return labels and (spanned >= len(values) / 2 or repeated or sparse)


def _mean_length(table: RawTable, column: int) -> float:
    cells = [row.cells[column].plain for row in table.rows if column < len(row.cells)]
    return sum(map(len, cells)) / max(len(cells), 1)
