"""The retry-policy export: which codes a client should retry, how, and which it must not.

One source's advice, or the sources' merged advice, as JSON for client libraries (shape:
`data/retry-policy.schema.json`).  Each code with advice goes in one list by its policy:
`retry` (RETRYING), `do_not_retry` (NOT_RETRYING) or `other` (re-authenticate, follow the
redirect, contact support).  A code whose readings conflict, one retrying where another
forbids it, goes in `disagreements` instead, with every reading.
"""

from __future__ import annotations

import json
from collections.abc import Container
from importlib import resources
from typing import Any

from ..analysis.policy import NOT_RETRYING, PRECEDENCE, RETRYING, PolicyReading, read_policy
from ..model import Entry, Model, StatusCode

SCHEMA_VERSION = 1
SCHEMA_FILE = "data/retry-policy.schema.json"

_Reading = tuple[Entry, PolicyReading]


def retry_policy(
    model: Model,
    source: str | None,
    codes: Container[int] | None = None,
    with_rows: bool = False,
) -> dict[str, Any]:
    """The advice of the source with id `source`, or with None of all sources merged (mirrors
    left out: a copy says again what its original says); only `codes` when given.
    `with_rows` adds each item's and reading's `Entry` as `row` (not JSON: for the site's
    page, which links to the rows; `at` alone cannot tell apart rows on one line).

    Codes ascend.  Where several readings agree, the one shown is the source's own words
    before an inference, then the most specific policy (`PRECEDENCE`), then the first
    source; `sources` lists every source with advice on the code.
    """
    paths = _paths(model, source)
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "source": source,
        "retry": [],
        "do_not_retry": [],
        "other": [],
        "disagreements": [],
    }
    mirrors = {item.id for item in model.sources if item.role == "mirror"}
    for code in sorted(model.codes, key=lambda item: item.code):
        if codes is not None and code.code not in codes:
            continue
        found = _readings(code, source, mirrors if source is None else set())
        if not found:
            continue
        if _disagree(found):
            data["disagreements"].append(_disagreement(code.code, found, paths, with_rows))
            continue
        item = _advice(code.code, found, paths, with_rows)
        data[_list_of(item["policy"])].append(item)
    return data


def retry_policy_json(model: Model, source: str | None, codes: Container[int] | None = None) -> str:
    """`retry_policy(model, source, codes)` as indented JSON text, ending in a newline."""
    return json.dumps(retry_policy(model, source, codes), ensure_ascii=False, indent=2) + "\n"


def schema_text() -> str:
    """The JSON Schema of the export, as shipped in the package."""
    return resources.files("statusdocs").joinpath(SCHEMA_FILE).read_text("utf-8")


def _paths(model: Model, source: str | None) -> dict[str, str]:
    """Each source's file path by id; an unknown `source` is the caller's error."""
    paths = {item.id: item.path for item in model.sources}
    if source is not None and source not in paths:
        raise ValueError(f"unknown source {source!r}; known: {', '.join(paths)}")
    return paths


def _readings(code: StatusCode, source: str | None, left_out: set[str]) -> list[_Reading]:
    found = []
    for entry in code.entries:
        wanted = source in (None, entry.source) and entry.source not in left_out
        reading = read_policy(entry) if wanted else None
        if reading is not None:
            found.append((entry, reading))
    return found


def _disagree(found: list[_Reading]) -> bool:
    policies = {reading.policy for _, reading in found}
    return bool(policies & RETRYING) and bool(policies & NOT_RETRYING)


def _list_of(policy: str) -> str:
    if policy in RETRYING:
        return "retry"
    return "do_not_retry" if policy in NOT_RETRYING else "other"


def _at(entry: Entry, paths: dict[str, str]) -> str:
    return f"{paths[entry.source]}:{entry.line}"


def _advice(
    code: int, found: list[_Reading], paths: dict[str, str], with_rows: bool
) -> dict[str, Any]:
    entry, reading = min(
        found, key=lambda pair: (not pair[1].said, PRECEDENCE.index(pair[1].policy))
    )
    return _with_row(entry, with_rows) | {
        "code": code,
        "policy": reading.policy,
        "backoff": reading.policy == "retry with backoff",
        "retry_after": reading.policy == "retry after the Retry-After delay",
        "sentence": reading.sentence,
        "said": reading.said,
        "sources": list(dict.fromkeys(item.source for item, _ in found)),
        "at": _at(entry, paths),
    }


def _disagreement(
    code: int, found: list[_Reading], paths: dict[str, str], with_rows: bool
) -> dict[str, Any]:
    return {
        "code": code,
        "readings": [
            _with_row(entry, with_rows)
            | {
                "source": entry.source,
                "policy": reading.policy,
                "sentence": reading.sentence,
                "said": reading.said,
                "at": _at(entry, paths),
            }
            for entry, reading in found
        ],
    }


def _with_row(entry: Entry, with_rows: bool) -> dict[str, Any]:
    return {"row": entry} if with_rows else {}
