"""Jinja filters that write the site's recurring pieces of markup.

Each returns `Rst` built from escaped source text and generator-made labels,
so templates can place them without escaping them again.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..labels import row_label, source_label
from ..model import Entry
from .rst import Rst, ref


def row_place(entry: Entry) -> str:
    """Where a row is, in words: "line 13", or "line 1, row 2" when rows share the line."""
    return f"line {entry.line}" if entry.ordinal == 1 else f"line {entry.line}, row {entry.ordinal}"


def row_link(entry: Entry) -> Rst:
    """The entry's source (by its title) and a link to its row: "IAM (line 13)"."""
    return Rst(f"{ref(source_label(entry.source))} ({ref(row_label(entry), row_place(entry))})")


def row_links(entries: Iterable[Entry]) -> Rst:
    """Several row links, separated by semicolons."""
    return Rst("; ".join(row_link(entry) for entry in entries))
