"""Reads HTML: every `<table>` of a page or fragment, each cell as rich text.

Parsing uses html5lib, a real HTML5 parser, so malformed markup (`</br>`, an
unclosed `<li>`) is repaired the way a browser repairs it.  The Markdown reader
reuses `tables_from_html` for the raw HTML blocks a Markdown file embeds.

html5lib scans its stack of open elements for nearly every tag, so deep
nesting makes it quadratic: 100,000 nested `<div>`s took minutes.  Its
tokenizer is therefore replaced by `_DepthGate`, which holds back whatever
would be nested deeper than `MAX_NESTING`, so the parser never sees it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element

import html5lib
from html5lib._tokenizer import HTMLTokenizer
from html5lib.constants import tokenTypes, voidElements

from ..diagnostics import Reporter
from ..limits import MAX_NESTING
from ..richtext import (
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
from .base import (
    NOTE_LIST,
    Document,
    Limits,
    Parsed,
    RawRow,
    RawTable,
    SpanGrid,
    lead_in_of,
    lists_codes,
)

if TYPE_CHECKING:
    from html5lib._tokenizer import _Token

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

_START_TAG, _END_TAG = tokenTypes["StartTag"], tokenTypes["EndTag"]
# Elements a start tag never leaves open, html5lib's list and the ones it also treats so.
_VOID = frozenset(voidElements) | {"basefont", "bgsound", "frame", "image", "keygen", "wbr"}
# Elements whose content html5lib's parser has the tokenizer read as text, and in which state.
_TEXT_STATES = {
    "script": "scriptDataState", "style": "rawtextState", "xmp": "rawtextState",
    "iframe": "rawtextState", "noembed": "rawtextState", "noframes": "rawtextState",
    "textarea": "rcdataState", "title": "rcdataState", "plaintext": "plaintextState",
}  # fmt: skip

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


class _BoundedParser(html5lib.HTMLParser):
    """html5lib's parser with `_DepthGate` for a tokenizer and line stamps on its elements."""

    def __init__(self, limits: Limits, line_offset: int) -> None:
        super().__init__(tree=_LineStampingTreeBuilder, namespaceHTMLElements=False)
        self.tree.parser = self
        self.limits = limits
        self.line_offset = line_offset
        """Lines of the file above the parsed text, for diagnostics."""

    def _parse(
        self,
        stream: str,
        innerHTML: bool = False,
        container: Any = None,
        scripting: bool = False,
        **kwargs: Any,
    ) -> None:
        # html5lib's own `_parse` with another tokenizer.  It retries after a
        # `_ReparseException`, which only a byte stream declaring another
        # encoding raises; the stream here is always text.
        self.innerHTMLMode = innerHTML
        self.container = container
        self.scripting = scripting
        self.tokenizer = _DepthGate(stream, parser=self, **kwargs)
        self.reset()
        self.mainLoop()


