"""`statusdocs serve`: build the site, serve it on 127.0.0.1, rebuild and reload on changes.

The HTTP server runs in a thread and serves the output folder as the last
build published it; every HTML page gets a small script that listens to a
Server-Sent Events stream and reloads the page when a build finishes.  It
serves only what the site publishes: no folder listings, no hidden files, and
nothing a link leads to outside the site; a path it cannot map is a 400.  The
main thread watches the sources, templates and Sphinx configuration with
watchfiles (which groups an editor's burst of writes into one change) and
rebuilds; a build that fails is reported and leaves the last good site served,
and the next change tries again.
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import os
import re
import socket
import stat
import sys
import threading
import traceback
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import unquote, urlsplit

import watchfiles

from ..diagnostics import StatusdocsError, inert
from ..progress import QUIET, Progress
from ..sources.manifest import MANIFEST_NAME
from ..sources.settings import Project
from .build import BuildResult, build
from .pages import generated_places

HOST = "127.0.0.1"
EVENTS_PATH = "/__statusdocs__/events"
RELOAD_SCRIPT = (
    f'<script>new EventSource("{EVENTS_PATH}")'
    '.addEventListener("reload", function () { location.reload(); });</script>\n'
).encode()
KEEPALIVE_SECONDS = 15.0
"""How often an idle event stream sends a comment, so a closed page is noticed."""
WATCH_WAKE_MS = 500
"""How long the watcher waits before it first reports itself ready (and between idle wakes)."""
INDEX = "index.html"
"""The page that stands for its folder; a folder without one is not served (never listed)."""
PAGE_SUFFIXES = frozenset({".html", ".htm"})
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")

Report = Callable[[BuildResult], object]


def inject_reload_script(html: bytes) -> bytes:
    """The page with the live-reload script added before its last `</body>`."""
    end = html.lower().rfind(b"</body>")
    if end < 0:
        return html + RELOAD_SCRIPT
    return html[:end] + RELOAD_SCRIPT + html[end:]


class ReloadBroadcaster:
    """Counts the builds that finished and wakes every event stream waiting for the next."""

    def __init__(self) -> None:
        self._builds = 0
        self._closed = False
        self._changed = threading.Condition()

    @property
    def builds(self) -> int:
        """How many builds have finished since the server started."""
        with self._changed:
            return self._builds

    def publish(self) -> None:
        """A build finished: tell every waiting stream."""
        with self._changed:
            self._builds += 1
            self._changed.notify_all()

    def close(self) -> None:
        """The server is stopping: end every stream."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def wait(self, seen: int, timeout: float) -> int | None:
        """The build count once it differs from `seen` or `timeout` passed; None once closed."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or self._builds != seen, timeout)
            return None if self._closed else self._builds


@dataclass(frozen=True, slots=True)
class LiveSite:
    """What every request needs: where the site is, whom to tell about builds."""

    out: Path
    """The output folder; looked up again for each request, as a build may replace it."""
    broadcaster: ReloadBroadcaster = field(default_factory=ReloadBroadcaster)
    verbose: bool = False
    """Whether to log every request."""


class Refused(Exception):
    """A request the site answers with an error instead of a file: the status, and why."""

    def __init__(self, status: HTTPStatus, explain: str | None = None) -> None:
        super().__init__(status, explain)
        self.status = status
        self.explain = explain


def request_path(target: str) -> str:
    """The percent-decoded path of a request target; raises Refused(400) when it is malformed."""
    try:
        path = urlsplit(target).path
    except ValueError as exc:  # an absolute URL with a broken host, such as "http://[/"
        raise Refused(HTTPStatus.BAD_REQUEST, str(exc)) from None
    if not path.startswith("/"):
        raise Refused(HTTPStatus.BAD_REQUEST, "The path must start with /.")
    # `unquote` passes a stray "%" through as it is; a request with one is malformed.
    if _BAD_ESCAPE.search(path):
        raise Refused(HTTPStatus.BAD_REQUEST, "Invalid percent-encoding in the path.")
    try:
        decoded = unquote(path, errors="strict")
    except UnicodeDecodeError:
        raise Refused(HTTPStatus.BAD_REQUEST, "The path is not UTF-8.") from None
    # No file of the site has a control character in its name, and a NUL cannot
    # even reach the file system (os functions raise ValueError).
    if any(unicodedata.category(char) == "Cc" for char in decoded):
        raise Refused(HTTPStatus.BAD_REQUEST, "Control character in the path.")
    return decoded


def site_parts(path: str) -> list[str]:
    """The names a decoded request path walks down from the site root, a folder's index last."""
    parts = [part for part in path.split("/") if part]
    # Browsers remove dot segments before sending; a ".." that arrives is an attempt to climb.
    if ".." in parts:
        raise Refused(HTTPStatus.BAD_REQUEST, "The path leaves the site.")
    if path.endswith("/"):
        parts.append(INDEX)
    return parts


