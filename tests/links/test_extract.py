"""Link extraction: every kind of link, the URL's own span, and what is not a link."""

from __future__ import annotations

from pathlib import Path

import pytest

from epilint.links.extract import LinkKind, bare_urls, extract, extract_text
from epilint.read.document import Document


def urls_of(body: str) -> list[tuple[str, str]]:
    found = extract_text(body)
    for link in found:  # every span is exactly the URL as written
        assert body[link.span.start : link.span.end] == link.url
    return [(link.kind.value, link.url) for link in found]


def test_inline_image_autolink_and_html() -> None:
    body = (
        'See [the paper](https://arxiv.org/abs/2006.11239 "title") and ![logo](/images/logo.png).\n'
        "Mail <https://example.com/auto> or <a href='https://example.com/html'>here</a>.\n"
        '<img src="/images/x.png">\n'
    )
    assert urls_of(body) == [
        ("inline", "https://arxiv.org/abs/2006.11239"),
        ("image", "/images/logo.png"),
        ("autolink", "https://example.com/auto"),
        ("html", "https://example.com/html"),
        ("image", "/images/x.png"),
    ]


def test_reference_definitions_and_uses() -> None:
    body = '[one][Ref] and [Ref][] and [ref].\n\n[ref]: <https://example.com/def> "T"\n'
    found = extract_text(body)
    definition = next(link for link in found if link.kind is LinkKind.DEFINITION)
    uses = [link for link in found if link.kind is LinkKind.REFERENCE]
    assert definition.url == "https://example.com/def"
    assert [u.text for u in uses] == ["one", "Ref", "ref"]
    assert all(u.span == definition.span and not u.written for u in uses)


def test_bare_urls_follow_gfm_trailing_punctuation() -> None:
    text = "see https://example.com/a_(b). and (https://example.com/c), https://x.jp/パス。次"
    assert [text[a:b] for a, b in bare_urls(text)] == [
        "https://example.com/a_(b)",
        "https://example.com/c",
        "https://x.jp/パス",
    ]


def test_code_is_skipped() -> None:
    body = (
        "`https://code.example/span` [in code](https://ok.example)\n\n"
        "```\n[x](https://fenced.example)\nhttps://fenced.example/bare\n```\n\n"
        "    [x](https://indented.example)\n"
    )
    assert urls_of(body) == [("inline", "https://ok.example")]


def test_link_text_is_not_a_bare_url() -> None:
    body = '[https://example.com/](https://example.com/) <a href="https://a.example">https://a.example</a>'
    assert urls_of(body) == [("inline", "https://example.com/"), ("html", "https://a.example")]


def test_liquid_targets_are_marked() -> None:
    body = "[a]({{site.url}}/x) [b]({% link _posts/x.md %}) [c]({{ site.baseurl }}/audio/1.mp3)"
    found = extract_text(body)
    assert [link.url for link in found] == ["{{site.url}}/x"]  # the others have spaces: not links
    assert found[0].liquid


def test_spans_are_code_points_into_the_whole_file() -> None:
    text = "---\ntitle: 日本語\n---\n\n感想は[ハッシュタグ](https://ja.wikipedia.org/wiki/アリスとボブ )へ\n"
    doc = Document.parse(Path("x.md"), text)
    (link,) = extract(doc)
    assert text[link.span.start : link.span.end] == "https://ja.wikipedia.org/wiki/アリスとボブ"
    assert link.text == "ハッシュタグ"
    assert link.target_span is not None
    assert (
        text[link.target_span.start : link.target_span.end] == "https://ja.wikipedia.org/wiki/アリスとボブ "
    )


def test_entities_and_escapes_resolve_in_target() -> None:
    (link,) = extract_text("[a](https://x.example/?a=1&amp;b=\\_c)")
    assert link.url == "https://x.example/?a=1&amp;b=\\_c"
    assert link.target == "https://x.example/?a=1&b=_c"


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("https://x.example/?s=12&t=abc", "https://x.example/?s=12&t=abc"),  # no `;`: no entity
        ("https://x.example/?a=1&copy=2", "https://x.example/?a=1&copy=2"),  # HTML's legacy `&copy`
        ("https://x.example/?a=1&ampx;b", "https://x.example/?a=1&ampx;b"),  # not an entity name
        ("https://x.example/&#x41;&#66;&lt;", "https://x.example/AB<"),
        ("https://x.example/\\&amp;", "https://x.example/&amp;"),  # an escaped `&` starts nothing
    ],
)
def test_only_commonmark_entities_resolve(url: str, target: str) -> None:
    (link,) = extract_text(f"[a]({url})")
    assert link.target == target


def test_platform_embed_code_is_skipped() -> None:
    body = (
        '<blockquote class="twitter-tweet"><p><a href="https://t.co/abc">pic.twitter.com/abc</a></p>'
        '&mdash; <a href="https://twitter.com/a/status/1?ref_src=twsrc">date</a></blockquote>\n\n'
        '<a href="https://example.com/mine">mine</a>\n'
    )
    assert urls_of(body) == [("html", "https://example.com/mine")]


def test_empty_link_text_is_recorded() -> None:
    (link,) = extract_text("x [ ](https://example.com) y")
    assert link.text == " "


def test_no_link_syntax_skips_parsing() -> None:
    assert extract_text("just words, no links at all") == ()


@pytest.mark.parametrize(
    "body",
    [
        "[unclosed](https://x",
        "[a](<https://x",
        "<a href=>",
        "[a]: ",
        "]]]]((((",
        "\\",
        "[a](\n\n)",
        "<a href='",
    ],
)
def test_broken_markup_never_crashes(body: str) -> None:
    for link in extract_text(body):
        assert body[link.span.start : link.span.end] == link.url
