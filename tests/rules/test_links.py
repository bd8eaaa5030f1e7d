"""Offline link rules LN001–LN010: the seed's findings, each rule, and its fixes."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from epilint.links.extract import extract
from epilint.links.urls import remove_params
from epilint.read.source import read_document

if TYPE_CHECKING:
    from tests.conftest import CliResult

FRONT = "---\ntitle: 57. Test\ndate: 2022-09-10 00:00:00 +0900\n---\n\n"
POST = "_posts/2022-09-10-57.md"

Lint = Callable[..., list[dict[str, Any]]]


@pytest.fixture
def lint(make_site: Callable[..., Path], cli: Callable[..., CliResult]) -> Lint:
    """Lint one post with ``body`` in a temporary site; returns the JSON violations."""

    def run(
        body: str, select: str = "LN", config: str = "", files: dict[str, str | bytes] | None = None
    ) -> list[dict[str, Any]]:
        site = make_site({POST: FRONT + body + "\n", **(files or {})})
        if config:
            (site / "epilint.toml").write_text(config, encoding="utf-8")
        result = cli("check", POST, "--select", select, "--format", "json", cwd=site)
        assert result.code in (0, 1), result.err
        return result.json()

    return run


def codes(found: list[dict[str, Any]]) -> list[str]:
    return [v["code"] for v in found]


def fixed(body: str, violation: dict[str, Any]) -> str:
    """``body`` (one line, after the front matter) with the violation's edits applied."""
    line = body
    for edit in sorted(violation["fix"]["edits"], key=lambda e: e["column"], reverse=True):
        assert edit["line"] == FRONT.count("\n") + 1
        line = line[: edit["column"] - 1] + edit["content"] + line[edit["end_column"] - 1 :]
    return line


# -- the seed -------------------------------------------------------------------------


SEED_EXPECTED = {
    (26, "LN005"),
    (27, "LN013"),
    (29, "LN003"),
    (30, "LN003"),
    (31, "LN003"),
    (33, "LN003"),
    (33, "LN002"),
    (35, "LN004"),
}


def test_seed_gives_exactly_the_expected_link_findings(seed: Path, cli: Callable[..., CliResult]) -> None:
    result = cli("check", seed, "--select", "LN", "--format", "json")
    assert {(v["line"], v["code"]) for v in result.json()} == SEED_EXPECTED


def test_no_finding_on_any_clean_seed_link(seed: Path, cli: Callable[..., CliResult]) -> None:
    doc = read_document(seed)
    flagged_lines = {line for line, _ in SEED_EXPECTED}
    page = extract(doc).links
    # line 27's link is lost in a table: the page has no link there
    assert not [link for link in page if doc.lines.position(link.span.start)[0] == 27]
    clean = [link for link in page if doc.lines.position(link.span.start)[0] not in flagged_lines]
    hosts = {link.url.split("/")[2] for link in clean}
    assert {
        "arxiv.org",
        "github.com",
        "openai.com",
        "imagen.research.google",
        "www.midjourney.com",
        "note.com",
        "twitter.com",
        "forms.gle",
    } <= hosts
    found = cli("check", seed, "--select", "LN", "--format", "json").json()
    for link in clean:
        line, _column = doc.lines.position(link.span.start)
        assert not [v for v in found if v["line"] == line], link.url


def test_seed_fixes_remove_share_params_and_padding(seed: Path, cli: Callable[..., CliResult]) -> None:
    found = cli("check", seed, "--select", "LN002,LN003", "--format", "json").json()
    line33 = [v for v in found if v["line"] == 33]
    assert {v["fix"]["applicability"] for v in line33} == {"safe"}
    tracking = next(v for v in line33 if v["code"] == "LN003")
    assert (
        tracking["fix"]["edits"][0]["content"]
        == "https://twitter.com/Akatsuki_No9/status/1562832781599965184"
    )


