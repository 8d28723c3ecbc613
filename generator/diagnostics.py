"""Diagnostics: every problem with a source, as `path:line: severity: message [type]`.

All reporting goes through `Diagnostics.report`, so every message carries the
same fields and the CLI, the JSON export and the site show the same text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning", "info"]
# C0 and C1 controls (ANSI escapes, newlines), line separators and bidirectional overrides.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def inert(text: str) -> str:
    """`text` safe to print on a terminal: each control character written as an escape.

    A file name holding an ANSI escape or a newline can then neither recolour
    the terminal nor print a forged `path:line: error:` line.
    """
    return _CONTROL.sub(lambda match: match[0].encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True, slots=True)
class Kind:
    """What a diagnostic type means: the severities it is reported with, and when."""

    severities: tuple[Severity, ...]
    when: str
    """One line for the README's table: when the diagnostic is given."""


# Every diagnostic type, declared once.  README's table of types is generated from this
# (`python -m statusdocs.diagnostics`), and tests/test_catalogue.py keeps both in step
# with each other and with every type the code reports.
CATALOGUE: dict[str, Kind] = {
    # The files
    "source.empty": Kind(("error",), "the file is empty"),
    "source.binary": Kind(("error",), "the file is not text"),
    "source.too-large": Kind(("error",), "the file is over the size limit (below); not read"),
    "source.unreadable": Kind(
        ("error", "warning"),
        "the file (error) or a folder below the sources (warning) cannot be read",
    ),
    "source.outside": Kind(
        ("error",),
        "a link or manifest path leads outside the sources folder; not read (see *Safety*)",
    ),
    "source.dangling-link": Kind(("warning",), "a link to nothing; not read"),
    "source.link-loop": Kind(("warning",), "a loop of links; not read"),
    "source.special-file": Kind(("warning",), "a FIFO, socket or device; not read"),
    "source.hidden": Kind(("info",), "a name starting with `.` or `_`; not read"),
    "source.folder-link": Kind(("info",), "a link to a folder; not followed"),
    "source.same-file": Kind(("info",), "a second name for a file already read; not read again"),
    "source.encoding": Kind(
        ("error", "warning"),
        "the file is not UTF-8: read with the detected encoding (warning), or not read when "
        "no encoding fits (error); or it holds bytes invalid in the encoding its byte-order "
        "mark names (replaced with U+FFFD, warning)",
    ),
    "source.mojibake": Kind(("warning",), "mis-decoded text was repaired"),
    "source.no-table": Kind(("warning",), "no HTTP status-code table in the document"),
    "source.duplicate-id": Kind(
        ("warning",),
        "the id was taken (by another source or a site page such as `index`), or holds "
        "`-line-<digit>` and could pass for another source's row label; the new id is named",
    ),
    "source.duplicate-title": Kind(("warning",), "two sources have the same title"),
    "source.too-deep": Kind(
        ("error",), "the file is nested too deeply to read; the other sources are read as usual"
    ),
    "source.internal-error": Kind(
        ("error",),
        "a fault in statusdocs while reading the file (worth a report); the other sources are "
        "read as usual",
    ),
    # Parsers
    "rst.syntax": Kind(
        ("error", "warning"),
        "docutils could not parse part of the document (e.g. a malformed grid table)",
    ),
    "rst.parser-failure": Kind(
        ("error",), "docutils failed on the file; the other sources are read as usual"
    ),
    "rst.unknown-directive": Kind(
        ("info",),
        "a directive docutils does not know (a Sphinx or extension directive); its content "
        "is read as ordinary text",
    ),
    "markdown.delimiter-row": Kind(
        ("warning",),
        "a pipe table whose delimiter row has the wrong number of cells (Markdown shows it "
        "as text); read as a table",
    ),
    "markdown.indented-list": Kind(
        ("warning",),
        "a list or table of codes indented four spaces, which Markdown shows as a code "
        "block; read as a list",
    ),
    "text.empty-item": Kind(("info",), "a plain-text list item with no text; skipped"),
    # Rows
    "row.invalid-code": Kind(
        ("error",), "the code cell is not a status code (`600`, `abc`); row skipped"
    ),
    "row.no-code": Kind(("error",), "a row with content but no code and no row above to continue"),
    "row.code-class": Kind(("warning",), "the code cell is a class (`4xx`); row skipped"),
    "row.code-range": Kind(("warning",), "the code cell is a range (`500-511`); row skipped"),
    "row.unregistered-code": Kind(("warning",), "a valid but unregistered code (`299`); kept"),
    "row.duplicate-code": Kind(("warning",), "the same row twice in one table; both kept"),
    "row.conflict-marker": Kind(
        ("warning",),
        "a git merge-conflict line (`<<<<<<< HEAD`, `=======`) between a table's rows; the "
        "rows of both sides are read",
    ),
    # Tables
    "table.skipped": Kind(
        ("info",), "a table that is not a status-code table (`check --explain` says why)"
    ),
    "table.override-skipped": Kind(
        ("info",), "the manifest's `columns` do not fit this table; its columns were detected"
    ),
    "table.empty": Kind(("info",), "an HTML table with no body rows"),
    # Limits
    "html.too-deep": Kind(
        ("error",), "HTML nested past the limit (see *Limits*); the content inside is not read"
    ),
    "markdown.too-deep": Kind(
        ("error",), "Markdown nested past the limit; the content inside is not read"
    ),
    "rst.too-deep": Kind(("error",), "RST nested past the limit; the content inside is not read"),
    "text.too-deep": Kind(
        ("error",), "a plain-text list nested past the limit; the items inside are not read"
    ),
    "markdown.too-many-brackets": Kind(
        ("error",), "too many `[` without their `]`; from there on `[` starts no link"
    ),
    "table.too-many-rows": Kind(("error",), "a table past the row limit; the rest is not read"),
    "table.too-many-cells": Kind(
        ("error",), "a document's tables past the cell limit; the rest is not read"
    ),
    "cell.too-long": Kind(("warning",), "a cell past the length limit, cut"),
    # The manifest
    "manifest.syntax": Kind(("error",), "the manifest is not valid TOML (or is nested too deeply)"),
    "manifest.unreadable": Kind(("error",), "the manifest cannot be read"),
    "manifest.entry": Kind(
        ("error",),
        "an entry or top-level key is wrong (the line of the key is named); that value is ignored",
    ),
    "manifest.id": Kind(
        ("warning",),
        "an `id` that is not lower-case letters, digits and single hyphens; the safe id used "
        "is named",
    ),
    "manifest.duplicate-file": Kind(
        ("warning",), "two `[[source]]` entries for one file; the later one is used"
    ),
    "manifest.missing-file": Kind(("error",), "an entry's file does not exist"),
    "manifest.mirror": Kind(
        ("error",),
        "a mirror whose `of` names no source that was read (or itself); it is read as a service",
    ),
    # Copies
    "mirror.missing": Kind(("info",), "a row of a mirror's original that the copy lacks"),
    "mirror.extra": Kind(("info",), "a row of a mirror that its original lacks"),
    "mirror.name": Kind(("info",), "a mirror names a code otherwise than its original"),
    "mirror.wording": Kind(
        ("info",), "a mirror's description or action words a row otherwise than its original"
    ),
    "mirror.suggested": Kind(
        ("info",),
        "a source sharing most of its rows' text with another, not marked as its mirror",
    ),
}


