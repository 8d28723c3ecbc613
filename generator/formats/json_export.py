"""Serialising the model for other tools: the versioned JSON export.

The JSON shape is a contract (documented in README.md): fields are only ever
added, and `version` changes when one changes meaning.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from ..diagnostics import Diagnostic
from ..model import Entry, Model, Source, StatusCode

JSON_VERSION = 3
SCHEMA_FILE = "data/statusdocs.schema.json"


def to_json_data(model: Model) -> dict[str, Any]:
    """The model as JSON-ready data."""
    return {
        "version": JSON_VERSION,
        "sources": [_source(source) for source in model.sources],
        "codes": [_code(code, _sources(model)) for code in model.codes],
        "diagnostics": [_diagnostic(item) for item in model.diagnostics],
    }


def to_json(model: Model) -> str:
    """The model as indented JSON text, ending in a newline."""
    return json.dumps(to_json_data(model), ensure_ascii=False, indent=2) + "\n"


def schema_text() -> str:
    """The JSON Schema of the export, as shipped in the package."""
    return resources.files("statusdocs").joinpath(SCHEMA_FILE).read_text("utf-8")


def published_files(model: Model) -> dict[str, str]:
    """The model as the site publishes it: `statusdocs.json` and `codes/<code>.json`.

    These are for programs, so they are written compact (no indentation): smaller to
    download, and made by json's C encoder, several times faster than an indented dump
    of a large model.
    """
    data = to_json_data(model)
    files = {"statusdocs.json": _compact(data), "statusdocs.schema.json": schema_text()}
    for code in data["codes"]:
        files[f"codes/{code['code']}.json"] = _compact({"version": JSON_VERSION, **code})
    return files


def _compact(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def _source(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "title": source.title,
        "path": source.path,
        "format": source.format,
        "metadata": source.metadata,
        "role": source.role,
        "of": source.mirror_of,
        "tables": [
            {
                "line": table.line,
                "header": table.header,
                "context": table.context,
                "caption": table.caption,
            }
            for table in source.tables
        ],
    }


def _sources(model: Model) -> dict[str, Source]:
    """Each source by its id: an entry's `path` and `context` come from its source."""
    return {source.id: source for source in model.sources}


def _code(code: StatusCode, sources: dict[str, Source]) -> dict[str, Any]:
    return {
        "code": code.code,
        "phrase": code.phrase,
        "class": code.status_class,
        "reference": code.reference,
        "url": code.url,
        "entries": [_entry(entry, sources[entry.source]) for entry in code.entries],
    }


def _entry(entry: Entry, source: Source) -> dict[str, Any]:
    return {
        "source": entry.source,
        "name": entry.name,
        "description": entry.description.plain or None,
        "action": entry.action.plain or None,
        "context": entry.context(source),
        "path": source.path,
        "line": entry.line,
        "extra": {title: value.plain for title, value in entry.extra.items()},
        "retryable": entry.retryable,
    }


def _diagnostic(item: Diagnostic) -> dict[str, Any]:
    return {
        "path": item.path,
        "line": item.line,
        "severity": item.severity,
        "type": item.type,
        "message": item.message,
    }
