"""Reading the content of single cells: the status code, and labelled sections.

Sources put a code in a cell alone ("404"), with its name ("200 OK",
"`404` Not Found", "404 StatusNotFound"), as a class ("4xx") or as a range
("500-511").  A description cell may carry a labelled block of client advice
("Suggested Action", "Suggested client recovery behavior:").  These functions
recognise those shapes whatever format the cell came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ..codes import CLASS, CODE, RANGE, SERIES, is_status
from ..registry import matches_registered
from ..richtext import (
    Block,
    BulletList,
    Emphasis,
    Inline,
    ListItem,
    OrderedList,
    Paragraph,
    RichText,
    Strong,
    Text,
    normalize_inlines,
    text_of,
)

CodeKind = Literal["code", "class", "range", "invalid", "empty"]

_QUOTES = "`'\"“”‘’*_[]()"
# A colon after a space and before a word is not a separator: "100 :continue" is a symbol.
_CODE = re.compile(r"(\d{3})(?!\d)(?:\s*(?:[-–—.,/|]|:(?![^\W\d_])|(?<=\d):)?\s*)(.*)", re.DOTALL)
# A word naming what the code is, written before it: "HTTP 404", "Status 200", "HTTP/1.1 500".
_PREFIX = re.compile(
    r"^(?:https?(?:/\d(?:\.\d)?)?|status(?:\s*code)?|error|code|statuscode|状态码|狀態碼)"
    r"\s*[:#：]?\s*(?=\d{3}(?!\d))",
    re.IGNORECASE,
)
# Several codes sharing one row: "401 & 403", "401, 403", "404/410", "502 or 503".
_JOINED = re.compile(
    r"(?P<first>\d{3})(?P<more>(?:\s*(?:,|&|/|\band\b|\bor\b|\bund\b|\bet\b|\by\b|或|和|、)"
    r"\s*\d{3}(?!\d))+)"
)
# A wiki or site macro whose first argument is a code: `{{HTTPStatus(404, "404 Not Found")}}`.
_MACRO = re.compile(
    r"^\{\{\s*[A-Za-z_][\w.:-]*\s*\(\s*[\"']?(?P<code>\d{3})[\"']?\s*"
    r"(?:,\s*(?:\"(?P<shown>[^\"]*)\"|'(?P<single>[^']*)'))?[^)}]*\)\s*\}\}"
)
_CODE_LAST = re.compile(
    r"(?P<name>[^\d\n]{1,60}?)[\s\-–—:(|]+(?P<code>\d{3})\)?(?:(?:\s*[:：\-–—]\s*|\s+)(?P<after>.*))?",
    re.DOTALL,
)
_BRACKETED = re.compile(r"\s*[(（](?P<name>[^()（）]{1,60})[)）](?P<after>.*)", re.DOTALL)
_LABEL = re.compile(r"^(?P<label>[^:：]{1,60})[:：]\s*(?P<rest>.*)$", re.DOTALL)

ACTION_WORDS = (
    "action",
    "actions",
    "solutions",
    "recovery",
    "retry",
    "what to do",
    "solution",
    "handling",
    "remedy",
    "建议",
    "处理",
    "解决",
    "措施",
    "maßnahme",
    "acción",
)


_SENTENCE_END = re.compile(r"[.!?。！？;；]")
# ASCII words must stand alone ("Transaction" holds "action"); other scripts have no spaces.
_ACTION_LABEL = re.compile(
    "|".join(rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(w) for w in ACTION_WORDS)
)


@dataclass(frozen=True, slots=True)
class CodeCell:
    """What the code cell of a row holds."""

    kind: CodeKind
    code: int | None = None
    """The status code, when `kind` is "code" (valid or not registered)."""
    rest: str = ""
    """Text after the code in the same cell, usually the name: "StatusNotFound"."""
    text: str = ""
    """The cell's first line as written, for diagnostics."""
    after: str = ""
    """Text after a name in brackets, "200(OK) : the request succeeded": a description."""
    also: tuple[int, ...] = ()
    """Further codes the row is written for: "401 & 403", "401, 403", "404/410"."""


def first_line(cell: RichText) -> str:
    """The text of a cell's first paragraph (or first list item), stripped."""
    for block in cell.blocks:
        if isinstance(block, Paragraph):
            return text_of(block.children).strip()
        for item in block.items:
            return first_line(RichText(item.blocks))
    return ""


def parse_code(cell: RichText) -> CodeCell:
    """Classify a code cell: a code with optional name, a class, a range, or something else."""
    text = first_line(cell)
    bare = _strip_marks(text).lstrip("#")
    if not bare:
        return CodeCell("empty", text=text)
    if RANGE.fullmatch(bare):
        return CodeCell("range", text=text)
    if CLASS.match(bare) or SERIES.match(bare):
        return CodeCell("class", text=text)
    bare = without_prefix(bare)
    joined = _JOINED.match(bare)
    also: tuple[int, ...] = ()
    if joined:  # "401 & 403 - Authentication failed": one row for each code
        also = tuple(int(c) for c in re.findall(r"\d{3}", joined["more"]) if is_status(int(c)))
        bare = joined["first"] + bare[joined.end() :]
    match = _CODE.match(bare)
    if match is None:
        return _phrase_then_code(bare, text)
    code = int(match[1])
    if not is_status(code):
        return CodeCell("invalid", code=code, text=text)
    bracketed = _BRACKETED.match(match[2])
    if bracketed:  # "200(OK) : the request succeeded"
        after = bracketed["after"].strip(" \t:：-–—")
        name = bracketed["name"].strip()
        return CodeCell("code", code=code, rest=name, text=text, after=after, also=also)
    return CodeCell("code", code=code, rest=_strip_marks(match[2]), text=text, also=also)


