"""The reading stage: files -> decoded text -> raw tables -> entries -> the model.

Each source is read on its own; a problem in one is reported and never stops
the others.  Every row of every table ends up as an entry or a diagnostic.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .analysis.drift import drift, undeclared_copies
from .analysis.merge import merge
from .analysis.policy import PolicyReading, read_policy, remember_readings
from .diagnostics import Diagnostic, Diagnostics, Reporter
from .labels import ROW_LABEL_PART
from .limits import MAX_FILE_BYTES
from .model import Entry, Model, Source, rows_by_source
from .progress import QUIET, Progress
from .readers import Document, detect_format, reader_for
from .richtext import visible
from .site.cache import ParseCache
from .sources.decode import decode
from .sources.manifest import SourceConfig, slug
from .sources.walk import SourceFile, collect_files, display_path
from .tables import TableReader

# Source pages are `sources/<id>`: an id may not take the name of a page the site makes there.
RESERVED_IDS = frozenset({"index", "genindex", "search", "modindex", "py-modindex"})


@dataclass(slots=True)
class ReadSource:
    """One source after reading: its description and its entries."""

    source: Source
    entries: list[Entry] = field(default_factory=list)
    readings: list[PolicyReading | None] = field(default_factory=list)
    """Each entry's advice, read where the source is parsed (in a worker, once: the parse
    cache keeps it) and handed to `policy.read_policy`'s memo."""


def build_model(
    paths: Sequence[Path],
    base: Path | None = None,
    cache: ParseCache | None = None,
    progress: Progress = QUIET,
) -> Model:
    """Read every source under `paths` (files or folders) into the model, one step of
    `progress` a file."""
    diagnostics = Diagnostics()
    files = collect_files(paths, diagnostics, base or Path.cwd())
    progress.stage("reading sources", len(files))
    sources = read_sources(files, diagnostics, base or Path.cwd(), cache, progress)
    if cache:
        cache.prune()
    renamed = _unique_ids(sources, diagnostics)
    read = [item for item in sources if item is not None]
    for item in read:  # `of` names the id the manifest gave, which may have been made safe
        if item.source.mirror_of in renamed:
            item.source.mirror_of = renamed[item.source.mirror_of]
    _check_mirrors([item.source for item in read], diagnostics)
    entries = (entry for item in read for entry in item.entries)
    model = Model([item.source for item in read], merge(entries), diagnostics.items)
    model.diagnostics += relations(model)
    return model


def relations(model: Model) -> list[Diagnostic]:
    """Notes on copies: how each mirror has drifted from its original (`mirror.<kind>`),
    and sources that look like copies the manifest does not mark (`mirror.suggested`)."""
    found = []
    mirrors = {(s.id, s.mirror_of) for s in model.sources if s.role == "mirror"}
    rows = rows_by_source(model) if mirrors else {}
    for mirror, original in sorted(mirrors, key=lambda pair: pair[0]):
        assert original is not None  # a mirror without `of` is read as a service
        for path, line, kind, message in drift(model, mirror, original, rows).findings():
            found.append(Diagnostic(path, line, "info", f"mirror.{kind}", message))
    paths = {source.id: source.path for source in model.sources}
    for copy, original, share in undeclared_copies(model):
        message = (
            f"looks like a copy of {original} ({share:.0%} of its rows say the same); "
            f'mark it role = "mirror", of = "{original}" in the manifest to see how it drifted'
        )
        found.append(Diagnostic(paths[copy], None, "info", "mirror.suggested", message))
    return found


def read_sources(
    files: Sequence[SourceFile],
    diagnostics: Diagnostics,
    base: Path,
    cache: ParseCache | None,
    progress: Progress = QUIET,
) -> list[ReadSource | None]:
    """Read every file, from the cache where it has the file, in parallel when there are many."""
    jobs: list[_Job | None] = []
    for file in files:
        shown = display_path(file.path, base)
        jobs.append(_read_job(file, shown, diagnostics))
    keys = [cache.key(j[2], j[1], j[0].config) if cache and j else "" for j in jobs]
    done = {i: cache.get(key) for i, key in enumerate(keys) if cache and jobs[i]}
    misses = [(i, job) for i, job in enumerate(jobs) if job and done.get(i) is None]
    progress.advance(len(jobs) - len(misses))
    parsed_misses = _parse_many([job for _, job in misses])
    for (index, _), parsed in zip(misses, parsed_misses, strict=True):
        done[index] = parsed
        progress.advance()
        if cache:
            cache.put(keys[index], parsed)
    results: list[ReadSource | None] = []
    for index in range(len(jobs)):
        result, found = done.get(index) or (None, [])
        diagnostics.items.extend(found)
        results.append(result)
        if result is not None and len(result.readings) == len(result.entries):
            remember_readings(zip(result.entries, result.readings, strict=True))
    return results


# A file to parse: what the manifest says of it, the path it is shown under, its bytes.
_Job = tuple[SourceFile, str, bytes]


def _read_job(file: SourceFile, shown: str, diagnostics: Diagnostics) -> _Job | None:
    """The file's bytes to parse, or None (with an error) when it is unreadable or too large."""
    try:
        size = file.path.stat().st_size
        if size > MAX_FILE_BYTES:
            message = f"file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}; not read"
            diagnostics.report(shown, None, "error", "source.too-large", message)
            return None
        return (file, shown, file.path.read_bytes())
    except OSError as exc:
        message = f"cannot read file: {exc.strerror}"
        diagnostics.report(shown, None, "error", "source.unreadable", message)
        return None


GC_THRESHOLDS = (50_000, 20, 100)
"""The collector's thresholds while reading and building: a build makes millions of objects
that live until it ends (parsed sources, docutils nodes, Sphinx's environment), and the
default thresholds walk them again and again (`benchmarks/scale.py` measures both)."""


