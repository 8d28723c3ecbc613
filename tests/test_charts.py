"""The index's coverage chart and the one-line summary on every code page."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from statusdocs.ingest import build_model
from statusdocs.model import Model
from statusdocs.site import charts
from statusdocs.site.mentions import Mentions
from statusdocs.site.pages import _SiteData, render_pages
from statusdocs.site.templates import environment
from statusdocs.sources.settings import SHIPPED_TEMPLATES

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = 'A <b>&</b> "x"'

FIRST = """\
| Code | Name | Description |
|---|---|---|
| 200 | OK | The request succeeded. |
| 404 | Not Found | Do not retry. |
| 503 | Service Unavailable | Retry the request. |
| 504 | Gateway Timeout | The upstream did not answer. |
"""
SECOND = """\
# Second

| Code | Name | Description |
|---|---|---|
| 201 | Created | Made. |
| 301 | Moved Permanently | Moved. |
| 302 | Found | Elsewhere. |
| 404 | NotFound | Nothing here. |
| 503 | Service Unavailable | Do not retry. |
| 504 | Server Timeout | Too slow. |
"""


def two_sources(folder: Path) -> Path:
    folder.mkdir()
    (folder / "a.md").write_text(FIRST, "utf-8")
    (folder / "b.md").write_text(SECOND, "utf-8")
    (folder / "manifest.toml").write_text(
        '[[source]]\nfile = "a.md"\ntitle = \'' + HOSTILE + "'\n", "utf-8"
    )
    return folder


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return two_sources(tmp_path / "sources")


@pytest.fixture
def model(folder: Path) -> Model:
    built = build_model([folder])
    assert built.diagnostics == []
    assert [(s.id, s.title) for s in built.sources] == [("a", HOSTILE), ("b", "Second")]
    return built


def site_data(model: Model) -> _SiteData:
    return _SiteData(model, Mentions(code.code for code in model.codes))


def cells(svg: str) -> list[tuple[str, list[str]]]:
    """Each row of the chart: the full title in its `<title>`, and the numbers of its cells."""
    root = ET.fromstring(svg)  # well-formed XML, so no title broke out of its element
    rows = []
    for group in root.iter(f"{SVG}g"):
        if group.get("class") in ("sd-coverage-row", "sd-coverage-total"):
            title = group.find(f"{SVG}title")
            assert title is not None and title.text is not None
            label, *numbers = [t.text or "" for t in group.iter(f"{SVG}text")]
            assert label
            rows.append((title.text, numbers))
    return rows


def test_counts_per_source_and_class(model: Model) -> None:
    assert [(s.id, counts) for s, counts in charts.coverage_rows(model)] == [
        ("a", [0, 1, 0, 1, 2]),
        ("b", [0, 1, 2, 1, 2]),
    ]
    assert charts.class_totals(model) == [0, 2, 2, 1, 2]


def test_every_cell_shows_its_number(model: Model) -> None:
    assert cells(charts.coverage_svg(model)) == [
        (HOSTILE, ["0", "1", "0", "1", "2"]),
        ("Second", ["0", "1", "2", "1", "2"]),
        ("All sources together", ["0", "2", "2", "1", "2"]),
    ]


def test_cells_are_shaded_by_share_of_the_class(model: Model) -> None:
    svg = charts.coverage_svg(model)
    a = "A &lt;b&gt;&amp;&lt;/b&gt; &quot;x&quot;"
    # a documents 1 of the 2 2xx codes (a middle shade, black number) ...
    assert (
        f"<g><title>{a}: 1 of 2 2xx codes</title>\n"
        '<rect x="76" y="53" width="64" height="36" rx="4" fill="#6baed6"'
        ' stroke="currentColor" stroke-opacity="0.2"/>\n'
        '<text x="108" y="77" fill="#000000" font-size="16px" text-anchor="middle"'
        ' font-weight="600">1</text>\n</g>'
    ) in svg
    # ... the only 4xx one (the darkest, white number) ...
    assert (
        f"<g><title>{a}: 1 of 1 4xx code</title>\n"
        '<rect x="212" y="53" width="64" height="36" rx="4" fill="#08519c"'
        ' stroke="currentColor" stroke-opacity="0.2"/>\n'
        '<text x="244" y="77" fill="#ffffff" font-size="16px" text-anchor="middle"'
        ' font-weight="600">1</text>\n</g>'
    ) in svg
    # ... and no 3xx code: an empty cell, drawn in the page's own colour.
    assert (
        f"<g><title>{a}: 0 of 2 3xx codes</title>\n"
        '<rect x="144" y="53" width="64" height="36" rx="4" fill="none" stroke="currentColor"'
        ' stroke-opacity="0.4" stroke-dasharray="3 3"/>\n'
        '<text x="176" y="77" fill="currentColor" font-size="16px" text-anchor="middle"'
        ' fill-opacity="0.8">0</text>\n</g>'
    ) in svg
    assert charts.shade(0, 5) is None and charts.shade(3, 0) is None
    assert [charts.shade(n, 5) for n in range(1, 6)] == list(charts.RAMP)
    assert charts.shade(1, 20) == charts.RAMP[0] and charts.shade(20, 20) == charts.RAMP[-1]


def test_numbers_contrast_with_every_fill() -> None:
    for fill in charts.RAMP:
        assert charts.contrast(fill, charts.text_colour(fill)) >= 4.5, fill
    assert charts.text_colour("#deebf7") == "#000000"
    assert charts.text_colour("#08519c") == "#ffffff"


def test_titles_are_escaped(model: Model) -> None:
    svg = charts.coverage_svg(model)
    escaped = "A &lt;b&gt;&amp;&lt;/b&gt; &quot;x&quot;"
    assert f'<g class="sd-coverage-row"><title>{escaped}</title>' in svg
    assert f'<text x="8" y="47" fill="currentColor" font-size="13px">{escaped}</text>' in svg
    assert "<b>" not in svg and "&</b>" not in svg and '"x"' not in svg


def test_a_title_cannot_become_markup(tmp_path: Path) -> None:
    folder = two_sources(tmp_path / "sources")
    hostile = "</title></text><script>alert(1)</script><text>"
    (folder / "manifest.toml").write_text(
        f"[[source]]\nfile = \"a.md\"\ntitle = '{hostile}'\n", "utf-8"
    )
    svg = charts.coverage_svg(build_model([folder]))
    root = ET.fromstring(svg)
    assert not list(root.iter(f"{SVG}script")) and not list(root.iter("script"))
    assert cells(svg)[0][0] == hostile
    assert "<script>" not in svg


def test_long_titles_are_cut_with_an_ellipsis_and_kept_whole_in_the_row_title() -> None:
    title = "Kubernetes API Conventions: HTTP Status Codes"
    assert charts.short_title(title) == "Kubernetes API Conventions: HTTP Status…"
    assert charts.short_title("Huawei Cloud IAM: Status Codes") == "Huawei Cloud IAM: Status Codes"
    assert charts.short_title("x" * 60) == "x" * 39 + "…"
    assert charts.short_title("状态码" * 10) == "状态码" * 6 + "状…"  # two columns a character
    assert charts.clean_title("a\x00b\n c\u200b") == "ab c"
    assert charts.clean_title("\u200b ") == "(untitled)"


def test_a_long_title_in_the_chart(tmp_path: Path) -> None:
    folder = two_sources(tmp_path / "sources")
    long = "A very long title for a source document about status codes"
    (folder / "manifest.toml").write_text(f'[[source]]\nfile = "a.md"\ntitle = "{long}"\n')
    svg = charts.coverage_svg(build_model([folder]))
    assert f'<g class="sd-coverage-row"><title>{long}</title>' in svg
    assert ">A very long title for a source document…</text>" in svg


def test_chart_is_accessible_and_scales(model: Model) -> None:
    svg = charts.coverage_svg(model)
    first = svg.split("\n", 1)[0]
    assert first == (
        '<svg xmlns="http://www.w3.org/2000/svg" class="sd-coverage" role="img"'
        ' aria-labelledby="sd-coverage-title sd-coverage-desc" viewBox="0 0 352 280"'
        ' width="100%" style="display: block; max-width: 460px; height: auto; margin: 1em auto">'
    )
    root = ET.fromstring(svg)
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.get("id") == "sd-coverage-title"
    assert title.text == "Coverage: which source documents which class"
    assert desc is not None and desc.get("id") == "sd-coverage-desc"
    assert desc.text is not None
    assert "a row for each of the 2 sources" in desc.text
    assert "documented by any source: 0 1xx, 2 2xx, 2 3xx, 1 4xx, 2 5xx" in desc.text
    assert svg.endswith("</svg>") and "\n\n" not in svg


def test_chart_is_deterministic(folder: Path, model: Model) -> None:
    again = build_model([folder])
    assert charts.coverage_svg(model) == charts.coverage_svg(again)
    assert charts.coverage_svg(model).encode() == charts.coverage_svg(model).encode()


def test_empty_model_still_draws() -> None:
    svg = charts.coverage_svg(Model([], [], []))
    assert cells(svg) == [("All sources together", ["0", "0", "0", "0", "0"])]


def test_summaries(model: Model) -> None:
    site = site_data(model)
    summary = {code.code: site.summary(code) for code in model.codes}
    assert summary == {
        200: "Documented by 1 of 2 sources; names agree; no advice given.",
        201: "Documented by 1 of 2 sources; names agree; no advice given.",
        301: "Documented by 1 of 2 sources; names agree; no advice given.",
        302: "Documented by 1 of 2 sources; names agree; no advice given.",
        # "Not Found" and "NotFound": the registered phrase, spelled two ways.
        404: "Documented by 2 of 2 sources; names agree; advice agrees.",
        503: "Documented by 2 of 2 sources; names agree; advice conflicts.",
        504: "Documented by 2 of 2 sources; names differ; no advice given.",
    }


def test_summary_with_one_source(tmp_path: Path) -> None:
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "a.md").write_text(
        "| Code | Name |\n|---|---|\n| 404 | |\n| 499 | Client Closed Request |\n", "utf-8"
    )
    model = build_model([folder])
    site = site_data(model)
    assert [site.summary(code) for code in model.codes] == [
        "Documented by 1 of 1 source; no names given; no advice given.",
        # Unregistered: nothing to differ from but the other sources.
        "Documented by 1 of 1 source; names agree; no advice given.",
    ]


def test_pages_show_the_chart_and_the_summary(model: Model) -> None:
    mentions = Mentions(code.code for code in model.codes)
    pages = render_pages(model, environment([SHIPPED_TEMPLATES], mentions), "T", mentions)
    index, code_503 = pages["index.rst"], pages["codes/503.rst"]
    assert index is not None and code_503 is not None  # every page rendered: no reuse asked for
    svg = charts.coverage_svg(model)
    raw = ".. raw:: html\n\n" + "\n".join("   " + line for line in svg.split("\n")) + "\n\n"
    assert raw in index
    assert index.count("<svg") == 1
    table = index[index.index(".. container:: sd-coverage-table") :]
    assert (
        "      * - :ref:`source-a`\n        - 0\n        - 1\n        - 0\n        - 1\n" in table
    )
    assert "      * - All sources\n        - 0\n        - 2\n        - 2\n        - 1\n" in table
    # The summary is plain text, escaped like all text on a page.
    assert "\nDocumented by 2 of 2 sources\\; names agree\\; advice conflicts\\.\n" in code_503


def test_a_class_page_names_a_few_sources_of_a_widely_documented_code(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(1, 13):
        (folder / f"s{number:02}.md").write_text(
            "| Code | Name |\n|---|---|\n| 404 | Not Found |\n"
            + ("| 200 | OK |\n" if number <= 2 else ""),
            "utf-8",
        )
    model = build_model([folder])
    mentions = Mentions(code.code for code in model.codes)
    pages = render_pages(model, environment([SHIPPED_TEMPLATES], mentions), "T", mentions)
    four = pages["classes/4xx.rst"]
    assert four is not None
    named = ", ".join(f":ref:`s{n:02} <source-s{n:02}>`" for n in range(1, 6))
    assert f"     - {named} and :ref:`7 more sources <status-404>`\n" in four
    assert ":ref:`s06 <source-s06>`" not in four  # the code's page lists them all
    two = pages["classes/2xx.rst"]
    assert two is not None
    assert "     - :ref:`s01 <source-s01>`, :ref:`s02 <source-s02>`\n" in two
    assert "more source" not in two
