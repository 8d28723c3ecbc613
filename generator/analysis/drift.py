"""Mirror drift: where a copy of a source has come to say something other than its original.

Pure functions over the model.  Rows are matched by code and compared word by
word (layout such as list nesting, bold or code spans is not wording); and
`suggest_copies` finds sources that look like copies of each other, for a
manifest that does not say so yet.
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

from ..diagnostics import StatusdocsError
from ..model import Entry, Model, RowIndex, rows_by_source
from ..richtext import PlainWriter, RichText, Written

ChangeKind = Literal["added", "removed", "changed"]
FindingKind = Literal["missing", "extra", "name", "wording"]
Finding = tuple[str, int | None, FindingKind, str]
"""(path, line, kind, message), the way `check` reports a problem."""

MAX_DIFF_WORDS = 200
"""Words of a cell, past the parts both sides share at its start and end, that are compared
word by word; a longer differing middle is reported as one change.  difflib's matching
grows faster than the square of the length: 1,000 periodic words take seconds."""

MAX_DIFF_WORK = 1_000_000
"""Word pairs (one side's words times the other's) that one comparison of two sources may
give to difflib; past it, each differing cell is reported as one change.  Real rows differ
in a few words and use a few dozen of it each."""

SIMILAR = 0.8
"""The difflib ratio of two descriptions' words from which they count as the same text."""

SHOWN_CHANGES = 3
"""Word changes one finding's message quotes; the rest are counted."""

QUOTE_CHARS = 60
"""Characters of changed words a message quotes before cutting them short."""


class DriftError(StatusdocsError):
    """A source id that names no source of the model."""


@dataclass(frozen=True, slots=True)
class WordChange:
    """One word-level difference between a cell of the original and the copy's."""

    kind: ChangeKind
    original: str
    """The words in the original, joined by single spaces ("" when added)."""
    copy: str
    """The words in the copy, joined by single spaces ("" when removed)."""


@dataclass(frozen=True, slots=True)
class RowDrift:
    """A code present on both sides whose row differs."""

    code: int
    original: Entry
    copy: Entry
    name: tuple[str | None, str | None] | None
    """(original name, copy name) when they differ, else None."""
    description: list[WordChange]
    """Word-level differences of the descriptions, [] when they say the same."""
    action: list[WordChange]
    """Word-level differences of the actions, [] when they say the same."""


@dataclass(frozen=True, slots=True)
class Drift:
    """How a mirror differs from its original, row by row."""

    mirror: str
    """Source id of the copy."""
    original: str
    """Source id of the original."""
    missing: list[Entry]
    """Rows of the original the copy lacks (matched by code), in code order."""
    extra: list[Entry]
    """Rows of the copy the original lacks, in code order."""
    changed: list[RowDrift]
    """Rows on both sides that differ, in code order."""
    same: int
    """Rows identical in name, description and action."""
    original_path: str
    """The original's `Source.path`, where its rows are found."""
    mirror_path: str
    """The copy's `Source.path`, where its rows are found."""

    def differences(self) -> list[Difference]:
        """Every difference, in code order (a code's paired rows first, then rows missing
        in the copy, then rows only in it), with the rows on each side."""
        found: list[Difference] = []
        for row in self.changed:
            found += [Difference(row.code, k, m, row.original, row.copy) for k, m in _row(row)]
        for entry in self.missing:
            where = f"{self.original_path}:{entry.line}"
            message = f"missing in the copy: {_row_title(entry)} ({where})"
            found.append(Difference(entry.code, "missing", message, entry, None))
        for entry in self.extra:
            message = f"extra in the copy: {_row_title(entry)} (not in {self.original_path})"
            found.append(Difference(entry.code, "extra", message, None, entry))
        order = {"name": 0, "wording": 0, "missing": 1, "extra": 2}
        return sorted(found, key=lambda item: (item.code, order[item.kind]))

    def findings(self) -> list[Finding]:
        """Every difference as (path, line, kind, message), in code order: at the copy's row
        where it has one, else at the original's."""
        return [
            (self.mirror_path, item.copy.line, item.kind, item.message)
            if item.copy is not None
            else (
                self.original_path,
                item.original.line if item.original else None,
                item.kind,
                item.message,
            )
            for item in self.differences()
        ]


@dataclass(frozen=True, slots=True)
class Difference:
    """One difference between a mirror and its original, with the rows it concerns."""

    code: int
    kind: FindingKind
    message: str
    original: Entry | None
    """The original's row (None for a row only the copy has)."""
    copy: Entry | None
    """The copy's row (None for a row the copy lacks)."""


