"""One bad source, setting, template or disk never takes the build down or the user's files,
and no source reads or publishes what lies outside the sources folder.

Each case is a real project (the five sources plus bad things) run through
the command line as a user runs it: the exact message, the exit code, the
good sources still read in full, and nothing outside statusdocs' own output
changed.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sitecheck import copy_project, page

from statusdocs.cli import main
from statusdocs.ingest import build_model

from conftest import without_progress

GOOD_COUNTS = [
    "sources/kubernetes-api-conventions.md: 16 entries [kubernetes-api-conventions]",
    "sources/api-guideline-status-codes.md: 23 entries [api-guideline-status-codes]",
    "sources/huaweicloud-iam-status-codes.rst: 41 entries [huaweicloud-iam-status-codes]",
    "sources/huaweicloud-apig-status-codes.rst: 18 entries [huaweicloud-apig-status-codes]",
]
ONE_LINE_TABLE = (
    "<html><body><h1>Codes</h1><table><tr><th>Code</th><th>Name</th></tr>"
    "<tr><td>200</td><td>OK</td></tr><tr><td>404</td><td>Not Found</td></tr>"
    "<tr><td>500</td><td>Internal Server Error</td></tr></table></body></html>"
)
SMALL_TABLE = "# Ours\n\n| Code | Name |\n|---|---|\n| 418 | I'm a teapot |\n"


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file and link under `folder` with its size and modification time."""
    found = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        found[path.relative_to(folder).as_posix()] = (info.st_size, info.st_mtime_ns)
    return found


