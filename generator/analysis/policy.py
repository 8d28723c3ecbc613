"""Client advice read as a policy: what a source tells a client to do after a status code.

A source's words ("Retry with exponential backoff.", "The client should not repeat the
request without modifications.") are read, sentence by sentence, into one of eight
policies (`POLICIES`).  The reading is careful about the places where a two-word search
goes wrong:

- negations: "Do not retry", "Never retry the other errors", "Sending it again unchanged
  will fail again";
- conditions: "If the user has not supplied authorization information, prompt them for
  the appropriate credentials" (re-authenticate), "retry only if the request is idempotent"
  (retry); "when you contact support" is not advice to contact support;
- mentions: the `Retry-After` header's name is not the word "retry", a sentence about what
  the server or response includes or what the header says ("Response SHOULD include a
  'Retry-After' header", "the Retry-After header indicates ...") is not client advice, and
  "Multiple retries failed, retry limit reached" tells no one to retry.

"The client should not repeat the request without modifications" reads as "fix the
request": it forbids only the unchanged request, which is what "fix the request" means.

Texts are untrusted: only the first `MAX_CHARS` characters of a text are read, and every
pattern's repeated parts are separated by single spaces (the sentence is collapsed first),
so a match is linear in the sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, get_args

from ..model import Entry

Policy = Literal[
    "retry",
    "retry with backoff",
    "retry after the Retry-After delay",
    "do not retry",
    "fix the request",
    "re-authenticate",
    "follow the redirect",
    "contact support",
]
POLICIES: tuple[Policy, ...] = get_args(Policy)
POLICY_MEANINGS: dict[Policy, str] = {
    "retry": "Send the same request again (later, or at once); no delay scheme is given.",
    "retry with backoff": "Send it again, waiting longer after each failure (exponential backoff).",
    "retry after the Retry-After delay": "Wait as long as the response's Retry-After header "
    "says, then send it again.",
    "do not retry": "Do not send the request again: it will fail the same way.",
    "fix the request": "The request as sent will fail again: change it (its parameters, body, "
    "identifier) before sending it again.",
    "re-authenticate": "Get valid credentials (log in again, a new token, ask the user) and "
    "send the request with them.",
    "follow the redirect": "Send the request to the address the response gives (Location).",
    "contact support": "Ask the service's support or administrator; the client cannot fix it.",
}
"""What each policy tells a client, in one line."""
RETRYING: frozenset[Policy] = frozenset(
    {"retry", "retry with backoff", "retry after the Retry-After delay"}
)
"""The policies that send the same request again."""
NOT_RETRYING: frozenset[Policy] = frozenset({"do not retry", "fix the request"})
"""The policies that forbid sending the same request again."""
PRECEDENCE: tuple[Policy, ...] = (
    "retry after the Retry-After delay",
    "retry with backoff",
    "fix the request",
    "re-authenticate",
    "follow the redirect",
    "do not retry",
    "retry",
    "contact support",
)
"""Most specific instruction first: which policy a sentence, or a text of several, gives.

How to retry beats retrying, what to do instead beats "do not retry" ("Do not retry. Fix
the request." is "fix the request"), a negation beats a plain retry, and contacting
support, the last resort ("Try again later. If it persists, contact support."), comes last.
"""
MAX_CHARS = 5000
"""Only this many characters of a text are read: advice comes first, and texts are untrusted."""

Where = Literal["retry column", "action", "description"]


@dataclass(frozen=True, slots=True)
class PolicyReading:
    """The one policy read from a source's row, and the words it was read from."""

    policy: Policy
    """What the row tells a client to do."""
    sentence: str
    """The sentence it was read from, as plain text with whitespace collapsed."""
    said: bool
    """True when the source says it (a yes/no retry column or its action); False when it is
    inferred from the description."""
    where: Where
    """Which part of the row the sentence is in."""


# Blank lines and list items start a new block; other line breaks only wrap a sentence.
_BLOCK_BREAK = re.compile(r"\n[ \t]*(?:\n|(?=(?:[-*+•]|\d{1,3}[.)])[ \t]))")
_LIST_MARK = re.compile(r"^(?:[-*+•]|\d{1,3}[.)]) ")
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]* |; ")
_ABBREVIATIONS = frozenset({"e.g.", "i.e.", "etc.", "cf.", "vs.", "approx.", "incl.", "esp."})
_ONE_LETTER = re.compile(r"[a-z]\.")
"""'z. B.' and the like: a single letter and a dot ends no sentence."""


def sentences(text: str) -> list[str]:
    """The sentences of a text (its first `MAX_CHARS` characters), whitespace collapsed.

    A sentence ends at `.`, `!` or `?` before a space (not after "e.g.", "i.e." and other
    abbreviations), at a semicolon, at a blank line and where a list item starts.
    """
    found: list[str] = []
    for block in _BLOCK_BREAK.split(text[:MAX_CHARS]):
        found.extend(_block_sentences(_LIST_MARK.sub("", " ".join(block.split()))))
    return found


