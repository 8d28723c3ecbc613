"""The reStructuredText reader: every docutils table becomes a raw table, with file lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from docutils.parsers.rst import Parser, directives, roles

from statusdocs.diagnostics import Diagnostic, Diagnostics
from statusdocs.readers.base import Document, Parsed, RawTable
from statusdocs.readers.rst import read_rst
from statusdocs.richtext import (
    EMPTY,
    BulletList,
    Code,
    Emphasis,
    Link,
    ListItem,
    OrderedList,
    Paragraph,
    RichText,
    Strong,
    Text,
)

SOURCES = Path(__file__).parents[2] / "sources"


def read_with_diagnostics(text: str) -> tuple[Parsed, list[Diagnostic]]:
    diagnostics = Diagnostics()
    parsed = read_rst(Document("x.rst", text), diagnostics.for_path("x.rst"))
    return parsed, diagnostics.items


def read(text: str) -> Parsed:
    parsed, diagnostics = read_with_diagnostics(text)
    assert diagnostics == []
    return parsed


def read_source(name: str) -> tuple[Parsed, list[Diagnostic]]:
    return read_with_diagnostics((SOURCES / name).read_text(encoding="utf-8"))


def only_table(text: str) -> RawTable:
    (table,) = read(text).tables
    return table


def cell(*children: Text | Code | Strong | Emphasis | Link) -> RichText:
    return RichText((Paragraph(children),))


def texts(table: RawTable) -> list[list[str]]:
    return [[c.plain for c in row.cells] for row in table.rows]


def lines(table: RawTable) -> list[int]:
    return [row.line for row in table.rows]


def where(diagnostics: list[Diagnostic]) -> list[tuple[int | None, str, str]]:
    return [(d.line, d.severity, d.type) for d in diagnostics]


# --- the real sources -------------------------------------------------------


def test_iam_status_codes_table() -> None:
    parsed, diagnostics = read_source("huaweicloud-iam-status-codes.rst")
    assert diagnostics == []
    assert parsed.title == "Status Codes"
    (table,) = parsed.tables
    assert table.caption == "Table 1 Status codes"
    assert table.context == "Status Codes"
    assert table.header == ["Status Code", "Message Title", "Description"]
    assert table.line == 8
    assert len(table.rows) == 41
    assert all(len(row.cells) == 3 and not row.spanned for row in table.rows)
    by_code = {row.cells[0].plain: row for row in table.rows}
    assert {code: by_code[code].line for code in ("100", "101", "400", "503", "505")} == {
        "100": 13,
        "101": 17,
        "400": 49,
        "503": 109,
        "505": 115,
    }
    assert by_code["100"].cells[1] == cell(Text("Continue"))
    assert by_code["100"].cells[2] == RichText(
        (
            Paragraph((Text("The client should continue with its request."),)),
            Paragraph(
                (
                    Text(
                        "This interim response is used to inform the client that the initial"
                        " part of the request has been received and has not yet been rejected"
                        " by the server."
                    ),
                )
            ),
        )
    )
    (description,) = by_code["413"].cells[2].blocks
    assert isinstance(description, Paragraph)
    assert Strong((Text("Retry-After"),)) in description.children
    assert by_code["417"].cells[2] == cell(
        Text("The server fails to meet the requirements of the "),
        Strong((Text("Expect"),)),
        Text(" request header field."),
    )


def test_apig_status_codes_table() -> None:
    parsed, diagnostics = read_source("huaweicloud-apig-status-codes.rst")
    # The `:ref:` to the table's own label above it is a Sphinx role: no error.
    assert diagnostics == []
    assert parsed.title == "HTTP Status Codes"
    (table,) = parsed.tables
    assert (table.caption, table.context, table.line) == (
        "Table 1 HTTP status codes",
        "HTTP Status Codes",
        12,
    )
    assert table.header == ["Status Code & Message", "Description"]
    assert len(table.rows) == 18
    assert lines(table)[:4] == [17, 19, 21, 26]
    bad_request = table.rows[2]
    assert bad_request.cells[0] == cell(Text("400 Bad Request"))
    assert bad_request.cells[1] == RichText(
        (
            Paragraph(
                (Text("The server failed to process the request. Possible causes include:"),)
            ),
            OrderedList(
                (
                    ListItem((Paragraph((Text("Malformed request syntax"),)),)),
                    ListItem((Paragraph((Text("Invalid request message framing"),)),)),
                )
            ),
        )
    )


# --- table kinds and their row lines ----------------------------------------

GRID = """\
Heading
=======

