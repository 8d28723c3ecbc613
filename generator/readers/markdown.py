"""Reads Markdown: pipe tables and raw HTML tables, cells as rich text.

Markdown is parsed the way MyST parses it, with markdown-it-py's CommonMark
preset plus pipe tables.  Raw HTML tables go to the HTML reader.  CommonMark
ends a raw HTML block at a blank line, so an HTML table with blank lines
between its rows arrives as several `html_block` tokens; they are joined back
into one fragment before parsing.

No document makes markdown-it do unbounded work: blocks nested past 20
levels are passed over and reported; emphasis nested past `MAX_NESTING` is
read as plain text; the pipe-table rule, which fills each short row out to
the header's width, is handed only as many rows as fit in the document's
cells; and its search for the `]` of each `[` has a budget of steps for the
whole document.
"""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import unescape

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock, table
from markdown_it.rules_block.table import MAX_AUTOCOMPLETED_CELLS
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin

from ..diagnostics import Reporter
from ..limits import MAX_NESTING
from ..richtext import (
    EMPTY,
    Code,
    Emphasis,
    Inline,
    LineBreak,
    Link,
    RichText,
    Strong,
    Text,
    normalize_inlines,
    paragraph,
    rich,
    text_of,
)
from .base import Document, Limits, Parsed, RawRow, RawTable, lead_in_of
from .fenced import json_table
from .frontmatter import strip_front_matter
from .html import tables_from_html
from .mdlists import (
    bold_run,
    definition_table,
    heading_run,
    list_table,
    paragraph_run,
)

# Definition lists as MyST's `deflist` extension, Pandoc and MkDocs write them.
_MARKDOWN = MarkdownIt("commonmark").enable("table").use(deflist_plugin)
# Blocks nested deeper than this are not read: the CommonMark preset's 20,
# which MyST keeps too, so that this reader reads what Sphinx shows.
_MAX_LEVEL: int = min(MAX_NESTING, _MARKDOWN.options.maxNesting)
# At the limit markdown-it would skip to the end of the document from a list
# item; `_too_deep` skips just the block instead, so markdown-it's own check
# must never come first.
_MARKDOWN.options.maxNesting = _MAX_LEVEL + 1
_LIMITS = "statusdocs.limits"
"""The key of the document's `Limits` in markdown-it's `env`."""
_SEARCH = "statusdocs.label-search"
"""The key of the document's `_LabelSearch` in markdown-it's `env`."""
_HTML_TABLE = re.compile(r"<table\b", re.IGNORECASE)
_LIST_STARTS = {
    "bullet_list_open": list_table,
    "ordered_list_open": list_table,
    "paragraph_open": paragraph_run,
    "dl_open": definition_table,
}
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_OPENING = {"em_open": "em", "strong_open": "strong", "link_open": "link"}
_CLOSING = {"em_close": "em", "strong_close": "strong", "link_close": "link"}
# Inline HTML tags that carry meaning; any other tag (<span>, <small>) is transparent.
_HTML_KINDS = {
    "b": "strong", "strong": "strong", "i": "em", "em": "em", "a": "link",
    "code": "code", "samp": "code", "kbd": "code", "tt": "code",
}  # fmt: skip


def read_markdown(document: Document, report: Reporter) -> Parsed:
    """Every pipe table and raw HTML table of a Markdown document, in document order."""
    limits = Limits(report)
    text, meta_title = strip_front_matter(document.text)
    search = _LabelSearch.for_text(text)
    env = {_LIMITS: limits, _SEARCH: search}
    tokens = _recover(_MARKDOWN.parse(text, env), text.split("\n"), env, report)
    search.check(tokens, limits)
    walk = _Walk(report, limits)
    index = 0
    while index < len(tokens):
        index = walk.step(tokens, index)
    return Parsed(limits.bound(walk.tables), meta_title or _title(tokens, limits))


