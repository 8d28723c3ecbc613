"""`statusdocs init`: a new project, written from the package's `skeleton/` folder.

The skeleton holds the files as they are written.  Dotfiles are kept under names
without the dot (`gitignore`, `readthedocs.yaml`), which wheels and git handle
plainly, and get the dot back when written.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

from .diagnostics import StatusdocsError

DOTFILES = frozenset({"gitignore", "readthedocs.yaml"})
"""Skeleton files at the top that are written with a leading dot."""
_SKIPPED = frozenset({"__pycache__"})


def skeleton() -> dict[PurePosixPath, bytes]:
    """Every file `init` writes: its path in the project and its bytes."""
    found: dict[PurePosixPath, bytes] = {}
    _collect(files("statusdocs") / "skeleton", PurePosixPath(), found)
    return dict(sorted(found.items(), key=lambda item: str(item[0])))


def _collect(folder: Traversable, prefix: PurePosixPath, found: dict[PurePosixPath, bytes]) -> None:
    for item in folder.iterdir():
        if item.name in _SKIPPED:
            continue
        if item.is_dir():
            _collect(item, prefix / item.name, found)
        else:
            top = not prefix.parts and item.name in DOTFILES
            found[prefix / (f".{item.name}" if top else item.name)] = item.read_bytes()


def init_project(folder: Path) -> list[Path]:
    """Write the skeleton into `folder` (made if missing); the files written, sorted.

    Every target is checked first: if any exists, nothing is written and the
    `StatusdocsError` names them, relative to `folder`.
    """
    content = skeleton()
    # A file in the way of a folder the skeleton needs (`site` a file) counts too.
    folders = {parent for name in content for parent in name.parents[:-1]}
    existing = sorted(
        [str(name) for name in content if _exists(folder / name)]
        + [str(name) for name in folders if _exists(folder / name) and not (folder / name).is_dir()]
    )
    if existing:
        names = ", ".join(existing)
        raise StatusdocsError(f"{folder.absolute()}: would overwrite {names}; nothing was written")
    written: list[Path] = []
    try:
        for name, data in content.items():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("xb") as stream:
                stream.write(data)
            written.append(target)
    except OSError as exc:
        raise StatusdocsError(f"cannot write {exc.filename or folder}: {exc.strerror}") from exc
    return written


def _exists(target: Path) -> bool:
    """Whether something, even a dangling link, is at `target`."""
    return target.is_symlink() or target.exists()
