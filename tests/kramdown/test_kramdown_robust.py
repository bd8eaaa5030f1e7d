"""The kramdown port is total and does linear work: any text gives a page, deep nesting
does not exhaust the stack, and pathological bodies stay within a work bound counted in
parser steps (``Parser.work``), not timed.

kramdown itself is not linear on some of these (2,000 nested brackets take it 19 s,
2,000 nested lists raise "stack level too deep"); where its own result cannot be had
in linear time the port reads the rest of the text as text (``parser.py``).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from epilint.kramdown.gfm import GRAMMAR
from epilint.kramdown.links import extract, parsed
from epilint.kramdown.parser import STEPS_FIXED, Parser
from epilint.kramdown.records import Page
from tests.kramdown import strategies

N = 20_000


def check_page(body: str, offset: int, page: Page) -> None:
    end = offset + len(body)
    spans = [link.span for link in page.links] + [link.text_span for link in page.links]
    spans += [item.span for item in page.unrendered] + [url.span for url in page.bare_urls]
    for span in spans:
        if span is not None:
            assert offset <= span.start <= span.end <= end, (span, body[:200])
    for link in page.links:
        if link.span is not None and link.contiguous:
            assert body[link.span.start - offset : link.span.end - offset] == link.written


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(), st.integers(0, 1000))
def test_any_text(body: str, offset: int) -> None:
    check_page(body, offset, extract(body, offset))


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.text(alphabet=st.sampled_from("[]()!<>`*_\\|&;#:-=~$^{}'\" \t\n\r\x00\x0b\x0c\u3000aあ/")),
    st.booleans(),
)
def test_markup_soup(body: str, fast: bool) -> None:
    page = extract(body, 3) if fast else parsed(body, 3)
    check_page(body, 3, page)


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(strategies.body())
def test_generated_bodies(body: str) -> None:
    check_page(body, 0, extract(body))


def test_control_characters_and_surrogates() -> None:
    for body in [
        "\x00[a](b)\x00",
        "".join(map(chr, range(32))) + "[a](b)",
        "[\ud800](\udfff)",
        "\x7f<a href='\x85'>",
    ]:
        check_page(body, 0, extract(body))


def work(body: str) -> int:
    parser = Parser(body, GRAMMAR)
    parser.parse()
    return parser.work


PATHOLOGICAL = {
    "open brackets": "[" * N,
    "balanced brackets": "[" * N + "]" * N,
    "brackets and text": "[" * 1000 + "x" * (N * 10) + "]",
    "nested images": "![" * N + "x" + "](y)" * N,
    "nested lists": "- " * N + "x",
    "nested quotes": "> " * N + "x",
    "nested spans": "<span>" * N + "[a](b)",
    "nested divs": '<div markdown="1">\n' * N,
    "nested emphasis and links": "*[" * N + "a" + "](b)*" * N,
    "emphasis": "*a " * N,
    "underscores": "_a_ " * N,
    "backticks": "`" * N,
    "fences": "```\n" * N,
    "long fence": "`" * N + "\n" + "```\n" * 10,
    "tildes": "~~a" * N,
    "autolinks": "<http://x " * N,
    "html attributes": '<a href="' * N,
    "comments": "<!--" * N,
    "extensions": "{:" * N,
    "entities": "&amp;" * N,
    "pipes": "|" * N,
    "table": "a | b\n" * N,
    "parentheses": "[a](" + "(" * N,
    "math": "$$" * N,
    "definitions": "a\n: b\n" * N,
    "task list": "- [ ] x\n" * N,
    "footnotes": "[^1]" * N + "\n\n[^1]: x",
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_bodies_do_bounded_work(name: str) -> None:
    body = PATHOLOGICAL[name]
    assert work(body) <= 4 * len(body) + STEPS_FIXED + 50_000
    check_page(body, 0, extract(body))


def test_many_links_are_all_found_in_linear_work() -> None:
    body = "[a](https://x.example/) " * N
    assert work(body) <= 5 * N + 1000  # per link: "[", "]", "(" and ")"
    assert len(extract(body).links) == N
    listed = "- [a](https://x.example/)\n" * N
    assert len(parsed(listed).links) == N


@pytest.mark.slow
@pytest.mark.parametrize(
    "body",
    [
        "x" * 2_000_000,
        "|" + " " * 1_000_000 + "x",
        "[a](" + " " * 1_000_000 + "x)",
        "[a]: " + "x " * 500_000,
        "<a href='" + "x" * 1_000_000,
        "\u3042" * 1_000_000 + "\n[a](b)",
        "[" * 200_000,
        "a\n" * 500_000,
    ],
    ids=[
        "long line",
        "spaces after a pipe",
        "long destination",
        "long definition",
        "long attribute",
        "long Japanese line",
        "200,000 brackets",
        "500,000 lines",
    ],
)
def test_megabyte_bodies_finish(body: str) -> None:
    check_page(body, 0, parsed(body))
