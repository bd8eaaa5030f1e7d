"""The records of the kramdown port on hand-written bodies (no Ruby needed): kinds, hrefs
as kramdown writes them, and where each part is in the file. The hrefs are kramdown's
(``test_kramdown_oracle.py`` checks these and many more against Jekyll's kramdown).
"""

from __future__ import annotations

import pytest

from epilint.kramdown.links import extract, links, parsed
from epilint.kramdown.records import Link, LinkKind, escape_attribute
from epilint.model import Span

OFFSET = 100


def only(body: str) -> Link:
    (link,) = links(body, OFFSET)
    return link


def at(body: str, span: Span | None) -> str:
    assert span is not None
    return body[span.start - OFFSET : span.end - OFFSET]


@pytest.mark.parametrize(
    ("body", "href"),
    [
        ("[t]()", ""),
        ("[将棋]([https://a/x](https://a/y))", "[https://a/x](https://a/y)"),
        ("[Next.js](ISRに魅力 https://nextjs.org/)", "ISRに魅力 https://nextjs.org/"),
        ("[bad](https://example.com/%E5%A %A2)", "https://example.com/%E5%A %A2"),
        ("[x](https://a.b/c\\(d\\))", "https://a.b/c\\(d\\)"),
        ("[y](https://a.b/\u3000)", "https://a.b/\u3000"),
        ("[p](https://a.b/(c)d)", "https://a.b/(c)d"),
        ("[s](  https://a.b/  )", "https://a.b/"),
        ("[q](https://a.b/ 'title')", "https://a.b/"),
        ("[angle](<https://a.b/c d>)", "https://a.b/c d"),
    ],
)
def test_destinations_as_kramdown_keeps_them(body: str, href: str) -> None:
    link = only(body)
    assert link.kind is LinkKind.INLINE
    assert link.href == href
    assert at(body, link.span) == href
    assert link.exact


def test_a_link_records_its_text_and_target() -> None:
    body = 'intro [the text](https://a.b/c "T") outro'
    link = only(body)
    assert link.text == "the text"
    assert at(body, link.text_span) == "the text"
    assert at(body, link.target_span) == 'https://a.b/c "T"'
    assert at(body, link.span) == "https://a.b/c"


def test_html_escaping_of_the_href() -> None:
    link = only("[a](https://a.b/?x=1&y=2&amp;z=3&#38;w<>)")
    assert link.url == "https://a.b/?x=1&y=2&amp;z=3&#38;w<>"
    assert link.href == "https://a.b/?x=1&amp;y=2&amp;z=3&#38;w&lt;&gt;"
    assert escape_attribute('a"b') == "a&quot;b"


def test_bare_urls_are_not_links() -> None:
    page = extract("see https://example.com/x here", OFFSET)
    assert page.links == ()
    (bare,) = page.bare_urls
    assert bare.url == "https://example.com/x"


def test_images_and_references() -> None:
    body = "![alt][logo] and [text][id] and [id]\n\n[logo]: /logo.png\n[ID]: <https://ref.example/> 'T'"
    image, ref, shortcut = links(body, OFFSET)
    assert (image.kind, image.tag, image.href) == (LinkKind.REFERENCE_IMAGE, "img", "/logo.png")
    assert (ref.kind, ref.href, ref.text) == (LinkKind.REFERENCE, "https://ref.example/", "text")
    assert shortcut.href == "https://ref.example/"
    assert at(body, ref.span) == "https://ref.example/"
    assert ref.span == shortcut.span
    assert at(body, image.span) == "/logo.png"


def test_a_reference_without_definition_is_text() -> None:
    page = extract("[text][nowhere] and [alone]", OFFSET)
    assert page.links == ()


def test_autolinks() -> None:
    body = "<https://auto.example/a> <me@example.com>"
    url, mail = links(body, OFFSET)
    assert (url.kind, url.href) == (LinkKind.AUTOLINK, "https://auto.example/a")
    assert (mail.href, mail.written, mail.text) == (
        "mailto:me@example.com",
        "me@example.com",
        "me@example.com",
    )
    assert at(body, mail.span) == "me@example.com"
    assert url.exact
    assert not mail.exact


def test_html_links_and_images() -> None:
    body = '<p>x</p>\n\ntext <a href="https://h.example/">h</a> <img src=\'/i.png\' alt="i">'
    a, img = links(body, OFFSET)
    assert (a.kind, a.tag, a.href) == (LinkKind.HTML_A, "a", "https://h.example/")
    assert (img.kind, img.tag, img.href) == (LinkKind.HTML_IMG, "img", "/i.png")
    assert at(body, a.span) == "https://h.example/"
    assert at(body, img.span) == "/i.png"


