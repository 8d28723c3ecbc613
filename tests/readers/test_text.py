"""The plain-text reader: indented bullet lists become one-column raw tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from statusdocs.diagnostics import Diagnostics
from statusdocs.readers.base import Document, Parsed, RawTable
from statusdocs.readers.text import read_text
from statusdocs.richtext import BulletList, ListItem, OrderedList, Paragraph, RichText, Text

BLOG_COPY = Path(__file__).parents[2] / "sources" / "kubernetes-api-conventions-blog-copy.txt"


def read(text: str) -> Parsed:
    diagnostics = Diagnostics()
    parsed = read_text(Document("x.txt", text), diagnostics.for_path("x.txt"))
    assert diagnostics.items == []
    return parsed


def para(text: str) -> Paragraph:
    return Paragraph((Text(text),))


def item(text: str, *children: BulletList | OrderedList) -> ListItem:
    return ListItem((para(text), *children))


def bullets(*items: ListItem | str) -> BulletList:
    return BulletList(tuple(item(entry) if isinstance(entry, str) else entry for entry in items))


def cells(table: RawTable) -> list[RichText]:
    assert all(len(row.cells) == 1 for row in table.rows)
    return [row.cells[0] for row in table.rows]


@pytest.fixture(scope="module")
def blog() -> Parsed:
    return read(BLOG_COPY.read_text(encoding="utf-8"))


def test_blog_copy_has_one_table_per_heading(blog: Parsed) -> None:
    assert blog.title == "kubernetes api http请求状态码"
    assert [(t.context, t.line, len(t.rows), t.header) for t in blog.tables] == [
        ("Success codes", 9, 3, None),
        ("Error codes", 19, 13, None),
    ]


def test_blog_copy_row_lines(blog: Parsed) -> None:
    success, errors = blog.tables
    assert [row.line for row in success.rows] == [9, 11, 13]
    assert errors.rows[0].line == 19
    assert errors.rows[-1].line == 83
    assert errors.rows[-1].cells[0].blocks[0] == para("504 StatusServerTimeout")


def test_blog_copy_204_cell(blog: Parsed) -> None:
    assert cells(blog.tables[0])[2] == RichText(
        (
            para("204 StatusNoContent"),
            bullets(
                "Indicates that the request completed successfully, and the response "
                "contains no body.",
                "Returned in response to HTTP OPTIONS requests.",
            ),
        )
    )


def test_blog_copy_307_cell_keeps_the_suggestion_nested(blog: Parsed) -> None:
    assert cells(blog.tables[1])[0] == RichText(
        (
            para("307 StatusTemporaryRedirect"),
            bullets(
                "Indicates that the address for the requested resource has changed.",
                item("Suggested client recovery behavior:", bullets("Follow the redirect.")),
            ),
        )
    )


def test_blog_copy_409_cell_keeps_three_levels(blog: Parsed) -> None:
    row = blog.tables[1].rows[6]
    assert row.line == 49
    assert row.cells[0] == RichText(
        (
            para("409 StatusConflict"),
            bullets(
                "Indicates that either the resource the client attempted to create already "
                "exists or the requested update operation cannot be completed due to a conflict.",
                item(
                    "Suggested client recovery behavior:",
                    bullets(
                        item(
                            "If creating a new resource:",
                            bullets(
                                "Either change the identifier and try again, or GET and compare "
                                "the fields in the pre-existing object and issue a PUT/update to "
                                "modify the existing object."
                            ),
                        ),
                        item(
                            "If updating an existing resource:",
                            bullets(
                                # The source separates these words with no-break spaces.
                                "See Conflict from the status response section below on how to "
                                "retrieve more information about the nature of the conflict.",
                                "GET and compare the fields in the pre-existing object, merge "
                                "changes (if still valid according to preconditions), and retry "
                                "with the updated request (including ResourceVersion).",
                            ),
                        ),
                    ),
                ),
            ),
        )
    )


def test_blog_copy_footer_is_not_content(blog: Parsed) -> None:
    everything = "\n".join(cell.plain for table in blog.tables for cell in cells(table))
    assert "posted @" not in everything
    assert "摘录自" not in everything
    assert "The following HTTP status codes" not in everything


def test_dash_and_star_bullets_nest_by_indentation() -> None:
    parsed = read("Codes\n\n- 200 OK\n  * fine\n  * good\n- 404 Not Found\n")
    (table,) = parsed.tables
    assert table.context == "Codes"
    assert parsed.title == "Codes"
    assert cells(table) == [
        RichText((para("200 OK"), bullets("fine", "good"))),
        RichText((para("404 Not Found"),)),
    ]


def test_numbered_items_become_ordered_lists_where_nested() -> None:
    (table,) = read("1. 400 Bad Request\n   3) missing field\n   4) wrong type\n2. 500\n").tables
    assert [row.line for row in table.rows] == [1, 4]
    assert cells(table)[0] == RichText(
        (
            para("400 Bad Request"),
            OrderedList((item("missing field"), item("wrong type")), start=3),
        )
    )


def test_kind_change_among_children_starts_a_new_list() -> None:
    (table,) = read("+ 400\n  1. first\n  - aside\n").tables
    assert cells(table)[0] == RichText(
        (para("400"), OrderedList((item("first"),)), bullets("aside"))
    )


def test_continuation_lines_join_and_blank_line_starts_a_paragraph() -> None:
    text = "- 503 Service\n  Unavailable\n    - retry   later,\n      with backoff\n\n  see notes\n"
    (table,) = read(text).tables
    assert cells(table) == [
        RichText(
            (
                para("503 Service Unavailable"),
                bullets("retry later, with backoff"),
                para("see notes"),
            )
        )
    ]


def test_tabs_count_as_four_columns() -> None:
    # A tab is deeper than two spaces and level with four.
    (table,) = read("  • 200\n\t• ok\n    • fine\n\t\t• deeper\n").tables
    assert cells(table) == [
        RichText((para("200"), bullets("ok", item("fine", bullets("deeper"))))),
    ]


def test_blank_lines_between_items_keep_the_list() -> None:
    (table,) = read("  - 200\n\n      - ok\n\n  - 201\n").tables
    assert [row.line for row in table.rows] == [1, 5]


def test_list_without_heading_has_no_context() -> None:
    parsed = read("These codes may be returned.\n\n- 200 OK\n")
    assert parsed.title is None
    assert [table.context for table in parsed.tables] == [None]


def test_prose_between_lists_makes_two_tables() -> None:
    text = "# Status #\n\n## Success\n- 200\n\nSome prose here.\n- 400\n- 404\nfooter\n"
    parsed = read(text)
    assert parsed.title == "Status"
    assert [(t.context, t.line, len(t.rows)) for t in parsed.tables] == [
        ("Success", 4, 1),
        (None, 7, 2),
    ]


def test_underlined_heading_is_the_context() -> None:
    parsed = read("Error Codes\n===========\n\n* 500\n")
    assert [table.context for table in parsed.tables] == ["Error Codes"]
    assert parsed.title == "Error Codes"


def test_less_indented_bullet_after_blank_line_starts_a_new_list() -> None:
    tables = read("    - 200\n\n- 400\n").tables
    assert [(t.line, len(t.rows)) for t in tables] == [(1, 1), (3, 1)]


def test_text_without_bullets_has_no_tables() -> None:
    assert read("Just prose.\n2022-11-28 - a date\n").tables == []


def test_empty_top_level_item_is_skipped_with_a_note() -> None:
    diagnostics = Diagnostics()
    parsed = read_text(Document("x.txt", "-\n- 200\n"), diagnostics.for_path("x.txt"))
    assert [row.line for row in parsed.tables[0].rows] == [2]
    assert [item.format() for item in diagnostics.items] == [
        "x.txt:1: info: Skipped a list item with no text. [text.empty-item]"
    ]
