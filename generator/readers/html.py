"""Reads HTML: every `<table>` of a page or fragment, each cell as rich text.

Parsing uses html5lib, a real HTML5 parser, so malformed markup (`</br>`, an
unclosed `<li>`) is repaired the way a browser repairs it.  The Markdown reader
reuses `tables_from_html` for the raw HTML blocks a Markdown file embeds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any
from xml.etree.ElementTree import Element

import html5lib

from generator.diagnostics import Reporter
from generator.readers.base import Document, Parsed, RawRow, RawTable
from generator.richtext import (
    EMPTY,
    Block,
    BulletList,
    Code,
    Emphasis,
    Inline,
    LineBreak,
    Link,
    ListItem,
    OrderedList,
    RichText,
    Strong,
    Text,
    paragraph,
    rich,
)

LINE_ATTRIBUTE = "data-statusdocs-line"
"""Attribute stamped on every parsed element: the 1-based line of its start tag."""

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_LISTS = frozenset({"ul", "ol", "menu", "dir"})
_BLOCKS = _HEADINGS | {
    "p", "div", "section", "article", "aside", "header", "footer", "nav", "main",
    "blockquote", "pre", "address", "figure", "figcaption", "details", "summary",
    "dl", "dt", "dd", "hr", "li", "center", "form", "fieldset", "legend",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th",
}  # fmt: skip
_DROPPED = frozenset({"script", "style", "template", "noscript", "head"})
_CODE = frozenset({"code", "samp", "kbd", "tt"})
_INTEGER = re.compile(r"\s*([+-]?\d+)")
_MAX_COLSPAN = 1000  # the limits the HTML standard's table model applies
_MAX_ROWSPAN = 65534

_Piece = str | Element
_EtreeTreeBuilder: Any = html5lib.treebuilders.getTreeBuilder("etree")


class _LineStampingTreeBuilder(_EtreeTreeBuilder):  # type: ignore[misc]
    """An etree builder that records where each element starts, which etree cannot."""

    parser: html5lib.HTMLParser | None = None

    def insertElementNormal(self, token: dict[str, Any]) -> Any:
        return self._stamp(super().insertElementNormal(token))

    def insertElementTable(self, token: dict[str, Any]) -> Any:
        return self._stamp(super().insertElementTable(token))

    def _stamp(self, node: Any) -> Any:
        if self.parser is not None:
            line = self.parser.tokenizer.stream.position()[0]
            node._element.attrib.setdefault(LINE_ATTRIBUTE, str(line))
        return node


def read_html(document: Document, report: Reporter) -> Parsed:
    """Every table of an HTML page, titled by its first `<h1>` or else its `<title>`."""
    root = _parse(document.text)
    return Parsed(_tables_in(root, 0, None, report), _title(root))


def tables_from_html(
    html: str, first_line: int, context: str | None, report: Reporter
) -> list[RawTable]:
    """Every table of an HTML fragment that starts on `first_line` of its file.

    `context` is the heading above the fragment; a heading inside the fragment
    replaces it for the tables after that heading.
    """
    return _tables_in(_parse(html), first_line - 1, context, report)


def rich_text(element: Element) -> RichText:
    """The content of `element` as rich text, its blocks and lists kept apart as a browser would."""
    return rich(_blocks(_pieces(element)))


def _parse(html: str) -> Element:
    parser = html5lib.HTMLParser(tree=_LineStampingTreeBuilder, namespaceHTMLElements=False)
    parser.tree.parser = parser
    root: Element = parser.parse(html)
    return root


def _title(root: Element) -> str | None:
    for path in (".//h1", ".//title"):
        element = root.find(path)
        if element is not None and (title := _plain(element)):
            return title
    return None


def _plain(element: Element) -> str:
    return " ".join(rich_text(element).plain.split())


def _line(element: Element) -> int | None:
    value = element.get(LINE_ATTRIBUTE)
    return int(value) if value is not None else None


# Tables and their grid of cells.


def _tables_in(root: Element, offset: int, context: str | None, report: Reporter) -> list[RawTable]:
    tables = []
    for element in _landmarks(root):
        if element.tag == "table":
            tables.append(_table(element, offset, context, report))
        else:
            context = _plain(element) or context
    return tables


def _landmarks(element: Element) -> Iterator[Element]:
    """Headings and outermost tables in document order; tables inside tables stay cell content."""
    for child in element:
        if child.tag == "table" or child.tag in _HEADINGS:
            yield child
        elif isinstance(child.tag, str) and child.tag not in _DROPPED:
            yield from _landmarks(child)


def _table(element: Element, offset: int, context: str | None, report: Reporter) -> RawTable:
    """One `<table>` as a rectangular raw table; `offset` turns its lines into file lines."""
    line = (_line(element) or 1) + offset
    head: list[RawRow] = []
    body: list[RawRow] = []
    for is_head, rows in _row_groups(element):
        (head if is_head else body).extend(_grid(rows, offset, line))
    width = max((len(row.cells) for row in head + body), default=0)
    for row in head + body:
        row.cells.extend([EMPTY] * (width - len(row.cells)))
    if not body:
        report.info(line, "table.empty", "this table has no body rows")
    return RawTable(
        # The header row nearest the body names the columns; rows above it group them.
        header=[" ".join(cell.plain.split()) for cell in head[-1].cells] if head else None,
        rows=body,
        line=line,
        context=context,
        caption=_caption(element),
    )


def _caption(table: Element) -> str | None:
    caption = table.find("caption")
    return (_plain(caption) or None) if caption is not None else None


def _row_groups(table: Element) -> list[tuple[bool, list[Element]]]:
    """The table's rows as (is header, rows) groups; row spans never cross groups."""
    groups: list[tuple[bool, list[Element]]] = []
    for child in table:
        if child.tag in ("thead", "tbody", "tfoot"):
            groups.append((child.tag == "thead", [row for row in child if row.tag == "tr"]))
        elif child.tag == "tr":
            groups.append((False, [child]))
    if any(is_head for is_head, _ in groups) or not groups or not groups[0][1]:
        return groups
    first, *rest = groups[0][1]
    if all(cell.tag == "th" for cell in _cells(first)):
        return [(True, [first]), (False, rest), *groups[1:]]
    return groups


