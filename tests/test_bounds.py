"""Every reader does bounded work on any input, and says where a limit cut its reading.

Each hostile shape goes in place of the `HOSTILE` line of a small document
in tests/fixtures/bounds, between good status rows.  The reader must give
exactly the diagnostic naming the limit, still read the rows before and
after, and finish in a fraction of the time the shape took before the limits
(20,000 nested `<div>`s took half a minute, 100,000 took many minutes).  A
fuzz test then gives every reader random text and mutated real sources.
"""

from __future__ import annotations

import importlib
import re
import time
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from statusdocs.diagnostics import Diagnostics
from statusdocs.limits import MAX_CELL_CHARS, MAX_CELLS, MAX_ROWS
from statusdocs.model import Format
from statusdocs.readers import Document, Parsed, RawRow, RawTable, reader_for
from statusdocs.readers.base import Limits
from statusdocs.richtext import (
    BulletList,
    Code,
    ListItem,
    Paragraph,
    RichText,
    Strong,
    Text,
    from_plain,
)

from conftest import FIXTURES, SOURCES

AROUND = FIXTURES / "bounds"
EXTENSIONS: dict[Format, str] = {"html": "html", "markdown": "md", "rst": "rst", "text": "txt"}
SECONDS = 5.0
"""A generous bound for one hostile read; each takes well under a second."""


def around(fmt: Format, hostile: str) -> str:
    """The bounds document for `fmt` with `hostile` in place of its `HOSTILE` line."""
    return (AROUND / f"around.{EXTENSIONS[fmt]}").read_text("utf-8").replace("HOSTILE", hostile)


def read(fmt: Format, source: str) -> tuple[Parsed, list[str]]:
    """Read `source` as `fmt`, checking the time bound; the diagnostics as printed."""
    path = f"x.{EXTENSIONS[fmt]}"
    diagnostics = Diagnostics()
    start = time.perf_counter()
    parsed = reader_for(fmt)(Document(path, source), diagnostics.for_path(path))
    assert time.perf_counter() - start < SECONDS
    return parsed, [item.format() for item in diagnostics.items]


def rows(parsed: Parsed) -> list[list[str]]:
    """Every row of every table, each cell as plain text."""
    return [[cell.plain for cell in row.cells] for table in parsed.tables for row in table.rows]


def first_lines(parsed: Parsed) -> list[str]:
    """The first line of each row's first cell: the code and name of a bullet-list row."""
    return [row.cells[0].plain.split("\n")[0] for table in parsed.tables for row in table.rows]


GOOD_ROWS = [["200", "OK"], ["404", "Not Found"]]
NOT_READ = "the content inside is not read"
TOO_DEEP_HTML = f"error: elements nested deeper than 100; {NOT_READ} [html.too-deep]"
TOO_DEEP_RST = f"error: blocks nested deeper than 100; {NOT_READ} [rst.too-deep]"


# HTML: nesting is bounded before html5lib sees it.


@pytest.mark.parametrize(
    "deep",
    [
        "<div>" * 20_000 + "deep" + "</div>" * 20_000,
        "<div>" * 20_000 + "deep",  # never closed: the cell's end closes them
        "<b>" * 20_000 + "deep",  # formatting elements, which html5lib reopens
        "<span><em>" * 10_000 + "deep",
        "<div>" * 200 + "<script>x</td></tr><tr><td>999</td><td>Hidden</td></tr></script>",
    ],
    ids=["div", "unclosed-div", "b", "span-em", "script-held-as-text"],
)
def test_html_nesting_past_the_limit_is_left_out_and_the_other_rows_read(deep: str) -> None:
    parsed, diagnostics = read("html", around("html", deep))
    assert rows(parsed) == [["200", "OK"], ["400", "Bad Request"], ["404", "Not Found"]]
    assert diagnostics == [f"x.html:7: {TOO_DEEP_HTML}"]


def test_html_elements_closed_without_end_tags_do_not_nest() -> None:
    # As in the Kubernetes source: unclosed <li> and <p>, `</br>`, and void elements.
    cell = "<ul>" + "<li>item" * 300 + "</ul>" + "<p>para" * 300 + "</br><br><img alt=i>" * 300
    parsed, diagnostics = read("html", around("html", cell))
    assert diagnostics == []
    (table,) = parsed.tables
    assert [row.cells[0].plain for row in table.rows] == ["200", "400", "404"]
    lists = [block for block in table.rows[1].cells[1].blocks if isinstance(block, BulletList)]
    assert [len(found.items) for found in lists] == [300]


