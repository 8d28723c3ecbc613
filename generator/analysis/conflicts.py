"""Where the sources disagree: names against the registry and each other, and client advice.

Pure functions over the model, shared by the site's code pages, the
comparison matrix and the conflicts page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ..model import Entry, Model, StatusCode
from ..registry import lookup, name_key

Advice = Literal["retry", "no-retry"]
NameStatus = Literal["registered", "variant", "former", "differs", "none"]

# "Do not retry", "should not repeat the request without modifications", "fix the request".
_NO_RETRY = re.compile(
    r"\b(?:do\s+not|don't|never|should\s+not|must\s+not|shouldn't|cannot|can't)\s+"
    r"(?:\w+\s+){0,2}(?:retry|repeat|resend|re-?send|try\s+again)"
    r"|\bfix\s+the\s+request\b|\bnot\s+retryable\b",
    re.IGNORECASE,
)
# "Retry-After" names a header: a sentence that only mentions it is not advice to retry.
_RETRY = re.compile(
    r"\b(?:retry|retrying|retried|repeat\s+the\s+request|try\s+again|resend)\b(?![-‐]after)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Reading:
    """What a source's row says a client should do about retrying, and where it says so."""

    advice: Advice
    inferred: bool
    """True when read from the row's description; False when its action or retry column
    says it."""


def reading(entry: Entry) -> Reading | None:
    """Whether a source tells clients to retry, not to retry, or says neither.

    A retry column ("Retryable: yes") says it outright, then the action's words;
    a description's words are only a reading of it, marked `inferred`.
    """
    if entry.retryable is not None:
        return Reading("retry" if entry.retryable else "no-retry", inferred=False)
    for text, inferred in ((entry.action.plain, False), (entry.description.plain, True)):
        if _NO_RETRY.search(text):
            return Reading("no-retry", inferred)
        if _RETRY.search(text):
            return Reading("retry", inferred)
    return None


def advice(entry: Entry) -> Advice | None:
    """`reading(entry)`'s advice alone, where the inference does not matter."""
    found = reading(entry)
    return found.advice if found else None


@dataclass(frozen=True, slots=True)
class Verdict:
    """How every page shows one judgement: its words, a symbol (never colour alone), and the
    role that styles it (`statusdocs.css`)."""

    words: str
    symbol: str
    role: str


NAME_VERDICTS: dict[NameStatus, Verdict] = {
    "registered": Verdict("registered", "✓", "sd-registered"),
    "variant": Verdict("registered, spelled another way", "≈", "sd-variant"),
    "former": Verdict("formerly registered", "↺", "sd-former"),
    "differs": Verdict("different", "≠", "sd-differs"),
}
"""The one vocabulary for names: the matrix, code pages, conflicts page and legends."""

ADVICE_VERDICTS: dict[tuple[Advice, bool], Verdict] = {
    ("retry", False): Verdict("says retry", "↻", "sd-retry"),
    ("no-retry", False): Verdict("says do not retry", "⊘", "sd-no-retry"),
    ("retry", True): Verdict("reads as retry (inferred from the description)", "↻", "sd-inferred"),
    ("no-retry", True): Verdict(
        "reads as do not retry (inferred from the description)", "⊘", "sd-inferred"
    ),
}
"""The one vocabulary for advice, keyed by (advice, inferred)."""


def name_status(code: StatusCode, entry: Entry) -> NameStatus:
    """How a source's name for a code compares with the registry's phrases.

    "variant" is the registered phrase spelled another way (`NoContent`,
    `StatusNoContent`, `Request Time-out`); "former" is a phrase an earlier
    specification registered (`Request Entity Too Large`).
    """
    registration = lookup(code.code)
    if not entry.name:
        return "none"
    if registration is None:
        return "differs"
    if entry.name.strip() == registration.phrase:
        return "registered"
    key = name_key(entry.name)
    if key == name_key(registration.phrase):
        return "variant"
    if key in {name_key(p) for p in registration.former_phrases}:
        return "former"
    return "differs"


@dataclass(frozen=True, slots=True)
class AdviceConflict:
    """A code for which some sources say retry and others say do not."""

    code: StatusCode
    retry: list[Entry]
    no_retry: list[Entry]


@dataclass(frozen=True, slots=True)
class NameConflict:
    """A code that the sources call by names that are not all the same."""

    code: StatusCode
    names: dict[str, list[Entry]]
    """Each distinct name (as first written) and the entries using it."""


def advice_conflicts(model: Model) -> list[AdviceConflict]:
    """Codes whose sources contradict each other on retrying."""
    found = []
    for code in model.codes:
        retry = [e for e in code.entries if advice(e) == "retry"]
        no_retry = [e for e in code.entries if advice(e) == "no-retry"]
        if retry and no_retry:
            found.append(AdviceConflict(code, retry, no_retry))
    return found


def name_conflicts(model: Model) -> list[NameConflict]:
    """Codes whose sources use different names (compared ignoring case, spaces, Go prefixes)."""
    found = []
    for code in model.codes:
        names: dict[str, list[Entry]] = {}
        first_spelling: dict[str, str] = {}
        for entry in code.entries:
            if entry.name:
                shown = first_spelling.setdefault(name_key(entry.name), entry.name)
                names.setdefault(shown, []).append(entry)
        if len(names) > 1:
            found.append(NameConflict(code, names))
    return found


def differing_names(model: Model) -> list[tuple[StatusCode, Entry]]:
    """Every entry whose name is not a registered phrase (current or former) of its code."""
    return [
        (code, entry)
        for code in model.codes
        for entry in code.entries
        if name_status(code, entry) == "differs"
    ]
