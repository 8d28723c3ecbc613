"""Client advice read as a policy: real sentences, the precedence of a row's parts, bounds.

`tests/fixtures/advice-sentences.toml` pairs real sentences from `sources/` and the
development corpus with the policy a careful reader takes from each (or none); each must be
read exactly so, and each must be in the file it names.
"""

from __future__ import annotations

import html
import re
import time
import tomllib
from collections import Counter
from typing import Any

import pytest

from statusdocs.analysis.policy import (
    MAX_CHARS,
    NOT_RETRYING,
    POLICIES,
    POLICY_MEANINGS,
    PRECEDENCE,
    RETRYING,
    PolicyReading,
    conflicting,
    read_policy,
    read_text,
    sentences,
)
from statusdocs.ingest import build_model
from statusdocs.model import Entry
from statusdocs.richtext import Paragraph, RichText, Text

from conftest import FIXTURES, ROOT, SOURCES

SENTENCES: list[dict[str, Any]] = tomllib.loads(
    (FIXTURES / "advice-sentences.toml").read_text("utf-8")
)["sentence"]
CORPUS_FILES = {
    doc["file"]
    for doc in tomllib.loads((ROOT / "tests" / "corpus" / "corpus.toml").read_text("utf-8"))["doc"]
}
KUBE, IAM = "kubernetes-api-conventions", "huaweicloud-iam-status-codes"


def _id(case: dict[str, Any]) -> str:
    return f"{case['origin'].rsplit('/', 1)[-1]}: {case['text'][:40]}"


@pytest.mark.parametrize("case", SENTENCES, ids=_id)
def test_real_sentence_reads_as_expected(case: dict[str, Any]) -> None:
    expected = (
        [] if case["policy"] == "none" else [(case["policy"], case.get("sentence", case["text"]))]
    )
    assert read_text(case["text"]) == expected


def _plain_file(text: str) -> str:
    """A file's words as the fixture quotes them: tags, emphasis, code marks and table
    borders dropped, whitespace collapsed."""
    text = html.unescape(re.sub(r"<[^>]*>", "", text))
    return " ".join(re.sub(r"\*\*|__|`", "", text).replace("|", " ").split())


@pytest.mark.parametrize("case", SENTENCES, ids=_id)
def test_real_sentence_is_in_its_origin(case: dict[str, Any]) -> None:
    folder, name = case["origin"].rsplit("/", 1)
    assert folder == "sources" or (folder == "tests/corpus" and name in CORPUS_FILES)
    assert " ".join(case["text"].split()) in _plain_file((ROOT / case["origin"]).read_text("utf-8"))


def test_corpus_covers_every_reading() -> None:
    counts = Counter(case["policy"] for case in SENTENCES)
    assert len(SENTENCES) >= 60
    assert counts["none"] >= 12
    assert set(counts) - {"none"} <= set(POLICIES)
    # No real source here tells clients to contact support: test_contact_support covers it.
    assert set(POLICIES) - set(counts) == {"contact support"}
    assert len({case["text"] for case in SENTENCES}) == len(SENTENCES)


def test_vocabulary() -> None:
    assert POLICIES == (
        "retry",
        "retry with backoff",
        "retry after the Retry-After delay",
        "do not retry",
        "fix the request",
        "re-authenticate",
        "follow the redirect",
        "contact support",
    )
    assert list(POLICY_MEANINGS) == list(POLICIES)
    assert sorted(PRECEDENCE) == sorted(POLICIES)
    assert sorted(RETRYING) == ["retry", "retry after the Retry-After delay", "retry with backoff"]
    assert sorted(NOT_RETRYING) == ["do not retry", "fix the request"]


