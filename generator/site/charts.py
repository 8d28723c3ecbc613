"""The index page's coverage chart: which source documents how much of each class.

`coverage_svg` draws a grid, one row per source and one column per class
(1xx to 5xx), each cell counting the codes of that class the source documents
and shaded by that count's share of the class's documented codes; a last row
gives the class totals.  `coverage_rows` and `class_totals` are the same
numbers for the text alternative beside the chart.

The SVG goes into a generated page as raw HTML, so nothing from a source may
become markup in it: every title is cleaned of invisible characters and
XML-escaped (text and attributes alike).  Output is deterministic: the same
model gives the same bytes.  Cell colours are explicit (a single-hue,
colour-blind-safe blue ramp from ColorBrewer's "Blues"), with the number's
colour chosen by contrast against its cell, so cells read on the light and the
dark theme alike; text outside cells is `currentColor`, the page's own.
"""

from __future__ import annotations

import unicodedata
from html import escape

from docutils.utils import column_width

from ..labels import counted
from ..model import Model, Source

CLASS_NAMES = ("1xx", "2xx", "3xx", "4xx", "5xx")
"""The chart's columns."""

RAMP = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
"""Cell fills from the smallest share of a class to the largest (ColorBrewer Blues)."""

TITLE_COLUMNS = 40
"""How wide (in columns: a CJK character takes two) a source's title may be in the chart."""

_DARK_TEXT, _LIGHT_TEXT = "#000000", "#ffffff"

# Layout, in user units (pixels when the chart is drawn at its natural width).  Each
# source's title is on its own line above its row of cells, so the chart is narrow
# enough for a phone at its natural size and only grows on a wider page.
_PAD = 8
_CELL_WIDTH = 64
_CELL_HEIGHT = 36
_GAP = 4
_LABEL_BAND = 21  # the title line above a row of cells
_ROW_STEP = _LABEL_BAND + _CELL_HEIGHT + 9
_HEADER_HEIGHT = 24
_LEGEND_HEIGHT = 46
_WIDTH = _PAD * 2 + len(CLASS_NAMES) * (_CELL_WIDTH + _GAP) - _GAP
_MAX_WIDTH = 460  # px on a wide page: larger, the numbers would shout


def coverage_rows(model: Model) -> list[tuple[Source, list[int]]]:
    """Each source, in the model's order, with how many codes of each class it documents."""
    documented: dict[str, set[int]] = {source.id: set() for source in model.sources}
    for code in model.codes:
        for entry in code.entries:
            documented.setdefault(entry.source, set()).add(code.code)
    return [
        (source, [_in_class(documented[source.id], name) for name in CLASS_NAMES])
        for source in model.sources
    ]


def class_totals(model: Model) -> list[int]:
    """How many codes of each class at least one source documents."""
    return [_in_class({code.code for code in model.codes}, name) for name in CLASS_NAMES]


def _in_class(codes: set[int], class_name: str) -> int:
    return sum(1 for code in codes if f"{code // 100}xx" == class_name)


def shade(count: int, total: int) -> str | None:
    """The fill of a cell counting `count` of a class's `total` codes; None for no codes."""
    if count <= 0 or total <= 0:
        return None
    step = -(-min(count, total) * len(RAMP) // total)  # ceil(share x steps), 1..steps
    return RAMP[step - 1]


def text_colour(fill: str) -> str:
    """Black or white, whichever contrasts more with `fill` (WCAG contrast ratio)."""
    on_dark = contrast(fill, _LIGHT_TEXT)
    return _LIGHT_TEXT if on_dark > contrast(fill, _DARK_TEXT) else _DARK_TEXT


def contrast(one: str, other: str) -> float:
    """The WCAG contrast ratio of two `#rrggbb` colours, 1 to 21."""
    lighter, darker = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def clean_title(title: str) -> str:
    """A title as one line of visible text: controls and format characters dropped,
    white space collapsed; "(untitled)" when nothing visible is left."""
    kept = "".join(
        " " if char.isspace() else char
        for char in title
        if char.isspace() or not unicodedata.category(char).startswith("C")
    )
    shown = " ".join(kept.split())
    if not any(unicodedata.category(char)[0] not in "ZM" for char in shown):
        return "(untitled)"
    return shown


def short_title(title: str, columns: int = TITLE_COLUMNS) -> str:
    """`title` cut to about `columns` columns, at a word where one is near, with an ellipsis."""
    if column_width(title) <= columns:
        return title
    cut = _prefix(title, columns - 1)
    space = cut.rfind(" ")
    ends_a_word = title[len(cut)].isspace()
    if not ends_a_word and space >= len(cut) * 3 // 4:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—") + "…"


def _prefix(text: str, columns: int) -> str:
    """The longest start of `text` at most `columns` wide."""
    width = 0
    for index, char in enumerate(text):
        width += column_width(char)
        if width > columns:
            return text[:index]
    return text


def coverage_svg(model: Model) -> str:
    """The coverage chart as an accessible SVG element, one line per drawn thing."""
    rows = coverage_rows(model)
    totals = class_totals(model)
    grid_top = _PAD + _HEADER_HEIGHT
    totals_top = grid_top + len(rows) * _ROW_STEP + 4
    legend_top = totals_top + _ROW_STEP
    height = legend_top + _LEGEND_HEIGHT
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sd-coverage" role="img"'
        f' aria-labelledby="sd-coverage-title sd-coverage-desc"'
        f' viewBox="0 0 {_WIDTH} {height}" width="100%"'
        f' style="display: block; max-width: {_MAX_WIDTH}px; height: auto; margin: 1em auto">',
        '<title id="sd-coverage-title">Coverage: which source documents which class</title>',
        f'<desc id="sd-coverage-desc">{escape(_description(rows, totals))}</desc>',
    ]
    for column, name in enumerate(CLASS_NAMES):
        x = _column_x(column) + _CELL_WIDTH // 2
        out.append(_text(x, _PAD + 14, name, anchor="middle", weight="600"))
    for index, (source, counts) in enumerate(rows):
        top = grid_top + index * _ROW_STEP
        full = clean_title(source.title)
        out.append(f'<g class="sd-coverage-row"><title>{escape(full)}</title>')
        out.append(_text(_PAD, top + 15, short_title(full), size="13px"))
        for column, (count, total) in enumerate(zip(counts, totals, strict=True)):
            tip = f"{full}: {count} of {counted(total, CLASS_NAMES[column] + ' code')}"
            out.extend(_cell(column, top + _LABEL_BAND, count, total, tip))
        out.append("</g>")
    out.append('<g class="sd-coverage-total"><title>All sources together</title>')
    out.append(_text(_PAD, totals_top + 15, "All sources", size="13px", weight="600"))
    for column, total in enumerate(totals):
        out.extend(_total_cell(column, totals_top + _LABEL_BAND, total))
    out.append("</g>")
    out.extend(_legend(legend_top))
    out.append("</svg>")
    return "\n".join(out)


