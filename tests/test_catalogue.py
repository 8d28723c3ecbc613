"""The diagnostics catalogue: declared once, documented from itself, and complete."""

from __future__ import annotations

import re

import pytest

from statusdocs.diagnostics import CATALOGUE, Diagnostics, catalogue_table

from conftest import ROOT

START = (
    "<!-- Generated from statusdocs.diagnostics.CATALOGUE: "
    "`python -m statusdocs.diagnostics`. -->\n"
)
END = "<!-- End of the generated table. -->\n"
# A diagnostic type as the code writes it: "row.invalid-code", f"{kind}.too-deep" aside.
_TYPE = re.compile(r'"((?:source|row|table|cell|manifest|rst|markdown|html|text)\.[a-z-]+)"')
_FILE_NAMES = {"manifest.toml"}


def test_readme_table_is_generated_from_the_catalogue() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert START in readme and END in readme
    shown = readme.split(START, 1)[1].split(END, 1)[0]
    assert shown == catalogue_table()


def test_every_type_the_code_reports_is_in_the_catalogue() -> None:
    written = {
        found
        for path in (ROOT / "generator").rglob("*.py")
        for found in _TYPE.findall(path.read_text("utf-8"))
    }
    written -= _FILE_NAMES
    assert written - set(CATALOGUE) == set()
    assert set(CATALOGUE) - written == set()


def test_catalogue_rows_name_real_severities() -> None:
    for name, kind in CATALOGUE.items():
        assert kind.severities, name
        assert set(kind.severities) <= {"error", "warning", "info"}, name
        assert kind.when and "\n" not in kind.when, name


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_a_type_reported_with_its_declared_severity_is_accepted(name: str) -> None:
    sink = Diagnostics()
    severity = CATALOGUE[name].severities[0]
    sink.report("x.md", 1, severity, name, "message")
    assert sink.items[0].format() == f"x.md:1: {severity}: message [{name}]"
