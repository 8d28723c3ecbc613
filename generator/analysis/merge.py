"""Merge every source's entries into one record per status code."""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Entry, StatusCode
from ..registry import lookup, status_class


def merge(entries: Iterable[Entry]) -> list[StatusCode]:
    """One `StatusCode` per documented code, sorted, with its registration and its entries."""
    by_code: dict[int, StatusCode] = {}
    for entry in entries:
        record = by_code.get(entry.code)
        if record is None:
            record = by_code[entry.code] = _record(entry.code)
        record.entries.append(entry)
    return [by_code[code] for code in sorted(by_code)]


def _record(code: int) -> StatusCode:
    registration = lookup(code)
    if registration is None:
        return StatusCode(code, status_class(code), None, None, None)
    return StatusCode(
        code,
        status_class(code),
        registration.phrase,
        registration.reference,
        registration.url,
    )
