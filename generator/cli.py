"""The `statusdocs` command line: `build` the site, `export` the model, `check` the sources.

`serve` builds the site, serves it on 127.0.0.1 and rebuilds it as the inputs change;
`init` starts a new project.

`main(argv) -> int` never lets a traceback reach the user for bad input:
usage mistakes exit 2, a problem in some source exits 1 (after everything
else has been done), a clean run exits 0.
"""

from __future__ import annotations

import argparse
import functools
import shlex
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from . import __version__
from .analysis.selection import (
    Selection,
    SelectionError,
    parse_codes,
    parse_columns,
    parse_sources,
)
from .columns import COLUMNS, KNOWN_COLUMNS
from .diagnostics import StatusdocsError, inert
from .formats import EXPORT_FORMATS
from .labels import counted
from .model import Model, Source
from .progress import for_stream
from .site import noop
from .site.publish import output_path
from .sources.settings import SiteConfig, find_project, settings_in

if TYPE_CHECKING:
    from .site.build import BuildResult

DEFAULT_SOURCES = Path("sources")
EXIT_OK, EXIT_SOURCE_ERROR, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """An argument parser that raises instead of exiting, so `main` returns the code."""

    def error(self, message: str) -> None:  # type: ignore[override]
        command = self.prog.removeprefix("statusdocs").strip()
        hint = f"statusdocs {command} --help" if command else "statusdocs --help"
        raise StatusdocsError(f"{message} (see '{hint}')")


def build_parser() -> argparse.ArgumentParser:
    """The parser for all subcommands."""
    parser = _Parser(prog="statusdocs", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"statusdocs {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    export = commands.add_parser("export", help="write the normalized model")
    export.add_argument(
        "--format", choices=list(EXPORT_FORMATS), default="json", help="output format"
    )
    export.add_argument(
        "--codes",
        type=_checked(parse_codes),
        metavar="SPEC",
        help="only these codes: 404, a class 4xx, a range 400-429, or a list of them",
    )
    export.add_argument(
        "--sources",
        type=_checked(parse_sources),
        metavar="IDS",
        help="only entries of these source ids (comma-separated)",
    )
    export.add_argument(
        "--columns",
        type=_checked(parse_columns),
        metavar="COLS",
        help=f"table columns, in order, each once, of {','.join(KNOWN_COLUMNS)} (default: "
        f"{','.join(COLUMNS)}); not for json or retry-policy",
    )
    export.add_argument("-o", "--output", type=Path, help="write to FILE instead of stdout")
    check = commands.add_parser("check", help="report problems with the sources")
    check.add_argument(
        "--explain",
        action="store_true",
        help="for every table, why it was read or skipped and what each column was taken for",
    )
    check.add_argument(
        "--guideline",
        metavar="ID",
        action="append",
        help="also hold every service source to the guideline source with this id (repeatable): "
        "each finding is a warning [conformance.<kind>]",
    )
    check.add_argument(
        "--strict",
        action="store_true",
        help="with --guideline: exit 1 when there is any finding",
    )
    build = commands.add_parser("build", help="build the HTML reference site")
    for item in settings_in(SiteConfig, "cli"):
        help = f"{item.help} (default: {item.default} in the project)"
        build.add_argument(str(item.flag), type=Path, help=help)
    serve_parser = commands.add_parser(
        "serve",
        help="build, serve on 127.0.0.1 and rebuild on changes",
        description="Build the site, serve it on http://127.0.0.1:PORT/ and rebuild it, "
        "reloading open pages, whenever a source, template or site file changes. "
        "-v also logs every request. Ctrl-C stops.",
    )
    serve_parser.add_argument(
        "--port", type=_port, default=8000, help="port to listen on (0: any free port)"
    )
    init = commands.add_parser(
        "init", help="start a new project: sources/, site/conf.py, templates/"
    )
    init.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=Path(),
        metavar="DIR",
        help="the project folder, made if missing (default: here); no file in it is overwritten",
    )
    for command in (export, check, build, serve_parser, init):
        command.set_defaults(command_parser=command)
    for command in (export, check, build, serve_parser):
        command.add_argument(
            "--project",
            type=Path,
            help="the project folder (default: found from the working directory); its "
            "[tool.statusdocs] sources are read when no PATH is given",
        )
        command.add_argument(
            "paths",
            nargs="*",
            type=Path,
            metavar="PATH",
            help="source files or folders (default: sources/ with its manifest)",
        )
        command.add_argument(
            "-v", "--verbose", action="store_true", help="also show info diagnostics"
        )
    for command in (build, serve_parser):
        command.add_argument(
            "-q",
            "--quiet",
            action="store_true",
            help="show only problems and the final summary: no progress, no per-source counts",
        )
    return parser