class _DepthGate(HTMLTokenizer):
    """html5lib's tokenizer, holding back start tags that would nest deeper than MAX_NESTING.

    The parser's own stack is measured before each start tag is passed on, so
    an element it closes without an end tag (`<li>`, `<p>`, `<td>`) never
    counts as nesting.  A start tag at the limit is held back with everything
    up to its end tag: an end tag for an element outside the held ones ends the
    hold and passes on, so the rows after a too-deep cell are still read.
    """

    parser: _BoundedParser

    def __iter__(self) -> Iterator[_Token]:
        held = _Held()
        for token in super().__iter__():
            if held or self._too_deep(token):
                if self._hold(token, held):
                    yield token
            else:
                yield token

    def _too_deep(self, token: _Token) -> bool:
        """Whether `token` opens an element below MAX_NESTING open ones; reports it once."""
        if token["type"] != _START_TAG or token["name"] in _VOID:
            return False
        tree = self.parser.tree
        # Reconstructing formatting elements (`<b>` closed by a `</p>`) can reopen
        # every one of them at once, so they count as open too.
        if len(tree.openElements) + len(tree.activeFormattingElements) < MAX_NESTING:
            return False
        line = self.stream.position()[0] + self.parser.line_offset
        self.parser.limits.too_deep(line, "html.too-deep", "elements")
        return True

    def _hold(self, token: _Token, held: _Held) -> bool:
        """Hold `token` back, noting what it opens or closes; True when it must pass after all."""
        name = token.get("name", "")
        if token["type"] == _START_TAG and name not in _VOID:
            if not token.get("selfClosing"):
                held.open(name)
            self._read_content(name)
        elif token["type"] == _END_TAG and name not in _VOID and not held.close(name):
            held.clear()  # it closes an element the parser has: the hold is over
            return True
        return False

    def _read_content(self, name: str) -> None:
        # What html5lib's parser would do for this start tag, had it seen it, so
        # that a `</td>` inside a held-back `<script>` stays text.
        state = _TEXT_STATES.get(name)
        if state is not None:
            self.state = getattr(self, state)


class _Held:
    """The held-back elements still open, innermost last; each step is quick however many."""

    def __init__(self) -> None:
        self._names: list[str] = []
        self._counts: Counter[str] = Counter()

    def __bool__(self) -> bool:
        return bool(self._names)

    def open(self, name: str) -> None:
        """An element opened inside the held ones."""
        self._names.append(name)
        self._counts[name] += 1

    def close(self, name: str) -> bool:
        """Close the innermost held `name` and what it holds; False when none is held."""
        if not self._counts[name]:
            return False
        while (innermost := self._names.pop()) != name:
            self._counts[innermost] -= 1
        self._counts[name] -= 1
        return True

    def clear(self) -> None:
        """Forget every held element."""
        self._names.clear()
        self._counts.clear()


def read_html(document: Document, report: Reporter) -> Parsed:
    """Every table of an HTML page, titled by its first `<h1>` or else its `<title>`."""
    limits = Limits(report)
    root = _parse(document.text, limits, 0)
    return Parsed(limits.bound(_tables_in(root, 0, None, limits)), _title(root))


def tables_from_html(
    html: str,
    first_line: int,
    context: str | None,
    report: Reporter,
    limits: Limits | None = None,
) -> list[RawTable]:
    """Every table of an HTML fragment that starts on `first_line` of its file.

    `context` is the heading above the fragment; a heading inside the fragment
    replaces it for the tables after that heading.  `limits` are the calling
    reader's, which bounds the whole document; without them the fragment is
    bounded on its own.
    """
    on_its_own = limits is None
    limits = limits or Limits(report)
    tables = _tables_in(_parse(html, limits, first_line - 1), first_line - 1, context, limits)
    return limits.bound(tables) if on_its_own else tables


def rich_text(element: Element) -> RichText:
    """The content of `element` as rich text, its blocks and lists kept apart as a browser would."""
    return rich(_blocks(_pieces(element)))


def _parse(html: str, limits: Limits, line_offset: int) -> Element:
    root: Element = _BoundedParser(limits, line_offset).parse(html)
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


def _tables_in(root: Element, offset: int, context: str | None, limits: Limits) -> list[RawTable]:
    tables = []
    lead: str | None = None
    for element in _landmarks(root):
        if element.tag in ("table", "dl") or element.tag in _LISTS:
            table = (
                _table(element, offset, context, limits)
                if element.tag == "table"
                else _list_table(element, offset, context)
            )
            if table is not None:
                table.lead_in = lead
                tables.append(table)
            elif element.tag != "table":
                # "<li>2xx<ul><li>200 OK</li>…": the lists of codes inside a list.
                tables.extend(_tables_in(element, offset, context, limits))
            lead = None
        elif element.tag == "p":
            lead = lead_in_of(_plain(element))
        else:
            context, lead = _plain(element) or context, None
    return tables