@pytest.mark.parametrize(
    "hostile",
    [
        "<ul>" + "<li><dd>" * 20_000,  # each closes only its own kind, so they nest
        "".join(f"<p><b id={i}></p>x" for i in range(10_000)),  # reopened formatting
        "<table><td>" * 10_000,
        "<svg>" + "<g>" * 20_000,
        "<div/>" * 20_000,  # not void: each opens a div
    ],
    ids=["li-dd", "reopened-b", "tables", "svg", "self-closing-div"],
)
def test_html_every_way_of_nesting_is_bounded(hostile: str) -> None:
    _, diagnostics = read("html", hostile)
    assert diagnostics[:1] == [f"x.html:1: {TOO_DEEP_HTML}"]


def test_html_deep_in_markdown_is_reported_on_its_file_line() -> None:
    block = "<table>\n<tr><td>500</td><td>" + "<div>" * 20_000 + "</td></tr>\n</table>"
    parsed, diagnostics = read("markdown", around("markdown", block))
    assert rows(parsed) == [["200", "OK"], ["500", ""], ["404", "Not Found"]]
    assert diagnostics == [f"x.md:8: {TOO_DEEP_HTML}"]


@pytest.mark.parametrize(
    ("wide", "kept"),
    [
        ("x</td><td colspan=1000>wide", [["200", "OK"]]),
        (
            "x</td></tr><tr><td rowspan=65534 colspan=500>tall" + "</td></tr>" + "<tr>" * 1_000,
            [["200", "OK"], ["400", "Bad Request x"]],
        ),
    ],
    ids=["colspan", "rowspan"],
)
def test_html_spans_fill_no_more_cells_than_the_limit(
    monkeypatch: pytest.MonkeyPatch, wide: str, kept: list[list[str]]
) -> None:
    # With the real limit the table would take seconds to fill; the check is the same.
    monkeypatch.setattr("statusdocs.readers.base.MAX_CELLS", 1_000)
    parsed, diagnostics = read("html", around("html", wide))
    assert rows(parsed) == kept  # the wide row does not fit, and nothing after it is read
    message = "the tables hold more than 1,000 cells; the rest is not read [table.too-many-cells]"
    assert diagnostics == [f"x.html:7: error: {message}"]


# Markdown: markdown-it's own limits are reported, and its costly steps bounded.


@pytest.mark.parametrize(
    ("deep", "line"),
    [
        (">" * 100_000 + " deep", 7),
        ("- " * 50_000 + "deep", 7),
        # A list and its item are two levels: the tenth list's item is the first too deep.
        ("".join("  " * level + "- deep\n" for level in range(30)), 16),
    ],
    ids=["quotes", "list-on-one-line", "indented-list"],
)
def test_markdown_blocks_past_markdown_its_limit_are_left_out(deep: str, line: int) -> None:
    parsed, diagnostics = read("markdown", around("markdown", deep))
    assert rows(parsed) == GOOD_ROWS
    message = "blocks nested deeper than 20; the content inside is not read [markdown.too-deep]"
    assert diagnostics == [f"x.md:{line}: error: {message}"]


def test_markdown_emphasis_past_the_limit_keeps_its_text() -> None:
    table = "| Code | Name |\n|---|---|\n| 500 | " + "*" * 20_000 + "deep" + "*" * 20_000 + " |"
    parsed, diagnostics = read("markdown", around("markdown", table))
    assert rows(parsed) == [["200", "OK"], ["500", "deep"], ["404", "Not Found"]]
    message = "inline markup nested deeper than 100; the markup inside is left out"
    assert diagnostics == [f"x.md:9: error: {message} [markdown.too-deep]"]


def test_markdown_search_for_the_ends_of_brackets_is_bounded() -> None:
    # markdown-it searches for the `]` of each `[`, twenty levels deep: 2.2 s unbounded, 0.7 s here.
    parsed, diagnostics = read("markdown", around("markdown", "[" * 150_000))
    assert rows(parsed) == GOOD_ROWS
    message = "too many `[` without their `]`; from here on, `[` starts no link"
    assert diagnostics == [f"x.md:7: error: {message} [markdown.too-many-brackets]"]


