"""Synthetic source documents for benchmarks: N status-code documents in the five reader shapes.

Document i documents `rows` distinct registered codes (a subset and order drawn
from `random.Random(seed * 1_000_003 + i)`) and cycles through the shapes the
readers accept: a Markdown pipe table, an HTML `<table>` with `<thead>`, a
reStructuredText grid table, a reStructuredText `list-table` and a plain-text
bullet list like sources/kubernetes-api-conventions-blog-copy.txt.  Names are
the registered phrase, Go-style (`StatusNotFound`) or without spaces
(`NotFound`); every description names its document ("Service 17 returns this
when ..."), and some rows carry a suggested action.  The same (count, rows,
seed) always gives the same bytes.

    .venv/bin/python benchmarks/synthetic.py FOLDER [--count 100] [--rows 40] [--check]

`--check` runs `statusdocs check FOLDER` and fails unless every file is read
with 0 errors, 0 warnings and exactly `rows` entries.
"""

from __future__ import annotations

import argparse
import csv
import html
import random
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = ROOT / "generator" / "data" / "http-status-codes.csv"

RETRY = "Retry with exponential backoff."
NO_RETRY = "Do not retry. Fix the request."
RETRYABLE = frozenset({408, 425, 429, 500, 502, 503, 504})

# The word `edit_one` swaps: the same length, so a grid table stays aligned.
EDIT_WORDS = ("returns this when", "answers this when")

_THINGS = ("widget", "invoice", "order", "profile", "bucket", "report", "token", "tenant")
_SITUATIONS = {
    1: ("the upload of a large {thing} may go on", "the {thing} stream changes protocol"),
    2: ("the {thing} request completed", "the {thing} was stored", "the {thing} list is ready"),
    3: ("the {thing} moved to another address", "the cached {thing} is still current"),
    4: (
        "the {thing} request is malformed",
        "the caller may not change the {thing}",
        "the {thing} does not exist",
        "the {thing} was changed by someone else first",
    ),
    5: ("the {thing} backend fails", "the {thing} store is overloaded"),
}
_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]+")


@dataclass(frozen=True, slots=True)
class Row:
    """One documented code in a synthetic document."""

    code: int
    name: str
    """As the document writes it: "Not Found", "StatusNotFound" or "NotFound"."""
    description: str
    action: str | None


def registered_phrases() -> dict[int, str]:
    """Every registered code with a usable phrase ("Switch Proxy" for "(Unused)" 306)."""
    with REGISTRY.open(encoding="utf-8", newline="") as stream:
        table = list(csv.DictReader(stream))
    phrases = {}
    for entry in table:
        phrase = entry["phrase"]
        if phrase.startswith("("):
            phrase = entry["former_phrases"].split("|")[0]
        phrases[int(entry["code"])] = phrase.removesuffix(" (OBSOLETED)")
    return phrases


def _spelling(phrase: str, rng: random.Random) -> str:
    words = [word[0].upper() + word[1:] for word in _NOT_ALNUM.split(phrase) if word]
    style = rng.choices(("phrase", "go", "joined"), weights=(3, 2, 1))[0]
    if style == "go":
        return "Status" + "".join(words)
    return "".join(words) if style == "joined" else phrase


def _action(code: int, rng: random.Random) -> str | None:
    if code < 400 or rng.random() < 0.5:
        return None
    retry = code in RETRYABLE
    if rng.random() < 0.1:  # sources sometimes disagree; the conflicts page should have work
        retry = not retry
    return RETRY if retry else NO_RETRY


