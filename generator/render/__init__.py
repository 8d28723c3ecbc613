"""Rendering the model into a Sphinx project: safe markup, Jinja templates, page files."""
