"""The source manifest (`sources/manifest.toml`): per-source metadata and overrides.

Each `[[source]]` table names a file and may give its id, title, publisher,
original URL, format and which column holds what.  Every field is declared
once in `SourceConfig`, with its type and help text, and validated from there.
A file with no entry still works: its id comes from the file name and its
format from the extension and content.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, get_args

from generator.diagnostics import Reporter
from generator.model import FORMATS, Format

MANIFEST_NAME = "manifest.toml"
COLUMN_ROLES = ("code", "name", "description", "action")
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class SourceConfig:
    """What the manifest says about one source file."""

    file: str = field(metadata={"help": "path of the file, relative to the manifest"})
    id: str | None = field(default=None, metadata={"help": "stable id used in page URLs"})
    title: str | None = field(default=None, metadata={"help": "human title of the source"})
    publisher: str | None = field(default=None, metadata={"help": "who publishes the document"})
    product: str | None = field(default=None, metadata={"help": "the product or API it covers"})
    url: str | None = field(default=None, metadata={"help": "where the original document lives"})
    format: Format | None = field(
        default=None, metadata={"help": "reader to use: " + "|".join(FORMATS)}
    )
    columns: dict[str, int] = field(
        default_factory=dict,
        metadata={"help": "1-based column number per role (code, name, description, action)"},
    )

    @property
    def metadata(self) -> dict[str, str]:
        """The descriptive fields that are set, for display."""
        return {
            key: value
            for key in ("publisher", "product", "url")
            if (value := getattr(self, key)) is not None
        }


@dataclass(slots=True)
class Manifest:
    """All manifest entries, keyed by resolved file path."""

    path: Path | None = None
    sources: dict[Path, SourceConfig] = field(default_factory=dict)


def slug(text: str) -> str:
    """An id for URLs from a file name or title: lower case, words joined by hyphens."""
    return _SLUG.sub("-", text.lower()).strip("-") or "source"


def load_manifest(folder: Path, report: Reporter) -> Manifest:
    """The manifest in `folder`, or an empty one; problems are reported, never raised."""
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return Manifest()
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        report.error(_toml_line(exc), "manifest.syntax", f"manifest is not valid TOML: {exc}")
        return Manifest(path)
    manifest = Manifest(path)
    for number, entry in enumerate(data.get("source", []), 1):
        config = _source_config(entry, number, report)
        if config is not None:
            manifest.sources[(folder / config.file).resolve()] = config
    return manifest


def _toml_line(exc: Exception) -> int | None:
    match = re.search(r"line (\d+)", str(exc))
    return int(match[1]) if match else None


def _source_config(entry: Any, number: int, report: Reporter) -> SourceConfig | None:
    where = f"[[source]] number {number}"
    if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
        report.error(None, "manifest.entry", f"{where} needs a 'file' string")
        return None
    known = {f.name: f for f in fields(SourceConfig)}
    values: dict[str, Any] = {}
    for key, value in entry.items():
        problem = _check_field(key, value, known)
        if problem:
            report.error(None, "manifest.entry", f"{where} ({entry['file']}): {problem}")
        else:
            values[key] = _convert(key, value)
    return SourceConfig(**values)


def _check_field(key: str, value: Any, known: dict[str, Any]) -> str | None:
    if key not in known:
        return f"unknown key {key!r} (known: {', '.join(known)})"
    if key == "format":
        return None if value in get_args(Format) else f"format must be one of {FORMATS}"
    if key == "columns":
        ok = isinstance(value, dict) and all(
            k in COLUMN_ROLES and isinstance(v, int) and v >= 1 for k, v in value.items()
        )
        return None if ok else f"columns maps {COLUMN_ROLES} to column numbers from 1"
    return None if isinstance(value, str) else f"{key!r} must be a string"


def _convert(key: str, value: Any) -> Any:
    if key == "columns":
        return {role: number - 1 for role, number in value.items()}
    return value
