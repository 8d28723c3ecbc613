"""Choosing part of the model: which codes, which sources, which columns.

One definition serves the `export` command's `--codes/--sources/--columns`
and the `status-table` directive's options, so both accept the same words:
codes as `404`, a class `4xx`, a range `400-429`, or a list of those
separated by commas or spaces.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..codes import CLASS, CODE, RANGE, RANGE_DASH, class_bounds
from ..columns import COLUMNS
from ..diagnostics import StatusdocsError
from ..model import Entry, Model, Source, StatusCode


class SelectionError(StatusdocsError):
    """A filter that names no valid code, source or column."""


@dataclass(frozen=True, slots=True)
class CodeSpec:
    """The codes a filter admits, as inclusive ranges."""

    ranges: tuple[tuple[int, int], ...] = ()

    def __contains__(self, code: object) -> bool:
        if not isinstance(code, int):
            return False
        return not self.ranges or any(low <= code <= high for low, high in self.ranges)


def parse_codes(text: str | None) -> CodeSpec:
    """Codes from `404`, `4xx`, `400-429` (`400–429`) or a list of them; empty means all."""
    ranges = []
    for part in _parts(text):
        if CODE.fullmatch(part):
            ranges.append((int(part), int(part)))
        elif CLASS.fullmatch(part) and part[0] in "12345":
            ranges.append(class_bounds(part))
        elif match := RANGE.fullmatch(part):
            low, high = int(match["low"]), int(match["high"])
            if low > high:
                raise SelectionError(f"code range {part!r} runs backwards")
            ranges.append((low, high))
        else:
            raise SelectionError(
                f"{part!r} is not a code, a class like 4xx or a range like 400-429"
            )
    return CodeSpec(tuple(ranges))


def parse_columns(text: str | None) -> tuple[str, ...]:
    """Columns from a list such as `code,name,action`; empty means all, in the default order."""
    chosen = tuple(part.lower() for part in _parts(text))
    unknown = [c for c in chosen if c not in COLUMNS]
    if unknown:
        raise SelectionError(f"unknown column {unknown[0]!r} (known: {', '.join(COLUMNS)})")
    return chosen or COLUMNS


def _parts(text: str | None) -> list[str]:
    # Ranges may be written "400 - 429" or "400 – 429"; join them before splitting on spaces.
    joined = RANGE_DASH.sub("-", text or "")
    return [part for part in re.split(r"[\s,]+", joined) if part]


@dataclass(slots=True)
class Selection:
    """A filter over the model: codes, source ids, columns."""

    codes: CodeSpec = field(default_factory=CodeSpec)
    sources: tuple[str, ...] = ()
    columns: tuple[str, ...] = COLUMNS

    @classmethod
    def parse(
        cls, codes: str | None = None, sources: str | None = None, columns: str | None = None
    ) -> Selection:
        """A selection from the words a user wrote; raises SelectionError when one is wrong."""
        return cls(parse_codes(codes), tuple(_parts(sources)), parse_columns(columns))

    def check_sources(self, model: Model) -> None:
        """Raise SelectionError for a source id the model does not have."""
        known = [source.id for source in model.sources]
        for wanted in self.sources:
            if wanted not in known:
                raise SelectionError(f"unknown source {wanted!r} (known: {', '.join(known)})")

    def entries(self, model: Model) -> list[tuple[StatusCode, Entry]]:
        """The selected entries, by code, then in source order."""
        return [
            (code, entry)
            for code in model.codes
            if code.code in self.codes
            for entry in code.entries
            if not self.sources or entry.source in self.sources
        ]

    def sources_of(self, model: Model) -> Sequence[Source]:
        """The selected sources, in model order."""
        return [s for s in model.sources if not self.sources or s.id in self.sources]
