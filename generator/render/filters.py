"""Jinja filters that write the site's recurring pieces of markup.

Each returns `Rst` built from escaped source text and generator-made labels,
so templates can place them without escaping them again.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Advice
from generator.model import Entry
from generator.render.rst import Rst, ref, span

_NAME_NOTES = {
    "variant": ("spelled differently", "sd-variant"),
    "former": ("older registered phrase", "sd-former"),
    "differs": ("differs from the registry", "sd-differs"),
}
_ADVICE_NOTES: dict[Advice, tuple[str, str]] = {
    "retry": ("says retry", "sd-retry"),
    "no-retry": ("says do not retry", "sd-no-retry"),
}


def row_label(entry: Entry) -> str:
    """The label of an entry's row on its source page, e.g. `source-x-line-13`."""
    return f"source-{entry.source}-line-{entry.line}"


def row_link(entry: Entry) -> Rst:
    """The entry's source (by its title) and a link to its row: "IAM (line 13)"."""
    return Rst(f"{ref('source-' + entry.source)} ({ref(row_label(entry), f'line {entry.line}')})")


def row_links(entries: Iterable[Entry]) -> Rst:
    """Several row links, separated by semicolons."""
    return Rst("; ".join(row_link(entry) for entry in entries))


def name_note(status: str) -> Rst:
    """A badge saying how a name compares with the registered phrase (none if it matches)."""
    note = _NAME_NOTES.get(status)
    return span(*note) if note else Rst("")


def advice_note(advice: Advice | None) -> Rst:
    """A badge saying whether the entry tells clients to retry."""
    note = _ADVICE_NOTES.get(advice) if advice else None
    return span(*note) if note else Rst("")
