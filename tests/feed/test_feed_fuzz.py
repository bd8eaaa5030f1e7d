"""Generated templates, front matter and configs: the feed model never raises."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from epilint.feed.predict import predict_site

FRAGMENTS = [
    "<rss><channel>",
    "</channel></rss>",
    "<item>",
    "</item>",
    '<enclosure url="{{ post.audio }}" length="{{ post.size }}"/>',
    "{% for post in site.posts %}",
    "{% endfor %}",
    "{% if post.title %}",
    "{% else %}",
    "{% endif %}",
    "{{ post.title | xml_escape }}",
    "{{ post.content | strip_html | truncate: 20 }}",
    "{{ post.date | date: '%Y %Z %:z %-d' }}",
    "{{ post.date | date_to_rfc822 }}",
    "{{ site.time | date_to_xmlschema }}",
    "{{ post.size | times: 1.5 | round: 2 }}",
    "{{ post.size | divided_by: post.zero }}",
    "{% include a.html x=post.title %}",
    "{% include {{ post.inc }} %}",
    "{% capture c %}{{ post.url }}{% endcapture %}{{ c | append: '&' }}",
    "{% assign s = site.posts | where_exp: 'p', 'p.size > 1' | sort: 'title' %}",
    "{{ post | jsonify }}",
    "{{ site.github.url }}",
    "{% raw %}{{ x }}{% endraw %}",
    "{{ post.tags | join: ',' | slugify: 'pretty' }}",
    "{% unless post.categories contains 'blog' %}",
    "{% endunless %}",
    "{{",
    "{%",
    "}}",
    "]]>",
    "<![CDATA[",
    "&",
    "<",
    "\r\n",
    "\ue010",
]

SCALARS = st.one_of(
    st.sampled_from(
        ["45:30", "2022-09-10", "2022-09-10 10:00:00 +09:00", "1e3", "~", "yes", "0x1F", "-", "[", "{a: 1}"]
    ),
    st.text(max_size=12),
    st.integers(),
    st.floats(allow_nan=True),
)


@st.composite
def sites(draw: st.DrawFn) -> tuple[str, list[tuple[str, str]], str]:
    template = "---\n---\n" + "".join(draw(st.lists(st.sampled_from(FRAGMENTS), max_size=25)))
    posts = []
    for index in range(draw(st.integers(0, 4))):
        keys = draw(
            st.lists(
                st.sampled_from(
                    [
                        "title",
                        "date",
                        "size",
                        "audio",
                        "tags",
                        "categories",
                        "permalink",
                        "published",
                        "slug",
                        "inc",
                        "zero",
                    ]
                ),
                max_size=6,
                unique=True,
            )
        )
        lines = [f"{key}: {draw(SCALARS)!s}".replace("\n", " ") for key in keys]
        name = draw(
            st.sampled_from(
                [f"2023-01-0{index + 1}-p{index}.md", f"20-1-{index + 1}-x.md", f"2023-13-01-{index}.md"]
            )
        )
        posts.append((name, "---\n" + "\n".join(lines) + "\n---\nbody " + draw(st.text(max_size=10)) + "\n"))
    config = draw(
        st.sampled_from(
            [
                "",
                "timezone: Asia/Tokyo\n",
                "permalink: pretty\n",
                "permalink: /:bogus/\n",
                "future: true\nplugins: [jekyll-github-metadata]\n",
                "timezone: [\n",
                "defaults:\n  - values: {size: 3}\n",
            ]
        )
    )
    return template, posts, config


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sites())
def test_predict_never_raises(site: tuple[str, list[tuple[str, str]], str]) -> None:
    template, posts, config = site
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "_config.yml").write_text("title: t\nurl: https://x.org\n" + config)
        (root / "feed.xml").write_text(template)
        (root / "_includes").mkdir()
        (root / "_includes" / "a.html").write_text("[{{ include.x }}]{% include a.html %}")
        (root / "_posts").mkdir()
        for name, text in posts:
            (root / "_posts" / name).write_text(text)
        prediction = predict_site(root, dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))
        for feed in prediction.feeds:
            assert (feed.error is None) or (feed.error_kind in ("site", "render", "syntax", "model"))
