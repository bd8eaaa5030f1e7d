"""What the page shows as text that the author probably meant as a link.

Two findings, from the text kramdown leaves in the tree (``text`` elements, with the
entities and typographic symbols between them, read from the file):

- *unrendered link syntax*: a ``](`` in text. kramdown made no link of it: a ``|`` turned
  the line into a table and split ``[text](url)`` between two cells, the link is inside
  another link's text, inside an HTML block (raw, not Markdown), or its ``[`` is missing.
  The span runs from the ``[`` before it on the same line of the file (if any) to the
  ``)`` after it (or the end of the line). Also ``[text] (https://…)``: a space before
  the parentheses makes kramdown look for a definition instead.
- *bare URLs*: ``http(s)://`` in text outside links, code and HTML attributes. kramdown
  does not autolink them (``parser/kramdown/autolink.rb`` only reads ``<…>``), so the page
  shows the URL as plain text. Its extent follows GFM's autolink rules (trailing
  punctuation and unbalanced ``)`` left out; full-width punctuation ends it). A URL
  inside unrendered link syntax belongs to that finding and is not repeated here.
"""

from __future__ import annotations

import re

from epilint.kramdown.element import Element
from epilint.kramdown.mapped import MStr
from epilint.kramdown.parser import Parser
from epilint.kramdown.records import BareUrl, Unrendered
from epilint.model import Span

_BARE = re.compile(r"https?://[^\s<>\"'`（）「」『』【】、。，！？]+", re.IGNORECASE)
_BARE_TRAILING = ".,:;!?*_~'\""
#: HTML elements whose text is code or not shown.
_NOT_TEXT = frozenset(["code", "pre", "kbd", "samp", "var", "script", "style", "textarea", "math"])
_RUN_TYPES = frozenset(("text", "entity", "typographic_sym"))
_SPACED = re.compile(r"\[[^\[\]\n]*\][ \t]+\((?:https?://|/|#|mailto:)[^()\s]*\)")


def find_extras(parser: Parser, root: Element) -> tuple[tuple[Unrendered, ...], tuple[BareUrl, ...]]:
    finder = _Finder(parser)
    finder.walk(root, "")
    for footnote in parser.footnotes.values():
        if footnote.markers:
            finder.walk(footnote.content, "")
    unrendered = sorted(finder.unrendered, key=lambda item: item.span.start)
    # A URL inside unrendered link syntax is that finding, not a bare URL of its own.
    bare = [url for url in finder.bare if not any(item.span.contains(url.span) for item in unrendered)]
    return tuple(unrendered), tuple(sorted(bare, key=lambda item: item.span.start))


class _Finder:
    def __init__(self, parser: Parser) -> None:
        self.source = parser.source
        self.offset = parser.offset
        self.unrendered: list[Unrendered] = []
        self.bare: list[BareUrl] = []

    def walk(self, el: Element, context: str) -> None:
        """``context``: ``""``, ``"link"``, ``"html"`` (raw HTML block) or ``"table"``."""
        run: MStr | None = None
        for child in el.children:
            kind = child.type
            if kind in _RUN_TYPES:
                piece = self._piece(child)
                if piece is not None:
                    run = (MStr() if run is None else run).append(piece)
                continue
            if run is not None:
                self._text(run, context)
                run = None
            if kind in ("a", "img"):
                self.walk(child, "link")
            elif kind == "html_element":
                name = str(child.value)
                if name.lower() in _NOT_TEXT:
                    continue
                inner = context
                if name == "a":
                    inner = "link"
                elif child.options.get("content_model") == "raw" and context != "link":
                    inner = "html"
                self.walk(child, inner)
            elif kind == "td":
                self.walk(child, context or "table")
            elif kind in ("codespan", "codeblock", "math", "raw", "comment", "xml_comment", "xml_pi"):
                continue
            else:
                self.walk(child, context)
        if run is not None:
            self._text(run, context)

    def _piece(self, el: Element) -> MStr | None:
        if el.type == "text":
            value = el.value
            return value if isinstance(value, MStr) else None
        if el.start < 0 or el.end < el.start:
            return None
        start, end = el.start - self.offset, el.end - self.offset
        return MStr(self.source[start:end], el.start)

    def _text(self, run: MStr, context: str) -> None:
        text = run.text
        if "](" in text:
            self._unrendered(run, context)
        if "] (" in text or "]\t(" in text:
            self._spaced(run, context)
        if "://" in text:
            self._bare(run, context)

    def _spaced(self, run: MStr, context: str) -> None:
        """``[text] (url)``: a space between the brackets and the parentheses (kramdown then
        looks for a definition of ``text``)."""
        text = run.text
        for found in _SPACED.finditer(text):
            start, end = run.span(found.start(), found.end())
            reason = "space" if not context else ("nested" if context == "link" else context)
            self.unrendered.append(Unrendered(reason, Span(start, end), text[found.start() : found.end()]))

    def _unrendered(self, run: MStr, context: str) -> None:
        text = run.text
        source, offset = self.source, self.offset
        at = text.find("](")
        while at >= 0:
            close = text.find(")", at + 2)
            newline = text.find("\n", at + 2)
            if close < 0 or (0 <= newline < close):
                close = newline if newline >= 0 else len(text)
                end = run.offset(close - 1) + 1 if close > at else run.offset(at) + 1
            else:
                end = run.offset(close) + 1
            where = run.offset(at)
            local = where - offset
            line_start = source.rfind("\n", 0, max(local, 0)) + 1
            opening = source.rfind("[", line_start, local)
            start = opening + offset if opening >= 0 else where
            reason = "nested" if context == "link" else context or "text"
            self.unrendered.append(
                Unrendered(reason, Span(start, max(start, end)), source[start - offset : end - offset])
            )
            at = text.find("](", at + 2)

    def _bare(self, run: MStr, context: str) -> None:
        if context == "link":
            return
        text = run.text
        for start, end in bare_urls(text):
            first, last = run.span(start, end)
            self.bare.append(BareUrl(text[start:end], Span(first, last), context == "html"))


def bare_urls(text: str) -> list[tuple[int, int]]:
    """Spans of ``http(s)://`` URLs in plain text, with GFM's trailing-punctuation rules."""
    found = []
    for match in _BARE.finditer(text):
        start, end = match.span()
        while end > start:
            last = text[end - 1]
            unbalanced = last == ")" and text.count("(", start, end) < text.count(")", start, end)
            if last in _BARE_TRAILING or unbalanced:
                end -= 1
            else:
                break
        if text.find("://", start, end) + 3 < end:
            found.append((start, end))
    return found