def site_file(root: Path, parts: Sequence[str]) -> Path:
    """The file, or folder with an index page, that `parts` name in the resolved `root`.

    Links are resolved, and the result must still lie in `root`.  Raises
    Refused(404) for anything the site does not publish: a name starting with
    "." (Sphinx's .buildinfo, the release state), on the way or after
    resolving; whatever is missing or outside `root`; a folder without an
    index page; anything that is neither a folder nor a regular file.
    """
    not_found = Refused(HTTPStatus.NOT_FOUND, "Nothing is published at this path.")
    if _hidden(parts):
        raise not_found
    try:
        target = root.joinpath(*parts).resolve()
    except (OSError, RuntimeError):  # RuntimeError: a loop of links
        raise not_found from None
    if not target.is_relative_to(root) or _hidden(target.relative_to(root).parts):
        raise not_found
    mode = _mode(target)
    if stat.S_ISREG(mode) or (stat.S_ISDIR(mode) and stat.S_ISREG(_mode(target / INDEX))):
        return target
    raise not_found


def _hidden(parts: Sequence[str]) -> bool:
    return any(part.startswith(".") for part in parts)


def _mode(path: Path) -> int:
    """The type bits of `path`, 0 when it cannot be read.

    Path.is_file and is_dir raise for some errors, such as a name too long.
    """
    try:
        return path.stat().st_mode
    except OSError:
        return 0


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves the built site, HTML pages with the reload script, and the build event stream.

    GET and HEAD both go through `send_head`, which maps the path with
    `translate_path`; that is where every rule about what may be served lives.
    """

    def __init__(self, *args: Any, site: LiveSite, **kwargs: Any) -> None:
        self.site = site
        # Resolved for each connection (one request: HTTP/1.0), as `site_file` compares
        # resolved paths; a build replaces the folder by renaming, so no request sees
        # half a build (one that comes in the instant between the renames gets a 404).
        super().__init__(*args, directory=str(site.out.resolve()), **kwargs)

    def do_GET(self) -> None:
        """A page with the reload script, the event stream, or any other file as it is."""
        with self._refusals_answered():
            if request_path(self.path) == EVENTS_PATH:
                self._stream_events()
            else:
                super().do_GET()

    def do_HEAD(self) -> None:
        """The headers `do_GET` would send (Content-Length counting the reload script)."""
        with self._refusals_answered():
            super().do_HEAD()

    def send_head(self) -> io.BytesIO | BinaryIO | None:
        """Send the headers for what the request names; the body to copy, or None if answered."""
        path = Path(self.translate_path(self.path))
        if path.suffix in PAGE_SUFFIXES and path.is_file():
            return self._page(path)
        return super().send_head()  # which maps the path again, by the same rules

    def translate_path(self, path: str) -> str:
        """The file, or folder with an index page, that `path` names; raises Refused otherwise."""
        return str(site_file(Path(self.directory), site_parts(request_path(path))))

    def list_directory(self, path: str | os.PathLike[str]) -> io.BytesIO | None:
        """Folders are never listed (`translate_path` lets through only those with an index)."""
        self.send_error(HTTPStatus.NOT_FOUND, explain="Nothing is published at this path.")
        return None

    def end_headers(self) -> None:
        """Every response is revalidated, so a reload shows the latest build."""
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are logged only with --verbose."""
        if self.site.verbose:
            super().log_message(format, *args)

    @contextlib.contextmanager
    def _refusals_answered(self) -> Iterator[None]:
        """Answer a refused request with its error; Refused is raised before anything is sent."""
        try:
            yield
        except Refused as refused:
            self.send_error(refused.status, explain=refused.explain)

    def _page(self, page: Path) -> io.BytesIO:
        """Send the headers of an HTML page with the reload script; its body."""
        try:
            body = inject_reload_script(page.read_bytes())
        except OSError:  # a build removed it just now
            raise Refused(HTTPStatus.NOT_FOUND, "Nothing is published at this path.") from None
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def _stream_events(self) -> None:
        """Send a "reload" event after each build until the client or the server goes away."""
        broadcaster = self.site.broadcaster
        seen = broadcaster.builds
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        # The event id is the build count: a page that reconnects with an older id
        # (it missed a build, or the server restarted) reloads at once.
        missed = self.headers.get("Last-Event-ID", str(seen)) != str(seen)
        message = f"retry: 1000\nid: {seen}\n\n" + (_reload_event(seen) if missed else "")
        while self._send_event(message):
            builds = broadcaster.wait(seen, KEEPALIVE_SECONDS)
            if builds is None:
                return
            message = ": keepalive\n\n" if builds == seen else _reload_event(builds)
            seen = builds

    def _send_event(self, text: str) -> bool:
        """Write to the stream; False when the client has gone."""
        try:
            self.wfile.write(text.encode())
            self.wfile.flush()
        except OSError:
            return False
        return True