def _block_sentences(block: str) -> list[str]:
    found, start = [], 0
    for end in _SENTENCE_END.finditer(block):
        word = block[max(start, block.rfind(" ", start, end.start()) + 1) : end.start() + 1]
        if end.group() != "; " and _abbreviated(word.lower()):
            continue
        found.append(block[start : end.end()].strip().removesuffix(";"))
        start = end.end()
    found.append(block[start:].strip())
    return [sentence for sentence in found if sentence]


def _abbreviated(word: str) -> bool:
    word = word.lstrip("([\"'“‘")
    return word in _ABBREVIATIONS or _ONE_LETTER.fullmatch(word) is not None


# Every pattern reads the lowered sentence, with the header's name spelled `retry_after`
# so that `\bretry\b` cannot match it.
_HEADER_NAME = re.compile(r"retry[-‐‑]after")
_SERVER_DUTY = re.compile(
    r"\b(?:server|response|service|gateway|proxy|api)s? (?:\w+ )?"
    r"(?:should|must|shall|may|will|can|could|might) (?:also |not |then )?"
    r"(?:include|send|return|contain|add|set|close|respond|provide|indicate|use)\b"
)
"""What the server or its response does: a server's obligation, not the client's advice."""
_RETRY_VERB = (
    r"(?:retry|retrying|retried|re-try|try again|repeat|resend|re-send|resubmit|re-submit"
    r"|send (?:it|the request|your request) again)"
)
_NEGATED = re.compile(
    rf"\b(?:do not|don't|never|should not|shouldn't|must not|mustn't|cannot|can't|may not"
    rf"|no need to|avoid) (?:\w+ ){{0,2}}?{_RETRY_VERB}\b"
    r"|\b(?:retrying|retries|repeating|resending|trying again|sending (?:it|the request) again)"
    r"(?: \w+){0,3}? (?:(?:will not|won't|would not|does not|do not|cannot|can't) "
    r"(?:help|work|succeed)|(?:will|would) (?:\w+ )?fail)\b"
    r"|\bnot retryable\b|\bnon-retryable\b"
)
_UNCHANGED = re.compile(
    r"\bwithout (?:any )?(?:modifications?|changes?|changing|modifying)\b|\bunchanged\b|\bas-? is\b"
)
_RETRY = re.compile(
    r"\b(?:retry|retrying|re-try|try again|trying again|be retried|be repeated"
    r"|repeat (?:the |your |this |these )?requests?|resend|re-send|resubmit|re-submit"
    r"|send (?:it|the request|your request|them) again)\b"
    r"(?! (?:limit|count|budget|policy|logic|attempts?|interval|mechanism)\b)"
)
_HASTY = re.compile(
    r"\bretrying (?:straight away|immediately|right away|at once) "
    r"(?:only|just|will|would|wastes?|uses?)\b"
)
"""'Retrying straight away only uses up more of your allowance': a caution, not advice."""
_BACKOFF = re.compile(
    r"\bback ?-?off\b|\bexponential(?:ly)?\b|\bincreasing (?:delays?|intervals?|waits?)\b"
    r"|\blonger after each\b|\bjitter\b"
)
_WAIT = re.compile(
    r"\bwait(?:s|ing)?\b|\bpause\b|\bdelay\b|\bhonou?r\b|\brespect\b"
    r"|\b(?:after|until|once) (?:the )?retry_after\b"
)
_HEADER_SUBJECT = re.compile(
    r"retry_after(?: http)?(?: header)?(?: field)? "
    r"(?:indicates|specifies|tells|contains|gives|says|shows|holds|is)\b"
)
"""'The Retry-After header indicates ...': what the header means, not what to do."""
_FIX = re.compile(
    r"\b(?:fix|correct|modify|change|amend|adjust|repair) (?:the|your|this) (?:\w+ )?"
    r"(?:request|parameters?|input|query|body|payload|identifier|syntax|values?)\b"
    r"|\b(?:re-?check|check|verify|validate|review|double-check) (?:that )?(?:the |your )?"
    r"(?:\w+ )?(?:parameters?|input|request|values?|format|syntax|fields?|arguments?)\b"
    r"|\bmake sure (?:that )?the (?:value|request|format|body|parameters?|syntax)\b"
    r"|\b(?:retry|resend|resubmit|try again|repeat) with (?:the|a) "
    r"(?:updated|modified|corrected|fixed|changed|new) request\b"
    r"|\brequest (?:itself )?(?:needs|has) to (?:change|be (?:changed|modified|fixed|corrected))\b"
)
_REAUTHENTICATE = re.compile(
    r"\bre-?authenticate\b|\bauthenticate (?:again|anew)\b|\b(?:log|sign) ?-?(?:in|on) again\b"
    r"|\b(?:obtain|get|request|fetch|acquire|generate) a (?:new|fresh|valid) (?:\w+ )?token\b"
    r"|\brefresh (?:the|your) (?:\w+ )?token\b"
    r"|\bprompt (?:them|the user) (?:again|for (?:the )?(?:\w+ )?credentials)\b"
    r"|\bprovide valid credentials\b"
    r"|\bcheck (?:the|your) (?:username|user name|credentials|password|api key|token)\b"
    r"|\b(?:you|client|user) (?:must|should|needs? to|has to) (?:first )?(?:re-?)?authenticate\b"
)
_FOLLOW = re.compile(
    r"\bfollow (?:the )?(?:redirect(?:ion)?s?|location(?: header)?|new (?:uri|url|location)"
    r"|link)\b"
)
_ADDRESS_MODAL = re.compile(
    r"\b(?:should|must) (?:use|be addressed to|be retrieved|be sent to|go to)\b"
)
_ADDRESS = re.compile(r"\b(?:uri|url|location)s?\b")
_CONTACT = re.compile(
    r"\bcontact (?:\w+ ){0,2}?(?:support|administrator|admin|customer (?:service|support|care)"
    r"|technical support|help ?desk|service desk|us)\b"
)
_CONTACT_MENTION = re.compile(r"\b(?:when|whenever|before|once) (?:you )?contact\b")


