"""The command line: exit codes, output, usage errors, the manifest."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from statusdocs.cli import main

from conftest import FIXTURES, ROOT, SOURCES


def test_export_defaults_to_sources(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["export"]) == 0
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert data["version"] == 3
    assert set(data) == {"version", "sources", "codes", "diagnostics"}
    assert data["sources"][0] | {"metadata": None, "tables": None} == {
        "id": "kubernetes-api-conventions",
        "title": "Kubernetes API Conventions: HTTP Status Codes",
        "path": "sources/kubernetes-api-conventions.md",
        "format": "markdown",
        "metadata": None,
        "role": "service",
        "of": None,
        "tables": None,
    }
    code_404 = next(c for c in data["codes"] if c["code"] == 404)
    assert {k: code_404[k] for k in ("code", "phrase", "class")} == {
        "code": 404,
        "phrase": "Not Found",
        "class": "4xx",
    }
    assert set(code_404["entries"][0]) == {
        "source",
        "name",
        "description",
        "action",
        "extra",
        "retryable",
        "context",
        "path",
        "line",
    }
    assert err.splitlines() == [
        "sources/api-guideline-status-codes.md:31: warning: repaired mis-decoded text: "
        "'applicationâ€™s' -> 'application’s' [source.mojibake]",
        "sources/kubernetes-api-conventions.md: 16 entries [kubernetes-api-conventions]",
        "sources/kubernetes-api-conventions-blog-copy.txt: 16 entries "
        "[kubernetes-api-conventions-blog-copy]",
        "sources/api-guideline-status-codes.md: 23 entries [api-guideline-status-codes]",
        "sources/huaweicloud-iam-status-codes.rst: 41 entries [huaweicloud-iam-status-codes]",
        "sources/huaweicloud-apig-status-codes.rst: 18 entries [huaweicloud-apig-status-codes]",
        "44 codes from 5 sources; 0 errors, 1 warning",
    ]


def test_export_to_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "model.json"
    assert (
        main(["export", "-o", str(target), str(SOURCES / "huaweicloud-apig-status-codes.rst")]) == 0
    )
    assert capsys.readouterr().out == ""
    data = json.loads(target.read_text("utf-8"))
    assert [c["code"] for c in data["codes"]][:3] == [200, 204, 400]
    assert data["sources"][0]["title"] == "Huawei Cloud API Gateway: HTTP Status Codes"


def test_error_in_one_source_exits_1_and_exports_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad.md").write_bytes(b"")
    good = SOURCES / "api-guideline-status-codes.md"
    assert main(["export", str(tmp_path / "bad.md"), str(good)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [s["id"] for s in data["sources"]] == ["api-guideline-status-codes"]
    assert sum(len(c["entries"]) for c in data["codes"]) == 23
    assert data["diagnostics"][0]["type"] == "source.empty"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "--format", "yaml"], "argument --format: invalid choice: 'yaml'"),
        (["check", "no/such/path.md"], "no/such/path.md: no such file or folder"),
        (["frobnicate"], "argument command: invalid choice: 'frobnicate'"),
        ([], "the following arguments are required: command"),
    ],
)
def test_bad_usage_exits_2_without_traceback(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("statusdocs: error: ")
    assert message in err
    assert "Traceback" not in err


def test_check_is_quiet_about_info_unless_verbose(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(FIXTURES / "errors")
    assert main(["check", "no-table.md"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "no-table.md: warning: no HTTP status-code table found [source.no-table]"
    ]


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "statusdocs", "check", "sources/huaweicloud-iam-status-codes.rst"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "41 entries [huaweicloud-iam-status-codes]" in done.stderr


def test_manifest_overrides_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "codes.txt").write_text(
        "| Label | Retry | Number |\n|---|---|---|\n| Missing | Do not retry. | 404 |\n", "utf-8"
    )
    (tmp_path / "manifest.toml").write_text(
        '[[source]]\nfile = "codes.txt"\nid = "custom"\nformat = "markdown"\n'
        "columns = { code = 3, name = 1, action = 2 }\ncolour = 'blue'\n\n"
        '[[source]]\nfile = "gone.md"\n',
        "utf-8",
    )
    assert main(["export", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    data = json.loads(out)
    assert [(s["id"], s["format"]) for s in data["sources"]] == [("custom", "markdown")]
    entry = data["codes"][0]["entries"][0]
    assert (data["codes"][0]["code"], entry["name"], entry["action"]) == (
        404,
        "Missing",
        "Do not retry.",
    )
    manifest = str(tmp_path / "manifest.toml")
    assert [d["message"] for d in data["diagnostics"] if d["path"] == manifest] == [
        "[[source]] number 1 (codes.txt): unknown key 'colour' (known: file, id, title, "
        "publisher, product, url, format, role, of, columns, tables)",
        "no such file: gone.md",
    ]


def test_broken_manifest_is_reported_and_files_still_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "manifest.toml").write_text("[[source]\nfile = 1\n", "utf-8")
    (tmp_path / "a.md").write_text("| Code | Name |\n|---|---|\n| 200 | OK |\n", "utf-8")
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "manifest.toml:1: error: manifest is not valid TOML" in out
    assert "[manifest.syntax]" in out


def test_check_explain_says_why_each_table_was_read_or_skipped(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT / "tests" / "fixtures")
    assert main(["check", "--explain", "cases/meaning-column-holds-phrases-md.md"]) == 0
    assert main(["check", "--explain", "negative/job-states.md"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "cases/meaning-column-holds-phrases-md.md:3: accepted: +1 code column headed 'Code'; "
        "+1 other columns headed as a status table's are ('Meaning'); +1 all 3 codes are "
        "registered; +3 100% of the names are registered reason phrases; +2 the descriptions "
        "speak of requests and responses",
        "    column 1 'Code': code: 3 of 3 cells are status codes",
        "    column 2 'Meaning': name: 100% of its cells are the registered phrases",
        "    column 3 'Details': description: header 'Details'",
        "negative/job-states.md:3: skipped: +1 code column headed 'Code'; +1 other columns "
        "headed as a status table's are ('Description'); +1 all 5 codes are registered; -4 names "
        "look like application identifiers ('SCHEDULED')",
        "    column 1 'Code': code: 5 of 5 cells are status codes",
        "    column 2 'State': kept as an extra column",
        "    column 3 'Description': description: header 'Description'",
        "negative/job-states.md: warning: no HTTP status-code table found [source.no-table]",
    ]


def _project_with_docs(root: Path) -> Path:
    """A project whose sources are in docs/, as `[tool.statusdocs] sources` says."""
    (root / "site").mkdir(parents=True)
    (root / "site" / "conf.py").write_text("")
    (root / "pyproject.toml").write_text('[tool.statusdocs]\nsources = "docs"\n')
    (root / "docs").mkdir()
    (root / "docs" / "api.md").write_text("| Code | Name |\n|---|---|\n| 418 | I'm a teapot |\n")
    (root / "docs" / "sub").mkdir()
    return root


def test_check_and_export_read_the_projects_configured_sources(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project_with_docs(tmp_path / "project")
    monkeypatch.chdir(project / "docs" / "sub")  # from a subfolder, as build finds it
    assert main(["check"]) == 0
    assert capsys.readouterr().err == (
        "docs/api.md: 1 entry [api]\n1 code from 1 source; 0 errors, 0 warnings\n"
    )
    monkeypatch.chdir(tmp_path)
    assert main(["export", "--project", str(project)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(s["id"], s["path"]) for s in data["sources"]] == [("api", "docs/api.md")]
    assert [c["code"] for c in data["codes"]] == [418]


def test_configured_sources_may_be_a_list_of_folders_and_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project_with_docs(tmp_path / "project")
    (project / "more.md").write_text("| Code | Name |\n|---|---|\n| 503 | Service Unavailable |\n")
    (project / "pyproject.toml").write_text('[tool.statusdocs]\nsources = ["docs", "more.md"]\n')
    monkeypatch.chdir(project)
    assert main(["check"]) == 0
    assert capsys.readouterr().err == (
        "docs/api.md: 1 entry [api]\nmore.md: 1 entry [more]\n"
        "2 codes from 2 sources; 0 errors, 0 warnings\n"
    )


def test_check_outside_a_project_reads_sources_here(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "a.md").write_text("| Code | Name |\n|---|---|\n| 200 | OK |\n")
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 0
    assert "sources/a.md: 1 entry [a]" in capsys.readouterr().err
    assert main(["check", "--project", str(tmp_path)]) == 2
    assert "not in a statusdocs project" in capsys.readouterr().err
