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
_RETRY = re.compile(
    r"\b(?:retry|retrying|retried|repeat\s+the\s+request|try\s+again|resend)\b", re.IGNORECASE
)


def advice(entry: Entry) -> Advice | None:
    """Whether a source tells clients to retry, not to retry, or says neither.

    A retry column ("Retryable: yes") says it outright; otherwise the words do.
    """
    if entry.retryable is not None:
        return "retry" if entry.retryable else "no-retry"
    for text in (entry.action.plain, entry.description.plain):
        if _NO_RETRY.search(text):
            return "no-retry"
        if _RETRY.search(text):
            return "retry"
    return None


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
