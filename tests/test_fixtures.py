"""Fixture files pair an input table with the model it must give.

`tests/fixtures/cases/NAME.EXT` is read on its own and its JSON export must
equal `NAME.json` beside it: adding a case is adding those two files.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, assert_snapshot, model_data

CASES = sorted(p for p in (FIXTURES / "cases").iterdir() if p.suffix != ".json")


@pytest.mark.parametrize("source", CASES, ids=lambda p: p.name)
def test_case_gives_expected_model(source: Path) -> None:
    data = model_data(source, base=source.parent)
    assert data["codes"], "a case must produce entries"
    assert_snapshot(data, source.with_suffix(".json"))


def _entries(path: Path) -> list[tuple[int, str | None, str | None, str | None, str | None]]:
    data = model_data(path, base=path.parent)
    assert not [d for d in data["diagnostics"] if d["severity"] != "info"]
    return [
        (code["code"], e["name"], e["description"], e["action"], e["context"])
        for code in data["codes"]
        for e in code["entries"]
    ]


def test_same_table_in_every_format_gives_the_same_model() -> None:
    same = FIXTURES / "same"
    expected = [
        (200, "OK", "The widget was returned.", None, "Status codes"),
        (404, "Not Found", "No widget has that id.", "Do not retry.", "Status codes"),
        (
            429,
            "Too Many Requests",
            "Slow down; see RFC 6585.",
            "Wait for Retry-After.",
            "Status codes",
        ),
    ]
    for name in ("table.md", "table.html", "table.rst", "table.txt"):
        assert _entries(same / name) == expected, name


def test_markup_formats_give_identical_rich_text() -> None:
    from statusdocs.ingest import build_model

    def rich(name: str) -> list[object]:
        model = build_model([FIXTURES / "same" / name], base=FIXTURES)
        return [(e.code, e.name, e.description, e.action) for c in model.codes for e in c.entries]

    assert rich("table.md") == rich("table.html") == rich("table.rst")


NEGATIVES = sorted((FIXTURES / "negative").iterdir())


@pytest.mark.parametrize("source", NEGATIVES, ids=lambda p: p.name)
def test_tables_that_are_not_status_tables_are_skipped(source: Path) -> None:
    """Numbers that are not HTTP codes (application codes, job states, prices) give no entry."""
    data = model_data(source, base=source.parent)
    assert data["codes"] == []
    [skipped] = [d for d in data["diagnostics"] if d["type"] == "table.skipped"]
    reason = skipped["message"]
    if "error-codes" in source.name:
        assert reason == "table skipped: most codes are not registered HTTP codes (0 of 4)"
    elif source.name in ("sip-codes.md", "smtp-replies.rst"):
        protocol = "SIP" if "sip" in source.name else "SMTP"
        assert reason.endswith(f"names another protocol ({protocol})")
    elif "lead-in" in source.name:
        assert (
            "-3 the lead-in 'The SDK returns these application error codes:' speaks of an "
            "application's own codes" in reason
        )
    elif "job-states" in source.name:
        assert "-4 names look like application identifiers ('SCHEDULED')" in reason
    else:
        assert "-2 column 2 holds only numbers or amounts" in reason


def test_manifest_columns_apply_to_the_tables_they_fit(tmp_path: Path) -> None:
    """One table's override leaves the other tables of the file to detection."""
    (tmp_path / "two.md").write_text(
        "## Status codes\n\n| Code | Name |\n|---|---|\n| 200 | OK |\n| 404 | Not Found |\n\n"
        "## Errors\n\n| Kind | Text | Number |\n|---|---|---|\n| client | Gone | 410 |\n"
        "| client | Teapot | 418 |\n| server | Down | 503 |\n",
        "utf-8",
    )
    (tmp_path / "manifest.toml").write_text(
        '[[source]]\nfile = "two.md"\n'
        "tables = [{ index = 2, columns = { code = 3, name = 2, description = 1 } }]\n",
        "utf-8",
    )
    data = model_data(tmp_path, base=tmp_path)
    rows = [(c["code"], e["name"], e["description"]) for c in data["codes"] for e in c["entries"]]
    assert rows == [
        (200, "OK", None),
        (404, "Not Found", None),
        (410, "Gone", "client"),
        (418, "Teapot", "client"),
        (503, "Down", "server"),
    ]
    assert [d for d in data["diagnostics"] if d["severity"] != "info"] == []


def test_a_retry_column_is_retry_advice() -> None:
    from statusdocs.analysis.conflicts import advice
    from statusdocs.ingest import build_model

    model = build_model([FIXTURES / "cases" / "retry-column-md.md"], base=FIXTURES)
    said = {code.code: advice(code.entries[0]) for code in model.codes}
    assert said == {400: "no-retry", 408: "retry", 429: "retry", 503: "retry"}


def test_advice_says_where_it_was_read(tmp_path: Path) -> None:
    from statusdocs.analysis.conflicts import Reading, reading
    from statusdocs.ingest import build_model

    (tmp_path / "api.md").write_text(
        "| Code | Description | Action |\n|---|---|---|\n"
        "| 429 | Too many requests; the response carries a Retry-After header. | |\n"
        "| 503 | Down for maintenance. | Retry after the Retry-After delay. |\n"
        "| 502 | The upstream failed; clients may try again later. | |\n"
        "| 400 | Malformed. | Fix the request; do not retry it as it is. |\n",
        "utf-8",
    )
    model = build_model([tmp_path / "api.md"], base=tmp_path)
    found = {code.code: reading(code.entries[0]) for code in model.codes}
    assert found == {
        400: Reading("fix the request", inferred=False, sentence="Fix the request"),
        429: None,  # only names the Retry-After header
        502: Reading("retry", inferred=True, sentence="clients may try again later."),
        503: Reading(
            "retry after the Retry-After delay",
            inferred=False,
            sentence="Retry after the Retry-After delay.",
        ),
    }
    sides = [found_at.advice for code in (400, 502, 503) if (found_at := found[code])]
    assert sides == ["no-retry", "retry", "retry"]


def test_manifest_columns_past_a_tables_width_are_not_used(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        "| Code | Name |\n|---|---|\n| 200 | OK |\n| 404 | Not Found |\n"
    )
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "README.md").write_text("| Code | Name |\n|---|---|\n| 500 | Oops |\n")
    (tmp_path / "manifest.toml").write_text(
        '[[source]]\nfile = "a.md"\ntables = [{ index = 1, columns = { code = 9 } }]\n'
    )
    data = model_data(tmp_path, base=tmp_path)
    assert [s["path"] for s in data["sources"]] == ["a.md"]  # no README, at any depth
    assert [(c["code"], c["entries"][0]["name"]) for c in data["codes"]] == [
        (200, "OK"),
        (404, "Not Found"),
    ]
    assert [d["message"] for d in data["diagnostics"]] == [
        "the manifest's columns do not fit this table (2 columns); its columns were detected"
    ]


def test_a_column_of_dashes_is_not_a_retry_column(tmp_path: Path) -> None:
    # As openapi-generator writes "Response headers" for a response that has none.
    (tmp_path / "ops.md").write_text(
        "| Status code | Description | Response headers |\n|---|---|---|\n"
        "| **200** | Workflow template response | - |\n"
        "| **404** | Invalid resource identifier | - |\n",
        "utf-8",
    )
    data = model_data(tmp_path, base=tmp_path)
    entries = [e for c in data["codes"] for e in c["entries"]]
    assert [(e["retryable"], e["extra"]) for e in entries] == [
        (None, {"Response headers": "-"}),
        (None, {"Response headers": "-"}),
    ]
