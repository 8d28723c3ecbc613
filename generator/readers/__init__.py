"""Readers: one per markup format, each turning a document into raw tables.

`reader_for` picks the reader for a format; `detect_format` guesses the format
of a file from its extension, and for ambiguous extensions (`.txt`) from its
content.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..model import Format
from .base import Document, Parsed, RawRow, RawTable, Reader
from .html import read_html
from .markdown import read_markdown
from .rst import read_rst
from .text import read_text

__all__ = ["Document", "Parsed", "RawRow", "RawTable", "Reader", "detect_format", "reader_for"]

_READERS: dict[Format, Reader] = {
    "markdown": read_markdown,
    "html": read_html,
    "rst": read_rst,
    "text": read_text,
}
_EXTENSIONS: dict[str, Format] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".rst": "rst",
    ".rest": "rst",
}
# Content signs for files whose extension says nothing (.txt, none), strongest first.
_SIGNS: tuple[tuple[Format, re.Pattern[str]], ...] = (
    ("html", re.compile(r"\A\s*(<!doctype html|<html)", re.IGNORECASE)),
    ("rst", re.compile(r"^\s*\+[-=+]+\+\s*$|^\.\. [\w-]+::|^\.\. _[^:]+:$", re.MULTILINE)),
    ("markdown", re.compile(r"^\s*\|.*\|\s*$|^#{1,6} |^\s*<table", re.MULTILINE | re.IGNORECASE)),
)


def detect_format(path: Path, text: str) -> Format:
    """The format of a file: from its extension, else from what its content looks like."""
    known = _EXTENSIONS.get(path.suffix.lower())
    if known is not None:
        return known
    for fmt, sign in _SIGNS:
        if sign.search(text):
            return fmt
    return "text"


def reader_for(fmt: Format) -> Reader:
    """The reader for a format."""
    return _READERS[fmt]
