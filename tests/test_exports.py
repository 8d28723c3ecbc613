"""`statusdocs export`: every format, read back with a real parser, holds the selected entries.

JSON is checked with the json module and the shipped JSON Schema, CSV with the
csv module, Markdown with markdown-it-py, reStructuredText with docutils and
HTML with html5lib; and source text full of markup in all five syntaxes comes
out of every format as the same literal text.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import html5lib
import jsonschema
import pytest
from docutils import nodes
from docutils.core import publish_doctree
from markdown_it import MarkdownIt

from statusdocs.cli import main
from statusdocs.columns import COLUMNS, TITLES
from statusdocs.formats.json_export import to_json_data
from statusdocs.formats.table_export import html_cell, schema
from statusdocs.ingest import build_model
from statusdocs.model import Model
from statusdocs.richtext import (
    Block,
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
    text_of,
)
from statusdocs.sphinx_ext.embed import entry_values

from conftest import FIXTURES, ROOT, SOURCES

IAM, KUBE = "huaweicloud-iam-status-codes", "kubernetes-api-conventions"
FILTERS = ["--codes", "4xx", "--sources", f"{IAM},{KUBE}", "--columns", "code,name,action"]
TABLE_FORMATS = ["csv", "markdown", "rst", "html"]
KUBE_409_ACTION = (
    "- If creating a new resource: Either change the identifier and try again, or GET and "
    "compare the fields in the pre-existing object and issue a PUT/update to modify the "
    "existing object.\n"
    "- If updating an existing resource:\n"
    "  - See Conflict from the status response on how to retrieve more information about "
    "the nature of the conflict.\n"
    "  - GET and compare the fields in the pre-existing object, merge changes (if still "
    "valid according to preconditions), and retry with the updated request (including "
    "resourceVersion)."
)
HOSTILE = r"""# Hostile

