"""The feed model without Jekyll: records, sources, template lines, unknowns, and bad
input (broken templates, include loops, paths out of the site, huge loops, big files)."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest

from epilint.feed.files import MAX_FILE
from epilint.feed.predict import FeedItem, PredictedFeed, predict_site, render_text
from epilint.feed.values import ruby_float

NOW = dt.datetime(2024, 6, 1, tzinfo=dt.timezone.utc)

FEED = """\
---
---
<rss><channel>
<title>{{ site.title | xml_escape }}</title>
{% for post in site.posts %}<item>
<title>{{ post.title | xml_escape }}</title>
<guid>{{ site.url }}{{ post.url }}</guid>
<enclosure url="{{ site.url }}{{ post.audio_file_path }}" length="{{ post.audio_file_size }}" \
type="audio/mpeg"/>
<description>{{ post.content | xml_escape }}</description>
<content><![CDATA[{{ post.content }}]]></content>
<itunes:duration>{{ post.duration }}</itunes:duration>
</item>{% endfor %}
</channel></rss>
"""


def make_site(tmp: Path, feed: str = FEED, posts: dict[str, str] | None = None, config: str = "") -> Path:
    root = tmp / "site"
    (root / "_posts").mkdir(parents=True)
    (root / "_config.yml").write_text("title: A & B\nurl: https://x.org\ntimezone: Asia/Tokyo\n" + config)
    (root / "feed.xml").write_text(feed, encoding="utf-8")
    for name, text in (posts or {"2024-01-02-one.md": POST}).items():
        path = root / "_posts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


POST = (
    "---\ntitle: One <1>\naudio_file_path: /a/1.mp3\naudio_file_size: 573.675125\nduration: 45:30\n---\nHi\n"
)


def only_feed(root: Path) -> PredictedFeed:
    prediction = predict_site(root, NOW)
    assert len(prediction.feeds) == 1
    return prediction.feeds[0]


def only_item(root: Path) -> FeedItem:
    feed = only_feed(root)
    assert feed.error is None, feed.error
    assert len(feed.items) == 1
    return feed.items[0]


def test_item_values_sources_and_lines(tmp_path: Path) -> None:
    item = only_item(make_site(tmp_path))
    assert item.post == "_posts/2024-01-02-one.md"
    assert item.identity == "https://x.org/2024/01/02/one.html"
    title = item.element("title")
    assert title is not None
    assert title.text is not None
    assert title.text.text == "One <1>"
    assert title.text.keys == ("title",)
    assert (title.text.template, title.text.line) == ("feed.xml", 6)
    assert title.text.expressions == ("post.title | xml_escape",)
    enclosure = item.element("enclosure")
    assert enclosure is not None
    attrs = dict(enclosure.attrs)
    assert attrs["length"].text == "573.675125"  # a Float as Ruby prints it
    assert attrs["length"].keys == ("audio_file_size",)
    assert attrs["url"].keys == ("audio_file_path",)
    assert attrs["url"].site_keys == ("url",)
    assert attrs["type"].keys == ()
    assert enclosure.line == 8
    duration = item.element("itunes:duration")
    assert duration is not None
    assert duration.text is not None
    assert duration.text.text == "163800"  # unquoted 45:30 is base 60 to Psych


def test_content_is_opaque_with_its_insertion_mode(tmp_path: Path) -> None:
    item = only_item(make_site(tmp_path))
    description = item.element("description")
    content = item.element("content")
    assert description is not None
    assert description.text is not None
    assert content is not None
    assert content.text is not None
    assert description.text.text is None
    assert description.text.content is not None
    assert description.text.content.mode == "escaped"
    assert description.text.content.post == "_posts/2024-01-02-one.md"
    assert content.text.content is not None
    assert content.text.content.mode == "cdata"


def test_channel_elements(tmp_path: Path) -> None:
    feed = only_feed(make_site(tmp_path))
    [title] = [e for e in feed.channel if e.path == "title"]
    assert title.text is not None
    assert title.text.text == "A & B"
    assert title.text.site_keys == ("title",)
    assert title.line == 4


def test_plugin_filter_is_unknown(tmp_path: Path) -> None:
    feed = FEED.replace("{{ post.audio_file_size }}", "{{ post.audio_file_url | filesize }}")
    root = make_site(tmp_path, feed)
    (root / "_plugins").mkdir()
    (root / "_plugins" / "f.rb").write_text(
        "module Size\n  def filesize(url)\n    1\n  end\nend\nLiquid::Template.register_filter(Size)\n"
    )
    item = only_item(root)
    enclosure = item.element("enclosure")
    assert enclosure is not None
    length = dict(enclosure.attrs)["length"]
    assert length.text is None
    assert length.unknown is not None
    assert "filesize" in length.unknown
    assert "_plugins/f.rb" in length.unknown


def test_filter_defined_nowhere_returns_its_input(tmp_path: Path) -> None:
    feed = FEED.replace("{{ post.duration }}", "{{ post.duration | nosuchfilter: 3 }}")
    root = make_site(tmp_path, feed)
    feed_record = only_feed(root)
    assert feed_record.undefined_filters == ("nosuchfilter",)
    element = feed_record.items[0].element("itunes:duration")
    assert element is not None
    assert element.text is not None
    assert element.text.text == "163800"


def test_plugin_tag_is_unknown_not_an_error(tmp_path: Path) -> None:
    feed = FEED.replace("{{ post.duration }}", "{% mytag x %}")
    root = make_site(tmp_path, feed)
    (root / "_plugins").mkdir()
    (root / "_plugins" / "t.rb").write_text("Liquid::Template.register_tag('mytag', MyTag)\n")
    element = only_item(root).element("itunes:duration")
    assert element is not None
    assert element.text is not None
    assert element.text.unknown == "tag `mytag` from a plugin"


def test_future_and_unpublished_posts(tmp_path: Path) -> None:
    posts = {
        "2024-01-02-one.md": POST,
        "2024-07-01-later.md": POST.replace("One", "Later"),
        "2024-01-03-off.md": "---\ntitle: Off\npublished: false\n---\n",
    }
    root = make_site(tmp_path, posts=posts)
    assert [i.post for i in only_feed(root).items] == ["_posts/2024-01-02-one.md"]
    root2 = make_site(tmp_path / "b", posts=posts, config="future: true\n")
    assert len(only_feed(root2).items) == 2


@pytest.mark.parametrize(
    ("template", "needle", "kind"),
    [
        ("{% for post in site.posts %}", "for", "syntax"),  # never closed
        ("{{ post.title | }}", "expected", "syntax"),
        ("{% include nothere.html %}", "Could not locate", "render"),
        ("{% include ../../etc/passwd %}", "Invalid syntax", "render"),
        ("{% include self.html %}", "depth", "model"),
        ("{% for i in (1..100000000) %}{{ i }}{% endfor %}", "limit", "model"),
        ("{{ 1 | divided_by: 0 }}", "divided by 0", "render"),
    ],
)
def test_bad_templates_give_an_error_not_a_traceback(
    tmp_path: Path, template: str, needle: str, kind: str
) -> None:
    root = make_site(tmp_path, FEED.replace("<title>{{ site.title | xml_escape }}</title>", template))
    (root / "_includes").mkdir()
    (root / "_includes" / "self.html").write_text("x{% include self.html %}")
    started = time.monotonic()
    feed = only_feed(root)
    assert time.monotonic() - started < 30
    assert feed.error is not None
    assert needle in feed.error
    assert feed.error_kind == kind
    assert feed.items == ()


def test_an_invalid_date_stops_the_build(tmp_path: Path) -> None:
    root = make_site(tmp_path, posts={"2024-01-02-one.md": POST, "2024-13-02-bad.md": "---\ntitle: x\n---\n"})
    feed = only_feed(root)
    assert feed.error_kind == "site"
    assert feed.error is not None
    assert "Invalid date '2024-13-02'" in feed.error


def test_never_reads_outside_the_site(tmp_path: Path) -> None:
    secret = tmp_path / "secret.html"
    secret.write_text("SECRET")
    root = make_site(tmp_path, FEED.replace("{{ post.duration }}", "{% include link.html %}"))
    (root / "_includes").mkdir()
    os.symlink(secret, root / "_includes" / "link.html")
    os.symlink(secret, root / "_posts" / "2024-01-05-linked.md")
    feed = only_feed(root)
    assert feed.error is not None
    assert "SECRET" not in feed.error
    assert "outside the site" in feed.error


def test_large_files_are_not_read(tmp_path: Path) -> None:
    big = "---\ntitle: Big\n---\n" + "x" * (MAX_FILE + 10)
    root = make_site(tmp_path, posts={"2024-01-02-one.md": POST, "2024-01-03-big.md": big})
    prediction = predict_site(root, NOW)
    assert [i.post for i in prediction.feeds[0].items] == ["_posts/2024-01-02-one.md"]
    assert any("2024-01-03-big.md" in p for p in prediction.problems)


def test_marker_characters_in_front_matter_cannot_forge_values(tmp_path: Path) -> None:
    post = POST.replace("One <1>", "\ue0100\ue011 \ue0000\ue001x\ue002")
    item = only_item(make_site(tmp_path, posts={"2024-01-02-one.md": post}))
    title = item.element("title")
    assert title is not None
    assert title.text is not None
    assert title.text.text is not None
    assert "\ufffd" in title.text.text


def test_a_date_shape_the_model_does_not_read_is_unknown(tmp_path: Path) -> None:
    post = POST.replace("title: One <1>", "title: One\ndate: next tuesday 3pm")
    feed = FEED.replace("{{ post.duration }}", "{{ post.date | date_to_rfc822 }}")
    prediction = predict_site(make_site(tmp_path, feed, {"2024-01-02-one.md": post}), NOW)
    assert any("next tuesday" in p for p in prediction.problems)
    assert prediction.feeds[0].order_known is False
    element = prediction.feeds[0].items[0].element("itunes:duration")
    assert element is not None
    assert element.text is not None
    assert element.text.unknown is not None


def test_broken_front_matter_and_config_do_not_crash(tmp_path: Path) -> None:
    posts = {"2024-01-02-one.md": POST, "2024-01-03-bad.md": "---\ntitle: [unclosed\n---\nbody\n"}
    root = make_site(tmp_path, posts=posts)
    (root / "_config.yml").write_text("title: [\n")
    prediction = predict_site(root, NOW)
    assert any("_config.yml" in p for p in prediction.problems)
    assert any("2024-01-03-bad.md" in p for p in prediction.problems)


def test_render_text_prints_ruby_values() -> None:
    rendered = render_text(
        "{{ a }}|{{ b }}|{{ c }}|{{ d }}", {"a": 1e20, "b": None, "c": [1, [2]], "d": False}
    )
    assert rendered.text == "1.0e+20||12|false"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (573.675125, "573.675125"),
        (1e15, "1.0e+15"),
        (123456789012345.0, "123456789012345.0"),
        (1e-5, "1.0e-05"),
        (0.0001, "0.0001"),
        (-0.0, "-0.0"),
        (2.0, "2.0"),
        (float("inf"), "Infinity"),
        (4.3e7, "43000000.0"),
    ],
)
def test_ruby_float(value: float, text: str) -> None:
    assert ruby_float(value) == text


def test_computed_and_missing_keys(tmp_path: Path) -> None:
    post = "---\ntitle: Two\nslug: my-slug\naudio_file_path: /a/2.mp3\n---\nx\n"
    root = make_site(tmp_path, posts={"2024-01-02-two.md": post}, config="permalink: /ep/:title/\n")
    item = only_item(root)
    guid = item.element("guid")
    assert guid is not None
    assert guid.text is not None
    assert guid.text.text == "https://x.org/ep/my-slug/"
    assert guid.text.computed == ("url",)
    assert guid.text.keys == ("slug",)  # the URL's :title is the slug
    enclosure = item.element("enclosure")
    assert enclosure is not None
    length = dict(enclosure.attrs)["length"]
    assert length.text == ""
    assert length.missing == ("audio_file_size",)
    root2 = make_site(tmp_path / "b", posts={"2024-01-02-two.md": post.replace("slug: my-slug\n", "")})
    guid2 = only_item(root2).element("guid")
    assert guid2 is not None
    assert guid2.text is not None
    assert guid2.text.keys == ()  # from the file name and its date only
    assert guid2.text.computed == ("url",)


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{% if post.content contains 'Hi' %}yes{% endif %}", None),
        ("{% if post.content %}yes{% endif %}", "yes"),  # a String is always truthy
        ("{% if x == 1 %}yes{% endif %}", "yes"),
        ("{% if u == 1 %}yes{% else %}no{% endif %}", None),
        ("{% unless u %}yes{% endunless %}", None),
        ("{% case u %}{% when 1 %}one{% endcase %}", None),
        ("{% for c in u %}{{ c }}{% endfor %}", None),
    ],
)
def test_conditions_on_unknown_values_are_unknown(
    tmp_path: Path, template: str, expected: str | None
) -> None:
    feed = FEED.replace(
        "{{ post.duration }}", "{% assign x = 1 %}{% assign u = post.audio_file_url | plug %}" + template
    )
    root = make_site(tmp_path, feed)
    (root / "_plugins").mkdir()
    (root / "_plugins" / "p.rb").write_text(
        "module P\n  def plug(x)\n  end\nend\nLiquid::Template.register_filter(P)\n"
    )
    element = only_item(root).element("itunes:duration")
    assert element is not None
    assert element.text is not None
    if expected is None:
        assert element.text.text is None
        assert element.text.unknown is not None
    else:
        assert element.text.text == expected


def test_filter_chains_and_cdata_are_recorded(tmp_path: Path) -> None:
    item = only_item(make_site(tmp_path))
    title = item.element("title")
    content = item.element("content")
    duration = item.element("itunes:duration")
    assert title is not None
    assert title.text is not None
    assert title.text.filters == (("xml_escape",),)
    assert not title.text.in_cdata
    assert content is not None
    assert content.text is not None
    assert content.text.in_cdata
    assert duration is not None
    assert duration.text is not None
    assert duration.text.filters == ((),)  # printed raw


def test_special_files_are_never_opened(tmp_path: Path) -> None:
    root = make_site(tmp_path)
    os.mkfifo(root / "pipe.xml")
    os.mkfifo(root / "_posts" / "2024-01-03-pipe.md")
    started = time.monotonic()
    feed = only_feed(root)
    assert time.monotonic() - started < 30
    assert len(feed.items) == 1


def test_front_matter_defaults_apply_to_posts(tmp_path: Path) -> None:
    config = (
        "defaults:\n  - scope: {path: '_posts/*', type: posts}\n    values: {duration: '01:00'}\n"
        "  - scope: {path: ''}\n    values: {duration: 'broad'}\n"
    )
    item = only_item(
        make_site(tmp_path, posts={"2024-01-02-one.md": POST.replace("duration: 45:30\n", "")}, config=config)
    )
    duration = item.element("itunes:duration")
    assert duration is not None
    assert duration.text is not None
    assert duration.text.text == "01:00"  # the longer scope path wins
    assert duration.text.keys == ("duration",)


def test_theme_files_and_unmodelled_gems_are_reported(tmp_path: Path) -> None:
    feed = FEED.replace("---\n---\n", "---\nlayout: themed\n---\n", 1)
    root = make_site(tmp_path, feed, config="theme: some-theme\nplugins: [jekyll-octopod]\n")
    prediction = predict_site(root, NOW)
    [record] = prediction.feeds
    assert record.error_kind == "model"
    assert record.error is not None
    assert "some-theme" in record.error
    assert any("jekyll-octopod" in p for p in prediction.problems)
    root2 = make_site(tmp_path / "b", feed)  # no theme: Jekyll renders without the missing layout
    assert only_feed(root2).error is None


def test_items_for_a_post_and_skipped_posts(tmp_path: Path) -> None:
    feed = FEED.replace("{% for post in site.posts %}", "{% for post in site.posts %}{% unless post.skip %}")
    feed = feed.replace("</item>{% endfor %}", "</item>{% endunless %}{% endfor %}")
    posts = {"2024-01-02-one.md": POST, "2024-01-03-blog.md": "---\ntitle: Blog\nskip: true\n---\nx\n"}
    prediction = predict_site(make_site(tmp_path, feed, posts), NOW)
    [record] = prediction.feeds
    assert prediction.posts == ("_posts/2024-01-03-blog.md", "_posts/2024-01-02-one.md")
    assert prediction.skipped_posts(record) == ("_posts/2024-01-03-blog.md",)
    [(found_feed, item)] = prediction.items_for("_posts/2024-01-02-one.md")
    assert found_feed is record
    assert item.post == "_posts/2024-01-02-one.md"
    assert prediction.items_for("_posts/2024-01-03-blog.md") == []
