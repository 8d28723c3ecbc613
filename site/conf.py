"""Sphinx configuration of the statusdocs site.

`statusdocs build` renders the pages into `generated/` (Sphinx's source
folder) and runs Sphinx with this folder as the configuration directory; the
site title comes from `[tool.statusdocs] title` through `confoverrides`.
"""

project = "HTTP Status Codes"
author = "statusdocs"
extensions = ["myst_parser", "statusdocs.site.directives"]
root_doc = "index"
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
# The model as JSON (statusdocs.json, codes/<code>.json), copied into the site as is.
exclude_patterns = ["_extra"]
html_extra_path = ["generated/_extra"]
# Source text is shown as written: no curly quotes or dashes substituted into it.
smartquotes = False

# Roles the generated pages use to mark names and advice; classes styled in statusdocs.css.
rst_prolog = """
.. role:: sd-differs
.. role:: sd-variant
.. role:: sd-former
.. role:: sd-absent
.. role:: sd-retry
.. role:: sd-no-retry
.. role:: sd-error
.. role:: sd-warning
.. role:: sd-info
"""

html_theme = "furo"
html_title = project
html_static_path = ["_static"]
html_css_files = ["statusdocs.css"]
html_copy_source = False
html_show_sourcelink = False
html_theme_options = {
    "navigation_with_keys": True,
}
