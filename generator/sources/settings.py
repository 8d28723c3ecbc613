"""Where a statusdocs project keeps things, and every setting, declared once.

A project is a folder holding `sources/`, `templates/` and `site/conf.py`.
Commands find it from the working directory upwards (so they work from any
subfolder), or from `--project`.

Each setting is a field of a config dataclass, declared with `setting()`: its
default, the check its values must pass, its help and the places it can be
set, in the style of MyST-Parser's `MdParserConfig`.  From that one
declaration come `[tool.statusdocs]` in pyproject.toml (`SiteConfig`), the
Sphinx extension's `statusdocs_*` config values, the command line's options
(`--out`), the manifest's `[[source]]` keys (`manifest.SourceConfig`) and
README's tables of them, which a test keeps in step (`settings_table`).
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import MISSING, Field, dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

from ..diagnostics import StatusdocsError

_PACKAGE_ROOT = Path(__file__).resolve().parent.parent
# Installed, the templates are package data (statusdocs/templates); in a clone they are
# the repository's templates/ folder, beside the package's source folder.
SHIPPED_TEMPLATES = next(
    (
        folder
        for folder in (_PACKAGE_ROOT / "templates", _PACKAGE_ROOT.parent / "templates")
        if folder.is_dir()
    ),
    _PACKAGE_ROOT / "templates",
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

Place = Literal["pyproject", "conf.py", "cli", "manifest"]
"""Where a setting can be given: `[tool.statusdocs]`, Sphinx's conf.py (as
`statusdocs_<name>`), a command-line option, a manifest `[[source]]` key."""

Check = Callable[[Any], str | None]
"""A setting's validation: what is wrong with a value ("must be a string"), or None."""


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting as its declaration gives it."""

    name: str
    default: object
    types: tuple[type, ...]
    """The Python types a value may have (Sphinx's `add_config_value(types=...)`)."""
    help: str
    check: Check
    places: tuple[Place, ...]
    flag: str | None = None
    """The command-line option that overrides it, e.g. `--out`."""
    required: bool = False

    @property
    def confval(self) -> str:
        """Its name in a Sphinx conf.py."""
        return f"statusdocs_{self.name}"


def setting(
    default: object = MISSING,
    *,
    help: str,
    check: Check,
    types: tuple[type, ...] = (str,),
    places: tuple[Place, ...],
    flag: str | None = None,
    factory: Callable[[], object] | None = None,
) -> Any:
    """A dataclass field declaring a setting (its default, or `factory` for a mutable one)."""
    metadata = {"setting": (types, help, check, places, flag)}
    if factory is not None:
        return field(default_factory=factory, metadata=metadata)
    return field(default=default, metadata=metadata)


def declared(config: type) -> tuple[Setting, ...]:
    """The settings a config dataclass declares, in declaration order."""
    return tuple(_setting(f) for f in fields(config))


def _setting(declaration: Field[Any]) -> Setting:
    types, help, check, places, flag = declaration.metadata["setting"]
    if declaration.default is not MISSING:
        default = declaration.default
    elif declaration.default_factory is not MISSING:
        default = declaration.default_factory()
    else:
        return Setting(declaration.name, None, types, help, check, places, flag, required=True)
    return Setting(declaration.name, default, types, help, check, places, flag)


def settings_in(config: type, place: Place) -> tuple[Setting, ...]:
    """The settings of `config` that can be given at `place`."""
    return tuple(s for s in declared(config) if place in s.places)


# --- checks ---------------------------------------------------------------------------------


def text(value: Any) -> str | None:
    """Any string without control characters."""
    if not isinstance(value, str):
        return "must be a string"
    return "must not hold control characters" if _CONTROL.search(value) else None


def optional_text(value: Any) -> str | None:
    """A string, or nothing."""
    return None if value is None else text(value)


def path(value: Any) -> str | None:
    """A non-empty path."""
    if not isinstance(value, str):
        return "must be a string"
    if _CONTROL.search(value) or not value.strip():
        return "must not be empty or hold control characters"
    return None


def paths(value: Any) -> str | None:
    """A path, or a list of paths (empty for none)."""
    if isinstance(value, list | tuple):
        if all(path(item) is None for item in value):
            return None
        return "must be a path or a list of paths, none empty or with control characters"
    return path(value)


def boolean(value: Any) -> str | None:
    """True or false."""
    return None if isinstance(value, bool) else "must be true or false"


def one_of(choices: Sequence[str]) -> Check:
    """One of a few words."""

    def check(value: Any) -> str | None:
        return None if value in choices else f"must be one of {tuple(choices)}"

    return check


def as_list(value: str | Sequence[str]) -> list[str]:
    """A `paths` setting's value as a list."""
    return [value] if isinstance(value, str) else list(value)


# --- the project ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """The settings of a site: `[tool.statusdocs]`, conf.py and command-line options."""

    title: str = setting(
        "HTTP Status Codes",
        help="the site's title, shown on every page",
        check=text,
        places=("pyproject",),
    )
    sources: str | list[str] = setting(
        "sources",
        help="the folder (or a list of files and folders) of source documents, relative to "
        "the file that sets it",
        check=paths,
        types=(str, list, tuple),
        places=("pyproject", "conf.py"),
    )
    templates: str | None = setting(
        None,
        help="folder of templates overriding the shipped ones (like templates_path)",
        check=path,
        places=("pyproject",),
    )
    out: str = setting(
        "site/_build/html",
        help="where the HTML site is written",
        check=path,
        places=("pyproject", "cli"),
        flag="--out",
    )
    inventory: str = setting(
        "statusdocs",
        help="the `intersphinx_mapping` entry of a published statusdocs site, which "
        "`:status:` and table codes link to (else the RFC section)",
        check=text,
        places=("conf.py",),
    )
    html_tables: bool = setting(
        True,
        help="the site's big tables are written straight to HTML; false makes them docutils "
        "nodes first, as other builders get them (slower; for extensions that change tables)",
        check=boolean,
        types=(bool,),
        places=("conf.py",),
    )


@dataclass(frozen=True, slots=True)
class Project:
    """The folders of one project."""

    root: Path
    config: SiteConfig
    site_dir: Path | None = None
    """The folder of conf.py, when it is not `site/` (a Sphinx build started elsewhere)."""

    @property
    def sources(self) -> list[Path]:
        """The source documents: folders (with their manifests) and files."""
        return [self.root / name for name in as_list(self.config.sources)]

    @property
    def site(self) -> Path:
        """The Sphinx folder: conf.py, hand-written pages, and the pages statusdocs writes."""
        return self.site_dir or self.root / "site"

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
        """Template folders: `[tool.statusdocs] templates`, the project's `templates/`, then
        the shipped ones; a template is taken from the first folder that has it."""
        folders = [self.root / self.config.templates] if self.config.templates else []
        folders.append(self.root / "templates")
        folders.append(SHIPPED_TEMPLATES)
        unique = dict.fromkeys(folder.resolve() for folder in folders if folder.is_dir())
        return list(unique)


def find_project(start: Path | None = None) -> Project:
    """The project containing `start` (default: the working directory)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "site" / "conf.py").is_file():
            return Project(folder, load_config(folder / "pyproject.toml"))
    raise StatusdocsError(
        f"{here}: not in a statusdocs project (no site/conf.py here or above); use --project "
        "DIR, or start one with 'statusdocs init'"
    )


def settings_table(settings: Sequence[Setting], place: Place) -> str:
    """A README table of the settings given at `place`: name, default and what it is for."""
    lines = ["| setting | default | what it is for |", "| --- | --- | --- |"]
    for item in settings:
        name = item.confval if place == "conf.py" else item.name
        default = "none" if item.default is None else f"`{json.dumps(item.default)}`"
        default = "required" if item.required else default
        overridden = f" (`{item.flag}` overrides it)" if item.flag and place != "cli" else ""
        lines.append(f"| `{name}` | {default} | {item.help}{overridden} |")
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
    known = {item.name: item for item in settings_in(SiteConfig, "pyproject")}
    for key, value in table.items():
        where = _where(path, text, key)
        if key not in known:
            raise StatusdocsError(
                f"{where}: [tool.statusdocs] has unknown key {key!r} (known: {', '.join(known)})"
            )
        if problem := known[key].check(value):
            raise StatusdocsError(f"{where}: [tool.statusdocs] {key} {problem}")
    return SiteConfig(**table)


def _where(path: Path, text: str, key: str) -> str:
    """`path:line` of the first line that sets `key` (the file alone when none does)."""
    match = re.search(rf"^[ \t]*(?:[\w.\"]*\.)?\"?{re.escape(key)}\"?\s*[=\]]", text, re.MULTILINE)
    return f"{path}:{text.count(chr(10), 0, match.start()) + 1}" if match else str(path)