# -- URL surgery ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://twitter.com/a/status/1?s=12&t=wlQ", "https://twitter.com/a/status/1"),
        (
            "https://ja.wikipedia.org/wiki/アリスとボブ?utm_source=x&oldid=1#歴史",
            "https://ja.wikipedia.org/wiki/アリスとボブ?oldid=1#歴史",
        ),
        (
            "https://x.jp/search?q=%E7%99%BD%E9%87%91&utm_medium=s&src=typed+query",
            "https://x.jp/search?q=%E7%99%BD%E9%87%91&src=typed+query",
        ),
        ("https://x.jp/?b=2&a=1&fbclid=Z&c=%20", "https://x.jp/?b=2&a=1&c=%20"),
        ("https://x.jp/?a=1&amp;utm_campaign=y&amp;b=2", "https://x.jp/?a=1&amp;b=2"),
        ("https://x.jp/?utm_source=a", "https://x.jp/"),
        ("https://x.jp/?utm%5Fsource=a&k=v", "https://x.jp/?k=v"),
    ],
)
def test_tracking_removal_is_surgical(url: str, expected: str) -> None:
    cleaned, removed = remove_params(
        url, lambda p: p.name.startswith("utm_") or p.name in ("s", "t", "fbclid")
    )
    assert cleaned == expected
    assert removed


def test_no_params_no_change() -> None:
    url = "https://ja.wikipedia.org/wiki/アリスとボブ"
    assert remove_params(url, lambda p: True) == (url, ())


# -- LN001 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "suggested"),
    [
        ("htps://example.com/", "link https://example.com/"),
        ("https:/example.com/a", "link https://example.com/a"),
        ("<https://example.com/a b>", "link https://example.com/a%20b"),
        ("https://exa,mple.com/", "correct the URL"),
        ("https://github/foo", "correct the URL"),
        ("https://example.com:99999/", "correct the URL"),
        ("<https://example.com/a(b>", "correct the URL"),
    ],
)
def test_ln001_malformed(lint: Lint, url: str, suggested: str) -> None:
    (found,) = lint(f"[x]({url})", "LN001")
    assert found["code"] == "LN001"
    assert found["fix"]["applicability"] == "suggestion"
    assert found["fix"]["description"] == suggested


@pytest.mark.parametrize(
    "url",
    [
        "mailto:a@example.com",
        "spotify:track:123",
        "https://en.wikipedia.org/wiki/Foo_(bar)",
        "/episodes/2/",
        "#notes",
        "../x.html",
        "https://ja.wikipedia.org/wiki/アリスとボブ",
        "https://例え.jp/パス?q=値",
        "http://[2001:db8::1]/x",
        "https://user@example.com:8443/a",
    ],
)
def test_ln001_silent_on_valid(lint: Lint, url: str) -> None:
    assert lint(f"[x]({url})", "LN001") == []


# -- LN002 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "after"),
    [
        ("[x]( https://a.example/b )", "[x](https://a.example/b)"),
        ("[x](https://a.example/b?c=1 )", "[x](https://a.example/b?c=1)"),
        ('[x]( https://a.example/b "t")', '[x](https://a.example/b "t")'),
    ],
)
def test_ln002_trims_padding(lint: Lint, body: str, after: str) -> None:
    (found,) = lint(body, "LN002")
    assert found["fix"]["applicability"] == "safe"
    assert fixed(body, found) == after


def test_ln002_silent_on_titles_and_tight_links(lint: Lint) -> None:
    assert lint('[x](https://a.example "title") [y](https://b.example)', "LN002") == []


# -- LN003 ----------------------------------------------------------------------------


def test_ln003_keeps_other_params(lint: Lint) -> None:
    body = "[x](https://store.example/jp/p?hl=ja-JP&utm_source=g&gclid=Z&q=%E3%81%82)"
    (found,) = lint(body, "LN003")
    assert "`utm_source`, `gclid`" in found["message"]
    assert fixed(body, found) == "[x](https://store.example/jp/p?hl=ja-JP&q=%E3%81%82)"


def test_ln003_host_specific_params(lint: Lint) -> None:
    assert codes(lint("[v](https://youtu.be/abc?si=XYZ&t=30)", "LN003")) == ["LN003"]
    # `s`/`t` are share ids on twitter.com only; elsewhere they may matter.
    assert lint("[v](https://example.com/search?s=12&t=x)", "LN003") == []


