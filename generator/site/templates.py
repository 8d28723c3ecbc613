"""The one Jinja environment that turns the model into reStructuredText pages.

Safe by default: `finalize` escapes every `{{ value }}` unless it is `Rst`
(markup the filters below built from escaped pieces), so a template cannot
forget to escape source text.  Source text is data to Jinja, never template
code, so `{{ 7*7 }}` in a source stays those characters.  Templates are
looked up in the user's override folder first, then in the shipped
`templates/`, the way Sphinx's `templates_path` works.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
from docutils.utils import column_width

from ..labels import code_label, counted, row_label, source_label
from ..richtext import RichText, visible
from . import celldata, filters, rst
from .rst import Linker, Rst


def environment(template_dirs: Sequence[Path], linker: Linker | None = None) -> jinja2.Environment:
    """The environment with the escaping finalizer and the markup filters registered."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in template_dirs]),
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        autoescape=False,  # HTML escaping is wrong for RST; `_finalize` escapes for RST
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        rich=lambda text: rst.blocks(text, linker) if text else Rst(""),
        line=lambda text: rst.line(_plain(text), linker),
        heading=heading,
        ref=rst.ref,
        label=rst.label,
        literal=rst.literal,
        code=rst.inline_literal,
        link=rst.link,
        span=rst.span,
        row_link=filters.row_link,
        row_links=filters.row_links,
        row_place=filters.row_place,
        table=celldata.directive,
        # Jinja's own `indent` and `e`/`escape` know only HTML and plain strings: these
        # keep a user template's `{{ x|rich|indent(7) }}` or `{{ x|e }}` right for RST.
        indent=rst.indent,
        escape=rst.escape,
        e=rst.escape,
    )
    # The site's labels, made in one place: `code_label(404)` is `status-404`.
    env.globals.update(code_label=code_label, source_label=source_label, row_label=row_label)
    # `{{ counted(n, "code") }}`: "1 code", "2 codes".
    env.globals["counted"] = counted
    return env


def render(env: jinja2.Environment, name: str, context: Mapping[str, Any]) -> str:
    """Render one template to text."""
    return env.get_template(name).render(context)


def _finalize(value: object) -> str:
    if isinstance(value, Rst):
        return value
    if value is None:
        return ""
    return rst.escape(value)


def _plain(text: RichText | str | None) -> str:
    if isinstance(text, RichText):
        return text.plain
    return text or ""


def heading(text: object, underline: str = "=") -> Rst:
    """A section title with an underline as wide as the escaped title shows.

    Width is docutils' own measure (`column_width`: a CJK character or an
    emoji takes two columns), so titles in any script are titles.  A title
    with nothing visible in it is shown as "(untitled)".
    """
    title = text if isinstance(text, Rst) else rst.escape(visible(str(text)) or "(untitled)")
    return Rst(f"{title}\n{underline * max(column_width(title), 1)}")