def contents(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


SECRET = "# SECRET-TITLE\n\n| Code | Name |\n|---|---|\n| 402 | SECRET-ROW |\n"
CJK_TABLE = "# 状态码说明\n\n## 成功 🎉\n\n| 状态码 | 说明 |\n|---|---|\n| 201 | Created |\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project plus hostile names, titles and links, built once."""
    root = copy_project(tmp_path_factory.mktemp("reliable") / "project")
    sources = root / "sources"
    (sources / "oneline.html").write_text(ONE_LINE_TABLE, "utf-8")
    (sources / "index.md").write_text(SMALL_TABLE, "utf-8")
    (sources / "huaweicloud-iam-status-codes-line-13.md").write_text(SMALL_TABLE, "utf-8")
    (sources / "cjk.md").write_text(CJK_TABLE, "utf-8")
    (sources / "zw.md").write_text("# \u200b\u200d\n\n" + SMALL_TABLE.replace("418", "421"))
    with (sources / "manifest.toml").open("a", encoding="utf-8") as manifest:
        manifest.write('\n[[source]]\nfile = "oneline.html"\nid = "One Line.{{x}}"\n')
    (root / "pyproject.toml").write_text('[tool.statusdocs]\ntitle = "状态码 🎉"\n', "utf-8")
    assert main(["build", "--project", str(root)]) == 0
    return root


def html(root: Path) -> Path:
    return root / "site" / "_build" / "html"


def releases(root: Path) -> Path:
    return root / "site" / "_build" / ".html.releases"


def build_output(root: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """The exit code and what a build printed, less the lines of the stages it finished."""
    status = main(["build", "--project", str(root), *argv])
    captured = capsys.readouterr()
    return status, without_progress(captured.out + captured.err)


# --- names and anchors -------------------------------------------------------------------


def test_rows_on_one_line_get_anchors_of_their_own(built: Path) -> None:
    source_page = page(html(built) / "sources" / "one-line-x.html")
    assert {"source-one-line-x-line-1", "source-one-line-x-line-1-2"} <= source_page.ids
    assert "source-one-line-x-line-1-3" in source_page.ids
    code_page = page(html(built) / "codes" / "500.html")
    assert "../sources/one-line-x.html#source-one-line-x-line-1-3" in code_page.links
    assert "line 1, row 3" in code_page.main_text()


def test_unsafe_and_reserved_ids_are_renamed_and_said(
    built: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(built)
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert (
        "sources/manifest.toml:56: warning: [[source]] number 6 (oneline.html): "
        "id 'One Line.{{x}}' is not lower-case letters, digits and single hyphens; "
        "using 'one-line-x' [manifest.id]"
    ) in out
    assert (
        "sources/index.md: warning: id 'index' is a site page's name; "
        "using 'index-2' [source.duplicate-id]"
    ) in out
    assert (
        "sources/huaweicloud-iam-status-codes-line-13.md: warning: id "
        "'huaweicloud-iam-status-codes-line-13' could be taken for a row label; using "
        "'huaweicloud-iam-status-codes-line13' [source.duplicate-id]"
    ) in out
    assert page(html(built) / "sources" / "index.html").main_text().startswith("Sources")
    assert "I'm a teapot" in page(html(built) / "sources" / "index-2.html").main_text()


# --- containment ---------------------------------------------------------------------------


def test_nothing_outside_the_sources_folder_is_read_or_published(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "ours.md").write_text(SMALL_TABLE)
    root = copy_project(tmp_path / "project", sources=mine)
    (tmp_path / "secret.md").write_text(SECRET, "utf-8")
    (root / "sources" / "users.md").symlink_to(tmp_path / "secret.md")
    (root / "sources" / "manifest.toml").write_text(
        '[[source]]\nfile = "../../secret.md"\n\n[[source]]\nfile = "/etc/passwd"\n'
    )
    monkeypatch.chdir(root)
    assert main(["build"]) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if ": error: " in line]
    assert errors == [
        "sources/manifest.toml: error: '../../secret.md' is outside the sources folder, not "
        "read [source.outside]",
        "sources/manifest.toml: error: '/etc/passwd' is outside the sources folder, not read "
        "[source.outside]",
        "sources/users.md: error: outside the sources folder, not read [source.outside]",
    ]
    published = [p for p in html(root).rglob("*") if p.is_file()]
    assert "I'm a teapot" in page(html(root) / "codes" / "418.html").main_text()
    assert [p for p in published if b"SECRET" in p.read_bytes() or b"root:" in p.read_bytes()] == []


def test_a_source_cannot_take_another_sources_row_label(built: Path) -> None:
    hijack = page(html(built) / "sources" / "huaweicloud-iam-status-codes-line13.html")
    assert "source-huaweicloud-iam-status-codes-line13-line-5" in hijack.ids
    iam = page(html(built) / "sources" / "huaweicloud-iam-status-codes.html")
    assert "source-huaweicloud-iam-status-codes-line-13" in iam.ids


def test_titles_in_any_script_are_titles(built: Path) -> None:
    cjk = page(html(built) / "sources" / "cjk.html")
    assert [h.text for h in cjk.elements("h1")] == ["状态码说明"]
    assert [h.text for h in cjk.elements("h2")] == ["成功 🎉"]
    assert page(html(built) / "index.html").main_text().startswith("状态码 🎉")
    assert [h.text for h in page(html(built) / "sources" / "zw.html").elements("h1")] == ["zw"]


def test_every_path_passed_over_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = tmp_path / "sources"
    (sources / "sub").mkdir(parents=True)
    (sources / "sub" / "ours.md").write_text(SMALL_TABLE)
    (sources / "_draft.md").write_text(SMALL_TABLE)
    (sources / "..md").write_text(SMALL_TABLE)
    (sources / "dangling.md").symlink_to(sources / "nowhere.md")
    (sources / "loop-a.md").symlink_to(sources / "loop-b.md")
    (sources / "loop-b.md").symlink_to(sources / "loop-a.md")
    (sources / "folder-link").symlink_to(sources / "sub")
    (sources / "again.md").symlink_to(sources / "sub" / "ours.md")
    os.mkfifo(sources / "pipe.md")
    (sources / "locked").mkdir()
    scandir = os.scandir

    def unlistable(path: Any) -> Any:
        if Path(path).name == "locked":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", unlistable)  # what the walk lists a folder with
    monkeypatch.chdir(tmp_path)
    assert main(["check", "-v", "sources"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "sources/..md: info: hidden name (. or _); not read [source.hidden]",
        "sources/_draft.md: info: hidden name (. or _); not read [source.hidden]",
        "sources/dangling.md: warning: link to nothing; not read [source.dangling-link]",
        "sources/folder-link: info: link to a folder; not followed [source.folder-link]",
        "sources/loop-a.md: warning: link loop; not read [source.link-loop]",
        "sources/loop-b.md: warning: link loop; not read [source.link-loop]",
        "sources/pipe.md: warning: not a regular file (a FIFO, socket or device); not read "
        "[source.special-file]",
        "sources/locked: warning: cannot list folder: Permission denied [source.unreadable]",
        "sources/again.md: info: the same file as sources/sub/ours.md; read once "
        "[source.same-file]",
    ]


def test_terminal_output_cannot_be_forged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    name = "evil\x1b[2J\nreal.md:1: error: forged"
    (tmp_path / name).write_text("| Code | Name |\n|---|---|\n| 600 | Bad |\n")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "."]) == 1
    out, err = capsys.readouterr()
    shown = "evil\\x1b[2J\\nreal.md:1: error: forged"
    assert out == (
        f"{shown}:3: error: '600' is not a valid HTTP status code (100-599); row skipped "
        "[row.invalid-code]\n"
    )
    assert err.splitlines()[0] == f"{shown}: 0 entries [evil-2j-real]"


def test_lines_are_the_lines_of_the_file(tmp_path: Path) -> None:
    text = (
        "Codes\n=====\n\n\f\n\u2028 \v \x85\n\n+------+------+\n| Code | Name |\n"
        "+======+======+\n| 200  | OK   |\n+------+------+\n| 404  | Gone |\n+------+------+\n"
    )
    (tmp_path / "a.rst").write_text(text, "utf-8")
    model = build_model([tmp_path / "a.rst"], base=tmp_path)
    assert [(c.code, c.entries[0].line) for c in model.codes] == [(200, 10), (404, 12)]
    assert model.sources[0].tables[0].line == 8


def test_two_builds_at_once_leave_one_whole_site(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "ours.md").write_text(SMALL_TABLE)
    root = copy_project(tmp_path / "project", sources=mine)
    command = [sys.executable, "-m", "statusdocs", "build", "--project", str(root)]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in "ab"]
    results = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0]
    waited = [err for _, err in results if b"waiting for another build" in err]
    assert len(waited) == 1
    site = html(root)
    assert (site.is_symlink(), site.is_dir()) == (False, True)
    assert (site / "index.html").is_file()
    assert "I'm a teapot" in page(site / "codes" / "418.html").main_text()
    assert [p.name for p in releases(root).iterdir()] == ["statusdocs.lock"]


