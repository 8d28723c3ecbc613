"""Where a statusdocs project keeps things, and its settings in `[tool.statusdocs]`.

A project is a folder holding `sources/`, `templates/` and `site/conf.py`.
Commands find it from the working directory upwards (so they work from any
subfolder), or from `--project`; settings come from the `[tool.statusdocs]`
table of its `pyproject.toml`, each declared once in `SiteConfig`.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from ..diagnostics import StatusdocsError

_PACKAGE_ROOT = Path(__file__).resolve().parent.parent
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting, declared once: where it is set, its default, the types it takes, its help.

    `[tool.statusdocs]` keys come from `SiteConfig`'s fields, the Sphinx extension's
    `statusdocs_*` config values from `SPHINX_SETTINGS`; README's tables of both are
    generated from these declarations (`settings_table`) and a test keeps them in step.
    """

    name: str
    default: object
    types: tuple[type, ...]
    help: str


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """The settings of a project, as `[tool.statusdocs]` in pyproject.toml gives them."""

    title: str = field(
        default="HTTP Status Codes", metadata={"help": "the site's title, shown on every page"}
    )
    sources: str = field(
        default="sources", metadata={"help": "folder of source documents, relative to the project"}
    )
    templates: str | None = field(
        default=None,
        metadata={"help": "folder of templates overriding the shipped ones (like templates_path)"},
    )
    out: str = field(
        default="site/_build/html",
        metadata={"help": "where the HTML site is written (`build --out` overrides it)"},
    )


@dataclass(frozen=True, slots=True)
class Project:
    """The folders of one project."""

    root: Path
    config: SiteConfig

    @property
    def sources(self) -> Path:
        """The source documents."""
        return self.root / self.config.sources

    @property
    def site(self) -> Path:
        """The Sphinx configuration folder (`conf.py`, static files, hand-written pages)."""
        return self.root / "site"

    @property
    def generated(self) -> Path:
        """Where rendered pages go: Sphinx's source folder, ignored by git."""
        return self.site / "generated"

    @property
    def build_dir(self) -> Path:
        """Sphinx's working files (doctrees, environment)."""
        return self.site / "_build"

    @property
    def out(self) -> Path:
        """The HTML site."""
        return self.root / self.config.out

    @property
    def template_dirs(self) -> list[Path]:
        """Template folders, the user's overrides first, then the shipped defaults."""
        shipped = self.root / "templates"
        if not shipped.is_dir():
            shipped = _PACKAGE_ROOT / "templates"
        user = [self.root / self.config.templates] if self.config.templates else []
        return [*user, shipped]


def find_project(start: Path | None = None) -> Project:
    """The project containing `start` (default: the working directory)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "site" / "conf.py").is_file():
            return Project(folder, load_config(folder / "pyproject.toml"))
    # Run from elsewhere, an editable install still builds the project it lives in.
    if start is None and (_PACKAGE_ROOT / "site" / "conf.py").is_file():
        return Project(_PACKAGE_ROOT, load_config(_PACKAGE_ROOT / "pyproject.toml"))
    raise StatusdocsError(
        f"{here}: not in a statusdocs project (no site/conf.py here or above); use --project DIR"
    )


def project_settings() -> list[Setting]:
    """The `[tool.statusdocs]` keys, as `SiteConfig` declares them."""
    return [Setting(f.name, f.default, (str,), str(f.metadata["help"])) for f in fields(SiteConfig)]


SPHINX_SETTINGS = (
    Setting(
        "statusdocs_sources",
        ["sources"],
        (str, list, tuple),
        "files or folders of source documents, relative to conf.py",
    ),
    Setting(
        "statusdocs_inventory",
        "statusdocs",
        (str,),
        "the `intersphinx_mapping` entry of a published statusdocs site, which `:status:` and "
        "table codes link to (else the RFC section)",
    ),
)
"""The Sphinx extension's configuration values (`conf.py`)."""


def settings_table(settings: list[Setting] | tuple[Setting, ...]) -> str:
    """A README table of settings: name, default and what it is for."""
    lines = ["| setting | default | what it is for |", "| --- | --- | --- |"]
    for setting in settings:
        default = "none" if setting.default is None else f"`{json.dumps(setting.default)}`"
        lines.append(f"| `{setting.name}` | {default} | {setting.help} |")
    return "\n".join(lines) + "\n"


def load_config(path: Path) -> SiteConfig:
    """The `[tool.statusdocs]` settings in `path`; defaults where it is missing.

    A bad setting is a `StatusdocsError` naming the file, the line and the key.
    """
    if not path.is_file():
        return SiteConfig()
    try:
        text = path.read_text("utf-8")
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise StatusdocsError(f"{path}: not valid TOML: {exc}") from exc
    except RecursionError as exc:
        raise StatusdocsError(f"{path}: not valid TOML: nested too deeply") from exc
    except OSError as exc:
        raise StatusdocsError(f"{path}: cannot read: {exc.strerror}") from exc
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise StatusdocsError(f"{_where(path, text, 'tool')}: 'tool' must be a table")
    table = tool.get("statusdocs", {})
    if not isinstance(table, dict):
        where = _where(path, text, "statusdocs")
        raise StatusdocsError(f"{where}: [tool.statusdocs] must be a table")
    known = {f.name for f in fields(SiteConfig)}
    for key, value in table.items():
        where = _where(path, text, key)
        if key not in known:
            raise StatusdocsError(
                f"{where}: [tool.statusdocs] has unknown key {key!r} (known: {', '.join(known)})"
            )
        if not isinstance(value, str):
            raise StatusdocsError(f"{where}: [tool.statusdocs] {key} must be a string")
        if _CONTROL.search(value) or (key != "title" and not value.strip()):
            raise StatusdocsError(
                f"{where}: [tool.statusdocs] {key} must not be empty or hold control characters"
            )
    return SiteConfig(**table)


def _where(path: Path, text: str, key: str) -> str:
    """`path:line` of the first line that sets `key` (the file alone when none does)."""
    match = re.search(rf"^[ \t]*(?:[\w.\"]*\.)?\"?{re.escape(key)}\"?\s*[=\]]", text, re.MULTILINE)
    return f"{path}:{text.count(chr(10), 0, match.start()) + 1}" if match else str(path)
