"""Reading a built feed safely, and mapping its items back to posts (``epilint/feed/built.py``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from epilint.feed import built
from epilint.feed.predict import predict_site
from tests.conftest import write_files

NOW = dt.datetime(2026, 8, 1, tzinfo=dt.timezone.utc)

FEED = """\
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel>
<title>T &amp; U</title>
<item>
  <title>One</title>
  <link>https://example.org/blog/2024/01/02/one.html</link>
  <guid isPermaLink="true">https://example.org/blog/2024/01/02/one.html</guid>
  <description><![CDATA[<p>notes</p>]]></description>
  <enclosure url="https://example.org/a/1.mp3" length="10" type="audio/mpeg"/>
  <itunes:owner><itunes:name>N</itunes:name></itunes:owner>
</item>
<item>
  <title>Two</title>
  <link>https://example.org/blog/%E3%81%82/</link>
  <guid isPermaLink="false">urn:x:2</guid>
</item>
<item><title>Stranger</title><link>https://elsewhere.example/x</link></item>
</channel>
</rss>
"""


def test_values_and_lines(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(FEED, encoding="utf-8")
    feed = built.read(path)
    assert feed.error is None
    assert [(e.path, e.text.text if e.text else None, e.line) for e in feed.channel] == [
        ("title", "T & U", 4)
    ]
    first = feed.items[0]
    assert first.line == 5
    guid = first.element("guid")
    assert guid is not None
    assert guid.line == 8
    assert dict(guid.attrs)["isPermaLink"].text == "true"
    description = first.element("description")
    assert description is not None
    assert description.text is not None
    assert description.text.text == "<p>notes</p>"
    assert description.text.in_cdata
    enclosure = first.element("enclosure")
    assert enclosure is not None
    assert dict(enclosure.attrs)["url"].text == "https://example.org/a/1.mp3"
    assert first.element("itunes:owner/itunes:name") is not None
    assert len(feed.items) == 3


def test_entities_are_never_expanded(tmp_path: Path) -> None:
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>\n'
        "<rss><channel><item><title>&b;</title></item></channel></rss>\n"
    )
    external = (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        "<rss><channel><item><title>&x;</title></item></channel></rss>\n"
    )
    for name, text in (("bomb", bomb), ("external", external)):
        path = tmp_path / f"{name}.xml"
        path.write_text(text, encoding="utf-8")
        feed = built.read(path)
        assert feed.error is not None
        assert feed.error.startswith("refused"), feed.error
        assert feed.items == ()


def test_not_xml_not_rss_not_a_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text("<rss><channel>\n<item><title>a & b</title></item></channel></rss>", encoding="utf-8")
    feed = built.read(broken)
    assert feed.error is not None
    assert feed.error.startswith("not well-formed XML")
    assert feed.error_line == 2
    atom = tmp_path / "atom.xml"
    atom.write_text('<feed xmlns="http://www.w3.org/2005/Atom"><entry/></feed>', encoding="utf-8")
    assert not built.read(atom).rss
    assert built.read(tmp_path).error == "not read: not a regular file but a folder"


def test_items_are_mapped_to_posts_through_their_urls(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_files(
        site,
        {
            "_config.yml": "url: https://example.org\nbaseurl: /blog\n",
            "_posts/2024-01-02-one.md": "---\ntitle: One\n---\n",
            "_posts/2024-01-03-two.md": "---\ntitle: Two\npermalink: /あ/\n---\n",
        },
    )
    path = tmp_path / "feed.xml"
    path.write_text(FEED, encoding="utf-8")
    urls = built.post_urls(site, NOW)
    mapped = built.map_posts(
        built.read(path), urls, built.base_paths({"url": "https://example.org", "baseurl": "/blog"})
    )
    assert [item.post for item in mapped.items] == [
        "_posts/2024-01-02-one.md",
        "_posts/2024-01-03-two.md",
        None,
    ]


def test_provenance_keeps_the_built_text_and_the_predicted_keys(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_files(
        site,
        {
            "_config.yml": "url: https://example.org\n",
            "_posts/2024-01-02-one.md": "---\ntitle: One\n---\nBody.\n",
            "feed.xml": (
                "---\n---\n<rss><channel>{% for post in site.posts %}\n<item>\n"
                "<title>{{ post.title }}</title>\n"
                "<description>{{ post.content | xml_escape }}</description>\n<extra>x</extra>\n"
                "</item>{% endfor %}</channel></rss>\n"
            ),
        },
    )
    prediction = predict_site(site, NOW)
    ((_, predicted),) = prediction.items_for("_posts/2024-01-02-one.md")
    feed = tmp_path / "built.xml"
    feed.write_text(
        "<rss><channel>\n<item>\n<title>One (built)</title>\n"
        "<description>&lt;p&gt;Body.&lt;/p&gt;</description>\n"
        "<new>y</new>\n</item></channel></rss>\n",
        encoding="utf-8",
    )
    (item,) = built.read(feed).items
    merged = built.provenance(item, predicted)
    title = merged.element("title")
    assert title is not None
    assert title.text is not None
    assert (title.text.text, title.text.keys, title.text.template, title.text.line) == (
        "One (built)", ("title",), "feed.xml", 5,
    )  # fmt: skip
    description = merged.element("description")
    assert description is not None
    assert description.text is not None
    assert description.text.text == "<p>Body.</p>"
    assert description.text.content is None  # the real text replaces the predicted content
    new = merged.element("new")
    assert new is not None
    assert (new.template, new.line) == (feed.as_posix(), 5)  # no twin: the built feed's line