def _parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """The arguments; an unknown one is the error of the subcommand it was given to, so
    the message points to that subcommand's `--help`."""
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        command: argparse.ArgumentParser = getattr(args, "command_parser", parser)
        command.error(f"unrecognized arguments: {' '.join(unknown)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    try:
        args = _parse(build_parser(), argv)
        if args.command == "init":
            return _init(args.folder)
        if args.command == "build":
            return _build(args.paths, args.out, args.project, args.verbose, args.quiet)
        if args.command == "serve":
            return _serve(args.paths, args.port, args.project, args.verbose, args.quiet)
        model = _read(args.paths, args.project)
        if args.command == "export":
            return _export(model, args)
        return _check(model, args.verbose, args.explain, args.guideline or [], args.strict)
    except StatusdocsError as problem:
        print(f"statusdocs: error: {inert(str(problem))}", file=sys.stderr)
        return EXIT_USAGE


def _init(folder: Path) -> int:
    """Write a new project into `folder` and say what was written and what to run next."""
    from .scaffold import init_project

    for path in init_project(folder):
        print(inert(f"created {path.relative_to(folder).as_posix()}"))
    cd = "" if folder == Path() else f"cd {shlex.quote(str(folder))} && "
    print(inert(f"then: {cd}statusdocs build"))
    return EXIT_OK


def _read(paths: list[Path], root: Path | None) -> Model:
    """The model `check` and `export` work on, the project resolved as `build` resolves it.

    With `--project`, or from inside a project, no PATH means the project's
    `[tool.statusdocs] sources` and paths are shown from the project's folder;
    outside any project, no PATH means `sources/` here.
    """
    from .ingest import build_model

    if root is None and paths:
        return build_model(paths)
    try:
        project = find_project(root if root is not None else Path.cwd())
    except StatusdocsError:
        if root is not None:
            raise
        return build_model([DEFAULT_SOURCES])
    return build_model(paths or project.sources, base=project.root)


def _checked(parse: Callable[[str], object]) -> Callable[[str], str]:
    """An option type that checks a filter with `parse`, so a bad one is a usage error."""

    def check(text: str) -> str:
        try:
            parse(text)
        except SelectionError as problem:
            raise argparse.ArgumentTypeError(str(problem)) from problem
        return text

    return check


def _export(model: Model, args: argparse.Namespace) -> int:
    selection = Selection.parse(args.codes, args.sources, args.columns)
    from .formats.table_export import EXPORTERS

    try:
        selection.check_sources(model)
        text = EXPORTERS[args.format](model, selection)
    except SelectionError as problem:
        raise StatusdocsError(f"{problem} (see 'statusdocs export --help')") from problem
    if not selection.entries(model):
        print(inert(f"no entries match {_filters(args)}"), file=sys.stderr)
    output: Path | None = args.output
    verbose: bool = args.verbose
    if output is None:
        sys.stdout.write(text)
    else:
        try:
            output.write_text(text, "utf-8")
        except OSError as exc:
            raise StatusdocsError(f"cannot write {output}: {exc.strerror}") from exc
    _print_diagnostics(model, verbose, sys.stderr)
    _print_counts(model, sys.stderr)
    return _exit_code(model)


def _filters(args: argparse.Namespace) -> str:
    """The filters as given, for a message: `--codes 600 --sources x` (or `the sources`)."""
    given = [
        f"--{name} {shlex.quote(value)}"
        for name in ("codes", "sources")
        if (value := getattr(args, name)) is not None
    ]
    return " ".join(given) or "the sources (they have no entries)"


def _check(
    model: Model,
    verbose: bool,
    explain: bool = False,
    guidelines: Sequence[str] = (),
    strict: bool = False,
) -> int:
    if strict and not guidelines:
        raise StatusdocsError("--strict needs --guideline ID (see 'statusdocs check --help')")
    chosen = [_guideline(model, wanted) for wanted in guidelines]
    if explain:
        _print_decisions(model, sys.stdout)
    _print_diagnostics(model, verbose, sys.stdout)
    findings = 0
    from .analysis.conformance import conformance

    for guideline in chosen:
        for finding in conformance(model, guideline):
            print(inert(finding.format()), file=sys.stdout)
            findings += 1
    _print_counts(model, sys.stderr)
    if chosen:
        names = ", ".join(guideline.id for guideline in chosen)
        print(f"{counted(findings, 'conformance finding')} against {names}", file=sys.stderr)
    code = _exit_code(model)
    return EXIT_SOURCE_ERROR if strict and findings else code


def _guideline(model: Model, wanted: str) -> Source:
    """The source `--guideline` names; it must have the role `guideline`."""
    for source in model.sources:
        if source.id == wanted:
            if source.role != "guideline":
                raise StatusdocsError(
                    f"--guideline {wanted}: that source's role is {source.role!r}; give it "
                    'role = "guideline" in the manifest'
                )
            return source
    known = ", ".join(s.id for s in model.sources if s.role == "guideline") or "none"
    raise StatusdocsError(
        f"--guideline {wanted}: no such source (guidelines: {known}; see 'statusdocs check --help')"
    )


def _print_decisions(model: Model, stream: TextIO) -> None:
    """`path:line: accepted|skipped: evidence`, then one indented line per column."""
    for source in model.sources:
        for decision in source.decisions:
            verdict = "accepted" if decision.accepted else "skipped"
            print(
                inert(f"{source.path}:{decision.line}: {verdict}: {decision.evidence}"), file=stream
            )
            for column in decision.columns:
                print(inert(f"    {column}"), file=stream)


def _build(
    paths: list[Path], out: Path | None, root: Path | None, verbose: bool, quiet: bool = False
) -> int:
    clock = time.perf_counter()
    project = find_project(root)
    target = output_path(out or project.out)
    stored = noop.replay(project, paths, target)
    if stored is not None:  # nothing changed: say again what the last build said
        seconds = time.perf_counter() - clock
        headline = f"site unchanged at {target / 'index.html'} (no input changed; {seconds:.1f} s)"
        _print_report(stored, verbose, headline, quiet)
        return stored.exit
    # Sphinx is loaded only for a build that has something to do.
    from .site.build import BuildFailed, build

    progress = for_stream(sys.stderr, quiet)
    try:
        result = build(project, paths, out, progress)
    except BuildFailed as failure:
        progress.close(failed=True)
        print(f"statusdocs: build failed: {inert(str(failure))}", file=sys.stderr)
        return EXIT_SOURCE_ERROR
    except BaseException:  # a refused output, Ctrl-C: the terminal is given back first
        progress.close(failed=True)
        raise
    written = "written to" if result.published else "unchanged at"
    headline = f"site {written} {result.out / 'index.html'}"
    report = _report_build(result, verbose, headline, quiet)
    return report.exit


def _port(text: str) -> int:
    """A TCP port number for `serve --port`."""
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}")
    return int(text)


