"""The parser-free scanner for simple bodies finds exactly what the Markdown parser finds."""

from __future__ import annotations

import random
from pathlib import Path
from types import ModuleType

import pytest

from epilint.links import extract as links
from epilint.links import simple as simple_links
from epilint.links.extract import Link, extract_text
from epilint.read.source import read_document
from tests.conftest import bench_module


def parsed(body: str) -> tuple[Link, ...]:
    """The links pyromark's events give, bypassing the scanner."""
    return links.parsed_text(body)


def agree(bodies: list[str]) -> int:
    """Assert scanner == parser on every simple body; return how many were simple."""
    simple = 0
    for body in bodies:
        if simple_links.scan(body) is None:
            continue
        simple += 1
        assert extract_text(body) == parsed(body), body
    return simple


def test_links_of_a_simple_body() -> None:
    body = (
        "# 57. Stable Diffusion\n"
        "- [DreamStudio](https://example.com/u/login?state=x&t=1) and ![logo](/img/a.png)\n"
        "    - [Foo (bar)](https://ja.wikipedia.org/wiki/Foo_(bar)) [](https://empty.example)\n"
        "[Pixel | 公式](https://x.example) &amp; more\n"
    )
    found = extract_text(body)
    assert [(link.kind.value, link.url, link.text) for link in found] == [
        ("inline", "https://example.com/u/login?state=x&t=1", "DreamStudio"),
        ("image", "/img/a.png", "logo"),
        ("inline", "https://ja.wikipedia.org/wiki/Foo_(bar)", "Foo (bar)"),
        ("inline", "https://empty.example", ""),
        ("inline", "https://x.example", "Pixel | 公式"),
    ]
    assert simple_links.scan(body) is not None
    assert found == parsed(body)


@pytest.mark.parametrize(
    "body",
    [
        "`[a](b)`",  # code span
        "~~~\n[a](b)\n~~~\n",  # tilde fence
        "<https://a.example>",  # autolink / HTML
        "[a](b\\)c)",  # escape
        "a\tb [a](b)",  # tab
        "[a]: https://a.example\n",  # definition
        "[^1] and [a](b)",  # footnote
        "| a |\n| --- |\n| [b](c) |\n",  # table
        "text\n\n    [a](b)\n",  # indented code after a blank line
        "# heading\n    [a](b)\n",  # indented code after a heading
        "1.\n       [a](b)\n",  # indented code in an empty list item
        "-     [a](b)\n",  # code right after a list marker
        "a    b [a](b)",  # four spaces inside a line
        "[a] [b](c)",  # a bracket outside the links
        "[a [b](c)](d)",  # nested brackets
        '[a](b "title")',  # a title
        "[a](b(c(d)))",  # deeper parentheses
        "see https://bare.example and [a](b)",  # a bare URL
    ],
)
def test_anything_else_goes_to_the_parser(body: str) -> None:
    assert simple_links.scan(body) is None
    assert extract_text(body) == parsed(body)


def test_nested_lists_indented_by_four_spaces_stay_simple() -> None:
    body = "- a\n  - [b](https://b.example)\n    - [c](https://c.example)\n        lazy [d](e)\n"
    assert simple_links.scan(body) is not None
    assert [link.url for link in extract_text(body)] == ["https://b.example", "https://c.example", "e"]
    assert extract_text(body) == parsed(body)


#: Pieces that change what CommonMark sees as a link (or that the scanner must refuse).
PIECES = [
    "[a](b)", "[t](https://e.example/p_(q))", "[](u)", "![i](p.png)", "[x y](http://h.example/?s=1&t=2)",
    "[", "]", "(", ")", "!", "](", "[^", "]:", "://", "https://a.example/x", "&amp;", "&#93;", "&",
    "*", "**", "_", "^", "|", "|---|", "---", "===", "# ", "## ", "- ", "* ", "+ ", "1. ", "2) ", "1.",
    "> ", ">", "\n", "\n", "\n\n", " ", "  ", "    ", "\n    ", "\n  ", "x", "あいう", "\u3000", "~~", "~~~",
    "{{ site.url }}", "`", "<", "\\", "\t", ":", "\"t\"",
]  # fmt: skip


def test_random_bodies_agree_with_the_parser() -> None:
    rng = random.Random(20261129)
    bodies = ["".join(rng.choices(PIECES, k=rng.randint(1, 40))) for _ in range(20_000)]
    simple = agree(bodies)
    assert simple >= 1_000  # the comparison covers many simple bodies, not a handful


#: Line starts (indentation, quote and list markers, headings) and line contents.
PREFIXES = [
    "", " ", "  ", "   ", "    ", "     ", "      ", "        ", "> ", ">", "> > ", "- ", "* ", "+ ", "1. ",
    "2) ", "10. ", "-", "1.", "- - ", "> - ", "- > ", "  - ", "    - ", "# ", "###### ", "#",
]  # fmt: skip
CONTENTS = [
    "[a](b)", "[t](https://e.example/p_(q))", "![i](p.png)", "[x y](http://h.example/?s=1&t=2)", "[](u)",
    "text", "テキスト", "---", "***", "___", "===", "- - -", "* * *", "", " ", "|", "| a |", "|---|",
    "--- | ---", "*em*", "_u_", "&amp;", "1.", "2)", ":", "=", "-",
]  # fmt: skip


def test_random_line_structures_agree_with_the_parser() -> None:
    rng = random.Random(5)
    bodies = []
    for _ in range(10_000):
        lines = [
            rng.choice(PREFIXES) + "".join(rng.choices(CONTENTS, k=rng.randint(0, 3)))
            for _ in range(rng.randint(1, 8))
        ]
        bodies.append("\n".join(lines) + rng.choice(["", "\n"]))
    assert agree(bodies) >= 3_000


def test_generated_benchmark_posts_agree_with_the_parser(tmp_path: Path) -> None:
    gen: ModuleType = bench_module("gen_corpus")
    posts = gen.generate(gen.Options(300, tmp_path))
    bodies = [read_document(p).body_text for p in posts]
    assert agree(bodies) >= 270


def test_corpus_posts_agree_with_the_parser(corpus: Path) -> None:
    bodies = [read_document(p).body_text for p in sorted(corpus.rglob("*.md"))]
    simple = agree(bodies)
    assert simple >= len(bodies) // 2  # most real show notes are simple