def _strip_marks(text: str) -> str:
    """`text` without the quotes, brackets and emphasis marks around it.

    A closing bracket that closes one opened inside the text stays: "No
    Content (empty body)" keeps its ")".
    """
    inner = text.strip(_QUOTES + " \t")
    tail = text.rstrip(" \t")[len(text) - len(text.lstrip(_QUOTES + " \t")) + len(inner) :]
    for opening, closing in ("()", "[]", "（）"):
        missing = inner.count(opening) - inner.count(closing)
        if missing > 0 and tail.startswith(closing * missing):
            inner += closing * missing
    return inner


def _phrase_then_code(bare: str, text: str) -> CodeCell:
    """ "Bad Request - 400", "OK (200)": a registered phrase written before its code."""
    match = _CODE_LAST.fullmatch(bare)
    if match and matches_registered(int(match["code"]), match["name"]):
        name, after = match["name"].strip(), (match["after"] or "").strip()
        return CodeCell("code", code=int(match["code"]), rest=name, text=text, after=after)
    return CodeCell("invalid", text=text)


def without_prefix(text: str) -> str:
    """`text` without a word naming the code before it ("HTTP 404" -> "404"), and a
    template macro that shows a code read as the text it shows
    (`{{HTTPStatus(404, "404 Not Found")}}` -> "404 Not Found")."""
    text = _MACRO.sub(lambda m: m["shown"] or m["single"] or m["code"], text, count=1)
    return _PREFIX.sub("", text, count=1)


def phrase_then_code(text: str) -> bool:
    """Whether `text` is a registered phrase followed by its code ("Not Found - 404")."""
    match = _CODE_LAST.fullmatch(text.strip(_QUOTES + " \t"))
    return match is not None and matches_registered(int(match["code"]), match["name"])


def looks_like_code(cell: RichText) -> bool:
    """Whether a cell starts with something meant as a status code (even a bad one)."""
    bare = without_prefix(first_line(cell).strip(_QUOTES + " \t"))
    return CODE.match(bare) is not None or CLASS.match(bare) is not None


def rest_after_code(cell: RichText) -> RichText:
    """The cell without its first paragraph: the blocks that follow the code line."""
    if cell.blocks and isinstance(cell.blocks[0], Paragraph):
        return RichText(cell.blocks[1:])
    return cell


@dataclass(frozen=True, slots=True)
class Sections:
    """A cell split into what it says the code means and what it tells a client to do."""

    description: RichText
    action: RichText


def split_action(cell: RichText) -> Sections:
    """Split off a labelled block of client advice ("Suggested Action: …") from a cell."""
    blocks = _unwrap_single_list(cell.blocks)
    for index, block in enumerate(blocks):
        found = _action_in_block(block)
        if found is not None:
            before = _as_description(blocks[:index])
            return Sections(before, _unwrap(found + tuple(blocks[index + 1 :])))
    return Sections(_as_description(blocks), RichText())


def _action_in_block(block: Block) -> tuple[Block, ...] | None:
    """The advice a block introduces when it is an action label, else None."""
    if isinstance(block, Paragraph):
        return _label_rest(block.children)
    if isinstance(block, BulletList | OrderedList) and len(block.items) == 1:
        return _action_in_item(block.items[0])
    return None


def _action_in_item(item: ListItem) -> tuple[Block, ...] | None:
    if not item.blocks or not isinstance(item.blocks[0], Paragraph):
        return None
    rest = _label_rest(item.blocks[0].children)
    return None if rest is None else rest + item.blocks[1:]


def _label_rest(inlines: tuple[Inline, ...]) -> tuple[Block, ...] | None:
    """For "Label: text" or a lone bold "Label", what follows the label; None if not a label."""
    text = text_of(inlines).strip()
    if _is_action_label(text.rstrip(":： ")) and (
        text.endswith((":", "：")) or all(isinstance(n, Strong | Emphasis) for n in inlines)
    ):
        return ()
    match = _LABEL.match(text)
    if match and _is_action_label(match["label"]) and len(match["label"].split()) <= 6:
        rest = normalize_inlines([Text(match["rest"])])
        return (Paragraph(rest),) if rest else ()
    return None


def _is_action_label(text: str) -> bool:
    """Whether a label names client advice; whole words only, so "Transaction:" is not one."""
    lowered = text.lower().strip()
    # A sentence before the colon ("The service is down. Action") is text, not a label.
    if _SENTENCE_END.search(lowered):
        return False
    return len(lowered.split()) <= 8 and _ACTION_LABEL.search(lowered) is not None


def _unwrap_single_list(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Treat a cell that is one list of sections (as bullet sources write it) as those sections."""
    if len(blocks) == 1 and isinstance(blocks[0], BulletList) and _has_label_item(blocks[0]):
        return tuple(BulletList((item,)) for item in blocks[0].items)
    return blocks


def _has_label_item(block: BulletList) -> bool:
    return any(_action_in_item(item) is not None for item in block.items)


def _as_description(blocks: tuple[Block, ...] | list[Block]) -> RichText:
    """Description blocks, with one-item lists (bullet-per-paragraph sources) merged back."""
    items: list[ListItem] = []
    others: list[Block] = []
    for block in blocks:
        if isinstance(block, BulletList) and not others:
            items.extend(block.items)
        else:
            others.append(block)
    if items and not others:
        return _unwrap((BulletList(tuple(items)),))
    return RichText(tuple(blocks))


def _unwrap(blocks: tuple[Block, ...]) -> RichText:
    """A one-item list is the item's own content: a lone bullet is not a list."""
    if len(blocks) == 1 and isinstance(blocks[0], BulletList) and len(blocks[0].items) == 1:
        return RichText(blocks[0].items[0].blocks)
    return RichText(blocks)
