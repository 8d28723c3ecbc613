"""`statusdocs init`: the files of a new project, its sources, and never overwriting."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from statusdocs.cli import main
from statusdocs.diagnostics import StatusdocsError
from statusdocs.ingest import build_model
from statusdocs.scaffold import init_project
from statusdocs.sources.settings import SiteConfig, load_config

from conftest import ROOT

SKELETON = ROOT / "generator" / "skeleton"
FILES = [
    ".gitignore",
    ".readthedocs.yaml",
    "pyproject.toml",
    "site/conf.py",
    "site/requirements.txt",
    "sources/example.md",
    "sources/manifest.toml",
    "templates/README.md",
]
DOTLESS = {".gitignore": "gitignore", ".readthedocs.yaml": "readthedocs.yaml"}


def contents(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, by its POSIX path relative to it."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_init_writes_the_skeleton(tmp_path: Path) -> None:
    project = tmp_path / "new"
    written = init_project(project)
    assert [path.relative_to(project).as_posix() for path in written] == FILES
    assert contents(project) == {
        name: (SKELETON / DOTLESS.get(name, name)).read_bytes() for name in FILES
    }
    conf = (project / "site" / "conf.py").read_text("utf-8")
    assert 'extensions = ["statusdocs.site"]' in conf
    assert "site/_build/" in (project / ".gitignore").read_text("utf-8").splitlines()
    assert (project / "site" / "requirements.txt").read_text("utf-8") == "statusdocs\n"
    assert load_config(project / "pyproject.toml") == SiteConfig(title="HTTP Status Codes")


def test_the_example_source_reads_cleanly(tmp_path: Path) -> None:
    init_project(tmp_path)
    model = build_model([tmp_path / "sources"])
    assert [code.code for code in model.codes] == [200, 201, 400, 404, 503]
    names = [entry.name for code in model.codes for entry in code.entries]
    assert names == ["OK", "Created", "Bad Request", "Not Found", "Service Unavailable"]
    assert [(source.id, source.title) for source in model.sources] == [("example", "Example API")]
    assert [d.format() for d in model.diagnostics if d.severity in ("error", "warning")] == []


def test_init_again_refuses_and_writes_nothing(tmp_path: Path) -> None:
    init_project(tmp_path)
    before = contents(tmp_path)
    with pytest.raises(StatusdocsError) as refused:
        init_project(tmp_path)
    assert str(refused.value) == (
        f"{tmp_path}: would overwrite {', '.join(FILES)}; nothing was written"
    )
    assert contents(tmp_path) == before


def test_one_existing_file_stops_everything(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "conf.py").write_text("mine\n", "utf-8")
    (tmp_path / "templates").write_text("a file where a folder goes\n", "utf-8")
    with pytest.raises(StatusdocsError) as refused:
        init_project(tmp_path)
    assert str(refused.value) == (
        f"{tmp_path}: would overwrite site/conf.py, templates; nothing was written"
    )
    assert contents(tmp_path) == {
        "site/conf.py": b"mine\n",
        "templates": b"a file where a folder goes\n",
    }


def test_init_keeps_unrelated_files(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "notes.txt").write_text("keep me\n", "utf-8")
    (tmp_path / "README.md").write_text("# Mine\n", "utf-8")
    written = init_project(tmp_path)
    assert [path.relative_to(tmp_path).as_posix() for path in written] == FILES
    assert (tmp_path / "sources" / "notes.txt").read_text("utf-8") == "keep me\n"
    assert (tmp_path / "README.md").read_text("utf-8") == "# Mine\n"


def test_cli_init(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "docs"
    assert main(["init", str(project)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        *(f"created {name}" for name in FILES),
        f"then: cd {project} && statusdocs build",
    ]
    assert err == ""


def test_cli_init_refuses_with_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\n", "utf-8")
    assert main(["init", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"statusdocs: error: {tmp_path}: would overwrite pyproject.toml; nothing was written\n"
    )
    assert contents(tmp_path) == {"pyproject.toml": b"[project]\n"}


def test_cli_init_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "then: statusdocs build"
    assert sorted(contents(tmp_path)) == FILES


def test_readthedocs_config(tmp_path: Path) -> None:
    init_project(tmp_path)
    config = yaml.safe_load((tmp_path / ".readthedocs.yaml").read_text("utf-8"))
    assert config == {
        "version": 2,
        "build": {"os": "ubuntu-24.04", "tools": {"python": "3.12"}},
        "python": {"install": [{"requirements": "site/requirements.txt"}]},
        "sphinx": {"configuration": "site/conf.py", "fail_on_warning": True},
    }
