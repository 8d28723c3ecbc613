"""`statusdocs serve`: the live site, its reload stream, rebuilds on edits, Ctrl-C.

The end-to-end tests run the real command on a copy of the project, talk to
it over the loopback address only, and bound every wait.
"""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import watchfiles
from sitecheck import copy_project

from generator.cli import main
from generator.project import Project, SiteConfig
from generator.serve import (
    EVENTS_PATH,
    RELOAD_SCRIPT,
    InputFilter,
    ReloadBroadcaster,
    build_outputs,
    inject_reload_script,
    watched_inputs,
)

START_SECONDS = 120  # the first, full Sphinx build of a fresh copy
CHANGE_SECONDS = 60
STOP_SECONDS = 15
SOURCE = Path("sources/huaweicloud-iam-status-codes.rst")
OLD = "The requested resource cannot be found."
# Same width as OLD, so the grid table's columns stay aligned.
NEW = "Edited live while serving.".ljust(len(OLD))
SCRIPT = RELOAD_SCRIPT.decode().strip()

needs_signals = pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT")


class Server:
    """A `statusdocs serve` subprocess on a free loopback port, and what it printed."""

    def __init__(self, project: Path) -> None:
        self.project = project
        self.lines: list[str] = []
        self._printed = threading.Condition()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--project", str(project), "--port", "0"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
            preexec_fn=_default_sigint,
        )
        threading.Thread(target=self._read, daemon=True).start()
        line = self.wait_for("serving on ", since=0, timeout=START_SECONDS)
        self.port = int(line.rstrip("/").rsplit(":", 1)[1])

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._printed:
                self.lines.append(line.rstrip("\n"))
                self._printed.notify_all()

    @property
    def output(self) -> str:
        with self._printed:
            return "\n".join(self.lines)

    def mark(self) -> int:
        """How many lines have been printed so far (for `wait_for(since=...)`)."""
        with self._printed:
            return len(self.lines)

    def wait_for(self, text: str, since: int, timeout: float = CHANGE_SECONDS) -> str:
        """The first line printed after line `since` that contains `text`."""
        deadline = time.monotonic() + timeout
        with self._printed:
            while True:
                found = [line for line in self.lines[since:] if text in line]
                if found:
                    return found[0]
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    pytest.fail(f"no {text!r} printed; output:\n{self.output}")
                self._printed.wait(min(left, 0.5))

    def get(self, path: str) -> tuple[int, str, str]:
        """Status, content type and body of a GET."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read().decode("utf-8", "replace")
            return response.status, response.getheader("Content-Type", ""), body
        finally:
            connection.close()

    def wait_for_page(self, path: str, text: str, timeout: float = CHANGE_SECONDS) -> str:
        """The page once it contains `text`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, _, body = self.get(path)
            if status == 200 and text in body:
                return body
            time.sleep(0.2)
        pytest.fail(f"{path} never showed {text!r}; output:\n{self.output}")

    def interrupt(self) -> int:
        """Ctrl-C; the exit code."""
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(STOP_SECONDS)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(STOP_SECONDS)


def _default_sigint() -> None:
    # A shell that starts jobs in the background makes them ignore SIGINT.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(copy_project(tmp_path / "project"))
    try:
        yield running
    finally:
        running.kill()


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text("utf-8")
    assert old in text
    file.write_text(text.replace(old, new), "utf-8")


def next_event(stream: http.client.HTTPResponse) -> list[bytes]:
    """The fields of the next Server-Sent Event, skipping keep-alive comments."""
    fields: list[bytes] = []
    for _ in range(100):
        line = stream.readline().rstrip(b"\n")
        if not line and fields:
            break
        if line and not line.startswith(b":"):
            fields.append(line)
    return fields


@needs_signals
def test_serve_reloads_pages_after_an_edit(server: Server) -> None:
    status, content_type, page = server.get("/codes/404.html")
    assert (status, content_type) == (200, "text/html; charset=utf-8")
    assert "Not Found" in page and OLD in page
    assert page.count(SCRIPT) == 1
    assert page.index(SCRIPT) < page.rindex("</body>")
    status, _, css = server.get("/_static/statusdocs.css")
    assert status == 200
    assert css == (server.project / "site/_static/statusdocs.css").read_text("utf-8")

    events = http.client.HTTPConnection("127.0.0.1", server.port, timeout=CHANGE_SECONDS)
    try:
        events.request("GET", EVENTS_PATH)
        stream = events.getresponse()
        assert stream.status == 200
        assert stream.getheader("Content-Type") == "text/event-stream"
        assert next_event(stream) == [b"retry: 1000", b"id: 0"]

        mark = server.mark()
        edit(server.project / SOURCE, OLD, NEW)
        page = server.wait_for_page("/codes/404.html", NEW.strip())
        assert OLD not in page
        assert SOURCE.as_posix() in server.wait_for("changed: ", since=mark)
        # The build that changed the page was announced on the stream.
        assert next_event(stream) == [b"event: reload", b"id: 1", b"data: 1"]
    finally:
        events.close()

    assert server.interrupt() == 0
    assert "Traceback" not in server.output


