"""What embedding needs from the model: columns of an entry, and the model itself, cached.

Shared by the Sphinx extension (`statusdocs.sphinx_ext`) and the table
exports, so a `status-table` directive and `statusdocs export --format
markdown` show the same columns with the same titles.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..ingest import build_model
from ..labels import code_label
from ..model import Entry, Model, Source, StatusCode
from ..richtext import RichText, from_plain
from ..site import celldata
from ..site.celldata import Cell

_MODELS: dict[tuple[object, ...], tuple[Model, dict[str, Path]]] = {}


def entry_values(
    code: StatusCode, entry: Entry, sources: dict[str, Source], columns: Sequence[str]
) -> list[RichText]:
    """An entry's cells for the chosen columns, as rich text."""
    values = {
        "code": from_plain(str(code.code)),
        "phrase": from_plain(code.phrase or ""),
        "source": from_plain(entry.source),
        "source_title": from_plain(sources[entry.source].title),
        "name": from_plain(entry.name or ""),
        "description": entry.description,
        "action": entry.action,
    }
    return [values[column] for column in columns]


def entry_cells(
    code: StatusCode, entry: Entry, sources: dict[str, Source], columns: Sequence[str]
) -> list[Cell]:
    """An entry's cells as table data; the code links to its page (or its RFC section)."""
    cells = []
    for column, value in zip(columns, entry_values(code, entry, sources, columns), strict=True):
        if column == "code":
            cells.append(celldata.text_cell(celldata.ref(code_label(code.code), str(code.code))))
        else:
            cells.append(celldata.cell(value))
    return cells


def load_model(paths: Sequence[Path], base: Path) -> tuple[Model, dict[str, Path]]:
    """The model of the sources under `paths` (shown relative to `base`), and each source's
    file; read again only when a file under `paths` changed."""
    key = (str(base), *((str(p), *_fingerprint(p)) for p in paths))
    if key not in _MODELS:
        model = build_model(list(paths), base=base)
        files = {source.id: (base / source.path).resolve() for source in model.sources}
        _MODELS.clear()
        _MODELS[key] = (model, files)
    return _MODELS[key]


def _fingerprint(path: Path) -> tuple[object, ...]:
    files = sorted(path.rglob("*")) if path.is_dir() else [path]
    return tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files if f.is_file())