def test_sentences_split_at_ends_items_and_semicolons_not_abbreviations() -> None:
    assert sentences(
        "The request could not be understood by the server due to malformed syntax.\n\n"
        "The client should not repeat the request without modifications."
    ) == [
        "The request could not be understood by the server due to malformed syntax.",
        "The client should not repeat the request without modifications.",
    ]
    assert sentences(
        "The server failed to process the request. Possible causes include:\n\n"
        "1. Malformed request syntax\n2. Invalid request message framing"
    ) == [
        "The server failed to process the request.",
        "Possible causes include:",
        "Malformed request syntax",
        "Invalid request message framing",
    ]
    assert sentences(
        "- If updating an existing resource:\n"
        "  - See Conflict from the status\n    response.\n"
        "  - GET and compare, and retry (e.g. with resourceVersion)."
    ) == [
        "If updating an existing resource:",
        "See Conflict from the status response.",
        "GET and compare, and retry (e.g. with resourceVersion).",
    ]
    assert sentences("Nicht authentifiziert (z. B. fehlendes Token). Unauthorized; retry") == [
        "Nicht authentifiziert (z. B. fehlendes Token).",
        "Unauthorized",
        "retry",
    ]
    assert sentences("See the list. e.g. 400. Fix it.") == ["See the list.", "e.g. 400.", "Fix it."]
    assert sentences("You're requesting too many kittens! Slow down!") == [
        "You're requesting too many kittens!",
        "Slow down!",
    ]
    assert sentences("  \n\n ") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The brief's cases that no real source here has; made up, so kept out of the corpus.
        ("If the error persists, contact support.", "contact support"),
        ("Contact your administrator.", "contact support"),
        ("Try again later. If the problem persists, contact technical support.", "retry"),
        ("Retry only if the request is idempotent.", "retry"),
        ("The client may retry.", "retry"),
        ("Retrying will not help.", "do not retry"),
        ("This error is not retryable.", "do not retry"),
        ("Do not retry immediately. Retry with exponential backoff.", "retry with backoff"),
        ("Back off, with an increasing delay, and try again.", "retry with backoff"),
        (
            "Do not retry before the Retry-After delay has passed.",
            "retry after the Retry-After delay",
        ),
        ("Obtain a new token and retry.", "re-authenticate"),
        ("Log in again.", "re-authenticate"),
        ("Follow the Location header.", "follow the redirect"),
        ("Do not retry; fix the request.", "fix the request"),
    ],
)
def test_made_up_advice(text: str, expected: str) -> None:
    found = read_text(text)
    assert min((policy for policy, _ in found), key=PRECEDENCE.index) == expected


@pytest.mark.parametrize(
    "text",
    [
        "A Retry-After header is never sent.",
        "The Retry-After header indicates how long the user agent ought to wait.",
        "Quote the request ID when you contact support.",
        "The server will return a Retry-After header; see the retry policy.",
    ],
)
def test_made_up_mentions(text: str) -> None:
    assert read_text(text) == []


def test_contact_support() -> None:
    assert read_text("Try again later. If the problem persists, contact customer service.") == [
        ("retry", "Try again later."),
        ("contact support", "If the problem persists, contact customer service."),
    ]


def _rich(text: str) -> RichText:
    return RichText((Paragraph((Text(text),)),)) if text else RichText()


def _entry(description: str = "", action: str = "", retryable: bool | None = None) -> Entry:
    return Entry(
        source="s",
        code=503,
        name=None,
        description=_rich(description),
        action=_rich(action),
        group=None,
        line=1,
        retryable=retryable,
    )


def test_retry_column_comes_first() -> None:
    entry = _entry("Please try again later.", "Do not retry.", retryable=True)
    assert read_policy(entry) == PolicyReading("retry", "Retryable: yes", True, "retry column")
    entry = _entry(action="Retry with exponential backoff.", retryable=False)
    assert read_policy(entry) == PolicyReading(
        "do not retry", "Retryable: no", True, "retry column"
    )


def test_action_is_said_before_the_description() -> None:
    entry = _entry("The client should not repeat the request without modifications.", "Retry.")
    assert read_policy(entry) == PolicyReading("retry", "Retry.", True, "action")


def test_description_is_inferred_where_the_action_says_nothing() -> None:
    entry = _entry(
        "The requested service is unavailable.\n\n"
        "The client should not repeat the request without modifications.",
        "See the status page.",
    )
    assert read_policy(entry) == PolicyReading(
        "fix the request",
        "The client should not repeat the request without modifications.",
        False,
        "description",
    )


def test_most_specific_sentence_of_a_text_wins() -> None:
    entry = _entry(action="Do not retry. Fix the request.")
    assert read_policy(entry) == PolicyReading(
        "fix the request", "Fix the request.", True, "action"
    )
    entry = _entry(action="Try again. If it persists, contact support. Back off exponentially.")
    assert read_policy(entry) == PolicyReading(
        "retry with backoff", "Back off exponentially.", True, "action"
    )
    entry = _entry(action="Retry later. Never retry a POST.")
    assert read_policy(entry) == PolicyReading(
        "do not retry", "Never retry a POST.", True, "action"
    )


def test_no_advice_no_reading() -> None:
    assert read_policy(_entry("Indicates that the request completed successfully.")) is None
    assert read_policy(_entry()) is None


