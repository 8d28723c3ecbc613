"""Plain-text reader: bullet lists whose nesting is shown by indentation, as raw tables.

Plain text has no tables, but copies of web pages keep a table's rows as list
items: `• 200 StatusOK` with the description and advice as nested bullets.
Each run of top-level items becomes one `RawTable` without a header, one row
per top-level item and one cell per row holding the item's text and its nested
lists.  The text is not interpreted here; `statusdocs.tables` does that.

Rules, chosen to suit text pasted from web pages rather than Markdown:

- A bullet is one of `• ◦ ▪ ‣ ● ○ ■ - * +` or a number with `.` or `)`,
  followed by white space.  Bullets and numbers may be mixed in one list;
  children switch between `BulletList` and `OrderedList` where the kind changes.
- Tabs expand to the next multiple of 4 columns, as CommonMark counts them.
- An item's children are the following items indented deeper than its bullet;
  a non-bullet line indented deeper than the bullet continues the item (after a
  blank line, as a new paragraph).
- A blank line ends a list only when the next line is prose or a bullet
  indented less than the list's top-level items.
- A non-bullet line no deeper than the top-level bullets ends the list; there is
  no lazy continuation, so a footer right under the list stays out of it.
- An item nested deeper than `MAX_NESTING` is left out, with every line
  indented at least as far as its bullet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import groupby, islice

from ..diagnostics import Reporter
from ..limits import MAX_NESTING, MAX_ROWS
from ..richtext import (
    Block,
    BulletList,
    ListItem,
    OrderedList,
    Text,
    paragraph,
    rich,
)
from .base import Document, Limits, Parsed, RawRow, RawTable

TAB_SIZE = 4
"""Columns per tab stop when measuring indentation."""

_BULLET = re.compile(r"(?:[•◦▪‣●○■*+-]|(\d{1,9})[.)])(?:\s+|$)")
_CODE_LINE = re.compile(r"\d{3}(?!\d)(?:[\s:.)\-–—(]|$)")
_UNDERLINE = re.compile(r"(?:={3,}|-{3,})")
_ATX_MARKS = re.compile(r"^#+\s*|\s+#+$")
_HEADING_MAX = 80
_SENTENCE_END = (".", ",", ";", "。", "，", "；")
_NOTE = "synthesised from a bullet list: one row per top-level item"


@dataclass(frozen=True, slots=True)
class _Line:
    """One source line, measured."""

    number: int
    """1-based line number."""
    indent: int
    """Columns of leading white space, tabs expanded."""
    text: str
    """The line without indentation and without its bullet, if any."""
    bullet: bool
    """Whether the line starts a list item."""
    ordinal: int | None
    """The item's number for numbered items; None for bullets and prose."""


@dataclass(slots=True)
class _Paragraph:
    """Lines of item text that are joined into one paragraph."""

    lines: list[str]


@dataclass(slots=True)
class _Item:
    """A list item while the tree is being built."""

    line: _Line
    """The item's bullet line."""
    parts: list[_Paragraph | _Item] = field(default_factory=list)
    """Paragraphs and child items, in document order."""


@dataclass(slots=True)
class _Block:
    """A maximal run of top-level items: the future table."""

    items: list[_Item] = field(default_factory=list)


def read_text(document: Document, report: Reporter) -> Parsed:
    """Every bullet list in a plain-text document, one raw table per list."""
    limits = Limits(report)
    lines = [_measure(number, raw) for number, raw in enumerate(document.text.split("\n"), 1)]
    tables = [_table(block, lines, report) for block in _ListBuilder.build(lines, limits)]
    return Parsed(limits.bound([table for table in tables if table.rows]), title=_title(lines))


def _measure(number: int, raw: str) -> _Line:
    expanded = raw.expandtabs(TAB_SIZE)
    content = expanded.lstrip()
    indent = len(expanded) - len(content)
    match = _BULLET.match(content)
    if match is None:
        # A line that starts with a code ("404 Not Found", "200 :ok") is an item of a list of
        # codes, bullet or not.
        coded = _CODE_LINE.match(content) is not None
        return _Line(number, indent, content.rstrip(), bullet=coded, ordinal=None)
    ordinal = int(match.group(1)) if match.group(1) else None
    return _Line(number, indent, content[match.end() :].rstrip(), bullet=True, ordinal=ordinal)