def read_text(text: str) -> list[tuple[Policy, str]]:
    """Every sentence of `text` that gives advice, with its policy, in text order.

    A sentence gives at most one policy, its most specific (`PRECEDENCE`); only the first
    `MAX_CHARS` characters of `text` are read.
    """
    found = []
    for sentence in sentences(text):
        policy = sentence_policy(sentence)
        if policy is not None:
            found.append((policy, sentence))
    return found


def sentence_policy(sentence: str) -> Policy | None:
    """The most specific policy one sentence gives, or None when it gives no advice."""
    text = _HEADER_NAME.sub("retry_after", sentence[:MAX_CHARS].lower().replace("’", "'"))
    if _SERVER_DUTY.search(text):
        return None
    found = _retrying(text) | _instead(text)
    return min(found, key=PRECEDENCE.index) if found else None


def _retrying(text: str) -> set[Policy]:
    """The sentence's advice on sending the request again: whether, and how."""
    found: set[Policy] = set()
    negated = _NEGATED.search(text) is not None
    if negated:
        found.add("fix the request" if _UNCHANGED.search(text) else "do not retry")
    retry = not negated and _RETRY.search(text) is not None and not _HASTY.search(text)
    if retry:
        found.add("retry")
    if _BACKOFF.search(text):
        found.add("retry with backoff")
    told = retry or negated or _WAIT.search(text) is not None
    if "retry_after" in text and told and not _HEADER_SUBJECT.search(text):
        found.add("retry after the Retry-After delay")
    return found


def _instead(text: str) -> set[Policy]:
    """The sentence's advice on what to do other than sending the same request again."""
    found: set[Policy] = set()
    if _FIX.search(text):
        found.add("fix the request")
    if _REAUTHENTICATE.search(text):
        found.add("re-authenticate")
    if _FOLLOW.search(text) or (_ADDRESS_MODAL.search(text) and _ADDRESS.search(text)):
        found.add("follow the redirect")
    if _CONTACT.search(text) and not _CONTACT_MENTION.search(text):
        found.add("contact support")
    return found


def read_policy(entry: Entry) -> PolicyReading | None:
    """The one policy of a source's row: its retry column, else its action, else its
    description (inferred); among a text's sentences the most specific (`PRECEDENCE`),
    the first of equals.  Each entry is read once (`_READINGS`)."""
    known = _READINGS.get(id(entry))
    if known is not None and known[0] is entry:
        return known[1]
    found = _read_entry(entry)
    _remember(entry, found)
    return found


# Pages ask for the readings of the entries they show, and some pages for all of them
# (tens of microseconds each): each is read once.  An entry is kept with its reading, so
# its id cannot be another's while it is here; past `_READINGS_KEPT` the memo starts
# afresh, so a long `serve` does not keep every model it has built.  Entries are not
# changed once the model is built.
_READINGS: dict[int, tuple[Entry, PolicyReading | None]] = {}
_READINGS_KEPT = 250_000


def remember_readings(readings: Iterable[tuple[Entry, PolicyReading | None]]) -> None:
    """Take readings made elsewhere (where a source was parsed) into the memo."""
    for entry, found in readings:
        _remember(entry, found)


def _remember(entry: Entry, found: PolicyReading | None) -> None:
    if len(_READINGS) >= _READINGS_KEPT:
        _READINGS.clear()
    _READINGS[id(entry)] = (entry, found)


def _read_entry(entry: Entry) -> PolicyReading | None:
    if entry.retryable is not None:
        policy: Policy = "retry" if entry.retryable else "do not retry"
        words = "yes" if entry.retryable else "no"
        return PolicyReading(policy, f"Retryable: {words}", said=True, where="retry column")
    parts: tuple[tuple[Where, str, bool], ...] = (
        ("action", entry.action.plain, True),
        ("description", entry.description.plain, False),
    )
    for where, text, said in parts:
        found = read_text(text)
        if found:
            policy, sentence = min(found, key=lambda pair: PRECEDENCE.index(pair[0]))
            return PolicyReading(policy, sentence, said, where)
    return None


def conflicting(a: Policy, b: Policy) -> bool:
    """Whether one policy sends the same request again and the other forbids it."""
    return (a in RETRYING and b in NOT_RETRYING) or (a in NOT_RETRYING and b in RETRYING)
