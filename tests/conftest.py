"""Shared helpers: paths of the fixtures and of the real sources, and model snapshots."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from statusdocs.formats.json_export import to_json_data
from statusdocs.ingest import build_model

pytest_plugins = ("sphinx.testing.fixtures",)
"""Sphinx's own test fixtures (`make_app`), for the example projects that embed statusdocs."""

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SOURCES = ROOT / "sources"
_UPDATE = {"on": False}
"""Whether `pytest --update` was asked for: expected files are rewritten, then reviewed."""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update",
        action="store_true",
        help="rewrite the expected JSON of fixture cases and source snapshots (review the diff)",
    )


def pytest_configure(config: pytest.Config) -> None:
    _UPDATE["on"] = bool(config.getoption("--update"))
    # Every xdist worker already builds sites: Sphinx's own worker processes on top of
    # them would oversubscribe the cores (the suite takes about a tenth longer).
    from statusdocs.site import build

    build.SPHINX_PROCESSES = 1


def model_data(path: Path, base: Path) -> dict[str, Any]:
    """The JSON export of the sources at `path`, with paths relative to `base`."""
    return to_json_data(build_model([path], base=base))


def assert_snapshot(actual: Any, expected_file: Path) -> None:
    """Compare `actual` with the JSON in `expected_file` (rewriting it when updating)."""
    if _UPDATE["on"]:
        expected_file.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", "utf-8")
    assert actual == json.loads(expected_file.read_text("utf-8"))


@pytest.fixture
def in_fixtures(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run with the fixtures folder as working directory, so paths print short."""
    monkeypatch.chdir(FIXTURES)
    return FIXTURES


# A stage of a build that finished, as a log shows it (`statusdocs.progress.LogLines`):
# "reading sources: 300/300 in 2.1 s", "publishing in 0.1 s".
_PROGRESS_LINE = re.compile(r"^[A-Za-z][\w :]*?(?:: \d+(?:/\d+)?)? in \d+\.\d s\n", re.MULTILINE)


def without_progress(text: str) -> str:
    """What a command printed, less the lines of the build stages it finished."""
    return _PROGRESS_LINE.sub("", text)
