"""The real site, built with Sphinx from sources/: zero warnings, every page, link and anchor."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sitecheck import broken_links, built_project, page
from sphinx.util.inventory import InventoryFile

from statusdocs.site.build import BuildResult, build
from statusdocs.sources.settings import find_project

from conftest import SOURCES, model_data

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    root = built_project(
        tmp_path_factory.getbasetemp() / "built-once", tmp_path_factory.mktemp("site") / "project"
    )
    return build(find_project(root))  # a no-op on the built copy, giving its result


@pytest.fixture(scope="module")
def model() -> dict[str, Any]:
    return model_data(SOURCES, SOURCES.parent)


def text_of(html: Path) -> str:
    return page(html).main_text()


def squash(text: str) -> str:
    """Text without list markers, white space collapsed: as it reads on a page."""
    unmarked = re.sub(r"(?m)^\s*(?:-|\d+\.)\s+", "", text)
    return re.sub(r"\s+", " ", unmarked).strip()


def test_build_has_no_warnings(built: BuildResult) -> None:
    assert built.warnings == []
    assert (built.out / "index.html").is_file()


def test_a_page_per_code(built: BuildResult, model: dict[str, Any]) -> None:
    pages = sorted(int(p.stem) for p in (built.out / "codes").glob("[0-9]*.html"))
    assert pages == [c["code"] for c in model["codes"]]
    assert len(pages) == 44


def test_every_entry_is_on_its_code_page(built: BuildResult, model: dict[str, Any]) -> None:
    for code in model["codes"]:
        shown = squash(text_of(built.out / "codes" / f"{code['code']}.html"))
        for entry in code["entries"]:
            for field in ("name", "description", "action"):
                if entry[field]:
                    assert squash(entry[field]) in shown, (code["code"], entry["source"], field)


def test_code_page_content(built: BuildResult) -> None:
    text = text_of(built.out / "codes" / "504.html")
    assert text.startswith("504 Gateway Timeout")
    assert "RFC 9110, Section 15.6.5" in text
    assert "StatusServerTimeout ≠ different" in text
    assert "ServerTimeout ≠ different" in text
    assert "Marked: ≠ different, ↻ says retry with backoff; see Where the sources disagree." in text
    links = page(built.out / "codes" / "504.html").links
    assert "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.5" in links
    assert (
        "../sources/huaweicloud-iam-status-codes.html#source-huaweicloud-iam-status-codes-line-113"
        in links
    )


def test_names_and_advice_have_one_vocabulary_on_every_page(built: BuildResult) -> None:
    code_413 = text_of(built.out / "codes" / "413.html")
    assert "Request Entity Too Large ↺ formerly registered" in code_413
    # The server "should include a Retry-After header ... after what time the client may try
    # again": a duty of the server's, not advice to the client.
    assert "inferred from the description" not in code_413
    # "The client may repeat the request": a reading of a description, marked as one.
    code_408 = text_of(built.out / "codes" / "408.html")
    assert "↻ reads as retry (inferred from the description)" in code_408
    matrix = text_of(built.out / "compare.html")
    assert "↺ Request Entity Too Large" in matrix and "≠ StatusServerTimeout" in matrix
    assert "≈ StatusNotFound" in matrix
    conflicts = text_of(built.out / "conflicts.html")
    assert "Formerly registered names" in conflicts and "Request Entity Too Large" in conflicts
    assert "Unprocessable Entity" in conflicts


def test_contradictory_advice_is_flagged(built: BuildResult) -> None:
    text = text_of(built.out / "codes" / "503.html")
    assert "The sources disagree on whether a client should retry after a 503." in text
    assert "Retry: Kubernetes API Conventions: HTTP Status Codes (line 140)" in text
    assert "Do not retry: Huawei Cloud IAM: Status Codes (line 109)" in text
    assert "The sources disagree on" not in text_of(built.out / "codes" / "404.html")


def test_every_row_is_on_its_source_page(built: BuildResult, model: dict[str, Any]) -> None:
    for code in model["codes"]:
        for entry in code["entries"]:
            source_page = page(built.out / "sources" / f"{entry['source']}.html")
            assert f"source-{entry['source']}-line-{entry['line']}" in source_page.ids


def test_source_page_reproduces_the_table(built: BuildResult) -> None:
    source_page = page(built.out / "sources" / "api-guideline-status-codes.html")
    headers = ["".join(th.itertext()).strip() for th in source_page.elements("th")]
    assert headers == ["Code", "Test", "Description"]
    text = source_page.main_text()
    assert "the application’s rate limit" in text
    assert "Original" not in text  # no URL in the manifest for this one
    k8s = text_of(built.out / "sources" / "kubernetes-api-conventions.html")
    assert "Success Codes" in k8s and "Error Codes" in k8s
    assert "Kubernetes SIG Architecture" in k8s


def test_codes_in_text_and_headers_link(built: BuildResult) -> None:
    links = page(built.out / "codes" / "407.html").links
    assert "401.html#status-401" in links  # "This code is similar to 401" (IAM)
    links = page(built.out / "codes" / "429.html").links
    assert "../headers.html#header-retry-after" in links
    assert "header-retry-after" in page(built.out / "headers.html").ids


def test_internal_links_resolve(built: BuildResult) -> None:
    assert broken_links(built.out) == []


def test_matrix_has_a_cell_per_code_and_source(built: BuildResult, model: dict[str, Any]) -> None:
    matrix = page(built.out / "compare.html")
    rows = list(matrix.elements("tr"))
    body = rows[1:]
    assert len(body) == len(model["codes"])
    for tr in body:
        assert len([c for c in tr if c.tag in ("td", "th")]) == 2 + len(model["sources"])
    text = matrix.main_text()
    assert "StatusServerTimeout" in text and "—" in text


def test_class_pages_and_conflicts_page(built: BuildResult) -> None:
    for name in ("1xx", "2xx", "3xx", "4xx", "5xx"):
        assert (built.out / "classes" / f"{name}.html").is_file()
    four = text_of(built.out / "classes" / "4xx.html")
    assert "418 (Unused) none" in four  # registered, documented by no source
    conflicts = text_of(built.out / "conflicts.html")
    assert "503 Service Unavailable" in conflicts
    assert "Gateway Timeout" in conflicts and "StatusServerTimeout" in conflicts


def test_inventory_has_codes_and_rows(built: BuildResult) -> None:
    with (built.out / "objects.inv").open("rb") as stream:
        inventory = InventoryFile.load(
            stream, "https://example.org", lambda base, uri: f"{base}/{uri}"
        )
    labels = inventory["std:label"]
    assert labels["status-404"].uri == "https://example.org/codes/404.html#status-404"
    assert labels["status-404"].display_name == "404 Not Found"
    row = labels["source-huaweicloud-iam-status-codes-line-57"]
    assert row.uri.endswith(
        "sources/huaweicloud-iam-status-codes.html#source-huaweicloud-iam-status-codes-line-57"
    )
    assert row.display_name == "Huawei Cloud IAM: Status Codes, line 57"  # a bare :ref: has it
    # Typed objects beside the labels: the codes and every name sources give them.
    code = inventory["statusdocs:code"]["404"]
    assert (code.uri, code.display_name) == (
        "https://example.org/codes/404.html#status-404",
        "404 Not Found",
    )
    name = inventory["statusdocs:name"]["StatusNotFound"]
    assert name.display_name == "StatusNotFound (404 Not Found)"


def test_general_index_has_aliases(built: BuildResult) -> None:
    text = text_of(built.out / "genindex.html")
    for name in ("StatusNotFound", "NotFound", "404 Not Found", "Request Time-out"):
        assert name in text


def test_site_publishes_the_model_as_json(built: BuildResult, model: dict[str, Any]) -> None:
    import json

    from statusdocs.formats.table_export import schema

    published = json.loads((built.out / "statusdocs.json").read_text("utf-8"))
    assert published["codes"] == model["codes"]
    assert json.loads((built.out / "statusdocs.schema.json").read_text("utf-8")) == schema()
    one = json.loads((built.out / "codes" / "404.json").read_text("utf-8"))
    assert (one["version"], one["code"], one["phrase"]) == (3, 404, "Not Found")
    assert [e["name"] for e in one["entries"]] == [
        "StatusNotFound",
        "StatusNotFound",
        "Not Found",
        "NotFound",
        "Not Found",
    ]


def test_code_in_source_text_and_problem_locations_link(built: BuildResult) -> None:
    kube = page(built.out / "sources" / "kubernetes-api-conventions.html")
    assert "../codes/200.html#status-200" in kube.links  # <samp>200 StatusOK</samp>
    problems = page(built.out / "diagnostics.html").links
    assert (
        "sources/api-guideline-status-codes.html#source-api-guideline-status-codes-line-31"
        in problems
    )


def test_use_in_your_docs_page(built: BuildResult) -> None:
    text = text_of(built.out / "use.html")
    assert ":sources: kubernetes-api-conventions" in text  # pasted as shown: no escapes
    assert "--sources kubernetes-api-conventions" in text
    assert 'extensions = ["statusdocs.sphinx_ext"]' in text
    assert ".. status-table::" in text and "```{status-table}" in text
    assert "statusdocs export --format markdown" in text
    assert "use.html" in page(built.out / "index.html").links


def test_the_link_check_finds_missing_files_and_anchors(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(
        '<p id="top"><a href="b.html#here">ok</a> <a href="b.html#gone">x</a>'
        ' <a href="c.html">y</a> <a href="#top">up</a> <a href="https://example.org/">out</a></p>'
    )
    (tmp_path / "b.html").write_text('<h1 id="here">B</h1>')
    assert broken_links(tmp_path) == [
        "a.html: b.html#gone: no such anchor",
        "a.html: c.html: no such file",
    ]


def test_the_guideline_page_lists_every_service_with_its_findings(built: BuildResult) -> None:
    html = built.out / "guidelines" / "api-guideline-status-codes.html"
    text = text_of(html)
    assert text.startswith("Conformance to API Design Guideline: Response Status Codes")
    counts = squash(text).split("Services and their findings")[1]
    assert (
        "Kubernetes API Conventions: HTTP Status Codes 1 0 3 1 0 5 "
        "Huawei Cloud IAM: Status Codes 20 0 1 1 0 22 "
        "Huawei Cloud API Gateway: HTTP Status Codes 3 0 3 0 0 6"
    ) in counts
    assert (
        "504 name: 504 is named 'StatusServerTimeout' here and 'Gateway Timeout' by the "
        "guideline api-guideline-status-codes sources/kubernetes-api-conventions.md:149"
    ) in squash(text)
    # Each finding links to its code and to the service's row.
    links = page(html).links
    assert "../codes/504.html#status-504" in links
    assert (
        "../sources/kubernetes-api-conventions.html#source-kubernetes-api-conventions-line-149"
        in links
    )
    assert "blog copy" not in text  # a mirror is not a service


def test_pages_say_what_each_source_is(built: BuildResult) -> None:
    guideline = text_of(built.out / "sources" / "api-guideline-status-codes.html")
    assert (
        "Role: guideline: services are held to it, see Conformance to API Design Guideline: "
        "Response Status Codes"
    ) in guideline
    copy = text_of(built.out / "sources" / "kubernetes-api-conventions-blog-copy.html")
    assert "Role: mirror, a copy of Kubernetes API Conventions: HTTP Status Codes" in copy
    assert "Role: service" in text_of(built.out / "sources" / "huaweicloud-iam-status-codes.html")
    code_504 = text_of(built.out / "codes" / "504.html")
    assert (
        "Guideline: API Design Guideline: Response Status Codes lists it as 'Gateway Timeout' "
        "(line 35); see Conformance to API Design Guideline: Response Status Codes"
    ) in code_504
    assert "Guideline: API Design Guideline: Response Status Codes does not list 307" in text_of(
        built.out / "codes" / "307.html"
    )


def test_the_mirror_page_shows_its_drift(built: BuildResult) -> None:
    html = built.out / "sources" / "kubernetes-api-conventions-blog-copy.html"
    drift = squash(text_of(html)).split("Drift from the original")[1]
    assert drift == (
        "¶ Compared row by row (by code) and word by word with Kubernetes API Conventions: "
        "HTTP Status Codes: 15 rows the same, 1 worded or named otherwise, 0 missing in this "
        "copy, 0 only in this copy. Layout (list nesting, bold, code) is not wording. "
        "Code Difference Original This copy "
        "409 wording differs in the action: added 'section below'; 'resourceVersion).' → "
        "'ResourceVersion).' line 85 line 49"
    )
    links = page(html).links
    assert "kubernetes-api-conventions.html#source-kubernetes-api-conventions-line-85" in links
    assert "#source-kubernetes-api-conventions-blog-copy-line-49" in links


def test_the_retry_policy_page(built: BuildResult) -> None:
    text = squash(text_of(built.out / "retry-policy.html"))
    assert (
        '503 Service Unavailable retry with backoff: "Retry with exponential backoff." '
        "(Kubernetes API Conventions: HTTP Status Codes (line 140)) fix the request (inferred "
        'from the description): "The client should not repeat the request without '
        'modifications." (Huawei Cloud IAM: Status Codes (line 109))'
    ) in text
    assert (
        "429 retry after the Retry-After delay Kubernetes API Conventions: HTTP Status Codes, "
        "Huawei Cloud IAM: Status Codes Read the Retry-After HTTP header from the response, "
        "and wait at least that long before retrying."
    ) in text