def drift(model: Model, mirror: str, original: str, rows: RowIndex | None = None) -> Drift:
    """How the source `mirror` differs from the source `original` it copies; `rows` is
    `rows_by_source(model)`, made once when many mirrors are compared."""
    paths = _paths(model, mirror, original)
    rows = rows_by_source(model) if rows is None else rows
    ours, theirs = rows.get(original, {}), rows.get(mirror, {})
    missing: list[Entry] = []
    extra: list[Entry] = []
    changed: list[RowDrift] = []
    same = 0
    budget = _Budget(MAX_DIFF_WORK)
    for code in sorted(ours.keys() | theirs.keys()):
        first, second = ours.get(code, []), theirs.get(code, [])
        missing += first[len(second) :]
        extra += second[len(first) :]
        for left, right in zip(first, second, strict=False):
            row = _compare(left, right, budget)
            if row is None:
                same += 1
            else:
                changed.append(row)
    return Drift(mirror, original, missing, extra, changed, same, paths[original], paths[mirror])


def shared_text(model: Model, a: str, b: str) -> float:
    """The share (0 to 1) of the smaller source's rows whose description says closely what
    the other's row for the same code says (a difflib ratio of `SIMILAR` or more, on words
    compared ignoring case).  An empty description shares nothing."""
    _paths(model, a, b)
    rows = rows_by_source(model)
    return _shared(rows.get(a, {}), rows.get(b, {}))


def suggest_copies(model: Model, threshold: float = 0.6) -> list[tuple[str, str, float]]:
    """Pairs of sources sharing at least `threshold` of their rows' text, as
    (copy id, original id, share): "looks like a copy of ...".

    The copy is the source with fewer rows, else the later one in `model.sources`.  Only
    pairs that share the opening words of enough rows' descriptions for the same code
    (`_candidates`) are compared, so the work grows with the rows, not with the square
    of the sources.  Sorted by share, highest first, then ids.
    """
    rows = rows_by_source(model)
    order = {source.id: number for number, source in enumerate(model.sources)}
    sizes = {sid: sum(map(len, rows.get(sid, {}).values())) for sid in order}
    found: list[tuple[str, str, float]] = []
    for first, second in _candidates(rows, order, sizes, threshold):
        share = _shared(rows.get(first, {}), rows.get(second, {}))
        if share >= threshold:
            fewer = sizes[first] < sizes[second]
            found.append((first, second, share) if fewer else (second, first, share))
    return sorted(found, key=lambda item: (-item[2], item[0], item[1]))


def undeclared_copies(model: Model) -> list[tuple[str, str, float]]:
    """`suggest_copies`, less the pairs the manifest already relates (either way round) and
    the pairs with a guideline: a service that says what its guideline says keeps to it,
    and is no copy to mark as a mirror."""
    declared = {(s.id, s.mirror_of) for s in model.sources if s.mirror_of is not None}
    guidelines = {s.id for s in model.sources if s.role == "guideline"}
    return [
        (copy, original, share)
        for copy, original, share in suggest_copies(model)
        if (copy, original) not in declared
        and (original, copy) not in declared
        and not {copy, original} & guidelines
    ]


OPENING_WORDS = 4
"""Words of a description's opening that `_candidates` indexes."""

MAX_HOLDERS = 16
"""An opening held by more sources than this is boilerplate (an RFC's sentence many copy),
no sign that one source copies another; `_candidates` ignores it."""


def _candidates(
    rows: dict[str, dict[int, list[Entry]]],
    order: dict[str, int],
    sizes: dict[str, int],
    threshold: float,
) -> list[tuple[str, str]]:
    """Pairs of sources (in source order) whose rows share, for the same code, the opening
    words of at least half of `threshold` of the smaller one's descriptions."""
    holders: dict[tuple[int, tuple[str, ...]], set[str]] = defaultdict(set)
    for sid, by_code in rows.items():
        for code, entries in by_code.items():
            for entry in entries:
                opening = tuple(_folded(entry)[:OPENING_WORDS])
                if opening:
                    holders[(code, opening)].add(sid)
    shared: Counter[tuple[str, str]] = Counter()
    for ids in holders.values():
        if 1 < len(ids) <= MAX_HOLDERS:
            ranked = sorted(ids, key=order.__getitem__)
            shared.update(combinations(ranked, 2))
    return [
        pair
        for pair, count in sorted(shared.items(), key=lambda item: [order[i] for i in item[0]])
        if count >= threshold / 2 * min(sizes[pair[0]], sizes[pair[1]])
    ]


def _paths(model: Model, *ids: str) -> dict[str, str]:
    """Every source's path by id, once `ids` are known to name sources."""
    paths = {source.id: source.path for source in model.sources}
    for wanted in ids:
        if wanted not in paths:
            raise DriftError(f"no source has the id {wanted!r}")
    return paths


@dataclass(slots=True)
class _Budget:
    """Word pairs difflib may still be given (`MAX_DIFF_WORK`)."""

    left: int

    def spend(self, work: int) -> bool:
        """Take `work` from what is left; False, taking nothing, when there is not enough."""
        if work > self.left:
            return False
        self.left -= work
        return True


class _WordsWriter(PlainWriter):
    """Rich text as its words alone: no list markers, a line break is a space."""

    def line_break(self) -> str:
        return " "

    def bullet_list(self, items: list[list[str]]) -> str:
        return " ".join(" ".join(blocks) for blocks in items)

    def ordered_list(self, items: list[list[str]], start: int) -> str:
        return self.bullet_list(items)


