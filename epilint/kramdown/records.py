"""What the kramdown port reports about a page: its links, and the link syntax and bare
URLs that kramdown leaves as text.

Spans are code-point offsets into the whole file (``epilint.model.Span``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from epilint.model import Span


class LinkKind(str, Enum):
    #: ``[text](url)``
    INLINE = "inline"
    #: ``![alt](src)``
    IMAGE = "image"
    #: ``[text][id]``, ``[text][]``, ``[text]`` with ``[id]: url`` (``span`` is the
    #: definition's URL).
    REFERENCE = "reference"
    #: ``![alt][id]``
    REFERENCE_IMAGE = "reference-image"
    #: ``<https://…>``, ``<name@example.com>`` (``href`` gets ``mailto:``)
    AUTOLINK = "autolink"
    #: An ``<a href>`` written in HTML.
    HTML_A = "html-a"
    #: An ``<img src>`` written in HTML.
    HTML_IMG = "html-img"
    #: A footnote marker's link to its note (``#fn:name``), made by kramdown.
    FOOTNOTE = "footnote"
    #: A note's link back to its marker (``#fnref:name``), made by kramdown.
    FOOTNOTE_BACKLINK = "footnote-backlink"
    #: An entry of a ``{:toc}`` table of contents (``#id``), made by kramdown.
    TOC = "toc"


_ESCAPE = re.compile(r"&(?:[A-Za-z0-9_:][A-Za-z0-9_.:-]*;|#[0-9]+;|#x[0-9a-fA-F]+;)|[<>&\"]")
_ESCAPES = {"<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;"}


def escape_attribute(value: str) -> str:
    """``utils/html.rb: escape_html(value, :attribute)``: ``<``, ``>``, ``"`` and any ``&``
    that does not start an entity reference are escaped; references are kept."""
    if not any(char in value for char in '<>&"'):
        return value
    return _ESCAPE.sub(lambda found: _ESCAPES.get(found.group(0), found.group(0)), value)


@dataclass(frozen=True, slots=True)
class Link:
    """One ``<a href>`` or ``<img src>`` of the rendered page."""

    kind: LinkKind
    #: ``"a"`` or ``"img"``.
    tag: str
    #: The attribute value exactly as kramdown writes it between the quotes.
    href: str
    #: The value before HTML escaping: kramdown's own reading of the destination (its
    #: ``href``/``src`` attribute). A browser gets this after resolving the entity
    #: references ``href`` keeps (``&amp;`` stays ``&amp;`` here).
    url: str
    #: Where the destination is written (for a reference: the definition's URL); None for
    #: links kramdown makes up (footnotes, tables of contents) and for destinations an
    #: IAL replaced.
    span: Span | None
    #: The destination as kramdown read it, before anything changed it (``url`` differs
    #: when an HTML attribute's newlines were folded into spaces, and for an e-mail
    #: autolink, where kramdown adds ``mailto:``).
    written: str | None
    #: The file holds ``written`` exactly at ``span`` (False when the destination crosses
    #: container markup kramdown removed, such as a blockquote's ``>`` on the next line).
    contiguous: bool
    #: The link text between ``[`` and ``]`` (or the image's ``alt``), as kramdown read it;
    #: for ``<a>…</a>``, the text its content shows (tags left out), and ``text_span``
    #: everything between the two tags.
    text: str | None = None
    text_span: Span | None = None
    #: Inline links and images: everything between ``(`` and ``)``.
    target_span: Span | None = None

    @property
    def liquid(self) -> bool:
        """The destination holds Liquid (``{{ … }}``, ``{% … %}``): Jekyll renders it before
        kramdown, so this is not the page's URL."""
        return "{{" in self.url or "{%" in self.url

    @property
    def exact(self) -> bool:
        """The file holds exactly ``url`` at ``span`` (an edit there changes the href)."""
        return self.span is not None and self.contiguous and self.written == self.url


@dataclass(frozen=True, slots=True)
class Unrendered:
    """Link syntax the author wrote that kramdown leaves as text."""

    #: ``"table"``: a ``|`` made the line a table and split the link between cells;
    #: ``"nested"``: a link inside another link's text; ``"html"``: inside an HTML block,
    #: where Markdown is not parsed; ``"space"``: ``[text] (https://…)``; ``"text"``:
    #: anything else (``](`` without a matching ``[`` …).
    reason: str
    #: From the ``[`` before the ``](`` on its line in the file (or the ``]`` when there is
    #: none) to the ``)`` or the end of the line.
    span: Span
    text: str


@dataclass(frozen=True, slots=True)
class BareUrl:
    """An ``http(s)://`` URL in the page's text: shown, but not a link."""

    url: str
    span: Span
    #: In the text of an HTML block, where Markdown is not parsed (an autolink written
    #: around it would not be one either).
    in_html: bool = False


@dataclass(frozen=True, slots=True)
class Page:
    """Everything ``extract`` finds in one body."""

    links: tuple[Link, ...]
    unrendered: tuple[Unrendered, ...]
    bare_urls: tuple[BareUrl, ...]