def _reload_event(builds: int) -> str:
    return f"event: reload\nid: {builds}\ndata: {builds}\n\n"


class SiteServer(ThreadingHTTPServer):
    """The HTTP server, quiet about clients that hang up (a page reloading mid-transfer)."""

    # A page load opens dozens of connections at once, a few tabs reloading
    # after a build hundreds; socketserver's backlog of 5 drops the rest, and
    # each retries after a second or more.  The kernel caps this at its limit.
    request_queue_size = socket.SOMAXCONN
    # Event streams never end by themselves: Ctrl-C must not wait for them.
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Report a failed request in one line instead of a traceback."""
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError):
            print(f"statusdocs: request failed: {error!r}", file=sys.stderr)


class InputFilter(watchfiles.DefaultFilter):
    """Accepts changes to the build's inputs, not to what builds write among them."""

    def __init__(self, inputs: Sequence[Path], outputs: Sequence[Path]) -> None:
        # Outputs match as string prefixes on purpose: `html` also covers the
        # `.html.releases` folder where a build fills the next release.
        super().__init__(ignore_paths=outputs)
        self.inputs = [str(path) for path in inputs]

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        """Whether a change at `path` should trigger a build."""
        wanted = any(path == item or path.startswith(item + os.sep) for item in self.inputs)
        return wanted and super().__call__(change, path)


def watched_inputs(project: Project, paths: Sequence[Path]) -> list[Path]:
    """What a build reads: the sources with their manifest, the templates, the Sphinx folder."""
    if paths:
        files = [path.resolve() for path in paths]
        sources = [*files, *{path.parent / MANIFEST_NAME for path in files if path.is_file()}]
    else:
        sources = [path.resolve() for path in project.sources]
    return [
        *sources,
        *(folder.resolve() for folder in project.template_dirs),
        project.site.resolve(),
    ]


def build_outputs(project: Project) -> list[Path]:
    """What a build writes inside the watched folders: never a reason to build again."""
    # Not resolved: a build renames the output folder (it may also be an old-style link).
    out = project.out.parent.resolve() / project.out.name
    return [
        *generated_places(project.site.resolve()),
        project.build_dir.resolve(),
        out,
        out.parent / f".{out.name}",
    ]


