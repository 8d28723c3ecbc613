"""`statusdocs build` as a user runs it: output folder, exit codes, overrides, any directory."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sitecheck import built_project, page

from statusdocs.cli import main

from conftest import without_progress

pytestmark = pytest.mark.slow


@pytest.fixture
def project(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Path:
    """A copy of the real project, built once a session (so a build here is a rebuild), with
    no published site: each test sees where its own build publishes."""
    root = built_project(tmp_path_factory.getbasetemp() / "built-once", tmp_path / "project")
    shutil.rmtree(root / "site" / "_build" / "html")
    return root


def test_build_from_another_directory_with_out(
    project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    out = tmp_path / "public"
    status = main(["build", "--project", str(project), "--out", str(out)])
    assert status == 0
    assert capsys.readouterr().out.startswith(f"site written to {out / 'index.html'}")
    assert (out / "codes" / "404.html").is_file()
    assert not (project / "site" / "_build" / "html").exists()


def test_build_from_a_subfolder_finds_the_project(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project / "sources")
    assert main(["build"]) == 0
    assert (project / "site" / "_build" / "html" / "index.html").is_file()
    page = (project / "site" / "codes" / "404.rst").read_text("utf-8")
    assert page.startswith(
        ".. Made by statusdocs from the sources; edit the templates, not this page.\n\n"
    )
    capsys.readouterr()


def test_bad_source_still_builds_and_exits_1(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "sources" / "broken.md").write_text("| Code | Name |\n|---|---|\n| 600 | Custom |\n")
    assert main(["build", "--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert "sources/broken.md:3: error: '600' is not a valid HTTP status code" in err
    html = project / "site" / "_build" / "html"
    assert "'600' is not a valid HTTP status code" in page(html / "diagnostics.html").main_text()
    assert (html / "codes" / "404.html").is_file()


def test_user_templates_override_the_shipped_ones(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "my-templates").mkdir()
    (project / "my-templates" / "index.rst.jinja").write_text(
        "{{ site_title|heading('=') }}\n\n"
        "Our own front page for {{ model.codes|length }} codes.\n\n"
        ".. toctree::\n   :hidden:\n\n   codes/index\n   classes/1xx\n   classes/2xx\n"
        "   classes/3xx\n   classes/4xx\n   classes/5xx\n   sources/index\n"
        "   guidelines/api-guideline-status-codes\n   compare\n"
        "   conflicts\n   headers\n   retry-policy\n   diagnostics\n   use\n"
    )
    (project / "pyproject.toml").write_text(
        '[tool.statusdocs]\ntitle = "ACME status codes"\ntemplates = "my-templates"\n'
    )
    assert main(["build", "--project", str(project)]) == 0
    index = page(project / "site" / "_build" / "html" / "index.html").main_text()
    assert index.startswith("ACME status codes")
    assert "Our own front page for 44 codes." in index
    capsys.readouterr()


def test_unknown_setting_is_a_usage_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text('[tool.statusdocs]\ncolour = "blue"\n')
    assert main(["build", "--project", str(project)]) == 2
    assert "[tool.statusdocs] has unknown key 'colour'" in capsys.readouterr().err


def test_a_page_of_the_users_in_a_generated_place_is_kept(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ours = (project / "site" / "compare.rst").read_text("utf-8")
    mine = "Our comparison\n==============\n\nWritten by hand.\n"
    (project / "site" / "compare.rst").write_text(mine, "utf-8")
    (project / "site" / "codes" / "999.rst").write_text("Notes\n=====\n\nMine too.\n", "utf-8")
    assert main(["build", "--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert (
        f"WARNING: {project}/site/compare.rst was not made by statusdocs; it is kept, and its "
        "page not generated [statusdocs.page-kept]"
    ) in err
    assert (project / "site" / "compare.rst").read_text("utf-8") == mine
    assert (project / "site" / "codes" / "999.rst").read_text(
        "utf-8"
    ) == "Notes\n=====\n\nMine too.\n"
    built = project / "site" / "_build" / "html"
    assert page(built / "compare.html").main_text().startswith("Our comparison")
    assert ours.startswith(".. Made by statusdocs")


def test_a_build_with_nothing_changed_replays_its_report_without_sphinx(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "sources" / "broken.md").write_text("| Code | Name |\n|---|---|\n| 600 | X |\n")
    assert main(["build", "--project", str(project)]) == 1
    first = capsys.readouterr()
    import statusdocs.site.build as building

    def no_build(*args: object, **kwargs: object) -> None:
        raise AssertionError("built again with nothing changed")

    monkeypatch.setattr(building, "build", no_build)
    assert main(["build", "--project", str(project)]) == 1  # the same exit, the same report
    again = capsys.readouterr()
    assert again.err == without_progress(first.err)  # a replay has no stages to show
    assert "sources/broken.md:3: error:" in again.err
    index = project / "site" / "_build" / "html" / "index.html"
    assert again.out.startswith(f"site unchanged at {index} (no input changed; ")
    monkeypatch.undo()
    (project / "sources" / "broken.md").unlink()  # an input changed: a real build
    assert main(["build", "--project", str(project)]) == 0
    assert capsys.readouterr().out.startswith(f"site written to {index} (read ")
