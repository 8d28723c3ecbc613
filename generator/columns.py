"""The columns of the model, declared once.

A source's column plays one of the `ROLES` (`statusdocs.tables.roles` decides
which); header words can name the first five (`HeaderRole`), and a manifest's
`columns` can place the four text roles (`PLACEABLE`).  A table of entries, as
`export --columns` and the `status-table` directive show it, has the
`COLUMNS`.  Every column and role has one `TITLES` entry, its heading
wherever statusdocs writes one.
"""

from __future__ import annotations

from typing import Literal, get_args

Role = Literal["code", "name", "description", "action", "retry", "group"]
ROLES: tuple[Role, ...] = get_args(Role)
"""What a column of a source can be, besides an extra column kept under its header."""

HeaderRole = Literal["code", "name", "description", "action", "retry"]
"""The roles a header's words can name (a group column is known only by its cells)."""

PLACEABLE: tuple[Role, ...] = ("code", "name", "description", "action")
"""The roles a manifest's `columns = {...}` can place by column number."""

Column = Literal["code", "phrase", "source", "name", "description", "action", "source_title"]
KNOWN_COLUMNS: tuple[Column, ...] = get_args(Column)
"""The columns a table of entries can show: `source` is a source's id, as the JSON export
and `--sources` have it, `source_title` its title."""
COLUMNS: tuple[Column, ...] = KNOWN_COLUMNS[:6]
"""The columns a table shows when none are chosen, in this order."""

TITLES: dict[str, str] = {
    "code": "Code",
    "phrase": "Registered phrase",
    "source": "Source",
    "source_title": "Source title",
    "name": "Name",
    "description": "Description",
    "action": "Suggested action",
    "retry": "Retry",
    "group": "Group",
}
"""The heading of each column and role."""