@dataclass(slots=True)
class _Walk:
    """The walk over a document's blocks: the tables found, and what stands above the next."""

    report: Reporter
    limits: Limits
    tables: list[RawTable] = field(default_factory=list)
    context: str | None = None
    """The nearest heading above."""
    lead: str | None = None
    """The paragraph just above, which may lead into a table."""

    def inlines(self, token: Token) -> list[Inline]:
        return _inlines(token, self.limits)

    def step(self, tokens: list[Token], index: int) -> int:
        """Read the block at `index`; the index of the next."""
        found = len(self.tables)
        following = self._read(tokens, index)
        for new in self.tables[found:]:
            new.lead_in = new.lead_in or self.lead
        if len(self.tables) > found:
            self.lead = None
        return following

    def _read(self, tokens: list[Token], index: int) -> int:
        token = tokens[index]
        context = self.context
        if token.type == "heading_open":
            self.lead = None
            found, end = heading_run(tokens, index, self.inlines, context)
            if found is not None:
                self.tables.append(found)
                return end
            self.context = _inline_text(tokens[index + 1], self.limits)
        elif token.type == "table_open":
            self.tables.append(_pipe_table(tokens, index, context, self.limits))
        elif token.type in _LIST_STARTS and (token.level == 0 or token.type != "paragraph_open"):
            # A list of codes is a table; any other list is walked for the tables and lists
            # of codes inside it ("- 2xx" with the 2xx codes listed under it).  A paragraph
            # may start a run of bold titles with text below them, or of paragraphs of codes.
            found, end = bold_run(tokens, index, self.inlines, context)
            if found is None:
                found, end = _LIST_STARTS[token.type](tokens, index, self.inlines, context)
            if found is not None:
                self.tables.append(found)
                return end
            if token.type == "paragraph_open":
                self.lead = lead_in_of(_inline_text(tokens[index + 1], self.limits))
        elif token.type == "fence":
            data = json_table(token, context)
            if data is not None:
                self.tables.append(data)
            else:
                self.lead = None
        elif token.type == "html_block":
            end = _html_run_end(tokens, index)
            fragment, first_line = _html_fragment(tokens[index:end])
            if _HTML_TABLE.search(fragment):
                found_html = tables_from_html(
                    fragment, first_line, context, self.report, self.limits
                )
                self.tables.extend(found_html)
            return end
        elif token.level == 0 and token.nesting >= 0:
            self.lead = None  # another block stands between a paragraph and a table
        return index + 1


def _recover(
    tokens: list[Token], lines: list[str], env: dict[str, object], report: Reporter
) -> list[Token]:
    """Tokens with the blocks a strict parser misreads put back as their author meant them.

    - An indented code block that is a list or table of codes: a list indented
      four spaces under its heading is still a list to whoever wrote it.
    - A paragraph of pipe rows whose delimiter row has the wrong number of
      cells: GFM shows it as text, every reader sees a table.

    Each is read again from its own lines, with a warning, and nothing else moves.
    """
    recovered: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        replaced = None
        if token.level == 0 and token.map is not None:
            if token.type == "code_block":
                replaced = _indented_list(token, env, report)
            elif token.type == "paragraph_open" and index + 1 < len(tokens):
                replaced = _loose_pipe_table(token, lines, env, report)
        if replaced is None:
            recovered.append(token)
            index += 1
            continue
        recovered.extend(replaced)
        # Past the code block, or the paragraph's open, inline and close tokens.
        index += 1 if token.type == "code_block" else 3
    return recovered


# A line that starts a list item, a pipe row or a code.
_LIST_LIKE = re.compile(r"\s*(?:[-*+]\s|\d{1,9}[.)]\s|\||[`*_]*\d{3}(?!\d))")
# A line of such a block that starts (after its list marker or pipe) with a code or a class.
_CODE_LINE = re.compile(
    r"\s*(?:[-*+]\s+|\d{1,9}[.)]\s+|\|\s*)?[`*_]*(?:[1-5]\d\d(?!\d)|[1-5][xX]{2}\b)"
)
_DELIMITER_ROW = re.compile(r"\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*")


def _indented_list(token: Token, env: dict[str, object], report: Reporter) -> list[Token] | None:
    """An indented code block whose lines are a list or table of codes, parsed as Markdown."""
    content = textwrap.dedent(token.content)
    lines = [line for line in content.split("\n") if line.strip()]
    if not lines or not _LIST_LIKE.match(lines[0]):
        return None
    # A code sample that happens to start with "- " is left as code: most of the list's
    # lines must start with a code, as a list of codes does.
    items = [line for line in lines if _LIST_LIKE.match(line)]
    if sum(bool(_CODE_LINE.match(line)) for line in items) * 2 < len(items):
        return None
    start = (token.map or [0])[0]
    report.warning(
        start + 1,
        "markdown.indented-list",
        "a list or table indented as a code block (4 spaces or more) is read as a list",
    )
    return _parse_at(content, start, env)


