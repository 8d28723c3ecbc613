"""Finding mentions of status codes and HTTP headers in source text, to link them.

"similar to 401" links to the 401 page when the site has one; "Retry-After"
links to the headers page.  Hyphenated header names are distinctive and are
found anywhere; one-word names (Expect, Range, Location) are common words and
are linked only when the text says "header" after them or marks them as code.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources

from ..labels import code_label
from ..registry import rfc_citation, rfc_url
from .rst import Rst, ref


@dataclass(frozen=True, slots=True)
class Header:
    """A well-known HTTP header and where it is defined."""

    name: str
    rfc: str
    section: str
    summary: str

    @property
    def label(self) -> str:
        """The label of its section on the headers page, e.g. `header-retry-after`."""
        return "header-" + self.name.lower()

    @property
    def url(self) -> str:
        """The address of its defining section."""
        return rfc_url(self.rfc, self.section)

    @property
    def reference(self) -> str:
        """A citation such as "RFC 9110, Section 10.2.3"."""
        return rfc_citation(self.rfc, self.section)


@dataclass(frozen=True, slots=True)
class Mention:
    """A place where text names a code or header: the label to link and the words used."""

    label: str
    text: str


@functools.cache
def headers() -> tuple[Header, ...]:
    """The well-known headers shipped with the package, sorted by name."""
    text = resources.files("statusdocs").joinpath("data/http-headers.csv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines())
    return tuple(sorted((Header(**row) for row in rows), key=lambda h: h.name.lower()))


class Mentions:
    """Links codes the site documents and the well-known headers, wherever text names them."""

    def __init__(self, codes: Iterable[int]) -> None:
        self.codes = frozenset(codes)
        self.by_name = {header.name.lower(): header for header in headers()}
        hyphenated = [re.escape(h.name) for h in headers() if "-" in h.name]
        single = [re.escape(h.name) for h in headers() if "-" not in h.name]
        self.pattern = re.compile(
            r"(?<![\w.-])(?:(?P<code>[1-5]\d\d)(?![\w-]|\.\d)"
            rf"|(?P<header>{'|'.join(hyphenated)})(?![\w-])"
            rf"|(?P<word>{'|'.join(single)})(?=\s+(?:request\s+|response\s+)?header))",
            re.IGNORECASE,
        )

    def split(self, text: str) -> Iterator[str | Mention]:
        """`text` split into plain pieces and the mentions in it."""
        position = 0
        for match in self.pattern.finditer(text):
            found = self._mention(match)
            if found is None:
                continue
            yield text[position : match.start()]
            yield found
            position = match.end()
        yield text[position:]

    def link(self, text: str) -> Iterator[str | Rst]:
        """`text` split into plain pieces and `:ref:` markup for each mention."""
        for piece in self.split(text):
            yield ref(piece.label, piece.text) if isinstance(piece, Mention) else piece

    def _mention(self, match: re.Match[str]) -> Mention | None:
        code = match["code"]
        if code:
            return Mention(code_label(int(code)), code) if int(code) in self.codes else None
        name = match["header"] or match["word"]
        return Mention(self.by_name[name.lower()].label, name)
