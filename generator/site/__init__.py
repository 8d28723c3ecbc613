"""The reference site: pages from templates, the Sphinx build, publishing and serving."""
