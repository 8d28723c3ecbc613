"""Holding services to a guideline: the findings on the real sources, each kind on small
sources, and `statusdocs check --guideline`."""

from __future__ import annotations

from pathlib import Path

import pytest

from statusdocs.analysis.conformance import (
    conformance,
    discouraged,
    guideline_says,
    guidelines,
    required,
    services,
)
from statusdocs.cli import main
from statusdocs.ingest import build_model
from statusdocs.model import Model

from conftest import ROOT, SOURCES

GUIDE = "api-guideline-status-codes"

# Every finding on the five real sources, as `statusdocs check --guideline` prints them.
REAL_FINDINGS = [
    (
        "sources/kubernetes-api-conventions.md:31: warning: 307 StatusTemporaryRedirect is "
        "not among the codes the guideline api-guideline-status-codes lists "
        "[conformance.unlisted]"
    ),
    (
        "sources/kubernetes-api-conventions.md:7: warning: 406 Not Acceptable is not "
        "documented here; the guideline api-guideline-status-codes lists it and every other "
        "service (2) documents it [conformance.missing]"
    ),
    (
        "sources/kubernetes-api-conventions.md:7: warning: 412 Precondition Failed is not "
        "documented here; the guideline api-guideline-status-codes lists it and every other "
        "service (2) documents it [conformance.missing]"
    ),
    (
        "sources/kubernetes-api-conventions.md:7: warning: 502 Bad Gateway is not documented "
        "here; the guideline api-guideline-status-codes lists it and every other service (2) "
        "documents it [conformance.missing]"
    ),
    (
        "sources/kubernetes-api-conventions.md:149: warning: 504 is named "
        "'StatusServerTimeout' here and 'Gateway Timeout' by the guideline "
        "api-guideline-status-codes [conformance.name]"
    ),
    (
        "sources/huaweicloud-iam-status-codes.rst:13: warning: 100 Continue is not among the "
        "codes the guideline api-guideline-status-codes lists [conformance.unlisted]"
    ),
    (
        "sources/huaweicloud-iam-status-codes.rst:17: warning: 101 Switching Protocols is "
        "not among the codes the guideline api-guideline-status-codes lists "
        "[conformance.unlisted]"
    ),
    (
        "sources/huaweicloud-iam-status-codes.rst:8: warning: 200 OK is not documented here; "
        "the guideline api-guideline-status-codes lists it and every other service (2) "
        "documents it [conformance.missing]"
    ),
    (
        "sources/huaweicloud-iam-status-codes.rst:25: warning: 203 Non-Authoritative "
        "Information is not among the codes the guideline api-guideline-status-codes lists "
        "[conformance.unlisted]"
    ),
    (
        "sources/huaweicloud-iam-status-codes.rst:31: warning: 205 Reset Content is not "
        "among the codes the guideline api-guideline-status-codes lists "
        "[conformance.unlisted]"
    ),
    (
        "sources/huaweicloud-iam-status-codes.rst:33: warning: 206 Partial Content is not "
        "among the codes the guideline api-guideline-status-codes lists "
        "[conformance.unlisted]"
    ),
    (
        "sources/huaweicloud-iam-status-codes.rst:35: warning: 300 Multiple Choices is not "
        "among the codes the guideline api-guideline-status-codes lists "
        "[conformance.unlisted]"
    ),
    (
        "sources/huaweicloud-iam-status-codes.rst:37: warning: 301 Moved Permanently is not "
        "among the codes the guideline api-guideline-status-codes lists "
        "[conformance.unlisted]"
    ),
    (
        "sources/huaweicloud-iam-status-codes.rst:39: warning: 302 Found is not among the "
        "codes the guideline api-guideline-status-codes lists [conformance.unlisted]"
    ),
    (
        "sources/huaweicloud-iam-status-codes.rst:45: warning: 305 Use Proxy is not among "
        "the codes the guideline api-guideline-status-codes lists [conformance.unlisted]"
    ),
    (
        "sources/huaweicloud-iam-status-codes.rst:47: warning: 306 Unused is not among the "
        "codes the guideline api-guideline-status-codes lists [conformance.unlisted]"
    ),
    (
        "sources/huaweicloud-iam-status-codes.rst:55: warning: 402 Payment Required is not "
        "among the codes the guideline api-guideline-status-codes lists "
        "[conformance.unlisted]"
    ),
    (
        "sources/huaweicloud-iam-status-codes.rst:71: warning: 407 Proxy Authentication "
        "Required is not among the codes the guideline api-guideline-status-codes lists "
        "[conformance.unlisted]"
    ),
    (
        "sources/huaweicloud-iam-status-codes.rst:73: warning: 408 Request Time-out is not "
        "among the codes the guideline api-guideline-status-codes lists "
        "[conformance.unlisted]"
    ),
    (
        "sources/huaweicloud-iam-status-codes.rst:85: warning: 411 Length Required is not "
        "among the codes the guideline api-guideline-status-codes lists "
        "[conformance.unlisted]"
    ),
    (
        "sources/huaweicloud-iam-status-codes.rst:89: warning: 413 Request Entity Too Large "
        "is not among the codes the guideline api-guideline-status-codes lists "
        "[conformance.unlisted]"
    ),
    (
        "sources/huaweicloud-iam-status-codes.rst:91: warning: 414 Request-URI Too Large is "
        "not among the codes the guideline api-guideline-status-codes lists "
        "[conformance.unlisted]"
    ),
    (
        "sources/huaweicloud-iam-status-codes.rst:95: warning: 416 Requested range not "
        "satisfiable is not among the codes the guideline api-guideline-status-codes lists "
        "[conformance.unlisted]"
    ),
    (
        "sources/huaweicloud-iam-status-codes.rst:97: warning: 417 Expectation Failed is not "
        "among the codes the guideline api-guideline-status-codes lists "
        "[conformance.unlisted]"
    ),
    (
        "sources/huaweicloud-iam-status-codes.rst:105: warning: 501 Not Implemented is not "
        "among the codes the guideline api-guideline-status-codes lists "
        "[conformance.unlisted]"
    ),
    (
        "sources/huaweicloud-iam-status-codes.rst:113: warning: 504 is named 'ServerTimeout' "
        "here and 'Gateway Timeout' by the guideline api-guideline-status-codes "
        "[conformance.name]"
    ),
    (
        "sources/huaweicloud-iam-status-codes.rst:115: warning: 505 HTTP Version not "
        "supported is not among the codes the guideline api-guideline-status-codes lists "
        "[conformance.unlisted]"
    ),
    (
        "sources/huaweicloud-apig-status-codes.rst:12: warning: 201 Created is not "
        "documented here; the guideline api-guideline-status-codes lists it and every other "
        "service (2) documents it [conformance.missing]"
    ),
    (
        "sources/huaweicloud-apig-status-codes.rst:36: warning: 407 Proxy Authentication "
        "Required is not among the codes the guideline api-guideline-status-codes lists "
        "[conformance.unlisted]"
    ),
    (
        "sources/huaweicloud-apig-status-codes.rst:38: warning: 408 Request Timeout is not "
        "among the codes the guideline api-guideline-status-codes lists "
        "[conformance.unlisted]"
    ),
    (
        "sources/huaweicloud-apig-status-codes.rst:12: warning: 422 Unprocessable Entity is "
        "not documented here; the guideline api-guideline-status-codes lists it and every "
        "other service (2) documents it [conformance.missing]"
    ),
    (
        "sources/huaweicloud-apig-status-codes.rst:12: warning: 429 Too Many Requests is not "
        "documented here; the guideline api-guideline-status-codes lists it and every other "
        "service (2) documents it [conformance.missing]"
    ),
    (
        "sources/huaweicloud-apig-status-codes.rst:48: warning: 501 Not Implemented is not "
        "among the codes the guideline api-guideline-status-codes lists "
        "[conformance.unlisted]"
    ),
]


