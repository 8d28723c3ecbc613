"""The Sphinx extension in other people's projects: tables, the role, intersphinx, rebuilds."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sitecheck import copy_project, page
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

from statusdocs import readers
from statusdocs.diagnostics import Reporter
from statusdocs.ingest import build_model
from statusdocs.readers import Document, Parsed
from statusdocs.site.build import build
from statusdocs.sources.settings import find_project

from conftest import FIXTURES, ROOT, SOURCES

pytestmark = pytest.mark.slow


Build = Callable[..., tuple[list[str], list[str]]]


@pytest.fixture
def sphinx_build(make_app: Callable[..., SphinxTestApp]) -> Build:
    """Build a project to `<project>/_build/html`, returning its warnings and the documents read.

    Each call is a new `sphinx.testing` application on the project, as a fresh
    `sphinx-build` run would be; its environment is kept between calls.
    """

    def run(src: Path, overrides: dict[str, Any] | None = None) -> tuple[list[str], list[str]]:
        read: list[str] = []
        app = make_app("html", srcdir=src, confoverrides=overrides or {})
        app.connect("env-before-read-docs", lambda app, env, names: read.extend(sorted(names)))
        try:
            app.build()
        finally:
            app.cleanup()  # so the next call registers its nodes afresh
        warnings = strip_colors(app.warning.getvalue()).splitlines()
        return [w for w in warnings if w.strip()], read

    return run


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "embed", tmp_path / "embed")
    shutil.copytree(SOURCES, tmp_path / "embed" / "sources")
    return tmp_path / "embed"


def rows(html: Path, index: int) -> list[list[str]]:
    table = page(html).elements("table")[index]
    return [
        ["".join(cell.itertext()).strip() for cell in tr if cell.tag in ("td", "th")]
        for tr in table.iter("tr")
    ]


def test_tables_hold_exactly_the_selected_rows(sphinx_build: Build, project: Path) -> None:
    warnings, _ = sphinx_build(project)
    assert warnings == []
    model = build_model([SOURCES], ROOT)
    iam_4xx = [
        (str(c.code), e.name)
        for c in model.codes
        if c.status_class == "4xx"
        for e in c.entries
        if e.source == "huaweicloud-iam-status-codes"
    ]
    table = rows(project / "_build" / "html" / "index.html", 0)
    assert table[0] == ["Code", "Name", "Description"]
    assert [(r[0], r[1]) for r in table[1:]] == iam_4xx
    assert len(table) - 1 == 20
    assert table[1 + [r[0] for r in table[1:]].index("404")][2] == (
        "The requested resource cannot be found.\nThe client should not repeat the request "
        "without modifications."
    )
    k8s = rows(project / "_build" / "html" / "index.html", 1)
    assert k8s == [
        ["Code", "Registered phrase", "Suggested action"],
        ["500", "Internal Server Error", "Retry with exponential backoff."],
        ["503", "Service Unavailable", "Retry with exponential backoff."],
        [
            "504",
            "Gateway Timeout",
            "Increase the value of the timeout param and retry with exponential backoff.",
        ],
    ]
    html = page(project / "_build" / "html" / "index.html")
    assert "IAM client errors" in html.main_text()


def test_myst_page_and_role(sphinx_build: Build, project: Path) -> None:
    sphinx_build(project)
    myst = rows(project / "_build" / "html" / "myst.html", 0)
    assert myst == [
        ["Code", "Source title", "Name"],
        ["404", "Kubernetes API Conventions: HTTP Status Codes", "StatusNotFound"],
        ["404", "API Design Guideline: Response Status Codes", "Not Found"],
        ["409", "Kubernetes API Conventions: HTTP Status Codes", "StatusConflict"],
        ["409", "API Design Guideline: Response Status Codes", "Conflict"],
    ]
    links = page(project / "_build" / "html" / "myst.html").links
    assert "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4" in links  # {status}`503`
    text = page(project / "_build" / "html" / "index.html").main_text()
    assert "A missing resource is 404 Not Found; slow down on 429 Too Many Requests." in text


def test_problems_are_warnings_with_locations(sphinx_build: Build, project: Path) -> None:
    (project / "index.rst").write_text(
        (project / "index.rst").read_text()
        + "\n.. status-table::\n   :sources: foo\n\n.. status-table::\n   :codes: 4x5\n\n"
        "Bad role: :status:`299`.\n"
        "\n.. status-table::\n   :codes: 600\n\n.. status-table::\n   :columns:\n"
    )
    warnings, _ = sphinx_build(project)
    lines = "\n".join(warnings)
    assert "index.rst:25: WARNING: status-table: unknown source 'foo'" in lines
    assert "index.rst:28: WARNING: status-table: '4x5' is not a code" in lines
    assert "index.rst:31: WARNING: status: '299' is not a registered HTTP status code" in lines
    # The same words as `export` takes: 600 is no code, and an empty filter is no "all".
    assert (
        "index.rst:33: WARNING: status-table: '600' is not a code (100-599), a class like 4xx "
        "or a range like 400-429"
    ) in lines
    assert (
        "index.rst:36: WARNING: status-table: no columns given (for example code,name,action); "
        "leave it out for the default columns"
    ) in lines


def test_editing_a_source_rebuilds_only_documents_that_show_it(
    sphinx_build: Build, project: Path
) -> None:
    _, first = sphinx_build(project)
    assert first == ["index", "myst"]
    iam = project / "sources" / "huaweicloud-iam-status-codes.rst"
    iam.write_text(iam.read_text("utf-8").replace("cannot be found.", "is not there!!!!"), "utf-8")
    _, again = sphinx_build(project)
    assert again == ["index"]
    assert "is not there!!!!" in page(project / "_build" / "html" / "index.html").main_text()


def test_intersphinx_links_land_on_the_site(sphinx_build: Build, tmp_path: Path) -> None:
    site = copy_project(tmp_path / "site")
    built = build(find_project(site))
    inventory = built.out / "objects.inv"
    other = tmp_path / "other"
    shutil.copytree(FIXTURES / "intersphinx", other)
    mapping = {"statusdocs": ("https://status.example.org/", str(inventory))}
    warnings, _ = sphinx_build(other, {"intersphinx_mapping": mapping})
    assert warnings == []
    links = page(other / "_build" / "html" / "index.html").links
    assert "https://status.example.org/codes/409.html#status-409" in links
    assert "https://status.example.org/codes/404.html#status-404" in links
    assert (
        "https://status.example.org/sources/huaweicloud-iam-status-codes.html"
        "#source-huaweicloud-iam-status-codes-line-57"
    ) in links


def test_a_bad_setting_in_conf_py_is_a_warning_and_its_default_is_used(
    sphinx_build: Build, project: Path
) -> None:
    warnings, _ = sphinx_build(project, {"statusdocs_sources": ["sources", ""]})
    assert warnings == [
        "WARNING: statusdocs_sources must be a path or a list of paths, none empty or with "
        "control characters; using 'sources' [statusdocs.config]"
    ]
    assert "404 Not Found" in page(project / "_build" / "html" / "index.html").main_text()


def test_missing_sources_folder_is_a_warning_not_a_crash(
    sphinx_build: Build, project: Path
) -> None:
    shutil.rmtree(project / "sources")
    warnings, _ = sphinx_build(project)
    assert any(
        "index.rst:10: WARNING: status-table:" in w and "sources: no such file or folder" in w
        for w in warnings
    ), warnings


def test_a_broken_source_is_a_warning_and_the_host_still_builds(
    sphinx_build: Build, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(FIXTURES / "errors" / "utf16-odd-bytes.md", project / "sources")
    (project / "sources" / "crash.html").write_text("<table><tr><td>200</td></tr></table>")

    def crash(document: Document, report: Reporter) -> Parsed:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setitem(readers._READERS, "html", crash)
    warnings, _ = sphinx_build(project)
    assert [w.split("WARNING: ", 1)[1] for w in warnings] == [
        "statusdocs: nested too deeply to read; file skipped [statusdocs.source.too-deep]",
        "statusdocs: '\ufffd' is not a valid HTTP status code (100-599); row skipped "
        "[statusdocs.row.invalid-code]",
    ]
    assert warnings[0].startswith("sources/crash.html:: WARNING")
    assert warnings[1].startswith("sources/utf16-odd-bytes.md:4: WARNING")
    assert rows(project / "_build" / "html" / "index.html", 0)[1][0] == "400"


def test_warnings_can_be_silenced_by_type(sphinx_build: Build, project: Path) -> None:
    shutil.copy(FIXTURES / "errors" / "utf16-odd-bytes.md", project / "sources")
    (project / "index.rst").write_text(
        (project / "index.rst").read_text() + "\nBad role: :status:`299`.\n"
    )
    warnings, _ = sphinx_build(project, {"suppress_warnings": ["statusdocs.row.invalid-code"]})
    assert [w.split("WARNING: ", 1)[1] for w in warnings] == [
        "status: '299' is not a registered HTTP status code [statusdocs.unknown-code]"
    ]
    warnings, _ = sphinx_build(project, {"suppress_warnings": ["statusdocs"]})
    assert warnings == []
