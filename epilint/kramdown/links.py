"""The links of a Jekyll page as kramdown renders it: the public entry point.

``extract(body, offset)`` parses a body (the text after the front matter) as Jekyll 4.3's
kramdown does (``parser.py``) and walks the tree in the order kramdown's HTML converter
writes it (``converter/html.rb``): one ``Link`` per ``<a href>`` and ``<img src>`` of the
output, footnotes after the text (``footnote_content``), a ``{:toc}`` list replaced by the
table of contents (``convert_ul``, ``generate_toc_tree``). It also reports the link
syntax kramdown leaves as text and the bare URLs in the page's text (``extras.py``).

Liquid: Jekyll renders Liquid before kramdown; this module does not. ``{{ … }}`` and
``{% … %}`` are read as the text they are, so a link whose destination holds Liquid is
reported with that text (``Link.liquid``) and callers skip it; ``{% raw %}`` is text too.
A Liquid tag that expands to Markdown or HTML (``{% include %}``) is not seen.

The options are Jekyll's defaults: a site's own ``kramdown:`` settings in ``_config.yml``
are not read. Left out, because no href depends on them: abbreviations (they only mark
up text), the output form of smart quotes, typographic symbols and entities, syntax
highlighting, math rendering, header ids outside a table of contents, and the
``{::options}`` other than ``parse_block_html``, ``parse_span_html``, ``auto_ids``,
``footnote_prefix`` and ``auto_id_prefix``. Known differences, all far from real pages:
kramdown loops forever on an indented line whose first non-blank character is ``\\v`` or
``\\f`` (the port reads it as code); a ``{:toc}`` list inside raw HTML; the limits on
nesting depth and work of ``parser.py``. HTML that kramdown writes out verbatim is read as
``html.parser`` reads it (``verbatim.py``), which differs from browsers on malformed
comments such as ``<!-- a -- > b -->``.
"""

from __future__ import annotations

import re
from typing import Any

from epilint.kramdown import patterns as P
from epilint.kramdown import simple, verbatim
from epilint.kramdown.element import Element
from epilint.kramdown.gfm import GRAMMAR
from epilint.kramdown.ids import ConverterIds
from epilint.kramdown.mapped import MStr
from epilint.kramdown.parser import Parser
from epilint.kramdown.records import Link, LinkKind, Page, escape_attribute
from epilint.model import Span

#: Nothing kramdown turns into a link can be in a body without one of these.
_MAYBE_LINK = re.compile(r"[\[<{]|://|@")


def extract(body: str, offset: int = 0) -> Page:
    """The links, unrendered link syntax and bare URLs of a Markdown ``body`` whose first
    character is at ``offset`` in the file."""
    if not _MAYBE_LINK.search(body):
        return Page((), (), ())
    page = simple.scan(body, offset)
    if page is not None:
        return page
    return parsed(body, offset)


def parsed(body: str, offset: int = 0) -> Page:
    """``extract`` through the parser, for any body (simple ones included)."""
    parser = Parser(body, GRAMMAR, offset)
    root = parser.parse()
    walker = _Walker(parser)
    links = walker.run(root)
    from epilint.kramdown.extras import find_extras

    unrendered, bare = find_extras(parser, root)
    return Page(links, unrendered, bare)


def links(body: str, offset: int = 0) -> tuple[Link, ...]:
    """Only the links of ``extract``."""
    return extract(body, offset).links


def _span(pair: tuple[int, int] | None) -> Span | None:
    if pair is None:
        return None
    return Span(pair[0], max(pair[0], pair[1]))


class _Placeholder:
    """Where the footnotes or the table of contents go (``@footnote_location``,
    ``@toc_code``)."""

    __slots__ = ("kind",)

    def __init__(self, kind: str) -> None:
        self.kind = kind


