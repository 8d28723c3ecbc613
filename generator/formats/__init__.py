"""The model written out: the JSON export and the table exports (CSV, Markdown, RST, HTML)."""

EXPORT_FORMATS = ("json", "csv", "markdown", "rst", "html", "retry-policy")
"""`statusdocs export --format` values, named here so the command line needs no exporter
loaded to offer them (`table_export.EXPORTERS` has one writer each)."""
