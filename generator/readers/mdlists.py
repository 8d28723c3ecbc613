"""Lists and paragraph runs of codes in Markdown, read as tables of one column.

Many documents list their status codes without a table: a bullet or numbered
list whose items start with a code ("- `200 OK`: the request succeeded", with
nested bullets for more), or one paragraph per code.  Each such list, or run
of paragraphs, becomes a raw table with one cell per item, as the plain-text
reader makes of bullet lists; the tables stage then reads the code and its
name from the item's first line, the rest as description and action.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from markdown_it.token import Token

from ..codes import SERIES
from ..richtext import (
    EMPTY,
    Block,
    BulletList,
    Code,
    Inline,
    ListItem,
    OrderedList,
    RichText,
    paragraph,
    rich,
)
from .base import NOTE_LIST, RawRow, RawTable, lists_codes, starts_with_code

InlineReader = Callable[[Token], list[Inline]]
"""Turns an inline token into rich inlines (the Markdown reader's own converter)."""

_LIST_OPEN = {"bullet_list_open": "bullet_list_close", "ordered_list_open": "ordered_list_close"}
_NOTE_TABS = "its items' fields are separated by tabs: a column each"
_NOTE_BOLD = "synthesised from bold paragraphs that start with a code, and the text below each"
_CLASS_TITLE = re.compile(r"[1-5][xX]{2}\b")
_NOTE_DEFINITIONS = "synthesised from a definition list: one row per term"
_NOTE_HEADINGS = "synthesised from sections whose headings start with a code"
_NOTE_PARAGRAPHS = "synthesised from paragraphs that each start with a code"
# A list or run of paragraphs with fewer items starting with a code is not a list of codes.
_MIN_ITEMS = 2
# Lines above the codes in one paragraph that are taken for its title (and column names).
_TITLE_LINES = 2


def list_table(
    tokens: Sequence[Token], start: int, inlines: InlineReader, context: str | None
) -> tuple[RawTable | None, int]:
    """The list opening at `start` as a table when most of its items start with a code.

    Returns the table (or None) and the index just past the list.
    """
    content, end = _blocks(tokens, start + 1, _LIST_OPEN[tokens[start].type], inlines)
    items = [item for block in content if isinstance(block, BulletList) for item in block.items]
    lines = _item_lines(tokens, start, end)
    rows = [RawRow([rich(item.blocks)], line) for item, line in zip(items, lines, strict=False)]
    if not lists_codes(rows):
        return None, end + 1
    notes = [NOTE_LIST]
    split = _tab_columns(tokens, start, end, items, inlines)
    if split is not None and len(split) == len(rows):
        rows = [RawRow(cells, row.line) for cells, row in zip(split, rows, strict=True)]
        notes.append(_NOTE_TABS)
    return RawTable(None, rows, rows[0].line, context, notes=notes), end + 1


def _tab_columns(
    tokens: Sequence[Token], start: int, end: int, items: list[ListItem], inlines: InlineReader
) -> list[list[RichText]] | None:
    """The items as rows of cells when the first line of each is fields separated by tabs.

    "- 200<TAB>OK<TAB>Data successfully acquired" is a table row written as a
    list item.  Every item must have the same number of fields; what follows the
    first line stays in the last cell.
    """
    level = tokens[start].level + 3  # list item, paragraph, inline
    firsts: list[Token] = []
    for index in range(start, end):
        token = tokens[index]
        if token.type == "list_item_open" and token.level == tokens[start].level + 1:
            inline = tokens[index + 2] if index + 2 < end else None
            if inline is None or inline.type != "inline" or inline.level != level:
                return None
            firsts.append(inline)
    fields = [_tab_fields(_lines(inline)[0]) if inline.children else [] for inline in firsts]
    widths = {len(row) for row in fields}
    if len(widths) != 1 or min(widths) < 2 or len(fields) != len(items):
        return None
    rows = []
    for row_fields, inline, item in zip(fields, firsts, items, strict=True):
        cells = [rich([paragraph(inlines(field))]) for field in row_fields]
        later = _lines(inline)[1:]
        tail = [paragraph(inlines(line)) for line in later] + list(item.blocks[1:])
        cells[-1] = rich([*cells[-1].blocks, *tail])
        rows.append(cells)
    return rows


def _tab_fields(line: Token) -> list[Token]:
    """A line's inline token split at runs of tabs outside any markup, one token a field."""
    groups: list[list[Token]] = [[]]
    depth = 0
    for child in line.children or []:
        if child.type == "text" and depth == 0 and "\t" in child.content.strip():
            parts = re.split(r"\t+", child.content)
            for number, part in enumerate(parts):
                if number:
                    groups.append([])
                if part:
                    groups[-1].append(Token("text", "", 0, content=part))
            continue
        depth += child.nesting
        groups[-1].append(child)
    fields = [group for group in groups if "".join(c.content for c in group).strip()]
    return [
        Token("inline", "", 0, children=group, content="".join(c.content for c in group))
        for group in fields
    ]


def paragraph_run(
    tokens: Sequence[Token], start: int, inlines: InlineReader, context: str | None
) -> tuple[RawTable | None, int]:
    """Consecutive top-level paragraphs from `start` that each start with a code, as a table.

    A paragraph whose every line starts with a code ("400 Bad Request" on one
    line, "401 Unauthorized" on the next) gives a row per line.
    """
    rows: list[RawRow] = []
    caption: str | None = None
    index = start
    while index + 2 < len(tokens) and tokens[index].type == "paragraph_open":
        first = (tokens[index].map or [0])[0] + 1
        lines = _lines(tokens[index + 1])
        coded = [n for n, line in enumerate(lines) if starts_with_code(line.content)]
        if tokens[index].level != 0 or not coded:
            break
        if len(lines) > 1 and coded == list(range(len(lines) - len(coded), len(lines))):
            # Every line a code, or a title and column names above them: a row per line.
            if 0 < coded[0] <= _TITLE_LINES and not rows:
                caption = " ".join(line.content for line in lines[: coded[0]])
            elif coded[0] > 0:
                break
            rows += [RawRow([rich([paragraph(inlines(lines[n]))])], first + n) for n in coded]
        elif coded[0] == 0:
            rows.append(RawRow([rich([paragraph(inlines(tokens[index + 1]))])], first))
        else:
            break
        index += 3
    if len(rows) < _MIN_ITEMS + 1:
        return None, start + 1
    return RawTable(None, rows, rows[0].line, context, caption, [_NOTE_PARAGRAPHS]), index


def heading_run(
    tokens: Sequence[Token], start: int, inlines: InlineReader, context: str | None
) -> tuple[RawTable | None, int]:
    """Sibling sections whose headings start with a code ("### 404 Not Found" and its text)."""
    tag = tokens[start].tag
    rows: list[RawRow] = []
    index = start
    while (
        index + 1 < len(tokens)
        and tokens[index].type == "heading_open"
        and tokens[index].tag == tag
        and starts_with_code(tokens[index + 1].content)
        and not SERIES.match(tokens[index + 1].content.strip("#*_` "))  # "## 200系": a class
        # "# Service 101: HTTP status codes" over a table: a section that holds a table is
        # the table's heading, not one code's entry (its rows would be read as one cell).
        and not _holds_table(tokens, index + 3, lambda token, _: _ends_section(token, tag))
    ):
        line = (tokens[index].map or [0])[0] + 1
        title = paragraph(inlines(tokens[index + 1]))
        body, index = _blocks(tokens, index + 3, lambda t, _: _ends_section(t, tag), inlines)
        rows.append(RawRow([rich([title, *body])], line))
    if not rows:  # a lone section is a table too; the evidence (a sibling run) decides
        return None, start + 1
    return RawTable(None, rows, rows[0].line, context, notes=[_NOTE_HEADINGS]), index


def definition_table(
    tokens: Sequence[Token], start: int, inlines: InlineReader, context: str | None
) -> tuple[RawTable | None, int]:
    """A definition list (`404 Not Found` / `: No such page.`) whose terms start with codes,
    as a table of term and definition."""
    level = tokens[start].level + 1
    rows: list[RawRow] = []
    index = start + 1
    while index < len(tokens) and tokens[index].type != "dl_close":
        token = tokens[index]
        if token.type == "dt_open" and token.level == level:
            line = (token.map or [0])[0] + 1
            rows.append(RawRow([rich([paragraph(inlines(tokens[index + 1]))]), EMPTY], line))
            index += 3
        elif token.type == "dd_open" and token.level == level:
            body, index = _blocks(tokens, index + 1, "dd_close", inlines)
            if rows:
                said = rows[-1].cells[1]
                rows[-1].cells[1] = rich([*said.blocks, *body])
            index += 1
        else:
            index += 1
    if not lists_codes(rows):
        return None, start + 1
    return RawTable(None, rows, rows[0].line, context, notes=[_NOTE_DEFINITIONS]), index + 1


def bold_run(
    tokens: Sequence[Token], start: int, inlines: InlineReader, context: str | None
) -> tuple[RawTable | None, int]:
    """Paragraphs of bold text that start with a code, each with the blocks below it.

    `**402 Import Limit Reached**` on a line of its own, a paragraph under it:
    a heading in all but markup.  The run goes on through the next such
    paragraphs, and ends at a heading.
    """
    rows: list[RawRow] = []
    index = start

    def ends(token: Token, at: int) -> bool:
        return token.type == "heading_open" or _is_bold_title(tokens, at)

    while (
        index + 1 < len(tokens)
        and _is_bold_title(tokens, index, first=not rows)
        and not _holds_table(tokens, index + 3, ends)  # a bold title over a table heads it
    ):
        line = (tokens[index].map or [0])[0] + 1
        title = paragraph(inlines(tokens[index + 1]))
        body, index = _blocks(tokens, index + 3, ends, inlines)
        rows.append(RawRow([rich([title, *body])], line))
    if not rows:
        return None, start + 1
    return RawTable(None, rows, rows[0].line, context, notes=[_NOTE_BOLD]), index


def _is_bold_title(tokens: Sequence[Token], index: int, first: bool = False) -> bool:
    """A top-level paragraph that is one run of bold text starting with a code (or, past
    the `first` of a run, with a class: `**5xx Errors**`, reported as such)."""
    if tokens[index].type != "paragraph_open" or tokens[index].level != 0:
        return False
    children = tokens[index + 1].children or [] if index + 1 < len(tokens) else []
    children = [c for c in children if c.type != "text" or c.content.strip()]
    if (
        len(children) < 3
        or children[0].type != "strong_open"
        or children[-1].type != "strong_close"
    ):
        return False
    depth = 0
    for child in children[:-1]:
        depth += child.nesting
        if depth == 0:
            return False  # the bold run closes before the paragraph ends
    text = tokens[index + 1].content.strip("*_ ")
    return starts_with_code(text) or (not first and _CLASS_TITLE.match(text) is not None)


def _holds_table(tokens: Sequence[Token], index: int, ends: Callable[[Token, int], bool]) -> bool:
    """Whether the section whose body starts at `index` (and `ends` ends) holds a table."""
    while index < len(tokens) and not ends(tokens[index], index):
        token = tokens[index]
        if token.type == "table_open" or (
            token.type == "html_block" and "<table" in token.content.lower()
        ):
            return True
        index += 1
    return False


def _ends_section(token: Token, tag: str) -> bool:
    """A heading of the same or a higher level than `tag` ends the section."""
    return token.type == "heading_open" and token.tag <= tag


def _lines(inline: Token) -> list[Token]:
    """An inline token split at its line breaks, one inline token a line."""
    groups: list[list[Token]] = [[]]
    for child in inline.children or []:
        if child.type in ("softbreak", "hardbreak"):
            groups.append([])
        else:
            groups[-1].append(child)
    return [
        Token("inline", "", 0, children=group, content="".join(c.content for c in group))
        for group in groups
        if group
    ]


def _item_lines(tokens: Sequence[Token], start: int, end: int) -> list[int]:
    """The 1-based line of each top-level item of the list opening at `start`."""
    level = tokens[start].level + 1
    return [
        (token.map or [0])[0] + 1
        for token in tokens[start:end]
        if token.type == "list_item_open" and token.level == level
    ]


def _blocks(
    tokens: Sequence[Token],
    index: int,
    close: str | Callable[[Token, int], bool],
    inlines: InlineReader,
) -> tuple[list[Block], int]:
    """Rich blocks from `index` up to the token of type `close` (or that `close` accepts)."""
    done = close if callable(close) else (lambda token, _: token.type == close)
    blocks: list[Block | None] = []
    while index < len(tokens) and not done(tokens[index], index):
        token = tokens[index]
        if token.type == "list_item_open":
            item, index = _blocks(tokens, index + 1, "list_item_close", inlines)
            blocks.append(BulletList((ListItem(tuple(item)),)))
        elif token.type in _LIST_OPEN:
            inner, index = _blocks(tokens, index + 1, _LIST_OPEN[token.type], inlines)
            blocks.append(_as_list(token, inner))
        elif token.type == "inline":
            blocks.append(paragraph(inlines(token)))
        elif token.type in ("fence", "code_block") and token.content.strip():
            blocks.append(paragraph([Code(" ".join(token.content.split()))]))
        index += 1
    return [block for block in blocks if block is not None], index


def _as_list(opening: Token, content: list[Block]) -> BulletList | OrderedList:
    """The items `_blocks` wrapped one by one, joined back into the list they are."""
    items = tuple(
        item for block in content if isinstance(block, BulletList) for item in block.items
    )
    if opening.type == "ordered_list_open":
        start = opening.attrGet("start")
        return OrderedList(items, int(start) if isinstance(start, int | str) else 1)
    return BulletList(items)