def test_markdown_pipe_tables_fill_no_more_cells_than_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("statusdocs.readers.base.MAX_CELLS", 1_000)
    wide = "|" + "a|" * 100 + "\n|" + "-|" * 100 + "\n" + "|b|\n" * 50  # 100 cells a line
    parsed, diagnostics = read("markdown", around("markdown", wide))
    # The first table holds 4 cells and the wide one 900: its header and 8 rows.
    assert [len(table.rows) for table in parsed.tables] == [1, 8, 1]
    assert rows(parsed)[-1] == ["404", "Not Found"]  # 2 + 2 cells still fit
    message = "the tables hold more than 1,000 cells; the rest is not read [table.too-many-cells]"
    assert diagnostics == [f"x.md:17: error: {message}"]


def test_markdown_its_own_cap_on_filled_cells_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    # markdown-it stops a table after 65,536 filled-in cells without a word.
    # The module, which its package hides behind the rule function of the same name.
    table_rule = importlib.import_module("markdown_it.rules_block.table")
    monkeypatch.setattr(table_rule, "MAX_AUTOCOMPLETED_CELLS", 1_000)
    monkeypatch.setattr("statusdocs.readers.markdown.MAX_AUTOCOMPLETED_CELLS", 1_000)
    wide = "|" + "a|" * 100 + "\n|" + "-|" * 100 + "\n" + "|b|\n" * 20
    parsed, diagnostics = read("markdown", around("markdown", wide))
    assert [len(table.rows) for table in parsed.tables] == [1, 10, 1]  # 99 filled in a row
    assert rows(parsed)[-1] == ["404", "Not Found"]
    message = (
        "this table fills out more than 1,000 cells of short rows; markdown-it reads no further"
        " rows [table.too-many-cells]"
    )
    assert diagnostics == [f"x.md:19: error: {message}"]


# reStructuredText: nesting stops before Python's recursion limit does.


UNKNOWN = 'x.rst:12: info: unknown directive "unknown": its content is read as ordinary text'


@pytest.mark.parametrize(
    ("deep", "expected"),
    [
        # Level 101 starts on line 12 + 2 * 101: each level is two lines.
        ("".join(" " * level + "deep\n\n" for level in range(150)), [f"x.rst:214: {TOO_DEEP_RST}"]),
        (
            "".join("  " * level + "- deep\n\n" for level in range(150)),
            [f"x.rst:212: {TOO_DEEP_RST}"],
        ),
        (
            "".join("   " * level + ".. note::\n\n" for level in range(120)) + " " * 360 + "x",
            [f"x.rst:214: {TOO_DEEP_RST}"],
        ),
        (
            "".join("   " * level + ".. unknown::\n\n" for level in range(120)) + "   x",
            [f"{UNKNOWN} [rst.unknown-directive]", f"x.rst:214: {TOO_DEEP_RST}"],
        ),
        # Line blocks nest one line apart, and not through docutils' nested parse.
        (
            "".join("|" + " " * level + " deep\n" for level in range(1, 150)),
            [f"x.rst:112: {TOO_DEEP_RST}"],
        ),
    ],
    ids=["block-quotes", "lists", "notes", "unknown-directives", "line-blocks"],
)
def test_rst_blocks_past_the_limit_are_left_out(deep: str, expected: list[str]) -> None:
    parsed, diagnostics = read("rst", around("rst", deep))
    assert rows(parsed) == GOOD_ROWS
    assert [d for d in diagnostics if "[rst.syntax]" not in d] == expected


def test_rst_text_nested_deep_is_copied_a_bounded_number_of_times() -> None:
    # docutils copies a nested block at each level; 200 kB sixty deep would be 12 MB.
    body = "".join(" " * 60 + "word " * 80 + "\n" for _ in range(500))
    deep = "".join(" " * level + "deep\n\n" for level in range(60)) + body
    parsed, diagnostics = read("rst", around("rst", deep))
    assert rows(parsed) == GOOD_ROWS
    message = "blocks nested so deep that they hold the text more than 20 times over"
    assert diagnostics == [f"x.rst:64: error: {message}; {NOT_READ} [rst.too-deep]"]


def test_rst_nested_tables_are_bounded() -> None:
    table = ["x"]
    for _ in range(110):
        border = "+" + "-" * len(table[0]) + "+"
        table = [border, *("|" + line + "|" for line in table), border]
    parsed, diagnostics = read("rst", around("rst", "\n".join(table)))
    assert rows(parsed)[0] == ["200", "OK"] and rows(parsed)[-1] == ["404", "Not Found"]
    # The cell of the 101st table, from line 113, is too deep: the tables in it are left out.
    assert diagnostics == [f"x.rst:113: {TOO_DEEP_RST}"]


