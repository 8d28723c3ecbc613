"""The model written out: the JSON export and the table exports (CSV, Markdown, RST, HTML)."""
