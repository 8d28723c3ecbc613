"""A cache of parsed sources, so a rebuild re-reads only the files that changed.

An entry is keyed by the file's bytes, the path it is shown under, its
manifest entry and the generator's own code: editing a source, its manifest
entry or statusdocs itself misses the cache; nothing else does.  Entries are
pickles of plain model data in a folder the build owns (`site/_build/cache`);
entries not used by a run are removed at its end.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
from pathlib import Path
from typing import Any

from .. import __version__

_PACKAGE = Path(__file__).resolve().parent.parent


@functools.cache
def code_version() -> str:
    """A digest of statusdocs' version, code and data (the whole package, stylesheets and
    scripts too): any change to a reader, or to what a page is built with, invalidates."""
    digest = hashlib.sha256(__version__.encode())
    kinds = ("*.py", "*.csv", "*.json", "*.css", "*.js")
    for path in sorted(p for kind in kinds for p in _PACKAGE.rglob(kind)):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class ParseCache:
    """Parsed sources on disk, keyed by everything their parse depends on."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()

    def key(self, data: bytes, *context: object) -> str:
        """The key of a parse of `data` with the given context (shown path, manifest entry)."""
        digest = hashlib.sha256(code_version().encode())
        digest.update(data)
        digest.update(repr(context).encode())
        return digest.hexdigest()

    def get(self, key: str) -> Any | None:
        """The cached value, or None on a miss or an unreadable entry."""
        self.used.add(key)
        try:
            with (self.folder / key).open("rb") as stream:
                return pickle.load(stream)
        except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError):
            return None

    def put(self, key: str, value: Any) -> None:
        """Store a value (atomically: a half-written entry is never read)."""
        self.used.add(key)
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = self.folder / f"{key}.partial"
        with partial.open("wb") as stream:
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(self.folder / key)

    def prune(self) -> None:
        """Remove the entries this run did not use."""
        if self.folder.is_dir():
            for path in self.folder.iterdir():
                if path.name not in self.used:
                    path.unlink(missing_ok=True)