class _Open:
    """kramdown writes the start tag of an element whose content may be raw text."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


class _Close(_Open):
    """… and its end tag."""


class _Verbatim:
    """kramdown writes this text as it is; ``mstr``: the same text with its file offsets
    (None: kramdown made it up)."""

    __slots__ = ("mstr", "text")

    def __init__(self, text: str, mstr: MStr | None) -> None:
        self.text = text
        self.mstr = mstr


_Item = Link | _Placeholder | _Open | _Verbatim


class _Walker:
    """The HTML converter's traversal, keeping only what becomes ``<a href>``/``<img src>``."""

    def __init__(self, parser: Parser) -> None:
        self.parser = parser
        options = {**parser.options, **parser.inline_options}
        self.footnote_prefix = str(options.get("footnote_prefix", ""))
        self.auto_ids = bool(options.get("auto_ids", True))
        self.toc_levels = tuple(options.get("toc_levels", (1, 2, 3, 4, 5, 6)))
        self.ids = ConverterIds(str(options.get("auto_id_prefix", "")))
        self.footnotes: list[list[Any]] = []
        self.footnotes_by_name: dict[str, list[Any]] = {}
        self.toc: list[tuple[int, str, list[Element]]] = []
        self.toc_code: tuple[str, dict[str, str]] | None = None
        self.footnote_location = False

    def run(self, root: Element) -> tuple[Link, ...]:
        out: list[_Item] = []
        self.inner(root, out)
        notes = self.footnote_content()
        items = self._place(out, "footnotes", notes, at_end=True)
        if self.toc_code is not None:
            items = self._place(items, "toc", self.toc_links(), at_end=False)
        return tuple(_read(items))

    @staticmethod
    def _place(items: list[_Item], kind: str, content: list[_Item], at_end: bool) -> list[_Item]:
        for index, item in enumerate(items):
            if isinstance(item, _Placeholder) and item.kind == kind:
                return items[:index] + content + items[index + 1 :]
        return items + content if at_end else items

    # -- elements ------------------------------------------------------------------------

    def inner(self, el: Element, out: list[_Item]) -> None:
        for child in el.children:
            self.convert(child, out)

    def convert(self, el: Element, out: list[_Item]) -> None:
        kind = el.type
        if kind == "a":
            out.append(self._markdown_link(el, "a"))
            self.inner(el, out)
        elif kind == "img":
            out.append(self._markdown_link(el, "img"))
        elif kind == "html_element":
            self._html_element(el, out)
            self._html_body(el, out)
        elif kind == "footnote":
            self._footnote(el, out)
        elif kind in ("ul", "ol"):
            refs = (el.options.get("ial") or {}).get(":refs") or ()
            if self.toc_code is None and "toc" in refs:
                self.toc_code = (kind, dict(el.attr))
                out.append(_Placeholder("toc"))
            elif not self.footnote_location and "footnotes" in refs:
                self.footnote_location = True
                out.append(_Placeholder("footnotes"))
            else:
                self.inner(el, out)
        elif kind == "header":
            if self.parser.toc_possible:
                self._header(el)
            self.inner(el, out)
        elif kind == "raw":
            types = el.options.get("type") or []
            if not types or "html" in types:
                self._verbatim(el.text, el.options.get("mstr"), out)
        elif kind == "comment":
            self._verbatim(f"<!-- {el.text} -->", None, out)
        elif kind in ("xml_comment", "xml_pi"):
            self._verbatim(el.text, el.options.get("mstr"), out)
        elif kind == "math":
            if el.attr and el.options.get("category") == "span":
                # ``mathjax.rb``: with attributes, ``<span …>$value$</span>``, unescaped.
                self._verbatim(f"${el.text}$", _dollars(el.options.get("mstr")), out)
        elif kind in ("text", "codespan", "codeblock", "entity", "smart_quote", "typographic_sym", "br"):
            return
        else:
            self.inner(el, out)

    def _markdown_link(self, el: Element, tag: str) -> Link:
        opts = el.options
        attr = "href" if tag == "a" else "src"
        url = el.attr.get(attr, "")
        written = opts.get("written")
        kind_name = opts.get("kind", "inline")
        if tag == "img":
            kind = LinkKind.REFERENCE_IMAGE if kind_name == "reference" else LinkKind.IMAGE
        else:
            kind = {"reference": LinkKind.REFERENCE, "autolink": LinkKind.AUTOLINK}.get(
                kind_name, LinkKind.INLINE
            )
        span = _span(opts.get("url_span"))
        mailto = kind is LinkKind.AUTOLINK and url == f"mailto:{written}"  # ``<a@b.c>``
        if written is not None and written != url and not mailto:
            span, written = None, None  # an IAL set another href/src
        text = opts.get("text")
        return Link(
            kind,
            tag,
            escape_attribute(url),
            url,
            span,
            written,
            bool(opts.get("url_contiguous", True)) and span is not None,
            text,
            _span(opts.get("text_span")),
            _span(opts.get("target_span")),
        )

    def _html_element(self, el: Element, out: list[_Item]) -> None:
        wanted = {"a": "href", "img": "src"}.get(el.value)
        if wanted is None or wanted not in el.attr:
            return
        url = el.attr[wanted]
        spans = el.options.get("attr_spans") or {}
        written = (el.options.get("attr_written") or {}).get(wanted)
        folded = None if written is None else P.NEWLINES.sub(" ", written) if written else written
        if written is None or url not in (written, folded):
            span, written = None, None  # an IAL set another href/src
        else:
            span = _span(spans.get(wanted))
        contiguous = span is not None and bool((el.options.get("attr_contiguous") or {}).get(wanted))
        if el.value == "img":
            out.append(Link(LinkKind.HTML_IMG, "img", escape_attribute(url), url, span, written, contiguous))
            return
        # The text of <a>…</a>: what its content shows, and where it is written.
        inner_end = el.options.get("inner_end")
        text = _shown_text(el)
        text_span = Span(el.end, inner_end) if inner_end is not None and el.end <= inner_end else None
        out.append(
            Link(LinkKind.HTML_A, "a", escape_attribute(url), url, span, written, contiguous, text, text_span)
        )

    def _html_body(self, el: Element, out: list[_Item], entry: bool = False) -> None:
        """The element's content, between its start and end tags as kramdown writes them
        (``convert_html_element``); those matter to the reader for raw-text elements."""
        name = str(el.value)
        tags = name.lower() in verbatim.RAW_TEXT_ELEMENTS and not (
            el.options.get("category") == "block"
            and el.options.get("is_closed")
            and el.options.get("content_model") == "raw"
        )
        if tags:
            out.append(_Open(name))
        for child in el.children:
            if entry:
                self._toc_entry(child, out)
            else:
                self.convert(child, out)
        if tags:
            out.append(_Close(name))

    def _verbatim(self, html: str, mstr: MStr | None, out: list[_Item]) -> None:
        out.append(_Verbatim(html, mstr))

    def _header(self, el: Element) -> None:
        """``convert_header``: an id if it has none, and a place in the table of contents."""
        header_id = el.attr.get("id")
        if self.auto_ids and header_id is None:
            header_id = self.ids.generate(str(el.options.get("raw_text", "")))
            el.attr["id"] = header_id
        level = int(el.options.get("level", 0))
        if (
            header_id is not None
            and level in self.toc_levels
            and not re.search(r"\bno_toc\b", el.attr.get("class", ""))
        ):
            self.toc.append((level, header_id, el.children))

    # -- footnotes -----------------------------------------------------------------------

    def _footnote(self, el: Element, out: list[_Item]) -> None:
        """``convert_footnote``: the marker links to its note; the note is written once."""
        name = self.footnote_prefix + str(el.options.get("name", ""))
        footnote = self.footnotes_by_name.get(name)
        if footnote is not None:
            footnote[3] += 1
        else:
            footnote = [name, el.value, len(self.footnotes) + 1, 0]
            self.footnotes.append(footnote)
            self.footnotes_by_name[name] = footnote
        href = f"#fn:{name}"
        out.append(Link(LinkKind.FOOTNOTE, "a", escape_attribute(href), href, None, None, False))

    def footnote_content(self) -> list[_Item]:
        """``footnote_content``: each note, then its backlinks (one per extra marker)."""
        out: list[_Item] = []
        index = 0
        while index < len(self.footnotes):
            name, content, _number, repeat = self.footnotes[index]
            self.inner(content, out)
            for suffix in ["", *(f":{n}" for n in range(1, repeat + 1))]:
                href = f"#fnref:{name}{suffix}"
                out.append(
                    Link(LinkKind.FOOTNOTE_BACKLINK, "a", escape_attribute(href), href, None, None, False)
                )
            index += 1
        return out

    # -- table of contents ---------------------------------------------------------------

    def toc_links(self) -> list[_Item]:
        """``generate_toc_tree`` converted: one link per header, with the header's content
        (its links unwrapped, its footnotes removed)."""
        out: list[_Item] = []
        for _level, header_id, children in self.toc:
            href = f"#{header_id}"
            out.append(Link(LinkKind.TOC, "a", escape_attribute(href), href, None, None, False))
            for child in children:
                self._toc_entry(child, out)
        return out

    def _toc_entry(self, el: Element, out: list[_Item]) -> None:
        if el.type == "footnote":
            return
        if el.type == "a":
            for child in el.children:
                self._toc_entry(child, out)
            return
        if el.type == "img":
            out.append(self._markdown_link(el, "img"))
            return
        if el.type == "html_element":
            self._html_element(el, out)
            self._html_body(el, out, entry=True)
            return
        if el.type in ("raw", "comment", "xml_comment", "xml_pi"):
            self.convert(el, out)
            return
        for child in el.children:
            self._toc_entry(child, out)