# --- the output folder is the user's -------------------------------------------------------


def test_out_into_a_folder_of_the_users_is_refused(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deploy = tmp_path / "deploy"
    deploy.mkdir()
    (deploy / "CNAME").write_text("status.example.org\n")
    before = snapshot(tmp_path)
    status, out = build_output(built, capsys, "--out", str(deploy))
    assert status == 2
    assert out == (
        f"statusdocs: error: {deploy} is a folder with files that statusdocs did not make; "
        "choose an empty or new folder (statusdocs never deletes your files)\n"
    )
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("kind", ["link", "link-into-other-releases", "file"])
def test_out_onto_a_link_or_file_of_the_users_is_refused(
    kind: str, built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "target"
    if kind.startswith("link"):
        # Into a folder of the user's, or into the releases folder of another output.
        elsewhere = tmp_path / ("elsewhere" if kind == "link" else ".public.releases/3")
        elsewhere.mkdir(parents=True)
        (elsewhere / "index.html").write_text("mine")
        target.symlink_to(elsewhere)
        expected = f"{target} is a symbolic link that statusdocs did not make"
    else:
        target.write_text("mine")
        expected = f"{target} exists and is not a folder"
    before = snapshot(tmp_path)
    assert build_output(built, capsys, "--out", str(target)) == (
        2,
        f"statusdocs: error: {expected}\n",
    )
    assert snapshot(tmp_path) == before


def test_out_again_and_again_publishes_once_and_changes_nothing(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "public"
    out.mkdir()  # an empty folder is fine to take
    assert build_output(built, capsys, "--out", str(out))[0] == 0
    before = snapshot(tmp_path)
    assert main(["build", "--project", str(built), "--out", str(out)]) == 0
    headline = capsys.readouterr().out.split(" (")[0]
    assert headline == f"site unchanged at {out}/index.html"
    assert snapshot(tmp_path) == before
    assert [p.name for p in (tmp_path / ".public.releases").iterdir()] == ["statusdocs.lock"]
    assert (out.is_symlink(), (out / "codes" / "404.html").is_file()) == (False, True)


def test_the_output_is_a_folder_that_copies_as_files(built: Path, tmp_path: Path) -> None:
    site = html(built)
    assert (site.is_symlink(), site.is_dir()) == (False, True)
    assert [p.name for p in releases(built).iterdir()] == ["statusdocs.lock"]
    hidden = sorted(p.name for p in site.parent.iterdir() if p.name.startswith(".html"))
    assert hidden == [".html.releases"]
    pages = contents(site)
    assert {"index.html", "codes/404.html", ".statusdocs-release.json"} <= pages.keys()
    shutil.copytree(site, tmp_path / "copytree")
    subprocess.run(["cp", "-r", str(site), str(tmp_path / "cp")], check=True)
    for copy in (tmp_path / "copytree", tmp_path / "cp"):
        assert [p for p in copy.rglob("*") if p.is_symlink()] == []
        assert contents(copy) == pages
        assert (copy / "index.html").read_bytes() == (site / "index.html").read_bytes()
        assert "Not Found" in page(copy / "codes" / "404.html").main_text()


def test_an_old_style_link_of_ours_becomes_a_folder(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "public"
    assert build_output(built, capsys, "--out", str(out))[0] == 0
    pages = contents(out)
    # The layout before outputs were folders: a link to a numbered release, older
    # releases beside it, and a file of the user's that statusdocs did not name.
    kept = tmp_path / ".public.releases"
    out.rename(kept / "3")
    (kept / "2").mkdir()
    (kept / "replaced-by-2").mkdir()
    (kept / "notes.txt").write_text("mine")
    out.symlink_to(".public.releases/3")
    assert main(["build", "--project", str(built), "--out", str(out)]) == 0
    assert capsys.readouterr().out.split(" (")[0] == f"site written to {out}/index.html"
    assert (out.is_symlink(), out.is_dir()) == (False, True)
    assert contents(out) == pages
    assert sorted(p.name for p in kept.iterdir()) == ["notes.txt", "statusdocs.lock"]
    assert main(["build", "--project", str(built), "--out", str(out)]) == 0
    assert capsys.readouterr().out.split(" (")[0] == f"site unchanged at {out}/index.html"


def test_a_folder_the_user_fills_during_the_build_is_not_replaced(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    deploy = tmp_path / "deploy"
    deploy.mkdir()  # empty, so statusdocs may take it
    copy: Callable[..., object] = shutil.copy2

    def meanwhile(source: Path, target: Path) -> object:
        (deploy / "CNAME").write_text("status.example.org\n")  # the user, while it builds
        return copy(source, target)

    monkeypatch.setattr(shutil, "copy2", meanwhile)  # what publishing copies files with
    assert build_output(built, capsys, "--out", str(deploy)) == (
        2,
        f"statusdocs: error: {deploy} is a folder with files that statusdocs did not make; "
        "choose an empty or new folder (statusdocs never deletes your files)\n",
    )
    assert contents(deploy) == {"CNAME": b"status.example.org\n"}
    assert [p.name for p in (tmp_path / ".deploy.releases").iterdir()] == ["statusdocs.lock"]


def test_a_published_folder_with_the_users_files_added_is_not_replaced(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "project"
    shutil.copytree(built, project, symlinks=True)
    deploy = tmp_path / "deploy"
    assert build_output(project, capsys, "--out", str(deploy))[0] == 0
    (deploy / "CNAME").write_text("status.example.org\n")  # deployed from it, then added to
    before = contents(deploy)
    (project / "sources" / "index.md").write_text(SMALL_TABLE.replace("418", "425"), "utf-8")
    assert build_output(project, capsys, "--out", str(deploy)) == (
        2,
        f"statusdocs: error: {deploy} holds files statusdocs did not publish (CNAME); move "
        "them out or choose another folder (statusdocs never deletes your files)\n",
    )
    assert contents(deploy) == before


def test_a_no_op_build_writes_no_file(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(built)
    assert build_output(built, capsys)[0] == 0
    assert snapshot(built) == before


# --- environment failures ------------------------------------------------------------------


def test_a_build_folder_that_cannot_be_written_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_project(tmp_path / "project")
    (root / "site" / "_build").write_text("not a folder")
    status, out = build_output(root, capsys)
    assert status == 1
    assert out == (f"statusdocs: build failed: {root}/site/_build is not a folder\n")


def test_a_full_disk_keeps_the_old_site_whole(
    built: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    teapot = built / "sources" / "index.md"
    teapot.write_text(SMALL_TABLE.replace("teapot", "teapot, short and stout"), "utf-8")
    before = snapshot(html(built))
    pages = contents(html(built))
    folder = html(built).stat().st_ino
    copy: Callable[..., object] = shutil.copy2

    def full_disk(source: Path, target: Path) -> object:
        if target.name == "418.html":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))
        return copy(source, target)

    monkeypatch.setattr(shutil, "copy2", full_disk)  # what publishing copies files with
    try:
        status, out = build_output(built, capsys)
    finally:
        teapot.write_text(SMALL_TABLE, "utf-8")
    assert status == 1
    assert out.startswith("statusdocs: build failed: No space left on device (")
    assert out.endswith("/codes/418.html)\n")
    # The very folder that was published, byte for byte; the half-filled release is gone.
    assert (html(built).is_symlink(), html(built).stat().st_ino) == (False, folder)
    assert snapshot(html(built)) == before
    assert contents(html(built)) == pages
    assert [p.name for p in releases(built).iterdir()] == ["statusdocs.lock"]


# --- settings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pyproject", "message"),
    [
        ("tool = 5\n", "pyproject.toml:1: 'tool' must be a table"),
        ('[tool]\nstatusdocs = "x"\n', "pyproject.toml:2: [tool.statusdocs] must be a table"),
        (
            "[tool.statusdocs]\ntitle = 5\n",
            "pyproject.toml:2: [tool.statusdocs] title must be a string",
        ),
        (
            '[tool.statusdocs]\nsources = "a\\u0000b"\n',
            "pyproject.toml:2: [tool.statusdocs] sources must not be empty or hold control "
            "characters",
        ),
        (
            "x = " + "[" * 5000 + "]" * 5000 + "\n",
            "pyproject.toml: not valid TOML: nested too deeply",
        ),
    ],
)
def test_bad_settings_are_one_usage_error(
    pyproject: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_project(tmp_path / "project")
    (root / "pyproject.toml").write_text(pyproject)
    assert build_output(root, capsys) == (2, f"statusdocs: error: {root}/{message}\n")


# --- the manifest --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("manifest", "diagnostic"),
    [
        (
            "source = 5\n",
            ":1: error: 'source' must be a list of [[source]] tables [manifest.entry]",
        ),
        (
            "source = " + "[" * 5000 + "]" * 5000 + "\n",
            ": error: manifest is not valid TOML: nested too deeply [manifest.syntax]",
        ),
        (
            '[[source]]\nfile = "a\\u0000b.md"\n',
            ":2: error: [[source]] number 1: 'file' must be a file name without control "
            "characters [manifest.entry]",
        ),
        (
            '[[source]]\nfile = "api-guideline-status-codes.md"\nid = 5\n',
            ":3: error: [[source]] number 1 (api-guideline-status-codes.md): 'id' must be a "
            "string [manifest.entry]",
        ),
        (
            '[[source]]\nfile = "ours.md"\n\n[[source]]\nfile = "ours.md"\ntitle = "Ours"\n',
            ":4: warning: 'ours.md' has an earlier [[source]] entry; this one replaces it "
            "[manifest.duplicate-file]",
        ),
    ],
)
def test_a_bad_manifest_entry_is_diagnosed_and_the_rest_is_read(
    manifest: str,
    diagnostic: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = copy_project(tmp_path / "project")
    (root / "sources" / "manifest.toml").write_text(manifest)
    (root / "sources" / "ours.md").write_text(SMALL_TABLE)
    monkeypatch.chdir(root)
    status = main(["check"])
    out = capsys.readouterr()
    assert f"sources/manifest.toml{diagnostic}" in out.out.splitlines()
    assert status == (0 if ": warning:" in diagnostic else 1)
    assert "sources/api-guideline-status-codes.md: 23 entries" in out.err
    assert "sources/huaweicloud-iam-status-codes.rst: 41 entries" in out.err
    assert "sources/ours.md: 1 entry" in out.err


# --- user templates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("x\n{{ 1/0 }}\n", "index.rst.jinja:2: ZeroDivisionError: division by zero"),
        (
            "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}\n",
            "index.rst.jinja:1: recursion too deep (a template or macro that extends, includes "
            "or calls itself)",
        ),
        (
            '{% extends "index.rst.jinja" %}\n',
            "index.rst.jinja:1: recursion too deep (a template or macro that extends, includes "
            "or calls itself)",
        ),
        ('\n\n{{ "a b"|label }}\n', "index.rst.jinja:3: ValueError: not a safe label: 'a b'"),
        ("x\n{{ nothing }}\n", "index.rst.jinja:2: 'nothing' is undefined"),
    ],
)
def test_a_failing_user_template_is_one_line_and_keeps_the_site(
    template: str, message: str, built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = built / "my-templates"
    mine.mkdir(exist_ok=True)
    (mine / "index.rst.jinja").write_text(template)
    (built / "pyproject.toml").write_text('[tool.statusdocs]\ntemplates = "my-templates"\n')
    before = snapshot(html(built))
    try:
        result = build_output(built, capsys)
    finally:
        (built / "pyproject.toml").unlink()
    assert result == (1, f"statusdocs: build failed: template {mine}/{message}\n")
    assert snapshot(html(built)) == before
