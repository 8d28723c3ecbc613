"""How a status code, a class and a range are written: one definition for every reader.

`404` is a code, `4xx` a class, `400-429` (or `400–429`, `400 to 429`) a range.
The readers use these to tell a row's code cell from a class or range row;
`--codes` and `:codes:` filters use them to parse what a user asks for.
"""

from __future__ import annotations

import re

CODE = re.compile(r"\d{3}(?!\d)")
"""Three digits, not the start of a longer number."""
CLASS = re.compile(r"[1-9][xX]{2}\b")
"""A class of codes: `4xx` (a reader also recognises `6xx`, to report it as a class)."""
RANGE = re.compile(r"(?P<low>\d{3})\s*(?:-|–|—|~|to)\s*(?P<high>\d{3})(?!\d)")
"""A range of codes: `500-511`, `500–511`, `500 to 511`."""
SERIES = re.compile(r"\d{3}\s*(?:系(?!统|統)|番台|[-\s]?series\b)", re.IGNORECASE)
"""A code named as its series is a class too: `200系`, `400系列`, `500番台`, `300-series`."""
RANGE_DASH = re.compile(r"\s*(?:-|–|—|~)\s*")
"""The dash of a range, with the spaces around it."""


def is_status(code: int) -> bool:
    """Whether `code` is an HTTP status code at all: 100 to 599."""
    return 100 <= code <= 599


def class_bounds(text: str) -> tuple[int, int]:
    """The codes of a class written as `4xx`: (400, 499)."""
    low = int(text[0]) * 100
    return low, low + 99
