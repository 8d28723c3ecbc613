"""A no-op `statusdocs build`, decided before anything is read, rendered or imported.

After each build, `remember` stores a digest of every input of the build and
what the build reported.  The next `statusdocs build` computes the digest
again (`inputs_digest`: the names, sizes and modification times of the
source files, manifests, templates and Sphinx folder, pyproject.toml,
statusdocs' own code and data, the versions of Sphinx, its theme and
parsers, the command's paths and output) and, when nothing changed and the
published site is still the one that build published, prints the stored
report instead of building (`replay`), without importing Sphinx.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

from ..diagnostics import inert
from ..labels import counted
from ..model import Model
from ..sources.settings import Project
from .cache import code_version

RECORD = "last-build-{}.json"
"""The record of the last build into one output (named by a digest of the output's path)."""
_STATE = ".statusdocs-release.json"  # what publish writes into each release
_PACKAGES = ("sphinx", "furo", "myst-parser", "docutils", "jinja2", "markdown-it-py")


@dataclass(slots=True)
class Report:
    """What a build printed, to print again when nothing changed."""

    diagnostics: list[tuple[str, str]] = field(default_factory=list)
    """(severity, formatted diagnostic) in the order they were printed."""
    warnings: list[str] = field(default_factory=list)
    """Sphinx's warnings."""
    counts: list[str] = field(default_factory=list)
    """The per-source counts and the summary line."""
    exit: int = 0


def report_of(model: Model, warnings: Sequence[str]) -> Report:
    """What a build of `model` reports: its problems, Sphinx's warnings, the counts, and the
    exit code (1 for an error in a source or a Sphinx warning)."""
    counts = {source.id: 0 for source in model.sources}
    for code in model.codes:
        for entry in code.entries:
            counts[entry.source] += 1
    lines = [
        inert(f"{source.path}: {counted(counts[source.id], 'entry')} [{source.id}]")
        for source in model.sources
    ]
    errors = sum(item.severity == "error" for item in model.diagnostics)
    problems = sum(item.severity == "warning" for item in model.diagnostics)
    lines.append(
        f"{counted(len(model.codes), 'code')} from {counted(len(model.sources), 'source')}; "
        f"{counted(errors, 'error')}, {counted(problems, 'warning')}"
    )
    return Report(
        diagnostics=[(item.severity, item.format()) for item in model.diagnostics],
        warnings=[inert(warning) for warning in warnings],
        counts=lines,
        exit=1 if errors or warnings else 0,
    )


def inputs_digest(project: Project, paths: Sequence[Path], out: Path) -> str:
    """A digest of everything a build of `project` reads, and of where it writes."""
    digest = hashlib.sha256(code_version().encode())
    digest.update(versions().encode())
    root = project.root.resolve()
    # Relative to the project where they lie in it: a copied project is the same project.
    shown = [_relative(Path(p), root) for p in paths]
    digest.update(f"out={_relative(out, root)}\npaths={shown}\n".encode())
    pyproject = project.root / "pyproject.toml"
    digest.update(pyproject.read_bytes() if pyproject.is_file() else b"")
    outputs = (project.build_dir.resolve(), out.absolute().resolve())
    for folder in [*(paths or project.sources), *project.template_dirs, project.site]:
        for line in listing(Path(folder), outputs, root):
            digest.update(line.encode())
    return digest.hexdigest()


def _relative(path: Path, root: Path) -> str:
    absolute = path.absolute()
    try:
        return absolute.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(absolute)


def replay(project: Project, paths: Sequence[Path], out: Path) -> Report | None:
    """The stored report, when no input changed and `out` is still what was published."""
    if out.is_symlink():
        return None  # an output of an older statusdocs: the next build makes it a folder
    try:
        record = json.loads(_record(project, out).read_text("utf-8"))
        published = _stamp(out / _STATE)
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("release") != published:
        return None
    try:
        if record.get("inputs") != inputs_digest(project, paths, out):
            return None
    except OSError:  # an input it cannot read: the build says what is wrong with it
        return None
    report = record.get("report")
    if not isinstance(report, dict):
        return None
    return Report(
        diagnostics=[(str(s), str(text)) for s, text in report.get("diagnostics", [])],
        warnings=[str(line) for line in report.get("warnings", [])],
        counts=[str(line) for line in report.get("counts", [])],
        exit=int(report.get("exit", 0)),
    )


def remember(project: Project, paths: Sequence[Path], out: Path, report: Report) -> None:
    """Store the digest of this build's inputs and its report, for the next `replay`."""
    path = _record(project, out)
    try:
        record = {
            "inputs": inputs_digest(project, paths, out),
            "release": _stamp(out / _STATE),
            "report": asdict(report),
        }
        text = json.dumps(record)
        if not path.is_file() or path.read_text("utf-8") != text:  # a no-op writes nothing
            path.write_text(text, "utf-8")
    except (OSError, ValueError):
        with contextlib.suppress(OSError):  # the next build just builds
            path.unlink(missing_ok=True)


def _record(project: Project, out: Path) -> Path:
    name = hashlib.sha256(_relative(out, project.root.resolve()).encode()).hexdigest()[:16]
    return project.build_dir / RECORD.format(name)


def versions() -> str:
    """The versions of the packages a build's result depends on, one a line."""
    return "".join(f"{package}={_version(package)}\n" for package in _PACKAGES)


def listing(folder: Path, outputs: tuple[Path, ...], root: Path) -> Iterator[str]:
    """`name:size:mtime` of every file under `folder` (or of `folder`, a file), outputs left out."""
    if folder.is_file():
        info = folder.stat()
        yield f"{_relative(folder, root)}:{info.st_size}:{info.st_mtime_ns}\n"
        return
    if not folder.is_dir():
        yield f"{_relative(folder, root)}: missing\n"
        return
    for top, folders, files in os.walk(folder):
        here = Path(top)
        folders[:] = sorted(name for name in folders if (here / name).resolve() not in outputs)
        for name in sorted(files):
            path = here / name
            try:
                info = path.stat()
            except OSError:
                continue
            yield f"{_relative(path, root)}:{info.st_size}:{info.st_mtime_ns}\n"


def _stamp(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "none"
