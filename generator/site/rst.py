"""Writing source text as reStructuredText that can never become markup.

Every piece of source text reaches a page through `escape`, which
backslash-escapes all ASCII punctuation: docutils reads each escaped character
back as itself, so no sequence of characters (`.. include::`, `|sub|`,
`` `x`_ ``, `<script>`) can form a directive, role, target, substitution or
inline markup.  Rich text is written through the same function, so lists stay
lists and code stays code while the words inside stay inert.  `Rst` marks text
that is already safe markup, so the Jinja environment escapes everything else.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote, urlsplit

from ..richtext import Block, Code, Inline, Link, RichText, Text, Written

_SAFE_SCHEMES = {"http", "https", "mailto"}
# Non-ASCII characters that start a bullet list at the beginning of a line.
_BULLETS = frozenset("•‣⁃")
_LABEL = re.compile(r"[a-z0-9][a-z0-9-]*")


class Rst(str):
    """A string that is already valid, safe reStructuredText markup."""

    __slots__ = ()


class Linker(Protocol):
    """Finds mentions of status codes and headers in text and links them."""

    def link(self, text: str) -> Iterator[str | Rst]:
        """`text` split into plain pieces and `Rst` references."""
        ...


def _is_escaped(char: str) -> bool:
    return (char.isascii() and not char.isalnum() and not char.isspace()) or char in _BULLETS


def _one_line(text: object) -> str:
    """`text` without control characters, its white space (line breaks too) one space."""
    printable = "".join(
        char
        for char in str(text)
        if char in "\t\n\r" or not unicodedata.category(char).startswith("C")
    )
    return " ".join(printable.split())


def escape(text: object) -> Rst:
    """`text` as inert reStructuredText: what docutils reads back is `text` itself."""
    cleaned = _one_line(text)
    return Rst("".join("\\" + char if _is_escaped(char) else char for char in cleaned))


def literal(text: object) -> Rst:
    """Text for one line of a literal block (a `code-block`), shown exactly as it is.

    Nothing in a literal block is parsed, so no escaping; only a line break or an
    unindented line could end the block, so control characters and line breaks go.
    """
    return Rst(_one_line(text))


def inline_literal(text: object) -> Rst:
    """Text as inline code (``text``), shown exactly as it is; escaped plain text where an
    inline literal cannot hold it (backquotes, white space at either end, nothing)."""
    line = _one_line(text)
    if not line or "`" in line or line != line.strip() or "\\" in line:
        return escape(line)
    return Rst(f"``{line}``")


def label(name: str) -> Rst:
    """A target name built by the generator (`status-404`); refuses anything else."""
    if not _LABEL.fullmatch(name):
        raise ValueError(f"not a safe label: {name!r}")
    return Rst(name)


def ref(target: str, title: str | None = None) -> Rst:
    """A `:ref:` to one of the generator's labels, with a generator-made title."""
    if title is None:
        return Rst(f":ref:`{label(target)}`")
    return Rst(f":ref:`{escape(title)} <{label(target)}>`")


def span(text: str, role: str) -> Rst:
    """Source text in a custom role (declared in the site's rst_prolog) for styling."""
    return _tidy(_styled(text, f":{label(role)}:`", "`"))


def url(address: str) -> str | None:
    """`address` made safe for a hyperlink target, or None for a scheme we do not link."""
    parts = urlsplit(address.strip())
    if parts.scheme.lower() not in _SAFE_SCHEMES:
        return None
    return quote(address.strip(), safe=":/?#[]@!$&'()*+,;=%~.-_")


def link(text: str, address: str) -> Rst:
    """An external hyperlink, or just the text when the address is not http(s)/mailto."""
    target = url(address)
    shown = escape(text) or escape(address)
    if target is None or not shown:
        return shown
    return Rst(f"\\ `{shown} <{target}>`__\\ ")


def inline(inlines: Iterable[Inline], linker: Linker | None = None) -> Rst:
    """Inline content as one line of reStructuredText."""
    return _tidy("".join(piece.markup for piece in Written(_RstWriter(linker)).inlines(inlines)))


@dataclass(frozen=True, slots=True)
class _Piece:
    """Written RST, with the plain text it shows: bold, emphasis and code cannot nest in RST,
    so they are written again from the plain text of what they hold."""

    markup: str
    plain: str = ""
    line_break: bool = False


def _plain(pieces: list[_Piece]) -> str:
    return "".join(piece.plain for piece in pieces)