def _landmarks(element: Element) -> Iterator[Element]:
    """Headings, paragraphs, outermost tables and lists in document order; tables and lists
    inside them stay their content."""
    for child in element:
        if child.tag in ("table", "p", "dl") or child.tag in _HEADINGS or child.tag in _LISTS:
            yield child
        elif isinstance(child.tag, str) and child.tag not in _DROPPED:
            yield from _landmarks(child)


def _table(element: Element, offset: int, context: str | None, limits: Limits) -> RawTable:
    """One `<table>` as a rectangular raw table; `offset` turns its lines into file lines.

    Spans and padding can make far more cells than the markup has, so rows are
    taken only while the table, padded to its widest row, fits in the cells
    the document has left.
    """
    line = (_line(element) or 1) + offset
    head: list[RawRow] = []
    body: list[RawRow] = []
    cells = limits.table()
    for is_head, row in _rows(element, offset, line, limits.cells_left):
        if not cells.admit(row):
            break
        (head if is_head else body).append(row)
    else:
        if not body:  # a table cut by the limit is not empty, only not read
            limits.report.info(line, "table.empty", "this table has no body rows")
    for row in head + body:
        row.cells.extend([EMPTY] * (cells.width - len(row.cells)))
    return RawTable(
        # The header row nearest the body names the columns; rows above it group them.
        header=[" ".join(cell.plain.split()) for cell in head[-1].cells] if head else None,
        rows=body,
        line=line,
        context=context,
        caption=_caption(element),
    )


def _list_table(element: Element, offset: int, context: str | None) -> RawTable | None:
    """A list whose items start with a code, as a table of one column; a definition list
    whose terms are codes, as a table of term and definition.  Any other list is None."""
    default = (_line(element) or 1) + offset
    rows: list[RawRow] = []
    if element.tag == "dl":
        for child in element:
            if child.tag == "dt":
                line = (_line(child) or default - offset) + offset
                rows.append(RawRow([rich_text(child), EMPTY], line))
            elif child.tag == "dd" and rows:
                said = rows[-1].cells[1]
                rows[-1].cells[1] = RichText(said.blocks + rich_text(child).blocks)
    else:
        for child in element:
            if child.tag == "li":
                line = (_line(child) or default - offset) + offset
                rows.append(RawRow([rich(_blocks(_pieces(child)))], line))
    if not lists_codes(rows):
        return None
    note = "synthesised from a definition list" if element.tag == "dl" else NOTE_LIST
    return RawTable(None, rows, rows[0].line, context, notes=[note])


def _caption(table: Element) -> str | None:
    caption = table.find("caption")
    return (_plain(caption) or None) if caption is not None else None


def _rows(table: Element, offset: int, line: int, room: int) -> Iterator[tuple[bool, RawRow]]:
    """The table's rows, each marked whether it is a header row.

    A row is cut at one cell wider than `room`: that is enough to tell it does not fit.
    """
    for is_head, rows in _row_groups(table):
        for row in _grid(rows, offset, line, room + 1):
            yield is_head, row


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


def _grid(rows: list[Element], offset: int, default_line: int, room: int) -> Iterator[RawRow]:
    """Rows with spans expanded: a row span repeats its cell below, a column span adds empties.

    No row grows wider than `room` cells.
    """
    grid = SpanGrid()
    for index, row in enumerate(rows):
        spans = (
            (
                rich_text(cell),
                _span(cell, "rowspan", len(rows) - index, _MAX_ROWSPAN) - 1,
                _span(cell, "colspan", 1, _MAX_COLSPAN),
            )
            for cell in _cells(row)
        )
        cells, spanned = grid.row(spans, room)
        width = max(cells, default=-1) + 1
        line = _line(row)
        yield RawRow(
            [cells.get(i, EMPTY) for i in range(width)],
            default_line if line is None else line + offset,
            spanned,
        )


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