def _cells(row: Element) -> list[Element]:
    return [cell for cell in row if cell.tag in ("td", "th")]


def _grid(rows: list[Element], offset: int, default_line: int) -> list[RawRow]:
    """Rows with spans expanded: a row span repeats its cell below, a column span adds empties."""
    carried: dict[int, tuple[RichText, int]] = {}  # column -> (content, rows it still covers)
    grid = []
    for index, row in enumerate(rows):
        cells = {column: content for column, (content, _) in carried.items()}
        spanned = set(cells)
        carried = {column: (content, left - 1) for column, (content, left) in carried.items()}
        column = 0
        for cell in _cells(row):
            while column in cells:
                column += 1
            rowspan = _span(cell, "rowspan", len(rows) - index, _MAX_ROWSPAN)
            colspan = _span(cell, "colspan", 1, _MAX_COLSPAN)
            content = rich_text(cell)
            for extra in range(colspan):
                if column + extra not in cells:  # overlapping spans: the earlier cell wins
                    cells[column + extra] = EMPTY if extra else content
                    carried[column + extra] = (cells[column + extra], rowspan - 1)
            spanned.update(range(column + 1, column + colspan))
            column += colspan
        carried = {column: entry for column, entry in carried.items() if entry[1] > 0}
        width = max(cells, default=-1) + 1
        line = _line(row)
        grid.append(
            RawRow(
                [cells.get(i, EMPTY) for i in range(width)],
                default_line if line is None else line + offset,
                frozenset(spanned),
            )
        )
    return grid


