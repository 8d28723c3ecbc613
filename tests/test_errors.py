"""Bad input: each file in tests/fixtures/errors gives exactly the diagnostics listed here.

The other sources read beside a bad one come through untouched, and every
row of every source is either an entry or named in a diagnostic.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from statusdocs import ingest, readers
from statusdocs.cli import main
from statusdocs.diagnostics import Reporter
from statusdocs.readers import Document, Parsed

from conftest import FIXTURES, SOURCES, model_data

EXPECTED = {
    "empty.md": ["empty.md: error: file is empty [source.empty]"],
    "binary.txt": ["binary.txt: error: file is not text (it contains NUL bytes) [source.binary]"],
    "latin1.md": [
        "latin1.md:5: warning: file is not UTF-8 (invalid byte 0xe9); read as cp1252 "
        "[source.encoding]"
    ],
    "latin1-short.md": [
        "latin1-short.md:3: warning: file is not UTF-8 (invalid byte 0xea); read as cp1252 "
        "[source.encoding]"
    ],
    "mojibake.md": [
        "mojibake.md:3: warning: repaired mis-decoded text: 'clientâ€™s' -> 'client’s' "
        "[source.mojibake]"
    ],
    "no-table.md": [
        "no-table.md:5: info: table skipped: no column of HTTP status codes [table.skipped]",
        "no-table.md: warning: no HTTP status-code table found [source.no-table]",
    ],
    "malformed-grid.rst": ["malformed-grid.rst:8: error: Malformed table. [rst.syntax]"],
    "no-code-first-row.rst": [
        "no-code-first-row.rst:4: error: row has no status code; row skipped [row.no-code]"
    ],
    "bad-codes.md": [
        "bad-codes.md:6: error: '600' is not a valid HTTP status code (100-599); row skipped "
        "[row.invalid-code]",
        "bad-codes.md:7: error: 'abc' is not a valid HTTP status code (100-599); row skipped "
        "[row.invalid-code]",
        "bad-codes.md:8: warning: '4xx' is a class of status codes, not one code; row skipped "
        "[row.code-class]",
        "bad-codes.md:9: warning: '500-511' is a range of status codes, not one code; "
        "row skipped [row.code-range]",
        "bad-codes.md:10: warning: 299 is not a registered HTTP status code; kept as written "
        "[row.unregistered-code]",
        "bad-codes.md:13: warning: code 404 appears twice in this table with the same text (also "
        "at line 12); both rows kept [row.duplicate-code]",
    ],
    "conflict-marker.md": [
        "conflict-marker.md:6: warning: unresolved merge-conflict marker '<<<<<<< HEAD'; the "
        "rows of both sides are read [row.conflict-marker]",
        "conflict-marker.md:8: warning: unresolved merge-conflict marker '======='; the rows of "
        "both sides are read [row.conflict-marker]",
    ],
    "delimiter-row.md": [
        "delimiter-row.md:4: warning: the delimiter row has 2 cells for 3 header cells, so "
        "Markdown shows the table as text; read as a table [markdown.delimiter-row]"
    ],
    "indented-list.md": [
        "indented-list.md:2: warning: a list or table indented as a code block (4 spaces or "
        "more) is read as a list [markdown.indented-list]"
    ],
    "indented-code-sample.md": [
        # A code sample whose lines start "- " is code, not a misindented list of codes.
        "indented-code-sample.md: warning: no HTTP status-code table found [source.no-table]"
    ],
    "utf16-odd-bytes.md": [
        "utf16-odd-bytes.md:4: warning: invalid UTF-16 (truncated data at byte 94); replaced "
        "with U+FFFD [source.encoding]",
        "utf16-odd-bytes.md:4: error: '\ufffd' is not a valid HTTP status code (100-599); row "
        "skipped [row.invalid-code]",
    ],
    "utf16-lone-surrogate.md": [
        "utf16-lone-surrogate.md:4: warning: invalid UTF-16 (illegal UTF-16 surrogate at byte "
        "120); replaced with U+FFFD [source.encoding]"
    ],
}
EXIT_CODES = {
    "latin1.md": 0,
    "latin1-short.md": 0,
    "mojibake.md": 0,
    "no-table.md": 0,
    "utf16-lone-surrogate.md": 0,
    "conflict-marker.md": 0,
    "delimiter-row.md": 0,
    "indented-list.md": 0,
    "indented-code-sample.md": 0,
}


def test_every_error_fixture_is_listed() -> None:
    assert sorted(p.name for p in (FIXTURES / "errors").iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_diagnostics_are_exact(
    name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(FIXTURES / "errors")
    status = main(["check", "--verbose", name])
    assert capsys.readouterr().out.splitlines() == EXPECTED[name]
    assert status == EXIT_CODES.get(name, 1)


def test_rows_of_bad_utf16_are_kept() -> None:
    data = model_data(FIXTURES / "errors" / "utf16-lone-surrogate.md", FIXTURES / "errors")
    rows = [(c["code"], e["name"], e["description"]) for c in data["codes"] for e in c["entries"]]
    # The replacement character is kept, after the phrase it follows.
    assert rows == [(404, "Not Found", None), (410, "Gone", "\ufffd")]


def test_a_file_over_the_size_limit_is_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 1000)
    (tmp_path / "big.md").write_text("| Code | Name |\n|---|---|\n" + "| 404 | Not Found |\n" * 60)
    (tmp_path / "small.md").write_text("| Code | Name |\n|---|---|\n| 200 | OK |\n")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "."]) == 1
    out, err = capsys.readouterr()
    assert out == (
        "big.md: error: file is 1,226 bytes, over the limit of 1,000; not read [source.too-large]\n"
    )
    assert "small.md: 1 entry [small]" in err


def test_a_reader_failure_is_one_diagnostic_and_the_rest_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(document: Document, report: Reporter) -> Parsed:
        raise KeyError("cell")

    monkeypatch.setitem(readers._READERS, "html", broken)
    (tmp_path / "a.html").write_text("<table><tr><td>200</td></tr></table>")
    (tmp_path / "b.md").write_text("| Code | Name |\n|---|---|\n| 200 | OK |\n")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "."]) == 1
    out, err = capsys.readouterr()
    assert out == (
        "a.html: error: statusdocs failed on this file (KeyError: 'cell'); file skipped. "
        "Please report this with the file. [source.internal-error]\n"
    )
    assert "b.md: 1 entry [b]" in err


def test_kept_rows_of_a_bad_table() -> None:
    data = model_data(FIXTURES / "errors" / "bad-codes.md", FIXTURES / "errors")
    kept = [(c["code"], e["description"], e["line"]) for c in data["codes"] for e in c["entries"]]
    assert kept == [
        (200, "Fine.", 5),
        (299, "Valid but unregistered.", 10),
        (404, "First description.", 11),
        (404, "Second description.", 12),
        (404, "Second description.", 13),
    ]
    assert [c["phrase"] for c in data["codes"]] == ["OK", None, "Not Found"]


def test_encoding_is_detected_and_text_kept() -> None:
    data = model_data(FIXTURES / "errors" / "latin1.md", FIXTURES / "errors")
    assert [e["description"] for c in data["codes"] for e in c["entries"]] == [
        "Réponse correcte.",
        "Ressource inconnue, pièce à vérifier.",
    ]


def test_short_latin1_text_makes_real_words() -> None:
    data = model_data(FIXTURES / "errors" / "latin1-short.md", FIXTURES / "errors")
    assert [e["description"] for c in data["codes"] for e in c["entries"]] == [
        "Requête invalide.",
        "Rien à cette adresse.",
        "Erreur du serveur.",
    ]


def test_malformed_table_does_not_hide_the_next_one() -> None:
    data = model_data(FIXTURES / "errors" / "malformed-grid.rst", FIXTURES / "errors")
    assert [(c["code"], c["entries"][0]["line"]) for c in data["codes"]] == [(201, 15)]


def test_bad_sources_beside_good_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every bad file at once next to the real sources: the real ones come through whole."""
    shutil.copytree(SOURCES, tmp_path / "sources")
    for bad in (FIXTURES / "errors").iterdir():
        shutil.copy(bad, tmp_path / "sources" / bad.name)
    good = model_data(SOURCES, SOURCES.parent)
    mixed = model_data(tmp_path / "sources", tmp_path)
    good_ids = {s["id"] for s in good["sources"]}
    mixed_good = [e for c in mixed["codes"] for e in c["entries"] if e["source"] in good_ids]
    assert mixed_good == [e for c in good["codes"] for e in c["entries"]]
    assert main(["check", str(tmp_path / "sources")]) == 1
    capsys.readouterr()