def test_conflicting() -> None:
    assert conflicting("retry with backoff", "fix the request")
    assert conflicting("do not retry", "retry after the Retry-After delay")
    assert conflicting("retry", "do not retry")
    assert not conflicting("retry", "retry with backoff")
    assert not conflicting("do not retry", "fix the request")
    assert not conflicting("re-authenticate", "retry")
    assert not conflicting("contact support", "do not retry")
    assert not conflicting("follow the redirect", "follow the redirect")


@pytest.mark.parametrize(
    "hostile",
    [
        "do not " * 15_000,
        "retry " * 17_000,
        "a" * 100_000,
        "e.g. " * 20_000,
        "- " * 50_000,
        "\n" * 100_000,
        "Retry-After " * 9_000,
        "contact the the the " * 5_000,
        ("check the " * 3 + "x. ") * 3_000,
        "should not repeat " * 6_000,
    ],
    ids=lambda text: repr(text[:12]),
)
def test_hostile_text_is_read_quickly(hostile: str) -> None:
    assert len(hostile) >= 90_000
    started = time.perf_counter()
    read_text(hostile)
    read_policy(_entry(hostile, hostile))
    assert time.perf_counter() - started < 1.0


def test_only_the_first_max_chars_are_read() -> None:
    assert MAX_CHARS == 5000
    within = "x" * (MAX_CHARS - 10) + " Retry."
    assert read_text(within) == [("retry", within)]
    assert read_text("x " * MAX_CHARS + "Retry.") == []
    assert read_text("Retry. " + "x " * MAX_CHARS) == [("retry", "Retry.")]


@pytest.fixture(scope="module")
def real_readings() -> dict[tuple[str, int], PolicyReading | None]:
    model = build_model([SOURCES], base=ROOT)
    return {(e.source, e.code): read_policy(e) for code in model.codes for e in code.entries}


def test_kubernetes_429_waits_for_retry_after_and_503_backs_off(
    real_readings: dict[tuple[str, int], PolicyReading | None],
) -> None:
    # The brief expected backoff for 429 too; its action waits for the header instead.
    assert real_readings[KUBE, 429] == PolicyReading(
        "retry after the Retry-After delay",
        "Read the Retry-After HTTP header from the response, and wait at least that long "
        "before retrying.",
        True,
        "action",
    )
    assert real_readings[KUBE, 503] == PolicyReading(
        "retry with backoff", "Retry with exponential backoff.", True, "action"
    )
    assert real_readings[KUBE, 500] == real_readings[KUBE, 503]


def test_iam_503_reads_as_not_retrying(
    real_readings: dict[tuple[str, int], PolicyReading | None],
) -> None:
    reading = real_readings[IAM, 503]
    assert reading == PolicyReading(
        "fix the request",
        "The client should not repeat the request without modifications.",
        False,
        "description",
    )
    assert reading.policy in NOT_RETRYING
    kube = real_readings[KUBE, 503]
    assert kube is not None and conflicting(reading.policy, kube.policy)


def test_every_real_reading(real_readings: dict[tuple[str, int], PolicyReading | None]) -> None:
    found = {
        key: (reading.policy, reading.said) for key, reading in real_readings.items() if reading
    }
    blog, apig = "kubernetes-api-conventions-blog-copy", "huaweicloud-apig-status-codes"
    kube_said = {
        307: "follow the redirect",
        400: "fix the request",
        401: "re-authenticate",
        403: "fix the request",
        404: "fix the request",
        405: "fix the request",
        409: "fix the request",
        410: "fix the request",
        422: "fix the request",
        429: "retry after the Retry-After delay",
        500: "retry with backoff",
        503: "retry with backoff",
        504: "retry with backoff",
    }
    iam_inferred = {
        301: "follow the redirect",
        303: "follow the redirect",
        400: "fix the request",
        401: "re-authenticate",
        403: "fix the request",
        404: "fix the request",
        405: "fix the request",
        407: "re-authenticate",
        408: "retry",
        429: "retry after the Retry-After delay",
        503: "fix the request",
    }
    expected = {
        **{(KUBE, code): (policy, True) for code, policy in kube_said.items()},
        **{(blog, code): (policy, True) for code, policy in kube_said.items()},
        **{(IAM, code): (policy, False) for code, policy in iam_inferred.items()},
        (apig, 407): ("re-authenticate", False),
    }
    assert found == expected