def _span(cell: Element, name: str, whole_group: int, limit: int) -> int:
    """A span attribute as a browser reads it; a row span of 0 covers the rest of the group."""
    match = _INTEGER.match(cell.get(name, ""))
    value = int(match.group(1)) if match else 1
    if value == 0 and name == "rowspan":
        return whole_group
    return min(max(value, 1), limit)


# Cell content as rich text.


def _pieces(element: Element) -> Iterator[_Piece]:
    """The element's content in order: text runs and child elements (comments left out)."""
    if element.text:
        yield element.text
    for child in element:
        if isinstance(child.tag, str):
            yield child
        if child.tail:
            yield child.tail


def _blocks(pieces: Iterable[_Piece]) -> list[Block | None]:
    """Blocks from mixed content; inline runs between blocks become their own paragraphs."""
    blocks: list[Block | None] = []
    inlines: list[Inline] = []
    for piece in pieces:
        if isinstance(piece, str) or not _holds_blocks(piece):
            inlines.extend(_inlines(piece))
            continue
        blocks.append(paragraph(inlines))
        inlines = []
        if piece.tag in _LISTS:
            blocks.append(_list(piece))
        else:
            blocks.extend(_blocks(_pieces(piece)))
    blocks.append(paragraph(inlines))
    return blocks


def _holds_blocks(element: Element) -> bool:
    # An inline element wrapping a block (`<a><div>`) is treated as transparent.
    return any(node.tag in _BLOCKS or node.tag in _LISTS for node in element.iter())


def _list(element: Element) -> BulletList | OrderedList:
    """A `<ul>` or `<ol>` with its items; lists nested in items stay nested."""
    items: list[ListItem] = []
    stray: list[_Piece] = []
    for piece in _pieces(element):
        if isinstance(piece, str) or piece.tag != "li":
            stray.append(piece)
            continue
        items.extend(_items([stray, list(_pieces(piece))]))
        stray = []
    items.extend(_items([stray]))
    if element.tag != "ol":
        return BulletList(tuple(items))
    match = _INTEGER.match(element.get("start", ""))
    return OrderedList(tuple(items), int(match.group(1)) if match else 1)


def _items(contents: list[list[_Piece]]) -> Iterator[ListItem]:
    # Content a list holds outside any <li> still shows, so it becomes an item of its own.
    for content in contents:
        blocks = rich(_blocks(content)).blocks
        if blocks:
            yield ListItem(blocks)


def _inlines(piece: _Piece) -> list[Inline]:
    """Inline content of a text run or an element; unknown elements pass their content through."""
    if isinstance(piece, str):
        return [Text(piece)]
    tag = piece.tag
    if tag == "br":
        return [LineBreak()]
    if tag == "img":
        return [Text(piece.get("alt", ""))]
    if tag in _DROPPED:
        return []
    if tag in _CODE:
        code = " ".join("".join(piece.itertext()).split())
        return _with_edge_space(piece, Code(code)) if code else []
    children = [node for child in _pieces(piece) for node in _inlines(child)]
    if tag in ("b", "strong"):
        return _with_edge_space(piece, Strong(tuple(children)))
    if tag in ("i", "em"):
        return _with_edge_space(piece, Emphasis(tuple(children)))
    if tag == "a" and (url := piece.get("href", "").strip()):
        return _with_edge_space(piece, Link(tuple(children or [Text(url)]), url))
    return children


def _with_edge_space(element: Element, node: Inline) -> list[Inline]:
    """`node`, with the white space at the element's edges moved outside it.

    Normalizing trims the inside of a `Strong` or `Code`, so `<b>Note: </b>x`
    would otherwise lose the space before the x.
    """
    text = "".join(element.itertext())
    before = [Text(" ")] if text[:1].isspace() else []
    after = [Text(" ")] if text[-1:].isspace() else []
    return [*before, node, *after]
