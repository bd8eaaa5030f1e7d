"""The links of a simple body, found without the kramdown parser.

Most show notes are headers, paragraphs and (nested) lists of ``[text](url)``. For such a
body the links kramdown renders are exactly the matches of one regular expression, and
the parser, which costs far more (``bench/kramdown_links.py``), can be skipped. "Simple"
is decided conservatively; anything else returns None and the body goes to the parser.

Why the matches are the links, when the body has

- none of the characters and sequences that start a construct which could hide a
  link or change where one ends: `````, ``\\``, ``|`` (tables), ``<`` (HTML, autolinks),
  tabs and control characters, ``{:`` (IALs, extensions), ``~~``, ``$$``, ``]:`` (link
  definitions), ``[^`` (footnotes), and no line whose text starts with ``>`` or ``^``;
- every ``[`` and ``]`` in a link ``[text](destination)`` whose text has no brackets, no
  line break, no ``*`` and no ``_`` that could open emphasis (emphasis there can move
  the closing bracket: ``parser/kramdown/emphasis.rb`` parses up to its delimiter,
  brackets included; a ``_`` right after a letter is text), and whose destination has
  no line break, quote, bracket, ``<``, ``>`` or backslash and at most one level of
  balanced parentheses: then kramdown's ``parse_link`` finds this very ``]``, no
  title, and a destination equal to the text between the parentheses without its
  outer spaces. Emphasis outside link texts cannot split a link: a link is parsed
  whole wherever its ``[`` is reached, and a failed emphasis is parsed again as text;
- no indented code block: kramdown starts one only at a block start, and a line with
  four or more leading spaces is a block start only after a blank line, at the start of
  the body, or after a line that ends a block by itself (a header, a horizontal rule or
  setext underline, possibly inside list items). So every such line must follow a
  non-blank line that is none of these; and no line that ends a block may stand between
  two non-blank lines (in a list item, kramdown indents the list line after it).

Bare URLs are then the URLs in the text between the links, unless the body has emphasis
characters (they may end a URL in the tree: ``**https://a/**b``), where the parser is
used instead.

``tests/kramdown/test_kramdown_simple.py`` compares this with the parser on the shared
corpus and on generated bodies built from the allowed characters.
"""

from __future__ import annotations

import re

from epilint.kramdown import charclasses
from epilint.kramdown.extras import bare_urls
from epilint.kramdown.records import BareUrl, Link, LinkKind, Page, escape_attribute
from epilint.model import Span

_NOT_SIMPLE = re.compile(r"[`\\|<\x00-\x09\x0b-\x1f\x7f]|\{:|~~|\$\$|\]:|\[\^|^ *[>^]", re.MULTILINE)
_DEST = r"[^\n()\[\]<>\"'\\]"
_LINK = re.compile(rf"(!?)\[([^\[\]\n*]*)\]\(({_DEST}*(?:\({_DEST}*\){_DEST}*)*)\)")
_UNDERSCORES = re.compile("_+")
_BRACKET = re.compile(r"[\[\]]")
#: After list markers: a header, or a line of ``-=*_`` (a rule or setext underline), or nothing.
_ENDS_BLOCK = re.compile(r" *(?:(?:[-*+]|[0-9]+\.) +)*(?:#|[-=*_ ]*$)")


def scan(body: str, offset: int = 0) -> Page | None:
    """The page of a simple ``body`` whose first character is at ``offset`` in the file, or
    None when the body is not simple."""
    if _NOT_SIMPLE.search(body):
        return None
    matches = list(_LINK.finditer(body)) if "[" in body else []
    gaps: list[tuple[int, int]] = []
    pos = 0
    for match in matches:
        gaps.append((pos, match.start()))
        pos = match.end()
    gaps.append((pos, len(body)))
    if "]" in body and any(_BRACKET.search(body, start, end) for start, end in gaps):
        return None
    if "_" in body and any(
        "_" in match.group(2) and not _underscores_safe(match.group(2)) for match in matches
    ):
        return None
    if not _code_free(body):
        return None
    bare: list[BareUrl] = []
    if "://" in body:
        for start, end in gaps:
            if body.find("://", start, end) < 0:
                continue
            if any(char in body[start:end] for char in "*_"):
                return None
            for url_start, url_end in bare_urls(body[start:end]):
                first, last = start + url_start, start + url_end
                bare.append(BareUrl(body[first:last], Span(first + offset, last + offset)))
    links = []
    for match in matches:
        image = bool(match.group(1))
        text_start, text_end = match.span(2)
        url_start, url_end = match.span(3)
        while url_start < url_end and body[url_start] == " ":
            url_start += 1
        while url_end > url_start and body[url_end - 1] == " ":
            url_end -= 1
        url = body[url_start:url_end]
        links.append(
            Link(
                LinkKind.IMAGE if image else LinkKind.INLINE,
                "img" if image else "a",
                escape_attribute(url),
                url,
                Span(url_start + offset, url_end + offset),
                url,
                True,
                match.group(2),
                Span(text_start + offset, text_end + offset),
                Span(match.start(3) + offset, match.end(3) + offset),
            )
        )
    return Page(tuple(links), (), tuple(bare))


def _underscores_safe(text: str) -> bool:
    """Every ``_`` of a link text is text, not emphasis: each run is one or two, right
    after a letter or a letter and ``-`` (``emphasis.rb``: ``_`` after
    ``[[:alpha:]]-?[[:alpha:]]*`` is text; ``EMPHASIS_START`` takes at most two)."""
    for run in _UNDERSCORES.finditer(text):
        start = run.start()
        if run.end() - start > 2 or start == 0:
            return False
        before = start - 1
        if text[before] == "-" and before > 0:
            before -= 1
        if not charclasses.is_alpha(text[before]):
            return False
    return True


def _code_free(body: str) -> bool:
    """No line can start an indented code block: no line with four leading spaces after a
    blank line or a line that ends a block, and no line that ends a block between two
    non-blank lines (inside a list item, kramdown indents a lazy list line after it by
    the item's indentation and four: ``list.rb``, ``" " * (indentation + 4) << result``)."""
    lines = body.split("\n")
    previous: str | None = None
    for index, line in enumerate(lines):
        blank = not line.strip(" ")
        after_block_start = previous is None or not previous.strip(" ") or _ENDS_BLOCK.match(previous)
        if line.startswith("    ") and not blank and after_block_start:
            return False
        if not blank and previous is not None and previous.strip(" ") and _ENDS_BLOCK.match(line):
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if following.strip(" "):
                return False
        previous = line
    return True
