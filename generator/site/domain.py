"""Status codes as Sphinx objects: the `statusdocs` domain.

Each code page declares its code (`404`, shown as "404 Not Found") and every
name a source gives it (`StatusNotFound`, `NotFound`) as objects of this
domain, so Sphinx's search finds a code by its number, which its word index
drops, and by any of its names, ranking the code page first; `objects.inv`
carries them as `statusdocs:code` and `statusdocs:name` entries beside the
`std:label`s other projects already link to; and `:statusdocs:code:`404``
links to a code page.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from docutils import nodes
from docutils.nodes import Element
from sphinx.addnodes import pending_xref
from sphinx.builders import Builder
from sphinx.domains import Domain, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.util.nodes import make_refnode

# Sphinx's search ranks objects by priority: 0 first, 1 as usual.
CODE_PRIORITY, NAME_PRIORITY = 0, 1


class StatusDomain(Domain):
    """HTTP status codes and the names sources give them."""

    name = "statusdocs"
    label = "HTTP"  # search shows "HTTP status code", "HTTP status code name"
    object_types = {  # noqa: RUF012 (Sphinx's own class attribute)
        "code": ObjType("status code", "code"),
        "name": ObjType("status code name", "code"),
    }
    roles = {"code": XRefRole()}  # noqa: RUF012
    initial_data = {"objects": {}}  # noqa: RUF012
    """objects: {(type, name, docname): (anchor, shown)}."""

    @property
    def objects(self) -> dict[tuple[str, str, str], tuple[str, str]]:
        return self.data.setdefault("objects", {})  # type: ignore[no-any-return]

    def note(self, kind: str, name: str, shown: str, docname: str, anchor: str) -> None:
        """Declare one object of this domain on page `docname`, at `anchor`."""
        self.objects[(kind, name, docname)] = (anchor, shown)

    def clear_doc(self, docname: str) -> None:
        for key in [key for key in self.objects if key[2] == docname]:
            del self.objects[key]

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        wanted = set(docnames)
        for key, value in otherdata["objects"].items():
            if key[2] in wanted:
                self.objects[key] = value

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for (kind, name, docname), (anchor, shown) in sorted(self.objects.items()):
            priority = CODE_PRIORITY if kind == "code" else NAME_PRIORITY
            yield name, shown, kind, docname, anchor, priority

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> nodes.reference | None:
        for (kind, name, docname), (anchor, shown) in self.objects.items():
            if kind == "code" and name == target.strip():
                return make_refnode(builder, fromdocname, docname, anchor, contnode, shown)
        return None

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> list[tuple[str, nodes.reference]]:
        found = self.resolve_xref(env, fromdocname, builder, "code", target, node, contnode)
        return [("statusdocs:code", found)] if found is not None else []
