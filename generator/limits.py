"""The limits on how much work one source may cause: no real document comes near them.

Every reader stops at these, with a diagnostic naming the limit, so that any
input, however large or deeply nested, is read in bounded time and memory.
README's "Limits" table lists them; change them here only.
"""

from __future__ import annotations

MAX_FILE_BYTES = 32 * 1024 * 1024
"""A source file larger than this is not read (`source.too-large`)."""

MAX_NESTING = 100
"""Elements, lists or blocks nested deeper than this inside a document are not read."""

MAX_ROWS = 100_000
"""Rows of one table past this many are not read (`table.too-many-rows`)."""

MAX_CELL_CHARS = 100_000
"""A cell longer than this is cut to this many characters (`cell.too-long`)."""

MAX_CELLS = 200_000
"""Cells one document's tables may hold together, empty ones filling out short rows included.

Past this many, the rest of the document's tables is not read
(`table.too-many-cells`).  Pipe tables, HTML spans and `csv-table` pad short
rows to the full width, so a few bytes per row could otherwise make thousands
of cells; this keeps the work proportional to the limit rather than to the
padding.
"""
