"""Format-neutral rich text for table cells.

Readers turn each format's cell markup (docutils nodes, markdown-it tokens,
HTML elements) into these few immutable types, so that the rest of the
pipeline never sees a format.  Every type is frozen and made of tuples, so two
cells compare equal exactly when they hold the same structured text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Generic, Protocol, TypeVar

_SPACE_RUN = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Text:
    """A run of plain text; white space is already collapsed."""

    text: str


@dataclass(frozen=True, slots=True)
class Code:
    """Inline literal text, such as ``resourceVersion``."""

    text: str


@dataclass(frozen=True, slots=True)
class Emphasis:
    """Emphasised (italic) inline content."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Strong:
    """Strongly emphasised (bold) inline content."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink; `url` is kept as the source wrote it."""

    children: tuple[Inline, ...]
    url: str


@dataclass(frozen=True, slots=True)
class LineBreak:
    """A hard line break inside a paragraph."""


Inline = Text | Code | Emphasis | Strong | Link | LineBreak


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of inline content."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class ListItem:
    """One item of a list: any blocks, including nested lists."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class BulletList:
    """An unordered list."""

    items: tuple[ListItem, ...]


@dataclass(frozen=True, slots=True)
class OrderedList:
    """A numbered list starting at `start`."""

    items: tuple[ListItem, ...]
    start: int = 1


Block = Paragraph | BulletList | OrderedList


@dataclass(frozen=True, slots=True)
class RichText:
    """The structured content of one cell: a sequence of blocks."""

    blocks: tuple[Block, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.blocks)

    @property
    def plain(self) -> str:
        """The text without markup: paragraphs split by blank lines, list items by lines."""
        return plain_text(self.blocks)


EMPTY = RichText()

_Out = TypeVar("_Out")


class Writer(Protocol[_Out]):
    """One output format of rich text: a method a node type, given its content written.

    `write` is the one walk over the node types; each format (plain text, RST,
    HTML, the site's table data, Markdown) says only what each node becomes,
    so a node type added here is a missing method in every writer at once.
    """

    def text(self, node: Text) -> _Out: ...
    def code(self, node: Code) -> _Out: ...
    def line_break(self) -> _Out: ...
    def emphasis(self, inner: list[_Out]) -> _Out: ...
    def strong(self, inner: list[_Out]) -> _Out: ...
    def link(self, node: Link, inner: list[_Out]) -> _Out: ...
    def paragraph(self, inner: list[_Out]) -> _Out: ...
    def bullet_list(self, items: list[list[_Out]]) -> _Out: ...
    def ordered_list(self, items: list[list[_Out]], start: int) -> _Out: ...


@dataclass(frozen=True, slots=True)
class Written(Generic[_Out]):
    """The walk of rich text through one `Writer`."""

    writer: Writer[_Out]

    def blocks(self, blocks: Iterable[Block]) -> list[_Out]:
        """Each block written."""
        return [self.block(block) for block in blocks]

    def block(self, block: Block) -> _Out:
        if isinstance(block, Paragraph):
            return self.writer.paragraph(self.inlines(block.children))
        items = [self.blocks(item.blocks) for item in block.items]
        if isinstance(block, OrderedList):
            return self.writer.ordered_list(items, block.start)
        return self.writer.bullet_list(items)

    def inlines(self, inlines: Iterable[Inline]) -> list[_Out]:
        """Each inline node written."""
        return [self.inline(node) for node in inlines]

    def inline(self, node: Inline) -> _Out:
        if isinstance(node, Text):
            return self.writer.text(node)
        if isinstance(node, Code):
            return self.writer.code(node)
        if isinstance(node, LineBreak):
            return self.writer.line_break()
        inner = self.inlines(node.children)
        if isinstance(node, Strong):
            return self.writer.strong(inner)
        if isinstance(node, Emphasis):
            return self.writer.emphasis(inner)
        return self.writer.link(node, inner)


def text_of(inlines: Iterable[Inline]) -> str:
    """The plain text of inline content."""
    return "".join(_PLAIN.inlines(inlines))


def plain_text(blocks: Sequence[Block]) -> str:
    """Render blocks as plain text; nested list items are indented under their marker."""
    return "\n\n".join(_PLAIN.blocks(blocks))


class PlainWriter:
    """Rich text as plain text: a line break is a newline, list items get `- ` or `1. `."""

    def text(self, node: Text) -> str:
        return node.text

    def code(self, node: Code) -> str:
        return node.text

    def line_break(self) -> str:
        return "\n"

    def emphasis(self, inner: list[str]) -> str:
        return "".join(inner)

    def strong(self, inner: list[str]) -> str:
        return "".join(inner)

    def link(self, node: Link, inner: list[str]) -> str:
        return "".join(inner)

    def paragraph(self, inner: list[str]) -> str:
        return "".join(inner)

    def bullet_list(self, items: list[list[str]]) -> str:
        return "\n".join(_plain_item("- ", item) for item in items)

    def ordered_list(self, items: list[list[str]], start: int) -> str:
        return "\n".join(
            _plain_item(f"{number}. ", item) for number, item in enumerate(items, start)
        )


def _plain_item(marker: str, blocks: list[str]) -> str:
    """One list item: its blocks a line apart, every line after the first under the text."""
    return marker + "\n".join(blocks).replace("\n", "\n" + " " * len(marker))


_PLAIN: Written[str] = Written(PlainWriter())


def normalize_inlines(inlines: Iterable[Inline]) -> tuple[Inline, ...]:
    """Merge adjacent text runs, collapse white space and trim both ends."""
    merged: list[Inline] = []
    for node in inlines:
        if isinstance(node, Emphasis | Strong):
            children = normalize_inlines(node.children)
            if children:
                merged.append(type(node)(children))
        elif isinstance(node, Link):
            merged.append(Link(normalize_inlines(node.children), node.url))
        elif isinstance(node, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + node.text)
        else:
            merged.append(node)
    collapsed = [Text(_SPACE_RUN.sub(" ", n.text)) if isinstance(n, Text) else n for n in merged]
    return _trim(collapsed)


def _trim(inlines: list[Inline]) -> tuple[Inline, ...]:
    """Drop white space and line breaks at both ends, however they alternate."""
    for end in (0, -1):
        while inlines:
            node = inlines[end]
            if (isinstance(node, Text) and not node.text.strip()) or isinstance(node, LineBreak):
                inlines.pop(end)
            elif isinstance(node, Text):
                stripped = node.text.lstrip() if end == 0 else node.text.rstrip()
                inlines[end] = Text(stripped)
                break
            else:
                break
    return tuple(node for node in inlines if not (isinstance(node, Text) and not node.text))


def paragraph(inlines: Iterable[Inline]) -> Paragraph | None:
    """A normalized paragraph, or None when it holds no text."""
    children = normalize_inlines(inlines)
    return Paragraph(children) if children else None


def rich(blocks: Iterable[Block | None]) -> RichText:
    """Rich text from blocks, leaving out empty paragraphs and lists."""
    return RichText(tuple(block for block in blocks if block is not None and _has_content(block)))


def _has_content(block: Block) -> bool:
    if isinstance(block, Paragraph):
        return bool(block.children)
    return bool(block.items)


def from_plain(text: str) -> RichText:
    """Rich text holding `text` as paragraphs split on blank lines."""
    return rich(paragraph([Text(chunk)]) for chunk in re.split(r"\n\s*\n", text))


def visible(text: str | None) -> str | None:
    """`text` when some of it shows on a page; None when it is empty or only invisible
    characters (spaces, controls, zero-width and format characters, lone combining marks)."""
    if text is None:
        return None
    shown = any(unicodedata.category(char)[0] not in "CZM" for char in text)
    return text if shown else None


def _quick_unpickling(cls: type) -> None:
    """Let a frozen slotted dataclass unpickle without `dataclasses.fields` for each object.

    Its generated `__setstate__` looks the fields up again for every node, and the
    parse cache holds hundreds of thousands of them (a third of a 1,000-source
    rebuild's reading); the state is the same list of values, in field order.
    """
    names = tuple(item.name for item in fields(cls))

    def setstate(self: object, state: Sequence[object]) -> None:
        for name, value in zip(names, state, strict=True):
            object.__setattr__(self, name, value)

    cls.__setstate__ = setstate  # type: ignore[attr-defined]


for _node in (
    Text,
    Code,
    Emphasis,
    Strong,
    Link,
    LineBreak,
    Paragraph,
    ListItem,
    BulletList,
    OrderedList,
    RichText,
):
    _quick_unpickling(_node)
