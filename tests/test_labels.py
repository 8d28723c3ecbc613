"""The site's labels are a published contract: made in one place, read back the same way."""

from __future__ import annotations

from statusdocs.labels import code_label, code_of_label, counted, row_label, source_label
from statusdocs.model import Entry
from statusdocs.richtext import RichText


def _entry(line: int, ordinal: int) -> Entry:
    entry = Entry("iam", 404, "Not Found", RichText(), RichText(), None, line)
    entry.ordinal = ordinal
    return entry


def test_labels_are_as_published() -> None:
    assert code_label(404) == "status-404"
    assert source_label("kubernetes-api") == "source-kubernetes-api"
    assert row_label(_entry(57, 1)) == "source-iam-line-57"
    assert row_label(_entry(1, 3)) == "source-iam-line-1-3"


def test_a_code_label_reads_back_its_code_and_nothing_else_does() -> None:
    assert code_of_label("status-404") == 404
    assert [code_of_label(x) for x in ("status-4044", "status-600", "source-404", "")] == [None] * 4


def test_counts_agree_with_their_nouns() -> None:
    assert [counted(n, "entry") for n in (0, 1, 2)] == ["0 entries", "1 entry", "2 entries"]
    assert [counted(n, "warning") for n in (1, 3)] == ["1 warning", "3 warnings"]
