"""The registered HTTP status codes: reason phrases and the RFC section defining each.

The data file is a transcription of IANA's "HTTP Status Code Registry"
(facts: code, phrase, reference), with the phrases earlier RFCs used, so that
a source writing "Request Entity Too Large" is recognised as using an older
registered name rather than an unknown one.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from importlib import resources

_NOT_ALNUM = re.compile(
    r"[\W_]+"
)  # letters of any script count: "Not Found 未找到" is not the phrase
_GO_PREFIX = re.compile(r"^[Ss]tatus(?=[A-Z])")


@dataclass(frozen=True, slots=True)
class Registration:
    """One code's entry in the registry."""

    code: int
    phrase: str
    """The current registered reason phrase, e.g. "Not Found"."""
    rfc: str
    """The defining document, e.g. "RFC9110"."""
    section: str
    """The section of that document, e.g. "15.5.5"."""
    former_phrases: tuple[str, ...] = ()
    """Phrases earlier specifications registered for this code."""

    @property
    def reference(self) -> str:
        """A human-readable citation, e.g. "RFC 9110, Section 15.5.5"."""
        return rfc_citation(self.rfc, self.section)

    @property
    def url(self) -> str:
        """The address of the defining section."""
        return rfc_url(self.rfc, self.section)


def rfc_citation(rfc: str, section: str) -> str:
    """How the site cites a section of an RFC: "RFC 9110, Section 15.5.5"."""
    return f"RFC {rfc.removeprefix('RFC')}, Section {section}"


def rfc_url(rfc: str, section: str) -> str:
    """The address of a section of an RFC on the RFC Editor's site."""
    number = rfc.removeprefix("RFC").lower()
    return f"https://www.rfc-editor.org/rfc/rfc{number}#section-{section}"


@functools.cache
def registry() -> dict[int, Registration]:
    """All registered codes, keyed by code."""
    text = resources.files("statusdocs").joinpath("data/http-status-codes.csv").read_text("utf-8")
    table: dict[int, Registration] = {}
    for row in csv.DictReader(text.splitlines()):
        former = tuple(p for p in row["former_phrases"].split("|") if p)
        code = int(row["code"])
        table[code] = Registration(code, row["phrase"], row["rfc"], row["section"], former)
    return table


def lookup(code: int) -> Registration | None:
    """The registration of `code`, or None when it is not registered."""
    return registry().get(code)


def status_class(code: int) -> str:
    """The class a code belongs to, e.g. "4xx"."""
    return f"{code // 100}xx"


def name_key(name: str) -> str:
    """A comparison key for reason phrases: "StatusNotFound", "Not Found" and "NotFound" agree."""
    return _NOT_ALNUM.sub("", _GO_PREFIX.sub("", name.strip()).lower())


def matches_registered(code: int, name: str) -> bool:
    """Whether `name` is the registered phrase of `code`, current or former, in any spelling."""
    registration = lookup(code)
    if registration is None:
        return False
    phrases = (registration.phrase, *registration.former_phrases)
    return name_key(name) in {name_key(phrase) for phrase in phrases}