def watch_and_rebuild(
    project: Project,
    paths: Sequence[Path],
    on_ready: Callable[[], None],
    on_change: Callable[[list[Path]], None],
    stop: threading.Event,
) -> None:
    """Call `on_ready` once the watcher is live, then `on_change` with each burst of changes."""
    inputs = watched_inputs(project, paths)
    folders = {path if path.is_dir() else path.parent for path in inputs if path.exists()}
    changes_seen = watchfiles.watch(
        *sorted(folders),
        watch_filter=InputFilter(inputs, build_outputs(project)),
        stop_event=stop,
        rust_timeout=WATCH_WAKE_MS,
        yield_on_timeout=True,
    )
    for index, changes in enumerate(changes_seen):
        if index == 0:
            on_ready()
        if changes:
            on_change(sorted({Path(path) for _, path in changes}))


def rebuild(
    project: Project,
    paths: Sequence[Path],
    report: Report,
    progress: Callable[[], Progress] = lambda: QUIET,
) -> bool:
    """Build the site once, showing its `progress` (a new one a build), and report it; a
    failure is printed and the last site stays."""
    shown = progress()
    try:
        result = build(project, paths, progress=shown)
    except KeyboardInterrupt:
        shown.close(failed=True)  # the terminal is given back before serve stops
        raise
    except StatusdocsError as exc:  # a problem the user can act on: one line
        shown.close(failed=True)
        print(f"statusdocs: build failed: {inert(str(exc))}", file=sys.stderr, flush=True)
        return False
    except Exception as exc:  # Sphinx and its extensions may raise anything
        shown.close(failed=True)
        # Not one of statusdocs' own errors: the traceback is what is worth reporting.
        traceback.print_exc(file=sys.stderr)
        print(f"statusdocs: build failed: {inert(str(exc))}", file=sys.stderr, flush=True)
        return False
    report(result)
    sys.stdout.flush()
    return True


def serve(
    project: Project,
    paths: Sequence[Path],
    port: int,
    verbose: bool,
    report: Report,
    progress: Callable[[], Progress] = lambda: QUIET,
) -> int:
    """Build, serve on 127.0.0.1:`port` and rebuild on changes until Ctrl-C, showing each
    build's `progress`; returns 0."""
    for path in paths:
        if not path.exists():
            raise StatusdocsError(f"{path}: no such file or folder")
    # watchfiles logs each burst at INFO; `_rebuild_and_reload` says which files changed.
    logging.getLogger("watchfiles").setLevel(logging.WARNING)
    site = LiveSite(project.out.absolute(), verbose=verbose)
    server = _listen(port, site)
    thread = threading.Thread(target=server.serve_forever, name="statusdocs-http", daemon=True)
    stop = threading.Event()
    try:
        rebuild(project, paths, report, progress)
        thread.start()
        watch_and_rebuild(
            project,
            paths,
            on_ready=functools.partial(_announce, server),
            on_change=functools.partial(
                _rebuild_and_reload, project, paths, report, site, progress
            ),
            stop=stop,
        )
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        site.broadcaster.close()
        if thread.is_alive():
            server.shutdown()
        server.server_close()
    return 0


def _announce(server: SiteServer) -> None:
    """The one line that tells people (and tests) where the site is."""
    print(f"serving on http://{HOST}:{server.server_address[1]}/", flush=True)


def _rebuild_and_reload(
    project: Project,
    paths: Sequence[Path],
    report: Report,
    site: LiveSite,
    progress: Callable[[], Progress],
    changed: list[Path],
) -> None:
    names = [_shown(path, project.root) for path in changed]
    more = f" and {len(names) - 3} more" if len(names) > 3 else ""
    print(inert(f"changed: {', '.join(names[:3])}{more}; rebuilding"), flush=True)
    if rebuild(project, paths, report, progress):
        site.broadcaster.publish()


def _shown(path: Path, root: Path) -> str:
    """`path` relative to the project when it lies inside it."""
    try:
        return path.relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _listen(port: int, site: LiveSite) -> SiteServer:
    """A server bound to the loopback address (port 0: any free port), not yet serving."""
    try:
        return SiteServer((HOST, port), functools.partial(SiteHandler, site=site))
    except OSError as exc:
        raise StatusdocsError(f"cannot listen on {HOST}:{port}: {exc.strerror}") from exc
