"""`statusdocs serve`: the live site, its reload stream, rebuilds on edits, Ctrl-C.

The end-to-end tests run the real command on a copy of the project, talk to
it over the loopback address only, and bound every wait.  The request tests
run the server in-process on a small hand-made site, so they take no build.
"""

from __future__ import annotations

import functools
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import watchfiles
from sitecheck import built_project, copy_project

from statusdocs.cli import main
from statusdocs.site import serve as serving
from statusdocs.site.build import BuildFailed
from statusdocs.site.serve import (
    EVENTS_PATH,
    HOST,
    RELOAD_SCRIPT,
    InputFilter,
    LiveSite,
    ReloadBroadcaster,
    SiteHandler,
    SiteServer,
    build_outputs,
    inject_reload_script,
    watched_inputs,
)
from statusdocs.sources.settings import Project, SiteConfig, find_project

from conftest import ROOT

START_SECONDS = 120  # the first, full Sphinx build of a fresh copy
CHANGE_SECONDS = 60
STOP_SECONDS = 15
SOURCE = Path("sources/huaweicloud-iam-status-codes.rst")
OLD = "The requested resource cannot be found."
# Same width as OLD, so the grid table's columns stay aligned.
NEW = "Edited live while serving.".ljust(len(OLD))
SCRIPT = RELOAD_SCRIPT.decode().strip()
REQUEST_SECONDS = 5
BURST = 200
BURST_SECONDS = 3.0  # a backlog of 5 makes the last of a burst wait for SYN retries: 3 s, 7 s...

needs_signals = pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT")

pytestmark = pytest.mark.slow


