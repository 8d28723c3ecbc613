"""Holding services to a house guideline: which codes, names and advice break its rules.

A source whose manifest `role` is `guideline` lists the codes a house allows,
with their names and meanings.  Every `service` source is compared with every
guideline (mirrors are copies, not services, and are left out):

- `unlisted`: the service documents a code the guideline does not list;
- `discouraged`: the guideline lists the code, but its text says not to use it
  ("SHOULD NOT be used", "MUST NOT be returned", "avoid");
- `missing`: the guideline requires the code (its text says it MUST or SHOULD
  be supported), or every other service documents it, and this service does not;
- `name`: the service's name for the code is not the guideline's (spellings of
  one name, `NotFound` and `Not Found`, agree);
- `advice`: the service's advice contradicts the guideline's (one says retry,
  the other not to; `statusdocs.analysis.policy`).

Pure functions over the model: the conformance pages, the code pages and
`statusdocs check --guideline` share them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ..model import Entry, Model, RowIndex, Source, rows_by_source
from ..registry import name_key
from .policy import conflicting, read_policy

FindingKind = Literal["unlisted", "discouraged", "missing", "name", "advice"]
FINDING_KINDS: dict[FindingKind, str] = {
    "unlisted": "documents a code the guideline does not list",
    "discouraged": "documents a code the guideline says not to use",
    "missing": "leaves out a code the guideline requires, or every other service documents",
    "name": "names a code otherwise than the guideline",
    "advice": "advises clients against what the guideline advises",
}
"""Each kind of finding, as the conformance page's legend and README describe it."""

# The guideline's own words for "not to be used" and "required"; BCP 14 keywords count only
# in capitals, as RFC 8174 has it ("should be returned when ..." describes, it does not require).
_DISCOURAGED = re.compile(
    r"\b(?:SHOULD|MUST|SHALL)\s+NOT\s+(?:\w+\s+){0,2}?(?:be\s+)?"
    r"(?:used?|returned|returns?|sent|send|emitted)\b"
    r"|(?i:\b(?:avoid|deprecated|do\s+not\s+use|not\s+to\s+be\s+used)\b)"
)
_REQUIRED = re.compile(
    r"\b(?:MUST|SHOULD|SHALL)\s+(?:always\s+)?(?:be\s+)?"
    r"(?:supported|support|implemented|implement|documented|document|handled|handle)\b"
    r"|\bREQUIRED\b"
)
_READ_CHARS = 5_000
"""How much of a guideline row's text its rules are read from (bounded work)."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One way a service breaks a guideline's rules."""

    kind: FindingKind
    service: Source
    guideline: Source
    code: int
    entry: Entry | None
    """The service's row (None when the finding is that it has none)."""
    rule: Entry | None
    """The guideline's row for the code (None when the guideline does not list it)."""
    message: str

    @property
    def line(self) -> int | None:
        """Where in the service's file: its row, else its first table."""
        if self.entry is not None:
            return self.entry.line
        return self.service.tables[0].line if self.service.tables else None

    def format(self) -> str:
        """`path:line: warning: message [conformance.<kind>]`."""
        where = self.service.path if self.line is None else f"{self.service.path}:{self.line}"
        return f"{where}: warning: {self.message} [conformance.{self.kind}]"


def guidelines(model: Model) -> list[Source]:
    """The sources whose role is `guideline`, in source order."""
    return [source for source in model.sources if source.role == "guideline"]


def services(model: Model) -> list[Source]:
    """The sources whose role is `service`, in source order."""
    return [source for source in model.sources if source.role == "service"]


def rule_text(entry: Entry) -> str:
    """The text of a guideline row its rules are read from: description, action, others."""
    parts = [entry.description.plain, entry.action.plain]
    parts += [value.plain for value in entry.extra.values()]
    return " ".join(parts)[:_READ_CHARS]


def discouraged(entry: Entry) -> str | None:
    """The words of a guideline row that say not to use its code, or None."""
    match = _DISCOURAGED.search(rule_text(entry))
    return _sentence_around(rule_text(entry), match.start()) if match else None


def required(entry: Entry) -> str | None:
    """The words of a guideline row that require its code, or None."""
    match = _REQUIRED.search(rule_text(entry))
    return _sentence_around(rule_text(entry), match.start()) if match else None


def _sentence_around(text: str, at: int) -> str:
    start = max(text.rfind(". ", 0, at) + 1, 0)
    end = text.find(". ", at)
    sentence = text[start : len(text) if end < 0 else end + 1]
    return " ".join(sentence.split())