@pytest.fixture(scope="module")
def real() -> Model:
    return build_model([SOURCES], base=ROOT)


def test_the_manifest_gives_the_guideline_and_the_mirror_their_roles(real: Model) -> None:
    assert [(s.id, s.role, s.mirror_of) for s in real.sources] == [
        ("kubernetes-api-conventions", "service", None),
        ("kubernetes-api-conventions-blog-copy", "mirror", "kubernetes-api-conventions"),
        (GUIDE, "guideline", None),
        ("huaweicloud-iam-status-codes", "service", None),
        ("huaweicloud-apig-status-codes", "service", None),
    ]
    assert [s.id for s in guidelines(real)] == [GUIDE]
    assert "kubernetes-api-conventions-blog-copy" not in [s.id for s in services(real)]


def test_every_real_finding(real: Model) -> None:
    (guide,) = guidelines(real)
    assert [finding.format() for finding in conformance(real, guide)] == REAL_FINDINGS


def test_check_prints_the_findings_and_exits_by_strictness(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["check", "--guideline", GUIDE]) == 0
    out, err = capsys.readouterr()
    assert [line for line in out.splitlines() if "[conformance." in line] == REAL_FINDINGS
    assert err.splitlines()[-1] == f"33 conformance findings against {GUIDE}"
    assert main(["check", "--guideline", GUIDE, "--strict"]) == 1
    capsys.readouterr()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--guideline", "nope"],
            f"--guideline nope: no such source (guidelines: {GUIDE}; see 'statusdocs check "
            "--help')",
        ),
        (
            ["--guideline", "huaweicloud-iam-status-codes"],
            "--guideline huaweicloud-iam-status-codes: that source's role is 'service'; give "
            'it role = "guideline" in the manifest',
        ),
        (["--strict"], "--strict needs --guideline ID (see 'statusdocs check --help')"),
    ],
)
def test_check_guideline_usage_errors(
    argv: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["check", *argv]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == f"statusdocs: error: {message}"


HEADER = "| Code | Name | Description | Action |\n|---|---|---|---|\n"


def _project(folder: Path, manifest: str, **tables: str) -> Model:
    for name, rows in tables.items():
        (folder / f"{name}.md").write_text(HEADER + rows, "utf-8")
    (folder / "manifest.toml").write_text(manifest, "utf-8")
    return build_model([folder], base=folder)


GUIDELINE_ROWS = (
    "| 200 | OK | It worked. | |\n"
    "| 404 | Not Found | Nothing there. | |\n"
    "| 418 | I'm a teapot | This code SHOULD NOT be used. | |\n"
    "| 429 | Too Many Requests | Every API MUST support it. | Do not retry. |\n"
    "| 503 | Service Unavailable | Down. | Retry with exponential backoff. |\n"
)
GUIDELINE = '[[source]]\nfile = "house.md"\nrole = "guideline"\n'


def test_each_kind_of_finding(tmp_path: Path) -> None:
    model = _project(
        tmp_path,
        GUIDELINE,
        house=GUIDELINE_ROWS,
        svc="| 200 | Success | It worked. | |\n"
        "| 404 | NotFound | Nothing there. | |\n"
        "| 418 | I'm a teapot | Short and stout. | |\n"
        "| 451 | Unavailable For Legal Reasons | Blocked. | |\n"
        "| 503 | Service Unavailable | Down. | Do not retry this request. |\n",
    )
    (house,) = guidelines(model)
    assert [f.format() for f in conformance(model, house)] == [
        "svc.md:3: warning: 200 is named 'Success' here and 'OK' by the guideline house "
        "[conformance.name]",
        "svc.md:5: warning: 418 I'm a teapot is a code the guideline house says not to use: "
        "'This code SHOULD NOT be used.' [conformance.discouraged]",
        "svc.md:1: warning: 429 Too Many Requests is not documented here; the guideline house "
        "requires it: 'Every API MUST support it.' [conformance.missing]",
        "svc.md:6: warning: 451 Unavailable For Legal Reasons is not among the codes the "
        "guideline house lists [conformance.unlisted]",
        "svc.md:7: warning: 503: the advice here (do not retry: 'Do not retry this request.') "
        "contradicts the guideline house (retry with backoff: 'Retry with exponential "
        "backoff.') [conformance.advice]",
    ]
    # `NotFound` spells the guideline's `Not Found` another way: no finding for 404.
    assert not [f for f in conformance(model, house) if f.code == 404]


def test_a_code_every_other_service_documents_is_missing(tmp_path: Path) -> None:
    model = _project(
        tmp_path,
        GUIDELINE,
        house="| 200 | OK | It worked. | |\n| 404 | Not Found | Nothing there. | |\n",
        a="| 200 | OK | Fine. | |\n| 404 | Not Found | Gone. | |\n",
        b="| 200 | OK | Fine. | |\n| 404 | Not Found | Absent. | |\n",
        c="| 200 | OK | Fine. | |\n",
    )
    (house,) = guidelines(model)
    assert [f.format() for f in conformance(model, house)] == [
        "c.md:1: warning: 404 Not Found is not documented here; the guideline house lists it "
        "and every other service (2) documents it [conformance.missing]"
    ]


def test_mirrors_are_not_held_to_the_guideline(tmp_path: Path) -> None:
    manifest = GUIDELINE + '[[source]]\nfile = "copy.md"\nrole = "mirror"\nof = "svc"\n'
    model = _project(
        tmp_path,
        manifest,
        house="| 200 | OK | It worked. | |\n",
        svc="| 200 | OK | It worked. | |\n",
        copy="| 200 | OK | It worked. | |\n| 302 | Found | Moved. | |\n",
    )
    (house,) = guidelines(model)
    assert [s.id for s in services(model)] == ["svc"]
    assert conformance(model, house) == []


def test_rules_are_read_from_capitalized_keywords() -> None:
    from statusdocs.model import Entry
    from statusdocs.richtext import from_plain

    def row(text: str) -> Entry:
        return Entry("g", 418, None, from_plain(text), from_plain(""), None, 1)

    assert discouraged(row("Avoid this code; use 400 instead.")) == (
        "Avoid this code; use 400 instead."
    )
    assert discouraged(row("APIs MUST NOT return it. It is a joke.")) == "APIs MUST NOT return it."
    assert discouraged(row("The server should not be used as a proxy.")) is None
    assert required(row("Every API MUST support this code.")) == "Every API MUST support this code."
    # Lower-case "should" describes when it is returned; it requires nothing (RFC 8174).
    assert required(row("It should be supported by proxies.")) is None


def test_what_the_guideline_says_of_each_code(real: Model) -> None:
    said = {
        code: [(g.id, rule is not None, words) for g, rule, words in guideline_says(real, code)]
        for code in (404, 307)
    }
    assert said == {
        404: [(GUIDE, True, "lists it as 'Not Found'")],
        307: [(GUIDE, False, "does not list 307")],
    }


def test_manifest_roles_are_checked(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(HEADER + "| 200 | OK | Fine. | |\n", "utf-8")
    (tmp_path / "b.md").write_text(HEADER + "| 200 | OK | Fine. | |\n", "utf-8")
    (tmp_path / "c.md").write_text(HEADER + "| 404 | Not Found | Gone. | |\n", "utf-8")
    (tmp_path / "manifest.toml").write_text(
        '[[source]]\nfile = "a.md"\nrole = "mirror"\n\n'
        '[[source]]\nfile = "b.md"\nrole = "judge"\nof = "a"\n\n'
        '[[source]]\nfile = "c.md"\nrole = "mirror"\nof = "nobody"\n',
        "utf-8",
    )
    model = build_model([tmp_path], base=tmp_path)
    assert [(s.id, s.role, s.mirror_of) for s in model.sources] == [
        ("a", "service", None),
        ("b", "service", None),
        ("c", "service", None),
    ]
    assert [d.format() for d in model.diagnostics if d.severity != "info"] == [
        "manifest.toml:3: error: [[source]] number 1 (a.md): a mirror needs 'of', the id of "
        "the source it copies [manifest.entry]",
        "manifest.toml:7: error: [[source]] number 2 (b.md): 'role' must be one of "
        "('guideline', 'service', 'mirror') [manifest.entry]",
        "manifest.toml:8: error: [[source]] number 2 (b.md): 'of' is only for role = "
        '"mirror" [manifest.entry]',
        "c.md: error: role 'mirror' with of = 'nobody', which names no source read; read as "
        "a service [manifest.mirror]",
    ]


def test_of_names_an_id_as_the_manifest_wrote_it(tmp_path: Path) -> None:
    # "index" is a site page's name, so the source becomes "index-2"; `of` follows it.
    (tmp_path / "index.md").write_text(HEADER + "| 200 | OK | Fine. | |\n", "utf-8")
    (tmp_path / "copy.md").write_text(HEADER + "| 200 | OK | Fine. | |\n", "utf-8")
    (tmp_path / "manifest.toml").write_text(
        '[[source]]\nfile = "copy.md"\nrole = "mirror"\nof = "index"\n', "utf-8"
    )
    model = build_model([tmp_path], base=tmp_path)
    assert [(s.id, s.role, s.mirror_of) for s in model.sources] == [
        ("copy", "mirror", "index-2"),
        ("index-2", "service", None),
    ]
    assert not [d for d in model.diagnostics if d.severity == "error"]


def test_a_rule_on_any_of_a_guidelines_rows_for_a_code_counts(tmp_path: Path) -> None:
    model = _project(
        tmp_path,
        GUIDELINE,
        house="| 404 | Not Found | Nothing there. | |\n"
        "| 404 | Not Found | SHOULD NOT be used. | |\n",
        svc="| 404 | Not Found | Gone. | |\n",
    )
    (house,) = guidelines(model)
    assert [f.kind for f in conformance(model, house)] == ["discouraged"]