def _description(rows: list[tuple[Source, list[int]]], totals: list[int]) -> str:
    classes = ", ".join(f"{n} {c}" for n, c in zip(totals, CLASS_NAMES, strict=True))
    return (
        f"A grid with a row for each of the {len(rows)} sources and a column for each class,"
        f" 1xx to 5xx. Each cell gives how many codes of the class the source documents; the"
        f" darker the cell, the larger its share of the class's documented codes. The last row"
        f" gives the codes documented by any source: {classes}. The table after the chart"
        f" gives every number."
    )


def _column_x(column: int) -> int:
    return _PAD + column * (_CELL_WIDTH + _GAP)


def _cell(column: int, top: int, count: int, total: int, tip: str) -> list[str]:
    x = _column_x(column)
    fill = shade(count, total)
    centre = x + _CELL_WIDTH // 2
    baseline = top + _CELL_HEIGHT // 2 + 6
    box = f'x="{x}" y="{top}" width="{_CELL_WIDTH}" height="{_CELL_HEIGHT}" rx="4"'
    if fill is None:
        rect = (
            f'<rect {box} fill="none" stroke="currentColor" stroke-opacity="0.4"'
            f' stroke-dasharray="3 3"/>'
        )
        number = _text(centre, baseline, str(count), anchor="middle", size="16px", opacity="0.8")
    else:
        rect = f'<rect {box} fill="{fill}" stroke="currentColor" stroke-opacity="0.2"/>'
        number = _text(
            centre,
            baseline,
            str(count),
            anchor="middle",
            size="16px",
            weight="600",
            colour=text_colour(fill),
        )
    return [f"<g><title>{escape(tip)}</title>", rect, number, "</g>"]


def _total_cell(column: int, top: int, total: int) -> list[str]:
    x = _column_x(column)
    return [
        f'<rect x="{x}" y="{top}" width="{_CELL_WIDTH}" height="{_CELL_HEIGHT}" rx="4"'
        f' fill="none" stroke="currentColor" stroke-opacity="0.6" stroke-width="1.5"/>',
        _text(
            x + _CELL_WIDTH // 2,
            top + _CELL_HEIGHT // 2 + 6,
            str(total),
            anchor="middle",
            size="16px",
            weight="700",
        ),
    ]


def _legend(top: int) -> list[str]:
    """The ramp's swatches, from the smallest share of a class to the largest."""
    swatch = 26
    out = [_text(_PAD, top + 14, "Share of the class’s codes:", size="12px", opacity="0.85")]
    left = _PAD + 34
    out.append(_text(left - 6, top + 36, "less", anchor="end", size="12px", opacity="0.85"))
    for index, fill in enumerate(RAMP):
        out.append(
            f'<rect x="{left + index * (swatch + 2)}" y="{top + 24}" width="{swatch}"'
            f' height="16" fill="{fill}" stroke="currentColor" stroke-opacity="0.2"/>'
        )
    right = left + len(RAMP) * (swatch + 2) + 4
    out.append(_text(right, top + 36, "more", size="12px", opacity="0.85"))
    return out


def _text(
    x: int,
    y: int,
    text: str,
    *,
    anchor: str = "start",
    size: str = "14px",
    weight: str = "400",
    colour: str = "currentColor",
    opacity: str = "1",
) -> str:
    """One line of text; `text` is escaped."""
    attributes = [f'x="{x}" y="{y}"', f'fill="{colour}"', f'font-size="{size}"']
    if anchor != "start":
        attributes.append(f'text-anchor="{anchor}"')
    if weight != "400":
        attributes.append(f'font-weight="{weight}"')
    if opacity != "1":
        attributes.append(f'fill-opacity="{opacity}"')
    return f"<text {' '.join(attributes)}>{escape(text)}</text>"