def document_rows(number: int, rows: int, seed: int = 0) -> list[Row]:
    """The rows of document `number`: `rows` distinct codes, in a per-document order."""
    rng = random.Random(seed * 1_000_003 + number)
    phrases = registered_phrases()
    codes = rng.sample(sorted(phrases), min(rows, len(phrases)))
    result = []
    for code in codes:
        situation = rng.choice(_SITUATIONS[code // 100]).format(thing=rng.choice(_THINGS))
        description = f"Service {number} {EDIT_WORDS[0]} {situation}."
        if code in (429, 503) and rng.random() < 0.5:
            description += " Clients should honour the Retry-After header."
        elif rng.random() < 0.15:
            description += f" Compare {rng.choice(codes)}."
        result.append(Row(code, _spelling(phrases[code], rng), description, _action(code, rng)))
    return result


def _title(number: int) -> str:
    return f"Service {number}: HTTP status codes"


def _intro(number: int) -> str:
    return f"The status codes the API of service {number} returns, and what clients should do."


def markdown_pipe(number: int, rows: list[Row]) -> str:
    """A Markdown document with one pipe table."""
    lines = [f"# {_title(number)}", "", _intro(number), ""]
    lines += ["| Code | Name | Description | Action |", "| --- | --- | --- | --- |"]
    lines += [f"| {r.code} | {r.name} | {r.description} | {r.action or ''} |" for r in rows]
    return "\n".join(lines) + "\n"


def html_thead(number: int, rows: list[Row]) -> str:
    """An HTML page with one `<table>` whose header is a `<thead>`."""
    head = "".join(f"<th>{h}</th>" for h in ("Status", "Reason", "Description", "Suggested action"))
    body = [
        "<tr>"
        + "".join(
            f"<td>{html.escape(str(cell))}</td>"
            for cell in (r.code, r.name, r.description, r.action or "")
        )
        + "</tr>"
        for r in rows
    ]
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            f'<head><meta charset="utf-8"><title>{_title(number)}</title></head>',
            "<body>",
            f"<h1>{_title(number)}</h1>",
            f"<p>{_intro(number)}</p>",
            "<table>",
            f"<thead><tr>{head}</tr></thead>",
            "<tbody>",
            *body,
            "</tbody>",
            "</table>",
            "</body>",
            "</html>",
            "",
        ]
    )


def _rst_heading(number: int) -> list[str]:
    title = _title(number)
    return [title, "=" * len(title), "", _intro(number), ""]


def rst_grid(number: int, rows: list[Row]) -> str:
    """A reStructuredText document with one grid table in a `table` directive."""
    header = ("Status Code", "Message Title", "Description", "Suggested Action")
    cells = [header] + [(str(r.code), r.name, r.description, r.action or "") for r in rows]
    widths = [max(len(row[column]) for row in cells) for column in range(len(header))]

    def rule(fill: str) -> str:
        return "   +" + "+".join(fill * (width + 2) for width in widths) + "+"

    def line(row: tuple[str, ...]) -> str:
        padded = (f" {cell:<{width}} " for cell, width in zip(row, widths, strict=True))
        return "   |" + "|".join(padded) + "|"

    lines = [*_rst_heading(number), ".. table:: **Table 1** Status codes", "", rule("-")]
    lines += [line(header), rule("=")]
    for row in cells[1:]:
        lines += [line(row), rule("-")]
    return "\n".join(lines) + "\n"


def rst_list_table(number: int, rows: list[Row]) -> str:
    """A reStructuredText document with one `list-table`."""
    lines = [*_rst_heading(number), ".. list-table:: Status codes", "   :header-rows: 1", ""]
    for cells in [("Code", "Name", "Meaning", "Recovery")] + [
        (str(r.code), r.name, r.description, r.action or "") for r in rows
    ]:
        first, *rest = cells
        lines.append(f"   * - {first}")
        lines += [f"     - {cell}".rstrip() for cell in rest]
    return "\n".join(lines) + "\n"


def text_bullets(number: int, rows: list[Row]) -> str:
    """A plain-text copy of a web page: top-level bullets with nested description and advice."""
    lines = [_title(number), "", _intro(number), ""]
    for r in rows:
        lines += [f"  • {r.code} {r.name}", f"    • {r.description}"]
        if r.action:
            lines += ["    • Suggested action:", f"      • {r.action}"]
    return "\n".join(lines) + "\n"


