"""Atomic publishing: readers of the output folder see the old site or the new one, whole.

Sphinx builds into a staging folder that it updates in place.  Publishing
fills a new release folder in the hidden releases folder beside the output
(files that did not change since the last release are hard links to the
published ones, so this costs little), then switches with two renames of whole folders: the old
output folder aside, the new release into its place; then the old one is
deleted.  A reader may for an instant find no folder, never a half-written
one, and the output stays a plain folder that `cp -r` and `rsync` copy as
files.  A build that fails, or is interrupted while the release is filled,
never switches, so the previous site stays in place.

The output path belongs to the user until statusdocs has published there:
`check_output` refuses a path that holds anything statusdocs did not make,
and the switch checks again.  Nothing is removed but the old output it
replaced and the entries of its releases folder named as statusdocs names them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

from ..diagnostics import StatusdocsError

_STATE = ".statusdocs-release.json"
_NEXT = "next"
"""The release being filled, in the releases folder."""
_PREVIOUS = "previous"
"""The old output, set aside by the switch until it is deleted."""
_OURS = re.compile(rf"{_NEXT}|{_PREVIOUS}|\d+|replaced-by-\d+")
"""Every name statusdocs gives an entry of its releases folder (digits: the old link layout)."""


class OutputRefused(StatusdocsError):
    """The output path holds something statusdocs did not make; nothing was changed."""


def output_path(out: Path) -> Path:
    """`out` made absolute without following its last component, which may be a link."""
    absolute = out.absolute()
    if absolute.name in ("", ".", ".."):
        return absolute.resolve()
    return absolute.parent.resolve() / absolute.name


def check_output(out: Path, owned: Path) -> None:
    """Refuse an output path that statusdocs may not replace.

    It may replace a missing path, a folder holding the state file publishing
    writes, an empty folder, a plain folder inside `owned` (the project's
    build folder, from before releases existed) and a link into its releases
    folder (the layout before outputs were folders); anything else is the user's.
    """
    refusal = _refusal(out, owned)
    if refusal is not None:
        raise OutputRefused(refusal)


def releases_dir(out: Path) -> Path:
    """The hidden folder beside `out` where its next release is filled and the old one set aside."""
    return out.parent / f".{out.name}.releases"


def publish(staging: Path, out: Path) -> bool:
    """Make `out` a folder holding what `staging` holds; False when it already does.

    When it returns False nothing was written (only what a killed build left
    in the releases folder is cleared).  `staging` lies in the project's
    build folder, the `owned` of `check_output`: the switch checks `out`
    again, as it may have changed while Sphinx ran.  Callers hold the build
    lock in `releases_dir(out)`, so one publish at a time uses its names.
    """
    files = _listing(staging)
    releases = releases_dir(out)
    current = _published(out)
    previous = _state(current) if current else None
    _remove_ours(releases, keep=current)  # what a killed build left
    if previous == files and not out.is_symlink():  # an old-style link is still replaced
        return False
    releases.mkdir(parents=True, exist_ok=True)
    release = releases / _NEXT
    release.mkdir()
    try:
        for name, stamp in files.items():
            unchanged = (
                current / name if current and previous and previous.get(name) == stamp else None
            )
            _place(staging / name, release / name, unchanged)
        (release / _STATE).write_text(json.dumps(files), "utf-8")
        _switch(out, release, staging.parent)
    except BaseException:
        # A full disk or an interruption leaves no half-made release behind.
        shutil.rmtree(release, ignore_errors=True)
        raise
    _remove_ours(releases, keep=None)
    return True


def _published(out: Path) -> Path | None:
    """The folder readers of `out` see: `out`, or where an old-style link points; None if none."""
    if out.is_symlink():
        return Path(os.path.realpath(out))
    return out if out.is_dir() else None


def _refusal(out: Path, owned: Path) -> str | None:
    """Why statusdocs may not replace `out`; None when it may."""
    if out.is_symlink():
        target = Path(os.path.realpath(out))
        if releases_dir(out).resolve() not in target.parents:
            return f"{out} is a symbolic link that statusdocs did not make"
    elif out.is_dir():
        if owned.resolve() in out.resolve().parents or not any(out.iterdir()):
            return None
        published = _state(out)
        if published is None:
            return (
                f"{out} is a folder with files that statusdocs did not make; "
                "choose an empty or new folder (statusdocs never deletes your files)"
            )
        # A folder statusdocs published, into which someone put more (a copy of a site,
        # deployed with a CNAME): those files are not statusdocs' to delete.
        added = sorted(set(_listing(out)) - set(published) - {_STATE})
        if added:
            shown = ", ".join(added[:3]) + (", ..." if len(added) > 3 else "")
            return (
                f"{out} holds files statusdocs did not publish ({shown}); move them out or "
                "choose another folder (statusdocs never deletes your files)"
            )
    elif out.exists():
        return f"{out} exists and is not a folder"
    return None


def _listing(folder: Path) -> dict[str, list[int]]:
    """Every file under `folder` with its size and modification time."""
    listing = {}
    for path in folder.rglob("*"):
        if path.is_file():
            info = path.stat()
            listing[path.relative_to(folder).as_posix()] = [info.st_size, info.st_mtime_ns]
    return listing


def _state(release: Path) -> dict[str, list[int]] | None:
    """The listing publishing recorded in `release`; None when it holds none."""
    try:
        data = json.loads((release / _STATE).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _place(source: Path, target: Path, unchanged: Path | None) -> None:
    """Link an unchanged file from the previous release; copy a changed one from staging."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if unchanged is not None and unchanged.is_file():
        os.link(unchanged, target)
    else:
        shutil.copy2(source, target)


def _switch(out: Path, release: Path, owned: Path) -> None:
    """Put the old output aside and `release` in its place: two renames of whole folders.

    Raises `OutputRefused`, changing nothing, when `out` is no longer ours to
    replace; an interruption between the renames puts the old output back.
    """
    refusal = _refusal(out, owned)
    if refusal is not None:
        raise OutputRefused(refusal)
    aside = release.parent / _PREVIOUS
    try:
        if os.path.lexists(out):
            out.rename(aside)
        release.rename(out)
    except BaseException:
        if os.path.lexists(aside) and not os.path.lexists(out):
            aside.rename(out)
        raise


def _remove_ours(folder: Path, keep: Path | None) -> None:
    """Delete the entries of the releases `folder` that statusdocs named, except `keep`.

    Only entries named as statusdocs names them are touched; a link is
    removed itself, never what it points to.
    """
    if not folder.is_dir():
        return
    kept = keep.resolve() if keep else None
    for entry in folder.iterdir():
        if not _OURS.fullmatch(entry.name) or entry.resolve() == kept:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