def _loose_pipe_table(
    token: Token, lines: list[str], env: dict[str, object], report: Reporter
) -> list[Token] | None:
    """A paragraph of pipe rows whose delimiter row does not match its header row."""
    start, end = token.map or (0, 0)
    block = lines[start:end]
    if len(block) < 3 or not all(line.count("|") >= 2 for line in block):
        return None
    if not _DELIMITER_ROW.fullmatch(block[1]) or "-" not in block[1]:
        return None
    header, delimiter = _pipe_cells(block[0]), _pipe_cells(block[1])
    if len(header) == len(delimiter):
        return None
    report.warning(
        start + 2,
        "markdown.delimiter-row",
        f"the delimiter row has {len(delimiter)} cells for {len(header)} header cells, "
        "so Markdown shows the table as text; read as a table",
    )
    fixed = "|" + "---|" * len(header)
    return _parse_at("\n".join([block[0], fixed, *block[2:]]), start, env)


def _pipe_cells(line: str) -> list[str]:
    """The cells of a pipe-table line, outer pipes optional."""
    text = line.strip()
    text = text[1:] if text.startswith("|") else text
    text = text[:-1] if text.endswith("|") and not text.endswith("\\|") else text
    return re.split(r"(?<!\\)\|", text)


def _parse_at(text: str, first_line: int, env: dict[str, object]) -> list[Token]:
    """`text` parsed as Markdown, its line numbers those of the document it came from."""
    tokens = _MARKDOWN.parse(text, env)
    for token in tokens:
        if token.map is not None:
            token.map = [token.map[0] + first_line, token.map[1] + first_line]
    return tokens


def _title(tokens: Sequence[Token], limits: Limits) -> str | None:
    """The first level-1 heading, else the first heading of any level."""
    headings = [
        (token.tag, _inline_text(tokens[index + 1], limits))
        for index, token in enumerate(tokens)
        if token.type == "heading_open"
    ]
    for tag, text in headings:
        if tag == "h1":
            return text
    return headings[0][1] if headings else None


def _line(token: Token) -> int:
    # Block tokens always carry a map; inline ones never reach here.
    return token.map[0] + 1 if token.map else 1


# Nesting.


