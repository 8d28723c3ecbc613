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
