"""The links of a simple Markdown body, found without a Markdown parser.

Most show notes are paragraphs and lists of ``[text](https://…)`` links. For such a body
the links CommonMark finds are exactly the matches of one regular expression, so the
page need not be parsed at all (``epilint/links/extract.py`` walks pyromark's events, which costs
several times more). "Simple" is decided conservatively; anything else returns None and
the body goes to the parser:

- no character that starts a construct binding tighter than links or hiding them:
  code spans and fences (`` ` ``, ``~~~``), raw HTML and autolinks (``<``), escapes
  (``\\``), tabs and control characters (entities are never structure: ``&`` is fine);
- no indented code: an indented code block needs four columns of whitespace beyond its
  container's content and cannot interrupt a paragraph. So with no tab, no four spaces in
  a row except at the start of a line (not after a ``>`` or a list marker), and every
  line that starts with four spaces following a line that continues a paragraph (text,
  not a heading, break, underline or empty list item), there is none: such a line
  continues the paragraph or starts a list item (nested lists indented by four spaces
  stay simple);
- no reference definitions (``]:``), footnotes (``[^``) and no line that could be a table's
  delimiter row (only ``|``, ``:``, ``-``, spaces and ``>``, with a ``|``);
- every ``[`` and ``]`` belongs to a link ``[text](destination)`` whose text has no
  brackets and no line break, and whose destination has no whitespace, no brackets and
  at most one level of balanced parentheses, written with no title;
- no ``://`` outside those links (bare URLs are found by the parser's text runs).

Then every match is a link: its ``]`` closes the nearest opener, which is active (links
do not nest here), and ``(destination)`` follows at once. ``tests/test_simple_links.py``
compares this with the parser on the shared corpus, the benchmark corpus and random
bodies built from the constructs above.
"""

from __future__ import annotations

import re

#: A character or sequence that makes a body not simple, anywhere in it.
_NOT_SIMPLE_CHAR = re.compile(r"[`<\\\x00-\x09\x0b-\x1f\x7f]")
_NOT_SIMPLE_TEXT = ("~~~", "]:", "[^")
_SPACES = re.compile(" +")
#: A line that leaves a paragraph open: after quote and list markers, text that does not
#: start a heading, thematic break or setext underline, and not an empty list item.
#: The markers are taken atomically (the lookahead-and-backreference idiom, as Python 3.10
#: has no possessive quantifiers): giving some back would let ``2`` of ``2) ---`` pass as text.
_PARAGRAPH_LINE = re.compile(r"(?=((?:[ >]|(?:[-+*]|\d{1,9}[.)]) )*))\1(?!\d{1,9}[.)] *$)[^\s#=\-*_+>]")
#: A line that could be a table's delimiter row (``| --- | :-: |``).
_DELIMITER_ROW = re.compile(r"^[ >:\-]*\|[ >|:\-]*$", re.MULTILINE)
_LINK = re.compile(r"\[([^\[\]\n]*)\]\(([^\s()\[\]]*(?:\([^\s()\[\]]*\)[^\s()\[\]]*)*)\)")
#: Outside links: a bracket (a link this scanner does not handle) or a bare URL.
_LEFT_OVER = re.compile(r"[\[\]]|://")


def scan(body: str) -> list[re.Match[str]] | None:
    """The links of ``body`` in source order, or None when the body is not simple.

    Each match is one ``[text](destination)``: group 1 is the text, group 2 the
    destination; a ``!`` just before the match makes it an image.
    """
    if _NOT_SIMPLE_CHAR.search(body) or any(text in body for text in _NOT_SIMPLE_TEXT):
        return None
    if "|" in body and _DELIMITER_ROW.search(body):
        return None
    gap = body.find("    ")
    while gap >= 0:  # each run of four or more spaces
        if gap == 0 or body[gap - 1] != "\n":
            return None  # inside a line, or the body's first line
        if not _PARAGRAPH_LINE.match(body, body.rfind("\n", 0, gap - 1) + 1, gap - 1):
            return None
        run = _SPACES.match(body, gap)
        gap = body.find("    ", run.end() if run else gap + 4)
    # Joining what is left may only add a ``://`` (``:`` + ``//``): a needless fallback.
    if _LEFT_OVER.search(_LINK.sub("", body)):
        return None
    return list(_LINK.finditer(body))
