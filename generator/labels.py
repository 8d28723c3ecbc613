"""The site's labels, built and read in one place.

Every page and row of the site has a Sphinx label that other pages, the
intersphinx inventory and other people's docs link to:

- `status-<code>`: a code's page (`status-404`);
- `source-<id>`: a source's page;
- `source-<id>-line-<n>`: a row of a source, by the line it is on, with `-2`,
  `-3`, ... for further rows on one line (`source-x-line-1-2`).

These names are a contract (links to them are published); they are made
here and nowhere else.
"""

from __future__ import annotations

import re

from .model import Entry

_CODE_LABEL = re.compile(r"status-([1-5]\d\d)")
ROW_LABEL_PART = re.compile(r"-line-(?=\d)")
"""What in a source id could make it pass for another source's row label."""


def code_label(code: int) -> str:
    """`status-404`."""
    return f"status-{code}"


def source_label(source_id: str) -> str:
    """`source-<id>`."""
    return f"source-{source_id}"


def row_label(entry: Entry) -> str:
    """The label of an entry's row on its source page, e.g. `source-x-line-13`.

    Rows after the first on one line get `-2`, `-3`, ...: `source-x-line-1-2`.
    """
    label = f"{source_label(entry.source)}-line-{entry.line}"
    return label if entry.ordinal == 1 else f"{label}-{entry.ordinal}"


def code_of_label(label: str) -> int | None:
    """The code a `status-<code>` label names; None for any other label."""
    match = _CODE_LABEL.fullmatch(label)
    return int(match[1]) if match else None


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """`1 warning`, `2 warnings`, `1 entry`, `3 entries`: a count and its noun, agreeing."""
    if number == 1:
        return f"{number} {noun}"
    if plural is None:
        plural = (
            noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"
        )
    return f"{number} {plural}"