def catalogue_table() -> str:
    """The README's table of diagnostic types, one row a type."""
    lines = ["| type | severity | when |", "| --- | --- | --- |"]
    lines += [
        f"| `{name}` | {'/'.join(kind.severities)} | {kind.when} |"
        for name, kind in CATALOGUE.items()
    ]
    return "\n".join(lines) + "\n"


class StatusdocsError(Exception):
    """A failure a user can act on: bad usage, a broken manifest, a missing path."""


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a source."""

    path: str
    """The source's path as given to the tool (relative where possible)."""
    line: int | None
    """1-based line, or None when the problem concerns the whole file."""
    severity: Severity
    """`error` loses content; `warning` keeps it but doubts it; `info` explains a choice."""
    type: str
    """A short stable tag such as `row.invalid-code`, for filtering."""
    message: str
    """What is wrong, in a sentence a person can act on."""

    def format(self) -> str:
        """The diagnostic as one line: `path:line: severity: message [type]`."""
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return inert(f"{where}: {self.severity}: {self.message} [{self.type}]")


@dataclass(slots=True)
class Diagnostics:
    """Collects the diagnostics of one run, in the order they were found."""

    items: list[Diagnostic] = field(default_factory=list)

    def report(
        self, path: str, line: int | None, severity: Severity, type: str, message: str
    ) -> None:
        """Record one diagnostic."""
        self.items.append(Diagnostic(path, line, severity, type, message))

    def for_path(self, path: str) -> Reporter:
        """A reporter bound to one source file."""
        return Reporter(self, path)


@dataclass(frozen=True, slots=True)
class Reporter:
    """Reports diagnostics for one source file."""

    sink: Diagnostics
    path: str

    def error(self, line: int | None, type: str, message: str) -> None:
        """Report content that could not be used."""
        self.sink.report(self.path, line, "error", type, message)

    def warning(self, line: int | None, type: str, message: str) -> None:
        """Report content that was kept but is doubtful."""
        self.sink.report(self.path, line, "warning", type, message)

    def info(self, line: int | None, type: str, message: str) -> None:
        """Report a decision the reader made, such as a table it skipped."""
        self.sink.report(self.path, line, "info", type, message)


if __name__ == "__main__":
    print(catalogue_table(), end="")
