"""The HTML reader: every <table> becomes a raw table of rich-text cells."""

from __future__ import annotations

from pathlib import Path

from statusdocs.diagnostics import Diagnostic, Diagnostics
from statusdocs.readers.base import Document, Parsed, RawTable
from statusdocs.readers.html import read_html, tables_from_html
from statusdocs.richtext import (
    EMPTY,
    BulletList,
    Code,
    Emphasis,
    LineBreak,
    Link,
    ListItem,
    OrderedList,
    Paragraph,
    RichText,
    Strong,
    Text,
)

KUBERNETES = Path(__file__).parents[2] / "sources" / "kubernetes-api-conventions.md"


def read(html: str) -> Parsed:
    diagnostics = Diagnostics()
    parsed = read_html(Document("x.html", html), diagnostics.for_path("x.html"))
    assert diagnostics.items == []
    return parsed


def only_table(html: str) -> RawTable:
    (table,) = read(html).tables
    return table


def para(*children: Text | Code | Strong | Emphasis | Link | LineBreak) -> Paragraph:
    return Paragraph(children)


def cell(*blocks: Paragraph | BulletList | OrderedList) -> RichText:
    return RichText(blocks)


def text(value: str) -> RichText:
    return cell(para(Text(value)))


def grid(table: RawTable) -> list[list[str]]:
    return [[c.plain for c in row.cells] for row in table.rows]


def test_success_table_fragment_keeps_file_lines_and_structure() -> None:
    lines = KUBERNETES.read_text(encoding="utf-8").split("\n")
    diagnostics = Diagnostics()
    fragment = "\n".join(lines[6:26])
    (table,) = tables_from_html(fragment, 7, "Success Codes", diagnostics.for_path("x.md"))
    assert diagnostics.items == []
    assert (table.line, table.header, table.context) == (7, None, "Success Codes")
    assert [row.line for row in table.rows] == [8, 13, 18]
    assert table.rows[0].cells == [
        cell(
            para(Code("200 StatusOK")),
            para(Text("Indicates that the request completed successfully.")),
        )
    ]
    assert table.rows[1].cells[0].blocks[0] == para(Code("201 StatusCreated"))  # from </br>
    assert table.rows[2].cells == [
        cell(
            para(Code("204 StatusNoContent")),
            BulletList(
                (
                    ListItem(
                        (
                            para(
                                Text(
                                    "Indicates that the request completed successfully, "
                                    "and the response contains no body."
                                )
                            ),
                        )
                    ),
                    ListItem((para(Text("Returned in response to HTTP OPTIONS requests.")),)),
                )
            ),
        )
    ]


def test_row_lines_and_table_line_in_a_page() -> None:
    page = (
        "<!doctype html>\n<h2>Errors</h2>\n<table>\n"
        "<tr><td>404</td></tr>\n\n<tr>\n<td>410</td></tr>\n</table>\n"
    )
    table = only_table(page)
    assert (table.line, table.context) == (3, "Errors")
    assert [row.line for row in table.rows] == [4, 6]


def test_thead_gives_the_header_and_code_column_need_not_be_first() -> None:
    table = only_table(
        "<table><thead><tr><th>Meaning</th><th>Status <i>code</i></th></tr></thead>"
        "<tbody><tr><td>Not found</td><td><code>404</code></td></tr></tbody></table>"
    )
    assert table.header == ["Meaning", "Status code"]
    assert table.rows[0].cells == [text("Not found"), cell(para(Code("404")))]


def test_a_first_row_of_th_cells_is_the_header() -> None:
    table = only_table("<table><tr><th>Code</th><th>Text</th></tr><tr><td>200</td><td>OK</td></tr>")
    assert table.header == ["Code", "Text"]
    assert grid(table) == [["200", "OK"]]


def test_a_row_mixing_th_and_td_is_a_body_row() -> None:
    table = only_table("<table><tr><th>200</th><td>OK</td></tr></table>")
    assert table.header is None
    assert grid(table) == [["200", "OK"]]


def test_rowspan_copies_content_down_and_colspan_leaves_empty_cells() -> None:
    table = only_table(
        "<table>"
        "<tr><td rowspan=2>4xx</td><td>400</td><td>Bad Request</td></tr>"
        "<tr><td>404</td><td>Not Found</td></tr>"
        "<tr><td colspan=2>5xx</td><td>Server errors</td></tr>"
        "<tr><td>500</td><td colspan=5>Internal</td></tr>"
        "</table>"
    )
    assert grid(table) == [
        ["4xx", "400", "Bad Request", "", "", ""],
        ["4xx", "404", "Not Found", "", "", ""],
        ["5xx", "", "Server errors", "", "", ""],
        ["500", "Internal", "", "", "", ""],
    ]
    assert [row.spanned for row in table.rows] == [
        frozenset(),
        frozenset({0}),
        frozenset({1}),
        frozenset({2, 3, 4, 5}),
    ]
    assert table.rows[2].cells[1] is EMPTY


def test_rowspan_with_colspan_fills_a_block() -> None:
    table = only_table(
        "<table><tr><td rowspan=2 colspan=2>x</td><td>a</td></tr><tr><td>b</td></tr></table>"
    )
    assert grid(table) == [["x", "", "a"], ["x", "", "b"]]
    assert [row.spanned for row in table.rows] == [frozenset({1}), frozenset({0, 1})]


def test_rowspan_zero_reaches_the_end_of_its_row_group() -> None:
    table = only_table(
        "<table><tbody><tr><td rowspan=0>x</td><td>1</td></tr><tr><td>2</td></tr></tbody>"
        "<tbody><tr><td>3</td><td>4</td></tr></tbody></table>"
    )
    assert grid(table) == [["x", "1"], ["x", "2"], ["3", "4"]]


