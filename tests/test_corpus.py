"""The development corpus: real public documents, each read with the figures pinned.

`tests/corpus/corpus.toml` lists each document's origin and the rows a careful
reader finds in it.  Every document must keep at least the rows and names it
gives today (raise a pin when a reader gets better), and no document may give
a code it does not have: precision is kept at 1.0, negative controls give
nothing.  `benchmarks/corpus_score.py --misses` shows what is still missed.
"""

from __future__ import annotations

import sys
import tomllib
from typing import Any

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import corpus_score

DOCS = tomllib.loads((ROOT / "tests" / "corpus" / "corpus.toml").read_text("utf-8"))["doc"]
# Rows found and names right, per document, as of the last reader change.
PINNED = {
    "hikerapi-response-codes.rst": (15, 15),
    "study-dotnet-http-error.md": (9, 8),
    "zh-http-status-nested-list.md": (18, 18),
    "orca-go-error-codes-merge-conflict-zh.md": (10, 10),
    "datadog-ja-errors-code-bullets.md": (14, 14),
    "semogun-ko-status-html-inline.md": (10, 10),
    "jinieun-ko-http-bullets.md": (11, 11),
    "crux-errors-bad-delimiter-row.md": (9, 9),
    "ageuke-errors-table-in-front-matter.md": (3, 3),
    "citrix-sdwan-nitro-error-messages-negative.md": (0, 0),
    "cmwell-return-codes-no-outer-pipes.md": (5, 5),
    "m293-de-http-statuscode.md": (5, 5),
    "thatssme-de-status-lines-tabs.md": (18, 16),
    "swagger-docs-fr-status-code-intitule.md": (8, 8),
    "codeandlearn-fr-error-bullets.md": (11, 11),
    "cscart-api-errors-list-table.rst": (8, 8),
    "otc-ecs-http-status-simple-tables.rst": (15, 15),
    "markdoc-errors-json-customtable.md": (18, 18),
    "apiswikipy-es-codigos-front-matter.md": (7, 7),
    "backend-sql-es-status-paragraphs.md": (11, 11),
    "apis-ru-http-codes-linked-bullets.md": (8, 8),
    "last-app-ru-app-response-codes-negative.md": (0, 0),
    "puzzle-wiki-pt-erros-comuns.md": (5, 0),
    "clean-flutter-pt-name-before-code-list.md": (7, 7),
    "lora-slate-errors-no-outer-pipes.md": (11, 11),
    "16metrics-errors-html-table.md": (4, 1),
    "kmr-zh-common-errors-br-tabs.md": (5, 4),
    "lmhsphinx-zh-error-summary-http-first.md": (6, 6),
    "zh-hant-status-classes-only-negative.md": (0, 0),
    "jackey-nginx-tab-separated-bullets.md": (6, 6),
    "volley-error-codes-html-td-header.md": (10, 10),
    "saferpay-http-status-headerless-html.md": (8, 8),
    "vulnerablecodes-html-table-stray-head.md": (8, 8),
    "lugha-errors-sphinx-furo.html": (10, 10),
    "book-python-http-status-csv-tables.rst": (62, 62),
    "hugo-toml-indented-table-no-outer-pipes.md": (5, 5),
    "cybersec-code-dash-phrase-cell.md": (11, 11),
    "kuznos-headings-name-tab-code.md": (11, 11),
    "cloud-keep-response-codes-grid.rst": (8, 8),
    "potato-src-error-codes-negative.md": (0, 0),
    "zsh-exit-status-codes-negative.md": (0, 0),
    "network-ports-no-outer-pipes-negative.md": (0, 0),
    "visionate-plans-request-quotas-negative.md": (0, 0),
    "php2js-versions-table-negative.md": (0, 0),
    "recoron-ja-overview-status-and-plans.md": (7, 7),
    "otc-rts-return-code-rowspan.md": (10, 10),
    "flashcards-http-codes-setext-trap.md": (0, 0),
    "rails-http-status-symbols.txt": (49, 49),
    "yizhanyun-zh-slate-status-no-outer-pipes.md": (10, 10),
    "zh-yjsnote-headings-per-code.md": (9, 9),
    "es-gitbook-html-table-cards.md": (41, 41),
    "fr-webserv-backtick-bullets.md": (40, 38),
    "ru-knbase-hard-break-lines.md": (6, 6),
    "ko-imweb-response-codes.md": (7, 7),
    "en-trafficserver-simple-table.rst": (20, 19),
    "en-nthuion-httpdomain-fieldlist.rst": (4, 4),
    "en-osisoft-code-and-name-in-cell.md": (15, 15),
    "en-tips-tabbed-notes.txt": (8, 5),
    "en-it3203-html-table.html": (3, 3),
    "en-durotan-extra-version-column.md": (7, 7),
    "neg-zh-bkbase-app-error-codes.md": (0, 0),
    "neg-minishell-exit-codes-blockquote.md": (0, 0),
    "neg-tcp-port-numbers.md": (0, 0),
    "mdn-de-http-status-macro-list.md": (63, 63),
    "ja-all-status-progress-table.md": (62, 62),
    "simpro-widdershins-customer-notes.md": (10, 10),
    "openapi-generator-java-per-endpoint-responses.md": (15, 13),
    "csvbox-gitbook-bold-status-paragraphs.md": (6, 6),
    "azure-storage-error-codes-status-in-2nd-col.md": (49, 49),
    "errz-6col-app-code-http-retryable.md": (3, 0),
    "zenko-rst-grid-special-errors.rst": (4, 4),
    "sphinx-rtd-built-errors-page.html": (9, 9),
    "mkdocs-material-built-errors-page.html": (7, 7),
    "heritrix-crawl-status-codes.txt": (54, 54),
    "neg-smtp-reply-codes-list.md": (0, 0),
    "neg-facebook-graph-error-codes-413-200.md": (0, 0),
    "neg-iso4217-currency-numeric-table.md": (0, 0),
    "zh-xinweicook-desc-mixed.md": (11, 9),
    "es-quizzgame-colon-paragraphs.md": (6, 6),
    "de-opensim-dash-lines-crlf.md": (4, 4),
    "ja-rendya-headings.md": (6, 6),
    "hmrc-html-table-in-md.md": (7, 7),
    "ipengine-class-rows-paren-names.md": (9, 9),
    "tunitas-nested-bullets.md": (2, 0),
    "kinto-rst-literal-bullets.rst": (9, 9),
    "fr-obsifight-slate.md": (5, 5),
    "neg-ftp-reply-codes.md": (0, 0),
    "neg-sip-response-codes.md": (0, 0),
    "neg-us-area-codes-pre.md": (0, 0),
}


def test_every_document_is_pinned() -> None:
    assert sorted(PINNED) == sorted(doc["file"] for doc in DOCS)


@pytest.mark.parametrize("doc", DOCS, ids=lambda doc: doc["file"])
def test_document_keeps_its_rows_and_gives_no_false_code(doc: dict[str, Any]) -> None:
    score = corpus_score.score(doc)
    hits, names = PINNED[doc["file"]]
    assert score.found == score.hits, [m for m in score.misses if "not expected" in m]
    assert score.hits >= hits and score.names_right >= names, score.misses
    if doc["kind"] == "negative":
        assert score.found == 0
