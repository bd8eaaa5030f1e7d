"""A synthetic Jekyll site with the shapes feeds meet: permalink styles and placeholders,
categories from folders and front matter, front-matter defaults, ``published``, future
posts, date shapes (Psych times with and without offsets, dates, quoted and RFC 2822
texts), slugs, Unicode titles, a collection with its own permalink, includes with
parameters, ``include_relative``, ``capture``, a layout, CR LF line endings, ``where``,
``sort``, ``limit``/``offset`` and category tests in the loop.

``write_site(folder, permalink)`` writes it; the oracle builds it with the real Jekyll
for several ``permalink`` styles and compares every value with the prediction.
"""

from __future__ import annotations

from pathlib import Path

CONFIG = """\
title: "Shapes & <Co>"
description: 'It''s a "test" site'
url: https://example.org
baseurl: /pod
timezone: America/New_York
permalink: {permalink}
excerpt_separator: "<!--more-->"
collections:
  episodes:
    output: true
    permalink: /ep/:title/
defaults:
  - scope:
      path: "_posts/season2"
    values:
      season: 2
      category: two
  - scope:
      type: posts
    values:
      author: default-author
exclude:
  - ignored
"""

FEED = """\
---
layout: shell
---
{%- capture channel_note -%}{% include note.html kind="channel" who=site.title %}{%- endcapture -%}
<channel>
  <title>{{ site.title | xml_escape }}</title>
  <link>{{ "/" | absolute_url }}</link>
  <description>{{ site.description | xml_escape }} {{ channel_note | strip }}</description>
  <lastBuildDate>{{ site.time | date_to_rfc822 }}</lastBuildDate>
  {%- assign listed = site.posts | where_exp: "p", "p.hidden != true" -%}
  {%- for post in site.posts limit: 40 offset: 0 %}
  {%- unless post.categories contains 'blog' %}
  <item>
    <title>{{ post.title | xml_escape }}</title>
    <link>{{ post.url | absolute_url }}</link>
    <guid isPermaLink="false">{{ post.id }}</guid>
    <pubDate>{{ post.date | date_to_rfc822 }}</pubDate>
    <dc:date>{{ post.date | date_to_xmlschema }}</dc:date>
    <day>{{ post.date | date: "%-d %B %Y, %A %j" }}</day>
    <category>{{ post.categories | join: "/" }}</category>
    <tags>{{ post.tags | array_to_sentence_string }}</tags>
    <author>{{ post.author | default: site.title }}</author>
    <season>{{ post.season }}</season>
    <slug>{{ post.slug }}|{{ post.title | slugify }}|{{ post.title | slugify: "pretty" }}</slug>
    <size>{{ post.size_mb | times: 1048576 | round }}</size>
    <duration>{{ post.duration }}</duration>
    <note>{{ post.note }}</note>
    <number>{{ forloop.index }}/{{ forloop.length }}</number>
    <description><![CDATA[{{ post.excerpt }}]]></description>
    <content:encoded>{{ post.content | xml_escape }}</content:encoded>
    {%- include enclosure.xml post=post %}
  </item>
  {%- endunless %}
  {%- endfor %}
  {%- assign episodes = site.episodes | sort: "number" %}
  {%- for ep in episodes %}
  <item>
    <title>{{ ep.title }}</title>
    <link>{{ ep.url | relative_url }}</link>
    <guid>{{ site.url }}{{ ep.url }}</guid>
    <pubDate>{{ ep.date | date_to_rfc822 }}</pubDate>
  </item>
  {%- endfor %}
  {% include_relative extra.xml %}
</channel>
"""

LAYOUT = """\
---
---
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
{{ content }}
</rss>
"""

INCLUDES = {
    "note.html": "{{ include.kind }} note for {{ include.who | xml_escape }}",
    "enclosure.xml": (
        '\n    <enclosure url="{{ site.url }}{{ site.baseurl }}/audio/{{ include.post.audio | uri_escape }}"'
        ' length="{{ include.post.length }}" type="audio/mpeg"/>'
    ),
}