_WORDS: Written[str] = Written(_WordsWriter())


def _words(text: RichText) -> list[str]:
    """The words of a cell, white space normalized."""
    return " ".join(_WORDS.blocks(text.blocks)).split()


def _compare(original: Entry, copy: Entry, budget: _Budget) -> RowDrift | None:
    """How the copy's row for a code differs from the original's; None when it does not."""
    same_name = (original.name or "").strip() == (copy.name or "").strip()
    name = None if same_name else (original.name, copy.name)
    description = _changes(_words(original.description), _words(copy.description), budget)
    action = _changes(_words(original.action), _words(copy.action), budget)
    if name is None and not description and not action:
        return None
    return RowDrift(original.code, original, copy, name, description, action)


_Chunk = tuple[ChangeKind, Sequence[str], Sequence[str]]


def _changes(original: list[str], copy: list[str], budget: _Budget) -> list[WordChange]:
    """The word changes from `original` to `copy`."""
    return [
        WordChange(kind, " ".join(a), " ".join(b)) for kind, a, b in _chunks(original, copy, budget)
    ]


def _chunks(a: list[str], b: list[str], budget: _Budget) -> list[_Chunk]:
    """difflib's non-equal opcodes from `a` to `b`, as word runs.

    The words both share at the start and the end are set aside first (in linear time),
    so difflib sees only the differing middle; one too long for it is one change.
    """
    if a == b:
        return []
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    a, b = a[start : len(a) - end], b[start : len(b) - end]
    small = 0 < len(a) <= MAX_DIFF_WORDS and 0 < len(b) <= MAX_DIFF_WORDS
    if not (small and budget.spend(len(a) * len(b))):
        return [_chunk(a, b)]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    opcodes = matcher.get_opcodes()
    return [_chunk(a[i1:i2], b[j1:j2]) for tag, i1, i2, j1, j2 in opcodes if tag != "equal"]


def _chunk(a: Sequence[str], b: Sequence[str]) -> _Chunk:
    """Words `a` of the original that the copy has as `b`, with the kind of change."""
    kind: ChangeKind = "added" if not a else "removed" if not b else "changed"
    return kind, a, b


def _shared(first: dict[int, list[Entry]], second: dict[int, list[Entry]]) -> float:
    """`shared_text` of two sources' rows by code."""
    smaller = min(sum(map(len, first.values())), sum(map(len, second.values())))
    if not smaller:
        return 0.0
    budget = _Budget(MAX_DIFF_WORK)
    matched = sum(
        _similar(_folded(a), _folded(b), budget)
        for code in sorted(first.keys() & second.keys())
        for a, b in zip(first[code], second[code], strict=False)
    )
    return matched / smaller


def _folded(entry: Entry) -> list[str]:
    """The words of a row's description, case folded."""
    return [word.casefold() for word in _words(entry.description)]


def _similar(a: list[str], b: list[str], budget: _Budget) -> bool:
    """Whether two descriptions' words have a difflib ratio of `SIMILAR` or more."""
    if not a or not b:
        return False
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
        return False
    unmatched = sum(len(old) for _, old, _ in _chunks(a, b, budget))
    return 2 * (len(a) - unmatched) / (len(a) + len(b)) >= SIMILAR


def _row_title(entry: Entry) -> str:
    """A row as a message names it: "200 StatusOK", or "200" when it has no name."""
    name = (entry.name or "").strip()
    return f"{entry.code} {name}" if name else str(entry.code)


def _row(row: RowDrift) -> list[tuple[FindingKind, str]]:
    """A changed row's findings: its name, then the wording of its description and action."""
    found: list[tuple[FindingKind, str]] = []
    if row.name is not None:
        original, copy = (_quote(name) if name and name.strip() else "(none)" for name in row.name)
        found.append(("name", f"name differs: original {original}, copy {copy}"))
    for cell, changes in (("description", row.description), ("action", row.action)):
        if changes:
            shown = "; ".join(map(_described, changes[:SHOWN_CHANGES]))
            more = len(changes) - SHOWN_CHANGES
            shown += f"; and {more} more" if more > 0 else ""
            found.append(("wording", f"wording differs in the {cell}: {shown}"))
    return found


def _described(change: WordChange) -> str:
    """One change as a message says it: "added 'the'", "'with' → 'using'"."""
    if change.kind == "added":
        return f"added {_quote(change.copy)}"
    if change.kind == "removed":
        return f"removed {_quote(change.original)}"
    return f"{_quote(change.original)} → {_quote(change.copy)}"


def _quote(words: str) -> str:
    """Words in quotes, cut to `QUOTE_CHARS` characters."""
    words = words.strip()
    if len(words) > QUOTE_CHARS:
        words = words[: QUOTE_CHARS - 1].rstrip() + "…"
    return f"'{words}'"