def collect_less() -> None:
    """Run the cyclic garbage collector less often (`GC_THRESHOLDS`), in this process."""
    gc.set_threshold(*GC_THRESHOLDS)


# Below this many files to parse, starting worker processes costs more than it saves.
_PARALLEL_FROM = 16


def _parse_many(jobs: Sequence[_Job]) -> Iterator[tuple[ReadSource | None, list[Diagnostic]]]:
    """Each job's result, in order, as it is ready."""
    workers = min(2, os.cpu_count() or 1)
    if len(jobs) < _PARALLEL_FROM or workers < 2:
        yield from (_parse_job(job) for job in jobs)
        return
    with ProcessPoolExecutor(workers, initializer=collect_less) as pool:
        yield from pool.map(_parse_job, jobs, chunksize=8)


def _parse_job(
    job: tuple[SourceFile, str, bytes] | None,
) -> tuple[ReadSource | None, list[Diagnostic]]:
    """Parse one file's bytes (in a worker process when there are many)."""
    assert job is not None
    file, shown, data = job
    local = Diagnostics()
    report = local.for_path(shown)
    try:
        return _parse_source(file, data, report), local.items
    except RecursionError:
        report.error(None, "source.too-deep", "nested too deeply to read; file skipped")
    except Exception as exc:  # a reader's fault in one file must not stop the others
        report.error(
            None,
            "source.internal-error",
            f"statusdocs failed on this file ({type(exc).__name__}: {exc}); file skipped. "
            "Please report this with the file.",
        )
    return None, local.items


def _parse_source(file: SourceFile, data: bytes, report: Reporter) -> ReadSource | None:
    text = decode(data, report)
    if text is None:
        return None
    config = file.config or SourceConfig(file=file.path.name)
    fmt = config.format or detect_format(file.path, text)
    parsed = reader_for(fmt)(Document(report.path, text), report)
    source = Source(
        id=config.id or slug(file.path.stem),
        title=visible(config.title)
        or visible(parsed.title)
        or visible(file.path.stem)
        or file.path.name,
        path=report.path,
        format=fmt,
        metadata=config.metadata,
        role=config.role,
        mirror_of=config.of,
    )
    result = ReadSource(source)
    tables = TableReader(source.id, report, dict(config.columns), list(config.tables))
    for found in tables.read_all(parsed.tables):
        if found is not None:
            for entry in found.entries:
                entry.table = len(source.tables)
            source.tables.append(found.table)
            result.entries.extend(found.entries)
    source.decisions = tables.decisions
    if not source.tables:
        report.warning(None, "source.no-table", "no HTTP status-code table found")
    _number_shared_lines(result.entries)
    result.readings = [read_policy(entry) for entry in result.entries]
    return result


def _number_shared_lines(entries: list[Entry]) -> None:
    """Number the rows that start on the same line, so each keeps an anchor of its own."""
    seen: dict[int, int] = {}
    for entry in entries:
        entry.ordinal = seen[entry.line] = seen.get(entry.line, 0) + 1


def _unique_ids(sources: list[ReadSource | None], diagnostics: Diagnostics) -> dict[str, str]:
    """Give every source an id no other source, site page or row label has, and say so.

    Returns the ids changed for a reason other than another source holding them (a page's
    name, a row label's form): `of` may name them as the manifest wrote them.
    """
    seen: set[str] = set()
    moved: dict[str, str] = {}
    titles: dict[str, str] = {}
    for item in sources:
        if item is None:
            continue
        source = item.source
        renamed = _free_id(source.id, seen)
        if renamed is not None:
            new_id, why = renamed
            message = f"id {source.id!r} {why}; using {new_id!r}"
            diagnostics.report(source.path, None, "warning", "source.duplicate-id", message)
            if source.id not in seen:
                moved[source.id] = new_id
            source.id = new_id
            for entry in item.entries:
                entry.source = new_id
        seen.add(source.id)
        if source.title in titles:
            message = f"title {source.title!r} is also the title of {titles[source.title]}"
            diagnostics.report(source.path, None, "warning", "source.duplicate-title", message)
        titles.setdefault(source.title, source.path)
    return moved


def _check_mirrors(sources: list[Source], diagnostics: Diagnostics) -> None:
    """A mirror's `of` must name another source that was read; else it is read as a service."""
    ids = {source.id for source in sources}
    for source in sources:
        if source.role != "mirror":
            continue
        if source.mirror_of == source.id or source.mirror_of not in ids:
            why = "itself" if source.mirror_of == source.id else "no source read"
            message = (
                f"role 'mirror' with of = {source.mirror_of!r}, which names {why}; "
                "read as a service"
            )
            diagnostics.report(source.path, None, "error", "manifest.mirror", message)
            source.role, source.mirror_of = "service", None


def _free_id(wanted: str, taken: set[str]) -> tuple[str, str] | None:
    """A free id for a source that wants `wanted`, and why it changed; None when it is free.

    Row labels are `source-<id>-line-<n>`: an id holding `-line-<digit>` could take
    another source's row label, so that hyphen goes.
    """
    candidate, why = wanted, None
    if ROW_LABEL_PART.search(candidate):
        candidate, why = ROW_LABEL_PART.sub("-line", candidate), "could be taken for a row label"
    if candidate in taken or candidate in RESERVED_IDS:
        reserved = candidate in RESERVED_IDS
        why = why or ("is a site page's name" if reserved else "is already used by another source")
        number = 2
        while f"{candidate}-{number}" in taken:
            number += 1
        candidate = f"{candidate}-{number}"
    return None if why is None else (candidate, why)
