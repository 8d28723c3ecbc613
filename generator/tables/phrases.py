"""A reason phrase written at the start of a longer text: "OK - the request succeeded".

Many sources put the name and the description in one cell ("Bad Request:
Error en los parámetros", "Not Found -- The page does not exist", "OK (No
error)").  When a text starts with a registered phrase of its code, in any
spelling, followed by a separator, the phrase is the name and the rest the
description.
"""

from __future__ import annotations

import re

from ..registry import lookup, matches_registered, name_key
from ..richtext import Code, Emphasis, Inline, Paragraph, RichText, Strong, Text, text_of

# What may stand between a phrase and the text after it.
# A space where the script changes counts too: "OK 成功", "Not Found Не найдено".
# So does a space before a macro: "Processing {{deprecated_inline}}".
_SEPARATOR = re.compile(r"\s*(?:--|[-–—:：|/,;.]|(?=[(（]))\s*|\s+(?=[^\x00-\u024f]|\{\{)")


def leading_phrase(code: int, text: str) -> tuple[str, str] | None:
    """`(phrase as written, the rest)` when `text` starts with a registered phrase of `code`."""
    registration = lookup(code)
    if registration is None:
        return None
    keys = {name_key(p) for p in (registration.phrase, *registration.former_phrases)}
    for match in _SEPARATOR.finditer(text):
        head = text[: match.start()]
        if name_key(head) in keys and match.start() > 0:
            rest = text[match.end() :].strip()
            return (head.strip(), rest) if rest else None
        if len(head) > 60:
            break
    return None


# A bracketed remark after a phrase that is part of the name: "Processing (WebDAV)".
QUALIFIER = re.compile(r"[(（][^()（）\n]{1,60}[)）]")


def names_phrase(code: int, text: str) -> bool:
    """Whether `text` is a registered phrase of `code`, perhaps with a bracketed remark."""
    if matches_registered(code, text):
        return True
    found = leading_phrase(code, text)
    return found is not None and QUALIFIER.fullmatch(found[1]) is not None


def split_leading_phrase(code: int, cell: RichText) -> tuple[str, RichText] | None:
    """The phrase a cell starts with, and the cell without it; None when it starts with none."""
    if not cell.blocks or not isinstance(cell.blocks[0], Paragraph):
        return None
    first = cell.blocks[0]
    found = leading_phrase(code, text_of(first.children))
    if found is None:
        return None
    phrase, _ = found
    remaining = _drop_prefix(first.children, phrase)
    if remaining is None:
        return None
    blocks = ((Paragraph(remaining),) if remaining else ()) + cell.blocks[1:]
    return phrase, RichText(blocks)


def _drop_prefix(inlines: tuple[Inline, ...], phrase: str) -> tuple[Inline, ...] | None:
    """The inlines after `phrase` and its separator; None when the phrase spans markup oddly."""
    first, rest = inlines[0], inlines[1:]
    if isinstance(first, Text) and first.text.lstrip().startswith(phrase):
        tail = first.text.lstrip()[len(phrase) :]
        return _after_separator((Text(tail), *rest))
    if isinstance(first, Strong | Emphasis | Code) and _plain(first).strip() == phrase:
        return _after_separator(rest)
    return None


def _after_separator(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    if inlines and isinstance(inlines[0], Text):
        match = _SEPARATOR.match(inlines[0].text)
        text = inlines[0].text[match.end() :] if match else inlines[0].text
        inlines = ((Text(text),) if text else ()) + inlines[1:]
    return inlines


def _plain(node: Inline) -> str:
    return node.text if isinstance(node, Text | Code) else text_of((node,))
