"""``epilint feed``: each episode's predicted items, as XML or as JSON data.

Text: the ``<item>`` the site's feed template makes for each post, its elements and
attributes in the template's order with the values it will have, each element followed
by a comment saying where it is written (template file and line), which front-matter key
each value comes from (``← audio_file_path``; ``(absent)`` when the post lacks it), and
why a value is unknown. A post's rendered content stands as ``…``; unknown values as ``?``.
JSON: the same as data (``--format json``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from epilint.feed.records import FeedElement, FeedItem, FeedValue
from epilint.feed.view import PostFeed, SiteFeed
from epilint.output.escape import printable
from epilint.read.source import display_path
from epilint.run.pipeline import Preview

_INDENT = "  "


def _escape(text: str, attribute: bool) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if attribute else text


def _shown(value: FeedValue, attribute: bool) -> str:
    if value.unknown is not None:
        return "?"
    if value.content is not None:
        content = value.content
        middle = f"…(the post's rendered {content.field}, {content.mode})…"
        return _escape(content.prefix, attribute) + middle + _escape(content.suffix, attribute)
    return _escape(value.text or "", attribute)


def _sources(name: str | None, value: FeedValue) -> list[str]:
    """``url ← audio_file_path``, ``length ← audio_file_size (absent)``, ``? unknown: …``."""
    parts = [f"`{key}`" for key in value.keys]
    parts += [f"`{key}` (absent)" for key in value.missing]
    parts += [f"post.{key}" for key in value.computed if key not in value.keys]
    parts += [f"site.{key}" for key in value.site_keys]
    label = f"{name} " if name else ""
    found: list[str] = []
    if parts:
        found.append(f"{label}← {', '.join(parts)}")
    if value.unknown is not None:
        found.append(f"{label}unknown: {value.unknown}")
    return found


def _element_lines(element: FeedElement, depth: int, has_children: bool) -> list[str]:
    attrs = "".join(f' {name}="{_shown(value, True)}"' for name, value in element.attrs)
    notes: list[str] = [f"{element.template} line {element.line}"]
    for name, value in element.attrs:
        notes.extend(_sources(name, value))
    text = element.text
    if text is not None:
        notes.extend(_sources(None, text))
    comment = printable(" · ".join(notes)).replace("--", "- -")
    pad = _INDENT * depth
    if has_children:
        return [f"{pad}<{element.name}{attrs}>  <!-- {comment} -->"]
    if text is None or (element.attrs and text.text == "" and text.unknown is None):
        return [f"{pad}<{element.name}{attrs}/>  <!-- {comment} -->"]
    body = printable(_shown(text, False))
    return [f"{pad}<{element.name}{attrs}>{body}</{element.name}>  <!-- {comment} -->"]


def item_xml(item: FeedItem, depth: int = 0) -> list[str]:
    """The item as XML lines, with its elements' sources as comments."""
    lines = [f"{_INDENT * depth}<item>  <!-- {item.template} line {item.line} -->"]
    open_paths: list[str] = []
    elements = item.elements
    for index, element in enumerate(elements):
        while open_paths and not element.path.startswith(open_paths[-1] + "/"):
            closing = open_paths.pop()
            lines.append(f"{_INDENT * (depth + 1 + len(open_paths))}</{closing.rsplit('/', 1)[-1]}>")
        following = elements[index + 1] if index + 1 < len(elements) else None
        has_children = following is not None and following.path.startswith(element.path + "/")
        lines.extend(_element_lines(element, depth + 1 + len(open_paths), has_children))
        if has_children:
            open_paths.append(element.path)
    while open_paths:
        closing = open_paths.pop()
        lines.append(f"{_INDENT * (depth + 1 + len(open_paths))}</{closing.rsplit('/', 1)[-1]}>")
    lines.append(f"{_INDENT * depth}</item>")
    return lines


def _why_none(site: SiteFeed | None, post: PostFeed | None) -> str:
    if site is None or post is None:
        return "not in a Jekyll site"
    if not site.has_template:
        return "its site has no feed template (no page renders `<rss` or `<enclosure`)"
    if post.skipped is not None:
        return f"not in the feed: {post.skipped.reason}"
    errors = [f"`{f.output}`: {f.error}" for f in site.feeds if f.error]
    if errors:
        return "no item: " + "; ".join(errors)
    if post.path not in site.documents:
        return "no item: Jekyll does not publish it (not a post, `published: false`, or dated in the future)"
    return "no item (which items the feeds have is not certain: see the site's notes)"


def render_text(previews: Sequence[Preview], scope: Sequence[str] = ()) -> str:
    lines: list[str] = [f"<!-- {printable(line)} -->" for line in scope]
    noted: set[int] = set()
    for shown in previews:
        site, post = shown.site, shown.post
        if site is not None and id(site) not in noted and site.has_template:
            noted.add(id(site))
            feeds = ", ".join(f"`{f.output}` (from {', '.join(f.templates)})" for f in site.feeds)
            lines.append(f"<!-- site {printable(display_path(site.root))}: {feeds} -->")
            lines.extend(f"<!-- note: {printable(problem)} -->" for problem in site.problems)
        name = printable(shown.display)
        if post is None or not post.items:
            lines.append(f"<!-- {name}: {printable(_why_none(site, post))} -->")
            continue
        for feed, item in post.items:
            lines.append(f"<!-- {name} in `{feed.output}` -->")
            lines.extend(item_xml(item))
    return "\n".join(lines) + ("\n" if lines else "")


def _value_json(value: FeedValue) -> dict[str, Any]:
    content = value.content
    return {
        "text": value.text,
        "unknown": value.unknown,
        "content": None
        if content is None
        else {
            "post": content.post,
            "field": content.field,
            "inserted": content.mode,
            "prefix": content.prefix,
            "suffix": content.suffix,
        },
        "keys": list(value.keys),
        "missing": list(value.missing),
        "computed": list(value.computed),
        "site_keys": list(value.site_keys),
        "template": value.template,
        "line": value.line,
        "expressions": list(value.expressions),
        "unescaped": [
            {"keys": list(u.keys), "expression": u.expression, "line": u.line, "problem": u.problem}
            for u in value.unescaped
        ],
    }


def _item_json(item: FeedItem) -> dict[str, Any]:
    return {
        "template": item.template,
        "line": item.line,
        "elements": [
            {
                "path": element.path,
                "name": element.name,
                "template": element.template,
                "line": element.line,
                "attributes": {name: _value_json(value) for name, value in element.attrs},
                "text": None if element.text is None else _value_json(element.text),
            }
            for element in item.elements
        ],
    }


def render_json(previews: Sequence[Preview], scope: Sequence[str] = ()) -> str:
    data = []
    for shown in previews:
        site, post = shown.site, shown.post
        data.append(
            {
                "path": shown.display,
                "site": None if site is None else str(site.root),
                "has_feed_template": bool(site is not None and site.has_template),
                "episode": None if post is None else post.episode,
                "not_in_feed": None if post is None or post.skipped is None else post.skipped.reason,
                "why_no_item": None if post is not None and post.items else _why_none(site, post),
                "items": [] if post is None else [{"feed": f.output, **_item_json(i)} for f, i in post.items],
                "site_notes": [] if site is None else list(site.problems),
            }
        )
    return json.dumps({"scope": list(scope), "files": data}, ensure_ascii=False, indent=2) + "\n"
