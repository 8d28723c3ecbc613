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
# A Markdown table's delimiter row: `| --- | --- |`.
_PIPE_DELIMITER = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*\|", re.MULTILINE)
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
            block = "\n".join(lines[1:end])
            title = _title(block, kind)
            lines[: end + 1] = [""] * (end + 1)
            if kind == "yaml":
                for line, content in _markdown_fields(block):
                    # Line `line` of the block is line `line + 1` of the file.
                    room = end - (line + 1)
                    if 0 < len(content) <= room:
                        lines[line + 1 : line + 1 + len(content)] = content
    return _ATTRIBUTE_LIST.sub("", "\n".join(lines)), title


def _markdown_fields(block: str) -> list[tuple[int, list[str]]]:
    """Block scalars of YAML front matter that hold Markdown tables, with their lines.

    Some site templates keep a page's content in its front matter
    (`content_markdown: >-` followed by the page's Markdown); a table there is
    on the page.  Each value is returned with the line after its key, to be
    put back there: a folded value never takes more lines than its source.
    """
    try:
        root = yaml.compose(block, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError, ValueError):
        return []
    found: list[tuple[int, list[str]]] = []
    stack: list[yaml.Node] = [root] if root is not None else []
    seen: set[int] = set()  # an alias shares its node, and an anchor may hold itself
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend(value for _, value in node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif (
            isinstance(node, yaml.ScalarNode)
            and node.style in ("|", ">")
            and _PIPE_DELIMITER.search(node.value)
        ):
            found.append((node.start_mark.line + 1, node.value.split("\n")))
    return found


def _title(block: str, kind: str) -> str | None:
    try:
        data = yaml.safe_load(block) if kind == "yaml" else tomllib.loads(block)
    except (yaml.YAMLError, tomllib.TOMLDecodeError, RecursionError, ValueError):
        return None
    title = data.get("title") if isinstance(data, dict) else None
    return " ".join(title.split()) if isinstance(title, str) and title.strip() else None
