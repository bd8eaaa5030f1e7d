"""The kramdown parser's engine: its environment, block and span loops and tree update
(``parser/kramdown.rb``, ``parser/base.rb``), with the GFM parser's set-up
(``parser/gfm.rb: initialize``) under Jekyll 4.3's default options.

Jekyll (``Jekyll::Configuration::DEFAULTS["kramdown"]``, ``KramdownParser#setup``) parses
with ``input: GFM``, ``hard_wrap: false``, ``auto_ids: true``, ``footnote_nr: 1``,
``entity_output: as_char``, ``toc_levels: 1..6``, ``smart_quotes``, ``guess_lang``,
``syntax_highlighter: rouge``; everything else is kramdown's default: ``gfm_quirks:
[paragraph_end]``, ``parse_block_html: false``, ``parse_span_html: true``,
``html_to_native: false``, ``footnote_prefix: ""``, ``auto_id_prefix: ""``. Of these only
the parsing ones and the footnote and id prefixes can change a link; ``hard_wrap: false``
keeps the ``line_break`` span parser, and ``gfm_quirks`` does not include
``no_auto_typographic``, so typographic symbols are parsed (they only consume characters).

The block parsers are in ``blocks.py``, the span parsers in ``spans.py``, HTML in
``html.py``. Every parser is a function of the ``Parser`` that mirrors one Ruby method;
dispatch follows kramdown's parser lists, in kramdown's order.

Robustness: kramdown recurses for every nested block and span (Ruby raises "stack level
too deep" at a few thousand levels, ``tests/kramdown``); the port stops nesting at
``MAX_DEPTH`` and reads deeper text as plain text. kramdown's bracket matching for links
is quadratic on unclosed or unmatched brackets (2,000 nested ``[`` take Ruby 19 s); the
port gives each body a budget of span-parser steps proportional to its length, and once
it is spent, reads the rest of each text block as plain text (``Parser.exhausted``).
Both only change pathological bodies, far from anything a page holds.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from epilint.kramdown import patterns as P
from epilint.kramdown.element import Element
from epilint.kramdown.mapped import MStr
from epilint.kramdown.scanner import Pattern, Scanner

#: Nested blocks (lists, quotes, HTML) and spans (images, emphasis, HTML) beyond this
#: depth are read as text.
MAX_DEPTH = 64
#: Span-parser steps allowed per character of the body (plus a fixed allowance): a step
#: is one place where a span may start, plus one per 256 characters skipped to reach it.
#: Real pages use a fraction of a step per character.
STEPS_PER_CHAR = 2
STEPS_FIXED = 100_000


class StopBlockParsing(Exception):
    """``throw :stop_block_parsing, :found``"""


@dataclass
class Footnote:
    """One entry of ``@footnotes``."""

    content: Element
    eob: Element | None
    markers: list[Element] = field(default_factory=list)
    attr: dict[str, str] | None = None
    options: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class LinkDef:
    """``@link_defs[id]``: URL, title, the ``eob`` element, the URL's file span and whether
    the file holds the URL exactly there."""

    url: str
    title: str | None
    eob: Element | None
    span: tuple[int, int]
    contiguous: bool


#: A block parser: its start pattern and the method (True when it handled the line).
BlockParser = tuple[Pattern, Callable[["Parser"], bool]]
SpanParser = Callable[["Parser"], None]


@dataclass(frozen=True, slots=True)
class SpanEntry:
    name: str
    start: Pattern
    #: A regexp source for ``span_start``.
    span_start: str
    #: Characters the start pattern can begin with (None: any).
    first: frozenset[str] | None
    method: SpanParser
    #: A quick test that must pass for the start pattern to match (None: none).
    guard: Callable[[Scanner, int], bool] | None = None


@dataclass(frozen=True, slots=True)
class Grammar:
    """The parsers the engine dispatches to: ``gfm.GRAMMAR`` puts them together, so that the
    engine imports none of them (they call back into it)."""

    #: The block parsers that may start at a line, by its first and first non-blank
    #: characters, in kramdown's order.
    candidates: Callable[[str, str], tuple[BlockParser, ...]]
    #: ``@span_parsers``, in kramdown's order.
    span_parsers: tuple[SpanEntry, ...]
    #: The span HTML parser alone (the content of a span HTML element that is not parsed).
    span_html: SpanEntry
    #: ``GFM#update_elements`` and ``update_raw_text`` (header ids, for a table of contents).
    update_elements: Callable[[Parser, Element], None]
    update_raw_text: Callable[[Element], None]


class Parser:
    """``Kramdown::Parser::GFM`` with Jekyll's options, for one body."""

    def __init__(self, source: str, grammar: Grammar, offset: int = 0) -> None:
        self.grammar = grammar
        self.source = source
        self.offset = offset
        self.options: dict[str, Any] = {
            "parse_block_html": False,
            "parse_span_html": True,
            "footnote_prefix": "",
            "auto_id_prefix": "",
            "auto_ids": True,
            "toc_levels": (1, 2, 3, 4, 5, 6),
        }
        #: Options set by ``{::options …}`` (``@root.options[:options]``).
        self.inline_options: dict[str, Any] = {}
        self.root = Element("root")
        self.alds: dict[str, dict[str, Any]] = {}
        self.footnotes: dict[str, Footnote] = {}
        self.link_defs: dict[str, LinkDef] = {}
        self.span_parsers = grammar.span_parsers
        self.span_start = _span_starts(self.span_parsers)
        # The environment (reset_env)
        self.src: Scanner = Scanner(MStr())
        self.tree: Element | None = None
        self.block_ial: dict[str, Any] | None = None
        self.stack: list[Any] = []
        self.text_type: str | None = "raw_text"
        self.depth = 0
        self.steps = STEPS_FIXED + STEPS_PER_CHAR * len(source)
        self.exhausted = False
        #: Loop iterations of the parser (block starts, lines, span starts): a measure of
        #: its work that tests can bound without timing it.
        self.work = 0
        self.id_counter: dict[str, int] = {}
        #: Header ids only become hrefs in a table of contents, which needs an IAL with
        #: the reference ``toc`` (``converter/html.rb: convert_ul``).
        self.toc_possible = "toc" in source and _TOC_IAL.search(source) is not None

    # -- entry ----------------------------------------------------------------------------

    def parse(self) -> Element:
        """``Kramdown#parse`` and ``GFM#parse`` (what can change a link)."""
        self.parse_blocks(self.root, adapt_source(self.source, self.offset))
        self.update_tree(self.root)
        # Abbreviations (replace_abbreviations) only split text into <abbr> elements.
        for data in list(self.footnotes.values()):
            self.update_tree(data.content)
        if self.toc_possible:
            self.grammar.update_elements(self, self.root)
        return self.root

    # -- environment ----------------------------------------------------------------------

    def reset_env(self, src: Scanner | None = None, text_type: str = "raw_text") -> None:
        self.src = src if src is not None else Scanner(MStr())
        self.tree = None
        self.block_ial = None
        self.stack = []
        self.text_type = text_type

    def save_env(self) -> tuple[Any, ...]:
        return (self.src, self.tree, self.block_ial, self.stack, self.text_type)

    def restore_env(self, env: tuple[Any, ...]) -> None:
        self.src, self.tree, self.block_ial, self.stack, self.text_type = env

    def new_block_el(
        self, type: str, value: Any = None, attr: dict[str, str] | None = None, **options: Any
    ) -> Element:
        """``new_block_el``: a block element, taking a pending block IAL."""
        el = Element(type, value, attr, options)
        if self.block_ial is not None:
            el.options["ial"] = self.block_ial
            self.block_ial = None
        return el

    def tree_append(self, el: Element) -> None:
        """``@tree.children << el``"""
        if self.tree is not None:
            self.tree.children.append(el)

    def add_text(self, text: MStr, tree: Element | None = None, type: str | None = None) -> None:
        """``Base#add_text``: append to the last child when it has the type (a new child
        takes ``text`` itself, as in Ruby: callers pass text nothing else holds)."""
        tree = self.tree if tree is None else tree
        type = self.text_type if type is None else type
        if tree is None or type is None:
            return
        children = tree.children
        last = children[-1] if children else None
        if last is not None and last.type == type:
            last.value.append(text)
        elif len(text):
            children.append(Element(type, text))

    def add_slice(self, start: int, end: int, tree: Element | None = None, type: str | None = None) -> None:
        """``add_text`` of the scanner's text ``[start, end)``."""
        if end <= start:
            tree = self.tree if tree is None else tree
            return
        tree = self.tree if tree is None else tree
        type = self.text_type if type is None else type
        if tree is None or type is None:
            return
        children = tree.children
        last = children[-1] if children else None
        if last is not None and last.type == type:
            last.value.append(self.src.mstr, start, end)
        else:
            children.append(Element(type, self.src.mstr.slice(start, end)))

    # -- blocks ---------------------------------------------------------------------------

    def parse_blocks(self, el: Element, text: MStr | None = None) -> bool:
        """``parse_blocks``: True when a closing HTML tag stopped it (``:found``)."""
        self.stack.append((self.tree, self.src, self.block_ial))
        self.tree, self.block_ial = el, None
        if text is not None:
            self.src = Scanner(text)
        found = False
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                src = self.src
                self.add_slice(src.pos, len(src.string))
                src.terminate()
            else:
                self._block_loop()
        except StopBlockParsing:
            found = True
        finally:
            self.depth -= 1
            self.tree, self.src, self.block_ial = self.stack.pop()
        return found

    def _block_loop(self) -> None:
        candidates = self.grammar.candidates
        src = self.src
        string = src.string
        end = len(string)
        while src.pos < end:
            self.work += 1
            pos = src.pos
            lead = pos
            while lead < pos + 3 and string[lead] == " ":
                lead += 1
            for start, method in candidates(string[pos], string[lead] if lead < end else ""):
                found = start.match(string, src.pos)
                if found is not None:
                    src.last = found
                    src.prev = found.start()
                    if method(self):
                        break
            else:
                # "this should not occur - no block parser handled the line"
                newline = string.find("\n", src.pos)
                stop = end if newline < 0 else newline + 1
                self.add_slice(src.pos, stop)
                src.pos = stop

    # -- spans ----------------------------------------------------------------------------

    def parse_spans(
        self,
        el: Element,
        stop_re: re.Pattern[str] | None = None,
        parsers: tuple[SpanEntry, ...] | None = None,
        text_type: str | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> bool:
        """``parse_spans``: parse the scanner's text into ``el`` until ``stop_re`` matches
        (and ``stop`` agrees); True when it did."""
        if self.tree is not None:
            self.stack.append((self.tree, self.text_type))
        self.tree = el
        if text_type is not None:
            self.text_type = text_type
        entries = self.span_parsers if parsers is None else parsers
        starts = self.span_start if parsers is None else _span_starts(parsers)
        used = starts if stop_re is None else _union(stop_re, starts)
        # The smart quotes' span start is the character before a quote (see spans.py).
        quotes = parsers is None
        src = self.src
        string = src.string
        end = len(string)
        found = False
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                if stop_re is None:
                    self.add_slice(src.pos, end)
                    src.terminate()
                return False
            while src.pos < end and not found:
                if self.exhausted:
                    if stop_re is None:
                        self.add_slice(src.pos, end)
                        src.terminate()
                    break
                hit = used.search(string, src.pos)
                if hit is None:
                    if stop_re is None:
                        self.add_slice(src.pos, end)
                        src.terminate()
                    break
                at = hit.start()
                if quotes and at > src.pos and string[at] in "\"'" and string[at - 1] != "\\":
                    at -= 1
                self.steps -= 1 + ((at - src.pos) >> 5)
                self.work += 1
                if self.steps <= 0:
                    self.exhausted = True
                self.add_slice(src.pos, at)
                src.pos = at
                if stop_re is not None and src.check(stop_re) is not None:
                    found = stop() if stop is not None else True
                if found:
                    break
                char = string[at]
                for entry in entries:
                    first = entry.first
                    if first is not None and char not in first:
                        continue
                    if entry.guard is not None and not entry.guard(src, at):
                        continue
                    if src.check(entry.start) is not None:
                        entry.method(self)
                        break
                else:
                    src.pos = at + 1
                    self.add_slice(at, at + 1)
        finally:
            self.depth -= 1
            if self.stack:
                self.tree, self.text_type = self.stack.pop()
            else:
                self.tree, self.text_type = None, None
        return found

    # -- tree update ----------------------------------------------------------------------

    def update_tree(self, element: Element) -> None:
        """``update_tree``: span-parse every raw text, apply IALs, drop ``eob`` markers."""
        children: list[Element] = []
        last_blank: Element | None = None
        for child in element.children:
            kind = child.type
            if kind == "raw_text":
                last_blank = None
                self.reset_env(src=Scanner(child.value), text_type="text")
                self.parse_spans(child)
                children.extend(child.children)
            elif kind == "eob":
                ial = child.options.get("ial")
                if ial:
                    self.update_attr_with_ial(child.attr, ial)
            elif kind == "blank":
                if last_blank is not None:
                    last_blank.value.append(child.value)
                else:
                    last_blank = child
                    children.append(child)
            else:
                last_blank = None
                self.update_tree(child)
                ial = child.options.get("ial")
                if ial:
                    self.update_attr_with_ial(child.attr, ial)
                if kind in ("dt", "header") and self.toc_possible:
                    self.grammar.update_raw_text(child)
                children.append(child)
        element.children = children

    def update_attr_with_ial(self, attr: dict[str, str], ial: dict[str, Any]) -> None:
        """``update_attr_with_ial``: an IAL's attributes (and its ALDs') onto ``attr``."""
        for ref in ial.get(":refs", ()):
            found = self.alds.get(ref)
            if found is not None:
                self.update_attr_with_ial(attr, found)
        for key, value in ial.items():
            if key == "class":
                attr[key] = f"{attr.get(key, '')} {value}".lstrip(" \t\n\v\f\r\0")
            elif not key.startswith(":"):
                attr[key] = value


_TOC_IAL = re.compile(r"\{:[^}]*(?<![A-Za-z0-9_-])toc(?![A-Za-z0-9_-])")
_UNION_CACHE: dict[tuple[str, str], re.Pattern[str]] = {}
_STARTS_CACHE: dict[tuple[str, ...], re.Pattern[str]] = {}


def _span_starts(parsers: tuple[SpanEntry, ...]) -> re.Pattern[str]:
    """``span_parser_regexps``: where any of ``parsers`` may start."""
    key = tuple(entry.name for entry in parsers)
    found = _STARTS_CACHE.get(key)
    if found is None:
        found = _STARTS_CACHE[key] = re.compile("|".join(entry.span_start for entry in parsers), re.MULTILINE)
    return found


def _union(stop_re: re.Pattern[str], starts: re.Pattern[str]) -> re.Pattern[str]:
    """``span_pattern_cache``: ``Regexp.union(stop_re, span_start)``."""
    key = (stop_re.pattern, starts.pattern)
    found = _UNION_CACHE.get(key)
    if found is None:
        # Alternatives that each start with a literal let ``re`` skip text fast: the
        # bracket stop ``(\])|!?\[`` is spelt that way here (only its position is used).
        stop = r"\]|!\[|\[" if stop_re.pattern == P.LINK_BRACKET_STOP_RE.pattern else stop_re.pattern
        found = _UNION_CACHE[key] = re.compile(f"{stop}|{starts.pattern}", stop_re.flags)
    return found


def adapt_source(source: str, offset: int) -> MStr:
    """``Base#adapt_source``: line endings to ``\\n`` and exactly one final newline."""
    text = MStr()
    if "\r" in source:
        pos = 0
        for match in re.finditer(r"\r\n?", source):
            text.append(MStr(source[pos : match.start()], offset + pos))
            if match.end() - match.start() == 2:
                text.append(MStr("\n", offset + match.start() + 1))  # the "\n" of "\r\n"
            else:
                text.append_made_up("\n", offset + match.start())  # a lone "\r"
            pos = match.end()
        text.append(MStr(source[pos:], offset + pos))
    else:
        text = MStr(source, offset)
    string = text.text
    if string.endswith("\n"):
        return text
    return text.append_made_up("\n", text.end_offset())


def normalize_link_id(link_id: str) -> str:
    """``normalize_link_id``: ASCII whitespace runs to one space, then ``downcase``."""
    return P.WHITESPACE_RUN.sub(" ", link_id).lower()