class Server:
    """A `statusdocs serve` subprocess on a free loopback port, and what it printed."""

    def __init__(self, project: Path) -> None:
        self.project = project
        self.lines: list[str] = []
        self._printed = threading.Condition()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "statusdocs", "serve", "--project", str(project), "--port", "0"],
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
def server(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    # Built already (once a session), so the server's first build is a no-op.
    running = Server(
        built_project(tmp_path_factory.getbasetemp() / "built-once", tmp_path / "project")
    )
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
    assert css == (ROOT / "generator/site/static/statusdocs.css").read_text("utf-8")
    # What Sphinx and publishing leave in the output is there, and not served.
    for hidden in (".buildinfo", ".statusdocs-release.json"):
        assert (server.project / "site/_build/html" / hidden).is_file()
        assert server.get(f"/{hidden}")[0] == 404

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
    assert not wanted("site/codes/404.rst")
    assert not wanted("site/index.rst")
    assert wanted("site/guide.rst")  # a page of the user's
    assert not wanted("site/_build/html/index.html")
    assert not wanted("site/_build/.html.releases/next/index.html")
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


PAGES = {
    "index.html": "<html><body><p>Home</p></body></html>",
    "codes/index.html": "<html><body><p>All codes</p></body></html>",
    "codes/404.html": "<html><body><p>Not Found</p></body></html>",
    "_static/statusdocs.css": "body { margin: 0 }\n",
    ".buildinfo": "# Sphinx build info version 1\n",
    ".statusdocs-release.json": "{}",
    "_static/.cache/old.css": "body {}\n",
}


class LocalSite:
    """The dev server in-process on a free loopback port, serving a small hand-made site.

    The site is laid out as a build leaves it, in the folder `_build/html`,
    with links added out of the site and to a hidden file.
    """

    def __init__(self, folder: Path, verbose: bool = False) -> None:
        self.out = folder / "_build" / "html"
        for name, text in PAGES.items():
            (self.out / name).parent.mkdir(parents=True, exist_ok=True)
            (self.out / name).write_text(text, "utf-8")
        (folder / "outside.txt").write_text("not part of the site", "utf-8")
        try:
            (self.out / "_static" / "outside.txt").symlink_to(folder / "outside.txt")
        except OSError:
            pytest.skip("cannot make symbolic links here")
        (self.out / "_static" / "up").symlink_to(folder)
        (self.out / "_static" / "info.txt").symlink_to("../.buildinfo")
        (self.out / "_static" / "same.css").symlink_to("statusdocs.css")
        self.site = LiveSite(self.out, verbose=verbose)
        handler = functools.partial(SiteHandler, site=self.site)
        self.server = SiteServer((HOST, 0), handler)
        self.port = self.server.server_address[1]
        # A short poll lets `close` return at once instead of after half a second.
        serving = functools.partial(self.server.serve_forever, poll_interval=0.01)
        self.thread = threading.Thread(target=serving, daemon=True)
        self.thread.start()

    def request(self, method: str, path: str) -> tuple[int, http.client.HTTPMessage, bytes]:
        """Status, headers and body of a response."""
        connection = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_SECONDS)
        try:
            connection.request(method, path)
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def status(self, method: str, path: str) -> int:
        return self.request(method, path)[0]

    def raw(self, request: bytes) -> bytes:
        """Everything the server sends back for `request` until it closes the connection."""
        with socket.create_connection((HOST, self.port), timeout=REQUEST_SECONDS) as connection:
            connection.sendall(request)
            return b"".join(iter(functools.partial(connection.recv, 65536), b""))

    def close(self) -> None:
        self.site.broadcaster.close()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(STOP_SECONDS)


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalSite]:
    """One server for the tests that only read: they share it to stay fast."""
    running = LocalSite(tmp_path_factory.mktemp("local"))
    try:
        yield running
    finally:
        running.close()


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_local_site_serves_pages_files_and_indexes(local: LocalSite, method: str) -> None:
    for path, text in [
        ("/", "Home"),
        ("/index.html", "Home"),
        ("/codes/", "All codes"),
        ("/codes/404.html?from=search", "Not Found"),
        ("/codes//404.html", "Not Found"),
    ]:
        status, headers, body = local.request(method, path)
        assert (status, headers["Content-Type"]) == (200, "text/html; charset=utf-8"), path
        page = local.request("GET", path)[2].decode("utf-8")
        assert text in page and page.count(SCRIPT) == 1
        # HEAD announces the body GET sends, and sends none.
        assert int(headers["Content-Length"]) == len(page.encode())
        assert body == (b"" if method == "HEAD" else page.encode())
    status, headers, body = local.request(method, "/codes")
    assert (status, headers["Location"]) == (301, "/codes/")
    css = (local.out / "_static/statusdocs.css").read_bytes()
    for path in ("/_static/statusdocs.css", "/_static/same.css"):  # a link inside the site
        status, headers, body = local.request(method, path)
        assert (status, int(headers["Content-Length"])) == (200, len(css))
        assert body == (b"" if method == "HEAD" else css)


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize(
    "path",
    [
        "/%00",
        "/codes/404.html%00.css",
        "/a%01b",
        "/%0a",
        "/%7f",
        "/%c2%85",  # U+0085, a C1 control
        "/%zz",
        "/%4",
        "/100%",
        "/%ff",  # not UTF-8
        "/%c0%ae%c0%ae/outside.txt",  # overlong "..", not UTF-8 either
        "/../outside.txt",
        "/codes/../../outside.txt",
        "/%2e%2e/outside.txt",
        "/codes%2f..%2f..%2foutside.txt",
        "*",
    ],
)
def test_local_site_answers_a_malformed_path_with_400(
    local: LocalSite, method: str, path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert local.status(method, path) == 400
    assert capsys.readouterr().err == ""  # no traceback, no "request failed"


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GET /%00 HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /%00 HTTP/1.0\r\n\r\n",
        b"HEAD /\x00 HTTP/1.0\r\n\r\n",  # a raw NUL, which http.client will not send
        b"GET http://[/ HTTP/1.0\r\n\r\n",  # nor a URL it cannot parse
    ],
)
def test_local_site_answers_an_unmappable_request_on_the_socket(
    local: LocalSite, request_bytes: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    answer = local.raw(request_bytes)
    assert re.match(rb"HTTP/1\.[01] 400 Bad Request\r\n", answer), answer[:80]
    assert b"\r\n\r\n" in answer  # the headers end: a whole response, then the close
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_local_site_serves_no_hidden_file(local: LocalSite, method: str) -> None:
    for name in (".buildinfo", ".statusdocs-release.json", "_static/.cache/old.css"):
        assert (local.out / name).is_file()
        assert local.status(method, f"/{name}") == 404, name
    assert local.status(method, "/_static/.cache/") == 404
    assert local.status(method, "/_static/info.txt") == 404  # a link to .buildinfo
    assert local.status(method, "/./index.html") == 404


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_local_site_lists_no_folder(local: LocalSite, method: str) -> None:
    assert local.status(method, "/_static/statusdocs.css") == 200
    assert local.status(method, "/_static/") == 404
    assert local.status(method, "/_static") == 404  # no redirect to a folder it will not show
    assert local.status(method, "/codes/404.html/") == 404


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_local_site_follows_no_link_out_of_the_site(local: LocalSite, method: str) -> None:
    assert (local.out / "_static/outside.txt").read_text("utf-8") == "not part of the site"
    assert local.status(method, "/_static/outside.txt") == 404
    assert local.status(method, "/_static/up/outside.txt") == 404
    assert local.status(method, "/nothing-here.html") == 404
    assert local.status(method, "/" + "n" * 5000) == 404  # a name too long for the system


@pytest.mark.parametrize("verbose", [False, True])
def test_local_site_logs_requests_only_when_verbose(
    tmp_path: Path, verbose: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    local = LocalSite(tmp_path, verbose=verbose)
    try:
        local.status("GET", "/")
        local.status("GET", "/%00")
    finally:
        local.close()
    err = capsys.readouterr().err
    if verbose:
        assert '"GET / HTTP/1.1" 200' in err and '"GET /%00 HTTP/1.1" 400' in err
    else:
        assert err == ""


def test_local_site_answers_a_burst_of_connections(local: LocalSite) -> None:
    assert SiteServer.request_queue_size >= 128
    start = threading.Barrier(BURST)

    def fetch(_: int) -> bytes:
        start.wait(REQUEST_SECONDS)
        return local.raw(b"GET /codes/404.html HTTP/1.0\r\n\r\n")

    began = time.monotonic()
    with ThreadPoolExecutor(BURST) as pool:
        answers = list(pool.map(fetch, range(BURST)))
    took = time.monotonic() - began
    assert all(answer.startswith(b"HTTP/1.0 200 ") for answer in answers)
    assert took < BURST_SECONDS, f"{BURST} connections took {took:.1f} s"


def test_local_site_stops_with_an_event_stream_open(tmp_path: Path) -> None:
    local = LocalSite(tmp_path)
    events = http.client.HTTPConnection(HOST, local.port, timeout=REQUEST_SECONDS)
    try:
        events.request("GET", EVENTS_PATH)
        stream = events.getresponse()
        assert next_event(stream) == [b"retry: 1000", b"id: 0"]
        # The stream's thread is a daemon: closing the server does not wait for it.
        stopping = threading.Thread(target=_stop, args=(local.server,))
        stopping.start()
        stopping.join(REQUEST_SECONDS)
        assert not stopping.is_alive()
    finally:
        events.close()
        local.close()


def _stop(server: SiteServer) -> None:
    """What `serve` does on Ctrl-C, leaving the event streams open."""
    server.shutdown()
    server.server_close()


def test_a_failed_rebuild_is_one_line_and_a_fault_shows_its_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    project = find_project(copy_project(tmp_path / "project"))

    def failing(*_: object, **__: object) -> None:
        raise BuildFailed("template templates/code.rst.jinja:3: unexpected end of template")

    monkeypatch.setattr(serving, "build", failing)
    assert serving.rebuild(project, [], lambda result: None) is False
    err = capsys.readouterr().err
    assert err == (
        "statusdocs: build failed: template templates/code.rst.jinja:3: "
        "unexpected end of template\n"
    )

    def faulty(*_: object, **__: object) -> None:
        raise KeyError("html_theme")

    monkeypatch.setattr(serving, "build", faulty)
    assert serving.rebuild(project, [], lambda result: None) is False
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):\n")
    assert err.endswith("KeyError: 'html_theme'\nstatusdocs: build failed: 'html_theme'\n")
