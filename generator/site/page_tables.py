"""The site's big tables as table data: a code's sources side by side, a source's own
table, and the codes x sources matrix."""

from __future__ import annotations

from collections.abc import Set
from typing import Any

from ..analysis.conflicts import ADVICE_VERDICTS, NAME_VERDICTS, Verdict, name_status, reading
from ..columns import TITLES
from ..labels import code_label, row_label, source_label
from ..model import Entry, Model, Source, StatusCode
from ..richtext import EMPTY, Paragraph, RichText, Strong, Text
from . import celldata
from .celldata import Cell, ref, span, text_cell
from .filters import row_place
from .mentions import Mentions


def badge(verdict: Verdict) -> dict[str, Any]:
    """A judgement as every page shows it: its symbol and its words, styled by its role."""
    return span(verdict.role, f"{verdict.symbol} {verdict.words}")


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
    """What every source says about one code: source, name, description, action.

    A name that is not the registered phrase carries its verdict; advice the source
    gave (its action or retry column) is marked in the action column, advice read
    from a description in the description column, as inferred.  The action column
    is left out when no source gives an action.
    """
    with_action = any(entry.action or entry.retryable is not None for entry in code.entries)
    columns = ("source", "name", "description", "action")[: 4 if with_action else 3]
    header = [text_cell(TITLES[c]) for c in columns]
    rows = []
    for entry in code.entries:
        status = name_status(code, entry)
        name = text_cell(entry.name or "")
        if status in ("former", "differs"):
            name = text_cell(entry.name or "", " ", badge(NAME_VERDICTS[status]))
        elif (
            status == "variant"
        ):  # the usual case (StatusNotFound): its symbol, words in the legend
            name = text_cell(
                entry.name or "", " ", span("sd-variant", NAME_VERDICTS[status].symbol)
            )
        description = celldata.cell(with_extra_columns(entry), mentions)
        action = celldata.cell(entry.action, mentions)
        found = reading(entry)
        if found is not None:
            verdict = text_cell(badge(ADVICE_VERDICTS[(found.policy, found.inferred)]))
            if found.inferred or not with_action:
                description += verdict
            else:
                action += verdict
        cells = [row_link(entry, sources[entry.source]), name, description, action]
        rows.append((None, cells[: len(columns)]))
    return celldata.table(header, rows, "sd-side-by-side")


def source_table(
    header: list[str], entries: list[Entry], mentions: Mentions, source: Source
) -> dict[str, Any]:
    """A source's table in its own columns and words; each row anchored for links, titled
    as its row link is ("Huawei Cloud IAM: Status Codes, line 57")."""
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
    titles = {row_label(e): f"{source.title}, {row_place(e)}" for e in entries}
    return celldata.table(head, rows, "sd-source-table", titles=titles)


def matrix(model: Model, disagreeing: Set[int] = frozenset()) -> dict[str, Any]:
    """Codes x sources: the name each source uses, absent cells and differing names marked;
    the rows of `disagreeing` codes (names or advice in conflict) classed `sd-disagrees`."""
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
    classes = [["sd-disagrees"] if code.code in disagreeing else [] for code in model.codes]
    return celldata.table(header, rows, "sd-matrix", stub_columns=1, row_classes=classes)


def _matrix_cell(code: StatusCode, entry: Entry | None) -> Cell:
    if entry is None:
        return text_cell(span("sd-absent", "—"))
    status = name_status(code, entry)
    shown = entry.name or "(no name)"
    if status in ("differs", "former", "variant"):
        verdict = NAME_VERDICTS[status]
        return text_cell(span(verdict.role, f"{verdict.symbol} {shown}"))
    return text_cell(shown)
