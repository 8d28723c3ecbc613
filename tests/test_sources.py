"""The exact model of each real source in sources/, pinned.

Each source's JSON export is compared with `tests/snapshots/<id>.json`
(every code, name, description, action and line); the tests below also
spell out the facts that matter most, so a reader returning nothing or the
wrong column can never pass.
"""

from __future__ import annotations

from typing import Any

import pytest

from conftest import ROOT, SOURCES, assert_snapshot, model_data

COUNTS = {
    "kubernetes-api-conventions": 16,
    "kubernetes-api-conventions-blog-copy": 16,
    "api-guideline-status-codes": 23,
    "huaweicloud-iam-status-codes": 41,
    "huaweicloud-apig-status-codes": 18,
}


@pytest.fixture(scope="module")
def model() -> dict[str, Any]:
    return model_data(SOURCES, ROOT)


def entries_of(model: dict[str, Any], source: str) -> dict[int, dict[str, Any]]:
    found = [e | {"code": c["code"]} for c in model["codes"] for e in c["entries"]]
    return {e["code"]: e for e in found if e["source"] == source}


@pytest.mark.parametrize("source", sorted(COUNTS))
def test_source_model_is_pinned(model: dict[str, Any], source: str) -> None:
    entries = [e | {"code": c["code"]} for c in model["codes"] for e in c["entries"]]
    mine = [e for e in entries if e["source"] == source]
    assert len(mine) == COUNTS[source]
    assert_snapshot(mine, ROOT / "tests" / "snapshots" / f"{source}.json")


def test_sources_and_diagnostics(model: dict[str, Any]) -> None:
    assert [s["id"] for s in model["sources"]] == list(COUNTS)
    assert [s["format"] for s in model["sources"]] == ["markdown", "text", "markdown", "rst", "rst"]
    assert [d["type"] for d in model["diagnostics"] if d["severity"] != "info"] == [
        "source.mojibake"
    ]
    assert len(model["codes"]) == 44


def test_kubernetes_html_table(model: dict[str, Any]) -> None:
    k8s = entries_of(model, "kubernetes-api-conventions")
    assert list(k8s) == [
        200,
        201,
        204,
        307,
        400,
        401,
        403,
        404,
        405,
        409,
        410,
        422,
        429,
        500,
        503,
        504,
    ]
    assert k8s[504]["name"] == "StatusServerTimeout"
    assert k8s[204]["description"] == (
        "- Indicates that the request completed successfully, and the response contains no body.\n"
        "- Returned in response to HTTP OPTIONS requests."
    )
    assert k8s[204]["context"] == "Success Codes"
    assert k8s[503]["action"] == "Retry with exponential backoff."
    assert k8s[409]["action"].startswith(
        "- If creating a new resource: Either change the identifier"
    )
    assert "(including resourceVersion)." in k8s[409]["action"]
    assert (k8s[200]["line"], k8s[307]["line"], k8s[504]["line"]) == (8, 31, 149)


def test_kubernetes_blog_copy(model: dict[str, Any]) -> None:
    blog = entries_of(model, "kubernetes-api-conventions-blog-copy")
    k8s = entries_of(model, "kubernetes-api-conventions")
    assert list(blog) == list(k8s)
    assert [e["name"] for e in blog.values()] == [e["name"] for e in k8s.values()]
    assert blog[409]["action"].splitlines()[0] == "- If creating a new resource:"
    assert blog[429]["action"] == (
        "Read the Retry-After HTTP header from the response, "
        "and wait at least that long before retrying."
    )
    assert blog[307]["context"] == "Error codes"
    assert all("posted @" not in (e["description"] or "") for e in blog.values())


def test_guideline_pipe_table(model: dict[str, Any]) -> None:
    guide = entries_of(model, "api-guideline-status-codes")
    assert guide[303]["name"] == "See Other"
    assert guide[503]["name"] == "Service Unavailable"
    assert guide[429]["description"] == (
        "Returned when a request cannot be served due to the application’s rate limit having "
        "been exhausted for the resource. Response SHOULD include a 'Retry-After' header."
    )
    assert guide[200]["line"] == 13 and guide[504]["line"] == 35
    assert all(e["action"] is None for e in guide.values())


def test_iam_grid_table(model: dict[str, Any]) -> None:
    iam = entries_of(model, "huaweicloud-iam-status-codes")
    assert iam[100]["description"] == (
        "The client should continue with its request.\n\n"
        "This interim response is used to inform the client that the initial part of the "
        "request has been received and has not yet been rejected by the server."
    )
    assert (iam[204]["name"], iam[408]["name"], iam[504]["name"]) == (
        "NoContent",
        "Request Time-out",
        "ServerTimeout",
    )
    assert iam[503]["description"].endswith(
        "The client should not repeat the request without modifications."
    )
    assert iam[100]["context"] == "Status Codes"
    assert (iam[100]["line"], iam[503]["line"], iam[505]["line"]) == (13, 109, 115)


def test_apig_code_and_phrase_in_one_cell(model: dict[str, Any]) -> None:
    apig = entries_of(model, "huaweicloud-apig-status-codes")
    assert apig[407]["name"] == "Proxy Authentication Required"
    assert apig[400]["description"] == (
        "The server failed to process the request. Possible causes include:\n\n"
        "1. Malformed request syntax\n2. Invalid request message framing"
    )
    assert apig[200]["line"] == 17 and apig[504]["line"] == 54
