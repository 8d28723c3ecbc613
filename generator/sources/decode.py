"""Turn a source file's bytes into text: encoding detection and mojibake repair.

UTF-8 is tried first; anything else is identified with charset-normalizer and
reported, so that a Windows-1252 or GB18030 file is read rather than crashed
on.  Mojibake (UTF-8 that was once decoded as Windows-1252, like
"applicationâ€™s") is repaired line by line with ftfy, and each repaired line
is reported so the fix is never silent.
"""

from __future__ import annotations

import codecs
import functools
import unicodedata

import charset_normalizer
import ftfy

from ..diagnostics import Reporter

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# The accented letters of French, German, Spanish, Portuguese and Italian words, commonest first.
_COMMON_LETTERS = frozenset("éèàêçüöäßñáíóúâôîûëïã")
_WESTERN_LETTERS = frozenset("åæìòõøùýÿœ")
# Below this, charset-normalizer's coherence of a short text says nothing about its encoding.
_COHERENCE_NOISE = 0.1
# Characters that Python's `str.splitlines` (and so docutils) breaks lines at, besides \n.
# A file's lines are its \n lines for every reader, so these are read as spaces:
# otherwise a form feed would shift every later row's line number in one reader only.
_OTHER_LINE_BREAKS = str.maketrans(dict.fromkeys("\v\f\x1c\x1d\x1e\x85\u2028\u2029", " "))


def decode(data: bytes, report: Reporter) -> str | None:
    """The text of a source file, or None (with an error reported) when it holds no text."""
    if not data.strip():
        report.error(None, "source.empty", "file is empty")
        return None
    text = _decode_bytes(data, report)
    if text is None:
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_OTHER_LINE_BREAKS)
    return _repair_mojibake(text, report)


def _decode_bytes(data: bytes, report: Reporter) -> str | None:
    if data.startswith(codecs.BOM_UTF8):
        return _decode_marked(data[len(codecs.BOM_UTF8) :], "utf-8", report)
    if data.startswith(_UTF16_BOMS):
        return _decode_marked(data, "utf-16", report)
    if b"\x00" in data:
        report.error(None, "source.binary", "file is not text (it contains NUL bytes)")
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        guessed = _best_decoding(data)
        if guessed is None:
            report.error(line, "source.encoding", "file is not UTF-8 and its encoding is unknown")
            return None
        encoding, text = guessed
        report.warning(
            line,
            "source.encoding",
            f"file is not UTF-8 (invalid byte 0x{data[exc.start]:02x}); read as {encoding}",
        )
        return text


def _best_decoding(data: bytes) -> tuple[str, str] | None:
    """The encoding and text charset-normalizer finds; among decodings it finds equally
    plausible, the one whose text makes real words.

    For a short Latin-1 text ("requête", "à cette adresse") cp1250, cp1252 and
    others tie; the one that gives the letters of Western European words, in a
    text of Latin words, is right.
    """
    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        return None
    best = matches[0]
    tied = [
        match
        for match in matches
        if _single_byte(match.encoding)
        and abs(match.chaos - best.chaos) < 1e-9
        and abs(match.coherence - best.coherence) < _COHERENCE_NOISE
    ]
    if len(tied) < 2:
        return best.encoding, str(best)
    chosen = max(tied, key=lambda match: _word_score(str(match)))  # the first among equals
    return chosen.encoding, str(chosen)


@functools.cache
def _single_byte(encoding: str) -> bool:
    try:
        return len(bytes(range(256)).decode(encoding, errors="replace")) == 256
    except LookupError:
        return False


def _word_score(text: str) -> int:
    """How much the non-ASCII characters of `text` look like letters of its own words."""
    latin_context = sum(c.isascii() and c.isalpha() for c in text) > len(text) / 3
    score = 0
    for char in {c for c in text if not c.isascii()}:
        name = unicodedata.name(char, "")
        if char in _COMMON_LETTERS:
            score += 3
        elif char in _WESTERN_LETTERS or char.lower() in _COMMON_LETTERS:
            score += 2
        elif name.startswith("LATIN") and char.isalpha():
            score += 1
        elif char.isalpha():
            score += -1 if latin_context else 1
        else:
            score -= 2
    return score


def _decode_marked(data: bytes, encoding: str, report: Reporter) -> str:
    """Text whose byte-order mark names its encoding; bytes invalid in it become U+FFFD."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        text = data.decode(encoding, errors="replace")
        line = text.count("\n", 0, text.index("\ufffd")) + 1 if "\ufffd" in text else None
        report.warning(
            line,
            "source.encoding",
            f"invalid {encoding.upper()} ({exc.reason} at byte {exc.start}); replaced with U+FFFD",
        )
    if "\x00" in text:
        report.warning(None, "source.encoding", "NUL characters replaced with U+FFFD")
        text = text.replace("\x00", "\ufffd")
    return text


def _repair_mojibake(text: str, report: Reporter) -> str:
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        fixed = ftfy.fix_encoding(line)
        if fixed != line:
            report.warning(
                number,
                "source.mojibake",
                f"repaired mis-decoded text: {_first_difference(line, fixed)}",
            )
            lines[number - 1] = fixed
    return "\n".join(lines)


def _first_difference(before: str, after: str) -> str:
    """A short excerpt of the first repaired word, e.g. "'applicationâ€™s' -> 'application’s'"."""
    start = next((i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b), 0)
    head = before.rfind(" ", 0, start) + 1
    tail_before = _word_end(before, start)
    tail_after = _word_end(after, start)
    return f"{before[head:tail_before]!r} -> {after[head:tail_after]!r}"


def _word_end(text: str, start: int) -> int:
    end = text.find(" ", start)
    return len(text) if end < 0 else end
