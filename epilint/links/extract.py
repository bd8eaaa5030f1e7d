"""The links of a page's body as Jekyll renders it, with the position of each URL.

Jekyll renders Markdown with kramdown (GFM input), and ``epilint/kramdown/`` is a port of
that parser: every ``<a href>`` and ``<img src>`` of the page, the link syntax kramdown
leaves as text (``Lost``: a ``|`` that makes a table, a link inside a link's text…) and
the URLs the page shows as plain text (kind ``BARE``: kramdown does not autolink them).
This module turns the port's records into what the link rules read:

- links kramdown makes up (footnote markers and back-links, a ``{:toc}``'s entries) are
  in-page anchors, not the author's URLs, and are left out; so are the links of embed code
  pasted from a platform (``<blockquote class="twitter-tweet">`` …): they are the
  platform's (``t.co`` …), not the author's;
- all uses of one reference definition share its URL's span; only the first is
  ``written`` (the URL is checked once, where it is written);
- ``editable`` says whether the file holds ``url`` exactly at ``span``: a fix may replace
  it there (a destination that crosses a blockquote's ``>`` on the next line may not).

Spans are code-point offsets into the whole file text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from epilint.kramdown.records import LinkKind as KramdownKind
from epilint.model import Fix, Span

if TYPE_CHECKING:
    from epilint.kramdown.records import Link as KramdownLink
    from epilint.read.document import Document


class LinkKind(str, Enum):
    #: ``[text](url)``
    INLINE = "inline"
    #: ``![alt](src)``, ``![alt][id]``, ``<img src>``
    IMAGE = "image"
    #: ``<https://…>``
    AUTOLINK = "autolink"
    #: ``[text][id]``: ``span`` is the definition's URL.
    REFERENCE = "reference"
    #: ``<a href>`` written in HTML.
    HTML = "html"
    #: A URL in the page's text, which the page does not link.
    BARE = "bare"


_KINDS = {
    KramdownKind.INLINE: LinkKind.INLINE,
    KramdownKind.IMAGE: LinkKind.IMAGE,
    KramdownKind.REFERENCE: LinkKind.REFERENCE,
    KramdownKind.REFERENCE_IMAGE: LinkKind.IMAGE,
    KramdownKind.AUTOLINK: LinkKind.AUTOLINK,
    KramdownKind.HTML_A: LinkKind.HTML,
    KramdownKind.HTML_IMG: LinkKind.IMAGE,
}


@dataclass(frozen=True, slots=True)
class Link:
    """One link of the page (or a bare URL): its URL as written, and where it is."""

    kind: LinkKind
    #: The URL as written in the file at ``span`` (kramdown's reading of it when the
    #: file does not hold it in one piece).
    url: str
    span: Span
    #: The ``href``/``src`` attribute exactly as kramdown writes it into the page.
    href: str
    #: The link text between ``[`` and ``]`` (an image's alt), or inside ``<a>…</a>``.
    text: str | None = None
    text_span: Span | None = None
    #: Inline links and images: everything between ``(`` and ``)``.
    target_span: Span | None = None
    #: False for the later uses of a reference definition (checked where it is written).
    written: bool = True
    #: The file holds ``url`` exactly at ``span``: replacing that text changes the href.
    editable: bool = True
    #: A bare URL in the text of an HTML block, where Markdown is not parsed (``<…>``
    #: written around it would not make it a link either).
    in_html: bool = False

    @property
    def target(self) -> str:
        """The URL the browser gets: the attribute's character references resolved."""
        return html.unescape(self.href) if "&" in self.href else self.href

    @property
    def liquid(self) -> bool:
        """A Liquid target (``{{ site.url }}/x``, ``{% link … %}``) is not a URL yet:
        Jekyll renders it before kramdown."""
        return "{{" in self.url or "{%" in self.url

    def replace(self, description: str, url: str, *, safe: bool = True) -> Fix:
        """A fix that writes ``url`` in place of this link's URL, or only the suggestion
        when the file does not hold the URL in one piece."""
        if not self.editable:
            return Fix.suggestion(description)
        return Fix.replace(description, self.span, url, safe=safe)


@dataclass(frozen=True, slots=True)
class Lost:
    """Link syntax the page shows as text: kramdown made no link of it.

    ``reason``: ``table`` (a ``|`` made the line a table row and split the link between
    cells), ``nested`` (inside another link's text), ``html`` (inside an HTML block, where
    Markdown is not parsed), ``space`` (``[text] (https://…)``), ``text`` (anything else:
    ``](`` without its ``[``)."""

    reason: str
    span: Span
    text: str


@dataclass(frozen=True, slots=True)
class Page:
    """What a body links, and what it meant to link but does not."""

    #: The page's links in the order of the page.
    links: tuple[Link, ...]
    #: URLs in the page's text (kind ``BARE``).
    bare: tuple[Link, ...]
    lost: tuple[Lost, ...]


EMPTY = Page((), (), ())

#: Embed code pasted from a platform (tweets, Instagram, TikTok …).
_EMBED = re.compile(
    r"<blockquote\b[^>]*\bclass\s*=\s*[\"'][^\"']*\b"
    r"(?:twitter-tweet|twitter-video|instagram-media|tiktok-embed|bluesky-embed|text-post-media)\b"
    r".*?(?:</blockquote\s*>|\Z)",
    re.IGNORECASE | re.DOTALL,
)


def extract(doc: Document) -> Page:
    """The page of ``doc``'s body (empty for unreadable files)."""
    return extract_text(doc.body_text, doc.body.start)


def extract_text(body: str, offset: int = 0) -> Page:
    """The page of a Markdown ``body`` whose first character is at ``offset`` in the file."""
    from epilint.kramdown import links as kramdown  # the parser's patterns: only when a body is read

    found = kramdown.extract(body, offset)
    if not found.links and not found.bare_urls and not found.unrendered:
        return EMPTY
    embeds = (
        [Span(m.start() + offset, m.end() + offset) for m in _EMBED.finditer(body)]
        if "blockquote" in body
        else []
    )

    def embedded(span: Span) -> bool:
        return any(embed.contains(span) for embed in embeds)

    links: list[Link] = []
    seen: set[Span] = set()
    for link in found.links:
        kind = _KINDS.get(link.kind)
        if kind is None or link.span is None or embedded(link.span):
            continue
        links.append(_link(kind, link, link.span not in seen))
        seen.add(link.span)
    bare = tuple(
        Link(LinkKind.BARE, url.url, url.span, url.url, in_html=url.in_html)
        for url in found.bare_urls
        if not embedded(url.span)
    )
    lost = tuple(
        Lost(item.reason, item.span, item.text) for item in found.unrendered if not embedded(item.span)
    )
    return Page(tuple(links), bare, lost)


def _link(kind: LinkKind, link: KramdownLink, first: bool) -> Link:
    assert link.span is not None
    editable = link.contiguous and link.written is not None
    return Link(
        kind,
        link.written if editable and link.written is not None else link.url,
        link.span,
        link.href,
        link.text,
        link.text_span,
        link.target_span,
        written=first,
        editable=editable,
    )
