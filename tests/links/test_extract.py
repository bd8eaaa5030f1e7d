"""The link rules' view of a page: kramdown's links (``epilint/kramdown``) turned into the
records the rules read. The page itself is proven against Ruby's kramdown in
``tests/kramdown``; these tests check what the adapter adds, and the claims each record
makes about the page, against kramdown too where they are about the page."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from epilint.links.extract import LinkKind, extract, extract_text
from epilint.read.document import Document
from tests.kramdown import oracle


def urls_of(body: str) -> list[tuple[str, str]]:
    page = extract_text(body)
    for link in page.links:  # every editable span is exactly the URL as written
        if link.editable:
            assert body[link.span.start : link.span.end] == link.url
    return [(link.kind.value, link.url) for link in page.links]


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


def test_reference_uses_share_the_definition_and_only_the_first_is_checked() -> None:
    body = '[one][Ref] and [Ref][] and [ref].\n\n[ref]: <https://example.com/def> "T"\n\n[unused]: https://u.example\n'
    page = extract_text(body)
    assert [link.text for link in page.links] == ["one", "Ref", "ref"]
    assert {link.kind for link in page.links} == {LinkKind.REFERENCE}
    assert len({link.span for link in page.links}) == 1
    assert [link.written for link in page.links] == [True, False, False]
    # an unused definition puts nothing on the page
    assert "https://u.example" not in [link.url for link in page.links]


def test_footnote_and_toc_links_made_by_kramdown_are_left_out() -> None:
    body = "* toc\n{:toc}\n\n# Head\n\nText[^1] [x](https://x.example/).\n\n[^1]: A note.\n"
    assert urls_of(body) == [("inline", "https://x.example/")]


def test_platform_embed_code_is_skipped() -> None:
    body = (
        '<blockquote class="twitter-tweet"><p><a href="https://t.co/abc">pic.twitter.com/abc</a></p>'
        '&mdash; <a href="https://twitter.com/a/status/1?ref_src=twsrc">date</a> https://t.co/bare</blockquote>\n\n'
        '<a href="https://example.com/mine">mine</a>\n'
    )
    page = extract_text(body)
    assert urls_of(body) == [("html", "https://example.com/mine")]
    assert page.bare == ()


def test_code_is_skipped() -> None:
    body = (
        "`https://code.example/span` [in code](https://ok.example)\n\n"
        "```\n[x](https://fenced.example)\nhttps://fenced.example/bare\n```\n\n"
        "    [x](https://indented.example)\n"
    )
    page = extract_text(body)
    assert urls_of(body) == [("inline", "https://ok.example")]
    assert page.bare == ()
    assert page.lost == ()


def test_bare_urls_and_lost_links() -> None:
    body = (
        "see https://example.com/x.\n\n"
        "- [A | B](https://storialaw.example/1)\n\n"
        "<div>\n[raw](https://raw.example/) https://in-html.example/\n</div>\n"
    )
    page = extract_text(body)
    assert page.links == ()
    assert [(url.url, url.in_html) for url in page.bare] == [
        ("https://example.com/x", False),
        ("https://in-html.example/", True),
    ]
    assert [lost.reason for lost in page.lost] == ["table", "html"]
    for url in page.bare:
        assert body[url.span.start : url.span.end] == url.url


def test_liquid_targets_are_marked() -> None:
    body = "[a]({{site.url}}/x) [b]({% link _posts/x.md %})"
    links = extract_text(body).links
    assert [link.liquid for link in links] == [True, True]


def test_spans_are_code_points_into_the_whole_file() -> None:
    text = "---\ntitle: 日本語\n---\n\n感想は[ハッシュタグ](https://ja.wikipedia.org/wiki/アリスとボブ )へ\n"
    doc = Document.parse(Path("x.md"), text)
    (link,) = extract(doc).links
    assert text[link.span.start : link.span.end] == "https://ja.wikipedia.org/wiki/アリスとボブ"
    assert link.text == "ハッシュタグ"
    assert link.target_span is not None
    assert (
        text[link.target_span.start : link.target_span.end] == "https://ja.wikipedia.org/wiki/アリスとボブ "
    )


def test_a_destination_over_a_quote_marker_is_not_editable() -> None:
    body = "> [a](<https://x.example/a\n> b>)\n"
    (link,) = extract_text(body).links
    assert not link.editable
    assert link.replace("x", "https://y.example/").edits == ()


@pytest.mark.skipif(not oracle.available(), reason="needs ruby with kramdown")
@pytest.mark.parametrize(
    "body",
    [
        "[a](https://x.example/?a=1&amp;b=\\_c)",
        "[a](https://x.example/?s=12&t=abc)",
        "[a](https://x.example/&#x41;&#66;&lt;)",
        "[x](https://a.b/c\\(d\\))",
        "[y](https://a.b/\u3000)",
        "[bad](https://example.com/%E5%A %A2)",
        "[t]()",
        "<a href='https://x.example/?a=1&amp;b=2'>a</a>",
    ],
)
def test_href_and_target_are_what_kramdown_writes(body: str) -> None:
    """``href`` is the attribute kramdown writes; ``target`` is what a browser reads from it."""
    (rendered,) = oracle.render([body])
    (attribute,) = [value for _tag, value in oracle.hrefs(rendered)]
    (link,) = extract_text(body).links
    assert link.href == attribute
    assert link.target == html.unescape(attribute)


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
    page = extract_text(body)
    for link in page.links:
        assert 0 <= link.span.start <= link.span.end <= len(body)
