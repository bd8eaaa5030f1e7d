"""Which pages of a site are feeds: the pages whose template text (their own, their
layouts', the includes those pull in) can write ``<rss``, ``<enclosure`` or ``<item``.

This is a pre-selection: the prediction then renders each candidate and keeps those
whose output really holds ``<rss`` or ``<enclosure``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from epilint.feed.files import read_text
from epilint.feed.jekyll_site import Layout, Page, Site
from epilint.feed.values import to_s

_FEED_MARK = re.compile(r"<rss\b|<enclosure\b|<item\b", re.IGNORECASE)
_INCLUDE = re.compile(r"\{%-?\s*include(_relative)?\s+([^\s%{}]+)")


@dataclass(frozen=True)
class FeedTemplate:
    """A feed page and the template files it is rendered from."""

    page: Page
    layouts: tuple[Layout, ...]
    includes: tuple[str, ...]
    #: A layout the chain names that the site does not have (Jekyll warns and renders
    #: without it; a theme gem may have it).
    missing_layout: str | None = None


def layout_chain(site: Site, page: Page) -> tuple[tuple[Layout, ...], str | None]:
    """The page's layout, that layout's layout, and so on (each once; Renderer's
    ``place_in_layouts``), and the name of a layout asked for but absent."""
    chain: list[Layout] = []
    name = page.data.get("layout")
    seen: set[str] = set()
    while name is not None and to_s(name) not in seen:
        if to_s(name) not in site.layouts:
            return tuple(chain), (None if to_s(name) in ("none", "") else to_s(name))
        layout = site.layouts[to_s(name)]
        seen.add(layout.name)
        chain.append(layout)
        name = layout.data.get("layout")
    return tuple(chain), None


def _includes(site: Site, text: str, page_dir: str, limit: int = 200) -> tuple[str, ...]:
    """Include files named literally in ``text``, followed transitively."""
    includes_dir = to_s(site.config.get("includes_dir")) or "_includes"
    found: list[str] = []
    queue = [text]
    while queue and len(found) < limit:
        source = queue.pop()
        for relative, name in _INCLUDE.findall(source):
            if ".." in name:
                continue
            path = (
                f"{page_dir}/{name}"
                if relative and page_dir
                else name
                if relative
                else f"{includes_dir}/{name}"
            )
            if path in found:
                continue
            found.append(path)
            inner = site.inside(path)
            body = read_text(inner) if inner is not None else None
            if body is not None:
                queue.append(body)
    return tuple(found)


def find_feed_templates(site: Site) -> list[FeedTemplate]:
    found: list[FeedTemplate] = []
    for page in site.pages:
        layouts, missing = layout_chain(site, page)
        texts = [page.body, *(layout.body for layout in layouts)]
        includes = _includes(site, "\n".join(texts), page.dir)
        for path in includes:
            inner = site.inside(path)
            body = read_text(inner) if inner is not None else None
            if body is not None:
                texts.append(body)
        if any(_FEED_MARK.search(text) for text in texts):
            found.append(FeedTemplate(page, layouts, includes, missing))
    return found