class _ListBuilder:
    """Groups lines into list blocks of item trees; prose lines are dropped."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.blocks: list[_Block] = []
        self.open: list[_Item] = []
        """The chain of items from the current top-level item down to the latest one."""
        self.after_blank = False
        self.left_out_from: int | None = None
        """The indentation of an item nested too deep: lines indented this far are left out."""

    @classmethod
    def build(cls, lines: list[_Line], limits: Limits) -> list[_Block]:
        """The list blocks of `lines`, in document order."""
        builder = cls(limits)
        for line in lines:
            builder.feed(line)
        return builder.blocks

    def feed(self, line: _Line) -> None:
        """Take the next line."""
        if not line.text and not line.bullet:
            self.after_blank = bool(self.open)
            return
        if self.left_out_from is not None and line.indent >= self.left_out_from:
            self.after_blank = False
            return
        self.left_out_from = None
        if line.bullet:
            self._bullet(line)
        else:
            self._prose(line)
        self.after_blank = False

    def _bullet(self, line: _Line) -> None:
        if self.open and self.after_blank and line.indent < self.open[0].line.indent:
            self.open.clear()
        if not self.open:
            self.blocks.append(_Block())
        self._close_to(line.indent)
        if len(self.open) >= MAX_NESTING:
            self.limits.too_deep(line.number, "text.too-deep", "list items")
            self.left_out_from = line.indent
            return
        item = _Item(line, [_Paragraph([line.text])])
        if self.open:
            self.open[-1].parts.append(item)
        else:
            self.blocks[-1].items.append(item)
        self.open.append(item)

    def _prose(self, line: _Line) -> None:
        self._close_to(line.indent)
        if not self.open:
            return
        parts = self.open[-1].parts
        if self.after_blank or not isinstance(parts[-1], _Paragraph):
            parts.append(_Paragraph([line.text]))
        else:
            parts[-1].lines.append(line.text)

    def _close_to(self, indent: int) -> None:
        """Close the items whose bullet is not shallower than `indent`."""
        while self.open and self.open[-1].line.indent >= indent:
            self.open.pop()


def _table(block: _Block, lines: list[_Line], report: Reporter) -> RawTable:
    rows: list[RawRow] = []
    # One row past the limit is enough for `Limits.bound` to report the rest.
    for item in islice(block.items, MAX_ROWS + 1):
        cell = rich(_blocks(item.parts))
        if cell:
            rows.append(RawRow(cells=[cell], line=item.line.number))
        else:
            report.info(item.line.number, "text.empty-item", "Skipped a list item with no text.")
    first = block.items[0].line.number
    return RawTable(
        header=None,
        rows=rows,
        line=first,
        context=_heading_above(lines, first - 1),
        notes=[_NOTE],
    )


def _blocks(parts: list[_Paragraph | _Item]) -> list[Block | None]:
    """Rich-text blocks of an item: its paragraphs, and its children as lists."""
    blocks: list[Block | None] = []
    for kind, group in groupby(parts, key=_kind):
        if kind == "paragraph":
            paras = (part for part in group if isinstance(part, _Paragraph))
            blocks.extend(paragraph([Text(" ".join(part.lines))]) for part in paras)
            continue
        items = [item for item in group if isinstance(item, _Item)]
        entries = tuple(ListItem(rich(_blocks(item.parts)).blocks) for item in items)
        if kind == "ordered":
            blocks.append(OrderedList(entries, start=items[0].line.ordinal or 1))
        else:
            blocks.append(BulletList(entries))
    return blocks


def _kind(part: _Paragraph | _Item) -> str:
    if isinstance(part, _Paragraph):
        return "paragraph"
    return "bullet" if part.line.ordinal is None else "ordered"


def _heading_above(lines: list[_Line], index: int) -> str | None:
    """The heading that directly precedes the line at `index`, past blank lines only."""
    index -= 1
    while index >= 0 and not lines[index].text and not lines[index].bullet:
        index -= 1
    if index < 0 or lines[index].bullet:
        return None
    if _UNDERLINE.fullmatch(lines[index].text):
        above = lines[index - 1] if index > 0 else None
        return _heading_text(above.text) if above and not above.bullet else None
    return _heading_text(lines[index].text)


def _title(lines: list[_Line]) -> str | None:
    first = next((line for line in lines if line.text or line.bullet), None)
    return _heading_text(first.text) if first and not first.bullet else None


def _heading_text(text: str) -> str | None:
    """`text` without `#` marks when it reads as a heading rather than a sentence or rule."""
    text = " ".join(_ATX_MARKS.sub("", text).split())
    if len(text) > _HEADING_MAX or text.endswith(_SENTENCE_END):
        return None
    return text if any(char.isalnum() for char in text) else None
