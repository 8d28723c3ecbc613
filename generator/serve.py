"""`statusdocs serve`: build the site, serve it on 127.0.0.1, rebuild and reload on changes.

The HTTP server runs in a thread and serves the output folder as the last
build published it; every HTML page gets a small script that listens to a
Server-Sent Events stream and reloads the page when a build finishes.  The
main thread watches the sources, templates and Sphinx configuration with
watchfiles (which groups an editor's burst of writes into one change) and
rebuilds; a build that fails is reported and leaves the last good site served,
and the next change tries again.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import watchfiles

from generator.build import BuildResult, build
from generator.config import MANIFEST_NAME
from generator.diagnostics import StatusdocsError
from generator.project import Project

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

Report = Callable[[BuildResult], None]


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


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves the built site, HTML pages with the reload script, and the build event stream."""

    def __init__(self, *args: Any, site: LiveSite, **kwargs: Any) -> None:
        self.site = site
        super().__init__(*args, directory=str(site.out), **kwargs)

    def do_GET(self) -> None:
        """A page with the reload script, the event stream, or any other file as it is."""
        if urlsplit(self.path).path == EVENTS_PATH:
            self._stream_events()
        elif (page := self._html_page()) is not None:
            self._send_page(page, with_body=True)
        else:
            super().do_GET()

    def do_HEAD(self) -> None:
        """The headers `do_GET` would send (Content-Length counting the reload script)."""
        if (page := self._html_page()) is not None:
            self._send_page(page, with_body=False)
        else:
            super().do_HEAD()

    def end_headers(self) -> None:
        """Every response is revalidated, so a reload shows the latest build."""
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are logged only with --verbose."""
        if self.site.verbose:
            super().log_message(format, *args)

    def _html_page(self) -> Path | None:
        """The HTML file the request names (a folder's index.html), else None."""
        path = Path(self.translate_path(self.path))
        if urlsplit(self.path).path.endswith("/"):
            path = path / "index.html"
        return path if path.suffix in {".html", ".htm"} and path.is_file() else None

    def _send_page(self, page: Path, with_body: bool) -> None:
        try:
            body = inject_reload_script(page.read_bytes())
        except OSError:
            self.send_error(404, "File not found")
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

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

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Report a failed request in one line instead of a traceback."""
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError):
            print(f"statusdocs: request failed: {error!r}", file=sys.stderr)


class InputFilter(watchfiles.DefaultFilter):
    """Accepts changes to the build's inputs, not to what builds write among them."""

    def __init__(self, inputs: Sequence[Path], outputs: Sequence[Path]) -> None:
        # Outputs match as string prefixes on purpose: `html` also covers the
        # `.html.*` staging and release entries a build keeps beside it.
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
        sources = [project.sources.resolve()]
    return [
        *sources,
        *(folder.resolve() for folder in project.template_dirs),
        project.site.resolve(),
    ]


def build_outputs(project: Project) -> list[Path]:
    """What a build writes inside the watched folders: never a reason to build again."""
    # Not resolved: the output folder may be a link a build re-points.
    out = project.out.parent.resolve() / project.out.name
    return [
        project.generated.resolve(),
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


def rebuild(project: Project, paths: Sequence[Path], report: Report) -> bool:
    """Build the site once and report it; a failure is printed and the last site stays."""
    try:
        result = build(project, paths)
    except Exception as exc:  # Sphinx and its extensions may raise anything
        print(f"statusdocs: build failed: {exc}", file=sys.stderr, flush=True)
        return False
    report(result)
    sys.stdout.flush()
    return True


def serve(project: Project, paths: Sequence[Path], port: int, verbose: bool, report: Report) -> int:
    """Build, serve on 127.0.0.1:`port` and rebuild on changes until Ctrl-C; returns 0."""
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
        rebuild(project, paths, report)
        thread.start()
        watch_and_rebuild(
            project,
            paths,
            on_ready=functools.partial(_announce, server),
            on_change=functools.partial(_rebuild_and_reload, project, paths, report, site),
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
    project: Project, paths: Sequence[Path], report: Report, site: LiveSite, changed: list[Path]
) -> None:
    names = [_shown(path, project.root) for path in changed]
    more = f" and {len(names) - 3} more" if len(names) > 3 else ""
    print(f"changed: {', '.join(names[:3])}{more}; rebuilding", flush=True)
    if rebuild(project, paths, report):
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
