"""Jinja filters that write the site's recurring pieces of markup.

Each returns `Rst` built from escaped source text and generator-made labels,
so templates can place them without escaping them again.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.model import Entry
from generator.render.rst import Rst, ref


def row_label(entry: Entry) -> str:
    """The label of an entry's row on its source page, e.g. `source-x-line-13`."""
    return f"source-{entry.source}-line-{entry.line}"


def row_link(entry: Entry) -> Rst:
    """The entry's source (by its title) and a link to its row: "IAM (line 13)"."""
    return Rst(f"{ref('source-' + entry.source)} ({ref(row_label(entry), f'line {entry.line}')})")


def row_links(entries: Iterable[Entry]) -> Rst:
    """Several row links, separated by semicolons."""
    return Rst("; ".join(row_link(entry) for entry in entries))
