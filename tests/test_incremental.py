"""Rebuilds follow what changed: nothing for a no-op, the dependent pages for an edit,
no stale page after a removal, and a failed build leaves the published site whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitecheck import broken_links, built_project, page

from statusdocs.site.build import BuildFailed, build
from statusdocs.sources.settings import find_project

IAM = "huaweicloud-iam-status-codes"

pytestmark = pytest.mark.slow


@pytest.fixture
def root(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project, built (once a session) and copied for this test."""
    return built_project(tmp_path_factory.getbasetemp() / "built-once", tmp_path / "project")


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder` with size and mtime."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_noop_rebuild_writes_nothing(root: Path) -> None:
    project = find_project(root)
    before = snapshot(root / "site")
    result = build(project)
    assert (result.written, result.removed, result.published) == ([], [], False)
    assert snapshot(root / "site") == before


def test_one_edited_source_rewrites_only_its_pages(root: Path) -> None:
    source = root / "sources" / f"{IAM}.rst"
    text = source.read_text("utf-8")
    old = "The requested resource cannot be found."
    new = "The resource is not here right now!!!!!"
    assert len(old) == len(new) and old in text
    source.write_text(text.replace(old, new), "utf-8")
    result = build(find_project(root))
    assert result.written == [
        "codes/404.rst",
        f"sources/{IAM}.rst",
    ]
    assert result.removed == [] and result.warnings == []
    assert new in page(result.out / "codes" / "404.html").main_text()
    assert new in page(result.out / "sources" / f"{IAM}.html").main_text()


def test_a_renamed_source_is_renamed_on_every_page_that_shows_it(root: Path) -> None:
    # Code pages are reused when their own entries did not change: a source's title, which
    # they show, is part of what every page is made from.
    manifest = root / "sources" / "manifest.toml"
    text = manifest.read_text("utf-8")
    manifest.write_text(text.replace("Huawei Cloud IAM: Status Codes", "IAM Codes, renamed"))
    result = build(find_project(root))
    assert result.warnings == []
    assert "codes/404.rst" in result.written and "codes/503.rst" in result.written
    assert "IAM Codes, renamed, line" in page(result.out / "codes" / "404.html").main_text()
    assert (
        "Huawei Cloud IAM: Status Codes" not in page(result.out / "codes" / "404.html").main_text()
    )


def test_removed_source_leaves_no_stale_page(root: Path) -> None:
    (root / "sources" / f"{IAM}.rst").unlink()
    result = build(find_project(root))
    out = result.out
    assert result.warnings == []
    assert f"sources/{IAM}.rst" in result.removed
    assert "codes/100.rst" in result.removed  # only IAM documents 100
    assert not (out / "codes" / "100.json").exists()
    assert not (out / "sources" / f"{IAM}.html").exists()
    assert not (out / "codes" / "100.html").exists()
    assert "Huawei Cloud IAM" not in page(out / "codes" / "404.html").main_text()
    assert broken_links(out) == []


def test_template_change_regenerates_what_it_affects(root: Path) -> None:
    template = root / "templates" / "headers.rst.jinja"
    template.write_text(
        template.read_text("utf-8").replace("Headers the sources", "Headers our sources")
    )
    result = build(find_project(root))
    assert result.written == ["headers.rst"]
    assert "Headers our sources mention" in page(result.out / "headers.html").main_text()


def test_failed_build_keeps_the_previous_site(root: Path) -> None:
    project = find_project(root)
    out = project.out
    published = out.stat().st_ino
    before = snapshot(out)
    (root / "templates" / "code.rst.jinja").write_text("{% if %}broken", "utf-8")
    (root / "sources" / f"{IAM}.rst").write_text("changed, would remove IAM pages", "utf-8")
    with pytest.raises(BuildFailed, match=r"code\.rst\.jinja:1: Expected an expression"):
        build(project)
    assert (out.is_symlink(), out.stat().st_ino) == (False, published)  # the same folder
    assert snapshot(out) == before


def test_broken_sphinx_configuration_keeps_the_previous_site(root: Path) -> None:
    project = find_project(root)
    before = snapshot(project.out)
    (root / "site" / "conf.py").write_text("extensions = ['no_such_extension_anywhere']\n")
    with pytest.raises(BuildFailed, match="Sphinx failed"):
        build(project)
    assert snapshot(project.out) == before