SHAPES: tuple[tuple[str, str, Callable[[int, list[Row]], str]], ...] = (
    ("pipe", ".md", markdown_pipe),
    ("thead", ".html", html_thead),
    ("grid", ".rst", rst_grid),
    ("list-table", ".rst", rst_list_table),
    ("bullets", ".txt", text_bullets),
)
"""The five reader shapes, in the order documents cycle through them: (label, suffix, writer)."""


def generate(folder: Path, count: int, rows: int = 40, seed: int = 0) -> list[Path]:
    """Write `count` synthetic documents into `folder`; returns their paths in order."""
    folder.mkdir(parents=True, exist_ok=True)
    width = max(4, len(str(count)))
    paths = []
    for number in range(1, count + 1):
        label, suffix, write = SHAPES[(number - 1) % len(SHAPES)]
        path = folder / f"service-{number:0{width}d}-{label}{suffix}"
        path.write_text(write(number, document_rows(number, rows, seed)), "utf-8")
        paths.append(path)
    return paths


def swap_words(path: Path, old: str, new: str) -> None:
    """Swap `old` for `new` (or back, on a second call) on the first line holding either."""
    lines = path.read_text("utf-8").splitlines(keepends=True)
    for index, line in enumerate(lines):
        if old in line or new in line:
            lines[index] = line.replace(old, new, 1) if old in line else line.replace(new, old, 1)
            path.write_text("".join(lines), "utf-8")
            return
    raise ValueError(f"{path}: neither {old!r} nor {new!r} occurs")


def edit_one(folder: Path) -> Path:
    """Change one description in one generated document (the middle one); returns its path."""
    documents = sorted(folder.glob("service-*"))
    if not documents:
        raise ValueError(f"{folder}: no synthetic documents")
    path = documents[len(documents) // 2]
    swap_words(path, *EDIT_WORDS)
    return path


_COUNT_LINE = re.compile(r"^(.+): (\d+) entries \[")
_TOTAL_LINE = re.compile(r"(\d+) errors, (\d+) warnings$")


def check(folder: Path, rows: int) -> list[str]:
    """Problems `statusdocs check` finds in the generated folder; empty when all is clean."""
    done = subprocess.run(
        [sys.executable, "-m", "statusdocs", "check", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    problems = [line for line in done.stdout.splitlines() if line.strip()]
    counts = [_COUNT_LINE.match(line) for line in done.stderr.splitlines()]
    expected = min(rows, len(registered_phrases()))
    problems += [
        f"{match[1]}: {match[2]} entries, expected {expected}"
        for match in counts
        if match and int(match[2]) != expected
    ]
    total = _TOTAL_LINE.search(done.stderr.strip())
    if done.returncode != 0 or total is None or total.groups() != ("0", "0"):
        problems.append(f"exit {done.returncode}: {done.stderr.strip().splitlines()[-1:]}")
    documents = len(list(folder.glob("service-*")))
    if sum(match is not None for match in counts) != documents:
        problems.append(f"check reported counts for fewer than {documents} documents")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Generate documents into a folder, and optionally check them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--count", type=int, default=100, help="documents to write (100)")
    parser.add_argument("--rows", type=int, default=40, help="codes per document (40)")
    parser.add_argument("--seed", type=int, default=0, help="varies every document (0)")
    parser.add_argument("--check", action="store_true", help="run statusdocs check on them")
    args = parser.parse_args(argv)
    paths = generate(args.folder, args.count, args.rows, args.seed)
    print(f"wrote {len(paths)} documents to {args.folder}")
    if not args.check:
        return 0
    problems = check(args.folder, args.rows)
    for problem in problems:
        print(problem, file=sys.stderr)
    print("check: " + ("FAILED" if problems else "every document clean, all rows read"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