| Code | Name | Description | Action |
|---|---|---|---|
| 404 | a \| b \*x\* | \<script\>alert(1)\</script\> \`tick\` &lt;b&gt; \&amp; $x$ #1 @me ~~s~~ | .. include:: /etc/passwd |
| 405 | _y_ | **bold** and [site](https://example.com/a?b=1&c=2) <script>alert(2)</script> | [bad](javascript:alert(1)) and `code \| pipe` back\\slash |
| 406 | \|subst\| | :ref:`status-404` and `x`_ | 1. x |
"""  # noqa: E501


def export(tmp_path: Path, fmt: str, *argv: str) -> str:
    """The text `statusdocs export --format fmt argv...` writes (it must exit 0)."""
    out = tmp_path / f"export.{fmt}"
    assert main(["export", "--format", fmt, "-o", str(out), *argv]) == 0
    return out.read_text("utf-8")


@pytest.fixture(scope="module")
def real_model() -> Model:
    return build_model([SOURCES], base=ROOT)


@pytest.fixture(scope="module")
def real_exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Each format of the filtered export of sources/, run from the project folder."""
    folder = tmp_path_factory.mktemp("exports")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        json_text = export(folder, "json", *FILTERS[:4])  # --columns is only for the tables
        return {"json": json_text} | {fmt: export(folder, fmt, *FILTERS) for fmt in TABLE_FORMATS}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Model, dict[str, str]]:
    """A source whose cells are full of markup, and every format of its export."""
    folder, out = tmp_path_factory.mktemp("hostile"), tmp_path_factory.mktemp("out")
    (folder / "hostile.md").write_text(HOSTILE, "utf-8")
    texts = {fmt: export(out, fmt, str(folder)) for fmt in ["json", *TABLE_FORMATS]}
    return build_model([folder]), texts


# --- reading each format back -------------------------------------------------------------


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def markdown_rows(text: str) -> list[list[str]]:
    """The cells of the one table, each asserted to be nothing but text (no markup)."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    assert [t.type for t in tokens].count("table_open") == 1
    rows: list[list[str]] = []
    for token in tokens:
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline":
            children = token.children or []
            assert {child.type for child in children} <= {"text"}, token.content
            rows[-1].append("".join(child.content for child in children))
    return rows


def rst_doctree(text: str) -> nodes.document:
    """The docutils tree of `text`, asserted to have raised no message at all."""
    stream = io.StringIO()
    settings = {
        "report_level": 1,
        "warning_stream": stream,
        "file_insertion_enabled": False,
        "raw_enabled": False,
    }
    doctree = publish_doctree(text, settings_overrides=settings)
    assert stream.getvalue() == ""
    assert list(doctree.findall(nodes.system_message)) == []
    return doctree


def rst_rows(text: str) -> list[list[str]]:
    [table] = rst_doctree(text).findall(nodes.table)
    return [
        [_words(e.astext()) for e in row.findall(nodes.entry)] for row in table.findall(nodes.row)
    ]


def html_table(text: str) -> Element:
    root = html5lib.parse(text, namespaceHTMLElements=False)
    [table] = root.iter("table")
    assert table.get("class") == "statusdocs-table"
    return table


def html_rows(text: str) -> list[list[str]]:
    return [
        [_words("".join(cell.itertext())) for cell in row if cell.tag in ("th", "td")]
        for row in html_table(text).iter("tr")
    ]


READERS: dict[str, Callable[[str], list[list[str]]]] = {
    "csv": csv_rows,
    "markdown": markdown_rows,
    "rst": rst_rows,
    "html": html_rows,
}


def expected_cell(fmt: str, value: RichText) -> str:
    """What a format's reader gives back for `value`."""
    if fmt == "csv":
        # A spreadsheet would run a cell starting with these as a formula: prefixed with '.
        return f"'{value.plain}" if value.plain[:1] in tuple("=+-@\t\r") else value.plain
    if fmt == "markdown":
        return _words(value.plain)
    return _words(" ".join(_texts(value.blocks)))


def _texts(blocks: tuple[Block, ...]) -> Iterator[str]:
    """The text of every paragraph, in order, however deep in lists."""
    for block in blocks:
        if isinstance(block, Paragraph):
            yield text_of(block.children)
        else:
            for item in block.items:
                yield from _texts(item.blocks)


def _words(text: str) -> str:
    return " ".join(text.split())


def expected_table(
    fmt: str, model: Model, columns: list[str], ids: set[str], codes: range = range(100, 600)
) -> list[list[str]]:
    """The header and a row per entry of the sources `ids`, read from the model directly."""
    sources = {source.id: source for source in model.sources}
    header = columns if fmt == "csv" else [TITLES[column] for column in columns]
    return [header] + [
        [expected_cell(fmt, value) for value in entry_values(code, entry, sources, columns)]
        for code in model.codes
        if code.code in codes
        for entry in code.entries
        if entry.source in ids
    ]


# --- real sources ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_table_formats_read_back_every_selected_entry(
    fmt: str, real_exports: dict[str, str], real_model: Model
) -> None:
    rows = READERS[fmt](real_exports[fmt])
    expected = expected_table(
        fmt, real_model, ["code", "name", "action"], {IAM, KUBE}, range(400, 500)
    )
    assert len(rows) == 1 + 29
    assert rows == expected
    assert ["404", "NotFound", ""] in rows
    retry = "Read the Retry-After HTTP header from the response, and wait at least that long "
    assert ["429", "StatusTooManyRequests", retry + "before retrying."] in rows


def test_csv_keeps_lists_as_lines(real_exports: dict[str, str]) -> None:
    rows = csv_rows(real_exports["csv"])
    assert rows[0] == ["code", "name", "action"]
    # The list's leading "-" would start a formula in a spreadsheet, hence the apostrophe.
    assert ["409", "StatusConflict", "'" + KUBE_409_ACTION] in rows
    assert real_exports["csv"].count("\r") == 0


def test_csv_cells_never_start_a_formula(tmp_path: Path) -> None:
    (tmp_path / "formulas.md").write_text(
        "| Code | Name | Description |\n|---|---|---|\n"
        '| 400 | =HYPERLINK("http://evil.example/") | +1+1 |\n'
        "| 401 | @SUM(A1) | -2 |\n"
        "| 402 | Payment Required | plain = text |\n",
        "utf-8",
    )
    text = export(
        tmp_path, "csv", str(tmp_path / "formulas.md"), "--columns", "code,name,description"
    )
    assert csv_rows(text) == [
        ["code", "name", "description"],
        ["400", '\'=HYPERLINK("http://evil.example/")', "'+1+1"],
        ["401", "'@SUM(A1)", "'-2"],
        ["402", "Payment Required", "plain = text"],
    ]


def test_markdown_joins_lines_of_a_cell(real_exports: dict[str, str]) -> None:
    rows = markdown_rows(real_exports["markdown"])
    assert ["409", "StatusConflict", _words(KUBE_409_ACTION)] in rows
    assert real_exports["markdown"].startswith(
        "| Code | Name | Suggested action |\n| --- | --- | --- |\n| 400 | StatusBadRequest | "
    )


def test_rst_and_html_keep_lists_as_lists(real_exports: dict[str, str]) -> None:
    [table] = rst_doctree(real_exports["rst"]).findall(nodes.table)
    [cell] = [
        row.children[2]
        for row in table.findall(nodes.row)
        if row.children[1].astext() == "StatusConflict"
    ]
    assert isinstance(cell, nodes.Element)
    outer = cell.children[0]
    assert isinstance(outer, nodes.bullet_list)
    assert [len(list(item.findall(nodes.list_item))) for item in outer.children] == [1, 3]
    row = next(r for r in html_table(real_exports["html"]).iter("tr") if "409" in (r[0].text or ""))
    assert [child.tag for child in row[2]] == ["ul"]
    assert [len(list(item.iter("li"))) for item in row[2][0]] == [1, 3]


def test_json_keeps_the_model_shape_narrowed(
    real_exports: dict[str, str], real_model: Model
) -> None:
    data = json.loads(real_exports["json"])
    jsonschema.validate(data, schema())
    full = to_json_data(real_model)
    assert data["version"] == 3
    assert set(data) == {"version", "sources", "codes", "diagnostics"}
    assert [s["id"] for s in data["sources"]] == [KUBE, IAM]
    assert data["sources"] == [s for s in full["sources"] if s["id"] in (KUBE, IAM)]
    assert data["diagnostics"] == full["diagnostics"]
    assert {c["class"] for c in data["codes"]} == {"4xx"}
    entries = [(c["code"], e["source"]) for c in data["codes"] for e in c["entries"]]
    assert len(entries) == 29
    assert {source for _, source in entries} == {KUBE, IAM}
    code_409 = next(c for c in data["codes"] if c["code"] == 409)
    assert [e["action"] for e in code_409["entries"]] == [KUBE_409_ACTION, None]


def test_json_drops_codes_left_without_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, real_model: Model
) -> None:
    monkeypatch.chdir(ROOT)
    data = json.loads(export(tmp_path, "json", "--sources", KUBE))
    kube_codes = [c.code for c in real_model.codes if any(e.source == KUBE for e in c.entries)]
    assert [c["code"] for c in data["codes"]] == kube_codes
    assert len(kube_codes) == 16


def test_json_without_filters_is_the_whole_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, real_model: Model
) -> None:
    monkeypatch.chdir(ROOT)
    assert json.loads(export(tmp_path, "json")) == to_json_data(real_model)


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_every_entry_of_every_source_by_default(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, real_model: Model
) -> None:
    monkeypatch.chdir(ROOT)
    rows = READERS[fmt](export(tmp_path, fmt))
    ids = {source.id for source in real_model.sources}
    assert rows == expected_table(fmt, real_model, list(COLUMNS), ids)
    assert len(rows) == 1 + 114


HINT = " (see 'statusdocs export --help')"
NOT_A_CODE = "is not a code (100-599), a class like 4xx or a range like 400-429"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--codes", "4x5"], f"argument --codes: '4x5' {NOT_A_CODE}{HINT}"),
        (["--codes", "99"], f"argument --codes: '99' {NOT_A_CODE}{HINT}"),
        (["--codes", "600"], f"argument --codes: '600' {NOT_A_CODE}{HINT}"),
        (["--codes", "999"], f"argument --codes: '999' {NOT_A_CODE}{HINT}"),
        (["--codes", "500-600"], f"argument --codes: '500-600' {NOT_A_CODE}{HINT}"),
        (["--codes", "429-400"], f"argument --codes: code range '429-400' runs backwards{HINT}"),
        (
            ["--codes", ""],
            "argument --codes: no codes given (for example 404, 4xx or 400-429); leave it out "
            f"for all codes{HINT}",
        ),
        (
            ["--columns", ""],
            "argument --columns: no columns given (for example code,name,action); leave it out "
            f"for the default columns{HINT}",
        ),
        (
            ["--sources", " , "],
            "argument --sources: no sources given (for example a source id such as my-api); "
            f"leave it out for all sources{HINT}",
        ),
        (
            ["--columns", "code,colour"],
            "argument --columns: unknown column 'colour' (known: code, phrase, source, name, "
            f"description, action, source_title){HINT}",
        ),
        (
            ["--columns", "code,name,code"],
            f"argument --columns: column 'code' is named twice{HINT}",
        ),
        (
            ["--format", "json", "--columns", "code,name"],
            "--columns is for the tables (csv, markdown, rst, html); --format json writes every "
            f"field{HINT}",
        ),
        (
            ["--sources", "nosuch"],
            "unknown source 'nosuch' (known: kubernetes-api-conventions, "
            "kubernetes-api-conventions-blog-copy, api-guideline-status-codes, "
            f"huaweicloud-iam-status-codes, huaweicloud-apig-status-codes){HINT}",
        ),
        (["--bogus"], f"unrecognized arguments: --bogus{HINT}"),
        (
            ["--format", "yaml"],
            "argument --format: invalid choice: 'yaml' (choose from 'json', 'csv', 'markdown', "
            f"'rst', 'html', 'retry-policy'){HINT}",
        ),
    ],
)
def test_bad_filters_are_usage_errors(
    argv: list[str],
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["export", *argv]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines()[-1] == f"statusdocs: error: {message}"
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--codes", "1xx", "--sources", KUBE], f"no entries match --codes 1xx --sources {KUBE}"),
        (["--codes", "418"], "no entries match --codes 418"),
    ],
)
def test_an_empty_selection_says_so_and_succeeds(
    argv: list[str],
    said: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["export", "--format", "csv", *argv]) == 0
    out, err = capsys.readouterr()
    assert out == "code,phrase,source,name,description,action\n"
    assert said in err.splitlines()


def test_every_export_names_a_source_by_its_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    columns = ["--codes", "404", "--sources", KUBE, "--columns", "code,source,source_title"]
    assert export(tmp_path, "csv", *columns).splitlines() == [
        "code,source,source_title",
        f"404,{KUBE},Kubernetes API Conventions: HTTP Status Codes",
    ]
    data = json.loads(export(tmp_path, "json", "--codes", "404", "--sources", KUBE))
    assert [e["source"] for c in data["codes"] for e in c["entries"]] == [KUBE]


# --- hostile text ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_hostile_text_comes_out_literally(fmt: str, hostile: tuple[Model, dict[str, str]]) -> None:
    model, texts = hostile
    rows = READERS[fmt](texts[fmt])
    assert rows == expected_table(fmt, model, list(COLUMNS), {"hostile"})
    names = [row[3] for row in rows[1:]]
    assert names == ["a | b *x*", "y", "|subst|"]
    assert rows[1][4].startswith("<script>alert(1)</script> `tick` <b> &amp; $x$ #1 @me ~~s~~")
    assert rows[1][5] == ".. include:: /etc/passwd"


def test_hostile_html_has_only_safe_elements(hostile: tuple[Model, dict[str, str]]) -> None:
    table = html_table(hostile[1]["html"])
    allowed = {"table", "thead", "tbody", "tr", "th", "td", "p", "ul", "ol", "li"}
    assert {e.tag for e in table.iter()} <= allowed | {"code", "strong", "em", "a", "br"}
    assert [(a.attrib, a.text) for a in table.iter("a")] == [
        ({"href": "https://example.com/a?b=1&c=2"}, "site")
    ]
    assert all(not e.attrib for e in table.iter() if e.tag not in ("table", "a"))


def test_hostile_rst_makes_no_directive_or_reference(hostile: tuple[Model, dict[str, str]]) -> None:
    doctree = rst_doctree(hostile[1]["rst"])
    kinds = {type(node).__name__ for node in doctree.findall()}
    assert kinds <= {
        "document", "table", "tgroup", "colspec", "thead", "tbody", "row", "entry",
        "paragraph", "Text", "strong", "emphasis", "literal", "reference",
    }  # fmt: skip
    assert [r["refuri"] for r in doctree.findall(nodes.reference)] == [
        "https://example.com/a?b=1&c=2"
    ]


def test_html_links_only_safe_addresses_and_writes_only_safe_markup() -> None:
    cell = RichText(
        (
            Paragraph(
                (
                    Link((Text("bad"),), "javascript:alert(1)"),
                    Text(" <i> "),
                    Link((Text("ok"),), 'https://example.com/?q="x"&y'),
                    LineBreak(),
                    Code("<b>"),
                )
            ),
            OrderedList((ListItem((Paragraph((Strong((Emphasis((Text("&"),)),)),)),)),), 3),
        )
    )
    assert html_cell(cell) == (
        '<p>bad &lt;i&gt; <a href="https://example.com/?q=%22x%22&amp;y">ok</a><br>'
        "<code>&lt;b&gt;</code></p>\n"
        '<ol start="3">\n<li><strong><em>&amp;</em></strong></li>\n</ol>'
    )


def test_hostile_json_is_valid(hostile: tuple[Model, dict[str, str]]) -> None:
    data = json.loads(hostile[1]["json"])
    jsonschema.validate(data, schema())
    [code_404] = [c for c in data["codes"] if c["code"] == 404]
    assert code_404["entries"][0]["name"] == "a | b *x*"


# --- the JSON Schema ------------------------------------------------------------------------


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    loaded = schema()
    assert loaded["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(loaded)


@pytest.mark.parametrize(
    "path",
    [SOURCES, FIXTURES / "errors", FIXTURES / "cases"],
    ids=["sources", "errors", "cases"],
)
def test_real_exports_validate(path: Path) -> None:
    jsonschema.validate(to_json_data(build_model([path])), schema())


def test_expected_case_files_validate() -> None:
    for expected in sorted((FIXTURES / "cases").glob("*.json")):
        jsonschema.validate(json.loads(expected.read_text("utf-8")), schema())


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("version", 1),
        ("sources", ...),
        ("codes.0.code", 600),
        ("codes.0.code", "200"),
        ("codes.0.class", "2XX"),
        ("codes.0.phrase", 5),
        ("codes.0.entries", []),
        ("codes.0.entries.0.line", 0),
        ("codes.0.entries.0.description", ""),
        ("codes.0.entries.0.name", ...),
        ("sources.0.format", "pdf"),
        ("sources.0.tables.0.header", "Code"),
        ("diagnostics.0.severity", "fatal"),
    ],
)
def test_invalid_documents_fail(path: str, value: object, real_model: Model) -> None:
    """A real export with one field changed (`...` deletes it) no longer validates."""
    data = json.loads(json.dumps(to_json_data(real_model)))
    jsonschema.validate(data, schema())
    *parents, last = path.split(".")
    target: Any = data
    for key in parents:
        target = target[int(key)] if key.isdigit() else target[key]
    if value is ...:
        del target[last]
    else:
        target[last] = value
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema())
