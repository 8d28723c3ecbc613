"""Progress on long builds: a live line per stage on a terminal, a few plain lines in a log,
nothing with -q."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import pyte
import pytest

from statusdocs.cli import main
from statusdocs.progress import QUIET, Live, LogLines, for_stream
from statusdocs.scaffold import init_project

SOURCES = 300


class Clock:
    """A clock that moves on by one second each time it is read."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


def test_a_log_gets_one_plain_line_a_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("statusdocs.progress.time.perf_counter", Clock())
    out = io.StringIO()
    shown = LogLines(out)
    shown.stage("reading sources", 3)
    shown.advance()
    shown.advance(2)
    shown.stage("Sphinx: indexes and search")
    shown.stage("publishing")
    shown.advance()
    shown.close()
    assert out.getvalue().splitlines() == [
        "reading sources: 3/3 in 1.0 s",
        "Sphinx: indexes and search in 1.0 s",
        "publishing: 1 in 1.0 s",
    ]


def test_the_kind_of_progress_follows_the_stream(tmp_path: Path) -> None:
    assert for_stream(io.StringIO(), quiet=True) is QUIET
    assert for_stream(None) is QUIET
    assert isinstance(for_stream(io.StringIO()), LogLines)  # not a terminal: a log
    closed = (tmp_path / "log").open("w")
    closed.close()
    assert isinstance(for_stream(closed), LogLines)  # cannot tell: a log, no traceback
    primary, secondary = pty.openpty()
    with os.fdopen(secondary, "w") as terminal:
        live = for_stream(terminal)
        assert isinstance(live, Live)
        live.close()
    os.close(primary)


def _project(root: Path) -> Path:
    init_project(root)
    for path in (root / "sources").iterdir():
        path.unlink()
    for number in range(1, SOURCES + 1):
        (root / "sources" / f"s{number:03}.md").write_text(
            "| Code | Name | Description |\n|---|---|---|\n"
            f"| 200 | OK | Service {number} answers. |\n"
            f"| 404 | Not Found | Service {number} has no such thing. |\n"
            f"| 503 | Service Unavailable | Service {number} is down. |\n",
            "utf-8",
        )
    return root


def test_a_300_source_build_shows_its_stages_on_a_terminal(tmp_path: Path) -> None:
    project = _project(tmp_path / "project")
    primary, secondary = pty.openpty()
    environment = {**os.environ, "TERM": "xterm", "COLUMNS": "100", "LINES": "40"}
    with subprocess.Popen(
        [sys.executable, "-m", "statusdocs", "build"],
        cwd=project,
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        env=environment,
    ) as child:
        os.close(secondary)
        written = b""
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            written += chunk
        assert child.wait(timeout=120) == 0
    os.close(primary)
    text = written.decode("utf-8")
    assert "\x1b[2K" in text  # lines redrawn in place, not printed again
    screen = pyte.Screen(100, 400)
    pyte.Stream(screen).feed(text.replace("\n", "\r\n"))
    lines = [line.rstrip() for line in screen.display if line.strip()]
    stages = [line.split("━")[0].strip() for line in lines if "━" in line]
    assert stages == [
        "reading sources",
        "rendering pages",
        "Sphinx: reading pages",
        "Sphinx: writing pages",
        "Sphinx: indexes and search",
        "publishing",
    ]
    reading = next(line for line in lines if line.startswith("reading sources"))
    assert f" {SOURCES}/{SOURCES} " in reading
    pages = len(list((project / "site").rglob("*.rst")))  # every page Sphinx writes
    assert pages > SOURCES
    writing = next(line for line in lines if line.startswith("Sphinx: writing pages"))
    assert f" {pages}/{pages} " in writing
    assert "site written to " in "".join(lines[-3:])  # the headline, wrapped at 100 columns


def test_quiet_prints_only_problems_and_the_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "project"
    init_project(project)
    (project / "sources" / "broken.md").write_text(
        "| Code | Name |\n|---|---|\n| 600 | Custom |\n", "utf-8"
    )
    assert main(["build", "-q", "--project", str(project)]) == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        "sources/broken.md:3: error: '600' is not a valid HTTP status code (100-599); row "
        "skipped [row.invalid-code]",
        "5 codes from 2 sources; 1 error, 0 warnings",
    ]
    assert out.startswith("site written to ")