+------+-----------+
| Code | Meaning   |
+======+===========+
| 200  | OK        |
+------+-----------+
|      | continued |
+------+-----------+
"""


def test_grid_row_with_empty_first_cell_stays_its_own_row() -> None:
    table = only_table(GRID)
    assert table.header == ["Code", "Meaning"]
    assert texts(table) == [["200", "OK"], ["", "continued"]]
    assert table.rows[1].cells[0] == EMPTY
    assert table.rows[1].spanned == frozenset()
    assert (table.line, lines(table)) == (5, [7, 9])
    assert table.context == "Heading"
    assert table.caption is None


SPANS = """\
+----+----+----+
| a  | b       |
+----+----+----+
| c  | d  | e  |
+    +----+----+
|    | f  | g  |
+----+----+----+
| h  | i       |
+    +         +
|    |         |
+----+----+----+
"""


def test_row_and_column_spans_fill_a_rectangular_grid() -> None:
    table = only_table(SPANS)
    assert table.header is None
    assert texts(table) == [
        ["a", "b", ""],
        ["c", "d", "e"],
        ["c", "f", "g"],
        ["h", "i", ""],
        ["h", "i", ""],
    ]
    assert [row.spanned for row in table.rows] == [
        frozenset({2}),
        frozenset(),
        frozenset({0}),
        frozenset({2}),
        frozenset({0, 1, 2}),
    ]
    # The last row holds nothing of its own, so it falls back to the table's line.
    assert (table.line, lines(table)) == (2, [2, 4, 6, 8, 2])


SIMPLE = """\
Codes
-----

=====  =============
Code   Meaning
=====  =============
200    OK
404    Not Found;
       truly gone
500    Error
=====  =============
"""


def test_simple_table_rows_have_their_lines() -> None:
    table = only_table(SIMPLE)
    assert table.header == ["Code", "Meaning"]
    # In a simple table a line with an empty first column continues the row above.
    assert texts(table) == [["200", "OK"], ["404", "Not Found; truly gone"], ["500", "Error"]]
    assert (table.line, lines(table)) == (5, [7, 8, 10])
    assert table.context == "Codes"


LIST_TABLE = """\
.. list-table:: **Table 2** Codes
   :header-rows: 1

   * - Code
     - Meaning
   * - 200
     - OK
   * -
     - nothing in the first cell
"""


def test_list_table_rows_have_their_lines() -> None:
    table = only_table(LIST_TABLE)
    assert table.caption == "Table 2 Codes"
    assert table.header == ["Code", "Meaning"]
    assert texts(table) == [["200", "OK"], ["", "nothing in the first cell"]]
    assert (table.line, lines(table)) == (1, [6, 9])


CSV_TABLE = """\
Intro.

.. csv-table:: Codes
   :header: "Code", "Meaning"

   200, "OK"
   404, "Not
   Found"
   500, Error
"""


def test_csv_table_rows_have_their_file_lines() -> None:
    # docutils itself numbers every CSV cell from line 1.
    table = only_table(CSV_TABLE)
    assert (table.caption, table.header) == ("Codes", ["Code", "Meaning"])
    assert texts(table) == [["200", "OK"], ["404", "Not Found"], ["500", "Error"]]
    assert (table.line, lines(table)) == (3, [6, 7, 9])


# --- Sphinx markup and untrusted directives ---------------------------------

UNKNOWN_DIRECTIVE = """\
Top
===

.. only:: html

   +-----+----+
   | 200 | OK |
   +-----+----+

.. only:: latex

   Only for print.

.. tabularcolumns:: |l|l|
"""


def test_table_inside_an_unknown_directive_is_found() -> None:
    parsed, diagnostics = read_with_diagnostics(UNKNOWN_DIRECTIVE)
    (table,) = parsed.tables
    assert texts(table) == [["200", "OK"]]
    assert (table.line, table.context) == (7, "Top")
    assert where(diagnostics) == [
        (4, "info", "rst.unknown-directive"),
        (14, "info", "rst.unknown-directive"),
    ]
    assert [d.message.split(":")[0] for d in diagnostics] == [
        'unknown directive "only"',
        'unknown directive "tabularcolumns"',
    ]


ROLES = """\
.. list-table::

   * - :ref:`Table 1 <label>` and :ref:`label` and :doc:`/guide/intro`
   * - :class:`~pkg.mod.Client` or :kbd:`Ctrl` or :code:`a  b` or ``c``
   * - :numref:`Figure %s <fig>`, :http:statuscode:`404` and `default role`
"""


def test_unknown_roles_keep_their_shown_text() -> None:
    table = only_table(ROLES)
    assert [row.cells[0] for row in table.rows] == [
        cell(Text("Table 1 and label and /guide/intro")),
        cell(
            Code("Client"),
            Text(" or "),
            Code("Ctrl"),
            Text(" or "),
            Code("a b"),
            Text(" or "),
            Code("c"),
        ),
        cell(Text("Figure %s, 404 and default role")),
    ]


def test_include_raw_and_csv_files_are_disabled() -> None:
    source = """\
