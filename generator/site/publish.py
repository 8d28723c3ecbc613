"""Atomic publishing: readers of the output folder see the old site or the new one, whole.

Sphinx builds into a staging folder that it updates in place.  Publishing
makes a new release folder beside the output (files that did not change since
the last release are hard links to it, so this costs little), then points
the output path, a symbolic link, at the new release with one atomic rename.
A build that fails never publishes, so the previous site stays in place.

The output path belongs to the user until statusdocs has published there:
`check_output` refuses a path that holds anything statusdocs did not make,
and nothing outside the releases statusdocs made is ever removed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

from ..diagnostics import StatusdocsError

_STATE = ".statusdocs-release.json"
_RELEASE_NAME = re.compile(r"\d+|replaced-by-\d+")


class OutputRefused(StatusdocsError):
    """The output path holds something statusdocs did not make; nothing was changed."""


def output_path(out: Path) -> Path:
    """`out` made absolute without following its last component, which may be our link."""
    absolute = out.absolute()
    if absolute.name in ("", ".", ".."):
        return absolute.resolve()
    return absolute.parent.resolve() / absolute.name


def check_output(out: Path, owned: Path) -> None:
    """Refuse an output path that statusdocs may not replace.

    It may replace a link to one of its own releases, an empty folder, and a
    plain folder inside `owned` (the project's build folder, from before
    releases existed); anything else is the user's.
    """
    if out.is_symlink():
        target = Path(os.path.realpath(out))
        if releases_dir(out).resolve() not in target.parents:
            raise OutputRefused(f"{out} is a symbolic link that statusdocs did not make")
    elif out.is_dir():
        if any(out.iterdir()) and owned.resolve() not in out.resolve().parents:
            raise OutputRefused(
                f"{out} is a folder with files that statusdocs did not make; "
                "choose an empty or new folder (statusdocs never deletes your files)"
            )
    elif out.exists():
        raise OutputRefused(f"{out} exists and is not a folder")


def releases_dir(out: Path) -> Path:
    """Where the releases of `out` are kept: a hidden folder beside it."""
    return out.parent / f".{out.name}.releases"


def publish(staging: Path, out: Path) -> bool:
    """Make `out` show what `staging` holds; False when it already does (nothing written)."""
    files = _listing(staging)
    current = out.resolve() if out.is_symlink() else None
    previous = _state(current) if current else {}
    if current and previous == files:
        return False
    release = _new_release(releases_dir(out))
    try:
        for name, stamp in files.items():
            unchanged = current / name if current and previous.get(name) == stamp else None
            _place(staging / name, release / name, unchanged)
        (release / _STATE).write_text(json.dumps(files), "utf-8")
        _switch(out, release)
    except BaseException:
        # A full disk or an interruption leaves no half-made release behind.
        shutil.rmtree(release, ignore_errors=True)
        raise
    _remove_old(releases_dir(out), keep={release, current})
    return True


def _listing(folder: Path) -> dict[str, list[int]]:
    """Every file under `folder` with its size and modification time."""
    listing = {}
    for path in folder.rglob("*"):
        if path.is_file():
            info = path.stat()
            listing[path.relative_to(folder).as_posix()] = [info.st_size, info.st_mtime_ns]
    return listing


def _state(release: Path) -> dict[str, list[int]]:
    try:
        data = json.loads((release / _STATE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _new_release(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    number = 1 + max((int(p.name) for p in folder.iterdir() if p.name.isdigit()), default=0)
    release = folder / str(number)
    release.mkdir()
    return release


def _place(source: Path, target: Path, unchanged: Path | None) -> None:
    """Link an unchanged file from the previous release; copy a changed one from staging."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if unchanged is not None and unchanged.is_file():
        os.link(unchanged, target)
    else:
        shutil.copy2(source, target)


def _switch(out: Path, release: Path) -> None:
    """Point `out` at `release` with an atomic rename of a symbolic link."""
    if out.is_dir() and not out.is_symlink():
        # An empty folder, or a plain one from before releases existed: move it aside once.
        out.rename(releases_dir(out) / f"replaced-by-{release.name}")
    link = out.parent / f".{out.name}.link"
    link.unlink(missing_ok=True)
    link.symlink_to(os.path.relpath(release, out.parent))
    link.replace(out)


def _remove_old(folder: Path, keep: set[Path | None]) -> None:
    """Delete releases other than the new one and the one readers may still be on.

    Only entries named as statusdocs names its releases are touched.
    """
    kept = {k.resolve() for k in keep if k}
    for release in folder.iterdir():
        if _RELEASE_NAME.fullmatch(release.name) and release.resolve() not in kept:
            shutil.rmtree(release, ignore_errors=True)
