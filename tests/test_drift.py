"""Mirror drift: a copy's rows against its original's, and finding copies nobody declared."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from statusdocs.analysis.drift import (
    MAX_DIFF_WORDS,
    Drift,
    DriftError,
    WordChange,
    drift,
    shared_text,
    suggest_copies,
)
from statusdocs.analysis.merge import merge
from statusdocs.ingest import build_model
from statusdocs.model import Entry, Model, Source
from statusdocs.registry import lookup
from statusdocs.richtext import from_plain

from conftest import ROOT, SOURCES

BLOG = "kubernetes-api-conventions-blog-copy"
K8S = "kubernetes-api-conventions"
HEADER = "| Code | Name | Description | Action |\n|---|---|---|---|\n"
"""The tables of the hand-made sources: rows start on line 3."""


@pytest.fixture(scope="module")
def real() -> Model:
    """The model of the real sources, paths as `sources/...`."""
    return build_model([SOURCES], base=ROOT)


def _sources(tmp_path: Path, **tables: str) -> Model:
    """A model of one Markdown table per keyword: the file `<name>.md` holds its rows."""
    for name, rows in tables.items():
        (tmp_path / f"{name}.md").write_text(HEADER + rows, "utf-8")
    model = build_model([tmp_path], base=tmp_path)
    # Read cleanly; notes on copies and mirrors are tested below.
    assert [d for d in model.diagnostics if not d.type.startswith("mirror.")] == []
    return model


# The real blog copy: the same sixteen rows, one of them reworded.


def test_the_blog_copy_differs_from_the_original_in_one_rows_action(real: Model) -> None:
    found = drift(real, BLOG, K8S)
    assert (found.mirror, found.original) == (BLOG, K8S)
    assert (found.missing, found.extra, found.same) == ([], [], 15)
    assert [row.code for row in found.changed] == [409]
    row = found.changed[0]
    assert (row.original.line, row.copy.line) == (85, 49)
    assert row.name is None  # both write StatusConflict
    assert row.description == []
    # "...status response section below on how..." and "(including ResourceVersion)"; the
    # copy nests "Either change the identifier..." under "If creating a new resource:",
    # which the original writes on the same line: layout, not wording.
    assert row.action == [
        WordChange("added", "", "section below"),
        WordChange("changed", "resourceVersion).", "ResourceVersion)."),
    ]


def test_the_blog_copys_findings(real: Model) -> None:
    assert drift(real, BLOG, K8S).findings() == [
        (
            "sources/kubernetes-api-conventions-blog-copy.txt",
            49,
            "wording",
            "wording differs in the action: added 'section below'; "
            "'resourceVersion).' → 'ResourceVersion).'",
        )
    ]


def test_the_other_way_round_the_words_are_removed(real: Model) -> None:
    found = drift(real, K8S, BLOG)
    assert [(row.code, row.action) for row in found.changed] == [
        (
            409,
            [
                WordChange("removed", "section below", ""),
                WordChange("changed", "ResourceVersion).", "resourceVersion)."),
            ],
        )
    ]
    assert found.findings() == [
        (
            "sources/kubernetes-api-conventions.md",
            85,
            "wording",
            "wording differs in the action: removed 'section below'; "
            "'ResourceVersion).' → 'resourceVersion).'",
        )
    ]


def test_the_blog_copy_is_the_only_suggested_copy(real: Model) -> None:
    assert suggest_copies(real) == [(BLOG, K8S, 1.0)]
    assert shared_text(real, K8S, BLOG) == 1.0
    # One row in sixteen: both say 410 Gone as RFC 2616 words it (a ratio of 0.85).
    assert shared_text(real, K8S, "huaweicloud-apig-status-codes") == 1 / 16


def test_an_unknown_source_is_an_error(real: Model) -> None:
    with pytest.raises(DriftError, match="no source has the id 'nope'"):
        drift(real, "nope", K8S)
    with pytest.raises(DriftError, match="no source has the id 'nope'"):
        shared_text(real, K8S, "nope")


# Hand-made sources.


def test_rows_missing_on_either_side(tmp_path: Path) -> None:
    model = _sources(
        tmp_path,
        original="| 200 | OK | Fine. | |\n| 404 | Not Found | Gone. | |\n"
        "| 500 | Oops | Broke. | |\n",
        copy="| 200 | OK | Fine. | |\n| 500 | Oops | Broke. | |\n| 503 | Later | Busy. | |\n",
    )
    found = drift(model, "copy", "original")
    assert [(e.source, e.code, e.line) for e in found.missing] == [("original", 404, 4)]
    assert [(e.source, e.code, e.line) for e in found.extra] == [("copy", 503, 5)]
    assert (found.changed, found.same) == ([], 2)
    assert found.findings() == [
        ("original.md", 4, "missing", "missing in the copy: 404 Not Found (original.md:4)"),
        ("copy.md", 5, "extra", "extra in the copy: 503 Later (not in original.md)"),
    ]


def test_a_renamed_code_and_a_name_left_out(tmp_path: Path) -> None:
    model = _sources(
        tmp_path,
        original="| 404 | Not Found | Gone. | |\n| 410 | Gone | Gone for good. | |\n",
        copy="| 404 | NotFound | Gone. | |\n| 410 |  | Gone for good. | |\n",
    )
    found = drift(model, "copy", "original")
    assert [(row.code, row.name, row.description) for row in found.changed] == [
        (404, ("Not Found", "NotFound"), []),
        (410, ("Gone", None), []),
    ]
    assert found.findings() == [
        ("copy.md", 3, "name", "name differs: original 'Not Found', copy 'NotFound'"),
        ("copy.md", 4, "name", "name differs: original 'Gone', copy (none)"),
    ]


def test_added_removed_and_changed_words(tmp_path: Path) -> None:
    model = _sources(
        tmp_path,
        original="| 404 | Not Found | The resource does not exist. | Check it with care. |\n"
        "| 409 | Conflict | a b c d e f g h | |\n",
        copy="| 404 | Not Found | The requested resource does not exist. | Check it using care. |\n"
        "| 409 | Conflict | a B c D e F g H i | |\n",
    )
    found = drift(model, "copy", "original")
    first, second = found.changed
    assert (first.description, first.action) == (
        [WordChange("added", "", "requested")],
        [WordChange("changed", "with", "using")],
    )
    assert second.description == [
        WordChange("changed", "b", "B"),
        WordChange("changed", "d", "D"),
        WordChange("changed", "f", "F"),
        WordChange("changed", "h", "H i"),
    ]
    assert found.findings() == [
        ("copy.md", 3, "wording", "wording differs in the description: added 'requested'"),
        ("copy.md", 3, "wording", "wording differs in the action: 'with' → 'using'"),
        (
            "copy.md",
            4,
            "wording",
            "wording differs in the description: 'b' → 'B'; 'd' → 'D'; 'f' → 'F'; and 1 more",
        ),
    ]


def test_identical_sources_have_no_findings(tmp_path: Path) -> None:
    rows = "| 200 | OK | Fine. | |\n| 404 | Not Found | Gone. | Fix the request. |\n"
    model = _sources(
        tmp_path,
        original=rows + "| 429 | Too Many | Slow down, **now**. | |\n",
        copy=rows + "| 429 | Too Many | Slow  down,   now. | |\n",  # spacing and bold only
    )
    found = drift(model, "copy", "original")
    assert found == Drift("copy", "original", [], [], [], 3, "original.md", "copy.md")
    assert found.findings() == []


def test_several_rows_of_one_code_pair_in_order(tmp_path: Path) -> None:
    model = _sources(
        tmp_path,
        original="| 400 | Bad Request | Bad header. | |\n| 400 | Bad Request | Bad body. | |\n"
        "| 400 | Bad Request | Bad query. | |\n",
        copy="| 400 | Bad Request | Bad header. | |\n| 400 | Bad Request | Bad payload. | |\n",
    )
    found = drift(model, "copy", "original")
    assert found.same == 1
    assert [(row.original.line, row.copy.line, row.description) for row in found.changed] == [
        (4, 4, [WordChange("changed", "body.", "payload.")])
    ]
    assert [e.line for e in found.missing] == [5]
    assert found.findings() == [
        ("copy.md", 4, "wording", "wording differs in the description: 'body.' → 'payload.'"),
        ("original.md", 5, "missing", "missing in the copy: 400 Bad Request (original.md:5)"),
    ]


def test_suggest_copies_names_the_smaller_source_the_copy(tmp_path: Path) -> None:
    model = _sources(
        tmp_path,
        # Sorts first but has more rows: the original.
        full="| 200 | OK | It worked as expected. | |\n| 404 | Not Found | It is not there. | |\n"
        "| 500 | Error | The server broke down. | |\n",
        part="| 200 | OK | It worked as we expected. | |\n"
        "| 404 | Not Found | It is not there. | |\n",
        other="| 200 | OK | Success. | |\n| 404 | Not Found | No such thing. | |\n",
    )
    # "It worked as we expected." against "It worked as expected.": a ratio of 2*4/9 = 0.89.
    assert [source.id for source in model.sources] == ["full", "other", "part"]
    assert shared_text(model, "full", "part") == 1.0
    assert shared_text(model, "part", "other") == 0.0
    assert suggest_copies(model) == [("part", "full", 1.0)]
    assert [d.format() for d in model.diagnostics] == [
        "part.md: info: looks like a copy of full (100% of its rows say the same); mark it "
        'role = "mirror", of = "full" in the manifest to see how it drifted [mirror.suggested]'
    ]


def test_a_declared_mirror_is_compared_and_not_suggested(tmp_path: Path) -> None:
    (tmp_path / "manifest.toml").write_text(
        '[[source]]\nfile = "part.md"\nrole = "mirror"\nof = "full"\n', "utf-8"
    )
    model = _sources(
        tmp_path,
        full="| 200 | OK | It worked as expected. | |\n| 404 | Not Found | It is not there. | |\n",
        part="| 200 | OK | It worked as we expected. | |\n",
    )
    # The manifest's files come first, in its order.
    assert [(s.id, s.role, s.mirror_of) for s in model.sources] == [
        ("part", "mirror", "full"),
        ("full", "service", None),
    ]
    assert [d.format() for d in model.diagnostics] == [
        "part.md:3: info: wording differs in the description: added 'we' [mirror.wording]",
        "full.md:4: info: missing in the copy: 404 Not Found (full.md:4) [mirror.missing]",
    ]


def test_equal_sized_copies_the_later_source_is_the_copy(tmp_path: Path) -> None:
    rows = "| 200 | OK | The request worked. | |\n| 404 | Not Found | It is not there. | |\n"
    model = _sources(tmp_path, first=rows, second=rows.replace("not there", "missing"))
    assert shared_text(model, "first", "second") == 0.5
    assert suggest_copies(model) == []
    assert suggest_copies(model, threshold=0.5) == [("second", "first", 0.5)]


# Bounded work.


def test_a_two_thousand_row_pair_is_compared_quickly(tmp_path: Path) -> None:
    codes = [code for code in range(100, 600) if lookup(code)]
    row = "| {code} | Name {i} | Row {i} was handled in the {how} way. | Retry {i}. |\n"
    original = copy = ""
    for i in range(2000):
        code = codes[i % len(codes)]
        original += row.format(code=code, i=i, how="usual")
        copy += row.format(code=code, i=i, how="normal" if i % 2 else "usual")
    model = _sources(tmp_path, original=original, copy=copy)
    start = time.perf_counter()
    found = drift(model, "copy", "original")
    findings = found.findings()
    suggested = suggest_copies(model)
    elapsed = time.perf_counter() - start
    assert elapsed < 0.5
    assert (found.same, len(found.changed), len(findings)) == (1000, 1000, 1000)
    # Code 100's rows come first: rows 0, 63, 126, ...; row 63 is the first to differ.
    assert findings[0] == (
        "copy.md",
        66,
        "wording",
        "wording differs in the description: 'usual' → 'normal'",
    )
    # As many rows on both sides: the later source (original.md sorts last) is taken for
    # the copy, as nothing else tells them apart.
    assert suggested == [("original", "copy", 1.0)]


def _pathological(words: int, rows: int) -> Model:
    """Two sources whose every row has `words` periodic words, arranged differently: what
    difflib matches most slowly (1,000 of them take over a second)."""
    original = " ".join((["a"] * 4 + ["b"]) * (words // 5))
    copy = " ".join((["a"] * 3 + ["b"]) * (words // 4))
    entries = [
        Entry(sid, 404, None, from_plain(text), from_plain(""), None, line)
        for sid, text in (("original", original), ("copy", copy))
        for line in range(1, rows + 1)
    ]
    sources = [Source(sid, sid, f"{sid}.md", "markdown") for sid in ("original", "copy")]
    return Model(sources, merge(entries), [])


def test_long_differing_cells_are_one_change() -> None:
    model = _pathological(2000, 3)
    start = time.perf_counter()
    found = drift(model, "copy", "original")
    assert time.perf_counter() - start < 0.2
    change = found.changed[0].description
    assert [(c.kind, len(c.original.split()), len(c.copy.split())) for c in change] == [
        ("changed", 1993, 1993)  # past the shared "a a a" at the start and "a a a b" at the end
    ]
    assert found.findings()[0][3] == (
        "wording differs in the description: "
        "'a b a a a a b a a a a b a a a a b a a a a b a a a a b a a a…' → "
        "'b a a a b a a a b a a a b a a a b a a a b a a a b a a a b a…'"
    )


def test_many_hard_cells_stop_at_the_work_limit() -> None:
    model = _pathological(MAX_DIFF_WORDS, 300)
    start = time.perf_counter()
    found = drift(model, "copy", "original")
    assert time.perf_counter() - start < 2
    diffed = [row for row in found.changed if len(row.description) > 1]
    # 1,000,000 word pairs of difflib at 193 × 193 each; the rest are one change a row.
    assert (len(diffed), len(found.changed)) == (26, 300)


def test_a_service_in_its_guidelines_words_is_no_copy(tmp_path: Path) -> None:
    (tmp_path / "manifest.toml").write_text(
        '[[source]]\nfile = "house.md"\nrole = "guideline"\n', "utf-8"
    )
    rows = "| 200 | OK | It worked as expected. | |\n| 404 | Not Found | It is not there. | |\n"
    model = _sources(tmp_path, house=rows, svc=rows)
    assert suggest_copies(model) == [("svc", "house", 1.0)]  # alike, and
    assert not [d for d in model.diagnostics if d.type == "mirror.suggested"]  # not said


def test_the_copy_note_names_the_manifest_keys_as_written(tmp_path: Path) -> None:
    from statusdocs.site.mentions import Mentions
    from statusdocs.site.pages import render_pages
    from statusdocs.site.templates import environment
    from statusdocs.sources.settings import SHIPPED_TEMPLATES

    rows = "| 200 | OK | It worked as expected. | |\n| 404 | Not Found | It is not there. | |\n"
    model = _sources(tmp_path, **{"my-api": rows + "| 500 | Oops | Broken. | |\n", "copy": rows})
    mentions = Mentions(code.code for code in model.codes)
    pages = render_pages(model, environment([SHIPPED_TEMPLATES], mentions), "T", mentions)
    note = pages["sources/copy.rst"]
    assert note is not None
    assert '``role = "mirror"`` and ``of = "my-api"`` in' in note  # no backslashes in code