def test_ln003_configured_params(lint: Lint) -> None:
    body = "[x](https://example.com/a?ref_src=twsrc&id=3)"
    assert lint(body, "LN003") == []
    found = lint(body, "LN003", config='[links]\ntracking-params = ["ref_src"]\n')
    assert fixed(body, found[0]) == "[x](https://example.com/a?id=3)"


# -- LN004 ----------------------------------------------------------------------------


def test_ln004_shorteners(lint: Lint) -> None:
    found = lint("[a](https://bit.ly/abc) [b](https://amzn.to/x) [c](https://bitly.example/x)", "LN004")
    assert codes(found) == ["LN004", "LN004"]
    assert found[0]["fix"]["applicability"] == "suggestion"


def test_ln004_configured_shorteners(lint: Lint) -> None:
    body = "[a](https://nkbp.jp/3abc)"
    assert lint(body, "LN004") == []
    assert codes(lint(body, "LN004", config='[links]\nshorteners = ["nkbp.jp"]\n')) == ["LN004"]


# -- LN005 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://tenant.us.auth0.com/u/login?state=hKFo2SBq",
        "https://example.com/oauth/authorize?client_id=1",
        "https://example.com/doc?token=abc123",
        "https://forum.example/viewtopic.php?t=1&sid=42ab",
    ],
)
def test_ln005_session_urls(lint: Lint, url: str) -> None:
    assert codes(lint(f"[x]({url})", "LN005")) == ["LN005"]


def test_ln005_silent_on_similar_words(lint: Lint) -> None:
    assert (
        lint("[x](https://example.com/statement?page=2&state=) [y](https://example.com/login-help)", "LN005")
        == []
    )


# -- LN006 ----------------------------------------------------------------------------


def test_ln006_http_with_unsafe_fix(lint: Lint) -> None:
    body = "[x](http://example.com/a?b=1)"
    (found,) = lint(body, "LN006")
    assert found["fix"]["applicability"] == "unsafe"
    assert fixed(body, found) == "[x](https://example.com/a?b=1)"


def test_ln006_silent_on_https_and_local(lint: Lint) -> None:
    assert lint("[x](https://example.com) [y](http://localhost:4000/)", "LN006") == []


# -- LN007 ----------------------------------------------------------------------------


def test_ln007_same_url_under_different_titles(lint: Lint) -> None:
    found = lint("- [#21](/episode/21/) [#22](/episode/21/)", "LN007")
    assert codes(found) == ["LN007"]
    assert found[0]["column"] == 29


def test_ln007_deliberate_repeats_are_silent(lint: Lint) -> None:
    body = (
        "- [Codepen](https://codepen.io/)\n- [Codepen.io](https://codepen.io/) again\n"
        "- [mixi](https://mixi.example/c) and [mixi](https://mixi.example/c)\n"
        "- [reactiveconf.com](https://reactiveconf.com/) [Reactive Conf](https://reactiveconf.com/)\n"
        "- [a][r] [b][r]\n\n[r]: https://ref.example/\n"
    )
    assert lint(body, "LN007") == []


@pytest.mark.parametrize(
    "body",
    [
        # a chapter list, then the notes
        "- [00:12 Rust 2024 is out](https://blog.rust-lang.org/2024)\n\nNotes:\n\n- [Rust 2024](https://blog.rust-lang.org/2024)",
        # the same number in both texts and the URL
        "- [ep31](https://example.fm/31/)\n- [31. Release day](https://example.fm/31/)",
        # a series' page under its episodes' names
        "- [Cast for Fun - Episode 10](https://cast.example/)\n- [Cast for Fun - Episode9](https://cast.example/)",
        "- [ゆうかねラジオ #6](https://anchor.fm/yukaneradio)\n- [ゆうかねラジオ #5](https://anchor.fm/yukaneradio)",
        "- [EM.FM - as5. Bouldering](https://anchor.fm/em-fm)\n- [EM.FM - ep10. Guests](https://anchor.fm/em-fm)",
        # one title written twice
        "- [Blog: 【PUBG】6/10更新 車の種類と出現場所 - Blog](http://b.example/e/1)\n"
        "- [【PUBG】6.10更新 車の種類と出現場所 Blog](http://b.example/e/1)",
        # an alias in parentheses
        "- [ジョン・カビラのラジオ](http://radio.example/s?t=1)（[JK RADIO](http://radio.example/s?t=1)）",
        # punctuation linked around a title
        "『[』](https://amzn.example/2Z)[失敗から学ぶRDB](https://amzn.example/2Z)[』](https://amzn.example/2Z)",
        # http and https of one page
        "- [the old page](http://example.com/p)\n- [the page](https://example.com/p)",
    ],
)
def test_ln007_pages_named_twice_are_silent(lint: Lint, body: str) -> None:
    assert lint(body, "LN007") == []


