"""The site's big tables as table data: a code's sources side by side, a source's own
table, and the codes x sources matrix."""

from __future__ import annotations

from typing import Any

from ..analysis.conflicts import NameStatus, advice, name_status
from ..columns import TITLES
from ..labels import code_label, row_label, source_label
from ..model import Entry, Model, Source, StatusCode
from ..richtext import EMPTY, Paragraph, RichText, Strong, Text
from . import celldata
from .celldata import Cell, ref, span, text_cell
from .filters import row_place
from .mentions import Mentions

_NAME_NOTES: dict[NameStatus, tuple[str, str]] = {
    "variant": ("sd-variant", "spelled differently"),
    "former": ("sd-former", "older registered phrase"),
    "differs": ("sd-differs", "differs from the registry"),
}
_ADVICE_NOTES = {
    "retry": ("sd-retry", "says retry"),
    "no-retry": ("sd-no-retry", "says do not retry"),
}


def row_link(entry: Entry, source: Source) -> Cell:
    """The entry's source, linked to its row: "Huawei Cloud IAM, line 57"."""
    return text_cell(ref(row_label(entry), f"{source.title}, {row_place(entry)}"))


def with_extra_columns(entry: Entry) -> RichText:
    """The entry's description followed by its other columns, each under its header in bold."""
    blocks = list(entry.description.blocks)
    for title, value in entry.extra.items():
        label = Strong((Text(f"{title}:"),))
        first, *rest = value.blocks
        if isinstance(first, Paragraph):  # "Error Code: NoSuchKey" on one line
            blocks += [Paragraph((label, Text(" "), *first.children)), *rest]
        else:
            blocks += [Paragraph((label,)), first, *rest]
    return RichText(tuple(blocks))


def side_by_side(
    code: StatusCode, sources: dict[str, Source], mentions: Mentions
) -> dict[str, Any]:
    """What every source says about one code: source, name, description, action."""
    header = [text_cell(TITLES[c]) for c in ("source", "name", "description", "action")]
    rows = []
    for entry in code.entries:
        note = _NAME_NOTES.get(name_status(code, entry))
        name = text_cell(entry.name or "", " " if note else "", span(*note) if note else "")
        action = celldata.cell(entry.action, mentions)
        verdict = _ADVICE_NOTES.get(advice(entry) or "")
        if verdict:
            action += text_cell(span(*verdict))
        cells = [
            row_link(entry, sources[entry.source]),
            name,
            celldata.cell(with_extra_columns(entry), mentions),
            action,
        ]
        rows.append((None, cells))
    return celldata.table(header, rows, "sd-side-by-side")


def source_table(header: list[str], entries: list[Entry], mentions: Mentions) -> dict[str, Any]:
    """A source's table in its own columns and words; each row anchored for links."""
    width = max([len(header), *(len(e.cells) for e in entries)])
    head = [text_cell(header[i] if i < len(header) else "") for i in range(width)]
    rows = [
        (
            row_label(e),
            [
                celldata.cell(e.cells[i] if i < len(e.cells) else EMPTY, mentions)
                for i in range(width)
            ],
        )
        for e in entries
    ]
    return celldata.table(head, rows, "sd-source-table")


def matrix(model: Model) -> dict[str, Any]:
    """Codes x sources: the name each source uses, absent cells and differing names marked."""
    header = [text_cell("Code"), text_cell("Registered phrase")]
    header += [text_cell(ref(source_label(s.id), s.id)) for s in model.sources]
    rows = []
    for code in model.codes:
        by_source: dict[str, Entry] = {}
        for entry in code.entries:
            by_source.setdefault(entry.source, entry)
        cells = [
            text_cell(ref(code_label(code.code), str(code.code))),
            text_cell(code.phrase or "(unregistered)"),
        ]
        cells += [_matrix_cell(code, by_source.get(s.id)) for s in model.sources]
        rows.append((None, cells))
    return celldata.table(header, rows, "sd-matrix", stub_columns=1)


def _matrix_cell(code: StatusCode, entry: Entry | None) -> Cell:
    if entry is None:
        return text_cell(span("sd-absent", "—"))
    status = name_status(code, entry)
    shown = entry.name or "(no name)"
    if status in ("differs", "former"):
        return text_cell(span("sd-differs", shown))
    if status == "variant":
        return text_cell(span("sd-variant", shown))
    return text_cell(shown)
