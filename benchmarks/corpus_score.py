"""Score the readers on the development corpus in tests/corpus: recall, precision, names.

Each document of `tests/corpus/corpus.toml` lists the HTTP status-code rows a
careful reader finds in it.  This reads every document with statusdocs and
prints, per document and in all, how many expected codes were found (recall),
how many found codes were expected (precision) and how many names are as the
document writes them.  Negative controls expect no code at all.

    .venv/bin/python benchmarks/corpus_score.py [--only WORD] [--misses]
"""

from __future__ import annotations

import argparse
import sys
import time
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from statusdocs.ingest import build_model  # noqa: E402

CORPUS = ROOT / "tests" / "corpus"


@dataclass
class Score:
    """The figures of one document."""

    file: str
    expected: int
    found: int
    hits: int
    names_right: int
    seconds: float
    misses: list[str]

    @property
    def recall(self) -> float:
        return self.hits / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.hits / self.found if self.found else 1.0


def score(doc: dict[str, object]) -> Score:
    """Read one corpus document and compare its entries with what it should give."""
    path = CORPUS / str(doc["file"])
    clock = time.perf_counter()
    model = build_model([path], base=CORPUS)
    seconds = time.perf_counter() - clock
    found = [(code.code, entry) for code in model.codes for entry in code.entries]
    found.sort(key=lambda pair: pair[1].line)
    rows: list[dict[str, object]] = doc["expected"]  # type: ignore[assignment]
    expected = [(int(str(row["code"])), str(row["name"])) for row in rows]
    wanted = Counter(code for code, _ in expected)
    got = Counter(code for code, _ in found)
    hits = sum((wanted & got).values())
    names: dict[int, list[str]] = {}
    for code, entry in found:
        names.setdefault(code, []).append(" ".join((entry.name or "").split()))
    right = 0
    misses = []
    for code, name in expected:
        given = names.get(code, [])
        if " ".join(name.split()) in given:
            right += 1
            given.remove(" ".join(name.split()))
        else:
            misses.append(f"{code} {name!r} -> {given[:1]}")
    for code in sorted((got - wanted).elements()):
        misses.append(f"{code} not expected")
    return Score(str(doc["file"]), len(expected), len(found), hits, right, seconds, misses)


def main(argv: list[str] | None = None) -> int:
    """Print the table of figures; exit 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="only documents whose file name contains this")
    parser.add_argument("--misses", action="store_true", help="list each missed row")
    args = parser.parse_args(argv)
    docs = tomllib.loads((CORPUS / "corpus.toml").read_text("utf-8"))["doc"]
    scores = [score(doc) for doc in docs if not args.only or args.only in doc["file"]]
    print(f"{'document':58} {'exp':>4} {'found':>5} {'recall':>6} {'prec':>6} {'names':>6}")
    for item in scores:
        names = item.names_right / item.expected if item.expected else 1.0
        print(
            f"{item.file[:58]:58} {item.expected:4} {item.found:5} {item.recall:6.2f} "
            f"{item.precision:6.2f} {names:6.2f}"
        )
        if args.misses:
            for miss in item.misses:
                print(f"    {miss}")
    expected = sum(s.expected for s in scores)
    found = sum(s.found for s in scores)
    hits = sum(s.hits for s in scores)
    right = sum(s.names_right for s in scores)
    print(
        f"\n{len(scores)} documents, {expected} expected rows: "
        f"recall {hits / max(expected, 1):.3f}, "
        f"precision {hits / max(found, 1):.3f}, names {right / max(expected, 1):.3f}, "
        f"slowest {max(s.seconds for s in scores):.2f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
