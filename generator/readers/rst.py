"""Read reStructuredText with docutils and hand on every table in it.

Parsing (tolerant of Sphinx's roles and directives, with file insertion and
raw output disabled) is in `rst_docutils`; this module turns the doctree's
tables into raw tables and their cells into rich text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

from docutils import nodes

from ..diagnostics import Reporter
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
    from_plain,
    normalize_inlines,
    paragraph,
    rich,
    text_of,
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
from .rst_docutils import parse_rst, room_to_nest

if TYPE_CHECKING:
    pass

_N = TypeVar("_N", bound=nodes.Element)
_SPACE_RUN = re.compile(r"\s+")


def read_rst(document: Document, report: Reporter) -> Parsed:
    """Every table in a reStructuredText document; syntax problems go to `report`."""
    limits = Limits(report)
    with room_to_nest():  # the walks below go as deep as docutils went
        tree = parse_rst(document, limits)
        first_section = next(iter(tree.findall(nodes.section)), None)
        tables: list[RawTable] = []
        kinds = nodes.table | nodes.field_list | nodes.bullet_list | nodes.enumerated_list
        taken: set[int] = set()
        for node in tree.findall(lambda node: isinstance(node, kinds)):
            if isinstance(node, nodes.table):
                tables.append(_raw_table(node))
            elif isinstance(node, nodes.field_list) and (fields := _field_table(node)):
                tables.append(fields)
            elif isinstance(node, nodes.bullet_list | nodes.enumerated_list):
                if _inside(node, taken) or _in_table(node):
                    continue
                if (listed := _list_table(node)) is not None:
                    taken.add(id(node))
                    tables.append(listed)
        return Parsed(tables=limits.bound(tables), title=_section_title(first_section))


# A field named after a code: `:statuscode 404:` (sphinxcontrib-httpdomain), `:404:`.
_CODE_FIELD = re.compile(r"(?:(?:status(?:\s*code)?|code)\s+)?(\d{3})", re.IGNORECASE)
_NOTE_FIELDS = "read from a field list whose fields are named after codes"


def _list_table(listing: nodes.bullet_list | nodes.enumerated_list) -> RawTable | None:
    """A list whose items start with a code (``201 Created``: …), as a table of one column.

    Any other list is None, and the lists inside its items are looked at on their own.
    """
    items = _children(listing, nodes.list_item)
    rows = [RawRow([_rich(item)], _first_line(item) or 0) for item in items]
    if not lists_codes(rows):
        return None
    line = rows[0].line or _first_line(listing) or 1
    return RawTable(
        None,
        [replace(row, line=row.line or line) for row in rows],
        line,
        _section_title(_enclosing_section(listing)),
        notes=[NOTE_LIST],
        lead_in=_lead_in(listing),
    )


def _inside(node: nodes.Node, taken: set[int]) -> bool:
    """Whether `node` is inside a list already read as a table."""
    parent = node.parent
    while parent is not None:
        if id(parent) in taken:
            return True
        parent = parent.parent
    return False


def _in_table(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.table):
            return True
        parent = parent.parent
    return False


def _field_table(fields: nodes.field_list) -> RawTable | None:
    """A field list of codes (`:statuscode 400: the request is malformed`) as a table.

    Its other fields (`:param id:`, `:reqheader Accept:`) are not rows of it.
    """
    rows = []
    for field in _children(fields, nodes.field):
        name = _child(field, nodes.field_name)
        body = _child(field, nodes.field_body)
        match = _CODE_FIELD.fullmatch(_plain(name).strip()) if name is not None else None
        if match is None or body is None:
            continue
        line = _first_line(field) or _first_line(fields) or 1
        rows.append(RawRow([from_plain(match[1]), _rich(body)], line))
    if not rows:
        return None
    return RawTable(
        header=["Status code", "Description"],
        rows=rows,
        line=rows[0].line,
        context=_section_title(_enclosing_section(fields)),
        notes=[_NOTE_FIELDS],
    )


def _raw_table(table: nodes.table) -> RawTable:
    """One docutils table, with spans expanded into a rectangular grid."""
    group = _child(table, nodes.tgroup)
    width = int(group["cols"]) if group else 0
    head = _grid(_child(group, nodes.thead), width)
    body = _grid(_child(group, nodes.tbody), width)
    # The title's or first cell's line; a grid table with no text at all still has its
    # closing border's line, and a table with no line at all gets its section's start.
    line = _first_line(table) or (table.parent and _first_line(table.parent)) or 1
    title = _child(table, nodes.title)
    # With several header rows the last, with row spans copied down, names each column.
    return RawTable(
        header=[" ".join(cell.plain.split()) for cell in head[-1].cells] if head else None,
        rows=[RawRow(row.cells, row.line or line, row.spanned) for row in body],
        line=line,
        context=_section_title(_enclosing_section(table)),
        caption=_plain(title) if title else None,
        lead_in=_lead_in(table),
    )


def _lead_in(table: nodes.Element) -> str | None:
    """The paragraph just before the table (or before the directive that holds it)."""
    node: nodes.Node = table
    while node.parent is not None and not isinstance(node.parent, nodes.section | nodes.document):
        if node.parent.index(node) > 0:
            break
        node = node.parent
    parent = node.parent
    if parent is None or parent.index(node) == 0:
        return None
    before = parent[parent.index(node) - 1]
    return lead_in_of(before.astext()) if isinstance(before, nodes.paragraph) else None


def _grid(part: nodes.Element | None, width: int) -> list[RawRow]:
    """The rows of a thead or tbody; `line` is 0 where no node of the row has one."""
    grid = SpanGrid()
    rows = []
    for row in _children(part, nodes.row):
        spans = (
            (_rich(entry), int(entry.get("morerows", 0)), int(entry.get("morecols", 0)) + 1)
            for entry in _children(row, nodes.entry)
        )
        cells, spanned = grid.row(spans)
        size = max(width, max(cells, default=-1) + 1)
        grid_cells = [cells.get(index, EMPTY) for index in range(size)]
        rows.append(RawRow(grid_cells, _first_line(row) or 0, spanned))
    return rows


def _first_line(node: nodes.Node) -> int | None:
    # Rows and entries carry no line themselves; the paragraphs inside them do.
    return min((found.line for found in node.findall() if found.line), default=None)


def _child(parent: nodes.Element | None, kind: type[_N]) -> _N | None:
    return next(iter(_children(parent, kind)), None)


def _children(parent: nodes.Element | None, kind: type[_N]) -> list[_N]:
    return [] if parent is None else [c for c in parent.children if isinstance(c, kind)]


def _enclosing_section(node: nodes.Node) -> nodes.section | None:
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.section):
        parent = parent.parent
    return parent


def _section_title(section: nodes.section | None) -> str | None:
    title = _child(section, nodes.title)
    return _plain(title) if title else None


def _plain(node: nodes.Element) -> str:
    return text_of(normalize_inlines(_inlines(node.children)))


def _rich(element: nodes.Element) -> RichText:
    return rich(_blocks(element.children))


def _blocks(children: Iterable[nodes.Node]) -> Iterator[Block | None]:
    """Cell content as blocks; containers such as notes and quotes are flattened."""
    for node in children:
        if isinstance(node, nodes.system_message | nodes.Invisible):
            continue
        if isinstance(node, nodes.bullet_list | nodes.enumerated_list):
            yield _list(node)
        elif isinstance(node, nodes.literal_block | nodes.doctest_block | nodes.math_block):
            yield paragraph([Code(node.astext())])
        elif isinstance(node, nodes.line_block):
            yield paragraph(_lines(node))
        elif isinstance(node, nodes.TextElement):
            yield paragraph(_inlines(node.children))
        elif isinstance(node, nodes.Text):
            yield paragraph([Text(node.astext())])
        elif isinstance(node, nodes.Element):
            yield from _blocks(node.children)


def _list(node: nodes.bullet_list | nodes.enumerated_list) -> BulletList | OrderedList:
    items = tuple(ListItem(_rich(item).blocks) for item in _children(node, nodes.list_item))
    if isinstance(node, nodes.bullet_list):
        return BulletList(items)
    return OrderedList(items, int(node.get("start", 1)))


def _lines(block: nodes.line_block) -> Iterator[Inline]:
    """The lines of a line block, nested ones included, split by hard breaks."""
    for index, line in enumerate(block.findall(nodes.line)):
        if index:
            yield LineBreak()
        yield from _inlines(line.children)


def _inlines(children: Iterable[nodes.Node]) -> Iterator[Inline]:
    """Inline content; markup docutils could not read keeps its text, never its markup."""
    for node in children:
        if isinstance(node, nodes.Text):
            yield Text(node.astext())
        elif isinstance(node, nodes.literal):
            yield Code(_SPACE_RUN.sub(" ", node.astext()))
        elif isinstance(node, nodes.emphasis):
            yield Emphasis(tuple(_inlines(node.children)))
        elif isinstance(node, nodes.strong):
            yield Strong(tuple(_inlines(node.children)))
        elif isinstance(node, nodes.reference) and node.get("refuri"):
            yield Link(tuple(_inlines(node.children)), str(node["refuri"]))
        elif isinstance(node, nodes.Element) and not isinstance(node, nodes.system_message):
            yield from _inlines(node.children)
