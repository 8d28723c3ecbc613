"""The source manifest (`sources/manifest.toml`): per-source metadata and overrides.

Each `[[source]]` table names a file and may give its id, title, publisher,
original URL, format and which column holds what.  Every key is declared
once in `SourceConfig` (with `settings.setting`: its default, check and help)
and validated from there.
A file with no entry still works: its id comes from the file name and its
format from the extension and content.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..columns import PLACEABLE
from ..diagnostics import Reporter
from ..model import FORMATS, SOURCE_ROLES, Format, Role
from .settings import declared, one_of, path, setting, text

MANIFEST_NAME = "manifest.toml"
_SLUG = re.compile(r"[^a-z0-9]+")
_SAFE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ENTRY_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*source[ \t]*\]\]", re.MULTILINE)
_UNSAFE_FILE = re.compile(r"[\x00-\x1f\x7f]")


def _columns(value: Any) -> str | None:
    ok = isinstance(value, dict) and all(
        k in PLACEABLE and type(v) is int and v >= 1 for k, v in value.items()
    )
    return None if ok else f"must map {PLACEABLE} to column numbers from 1"


def _tables(value: Any) -> str | None:
    ok = isinstance(value, list) and all(_table_ok(item) for item in value)
    return (
        None
        if ok
        else (
            'must be a list of { index = N, caption = "..." or line = N, columns = {...} }, '
            "each with one way to choose its table and its columns"
        )
    )


def _table_ok(item: Any) -> bool:
    if not isinstance(item, dict) or _columns(item.get("columns")):
        return False
    chosen = {key: item[key] for key in ("index", "caption", "line") if key in item}
    types = {"index": int, "line": int, "caption": str}
    return (
        len(chosen) == 1
        and set(item) == {"columns", *chosen}
        and all(type(value) is types[key] for key, value in chosen.items())
    )


@dataclass(frozen=True, slots=True)
class SourceConfig:
    """What the manifest says about one source file: the keys of a `[[source]]` entry."""

    file: str = setting(
        help="path of the file, relative to the manifest", check=path, places=("manifest",)
    )
    id: str | None = setting(
        None, help="stable id used in page URLs", check=text, places=("manifest",)
    )
    title: str | None = setting(
        None, help="human title of the source", check=text, places=("manifest",)
    )
    publisher: str | None = setting(
        None, help="who publishes the document", check=text, places=("manifest",)
    )
    product: str | None = setting(
        None, help="the product or API it covers", check=text, places=("manifest",)
    )
    url: str | None = setting(
        None, help="where the original document lives", check=text, places=("manifest",)
    )
    format: Format | None = setting(
        None,
        help="the reader to use: " + ", ".join(FORMATS) + " (default: from the extension "
        "and content)",
        check=one_of(FORMATS),
        places=("manifest",),
    )
    role: Role = setting(
        "service",
        help="what the source is to the others: "
        + "; ".join(f"`{name}`, {meaning}" for name, meaning in SOURCE_ROLES.items()),
        check=one_of(tuple(SOURCE_ROLES)),
        places=("manifest",),
    )
    of: str | None = setting(
        None,
        help='for `role = "mirror"`: the id of the source it is a copy of',
        check=text,
        places=("manifest",),
    )
    columns: dict[str, int] = setting(
        help="column number, from 1, of each of " + ", ".join(PLACEABLE) + " (default: detected)",
        check=_columns,
        types=(dict,),
        places=("manifest",),
        factory=dict,
    )
    tables: list[TableOverride] = setting(
        help="columns for one table, chosen by its `index`, `caption` or `line`",
        check=_tables,
        types=(list,),
        places=("manifest",),
        factory=list,
    )

    @property
    def metadata(self) -> dict[str, str]:
        """The descriptive fields that are set, for display."""
        return {
            key: value
            for key in ("publisher", "product", "url")
            if (value := getattr(self, key)) is not None
        }


@dataclass(frozen=True, slots=True)
class TableOverride:
    """The manifest's columns for one table of a source: `{ index = 2, columns = {...} }`."""

    columns: dict[str, int]
    """0-based column number per role."""
    index: int | None = None
    """The table's 1-based place among the document's tables."""
    caption: str | None = None
    line: int | None = None

    def matches(self, index: int, caption: str | None, line: int) -> bool:
        """Whether this override is for the table at `index` (1-based), `caption` and `line`."""
        return (
            (self.index is None or self.index == index)
            and (self.caption is None or self.caption == caption)
            and (self.line is None or self.line == line)
        )


@dataclass(slots=True)
class Manifest:
    """All manifest entries, keyed by resolved file path."""

    path: Path | None = None
    sources: dict[Path, SourceConfig] = field(default_factory=dict)
    allow_outside: bool = False
    """Whether sources may be links or paths to files outside the sources folder."""


def slug(text: str) -> str:
    """An id for URLs from a file name or title: lower case, words joined by hyphens."""
    return _SLUG.sub("-", text.lower()).strip("-") or "source"


def is_safe_id(text: str) -> bool:
    """Whether `text` is usable as it is in page names, labels and URLs."""
    return _SAFE_ID.fullmatch(text) is not None