def _dollars(mstr: MStr | None) -> MStr | None:
    """``$value$`` with the value's file offsets (the dollars are made up)."""
    if mstr is None:
        return None
    first = mstr.offset(0)
    return MStr.made_up("$", first).append(mstr).append_made_up("$", mstr.end_offset())


def _shown_text(el: Element) -> str:
    """The text of an element's content, tags left out."""
    parts: list[str] = []

    def collect(node: Element) -> None:
        for child in node.children:
            if child.type in ("text", "codespan"):
                parts.append(child.text)
            elif child.type == "entity" and isinstance(child.value, int) and 0 <= child.value < 0x110000:
                parts.append(chr(child.value))
            else:
                collect(child)

    collect(el)
    return "".join(parts)


def _read(items: list[_Item]) -> list[Link]:
    """The links an HTML parser sees in kramdown's output (``verbatim.Reader``)."""
    reader = verbatim.Reader()
    found: list[Link] = []
    for item in items:
        if isinstance(item, Link):
            if reader.visible():
                found.append(item)
        elif isinstance(item, _Close):
            reader.close(item.name)
        elif isinstance(item, _Open):
            reader.open(item.name)
        elif isinstance(item, _Verbatim):
            mstr = item.mstr
            for tag, value, at in reader.verbatim(item.text):
                kind = LinkKind.HTML_A if tag == "a" else LinkKind.HTML_IMG
                if mstr is None:
                    found.append(Link(kind, tag, value, value, None, None, False))
                    continue
                span = _span(mstr.span(at, at + len(value)))
                contiguous = mstr.contiguous(at, at + len(value))
                found.append(Link(kind, tag, value, value, span, value, contiguous))
    return found
