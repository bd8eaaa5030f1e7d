"""What the LN013/LN014 rules will read: link syntax kramdown leaves as text, and bare
URLs in the page's text. Hand-written cases; the seed case is also rendered by Jekyll's
kramdown when Ruby is there.
"""

from __future__ import annotations

import shutil

import pytest

from epilint.kramdown.links import extract, parsed
from epilint.kramdown.records import Page
from tests.kramdown import oracle

OFFSET = 50

SEED_LINE = (
    "- [Midjourney、Stable Diffusion、mimicなどの画像自動生成AIと著作権 | STORIA法律事務所]"
    "(https://storialaw.jp/blog/8820)"
)
SEED_BODY = f"## 関連リンク\n- [前のリンク](https://before.example/)\n{SEED_LINE}\n- [次のリンク](https://after.example/)\n"


def page(body: str) -> Page:
    result = extract(body, OFFSET)
    assert result == parsed(body, OFFSET)
    return result


def text_at(body: str, start: int, end: int) -> str:
    return body[start - OFFSET : end - OFFSET]


def test_the_seed_line_is_a_table_cell_not_a_link() -> None:
    found = page(SEED_BODY)
    assert [link.href for link in found.links] == ["https://before.example/", "https://after.example/"]
    (item,) = found.unrendered
    assert item.reason == "table"
    assert item.text == SEED_LINE[2:]
    assert text_at(SEED_BODY, item.span.start, item.span.end) == item.text
    assert found.bare_urls == ()  # the URL is part of the finding above


@pytest.mark.ruby
@pytest.mark.skipif(shutil.which("ruby") is None, reason="needs the `ruby` command")
def test_kramdown_makes_the_seed_line_a_table() -> None:
    (html,) = oracle.render([SEED_BODY])
    assert "<table>" in html
    assert "storialaw.jp/blog/8820" in html
    assert [href for _, href in oracle.hrefs(html)] == ["https://before.example/", "https://after.example/"]


@pytest.mark.parametrize(
    ("body", "reason", "text"),
    [
        ("a | [b | c](https://t.example/) | d", "table", "[b | c](https://t.example/)"),
        ("[outer [inner](https://i.example/)](https://o.example/)", "nested", "[inner](https://i.example/)"),
        ("<div>\n[x](https://x.example/)\n</div>", "html", "[x](https://x.example/)"),
        ("a missing bracket](https://m.example/) here", "text", "](https://m.example/)"),
        ("[space] (https://s.example/)", "space", "[space] (https://s.example/)"),
        ("unclosed [text](https://u.example/ more", "text", "[text](https://u.example/ more"),
    ],
)
def test_unrendered_link_syntax(body: str, reason: str, text: str) -> None:
    found = page(body)
    (item,) = found.unrendered
    assert (item.reason, item.text) == (reason, text)
    assert text_at(body, item.span.start, item.span.end) == text


@pytest.mark.parametrize(
    "body",
    [
        "[fine](https://f.example/) and [also](https://g.example/)",
        "[1] (see the note)",
        "`[code](https://c.example/)`",
        "```\n[fence](https://c.example/)\n```",
        "[ref] (https://r.example/)\n\n[ref]: https://r.example/",
    ],
)
def test_nothing_unrendered(body: str) -> None:
    assert page(body).unrendered == ()


def test_bare_urls() -> None:
    body = (
        "see https://bare.example/a. and (https://paren.example/x) then\n"
        "日本語（https://jp.example/y）、https://jp2.example/z。\n\n"
        "`https://code.example/` [https://text.example/](https://dest.example/) "
        '<a href="https://attr.example/">https://anchor.example/</a> <img src="https://img.example/">\n\n'
        "<div>https://div.example/</div>\n\n"
        "- item https://item.example/p?q=1&amp;r=2\n"
    )
    found = page(body)
    assert [url.url for url in found.bare_urls] == [
        "https://bare.example/a",
        "https://paren.example/x",
        "https://jp.example/y",
        "https://jp2.example/z",
        "https://div.example/",
        "https://item.example/p?q=1&amp;r=2",
    ]
    for url in found.bare_urls:
        assert text_at(body, url.span.start, url.span.end) == url.url


def test_emphasis_ends_a_bare_url() -> None:
    body = "**https://a.example/**b and _https://b.example/x_"
    assert [url.url for url in page(body).bare_urls] == ["https://a.example/", "https://b.example/x"]


def test_footnote_text_counts_only_when_the_note_is_shown() -> None:
    shown = "x[^1]\n\n[^1]: https://note.example/"
    hidden = "x\n\n[^1]: https://note.example/"
    assert [url.url for url in page(shown).bare_urls] == ["https://note.example/"]
    assert page(hidden).bare_urls == ()