@needs_signals
def test_serve_keeps_the_last_site_through_broken_edits(server: Server) -> None:
    sources = server.project / "sources"
    mark = server.mark()
    (sources / "broken.md").write_bytes(b"# Codes\n\n| Code | Name |\n\x00\x00\x01binary\n")
    assert "broken.md" in server.wait_for("[source.binary]", since=mark)
    server.wait_for("site built", since=mark)
    assert "Not Found" in server.wait_for_page("/codes/404.html", OLD)

    template = server.project / "templates" / "code.rst.jinja"
    good = template.read_text("utf-8")
    mark = server.mark()
    template.write_text(good + "{% if %}\n", "utf-8")
    assert "code.rst.jinja" in server.wait_for("statusdocs: build failed: ", since=mark)
    # A source edited while the build is broken: the last good site is still served.
    mark = server.mark()
    edit(sources / SOURCE.name, OLD, NEW)
    server.wait_for("statusdocs: build failed: ", since=mark)
    status, _, page = server.get("/codes/404.html")
    assert status == 200
    assert OLD in page and SCRIPT in page

    # Fixing the template recovers without a restart, with the edit in place.
    mark = server.mark()
    template.write_text(good, "utf-8")
    (sources / "broken.md").unlink()
    page = server.wait_for_page("/codes/404.html", NEW.strip())
    assert OLD not in page
    server.wait_for("site built", since=mark)

    assert server.interrupt() == 0
    assert "Traceback" not in server.output


def test_reload_script_goes_before_the_last_body_end() -> None:
    page = b"<html><body><p>x</p></BODY></html>"
    assert inject_reload_script(page) == b"<html><body><p>x</p>" + RELOAD_SCRIPT + b"</BODY></html>"
    assert inject_reload_script(b"<p>fragment</p>") == b"<p>fragment</p>" + RELOAD_SCRIPT


def test_watch_filter_takes_inputs_and_leaves_build_outputs(tmp_path: Path) -> None:
    project = Project(tmp_path.resolve(), SiteConfig())
    (tmp_path / "templates").mkdir()
    accepts = InputFilter(watched_inputs(project, []), build_outputs(project))

    def wanted(relative: str) -> bool:
        return accepts(watchfiles.Change.modified, str(project.root / relative))

    assert wanted("sources/new.md")
    assert wanted("sources/manifest.toml")
    assert wanted("templates/code.rst.jinja")
    assert wanted("site/conf.py")
    assert wanted("site/_static/statusdocs.css")
    assert not wanted("site/generated/codes/404.rst")
    assert not wanted("site/_build/html/index.html")
    assert not wanted("site/_build/.html.releases/3/index.html")
    assert not wanted("sources/.new.md.swp")
    assert not wanted("sources-old/new.md")
    assert not wanted("README.md")


def test_watch_inputs_of_named_files_include_their_manifest(tmp_path: Path) -> None:
    project = Project(tmp_path.resolve(), SiteConfig())
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("x", "utf-8")
    inputs = watched_inputs(project, [tmp_path / "docs" / "a.md"])
    assert inputs[:2] == [tmp_path / "docs" / "a.md", tmp_path / "docs" / "manifest.toml"]


def test_broadcaster_wakes_waiters_on_builds_and_on_close() -> None:
    broadcaster = ReloadBroadcaster()
    assert broadcaster.wait(0, timeout=0.01) == 0
    threading.Timer(0.05, broadcaster.publish).start()
    assert broadcaster.wait(0, timeout=STOP_SECONDS) == 1
    threading.Timer(0.05, broadcaster.close).start()
    assert broadcaster.wait(1, timeout=STOP_SECONDS) is None


@pytest.mark.parametrize("port", ["http", "-1", "70000"])
def test_serve_rejects_a_bad_port(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--port", port]) == 2
    assert "not a port number" in capsys.readouterr().err