def load_manifest(folder: Path, report: Reporter) -> Manifest:
    """The manifest in `folder`, or an empty one; problems are reported, never raised."""
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return Manifest()
    manifest = Manifest(path)
    text, data = _read_toml(path, report)
    manifest.allow_outside = _top_level_settings(text, data, report)
    entries = data.get("source", [])
    if not isinstance(entries, list):
        where = _key_line(text, "source", 0)
        report.error(where, "manifest.entry", "'source' must be a list of [[source]] tables")
        return manifest
    lines = [text.count("\n", 0, m.start()) + 1 for m in _ENTRY_HEADER.finditer(text)]
    for number, entry in enumerate(entries, 1):
        line = lines[number - 1] if number <= len(lines) else None
        config = _source_config(entry, number, _EntryReport(report, text, line))
        if config is None:
            continue
        file = (folder / config.file).resolve()
        if file in manifest.sources:
            report.warning(
                line,
                "manifest.duplicate-file",
                f"{config.file!r} has an earlier [[source]] entry; this one replaces it",
            )
        manifest.sources[file] = config
    return manifest


def _top_level_settings(text: str, data: dict[str, Any], report: Reporter) -> bool:
    """The manifest's `allow_outside` (False unless it is `true`); unknown keys reported."""
    for key, value in data.items():
        if key == "allow_outside" and not isinstance(value, bool):
            message = "'allow_outside' must be true or false"
            report.error(_key_line(text, key, 0), "manifest.entry", message)
        elif key not in ("source", "allow_outside"):
            message = f"unknown top-level key {key!r} (known: source, allow_outside)"
            report.error(_key_line(text, key, 0), "manifest.entry", message)
    return data.get("allow_outside") is True


def _read_toml(path: Path, report: Reporter) -> tuple[str, dict[str, Any]]:
    """The manifest's text and data; empty (with an error reported) when it cannot be read."""
    try:
        text = path.read_text("utf-8")
        return text, tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        report.error(_toml_line(exc), "manifest.syntax", f"manifest is not valid TOML: {exc}")
    except RecursionError:
        report.error(None, "manifest.syntax", "manifest is not valid TOML: nested too deeply")
    except OSError as exc:
        report.error(None, "manifest.unreadable", f"cannot read the manifest: {exc.strerror}")
    return "", {}


def _toml_line(exc: Exception) -> int | None:
    match = re.search(r"line (\d+)", str(exc))
    return int(match[1]) if match else None


def _key_line(text: str, key: str, after: int) -> int:
    """The 1-based line where `key = ...` is first written below line `after` (else `after`)."""
    pattern = re.compile(rf"^[ \t]*{re.escape(key)}[ \t]*=", re.MULTILINE)
    offset = sum(len(line) + 1 for line in text.split("\n")[:after])
    match = pattern.search(text, offset)
    return text.count("\n", 0, match.start()) + 1 if match else max(after, 1)


@dataclass(frozen=True, slots=True)
class _EntryReport:
    """Reports problems of one [[source]] entry at the line of the key they concern."""

    report: Reporter
    text: str
    line: int | None
    """The line of the entry's `[[source]]` header, when it has one."""

    def error(self, key: str | None, message: str) -> None:
        self.report.error(self._line(key), "manifest.entry", message)

    def warning(self, key: str, type: str, message: str) -> None:
        self.report.warning(self._line(key), type, message)

    def _line(self, key: str | None) -> int | None:
        if key is None or self.line is None:
            return self.line
        return _key_line(self.text, key, self.line)


def _source_config(entry: Any, number: int, report: _EntryReport) -> SourceConfig | None:
    where = f"[[source]] number {number}"
    file = entry.get("file") if isinstance(entry, dict) else None
    if not isinstance(file, str):
        report.error(None, f"{where} needs a 'file' string")
        return None
    if not file.strip() or _UNSAFE_FILE.search(file):
        report.error("file", f"{where}: 'file' must be a file name without control characters")
        return None
    known = {item.name: item for item in declared(SourceConfig)}
    values: dict[str, Any] = {}
    for key, value in entry.items():
        if key not in known:
            message = f"unknown key {key!r} (known: {', '.join(known)})"
            report.error(key, f"{where} ({file}): {message}")
        elif problem := known[key].check(value):
            report.error(key, f"{where} ({file}): {key!r} {problem}")
        else:
            values[key] = _convert(key, value)
    if "id" in values and not is_safe_id(values["id"]):
        safe = slug(values["id"])
        report.warning(
            "id",
            "manifest.id",
            f"{where} ({file}): id {values['id']!r} is not lower-case letters, digits and "
            f"single hyphens; using {safe!r}",
        )
        values["id"] = safe
    role = values.get("role", "service")
    if role == "mirror" and "of" not in values:
        report.error(
            "role", f"{where} ({file}): a mirror needs 'of', the id of the source it copies"
        )
        values.pop("role")
    elif role != "mirror" and "of" in values:
        report.error("of", f"{where} ({file}): 'of' is only for role = \"mirror\"")
        values.pop("of")
    return SourceConfig(**values)


def _convert(key: str, value: Any) -> Any:
    if key == "columns":
        return {role: number - 1 for role, number in value.items()}
    if key == "tables":
        return [
            TableOverride(
                {role: number - 1 for role, number in item["columns"].items()},
                index=item.get("index"),
                caption=item.get("caption"),
                line=item.get("line"),
            )
            for item in value
        ]
    return value
