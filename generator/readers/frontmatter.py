"""Front matter and attribute lists in Markdown: metadata, never content.

Static-site generators put YAML (`---`) or TOML (`+++`) front matter at the top
of a page; its `title` is the page's title, and the rest is not text of the
page.  kramdown's attribute lists (`{: .external}`, `{:target="_blank"}`) on
lines of their own style the block above them.  Both are blanked line for line
before parsing, so every later line keeps its number.
"""

from __future__ import annotations

import re
import tomllib

import yaml

_FENCES = {"---": "yaml", "+++": "toml"}
_ATTRIBUTE_LIST = re.compile(r"^[ \t]*\{:[^}\n]*\}[ \t]*$", re.MULTILINE)
# Front matter longer than this is not front matter (a `---` rule far down the page).
_MAX_LINES = 200


def strip_front_matter(text: str) -> tuple[str, str | None]:
    """The text with its front matter and attribute-list lines blanked, and the `title`."""
    title = None
    lines = text.split("\n")
    kind = _FENCES.get(lines[0].strip()) if lines else None
    if kind is not None:
        end = next(
            (
                n
                for n in range(1, min(len(lines), _MAX_LINES))
                if lines[n].strip() == lines[0].strip()
            ),
            None,
        )
        if end is not None:
            title = _title("\n".join(lines[1:end]), kind)
            lines[: end + 1] = [""] * (end + 1)
    return _ATTRIBUTE_LIST.sub("", "\n".join(lines)), title


def _title(block: str, kind: str) -> str | None:
    try:
        data = yaml.safe_load(block) if kind == "yaml" else tomllib.loads(block)
    except (yaml.YAMLError, tomllib.TOMLDecodeError, RecursionError, ValueError):
        return None
    title = data.get("title") if isinstance(data, dict) else None
    return " ".join(title.split()) if isinstance(title, str) and title.strip() else None