def test_rst_csv_table_fills_no_more_cells_than_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("statusdocs.readers.base.MAX_CELLS", 1_000)
    header = ",".join(["a"] * 100)
    csv = f".. csv-table::\n   :header: {header}\n\n" + "   b\n" * 1_000
    parsed, diagnostics = read("rst", csv)
    # Each row is filled out to 100 cells: the header and 9 rows make 1,000.
    assert [len(table.rows) for table in parsed.tables] == [9]
    message = "the tables hold more than 1,000 cells; the rest is not read [table.too-many-cells]"
    assert diagnostics == [f"x.rst:13: error: {message}"]


# Plain text: indentation nests at most MAX_NESTING items deep.


def test_text_items_past_the_limit_are_left_out() -> None:
    deep = "".join(" " * level + "• deeper\n" for level in range(1, 150)) + " " * 120 + "left out"
    parsed, diagnostics = read("text", around("text", deep))
    assert first_lines(parsed) == ["200 OK", "404 Not Found"]
    nested = parsed.tables[0].rows[0].cells[0].plain.split("\n")
    assert nested[-1] == " " * 2 * 98 + "- deeper"  # the 99th level below 200
    message = "list items nested deeper than 100; the content inside is not read [text.too-deep]"
    assert diagnostics == [f"x.txt:103: error: {message}"]


def test_a_very_long_line_is_one_cell_cut_to_the_limit() -> None:
    parsed, diagnostics = read("text", around("text", "• " + "x" * 3 * MAX_CELL_CHARS))
    assert [len(row.cells[0].plain) for row in parsed.tables[0].rows] == [6, MAX_CELL_CHARS, 13]
    message = "a cell longer than 100,000 characters is cut to its first 100,000 [cell.too-long]"
    assert diagnostics == [f"x.txt:4: warning: {message}"]


# The limits every reader shares.


MANY_ROWS = {
    "markdown": "| Code | Name |\n|---|---|\n" + "".join(f"| {c} | N |\n" for c in range(201, 206)),
    "rst": ".. list-table::\n\n" + "".join(f"   * - {c}\n     - N\n" for c in range(201, 206)),
    "text": "\nMore codes:\n\n" + "".join(f"• {c} N\n" for c in range(201, 206)) + "\nEnd.\n",
}


@pytest.mark.parametrize(
    ("fmt", "line", "kept"),
    [
        ("markdown", 12, ["200", "201", "202", "203", "404"]),
        ("rst", 20, ["200", "201", "202", "203", "404"]),
        ("text", 10, ["200 OK", "201 N", "202 N", "203 N", "404 Not Found"]),
    ],
    ids=["md", "rst", "txt"],
)
def test_rows_past_the_limit_are_not_read(
    monkeypatch: pytest.MonkeyPatch, fmt: Format, line: int, kept: list[str]
) -> None:
    # The real limit takes seconds to reach; the check does not depend on its size.
    monkeypatch.setattr("statusdocs.readers.base.MAX_ROWS", 3)
    monkeypatch.setattr("statusdocs.readers.text.MAX_ROWS", 3)
    parsed, diagnostics = read(fmt, around(fmt, MANY_ROWS[fmt]))
    assert first_lines(parsed) == kept
    message = "this table has more than 3 rows; the rest is not read [table.too-many-rows]"
    assert diagnostics == [f"x.{EXTENSIONS[fmt]}:{line}: error: {message}"]


def test_a_cut_cell_keeps_its_structure_and_its_span_copies_are_one_cell() -> None:
    long = RichText(
        (
            Paragraph((Strong((Text("a" * 60_000),)), Text(" tail"))),
            BulletList((ListItem((Paragraph((Code("b" * 60_000),)),)),)),
            Paragraph((Text("never shown"),)),
        )
    )
    table = RawTable(["Code", "Name"], [RawRow([from_plain("500"), long], 3)], line=1)
    table.rows.append(RawRow([from_plain("501"), long], 4, frozenset({1})))  # a row span
    diagnostics = Diagnostics()
    (cut,) = Limits(diagnostics.for_path("x")).bound([table])
    expected = RichText(
        (
            Paragraph((Strong((Text("a" * 60_000),)), Text(" tail"))),
            BulletList((ListItem((Paragraph((Code("b" * 39_995),)),)),)),
        )
    )
    assert [row.cells[1] for row in cut.rows] == [expected, expected]
    assert [item.format() for item in diagnostics.items] == [
        "x:3: warning: a cell longer than 100,000 characters is cut to its first 100,000"
        " [cell.too-long]"
    ]


# Fuzzing: no input makes a reader raise or take long.

