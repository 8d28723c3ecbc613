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

from ..codes import CLASS, CODE, RANGE, RANGE_DASH, class_bounds, is_status
from ..columns import COLUMNS, KNOWN_COLUMNS
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


_NOT_A_CODE = "{part!r} is not a code (100-599), a class like 4xx or a range like 400-429"


def parse_codes(text: str | None) -> CodeSpec:
    """Codes from `404`, `4xx`, `400-429` (`400–429`) or a list of them; None means all.

    Every code is 100-599: `99` and `600` are the same mistake.  A filter given with
    nothing in it is a mistake too, not a way to say "all".
    """
    if text is None:
        return CodeSpec()
    ranges = []
    for part in _given(text, "codes", "404, 4xx or 400-429", "all codes"):
        if CODE.fullmatch(part) and is_status(int(part)):
            ranges.append((int(part), int(part)))
        elif CLASS.fullmatch(part) and part[0] in "12345":
            ranges.append(class_bounds(part))
        elif (
            (match := RANGE.fullmatch(part))
            and is_status(int(match["low"]))
            and is_status(int(match["high"]))
        ):
            low, high = int(match["low"]), int(match["high"])
            if low > high:
                raise SelectionError(f"code range {part!r} runs backwards")
            ranges.append((low, high))
        else:
            raise SelectionError(_NOT_A_CODE.format(part=part))
    return CodeSpec(tuple(ranges))


def parse_columns(text: str | None) -> tuple[str, ...]:
    """Columns from a list such as `code,name,action`; None means the default ones, in
    their order.  Each column may be named once."""
    if text is None:
        return COLUMNS
    given = _given(text, "columns", "code,name,action", "the default columns")
    chosen = tuple(part.lower() for part in given)
    unknown = [c for c in chosen if c not in KNOWN_COLUMNS]
    if unknown:
        known = ", ".join(KNOWN_COLUMNS)
        raise SelectionError(f"unknown column {unknown[0]!r} (known: {known})")
    repeated = [c for number, c in enumerate(chosen) if c in chosen[:number]]
    if repeated:
        raise SelectionError(f"column {repeated[0]!r} is named twice")
    return chosen


def parse_sources(text: str | None) -> tuple[str, ...]:
    """Source ids separated by commas or spaces; None means all sources."""
    if text is None:
        return ()
    return tuple(_given(text, "sources", "a source id such as my-api", "all sources"))


def _given(text: str, what: str, example: str, default: str) -> list[str]:
    """The parts of a filter that was given; nothing in it is an error."""
    parts = _parts(text)
    if not parts:
        raise SelectionError(f"no {what} given (for example {example}); leave it out for {default}")
    return parts


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
    columns_chosen: bool = False
    """Whether the columns were chosen (`--columns`), not left at the default."""

    @classmethod
    def parse(
        cls, codes: str | None = None, sources: str | None = None, columns: str | None = None
    ) -> Selection:
        """A selection from the words a user wrote (None: not given); raises SelectionError
        when one is wrong."""
        return cls(
            parse_codes(codes),
            parse_sources(sources),
            parse_columns(columns),
            columns_chosen=columns is not None,
        )

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
