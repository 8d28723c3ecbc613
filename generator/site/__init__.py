"""The reference site: pages from templates, the Sphinx build, publishing and serving.

`extensions = ["statusdocs.site"]` in a conf.py makes a Sphinx project the
statusdocs site (`statusdocs.site.extension`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    """The Sphinx extension entry point (imported late: the package is also used without it)."""
    from .extension import setup as setup_site

    return setup_site(app)