SOURCE_TEXTS = [path.read_text("utf-8") for path in sorted(SOURCES.iterdir())]
PIECES = [
    "<div>", "</div>", "<table>", "<tr>", "<td>", "</td>", "<li>", "</br>", "<b>", "<![CDATA[",
    "<script>", "<!--", "|", "|---|", "+--+", "+==+", "..", ".. note::", ".. csv-table::",
    "::", "`", "``", "*", "**", "_", "[", "]", "](", "> ", "- ", "* ", "1. ", "#", "=====",
    "\t", "\n", "\n\n", "   ", "\x00", "\u2028", "\u2029", "\f", "\r", "\ufeff", "•", "◦", "&amp;",
    "&#0;", "\\", ":ref:`x <y>`", "|sub|", "[#]_", "200 OK", "404",
]  # fmt: skip
DIAGNOSTIC = re.compile(r"x(:\d+)?: (error|warning|info): .+ \[[a-z]+\.[a-z-]+\]", re.DOTALL)
WINDOW = 12_000
"""The most of a source one example mutates, so that the largest (48 kB) stays quick."""
piece = st.one_of(st.sampled_from(PIECES), st.text(max_size=8))
random_text = st.lists(piece, max_size=60).map("".join)


@st.composite
def mutated_source(draw: st.DrawFn) -> str:
    """A real source with slices inserted, deleted or repeated, and markup pieces dropped in."""
    source = draw(st.sampled_from(SOURCE_TEXTS))
    start = draw(st.integers(0, max(0, len(source) - WINDOW)))
    source = source[start : start + WINDOW]
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(source)))
        end = draw(st.integers(start, min(len(source), start + 400)))
        action = draw(st.sampled_from(["insert", "delete", "repeat"]))
        if action == "insert":
            source = source[:start] + draw(random_text) + source[start:]
        elif action == "delete":
            source = source[:start] + source[end:]
        else:
            source = source[:end] + source[start:end] * draw(st.integers(1, 8)) + source[end:]
    return source


@pytest.mark.parametrize("fmt", sorted(EXTENSIONS))
@settings(
    max_examples=60,
    deadline=timedelta(seconds=2),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(source=st.one_of(random_text, mutated_source()))
def test_no_input_makes_a_reader_raise_or_take_long(fmt: Format, source: str) -> None:
    diagnostics = Diagnostics()
    parsed = reader_for(fmt)(Document("x", source), diagnostics.for_path("x"))
    cells = [cell for table in parsed.tables for row in table.rows for cell in row.cells]
    assert all(len(table.rows) <= MAX_ROWS for table in parsed.tables)
    assert len(cells) <= MAX_CELLS
    assert all(len(cell.plain) <= 2 * MAX_CELL_CHARS for cell in cells)  # markers come on top
    # `decode` leaves only \n to end lines; undecoded, docutils also ends them at \r, U+2028…
    lines = len(source.splitlines()) + 1
    for item in diagnostics.items:
        assert DIAGNOSTIC.fullmatch(item.format())
        assert item.line is None or 1 <= item.line <= lines + 1  # docutils may point past the end


def test_json_table_data_past_the_row_limit_is_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("statusdocs.readers.fenced.MAX_ROWS", 1_000)
    monkeypatch.setattr("statusdocs.readers.base.MAX_ROWS", 1_000)
    rows = ",".join(['["404", "Not Found"]'] * 5_000)
    source = f'```json\n{{"headers": ["Code", "Name"], "rows": [{rows}]}}\n```\n'
    parsed, diagnostics = read("markdown", source)
    assert [len(table.rows) for table in parsed.tables] == [1_000]
    assert [d.rsplit("[", 1)[1] for d in diagnostics] == ["table.too-many-rows]"]


def test_deeply_nested_json_is_an_example_not_a_table() -> None:
    parsed, diagnostics = read("markdown", "```json\n" + "[" * 100_000 + "]" * 100_000 + "\n```\n")
    assert parsed.tables == [] and diagnostics == []


def test_front_matter_that_holds_itself_is_read_once() -> None:
    # An anchor whose value aliases itself is a loop a walk of the YAML must not follow.
    source = (
        "---\ntitle: Errors\nloop: &x\n  - *x\ncontent: |\n  | Code | Name |\n"
        "  | --- | --- |\n  | 200 | OK |\n---\n"
    )
    parsed, diagnostics = read("markdown", source)
    assert rows(parsed) == [["200", "OK"]] and parsed.title == "Errors"
    assert diagnostics == []