def conformance(model: Model, guideline: Source) -> list[Finding]:
    """Every finding of every service against `guideline`, by service (in source order),
    then code."""
    index = rows_by_source(model)
    rows = _first_rows(index, guideline.id)
    rules = {code: _rule_of(entries) for code, entries in index.get(guideline.id, {}).items()}
    documented = {source.id: set(index.get(source.id, {})) for source in services(model)}
    found: list[Finding] = []
    for service in services(model):
        own = _first_rows(index, service.id)
        others = [codes for sid, codes in documented.items() if sid != service.id]
        findings = _documented(service, guideline, own, rows, rules)
        findings += _missing(service, guideline, set(own), rows, others, rules)
        found += sorted(findings, key=lambda item: (item.code, _KIND_ORDER[item.kind]))
    return found


_KIND_ORDER = {kind: number for number, kind in enumerate(FINDING_KINDS)}


@dataclass(frozen=True, slots=True)
class _Rule:
    """What a guideline says of one code, read once from all its rows for the code."""

    discouraged: str | None
    required: str | None


def _rule_of(rows: list[Entry]) -> _Rule:
    """A guideline's rules for a code: a row of the code that says not to use it, or that
    requires it, counts, whichever of the code's rows it is."""
    said_not = next((words for row in rows if (words := discouraged(row))), None)
    said_must = next((words for row in rows if (words := required(row))), None)
    return _Rule(said_not, said_must)


def _first_rows(index: RowIndex, source_id: str) -> dict[int, Entry]:
    """A source's first row for each code it documents."""
    return {code: rows[0] for code, rows in index.get(source_id, {}).items()}


def _documented(
    service: Source,
    guideline: Source,
    own: dict[int, Entry],
    rows: dict[int, Entry],
    rules: dict[int, _Rule],
) -> list[Finding]:
    """Findings on the codes the service documents: unlisted, discouraged, name, advice."""
    found = []
    for code, entry in own.items():
        shown = f"{code} {entry.name}" if entry.name else str(code)
        rule = rows.get(code)
        if rule is None:
            message = f"{shown} is not among the codes the guideline {guideline.id} lists"
            found.append(Finding("unlisted", service, guideline, code, entry, None, message))
            continue
        words = rules[code].discouraged
        if words is not None:
            message = f"{shown} is a code the guideline {guideline.id} says not to use: {words!r}"
            found.append(Finding("discouraged", service, guideline, code, entry, rule, message))
        if entry.name and rule.name and name_key(entry.name) != name_key(rule.name):
            message = (
                f"{code} is named {entry.name!r} here and {rule.name!r} by the guideline "
                f"{guideline.id}"
            )
            found.append(Finding("name", service, guideline, code, entry, rule, message))
        ours, theirs = read_policy(entry), read_policy(rule)
        if ours and theirs and conflicting(ours.policy, theirs.policy):
            message = (
                f"{code}: the advice here ({ours.policy}: {ours.sentence!r}) contradicts the "
                f"guideline {guideline.id} ({theirs.policy}: {theirs.sentence!r})"
            )
            found.append(Finding("advice", service, guideline, code, entry, rule, message))
    return found


def _missing(
    service: Source,
    guideline: Source,
    own: set[int],
    rows: dict[int, Entry],
    others: list[set[int]],
    rules: dict[int, _Rule],
) -> list[Finding]:
    """Guideline codes the service leaves out that the guideline requires or, when there are
    at least two other services, that every other service documents."""
    found = []
    for code, rule in rows.items():
        if code in own:
            continue
        shown = f"{code} {rule.name}" if rule.name else str(code)
        words = rules[code].required
        if words is not None:
            why = f"the guideline {guideline.id} requires it: {words!r}"
        elif len(others) >= 2 and all(code in codes for codes in others):
            why = (
                f"the guideline {guideline.id} lists it and every other service "
                f"({len(others)}) documents it"
            )
        else:
            continue
        message = f"{shown} is not documented here; {why}"
        found.append(Finding("missing", service, guideline, code, None, rule, message))
    return found


def guideline_says(
    model: Model, code: int, index: RowIndex | None = None
) -> list[tuple[Source, Entry | None, str]]:
    """What each guideline says of `code`, for its page: (guideline, its first row for the
    code or None, words).  `index` is `rows_by_source(model)`, made once for many codes."""
    index = rows_by_source(model) if index is None else index
    said: list[tuple[Source, Entry | None, str]] = []
    for guideline in guidelines(model):
        rows = index.get(guideline.id, {}).get(code)
        if not rows:
            said.append((guideline, None, f"does not list {code}"))
            continue
        rule, first = _rule_of(rows), rows[0]
        if rule.discouraged:
            said.append((guideline, first, f"says not to use it: {rule.discouraged!r}"))
        elif rule.required:
            said.append((guideline, first, f"requires it: {rule.required!r}"))
        else:
            named = f" as {first.name!r}" if first.name else ""
            said.append((guideline, first, f"lists it{named}"))
    return said
