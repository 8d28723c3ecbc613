"""Where the sources disagree: names against the registry and each other, and client advice.

Pure functions over the model, shared by the site's code pages, the
comparison matrix and the conflicts page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..model import Entry, Model, StatusCode
from ..registry import lookup, name_key
from .policy import NOT_RETRYING, POLICIES, RETRYING, Policy, read_policy

Advice = Literal["retry", "no-retry"]
"""Which side of a retry conflict a policy is on (`policy.RETRYING`, `policy.NOT_RETRYING`)."""
NameStatus = Literal["registered", "variant", "former", "differs", "none"]


@dataclass(frozen=True, slots=True)
class Reading:
    """What a source's row tells a client to do (`statusdocs.analysis.policy`), and where."""

    policy: Policy
    inferred: bool
    """True when read from the row's description; False when its action or retry column
    says it."""
    sentence: str = ""
    """The sentence it was read from."""

    @property
    def advice(self) -> Advice | None:
        """Retry or not, where the policy says either; None for the others."""
        if self.policy in RETRYING:
            return "retry"
        return "no-retry" if self.policy in NOT_RETRYING else None


def reading(entry: Entry) -> Reading | None:
    """What a source tells clients to do about a code, or None where it says nothing.

    A retry column ("Retryable: yes") says it outright, then the action's words;
    a description's words are only a reading of it, marked `inferred`.
    """
    found = read_policy(entry)
    if found is None:
        return None
    return Reading(found.policy, inferred=not found.said, sentence=found.sentence)


def advice(entry: Entry) -> Advice | None:
    """`reading(entry)`'s side on retrying alone, where the inference does not matter."""
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

_POLICY_SYMBOLS: dict[Policy, str] = {
    "retry": "↻",
    "retry with backoff": "↻",
    "retry after the Retry-After delay": "↻",
    "do not retry": "⊘",
    "fix the request": "⊘",
    "re-authenticate": "⚿",
    "follow the redirect": "↪",
    "contact support": "☎",
}


def _advice_verdict(policy: Policy, inferred: bool) -> Verdict:
    symbol = _POLICY_SYMBOLS[policy]
    if inferred:
        return Verdict(f"reads as {policy} (inferred from the description)", symbol, "sd-inferred")
    side = "sd-retry" if policy in RETRYING else "sd-no-retry" if policy in NOT_RETRYING else None
    return Verdict(f"says {policy}", symbol, side or "sd-advice")


ADVICE_VERDICTS: dict[tuple[Policy, bool], Verdict] = {
    (policy, inferred): _advice_verdict(policy, inferred)
    for inferred in (False, True)
    for policy in POLICIES
}
"""The one vocabulary for advice, keyed by (policy, inferred)."""


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
