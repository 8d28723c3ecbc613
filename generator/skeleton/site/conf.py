"""Sphinx configuration of this statusdocs site; every default lives in the statusdocs package.

Build with `statusdocs build` (or `sphinx-build site site/_build/html`); see the README of
statusdocs for what can be set here.
"""

project = "HTTP Status Codes"
extensions = ["statusdocs.site"]
