"""Reading single cells: code shapes, header words, labelled action sections."""

from __future__ import annotations

import pytest

from statusdocs.analysis.selection import SelectionError, parse_codes
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
from statusdocs.tables.cells import CodeCell, parse_code, split_action
from statusdocs.tables.words import header_role


def cell(*inlines: Text | Code | Strong) -> RichText:
    return RichText((Paragraph(inlines),))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (cell(Text("404")), CodeCell("code", 404, "", "404")),
        (cell(Text("200 OK")), CodeCell("code", 200, "OK", "200 OK")),
        (
            cell(Code("404"), Text(" Not Found")),
            CodeCell("code", 404, "Not Found", "404 Not Found"),
        ),
        (
            cell(Code("404 StatusNotFound")),
            CodeCell("code", 404, "StatusNotFound", "404 StatusNotFound"),
        ),
        (
            cell(Text("418 - I'm a teapot")),
            CodeCell("code", 418, "I'm a teapot", "418 - I'm a teapot"),
        ),
        (cell(Text("**429**")), CodeCell("code", 429, "", "**429**")),
        (cell(Text("299")), CodeCell("code", 299, "", "299")),
        (cell(Text("600")), CodeCell("invalid", 600, "", "600")),
        (cell(Text("abc")), CodeCell("invalid", None, "", "abc")),
        (cell(Text("4xx")), CodeCell("class", None, "", "4xx")),
        (cell(Text("5XX")), CodeCell("class", None, "", "5XX")),
        (cell(Text("500-511")), CodeCell("range", None, "", "500-511")),
        (cell(Text("500 – 511")), CodeCell("range", None, "", "500 – 511")),
        (cell(Text("1234")), CodeCell("invalid", None, "", "1234")),
        (RichText(), CodeCell("empty", None, "", "")),
    ],
)
def test_parse_code(content: RichText, expected: CodeCell) -> None:
    assert parse_code(content) == expected


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("Status Code", "code"),
        ("HTTP status", "code"),
        ("状态码", "code"),
        ("Code", "code"),
        ("Message Title", "name"),
        ("Reason phrase", "name"),
        ("Name", "name"),
        ("Description", "description"),
        ("Meaning", "description"),
        ("说明", "description"),
        ("Beschreibung", "description"),
        ("Suggested Action", "action"),
        ("Client recovery", "action"),
        ("Retry?", "retry"),
        ("Retryable", "retry"),
        ("处理建议", "action"),
        ("狀態碼", "code"),
        ("ステータスコード", "code"),
        ("상태 코드", "code"),
        ("Statuscode", "code"),
        ("Code d'état", "code"),
        ("Código de estado", "code"),
        ("Код состояния", "code"),
        ("HTTP状态码", "code"),
        ("Bedeutung", "description"),
        ("Signification", "description"),
        ("Test", None),
        ("Since", None),
    ],
)
def test_header_role(header: str, role: str | None) -> None:
    assert header_role(header) == role


def test_split_action_after_bold_label() -> None:
    content = RichText(
        (
            Paragraph((Text("Indicates the requested is invalid."),)),
            Paragraph((Strong((Text("Suggested Action"),)),)),
            Paragraph((Text("Do not retry. Fix the request."),)),
        )
    )
    sections = split_action(content)
    assert sections.description == from_plain("Indicates the requested is invalid.")
    assert sections.action == from_plain("Do not retry. Fix the request.")


def test_split_action_from_labelled_list_item() -> None:
    content = RichText(
        (
            BulletList(
                (
                    ListItem((Paragraph((Text("Indicates that the item is gone."),)),)),
                    ListItem(
                        (
                            Paragraph((Text("Suggested client recovery behavior:"),)),
                            BulletList((ListItem((Paragraph((Text("Do not retry."),)),)),)),
                        )
                    ),
                )
            ),
        )
    )
    sections = split_action(content)
    assert sections.description == from_plain("Indicates that the item is gone.")
    assert sections.action == from_plain("Do not retry.")


def test_split_action_inline_label() -> None:
    content = from_plain("The server is busy.\n\nAction: retry after the Retry-After delay.")
    sections = split_action(content)
    assert sections.description == from_plain("The server is busy.")
    assert sections.action == from_plain("retry after the Retry-After delay.")


def test_split_action_leaves_plain_description_alone() -> None:
    content = from_plain("The client should not repeat the request without modifications.")
    assert split_action(content).description == content
    assert not split_action(content).action


def test_code_filters_read_codes_classes_and_ranges_with_any_dash() -> None:
    spec = parse_codes("404, 5xx 400–402 410 - 411")
    assert spec.ranges == ((404, 404), (500, 599), (400, 402), (410, 411))
    assert 401 in spec and 403 not in spec and 503 in spec


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("6xx", "'6xx' is not a code (100-599), a class like 4xx or a range like 400-429"),
        ("429–400", "code range '429-400' runs backwards"),
    ],
)
def test_code_filters_refuse_what_names_no_code(spec: str, message: str) -> None:
    with pytest.raises(SelectionError) as problem:
        parse_codes(spec)
    assert str(problem.value) == message