def test_the_text_of_an_html_link() -> None:
    body = 'x <a href="https://h.example/">the <b>text</b> &amp; more</a>\n\n<div><a href="/r">raw</a></div>'
    span_a, raw = links(body, OFFSET)
    assert span_a.text == "the text & more"
    assert at(body, span_a.text_span) == "the <b>text</b> &amp; more"
    assert (raw.text, at(body, raw.text_span)) == ("raw", "raw")


def test_newlines_in_an_html_attribute_become_spaces() -> None:
    body = 'text <a href="https://h.example/a\nb">h</a>'
    link = only(body)
    assert link.url == "https://h.example/a b"
    assert link.written == "https://h.example/a\nb"
    assert at(body, link.span) == link.written
    assert not link.exact


def test_markdown_inside_an_html_block_is_text_but_its_tags_count() -> None:
    body = '<div>\n[md](https://md.example/)\n<a href="https://a.example/">a</a>\n</div>\n[after](https://after.example/)'
    assert [link.href for link in links(body)] == ["https://a.example/", "https://after.example/"]


def test_markdown_right_after_an_html_line_is_parsed() -> None:
    body = '<div class="c">one line</div>\n[md](https://md.example/)\n'
    assert [link.href for link in links(body)] == ["https://md.example/"]


def test_code_hides_links() -> None:
    body = "`[a](b)`\n\n```\n[c](d)\n```\n\n    [e](f)\n\n$$[g](h)$$ [i](j)"
    assert [link.href for link in links(body)] == ["j"]


def test_a_pipe_in_a_list_item_makes_a_table() -> None:
    body = "- [A | B](https://storialaw.jp/blog/8820)\n- [ok](https://ok.example/)"
    assert [link.href for link in links(body)] == ["https://ok.example/"]


def test_a_link_spanning_quote_lines() -> None:
    body = "> [a](https://x.y/\n> z)"
    link = only(body)
    assert link.url == "https://x.y/\nz"
    assert not link.contiguous
    assert link.span == Span(OFFSET + 6, OFFSET + 22)


def test_an_ial_can_replace_the_href() -> None:
    link = only('[a](b){: href="c"}')
    assert link.href == "c"
    assert link.span is None
    assert not link.exact


def test_footnotes_and_their_backlinks() -> None:
    body = "x[^1] y[^1] z[^2]\n\n[^1]: one [n](https://note.example/)\n[^2]: two"
    assert [(link.kind, link.href) for link in links(body)] == [
        (LinkKind.FOOTNOTE, "#fn:1"),
        (LinkKind.FOOTNOTE, "#fn:1"),
        (LinkKind.FOOTNOTE, "#fn:2"),
        (LinkKind.INLINE, "https://note.example/"),
        (LinkKind.FOOTNOTE_BACKLINK, "#fnref:1"),
        (LinkKind.FOOTNOTE_BACKLINK, "#fnref:1:1"),
        (LinkKind.FOOTNOTE_BACKLINK, "#fnref:2"),
    ]


def test_table_of_contents() -> None:
    body = "* toc\n{:toc}\n\n# Head [l](https://l.example/)\n\n## 日本語 Two\n\n### x\n{: .no_toc}"
    assert [(link.kind, link.href) for link in links(body)] == [
        (LinkKind.TOC, "#head-l"),
        (LinkKind.TOC, "#日本語-two"),
        (LinkKind.INLINE, "https://l.example/"),
    ]


def test_nomarkdown_passes_html_through() -> None:
    body = 'a\n\n{::nomarkdown}\n<a href="https://raw.example/">r</a>\n{:/nomarkdown}\n\n{::comment}\n[c](d)\n{:/comment}'
    link = only(body)
    assert link.href == "https://raw.example/"
    assert at(body, link.span) == "https://raw.example/"


def test_liquid_is_text() -> None:
    body = "[a]({{ site.url }}/x) [b]({% link _posts/p.md %}) {% raw %}[c](d){% endraw %}"
    first, second, third = links(body)
    assert first.liquid
    assert first.href == "{{ site.url }}/x"
    assert second.liquid
    assert not third.liquid


def test_offsets_and_crlf() -> None:
    body = "line\r\n\r\n[a](https://crlf.example/)\r\n"
    link = only(body)
    assert at(body, link.span) == "https://crlf.example/"


def test_order_is_the_page_order() -> None:
    body = "[1](a) <a href='b'>2</a> ![3](c)\n\n- [4](d)\n  - [5](e)\n\n> [6](f)"
    assert [link.href for link in links(body)] == ["a", "b", "c", "d", "e", "f"]


def test_the_fast_path_and_the_parser_agree_here() -> None:
    body = "## 話したこと\n- [a_b](https://x.example/a_b)\n  - ![i](https://i.example/i.png)\n"
    assert extract(body, OFFSET) == parsed(body, OFFSET)