def _serve(
    paths: list[Path], port: int, root: Path | None, verbose: bool, quiet: bool = False
) -> int:
    from .site.serve import serve

    project = find_project(root)
    report = functools.partial(_report_build, verbose=verbose, quiet=quiet)
    progress = functools.partial(for_stream, sys.stderr, quiet)
    return serve(project, paths, port, verbose, report, progress)


def _report_build(
    result: BuildResult, verbose: bool, headline: str = "site built", quiet: bool = False
) -> noop.Report:
    """What a build prints: problems, Sphinx's warnings, counts, and the headline with timings."""
    report = noop.report_of(result.model, result.warnings)
    timing = ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in result.seconds.items())
    _print_report(report, verbose, f"{headline} ({timing})", quiet)
    return report


def _print_report(report: noop.Report, verbose: bool, headline: str, quiet: bool = False) -> None:
    """Problems, Sphinx's warnings, the per-source counts (not with `quiet`), the total and
    the headline."""
    for severity, text in report.diagnostics:
        if (verbose and not quiet) or severity != "info":
            print(text, file=sys.stderr)
    counts = report.counts[-1:] if quiet else report.counts
    for line in [*report.warnings, *counts]:
        print(line, file=sys.stderr)
    print(headline, flush=True)


def _print_diagnostics(model: Model, verbose: bool, stream: TextIO) -> None:
    for item in model.diagnostics:
        if verbose or item.severity != "info":
            print(item.format(), file=stream)


def _print_counts(model: Model, stream: TextIO) -> None:
    for line in noop.report_of(model, []).counts:
        print(line, file=stream)


def _exit_code(model: Model) -> int:
    return EXIT_SOURCE_ERROR if any(d.severity == "error" for d in model.diagnostics) else EXIT_OK