def test_caption_title_and_context() -> None:
    parsed = read(
        "<html><head><title>Page</title></head><body><h1>API <em>codes</em></h1>"
        "<div><h3>Client errors</h3></div>"
        "<table><caption> Common  codes </caption><tr><td>404</td></tr></table>"
        "<h3>Server errors</h3><table><tr><td>500</td></tr></table></body></html>"
    )
    assert parsed.title == "API codes"
    first, second = parsed.tables
    assert (first.caption, first.context) == ("Common codes", "Client errors")
    assert (second.caption, second.context) == (None, "Server errors")


def test_title_falls_back_to_the_title_element() -> None:
    parsed = read("<title>Status codes</title><h2>x</h2>")
    assert (parsed.title, parsed.tables) == ("Status codes", [])


def test_fragment_heading_overrides_the_given_context() -> None:
    diagnostics = Diagnostics()
    report = diagnostics.for_path("x.md")
    tables = tables_from_html(
        "<table><tr><td>1</td></tr></table>\n<h4>Inner</h4>\n<table><tr><td>2</td></tr></table>",
        10,
        "Outer",
        report,
    )
    assert [(table.context, table.line) for table in tables] == [("Outer", 10), ("Inner", 12)]


def test_unclosed_li_and_nested_lists() -> None:
    table = only_table(
        "<table><tr><td><ul><li>one<li>two<ul><li>two.a</ul><li>three</ul></td></tr></table>"
    )
    assert table.rows[0].cells == [
        cell(
            BulletList(
                (
                    ListItem((para(Text("one")),)),
                    ListItem((para(Text("two")), BulletList((ListItem((para(Text("two.a")),)),)))),
                    ListItem((para(Text("three")),)),
                )
            )
        )
    ]


def test_ordered_list_keeps_its_start() -> None:
    table = only_table('<table><tr><td><ol start="3"><li>c</li><li>d</li></ol></td></tr></table>')
    assert table.rows[0].cells == [
        cell(OrderedList((ListItem((para(Text("c")),)), ListItem((para(Text("d")),))), 3))
    ]


def test_line_breaks_including_malformed_end_tag() -> None:
    table = only_table("<table><tr><td><br>a</br>b<br/></td></tr></table>")
    assert table.rows[0].cells == [cell(para(Text("a"), LineBreak(), Text("b")))]


def test_entities_are_decoded_and_white_space_collapsed() -> None:
    table = only_table(
        "<table><tr><td>  Don&rsquo;t\n\t&amp; &lt;retry&gt;&nbsp;x </td></tr></table>"
    )
    # A no-break space is white space too, and collapses like any other.
    assert table.rows[0].cells == [text("Don\u2019t & <retry> x")]


def test_nested_blocks_become_paragraphs_and_inline_markup_is_kept() -> None:
    table = only_table(
        "<table><tr><td><span>lead</span><div><p>Use <code>Retry-After</code>, "
        '<b>always</b>. See <a href="https://example.com/a?b=1&amp;c=2">docs</a></p>'
        "<ul><li><small><b>Note:</b></small> <em>soon</em></li></ul></div>tail</td></tr></table>"
    )
    assert table.rows[0].cells == [
        cell(
            para(Text("lead")),
            para(
                Text("Use "),
                Code("Retry-After"),
                Text(", "),
                Strong((Text("always"),)),
                Text(". See "),
                Link((Text("docs"),), "https://example.com/a?b=1&c=2"),
            ),
            BulletList(
                (ListItem((para(Strong((Text("Note:"),)), Text(" "), Emphasis((Text("soon"),))),)),)
            ),
            para(Text("tail")),
        )
    ]


def test_space_at_the_edge_of_inline_markup_is_kept_outside_it() -> None:
    table = only_table("<table><tr><td><b>Note: </b>x<code> y </code>z</td></tr></table>")
    assert table.rows[0].cells == [
        cell(para(Strong((Text("Note:"),)), Text(" x "), Code("y"), Text(" z")))
    ]


def test_nested_table_stays_inside_its_cell() -> None:
    table = only_table(
        "<table><tr><td>outer<table><tr><td>a</td><td>b</td></tr></table></td></tr></table>"
    )
    assert table.rows[0].cells == [cell(para(Text("outer")), para(Text("a")), para(Text("b")))]


def test_script_style_and_comments_are_dropped() -> None:
    table = only_table(
        "<table><tr><td>a<script>alert(1)</script><style>td{}</style><!-- hidden -->b</td></tr>"
        "</table>"
    )
    assert table.rows[0].cells == [text("ab")]


def test_no_markup_or_line_attribute_leaks_into_cells() -> None:
    table = only_table('<table><tr><td class="x"><div data-x="1">a</div></td></tr></table>')
    assert "data-" not in repr(table)
    assert "<" not in repr(table)


def test_short_rows_are_padded_to_a_rectangle() -> None:
    table = only_table("<table><tr><td>1</td><td>2</td></tr><tr><td>3</td></tr></table>")
    assert grid(table) == [["1", "2"], ["3", ""]]
    assert table.rows[1].spanned == frozenset()


def test_table_without_rows_is_reported() -> None:
    diagnostics = Diagnostics()
    parsed = read_html(
        Document("x.html", "<p>x</p>\n<table>\n</table>"), diagnostics.for_path("x.html")
    )
    assert [(table.rows, table.line) for table in parsed.tables] == [([], 2)]
    assert diagnostics.items == [
        Diagnostic("x.html", 2, "info", "table.empty", "this table has no body rows")
    ]
