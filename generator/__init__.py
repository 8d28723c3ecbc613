"""statusdocs: one cross-referenced reference site from scattered HTTP status-code tables."""

__version__ = "0.1.0"