def _too_deep(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A block rule for blocks nested past the limit: their lines are passed over, and reported."""
    if silent or state.level < _MAX_LEVEL:
        return False
    line = start
    while line < end and (state.isEmpty(line) or state.sCount[line] >= state.blkIndent):
        line += 1
    state.line = line
    limits = state.env.get(_LIMITS)
    if isinstance(limits, Limits):
        limits.too_deep(start + 1, "markdown.too-deep", "blocks", _MAX_LEVEL)
    return True


_MARKDOWN.block.ruler.before("table", "statusdocs_too_deep", _too_deep)


# Pipe tables.


def _bounded_table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it's pipe-table rule, handed only as many rows as fit in the document's cells.

    The rule fills every short row out to the header's width, so that a
    `|a|` line under a wide header makes as many cells as the header has.
    """
    limits = state.env.get(_LIMITS)
    if not isinstance(limits, Limits) or start + 1 >= end:
        return table(state, start, end, silent)
    width = _delimiter_width(state, start + 1)
    rows = limits.rows_fitting(width)  # the header row included
    if rows < 1:
        if not silent:
            limits.too_many_cells(start + 1)
        return False
    capped = min(end, start + 1 + rows)  # the delimiter row, below the header, has no cells
    found = table(state, start, capped, silent)
    if found and not silent:
        rows = state.line - start - 1
        limits.cells_left -= width * rows
        if state.line < end and "|" in _source_line(state, state.line):
            _report_cut_table(state.line, state.line == capped, width * rows, limits)
    return found


def _report_cut_table(line: int, capped: bool, cells: int, limits: Limits) -> None:
    """Say why a pipe table followed by another row (0-based `line`) ended there, if a limit did."""
    if capped:
        limits.too_many_cells(line + 1)
    elif cells > MAX_AUTOCOMPLETED_CELLS:
        # markdown-it's own limit, which it applies without a word.
        message = (
            f"this table fills out more than {MAX_AUTOCOMPLETED_CELLS:,} cells of short rows;"
            " markdown-it reads no further rows"
        )
        limits.once(line + 1, "table.too-many-cells", message)


def _delimiter_width(state: StateBlock, line: int) -> int:
    """The cells of a pipe table's delimiter row (`|---|:-:|`), which every row is filled out to."""
    return len(_source_line(state, line).strip().strip("|").split("|"))


def _source_line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def _inline_unless_empty(state: StateCore) -> None:
    """markdown-it's core `inline` rule, passing over the empty cells a pipe table filled out."""
    for token in state.tokens:
        if token.type == "inline":
            if token.children is None:
                token.children = []
            if token.content:
                state.md.inline.parse(token.content, state.md, state.env, token.children)


# Registered as markdown-it registers its own: a table may interrupt a paragraph.
_MARKDOWN.block.ruler.at("table", _bounded_table, {"alt": ["paragraph", "reference"]})
_MARKDOWN.core.ruler.at("inline", _inline_unless_empty)


# Link labels.


@dataclass(slots=True)
class _LabelSearch:
    """How many more steps markdown-it may take looking for the `]` of a `[`, in one document.

    It searches from each `[`, nested links inside it too, twenty levels deep:
    a megabyte of `![![![…` took 16 seconds, where real text, links and stray
    `[` alike, takes less than three steps a character.
    """

    left: int
    """Steps that may still be taken."""
    stopped_in: str | None = None
    """The paragraph source where the budget ran out, to report its line."""

    @classmethod
    def for_text(cls, text: str) -> _LabelSearch:
        """The budget for a document: four steps a character, and room for small ones."""
        return cls(4 * len(text) + 100_000)

    def check(self, tokens: Sequence[Token], limits: Limits) -> None:
        """Report, once, the paragraph where searching stopped."""
        if self.stopped_in is None:
            return
        found = (t for t in tokens if t.type == "inline" and t.content is self.stopped_in)
        line = next((_line(token) for token in found), None)
        message = "too many `[` without their `]`; from here on, `[` starts no link"
        limits.once(line, "markdown.too-many-brackets", message)


def _bounded_steps(skip_token: Callable[[StateInline], None]) -> Callable[[StateInline], None]:
    """markdown-it's `skipToken`, the step of its search for a `]`, within the `_LabelSearch`."""

    def bounded(state: StateInline) -> None:
        search = state.env.get(_SEARCH)
        if not isinstance(search, _LabelSearch):
            skip_token(state)
        elif search.left > 0:
            search.left -= 1
            skip_token(state)
        else:
            # What markdown-it does past its nesting limit: the search ends, no `]` found.
            search.stopped_in = search.stopped_in or state.src
            state.pos = state.posMax

    return bounded


# An attribute of this one parser instance, which takes the place of the method.
_MARKDOWN.inline.skipToken = _bounded_steps(_MARKDOWN.inline.skipToken)  # type: ignore[method-assign,assignment]


def _pipe_table(
    tokens: Sequence[Token], start: int, context: str | None, limits: Limits
) -> RawTable:
    """The pipe table whose `table_open` token is at `start`; its first row is the header."""
    header: list[str] | None = None
    rows: list[RawRow] = []
    cells: list[RichText] = []
    row_line = _line(tokens[start])
    for token in tokens[start + 1 :]:
        if token.type == "table_close":
            break
        if token.type == "tr_open":
            cells, row_line = [], _line(token)
        elif token.type in ("th_open", "td_open"):
            cells.append(EMPTY)
        elif token.type == "inline" and token.children:  # filled-out cells have none
            cells[-1] = rich([paragraph(_inlines(token, limits))])
        elif token.type == "tr_close" and header is None:
            header = [" ".join(cell.plain.split()) for cell in cells]
        elif token.type == "tr_close":
            rows.append(RawRow(cells, row_line))
    return RawTable(header=header, rows=rows, line=_line(tokens[start]), context=context)


def _inline_text(token: Token, limits: Limits) -> str:
    return " ".join(text_of(normalize_inlines(_inlines(token, limits))).split())


# Raw HTML blocks.


def _html_run_end(tokens: Sequence[Token], start: int) -> int:
    end = start
    while end < len(tokens) and tokens[end].type == "html_block":
        end += 1
    return end


def _html_fragment(blocks: Sequence[Token]) -> tuple[str, int]:
    """The blocks' HTML as one fragment and its first line, each block on its own lines.

    The gaps between blocks are filled with blank lines rather than copied
    from the source, so that blocks inside a list or block quote come without
    the source's indentation and `>` markers, yet keep their line numbers.
    """
    first = _line(blocks[0])
    lines: list[str] = []
    for block in blocks:
        lines.extend([""] * (_line(block) - first - len(lines)))
        lines.extend(block.content.removesuffix("\n").split("\n"))
    return "\n".join(lines), first


# Inline content.


@dataclass(slots=True)
class _Span:
    """An open emphasis, strong, link or code span while its content is collected."""

    kind: str
    url: str = ""
    children: list[Inline] = field(default_factory=list)


class _Spans:
    """The open spans while inline content is collected, innermost last.

    A span opened deeper than MAX_NESTING is not opened: its text goes to the
    innermost open span, and its closing markup only counts it off.
    """

    def __init__(self, limits: Limits, line: int) -> None:
        self.stack = [_Span("root")]
        self.deeper: Counter[str] = Counter()
        """Spans past the limit that are still open, by kind."""
        self.limits = limits
        self.line = line

    @property
    def children(self) -> list[Inline]:
        """The content of the innermost open span."""
        return self.stack[-1].children

    def open(self, span: _Span) -> None:
        """Open `span` inside the innermost one, unless that is too deep."""
        if len(self.stack) <= MAX_NESTING:
            self.stack.append(span)
            return
        self.deeper[span.kind] += 1
        message = f"inline markup nested deeper than {MAX_NESTING}; the markup inside is left out"
        self.limits.once(self.line, "markdown.too-deep", message)

    def close(self, kind: str) -> None:
        """Close the innermost open span of `kind`, the ones past the limit first."""
        if self.deeper[kind]:
            self.deeper[kind] -= 1
        else:
            _close(self.stack, kind)

    def finish(self) -> list[Inline]:
        """Close every span still open; the content of them all."""
        while len(self.stack) > 1:
            _close(self.stack, self.stack[-1].kind)
        return self.stack[0].children


def _inlines(inline: Token, limits: Limits) -> list[Inline]:
    """An inline token's content as rich inlines; spans left open at the end are closed there."""
    spans = _Spans(limits, _line(inline))
    for token in inline.children or []:
        _take(token, spans)
    return spans.finish()


def _take(token: Token, spans: _Spans) -> None:
    """Add one inline token to the innermost open span, or open or close a span."""
    children = spans.children
    if token.type == "text":
        children.append(Text(token.content))
    elif token.type == "code_inline":
        children.append(Code(token.content))
    elif token.type == "softbreak":
        children.append(Text(" "))
    elif token.type == "hardbreak":
        children.append(LineBreak())
    elif token.type == "image":
        children.append(Text(token.content))
    elif token.type == "html_inline":
        _take_html(token.content, spans)
    elif token.type in _OPENING:
        spans.open(_Span(_OPENING[token.type], str(token.attrs.get("href", ""))))
    elif token.type in _CLOSING:
        spans.close(_CLOSING[token.type])


def _take_html(tag: str, spans: _Spans) -> None:
    """Apply one inline HTML tag: open or close a span, or break the line."""
    match = _HTML_TAG.fullmatch(tag.strip())
    if match is None:  # a comment or declaration: not content
        return
    closing, name, attributes = match.group(1) == "/", match.group(2).lower(), match.group(3)
    kind = _HTML_KINDS.get(name)
    if name == "br":  # `</br>` too, as HTML parsers read it
        spans.children.append(LineBreak())
    elif kind is not None and closing:
        spans.close(kind)
    elif kind is not None and not attributes.rstrip().endswith("/"):
        href = _HREF.search(attributes)
        url = unescape(next(group for group in href.groups() if group is not None)) if href else ""
        spans.open(_Span(kind, url.strip()))


def _close(stack: list[_Span], kind: str) -> None:
    """Close the innermost open span of `kind` and any opened inside it; else do nothing."""
    depth = next((i for i in range(len(stack) - 1, 0, -1) if stack[i].kind == kind), None)
    while depth is not None and len(stack) > depth:
        span = stack.pop()
        stack[-1].children.extend(_finish(span))


def _finish(span: _Span) -> list[Inline]:
    if span.kind == "em":
        return [Emphasis(tuple(span.children))]
    if span.kind == "strong":
        return [Strong(tuple(span.children))]
    if span.kind == "link" and span.url:
        return [Link(tuple(span.children or [Text(span.url)]), span.url)]
    if span.kind == "code":
        code = " ".join(text_of(span.children).split())
        return [Code(code)] if code else []
    return span.children
