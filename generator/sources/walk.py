"""Which files are sources: the manifest's entries, then every other file in the folder.

Sources come from many contributors, and a symbolic link travels in git, so
nothing outside the sources folder is read unless the manifest says
`allow_outside = true`: a link or a manifest path that resolves outside is an
error, not a read.  Every path that is passed over is named in a diagnostic
(hidden names, links to folders, dangling links, link loops, FIFOs and other
special files, folders that cannot be listed), so nothing is skipped in silence.
"""

from __future__ import annotations

import collections
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostics, Severity, StatusdocsError
from .manifest import MANIFEST_NAME, Manifest, SourceConfig, load_manifest

# Files in a sources folder that are never sources themselves.
_SKIPPED_NAMES = {"manifest.toml", "readme.md", "readme.rst", "readme.txt", "readme"}


@dataclass(slots=True)
class SourceFile:
    """A file to read, with its manifest entry when it has one."""

    path: Path
    """The file's resolved path."""
    config: SourceConfig | None = None


def collect_files(paths: Sequence[Path], diagnostics: Diagnostics, base: Path) -> list[SourceFile]:
    """The files to read, manifest entries first in manifest order, then the rest by name.

    A file named on its own is read wherever it is: the user chose it.
    """
    files: list[SourceFile] = []
    for path in paths:
        if path.is_dir():
            files.extend(_folder_files(path, diagnostics, base))
        elif path.is_file():
            files.append(_single_file(path, diagnostics, base))
        else:
            raise StatusdocsError(f"{path}: no such file or folder")
    return files


def display_path(path: Path, base: Path) -> str:
    """`path` relative to `base` when it lies below it, else absolute; always with `/`.

    The last component is not followed, so a link is shown as the link.
    """
    absolute = path.absolute()
    shown = absolute.parent.resolve() / absolute.name
    try:
        return shown.relative_to(base.resolve()).as_posix()
    except ValueError:
        return shown.as_posix() if os.sep == "/" else str(shown)


def _single_file(path: Path, diagnostics: Diagnostics, base: Path) -> SourceFile:
    """A file named on its own still gets the entry its folder's manifest has for it."""
    manifest_path = path.parent / MANIFEST_NAME
    report = diagnostics.for_path(display_path(manifest_path, base))
    manifest = load_manifest(path.parent, report) if manifest_path.is_file() else Manifest()
    return SourceFile(path.resolve(), manifest.sources.get(path.resolve()))


def _folder_files(folder: Path, diagnostics: Diagnostics, base: Path) -> list[SourceFile]:
    root = folder.resolve()
    report = diagnostics.for_path(display_path(folder / MANIFEST_NAME, base))
    manifest = load_manifest(folder, report)
    files = []
    for path, config in manifest.sources.items():
        if not (manifest.allow_outside or path.is_relative_to(root)):
            message = f"{config.file!r} is outside the sources folder, not read"
            report.error(None, "source.outside", message)
        elif path.is_file():
            files.append(SourceFile(path, config))
        else:
            report.error(None, "manifest.missing-file", f"no such file: {config.file}")
    walk = _Walk(root, manifest, diagnostics, base)
    seen = dict.fromkeys(manifest.sources, "its [[source]] entry")
    # By name, links after the files they lead to, so a file is shown under its own name.
    for place, path in sorted(walk.files(), key=lambda pair: (pair[0] != pair[1], pair)):
        if path in manifest.sources and place == path:
            continue  # read above, from its entry
        if path in seen:
            message = f"the same file as {seen[path]}; read once"
            diagnostics.report(display_path(place, base), None, "info", "source.same-file", message)
        else:
            seen[path] = display_path(place, base)
            files.append(SourceFile(path))
    return files


@dataclass(slots=True)
class _Walk:
    """The files below a sources folder, every path passed over reported."""

    root: Path
    manifest: Manifest
    diagnostics: Diagnostics
    base: Path

    def files(self) -> Iterator[tuple[Path, Path]]:
        """Each candidate source file: where it was found, and its resolved path."""
        pending = collections.deque([self.root])
        while pending:
            folder = pending.popleft()
            try:
                entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
            except OSError as exc:
                message = f"cannot list folder: {exc.strerror}"
                self._say(folder, "warning", "source.unreadable", message)
                continue
            for entry in entries:
                path = Path(entry.path)
                if entry.name.startswith((".", "_")):
                    self._say(path, "info", "source.hidden", "hidden name (. or _); not read")
                elif entry.name.lower() in _SKIPPED_NAMES:
                    continue  # a manifest or README, in any folder, is not a source
                elif entry.is_symlink():
                    yield from self._link(path)
                elif entry.is_dir(follow_symlinks=False):
                    pending.append(path)
                elif entry.is_file(follow_symlinks=False):
                    yield path, path
                else:
                    self._special(path)

    def _link(self, link: Path) -> Iterator[tuple[Path, Path]]:
        try:
            target = link.resolve(strict=True)
        except FileNotFoundError:
            self._say(link, "warning", "source.dangling-link", "link to nothing; not read")
            return
        except (OSError, RuntimeError):  # RuntimeError: a link loop, before Python 3.13
            self._say(link, "warning", "source.link-loop", "link loop; not read")
            return
        if not (self.manifest.allow_outside or target.is_relative_to(self.root)):
            self._say(link, "error", "source.outside", "outside the sources folder, not read")
        elif target.is_dir():
            self._say(link, "info", "source.folder-link", "link to a folder; not followed")
        elif target.is_file():
            yield link, target
        else:
            self._special(link)

    def _special(self, path: Path) -> None:
        message = "not a regular file (a FIFO, socket or device); not read"
        self._say(path, "warning", "source.special-file", message)

    def _say(self, path: Path, severity: Severity, type: str, message: str) -> None:
        self.diagnostics.report(display_path(path, self.base), None, severity, type, message)