@pytest.mark.parametrize(
    "body",
    [
        "- [The Male Gaze](https://a.example/the-male-gaze-part-ii/) and "
        "[The male gaze, revisited](https://a.example/the-male-gaze-part-ii/)",
        "- [花ふきん - 中川政七商店](http://shop.example/page/hanafukin.aspx)\n"
        "- [テイジン あっちこっちふきん L](http://shop.example/page/hanafukin.aspx)",
        "- [secondary views](http://blog.example/secondary-views/)\n- [Google's support](http://blog.example/secondary-views/)",
        "- [Show #5](https://show.example/episode/5)\n- [Show #6](https://show.example/episode/5)",
    ],
)
def test_ln007_slips_are_reported(lint: Lint, body: str) -> None:
    assert codes(lint(body, "LN007")) == ["LN007"]


# -- LN008 ----------------------------------------------------------------------------


def test_ln008_empty_text(lint: Lint) -> None:
    found = lint(
        "[](https://a.example) [ ](https://b.example) ![](/img.png) [ok](https://c.example)", "LN008"
    )
    assert [(v["code"], v["column"]) for v in found] == [("LN008", 1), ("LN008", 23)]


def test_ln008_titled_icon_and_empty_target_links_are_silent(lint: Lint) -> None:
    body = '[](https://twitter.com/a "Twitter") [](https://github.com/a){:.icon-github} []()\n'
    assert lint(body, "LN008") == []


# -- LN009 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:4000/x",
        "http://192.168.1.10/",
        "file:///Users/me/notes.html",
        "http://[::1]/",
        "http://10.0.0.1/",
    ],
)
def test_ln009_local_addresses(lint: Lint, url: str) -> None:
    assert codes(lint(f"[x]({url})", "LN009")) == ["LN009"]


def test_ln009_silent_on_public(lint: Lint) -> None:
    assert lint("[x](https://8.8.8.8/) [y](https://example.com/)", "LN009") == []


# -- LN010 ----------------------------------------------------------------------------

SITE_FILES: dict[str, str | bytes] = {
    "audio/057.mp3": b"ID3",
    "images/ep 1.png": b"png",
    "_drafts/secret.png": b"png",
}


def test_ln010_missing_file_with_closest_suggestion(lint: Lint) -> None:
    found = lint(
        "[dl](/audio/058.mp3) [ok](/audio/057.mp3) [ok2](/images/ep%201.png)", "LN010", files=SITE_FILES
    )
    assert codes(found) == ["LN010"]
    assert found[0]["fix"]["description"] == "did you mean `/audio/057.mp3`?"


def test_ln010_unpublished_folder(lint: Lint) -> None:
    found = lint("![x](/_drafts/secret.png)", "LN010", files=SITE_FILES)
    assert "not published" in found[0]["message"]


def test_ln010_silent_where_the_site_keeps_no_such_files(lint: Lint) -> None:
    # No `photos/` folder: hosted elsewhere or deployed apart; pages are not checked.
    assert lint("![x](/photos/1.jpg) [p](/about/) [q](/2022/09/10/57.html)", "LN010", files=SITE_FILES) == []


