"""Tables written as data in a fenced JSON block, as site table components take them.

Markdoc, MDX and similar sites render a table from JSON in the page
(`{% customtable %}` around a ```json fence holding `"headers"` and
`"rows"`).  The reader of the page sees a table, so statusdocs reads one:

- an object with a list of column names (`headers`, `header`, `columns`)
  and a list of rows (`rows`, `data`), each a list of values;
- a list of two or more objects that share their keys, one row each, the
  keys as the header.

Any other JSON (an example response, one object, nested data) is an
example, not a table, and is left alone.  Whether a table found here lists
status codes is decided, as for every table, by `statusdocs.tables`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from markdown_it.token import Token

from ..limits import MAX_ROWS
from ..richtext import Text, paragraph, rich
from .base import RawRow, RawTable

_LANGUAGES = frozenset({"json", "json5", "jsonc"})
_HEADER_KEYS = ("headers", "header", "columns")
_ROW_KEYS = ("rows", "data")
_NOTE = "read from a JSON block of table data (headers and rows)"
Scalar = str | int | float | bool | None


def json_table(token: Token, context: str | None) -> RawTable | None:
    """The table a ```json fence holds, or None when its data is not a table."""
    if token.info.strip().lower().split(" ")[0] not in _LANGUAGES:
        return None
    try:
        data = json.loads(token.content)
    except (ValueError, RecursionError):
        return None
    shaped = _header_and_rows(data)
    if shaped is None:
        return None
    header, rows = shaped
    rows = rows[: MAX_ROWS + 1]  # one past the limit, so that the limit is reported
    start = (token.map or [0])[0] + 2  # the line after the opening fence
    lines = _row_lines(token.content, rows, start)
    raw_rows = [
        RawRow([rich([paragraph([Text(_text(value))])]) for value in row], line)
        for row, line in zip(rows, lines, strict=True)
    ]
    return RawTable(header, raw_rows, start - 1, context, notes=[_NOTE])


def _header_and_rows(data: object) -> tuple[list[str], list[list[Scalar]]] | None:
    if isinstance(data, dict):
        header = next((data[k] for k in _HEADER_KEYS if isinstance(data.get(k), list)), None)
        rows = next((data[k] for k in _ROW_KEYS if isinstance(data.get(k), list)), None)
        if header is None or rows is None or not all(_is_scalar(h) for h in header):
            return None
        if not rows or not all(isinstance(r, list) and all(map(_is_scalar, r)) for r in rows):
            return None
        return [_text(h) for h in header], rows
    if isinstance(data, list) and len(data) >= 2 and all(isinstance(d, dict) for d in data):
        keys = list(data[0])
        if len(keys) < 2 or any(list(d) != keys for d in data):
            return None
        if not all(_is_scalar(value) for d in data for value in d.values()):
            return None
        return [str(k) for k in keys], [list(d.values()) for d in data]
    return None


def _is_scalar(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _row_lines(content: str, rows: Sequence[Sequence[Scalar]], start: int) -> list[int]:
    """The line of each row: where its first value is written, searching on from the last."""
    lines = []
    position = 0
    line = start
    for row in rows:
        first = json.dumps(row[0], ensure_ascii=False) if row else ""
        found = content.find(first, position) if first else -1
        if found >= 0:
            # Lines are counted on from the last row's value, never from the top again.
            line += content.count("\n", position, found)
            position = found + len(first)
            line += first.count("\n")
        lines.append(line)
    return lines
