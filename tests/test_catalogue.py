"""The diagnostics and settings catalogues: declared once, documented from themselves."""

from __future__ import annotations

import re
from typing import cast, get_args

import pytest
from sphinx.application import Sphinx

from statusdocs.analysis.drift import FindingKind
from statusdocs.cli import main
from statusdocs.diagnostics import CATALOGUE, catalogue_table
from statusdocs.sources.manifest import SourceConfig
from statusdocs.sources.settings import Place, SiteConfig, settings_in, settings_table
from statusdocs.sphinx_ext import setup

from conftest import ROOT

START = (
    "<!-- Generated from statusdocs.diagnostics.CATALOGUE: "
    "`python -m statusdocs.diagnostics`. -->\n"
)
END = "<!-- End of the generated table. -->\n"
# A diagnostic type as the code writes it: "row.invalid-code", f"{kind}.too-deep" aside.
_TYPE = re.compile(r'"((?:source|row|table|cell|manifest|mirror|rst|markdown|html|text)\.[a-z-]+)"')
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
    # A mirror's differences are reported as f"mirror.{kind}", one type per kind of drift.
    written |= {f"mirror.{kind}" for kind in get_args(FindingKind)}
    assert written - set(CATALOGUE) == set()
    assert set(CATALOGUE) - written == set()


def test_catalogue_rows_name_real_severities() -> None:
    for name, kind in CATALOGUE.items():
        assert kind.severities, name
        assert set(kind.severities) <= {"error", "warning", "info"}, name
        assert kind.when and "\n" not in kind.when, name


# A report with its severity written out: `report.warning(line, "row.duplicate-code", …)`,
# `diagnostics.report(path, None, "warning", "source.duplicate-title", …)`, `limits.once(…)`.
_REPORTED = re.compile(
    r'\.(?P<method>error|warning|info|once|too_deep)\(\s*[^,()]+(?:\([^()]*\))?,\s*"(?P<type>[a-z]+\.[a-z-]+)"'
    r'|\.report\(\s*[^,]+,\s*[^,]+,\s*"(?P<severity>error|warning|info)",\s*"(?P<rtype>[a-z]+\.[a-z-]+)"'
)


def test_every_report_uses_a_severity_its_type_declares() -> None:
    found = []
    for path in (ROOT / "generator").rglob("*.py"):
        for match in _REPORTED.finditer(path.read_text("utf-8")):
            if match["method"]:
                severity = "error" if match["method"] in ("once", "too_deep") else match["method"]
                found.append((match["type"], severity))
            else:
                found.append((match["rtype"], match["severity"]))
    assert len(found) > 40  # the pattern still sees the reports
    wrong = [(name, sev) for name, sev in found if sev not in CATALOGUE[name].severities]
    assert wrong == []


@pytest.mark.parametrize(
    ("marker", "config", "place"),
    [
        ("pyproject", SiteConfig, "pyproject"),
        ("conf.py", SiteConfig, "conf.py"),
        ("manifest", SourceConfig, "manifest"),
    ],
)
def test_readme_settings_tables_are_generated_from_the_declarations(
    marker: str, config: type, place: Place
) -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    start = f"<!-- Settings in {marker}, generated from their declarations. -->\n"
    shown = readme.split(start, 1)[1].split("<!-- End of the generated settings table. -->", 1)[0]
    assert shown == settings_table(settings_in(config, place), place)


def test_the_sphinx_extension_registers_exactly_the_declared_settings() -> None:
    registered: list[tuple[str, object]] = []

    class Recorder:
        def add_config_value(self, name: str, default: object, *_: object, **__: object) -> None:
            registered.append((name, default))

        def __getattr__(self, _: str) -> object:
            return lambda *args, **kwargs: None

    setup(cast(Sphinx, Recorder()))
    assert registered == [
        ("statusdocs_sources", "sources"),
        ("statusdocs_inventory", "statusdocs"),
        ("statusdocs_html_tables", True),
    ]


def test_the_command_line_options_come_from_the_declarations(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert (
        "--out OUT where the HTML site is written (default: site/_build/html in the project)"
        in shown
    )


def test_settings_are_checked_by_their_declaration() -> None:
    sources = next(s for s in settings_in(SiteConfig, "pyproject") if s.name == "sources")
    assert sources.check(["sources", "more/api.md"]) is None
    assert sources.check([]) is None
    assert sources.check(["api.md", ""]) == (
        "must be a path or a list of paths, none empty or with control characters"
    )
    assert sources.check(5) == "must be a string"
    form = next(s for s in settings_in(SourceConfig, "manifest") if s.name == "format")
    assert form.check("docx") == "must be one of ('markdown', 'html', 'rst', 'text')"