POSTS = {
    "_posts/2023-01-05-first-post.md": (
        "---\ntitle: First & <best>\ndate: 2023-01-05 10:30:00 +0900\ntags: [a, b, c]\n"
        "audio: first post.mp3\nlength: 12345\nduration: 10:06\nsize_mb: 2.5\nnote: Q & A <raw>\n---\n"
        "Hello *world*.\n\n<!--more-->\n\nMore.\n"
    ),
    "_posts/2023-01-06-second.markdown": (
        "---\ntitle: 'Second: 日本語のタイトル'\ndate: 2023-01-06\ncategories: News Tech\n"
        'audio: 2.mp3\nlength: 1.5e3\nduration: "01:02:03"\n---\nBody two.\n'
    ),
    "_posts/season2/2023-02-01-third.md": (
        "---\ntitle: Third\ndate: '2023-02-01 08:00:00'\nslug: custom-Slug.\n"
        "audio: 3.mp3\nlength: 3\n---\nThree.\n"
    ),
    "podcast/_posts/2023-03-01-in-folder.md": (
        "---\ntitle: In folder\ncategory: Extra\ndate: Wed, 01 Mar 2023 07:00:00 +0000\n"
        "audio: 4.mp3\n---\nFour.\n"
    ),
    "_posts/2023-03-02-permalinked.md": (
        "---\ntitle: Own link\npermalink: /custom/:year/:title/\naudio: 5.mp3\n"
        "date: 2023-03-02T23:30:00Z\n---\nFive.\n"
    ),
    "_posts/2023-03-03-blog-post.md": "---\ntitle: A blog post\ncategories: [blog]\n---\nnot an episode\n",
    "_posts/2023-03-04-unpublished.md": "---\ntitle: Hidden\npublished: false\n---\nx\n",
    "_posts/2023-03-05-null-published.md": "---\ntitle: Null published\npublished:\n---\nx\n",
    "_posts/2099-01-01-future.md": "---\ntitle: Future\n---\nlater\n",
    "_posts/2023-03-06-no-front-matter-date.md": "---\n---\nno title, no date\n",
    "_posts/2023-03-09-null-author.md": "---\ntitle: Null author\nauthor:\ncategories:\n---\nx\n",
    "_posts/2023-03-07-crlf.md": "---\r\ntitle: CRLF post\r\naudio: 7.mp3\r\n---\r\nLine one\r\nLine two\r\n",
    "_posts/2023-03-08-Ünïcode Name!.md": "---\ntitle: Ünïcode\n---\nu\n",
    "_posts/_draftish-2023-01-01-skip.md": "---\ntitle: skipped\n---\n",
    "_posts/2023-02-30-rolls-over.md": "---\ntitle: Rolls over\n---\nMarch 2\n",
    "_posts/23-3-9-short-year.md": "---\ntitle: Short year\n---\n",
    "_posts/notes.txt": "not a post\n",
    "ignored/_posts/2023-01-01-excluded.md": "---\ntitle: Excluded\n---\n",
    "_episodes/ep-b.md": "---\ntitle: Episode B\nnumber: 2\ndate: 2023-04-02\n---\nb\n",
    "_episodes/ep-a.md": "---\ntitle: Episode A\nnumber: 1\ndate: 2023-04-01\n---\na\n",
    "_episodes/ep-future.md": "---\ntitle: Episode Future\nnumber: 3\ndate: 2099-04-01\n---\nf\n",
}


def write_site(folder: Path, permalink: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "_config.yml").write_text(CONFIG.format(permalink=permalink), encoding="utf-8")
    (folder / "feed.xml").write_text(FEED, encoding="utf-8")
    (folder / "extra.xml").write_text("<!-- extra -->", encoding="utf-8")
    (folder / "unpublished.xml").write_text("---\npublished: false\n---\n<rss><channel></channel></rss>\n")
    (folder / "_layouts").mkdir(exist_ok=True)
    (folder / "_layouts" / "shell.xml").write_text(LAYOUT, encoding="utf-8")
    (folder / "_includes").mkdir(exist_ok=True)
    for name, text in INCLUDES.items():
        (folder / "_includes" / name).write_text(text, encoding="utf-8")
    for relative, text in POSTS.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return folder