@dataclass(frozen=True, slots=True)
class _RstWriter:
    """Rich text as reStructuredText (`richtext.Writer`), every word escaped, mentions linked."""

    linker: Linker | None

    def text(self, node: Text) -> _Piece:
        return _Piece(_linked_text(node.text, self.linker), node.text)

    def code(self, node: Code) -> _Piece:
        return self._styled(node.text, ":literal:`", "`")

    def line_break(self) -> _Piece:
        return _Piece(" ", "\n", line_break=True)

    def emphasis(self, inner: list[_Piece]) -> _Piece:
        return self._styled(_plain(inner), "*", "*")

    def strong(self, inner: list[_Piece]) -> _Piece:
        return self._styled(_plain(inner), "**", "**")

    def link(self, node: Link, inner: list[_Piece]) -> _Piece:
        shown = _plain(inner)
        return _Piece(link(shown, node.url), shown)

    def _styled(self, whole: str, opening: str, closing: str) -> _Piece:
        pieces = self.linker.link(whole) if self.linker is not None else iter([whole])
        # A mention inside bold or code becomes a plain link: RST cannot nest them.
        markup = "".join(
            f"\\ {piece}\\ " if isinstance(piece, Rst) else _styled(piece, opening, closing)
            for piece in pieces
        )
        return _Piece(markup, whole)

    def paragraph(self, inner: list[_Piece]) -> _Piece:
        """A paragraph; hard line breaks make it a line block, one line per `| `."""
        if not any(piece.line_break for piece in inner):
            return _Piece(_tidy("".join(piece.markup for piece in inner)))
        lines: list[list[_Piece]] = [[]]
        for piece in inner:
            if piece.line_break:
                lines.append([])
            else:
                lines[-1].append(piece)
        rendered = [_tidy("".join(piece.markup for piece in line)) for line in lines]
        return _Piece("\n".join(f"| {line}" if line else "|" for line in rendered))

    def bullet_list(self, items: list[list[_Piece]]) -> _Piece:
        return _Piece("\n".join(_item("- ", item) for item in items))

    def ordered_list(self, items: list[list[_Piece]], start: int) -> _Piece:
        numbered = enumerate(items, start)
        return _Piece("\n".join(_item(f"{number}. ", item) for number, item in numbered))


def _item(marker: str, blocks: list[_Piece]) -> str:
    """One list item, its blocks a blank line apart and indented under its text."""
    body = "\n\n".join(block.markup for block in blocks if block.markup) or escape("-")
    return marker + indent(body, len(marker), first=False)


def _styled(text: str, opening: str, closing: str) -> str:
    """Escaped text inside inline markup, its outer spaces kept outside the markers."""
    inner = escape(text)
    if not inner:
        return " " if text else ""
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() else ""
    return f"{lead}\\ {opening}{inner}{closing}\\ {trail}"


def line(text: str, linker: Linker | None = None) -> Rst:
    """Plain text on one line, with mentions of codes and headers linked."""
    return _tidy(_linked_text(" ".join(text.split()), linker))


def _tidy(markup: str) -> Rst:
    """Markup without the separators (`\\ `) and spaces at its ends."""
    markup = markup.strip()
    while markup.startswith("\\ "):
        markup = markup[2:].lstrip()
    # An odd run of trailing backslashes ends in a separator whose space was stripped.
    while (len(markup) - len(markup.rstrip("\\"))) % 2 == 1:
        markup = markup[:-1].rstrip()
    return Rst(markup)


def _linked_text(text: str, linker: Linker | None) -> str:
    if linker is None:
        return _spaced(text)
    return "".join(
        f"\\ {piece}\\ " if isinstance(piece, Rst) else _spaced(piece)
        for piece in linker.link(text)
    )


def _spaced(text: str) -> str:
    """Escaped text keeping its outer spaces, which separate it from neighbouring markup."""
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() else ""
    return lead + escape(text) + trail if text.strip() else (" " if text else "")


def blocks(content: RichText | Sequence[Block], linker: Linker | None = None) -> Rst:
    """Rich text as reStructuredText body elements, separated by blank lines."""
    items = content.blocks if isinstance(content, RichText) else content
    written = Written(_RstWriter(linker)).blocks(items)
    return Rst("\n\n".join(piece.markup for piece in written if piece.markup))


def indent(text: str, width: int, first: bool = True) -> Rst:
    """`text` with every line after the first (and the first too, if `first`) indented."""
    pad = " " * width
    lines = text.split("\n")
    shifted = [pad + line if line else line for line in lines[1:]]
    head = (pad + lines[0]) if first and lines[0] else lines[0]
    return Rst("\n".join([head, *shifted]))
