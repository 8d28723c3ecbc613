"""Reads Markdown: pipe tables and raw HTML tables, cells as rich text.

Markdown is parsed the way MyST parses it, with markdown-it-py's CommonMark
preset plus pipe tables.  Raw HTML tables go to the HTML reader.  CommonMark
ends a raw HTML block at a blank line, so an HTML table with blank lines
between its rows arrives as several `html_block` tokens; they are joined back
into one fragment before parsing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import unescape

from markdown_it import MarkdownIt
from markdown_it.token import Token

from generator.diagnostics import Reporter
from generator.readers.base import Document, Parsed, RawRow, RawTable
from generator.readers.html import tables_from_html
from generator.richtext import (
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

_MARKDOWN = MarkdownIt("commonmark").enable("table")
_HTML_TABLE = re.compile(r"<table\b", re.IGNORECASE)
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
    tokens = _MARKDOWN.parse(document.text)
    tables: list[RawTable] = []
    context: str | None = None
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open":
            context = _inline_text(tokens[index + 1])
        elif token.type == "table_open":
            tables.append(_pipe_table(tokens, index, context))
        elif token.type == "html_block":
            end = _html_run_end(tokens, index)
            fragment, first_line = _html_fragment(tokens[index:end])
            if _HTML_TABLE.search(fragment):
                tables.extend(tables_from_html(fragment, first_line, context, report))
            index = end
            continue
        index += 1
    return Parsed(tables, _title(tokens))


def _title(tokens: Sequence[Token]) -> str | None:
    """The first level-1 heading, else the first heading of any level."""
    headings = [
        (token.tag, _inline_text(tokens[index + 1]))
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


# Pipe tables.


def _pipe_table(tokens: Sequence[Token], start: int, context: str | None) -> RawTable:
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
        elif token.type == "inline":
            cells[-1] = rich([paragraph(_inlines(token.children or []))])
        elif token.type == "tr_close" and header is None:
            header = [" ".join(cell.plain.split()) for cell in cells]
        elif token.type == "tr_close":
            rows.append(RawRow(cells, row_line))
    return RawTable(header=header, rows=rows, line=_line(tokens[start]), context=context)


def _inline_text(token: Token) -> str:
    return " ".join(text_of(normalize_inlines(_inlines(token.children or []))).split())


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


def _inlines(tokens: Sequence[Token]) -> list[Inline]:
    """Inline tokens as rich inlines; spans left open at the end are closed there."""
    stack = [_Span("root")]
    for token in tokens:
        _take(token, stack)
    while len(stack) > 1:
        _close(stack, stack[-1].kind)
    return stack[0].children


def _take(token: Token, stack: list[_Span]) -> None:
    """Add one inline token to the innermost open span, or open or close a span."""
    children = stack[-1].children
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
        _take_html(token.content, stack)
    elif token.type in _OPENING:
        stack.append(_Span(_OPENING[token.type], str(token.attrs.get("href", ""))))
    elif token.type in _CLOSING:
        _close(stack, _CLOSING[token.type])


def _take_html(tag: str, stack: list[_Span]) -> None:
    """Apply one inline HTML tag: open or close a span, or break the line."""
    match = _HTML_TAG.fullmatch(tag.strip())
    if match is None:  # a comment or declaration: not content
        return
    closing, name, attributes = match.group(1) == "/", match.group(2).lower(), match.group(3)
    kind = _HTML_KINDS.get(name)
    if name == "br":  # `</br>` too, as HTML parsers read it
        stack[-1].children.append(LineBreak())
    elif kind is not None and closing:
        _close(stack, kind)
    elif kind is not None and not attributes.rstrip().endswith("/"):
        href = _HREF.search(attributes)
        url = unescape(next(group for group in href.groups() if group is not None)) if href else ""
        stack.append(_Span(kind, url.strip()))


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