def test_ln010_baseurl(lint: Lint, make_site: Callable[..., Path], cli: Callable[..., CliResult]) -> None:
    site = make_site(
        {POST: FRONT + "[a](/podcast/audio/057.mp3) [b](/podcast/audio/059.mp3)\n", **SITE_FILES},
        config="title: x\nbaseurl: /podcast\n",
    )
    found = cli("check", POST, "--select", "LN010", "--format", "json", cwd=site).json()
    assert [v["column"] for v in found] == [33]


def test_ln010_symlink_out_of_the_site_does_not_count(
    make_site: Callable[..., Path], cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.mp3").write_bytes(b"x")
    site = make_site(
        {POST: FRONT + "[a](/audio/secret.mp3) [b](/audio/../../outside/secret.mp3)\n", **SITE_FILES}
    )
    (site / "audio" / "secret.mp3").symlink_to(outside / "secret.mp3")
    found = cli("check", POST, "--select", "LN010", "--format", "json", cwd=site).json()
    assert codes(found) == ["LN010"]
    assert found[0]["column"] == 5


# -- all rules ------------------------------------------------------------------------


def test_liquid_code_and_ignored_urls_are_silent(lint: Lint) -> None:
    body = (
        "[a]({{site.url}}/x?utm_source=feed) [b]({{ site.baseurl }}/audio/999.mp3) "
        "`http://localhost/x?utm_source=y` [c](http://ignored.example/?utm_source=z)\n\n"
        "```\n[d](http://bit.ly/x)\n```\n"
    )
    assert lint(body, "LN", config='[links]\nignore-urls = ["^http://ignored\\\\.example/"]\n') == []


def test_ordinary_links_are_silent(lint: Lint) -> None:
    body = (
        "[wiki](https://ja.wikipedia.org/wiki/アリスとボブ) <https://example.com/a>\n"
        "[search](https://twitter.com/search?q=%23%E7%99%BD&src=typed_query) <https://note.com/a/n/n0f0>\n"
        '<a href="https://github.com/a/b">repo</a> ![img](https://example.com/x.png)\n'
    )
    assert lint(body, "LN") == []


# -- the LN001 shortcut for clean web URLs is exact --------------------------------------

_WORDS = (
    "http", "https", "HTTPS", "httpſ", "ſ", "K", "://", ":/", "//", ":", "/", ".", "-", "?",
    "#", "&", "=", "@", " ", "\t", "\u3000", "(", ")", "[", "]", "%20", "www", "example",
    "com", "a", "1", "localhost", ":8080", "ja.wikipedia.org", "アリス", "..", "_",
)  # fmt: skip
_HOSTS = ("example.com", "a.b.c", "ex-ample.co.jp", "localhost", "a..b", "-a.com", "[::1]", "K.com", "")
_PIECES = st.one_of(st.sampled_from(_WORDS), st.text(max_size=3))
#: Mostly shaped like web URLs (a scheme, a host, a rest), so both sides of the shortcut
#: are reached often.
_URL_PARTS = st.tuples(
    st.sampled_from(["http://", "https://", "HtTp://", "httpſ://", "http:/", "", "www."]),
    st.sampled_from(_HOSTS),
    st.lists(_PIECES, max_size=8),
).map(lambda t: [t[0], t[1], *t[2]]) | st.lists(_PIECES, max_size=10)


def _urls_in_corpus(corpus: Path) -> list[str]:
    found: list[str] = []
    for post in sorted(corpus.rglob("*.md")):
        doc = read_document(post)
        page = extract(doc)
        found.extend(link.url for link in (*page.links, *page.bare))
    return found


def _assert_shortcut_exact(url: str) -> None:
    from epilint.rules.links import _CLEAN_WEB_URL, _malformed

    if _CLEAN_WEB_URL.match(url):
        assert _malformed(url) is None, url


def test_ln001_clean_url_shortcut_on_the_corpus(corpus: Path) -> None:
    found = _urls_in_corpus(corpus)
    assert len(found) > 1000
    for url in found:
        _assert_shortcut_exact(url)


@settings(max_examples=3000, deadline=None)
@given(_URL_PARTS)
def test_ln001_clean_url_shortcut_on_generated_urls(parts: list[str]) -> None:
    _assert_shortcut_exact("".join(parts))


# -- what the browser requests (WHATWG URL, as node implements it) ----------------------


def _browser(urls: list[str]) -> list[str]:
    script = (
        "const urls = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "console.log(JSON.stringify(urls.map((u) => new URL(u).href)));"
    )
    done = subprocess.run(
        ["node", "-e", script], input=json.dumps(urls), capture_output=True, text=True, check=True
    )
    return list(json.loads(done.stdout))


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node (the WHATWG URL parser browsers use)")
def test_ln001_says_what_the_browser_requests() -> None:
    """Each LN001 message about a URL kramdown keeps names the URL a browser makes of it."""
    from epilint.rules.links import _malformed

    urls = [
        "https://example.com/c\\(d\\)",
        "https://example.com/a\u3000",
        "https://example.com/%E5%A %A2",
        "https://example.com/\u00a0x\u2003y",
    ]
    for url, requested in zip(urls, _browser(urls), strict=True):
        problem = _malformed(url)
        assert problem is not None, url
        assert f"`{requested}`" in problem[0], (url, problem[0], requested)
    # tabs and line ends the browser drops: it requests the URL without them
    dropped = ["https://example.com/a\tb", "https://example.com/a\nb/", " https://example.com/c "]
    assert _browser(dropped) == ["https://example.com/ab", "https://example.com/ab/", "https://example.com/c"]
    assert [_malformed(url) for url in dropped] == [None, None, None]


# -- LN012 ----------------------------------------------------------------------------

#: The stock yattecast feed template: with it the feed phase models the build, so the
#: post's URL and the site's pages are known.
FEED_TEMPLATE = (Path(__file__).resolve().parent.parent / "fixtures" / "site" / "feed.xml").read_text(
    encoding="utf-8"
)


@pytest.mark.parametrize(
    ("url", "opened", "suggested"),
    [
        ("www.example.com/paper", "/2022/09/10/www.example.com/paper", "link https://www.example.com/paper"),
        ("https//example.com/a", "/2022/09/10/https//example.com/a", "link https://example.com/a"),
        ("example.co.jp/x?y=1", "/2022/09/10/example.co.jp/x", "link https://example.co.jp/x?y=1"),
        ("[https://a.example/x](https://a.example/y)", "/2022/09/10/[https://a.example/x](https://a.example/y)",
         "link https://a.example/y"),
        ("<ISRに魅力 https://nextjs.org/>", "/2022/09/10/ISR%E3%81%AB%E9%AD%85%E5%8A%9B%20https://nextjs.org/",
         "link https://nextjs.org/"),
        ("notes.pdf", "/2022/09/10/notes.pdf", "write the full URL, or a path the site has"),
        ("images/logo.png", "/2022/09/10/images/logo.png", "link /images/logo.png"),
        ("../../../2022/09/03/2.htm", "/2022/09/03/2.htm", "write the full URL, or a path the site has"),
    ],
)  # fmt: skip
def test_ln012_opens_a_page_the_site_does_not_have(lint: Lint, url: str, opened: str, suggested: str) -> None:
    files: dict[str, str | bytes] = {"feed.xml": FEED_TEMPLATE, "images/logo.png": b"\x89PNG"}
    (found,) = lint(f"[x]({url})", "LN012", files=files)
    assert f"opens `{opened}` relative to this page, which the site does not have: a 404" in found["message"]
    assert found["fix"]["description"] == suggested


def test_ln012_leaves_paths_the_site_has_alone(lint: Lint) -> None:
    """Relative links to a post (its permalink), a page, a folder's index and a file."""
    files: dict[str, str | bytes] = {
        "feed.xml": FEED_TEMPLATE,
        "_posts/2022-09-03-2.md": "---\ntitle: 2. Two\n---\nBody.\n",
        "2022/09/10/notes/index.md": "---\ntitle: Notes\n---\n",
        "2022/09/10/shownotes.md": "---\ntitle: Show notes\n---\n",
        "2022/09/10/cover.png": b"\x89PNG",
    }
    body = (
        "[two](../03/2.html) [two](../03/2) [notes](notes/) [notes](notes) [notes](./notes/index.html) "
        "[show](shownotes.html) [show](shownotes) ![cover](cover.png) [feed](../../../feed.xml)"
    )
    assert lint(body, "LN012", files=files) == []
    # the same links from a post whose URL is another folder open nothing, but the feed
    moved = {**files, "_config.yml": "permalink: /episode/:title/\n"}
    found = lint(body, "LN012", files=moved)
    assert len(found) == 8
    assert all("opens `/episode/" in f["message"] for f in found)


def test_ln012_without_the_page_url_reports_only_what_cannot_be_a_path(lint: Lint) -> None:
    """No feed template: the post's URL is not modelled, so only targets that are not
    paths (a host, `://`, spaces, `](`) are reported, and the message says the URL is unknown."""
    found = lint("[a](notes.pdf) [b](www.example.com/x) [c](-https://example.com/) [d](sub/page)", "LN012")
    assert [f["fix"]["description"] for f in found] == [
        "link https://www.example.com/x",
        "link https://example.com/",
    ]
    assert all("epilint could not tell the page's URL" in f["message"] for f in found)


def test_ln012_swapped_text_and_target(lint: Lint) -> None:
    (found,) = lint("[https://example.com/v](a video)", "LN012", files={"feed.xml": FEED_TEMPLATE})
    assert found["fix"]["description"] == "link https://example.com/v"


def test_ln012_answer_follows_the_site(make_site: Callable[..., Path], cli: Callable[..., CliResult]) -> None:
    """With the results cache on, a page added to the site clears the finding."""
    site = make_site({POST: FRONT + "[notes](notes.html)\n", "feed.xml": FEED_TEMPLATE})
    first = cli("check", POST, "--select", "LN012", "--format", "json", cwd=site).json()
    assert [v["code"] for v in first] == ["LN012"]
    page = site / "2022" / "09" / "10" / "notes.md"
    page.parent.mkdir(parents=True)
    page.write_text("---\ntitle: Notes\n---\n", encoding="utf-8")
    assert cli("check", POST, "--select", "LN012", "--format", "json", cwd=site).json() == []
    page.unlink()
    assert [
        v["code"] for v in cli("check", POST, "--select", "LN012", "--format", "json", cwd=site).json()
    ] == ["LN012"]


_SEGMENTS = st.sampled_from(
    ["a", "b.html", "", ".", "..", "%2e", "%2E%2e", ".%2e", "x y", "ü", "\\", "c\\d", "[u](v)"]
)


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node (the WHATWG URL parser browsers use)")
@settings(max_examples=1, deadline=None)
@given(
    st.lists(
        st.tuples(st.lists(_SEGMENTS, max_size=4), st.lists(_SEGMENTS, min_size=1, max_size=5)),
        min_size=300,
        max_size=300,
    )
)
def test_resolve_path_agrees_with_the_browser(pairs: list[tuple[list[str], list[str]]]) -> None:
    """``resolve_path`` against node's WHATWG URL (what a browser opens), on generated
    bases and path-relative references; prints the agreement."""
    from urllib.parse import unquote

    from epilint.links.urls import resolve_path

    cases = []
    for base, reference in pairs:
        ref = "/".join(reference).lstrip("/\\") + "?q#f"
        if not ref.strip("?#qf"):
            continue
        cases.append(("/" + "/".join(s for s in base if "\\" not in s), ref))
    script = (
        "const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "console.log(JSON.stringify(cases.map(([b, r]) => new URL(r, 'http://s' + b).pathname)));"
    )
    done = subprocess.run(
        ["node", "-e", script], input=json.dumps(cases), capture_output=True, text=True, check=True
    )
    browser = json.loads(done.stdout)
    agreed = sum(
        unquote(resolve_path(b, r)) == unquote(want) for (b, r), want in zip(cases, browser, strict=True)
    )
    print(f"resolve_path vs WHATWG URL: {agreed}/{len(cases)} agree")
    assert agreed == len(cases), [
        (b, r, resolve_path(b, r), want)
        for (b, r), want in zip(cases, browser, strict=True)
        if unquote(resolve_path(b, r)) != unquote(want)
    ][:5]
