"""What a long build shows while it runs: each stage, how far it is, and how long it took.

A build's stages (reading sources, rendering pages, Sphinx reading and writing
pages, publishing) report to one `Progress`.  On a terminal that is a live line
per stage, drawn with rich (a bar, `n/N`, the time taken and an estimate of
the time left); in a log (CI, a pipe) it is one plain line when a stage ends,
never a redraw; with `-q`, nothing.  Only the process that made the progress
draws: Sphinx's parallel workers inherit it and are ignored.
"""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress
    from rich.progress import TaskID


class Progress:
    """Reports nothing: the default, for library calls and `-q`."""

    def stage(self, name: str, total: int | None = None) -> None:
        """Start stage `name` of `total` steps (None: a count not known in advance); the
        stage before it ends."""

    def advance(self, steps: int = 1) -> None:
        """`steps` more steps of the current stage are done."""

    def close(self, failed: bool = False) -> None:
        """The last stage ends (`failed`: it did not finish, and is not shown as done)."""


QUIET = Progress()


class _Stages(Progress):
    """A stage at a time, in this process only."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.name: str | None = None
        self.total: int | None = None
        self.done = 0
        self.started = 0.0

    def stage(self, name: str, total: int | None = None) -> None:
        if os.getpid() != self.pid:
            return
        self._end()
        self.name, self.total, self.done = name, total, 0
        self.started = time.perf_counter()
        self._begin()

    def advance(self, steps: int = 1) -> None:
        if os.getpid() != self.pid or self.name is None:
            return
        self.done += steps
        self._step()

    def close(self, failed: bool = False) -> None:
        if os.getpid() == self.pid:
            self._end(failed)
            self._finish()

    def _end(self, failed: bool = False) -> None:
        if self.name is not None and not failed:
            self._ended(time.perf_counter() - self.started)
        self.name = None

    def _begin(self) -> None: ...

    def _step(self) -> None: ...

    def _ended(self, seconds: float) -> None: ...

    def _finish(self) -> None: ...


class LogLines(_Stages):
    """One plain line a stage, when it ends: `reading sources: 300/300 in 2.1 s`."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream

    def _ended(self, seconds: float) -> None:
        if self.total is not None:
            count = f": {self.done}/{self.total}"
        else:
            count = f": {self.done}" if self.done else ""
        print(f"{self.name}{count} in {seconds:.1f} s", file=self.stream, flush=True)


class Live(_Stages):
    """A live line a stage on a terminal, drawn by rich; finished stages stay on screen."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        from rich.console import Console
        from rich.progress import BarColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
        from rich.progress import Progress as RichProgress

        self.bars: RichProgress = RichProgress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[count]}"),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=Console(file=stream),
            transient=False,
        )
        self.task: TaskID | None = None
        self.bars.start()

    def _count(self) -> str:
        """`n/N`, or `n` for a stage whose total is not known, or nothing before a step."""
        if self.total is not None:
            return f"{self.done}/{self.total}"
        return str(self.done) if self.done else ""

    def _begin(self) -> None:
        self.task = self.bars.add_task(self.name or "", total=self.total, count=self._count())

    def _step(self) -> None:
        if self.task is not None:
            self.bars.update(self.task, completed=self.done, count=self._count())

    def _ended(self, seconds: float) -> None:
        if self.task is not None:
            # A finished stage shows a full bar, whatever its count.
            total = max(self.total or 0, self.done, 1)
            self.bars.update(self.task, completed=total, total=total, count=self._count())
            self.bars.stop_task(self.task)
            self.task = None

    def _finish(self) -> None:
        self.bars.stop()


def for_stream(stream: TextIO | None, quiet: bool = False) -> Progress:
    """The progress a command shows on `stream`: live on a terminal, lines in a log."""
    if quiet or stream is None:  # no stderr at all (a windowed interpreter)
        return QUIET
    try:
        terminal = stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):  # not a file, or a closed one: a log at most
        terminal = False
    return Live(stream) if terminal else LogLines(stream)
