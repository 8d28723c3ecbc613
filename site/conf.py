"""Sphinx configuration of the statusdocs site; every default lives in the statusdocs package.

Build with `statusdocs build` (or `sphinx-build site site/_build/html`); the
site extension renders the pages from `../sources` into this folder first.
"""

project = "HTTP Status Codes"
extensions = ["statusdocs.site"]
