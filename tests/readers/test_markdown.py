"""The Markdown reader: pipe tables and raw HTML tables become raw tables."""

from __future__ import annotations

from pathlib import Path

from statusdocs.diagnostics import Diagnostics
from statusdocs.readers.base import Document, Parsed, RawTable
from statusdocs.readers.markdown import read_markdown
from statusdocs.richtext import (
    BulletList,
    Code,
    Emphasis,
    LineBreak,
    Link,
    ListItem,
    Paragraph,
    RichText,
    Strong,
    Text,
)

SOURCES = Path(__file__).parents[2] / "sources"


def read(text: str) -> Parsed:
    diagnostics = Diagnostics()
    parsed = read_markdown(Document("x.md", text), diagnostics.for_path("x.md"))
    assert diagnostics.items == []
    return parsed


def read_source(name: str) -> Parsed:
    return read((SOURCES / name).read_text(encoding="utf-8"))


def only_table(text: str) -> RawTable:
    (table,) = read(text).tables
    return table


def para(*children: Text | Code | Strong | Emphasis | Link | LineBreak) -> Paragraph:
    return Paragraph(children)


def cell(*children: Text | Code | Strong | Emphasis | Link | LineBreak) -> RichText:
    return RichText((para(*children),))


def item(*blocks: Paragraph | BulletList) -> ListItem:
    return ListItem(blocks)


def test_kubernetes_html_tables_are_joined_across_blank_lines() -> None:
    parsed = read_source("kubernetes-api-conventions.md")
    assert parsed.title == "HTTP Status"
    success, errors = parsed.tables
    assert [(t.context, t.header, t.line, len(t.rows)) for t in parsed.tables] == [
        ("Success Codes", None, 7, 3),
        ("Error Codes", None, 30, 13),
    ]
    assert [row.line for row in success.rows] == [8, 13, 18]
    assert [row.line for row in errors.rows] == [
        31, 40, 49, 58, 67, 76, 85, 104, 113, 122, 131, 140, 149,
    ]  # fmt: skip
    assert [row.cells[0].blocks[0] for row in errors.rows][-1] == para(
        Code("504 StatusServerTimeout")
    )


def test_kubernetes_204_cell() -> None:
    success = read_source("kubernetes-api-conventions.md").tables[0]
    assert success.rows[2].cells == [
        RichText(
            (
                para(Code("204 StatusNoContent")),
                BulletList(
                    (
                        item(
                            para(
                                Text(
                                    "Indicates that the request completed successfully, "
                                    "and the response contains no body."
                                )
                            )
                        ),
                        item(para(Text("Returned in response to HTTP OPTIONS requests."))),
                    )
                ),
            )
        )
    ]


def test_kubernetes_409_cell_keeps_nested_lists_and_code() -> None:
    errors = read_source("kubernetes-api-conventions.md").tables[1]
    (conflict,) = errors.rows[6].cells
    assert conflict.blocks[:3] == (
        para(Code("409 StatusConflict")),
        para(
            Text(
                "Indicates that either the resource the client attempted to create already "
                "exists or the requested update operation cannot be completed due to a conflict."
            )
        ),
        para(Strong((Text("Suggested Action"),))),
    )
    assert conflict.blocks[3] == BulletList(
        (
            item(
                para(
                    Strong((Text("If creating a new resource:"),)),
                    Text(
                        " Either change the identifier and try again, or GET and compare the "
                        "fields in the pre-existing object and issue a PUT/update to modify the "
                        "existing object."
                    ),
                )
            ),
            item(
                para(Strong((Text("If updating an existing resource:"),))),
                BulletList(
                    (
                        item(
                            para(
                                Text(
                                    "See Conflict from the status response on how to retrieve "
                                    "more information about the nature of the conflict."
                                )
                            )
                        ),
                        item(
                            para(
                                Text(
                                    "GET and compare the fields in the pre-existing object, "
                                    "merge changes (if still valid according to preconditions), "
                                    "and retry with the updated request (including "
                                ),
                                Code("resourceVersion"),
                                Text(")."),
                            )
                        ),
                    )
                ),
            ),
        )
    )
    assert len(conflict.blocks) == 4


