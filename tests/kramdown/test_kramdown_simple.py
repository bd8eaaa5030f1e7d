"""The fast path (``epilint/kramdown/simple.py``) finds exactly what the parser finds,
on every body it accepts: the shared corpus, and generated bodies made of what it
allows and of what is near its limits (underscores and stars in link texts, four-space
lines after headers and rules, parentheses and spaces in destinations).
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from epilint.kramdown import simple
from epilint.kramdown.links import extract, parsed
from tests.kramdown import oracle

WORDS = [
    "a",
    "word",
    "日本語",
    "ラジオ",
    " ",
    "  ",
    "_",
    "a_b",
    "__",
    "*",
    "**",
    "!",
    "(",
    ")",
    '"',
    "'",
    "#",
    "-",
    "=",
    ":",
    "&",
    "&amp;",
    "...",
    "--",
    "{{ x }}",
    "https://bare.example/a",
    "https://bare.example/(b)",
    "（https://jp.example/）",
    "x-_y",
    "]",
    "[",
]
URLS = [
    "https://x.example/a",
    "https://x.example/a_b",
    "https://x.example/(a)",
    "https://x.example/a(b)c(d)",
    "",
    " https://x.example/s ",
    "{{ site.url }}/p",
    "https://x.example/*a*",
    "https://x.example/?a=1&b=2",
    "https://x.example/\u3000",
    "a b",
]
TEXTS = ["t", "テキスト", "a_b", "x-_y", "_a", "a__b", "a___b", "a*b", "", "!", "(p)", '"q"', "x_", "日本_語"]
PREFIXES = [
    "",
    "",
    "- ",
    "* ",
    "+ ",
    "1. ",
    "# ",
    "## ",
    ": ",
    "  - ",
    "    - ",
    "      ",
    "    ",
    "        ",
]
LINES = ["", "", "   ", "---", "===", "***", "- ", "-"]


def make_body(rng: random.Random) -> str:
    lines = []
    for _ in range(1 + rng.randrange(8)):
        if rng.random() < 0.2:
            lines.append(rng.choice(LINES))
            continue
        parts = []
        for _ in range(1 + rng.randrange(4)):
            if rng.random() < 0.5:
                bang = "!" if rng.random() < 0.2 else ""
                parts.append(f"{bang}[{rng.choice(TEXTS)}]({rng.choice(URLS)})")
            else:
                parts.append(rng.choice(WORDS))
        lines.append(rng.choice(PREFIXES) + "".join(parts))
    return "\n".join(lines) + rng.choice(["", "\n"])


@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.integers(0, 2**63))
def test_generated_simple_bodies(seed: int) -> None:
    body = make_body(random.Random(seed))
    fast = simple.scan(body, 7)
    if fast is not None:
        assert fast == parsed(body, 7), body


def test_generated_bodies_are_often_simple() -> None:
    """The generator above does exercise the fast path."""
    rng = random.Random(1)
    bodies = [make_body(rng) for _ in range(500)]
    accepted = sum(simple.scan(body) is not None for body in bodies)
    assert 50 < accepted < 450


def test_corpus_simple_bodies() -> None:
    posts = oracle.corpus_posts()
    if not posts:
        pytest.skip("../shared/corpus is not present")
    bodies = [oracle.body_of(oracle.file_text(path)) for path in posts]
    accepted = 0
    for body in bodies:
        if body is None:
            continue
        fast = simple.scan(body, 3)
        if fast is not None:
            accepted += 1
            assert fast == parsed(body, 3)
    assert accepted > len(posts) // 2


def test_rejected_bodies() -> None:
    for body in [
        "[a*b](c) *d*",  # emphasis could move the bracket
        "[_a](b) c_",
        "[a](b)\n# h\n    [c](d)",  # a code block after a header
        "[a](b)\n\n    [c](d)",  # after a blank line
        "[a] (b)",  # a bracket outside a link
        "[a](b c'd)",  # a quote in the destination
        "<b>[a](c)</b>",
        "| [a](b) |",
        "[a](b)\n\n[^1]: x",
    ]:
        assert simple.scan(body) is None, body
        assert extract(body) == parsed(body)
