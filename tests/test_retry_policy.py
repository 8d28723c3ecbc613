"""The retry-policy export of the real sources: one source's advice, the merged view, the schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from statusdocs.formats.retry_policy import retry_policy, retry_policy_json, schema_text
from statusdocs.ingest import build_model
from statusdocs.model import Model

from conftest import ROOT, SOURCES

KUBE, BLOG, IAM = (
    "kubernetes-api-conventions",
    "kubernetes-api-conventions-blog-copy",
    "huaweicloud-iam-status-codes",
)
KUBE_FILE, IAM_FILE = (
    "sources/kubernetes-api-conventions.md",
    "sources/huaweicloud-iam-status-codes.rst",
)
BACKOFF = "Retry with exponential backoff."
NOT_UNCHANGED = "The client should not repeat the request without modifications."


@pytest.fixture(scope="module")
def model() -> Model:
    return build_model([SOURCES], base=ROOT)


def _advice(code: int, policy: str, sentence: str, at: str, sources: list[str]) -> dict[str, Any]:
    return {
        "code": code,
        "policy": policy,
        "backoff": policy == "retry with backoff",
        "retry_after": policy == "retry after the Retry-After delay",
        "sentence": sentence,
        "said": True,
        "sources": sources,
        "at": at,
    }


def test_kubernetes_export(model: Model) -> None:
    data = retry_policy(model, KUBE)
    assert data["schema_version"] == 1
    assert data["source"] == KUBE
    assert data["retry"] == [
        _advice(
            429,
            "retry after the Retry-After delay",
            "Read the Retry-After HTTP header from the response, and wait at least that long "
            "before retrying.",
            f"{KUBE_FILE}:122",
            [KUBE],
        ),
        _advice(500, "retry with backoff", BACKOFF, f"{KUBE_FILE}:131", [KUBE]),
        _advice(503, "retry with backoff", BACKOFF, f"{KUBE_FILE}:140", [KUBE]),
        _advice(
            504,
            "retry with backoff",
            "Increase the value of the timeout param and retry with exponential backoff.",
            f"{KUBE_FILE}:149",
            [KUBE],
        ),
    ]
    fix, kube_409 = (
        "Fix the request.",
        (
            "If creating a new resource: Either change the identifier and try again, or GET and "
            "compare the fields in the pre-existing object and issue a PUT/update to modify the "
            "existing object."
        ),
    )
    fixes = [(400, 40, fix), (403, 58, fix), (404, 67, fix), (405, 76, fix), (409, 85, kube_409)]
    fixes += [(410, 104, fix), (422, 113, fix)]
    assert data["do_not_retry"] == [
        _advice(code, "fix the request", sentence, f"{KUBE_FILE}:{line}", [KUBE])
        for code, line, sentence in fixes
    ]
    assert data["other"] == [
        _advice(307, "follow the redirect", "Follow the redirect.", f"{KUBE_FILE}:31", [KUBE]),
        _advice(
            401,
            "re-authenticate",
            "If the user has not supplied authorization information, prompt them for the "
            "appropriate credentials.",
            f"{KUBE_FILE}:49",
            [KUBE],
        ),
    ]
    assert data["disagreements"] == []


def test_merged_view_lists_503_as_a_disagreement(model: Model) -> None:
    # The blog copy is a mirror (sources/manifest.toml): it says again what Kubernetes says,
    # so the merged view leaves it out.
    data = retry_policy(model, None)
    assert data["source"] is None
    assert data["disagreements"] == [
        {
            "code": 503,
            "readings": [
                {
                    "source": KUBE,
                    "policy": "retry with backoff",
                    "sentence": BACKOFF,
                    "said": True,
                    "at": f"{KUBE_FILE}:140",
                },
                {
                    "source": IAM,
                    "policy": "fix the request",
                    "sentence": NOT_UNCHANGED,
                    "said": False,
                    "at": f"{IAM_FILE}:109",
                },
            ],
        }
    ]
    listed = [item["code"] for key in ("retry", "do_not_retry", "other") for item in data[key]]
    assert 503 not in listed


def test_merged_view_of_agreeing_sources(model: Model) -> None:
    data = retry_policy(model, None)
    summary = {
        key: [(item["code"], item["policy"], item["said"], item["sources"]) for item in data[key]]
        for key in ("retry", "do_not_retry", "other")
    }
    kube, kube_iam = [KUBE], [KUBE, IAM]
    assert summary == {
        "retry": [
            (408, "retry", False, [IAM]),
            (429, "retry after the Retry-After delay", True, kube_iam),
            (500, "retry with backoff", True, kube),
            (504, "retry with backoff", True, kube),
        ],
        "do_not_retry": [
            (400, "fix the request", True, kube_iam),
            (403, "fix the request", True, kube_iam),
            (404, "fix the request", True, kube_iam),
            (405, "fix the request", True, kube_iam),
            (409, "fix the request", True, kube),
            (410, "fix the request", True, kube),
            (422, "fix the request", True, kube),
        ],
        "other": [
            (301, "follow the redirect", False, [IAM]),
            (303, "follow the redirect", False, [IAM]),
            (307, "follow the redirect", True, kube),
            (401, "re-authenticate", True, kube_iam),
            (407, "re-authenticate", False, [IAM, "huaweicloud-apig-status-codes"]),
        ],
    }
    # Said before inferred: the Kubernetes row is shown for 429, not IAM's description.
    assert data["retry"][1]["at"] == f"{KUBE_FILE}:122"
    assert data["retry"][0] == {
        "code": 408,
        "policy": "retry",
        "backoff": False,
        "retry_after": False,
        "sentence": "The client may repeat the request without modifications at any later time.",
        "said": False,
        "sources": [IAM],
        "at": f"{IAM_FILE}:73",
    }


def test_a_source_without_advice_exports_empty_lists(model: Model) -> None:
    assert retry_policy(model, "api-guideline-status-codes") == {
        "schema_version": 1,
        "source": "api-guideline-status-codes",
        "retry": [],
        "do_not_retry": [],
        "other": [],
        "disagreements": [],
    }


@pytest.mark.parametrize("source", [None, KUBE, BLOG, IAM, "huaweicloud-apig-status-codes"])
def test_schema_validates_the_export(model: Model, source: str | None) -> None:
    schema = json.loads(schema_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(retry_policy(model, source))


def test_schema_rejects_what_it_documents_against() -> None:
    validator = jsonschema.Draft202012Validator(json.loads(schema_text()))
    data = {
        "schema_version": 1,
        "source": None,
        "retry": [{"code": 503, "policy": "retry later"}],
        "do_not_retry": [],
        "other": [],
    }
    messages = sorted(error.message for error in validator.iter_errors(data))
    assert messages == [
        "'at' is a required property",
        "'backoff' is a required property",
        "'disagreements' is a required property",
        "'retry later' is not one of ['retry', 'retry with backoff', 'retry after the "
        "Retry-After delay', 'do not retry', 'fix the request', 're-authenticate', 'follow the "
        "redirect', 'contact support']",
        "'retry_after' is a required property",
        "'said' is a required property",
        "'sentence' is a required property",
        "'sources' is a required property",
    ]


def test_json_text_is_deterministic(model: Model) -> None:
    text = retry_policy_json(model, None)
    assert text.endswith("}\n")
    assert json.loads(text) == retry_policy(model, None)
    assert text == retry_policy_json(build_model([SOURCES], base=ROOT), None)
    assert text.startswith('{\n  "schema_version": 1,\n  "source": null,\n  "retry": [\n')


def test_unknown_source(model: Model) -> None:
    with pytest.raises(ValueError) as raised:
        retry_policy(model, "nope")
    assert str(raised.value) == (
        "unknown source 'nope'; known: kubernetes-api-conventions, "
        "kubernetes-api-conventions-blog-copy, api-guideline-status-codes, "
        "huaweicloud-iam-status-codes, huaweicloud-apig-status-codes"
    )


def test_the_export_command(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from statusdocs.cli import main

    monkeypatch.chdir(ROOT)
    argv = ["export", "--format", "retry-policy", "--sources", KUBE, "--codes", "429,503"]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["source"] == KUBE
    assert [(i["code"], i["policy"], i["backoff"], i["retry_after"]) for i in data["retry"]] == [
        (429, "retry after the Retry-After delay", False, True),
        (503, "retry with backoff", True, False),
    ]
    assert data["do_not_retry"] == data["other"] == data["disagreements"] == []
    assert main(["export", "--format", "retry-policy", "--sources", f"{KUBE},{IAM}"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "statusdocs: error: --format retry-policy takes one source (--sources ID), or none "
        "for the sources' merged advice (see 'statusdocs export --help')"
    )


def test_rows_on_one_line_stay_apart_on_the_page(tmp_path: Path) -> None:
    from statusdocs.ingest import build_model

    # Two tables on one line: 404 says "retry" in one and "do not retry" in the other.
    (tmp_path / "a.html").write_text(
        "<table><tr><th>Code</th><th>Description</th></tr><tr><td>404</td>"
        "<td>Retry later.</td></tr><tr><td>200</td><td>Fine.</td></tr></table>"
        "<table><tr><th>Code</th><th>Description</th></tr><tr><td>404</td>"
        "<td>Do not retry.</td></tr><tr><td>201</td><td>Made.</td></tr></table>",
        "utf-8",
    )
    model = build_model([tmp_path], base=tmp_path)
    (item,) = retry_policy(model, None, with_rows=True)["disagreements"]
    sentences = [(r["policy"], r["row"].description.plain) for r in item["readings"]]
    assert sentences == [("retry", "Retry later."), ("do not retry", "Do not retry.")]