def test_guideline_pipe_table() -> None:
    parsed = read_source("api-guideline-status-codes.md")
    assert parsed.title == "Response Status Codes"
    (table,) = parsed.tables
    assert (table.header, table.context, table.line) == (
        ["Code", "Test", "Description"],
        "Recommended Status Codes",
        11,
    )
    assert len(table.rows) == 23
    assert [row.line for row in table.rows] == list(range(13, 36))
    assert table.rows[0].cells == [
        cell(Text("200")),
        cell(Text("OK")),
        cell(Text("The request has succeeded.")),
    ]
    too_many = table.rows[18]
    assert too_many.line == 31
    assert too_many.cells[:2] == [cell(Text("429")), cell(Text("Too Many Requests"))]
    assert too_many.cells[2] == cell(
        Text(
            "Returned when a request cannot be served due to the applicationâ€™s rate limit "
            "having been exhausted for the resource. Response "
        ),
        Strong((Text("SHOULD"),)),
        Text(" include a 'Retry-After' header."),
    )


def test_pipe_table_inline_markup() -> None:
    table = only_table(
        "| Code | Notes |\n"
        "|---|---|\n"
        "| `404` | *gone*\tfor **good**, see [docs](https://example.com) |\n"
        "| 429 | wait<br>then <b>retry</b> <span>soon</span><!-- x --> |\n"
        "| 500 | use <code>Retry-After</code> and <a href='/r?a=1&amp;b=2'>retry</a> |\n"
    )
    assert table.header == ["Code", "Notes"]
    assert [row.cells for row in table.rows] == [
        [
            cell(Code("404")),
            cell(
                Emphasis((Text("gone"),)),
                Text(" for "),
                Strong((Text("good"),)),
                Text(", see "),
                Link((Text("docs"),), "https://example.com"),
            ),
        ],
        [
            cell(Text("429")),
            cell(Text("wait"), LineBreak(), Text("then "), Strong((Text("retry"),)), Text(" soon")),
        ],
        [
            cell(Text("500")),
            cell(
                Text("use "),
                Code("Retry-After"),
                Text(" and "),
                Link((Text("retry"),), "/r?a=1&b=2"),
            ),
        ],
    ]


def test_unclosed_inline_html_closes_at_the_cell_end() -> None:
    table = only_table("| a |\n|---|\n| <b>bold <i>both |\n")
    assert table.rows[0].cells == [cell(Strong((Text("bold "), Emphasis((Text("both"),)))))]


def test_short_rows_are_padded_by_the_parser() -> None:
    table = only_table("| a | b |\n|---|---|\n| 1 |\n")
    assert table.rows[0].cells == [cell(Text("1")), RichText()]


def test_setext_heading_is_the_context_and_first_h1_the_title() -> None:
    parsed = read("Intro\n-----\n\nTitle\n=====\n\n| a |\n|---|\n| 1 |\n")
    assert parsed.title == "Title"
    assert parsed.tables[0].context == "Title"


def test_title_falls_back_to_the_first_heading() -> None:
    assert read("### Codes\n\n## More\n").title == "Codes"
    assert read("no heading\n").title is None


def test_tables_inside_lists_and_quotes_are_found() -> None:
    parsed = read(
        "## Codes\n\n- list\n\n  | a |\n  |---|\n  | 1 |\n\n"
        "> <table>\n> <tr><td>2</td></tr>\n>\n> <tr><td>3</td></tr>\n> </table>\n"
    )
    listed, quoted = parsed.tables
    assert (listed.context, listed.line, [row.line for row in listed.rows]) == ("Codes", 5, [7])
    assert (quoted.context, quoted.line, [row.line for row in quoted.rows]) == (
        "Codes",
        9,
        [10, 12],
    )
    assert [row.cells for row in quoted.rows] == [[cell(Text("2"))], [cell(Text("3"))]]


def test_html_blocks_without_a_table_are_skipped() -> None:
    assert read("<div>\n<p>x</p>\n</div>\n\n| a |\n|---|\n| 1 |\n").tables[0].line == 5
    assert read("<div>\n<p>x</p>\n</div>\n").tables == []


def test_html_run_stops_at_the_first_other_block() -> None:
    parsed = read(
        "<table>\n<tr><td>1</td></tr>\n\n<tr><td>2</td></tr>\n\ntext\n\n"
        "<tr><td>3</td></tr>\n</table>\n"
    )
    (table,) = parsed.tables
    assert [row.line for row in table.rows] == [2, 4]