.. include:: /etc/passwd

.. list-table::

   * - .. raw:: html

          <script>alert(1)</script>
     - .. include:: /etc/passwd

.. csv-table:: Secrets
   :file: /etc/passwd
"""
    parsed, diagnostics = read_with_diagnostics(source)
    (table,) = parsed.tables
    assert table.rows[0].cells == [EMPTY, EMPTY]
    assert where(diagnostics) == [
        (1, "warning", "rst.syntax"),
        (5, "warning", "rst.syntax"),
        (8, "warning", "rst.syntax"),
        (10, "warning", "rst.syntax"),
    ]
    assert diagnostics[0].message == '"include" directive disabled.'
    assert diagnostics[1].message == '"raw" directive disabled.'


def test_malformed_grid_table_gives_one_syntax_error() -> None:
    source = """\
Text before.

+------+------+
| a    | b    |
+------+
| c    | d    |
+------+------+
"""
    parsed, diagnostics = read_with_diagnostics(source)
    assert parsed.tables == []
    # docutils points at the border where the table stops making sense.
    assert where(diagnostics) == [(5, "error", "rst.syntax")]
    assert diagnostics[0].message == "Malformed table."


def test_role_definitions_do_not_leak_into_the_next_document() -> None:
    lookups = (roles.role, directives.directive)
    read_with_diagnostics(".. role:: shout(strong)\n\n.. default-role:: shout\n\n:shout:`hi`\n")
    assert (roles.role, directives.directive) == lookups
    table = only_table(".. list-table::\n\n   * - :shout:`hi` and `there`\n")
    assert table.rows[0].cells[0] == cell(Text("hi and there"))


# --- cell content -----------------------------------------------------------

RICH_CELLS = """\
.. list-table::

   * - Use *care* with **force**, see `the spec <https://example.com/spec>`_ and Target_.

       3. third
       4. fourth

          - nested

       ::

          literal  block

       > quoted? no: a block quote follows

          Quoted text.

.. _Target: https://example.com/target
"""


def test_cell_markup_becomes_rich_text() -> None:
    table = only_table(RICH_CELLS)
    assert table.rows[0].cells[0] == RichText(
        (
            Paragraph(
                (
                    Text("Use "),
                    Emphasis((Text("care"),)),
                    Text(" with "),
                    Strong((Text("force"),)),
                    Text(", see "),
                    Link((Text("the spec"),), "https://example.com/spec"),
                    Text(" and "),
                    Link((Text("Target"),), "https://example.com/target"),
                    Text("."),
                )
            ),
            OrderedList(
                (
                    ListItem((Paragraph((Text("third"),)),)),
                    ListItem(
                        (
                            Paragraph((Text("fourth"),)),
                            BulletList((ListItem((Paragraph((Text("nested"),)),)),)),
                        )
                    ),
                ),
                start=3,
            ),
            Paragraph((Code("literal  block"),)),
            Paragraph((Text("> quoted? no: a block quote follows"),)),
            Paragraph((Text("Quoted text."),)),
        )
    )


def test_document_without_sections_has_no_title_or_context() -> None:
    parsed = read("+---+\n| a |\n+---+\n")
    assert parsed.title is None
    (table,) = parsed.tables
    assert (table.context, table.line, lines(table)) == (None, 2, [2])


def test_unreadable_inline_markup_keeps_its_text() -> None:
    source = ".. list-table::\n\n   * - a *b and |undefined|\n"
    parsed, diagnostics = read_with_diagnostics(source)
    (table,) = parsed.tables
    assert table.rows[0].cells[0] == cell(Text("a *b and |undefined|"))
    assert where(diagnostics) == [(3, "warning", "rst.syntax"), (3, "error", "rst.syntax")]
    assert [d.message for d in diagnostics] == [
        "Inline emphasis start-string without end-string.",
        'Undefined substitution referenced: "undefined".',
    ]


def test_last_header_row_names_the_columns() -> None:
    source = """\
+------+---------------------+
| Code | Response            |
+      +---------+-----------+
|      | Phrase  | Meaning   |
+======+=========+===========+
| 200  | OK      | Fine      |
+------+---------+-----------+
"""
    table = only_table(source)
    assert table.header == ["Code", "Phrase", "Meaning"]
    assert (table.line, lines(table)) == (2, [6])


def test_docutils_failure_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(self: Parser, inputstring: str, document: object) -> None:
        raise RecursionError("too deep")

    monkeypatch.setattr(Parser, "parse", fail)
    lookups = (roles.role, directives.directive)
    parsed, diagnostics = read_with_diagnostics(GRID)
    assert parsed.tables == []
    assert where(diagnostics) == [(None, "error", "rst.parser-failure")]
    assert (roles.role, directives.directive) == lookups
