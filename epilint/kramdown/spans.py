"""kramdown's span parsers (``parser/kramdown/*.rb``, ``parser/gfm.rb``), in kramdown's
order: ``emphasis, codespan, autolink, span_html, footnote_marker, link, smart_quotes,
inline_math, span_extensions, html_entity, typographic_syms, line_break,
escaped_chars_gfm, strikethrough_gfm``.

At each place where a span may start, the first parser whose start pattern matches
runs, whatever it then does; so a parser that only makes text (smart quotes,
typographic symbols) still decides which characters the parsers after it see.
Smart quotes, typographic symbols, entities and line breaks are kept as elements (an
IAL after them is not "after text") but nothing of their output is computed: no href
depends on it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from epilint.kramdown import charclasses
from epilint.kramdown import patterns as P
from epilint.kramdown.element import Element
from epilint.kramdown.extensions import parse_span_extensions
from epilint.kramdown.html import parse_span_html
from epilint.kramdown.parser import MAX_DEPTH, SpanEntry, normalize_link_id
from epilint.kramdown.scanner import Pattern, Scanner

if TYPE_CHECKING:
    from epilint.kramdown.parser import Parser

_SPACE = frozenset(P.ASCII_SPACE)


def parse_emphasis(p: Parser) -> None:
    """``emphasis.rb: parse_emphasis``"""
    src = p.src
    string = src.string
    saved = src.pos
    found = src.scan(P.EMPHASIS_START)
    assert found is not None
    result_len = found.end() - found.start()
    element = "strong" if result_len == 2 else "em"
    kind = string[saved]
    tree = p.tree
    assert tree is not None
    if (
        (kind == "_" and _alpha_before(string, saved))
        or (src.pos < len(string) and string[src.pos] in _SPACE)
        or tree.type == element
        or any(entry[0] is not None and entry[0].type == element for entry in p.stack)
    ):
        p.add_slice(saved, src.pos)
        return

    def sub_parse(delim: str, elem: str) -> tuple[bool, Element, re.Pattern[str]]:
        el = Element(elem)
        stop_re = P._pattern(re.escape(delim))
        twice = P._pattern(f"{re.escape(delim * 2)}(?!{re.escape(delim)})")
        after = len(delim)

        def stop() -> bool:
            pos = src.pos
            return (
                (pos == 0 or string[pos - 1] not in _SPACE)
                and (elem != "em" or twice.match(string, pos) is None)
                and (
                    kind != "_"
                    or not (pos + after < len(string) and charclasses.is_alnum(string[pos + after]))
                )
                and bool(el.children)
            )

        return p.parse_spans(el, stop_re, stop=stop), el, stop_re

    ok, el, stop_re = sub_parse(string[saved : saved + result_len], element)
    if not ok and element == "strong" and (p.tree is None or p.tree.type != "em"):
        src.pos = saved + 1
        ok, el, stop_re = sub_parse(kind, "em")
    if ok:
        src.scan(stop_re)
        tree.children.append(el)
    else:
        src.pos = saved + result_len
        p.add_slice(saved, saved + result_len)


def _alpha_before(string: str, pos: int) -> bool:
    """``pre_match =~ /[[:alpha:]]-?[[:alpha:]]*\\z/``: the text before ends with a letter,
    or with a letter and ``-``."""
    if pos == 0:
        return False
    if charclasses.is_alpha(string[pos - 1]):
        return True
    return string[pos - 1] == "-" and pos >= 2 and charclasses.is_alpha(string[pos - 2])


def parse_codespan(p: Parser) -> None:
    """``codespan.rb: parse_codespan``"""
    src = p.src
    string = src.string
    start = src.pos
    found = src.scan(P.CODESPAN_DELIMITER)
    assert found is not None
    delim = found.group(0)
    simple = len(delim) == 1
    after = src.pos
    if (
        simple
        and (start == 0 or string[start - 1] in _SPACE)
        and after < len(string)
        and string[after] in _SPACE
    ):
        p.add_slice(start, after)
        return
    close = string.find(delim, after)
    if close < 0:
        src.pos = after
        p.add_slice(start, after)
        return
    src.pos = close + len(delim)
    begin, end = after, close
    if not simple:
        if begin < end and string[begin] == " ":
            begin += 1
        if begin < end and string[end - 1] == " ":
            end -= 1
    el = Element("codespan", string[begin:end])
    el.start, el.end = src.mstr.span(start, src.pos)
    el.options["delimiter"] = delim
    el.options["value_at"] = (begin, end)
    p.tree_append(el)


def parse_autolink(p: Parser) -> None:
    """``autolink.rb: parse_autolink``: ``<https://…>`` and ``<a@b.c>``."""
    src = p.src
    found = src.last
    assert found is not None
    start = src.pos
    src.pos = found.end()
    address = found.group(1)
    href = address if found.group(2) is not None else f"mailto:{address}"
    el = Element("a", None, {"href": href})
    el.options["kind"] = "autolink"
    el.options["url_span"] = src.mstr.span(*found.span(1))
    el.options["url_contiguous"] = src.mstr.contiguous(*found.span(1))
    el.options["written"] = address
    el.start, el.end = src.mstr.span(start, src.pos)
    shown_start = found.start(1) + (7 if address.startswith("mailto:") else 0)
    p.add_slice(shown_start, found.end(1), tree=el)
    el.options["text"] = src.string[shown_start : found.end(1)]
    el.options["text_span"] = src.mstr.span(shown_start, found.end(1))
    p.tree_append(el)


def parse_footnote_marker(p: Parser) -> None:
    """``footnote.rb: parse_footnote_marker``"""
    src = p.src
    found = src.last
    assert found is not None
    start = src.pos
    src.pos = found.end()
    name = found.group(1)
    fn_def = p.footnotes.get(name)
    if fn_def is None:
        p.add_slice(start, src.pos)
        return
    if fn_def.eob is not None:
        eob = fn_def.eob
        p.update_attr_with_ial(eob.attr, eob.options.get("ial") or {})
        fn_def.attr = eob.attr
        fn_def.options = eob.options
        fn_def.eob = None
    el = Element("footnote", fn_def.content, fn_def.attr, {**(fn_def.options or {}), "name": name})
    el.start, el.end = src.mstr.span(start, src.pos)
    fn_def.markers.append(el)
    p.tree_append(el)


def parse_link(p: Parser) -> None:
    """``link.rb: parse_link``: inline and reference links and images."""
    src = p.src
    string = src.string
    start = src.pos
    found = src.scan(P.LINK_START)
    assert found is not None
    cur_pos = src.pos
    link_type = "img" if string[start] == "!" else "a"
    tree = p.tree
    assert tree is not None
    if link_type == "a" and (
        tree.type in ("img", "a")
        or any(entry[0] is not None and entry[0].type in ("img", "a") for entry in p.stack)
    ):
        p.add_slice(start, cur_pos)
        return
    if src.last_close() < cur_pos:
        # No "]" after it: the bracket scan below cannot succeed (and is undone anyway).
        p.add_slice(start, cur_pos)
        return
    el = Element(link_type)
    count = 1
    images = [0, 0]  # images among el.children, children counted so far

    def stop() -> bool:
        nonlocal count
        count += -1 if src.group(1) is not None else 1
        children = el.children
        for child in children[images[1] :]:
            if child.type == "img":
                images[0] += 1
        images[1] = len(children)
        return count - images[0] == 0

    close = string.find("]", cur_pos)
    if close >= 0 and p.depth < MAX_DEPTH and p.span_start.search(string, cur_pos, close) is None:
        # Nothing can start between the brackets: the scan below would add the text and
        # stop at this "]" (count 0). Done directly, it is the same.
        p.add_slice(cur_pos, close, tree=el)
        src.pos = close
    elif not p.parse_spans(el, P.LINK_BRACKET_STOP_RE, stop=stop):
        src.pos = cur_pos
        p.add_slice(start, cur_pos)
        return
    close = src.pos
    alt_text = P.ESCAPED_CHARS.sub(r"\1", string[cur_pos:close])
    src.scan(P.LINK_BRACKET_STOP_RE)
    mstr = src.mstr
    el.start = mstr.offset(start)
    el.options["text"] = string[cur_pos:close]
    el.options["text_span"] = mstr.span(cur_pos, close)

    # reference style link or no link url
    reference = src.scan(P.LINK_INLINE_ID_RE)
    if reference is not None or src.check(P.OPEN_PAREN) is None:
        label = src.group(1)
        link_id = normalize_link_id(label if label is not None else alt_text)
        link_def = p.link_defs.get(link_id)
        if link_def is not None:
            el.options["kind"] = "reference"
            el.options["url_span"] = link_def.span
            el.options["url_contiguous"] = link_def.contiguous
            el.options["written"] = link_def.url
            ial = link_def.eob.options.get("ial") if link_def.eob is not None else None
            el.end = mstr.offset(src.pos - 1) + 1
            add_link(p, el, link_def.url, link_def.title, alt_text=alt_text, ial=ial)
        else:
            src.pos = cur_pos
            p.add_slice(start, cur_pos)
        return

    # link url in parentheses
    paren = src.pos
    angle = src.scan(P.LINK_ANGLE)
    if angle is not None:
        url_start, url_end = angle.span(1)
        link_url = angle.group(1)
        if src.scan(P.CLOSE_PAREN) is not None:
            _inline(
                p,
                el,
                link_url,
                None,
                alt_text=alt_text,
                url_at=(url_start, url_end),
                paren=paren,
                close=src.pos - 1,
            )
            return
    else:
        nr_of_brackets = 0
        end = paren
        while True:
            p.work += 1
            hit = src.scan_until(P.LINK_PAREN_STOP_RE)
            if hit is None:
                break
            end = src.pos
            match = hit[1]
            if match.group(2) is not None:
                nr_of_brackets -= 1
                if nr_of_brackets == 0:
                    break
            elif match.group(1) is not None:
                nr_of_brackets += 1
            else:
                break
        url_start, url_end = paren + 1, max(paren + 1, end - 1)
        while url_start < url_end and string[url_start] in P.STRIP:
            url_start += 1
        while url_end > url_start and string[url_end - 1] in P.STRIP:
            url_end -= 1
        link_url = string[url_start:url_end]
        if nr_of_brackets == 0:
            _inline(
                p,
                el,
                link_url,
                None,
                alt_text=alt_text,
                url_at=(url_start, url_end),
                paren=paren,
                close=src.pos - 1,
            )
            return

    title = src.scan(P.LINK_INLINE_TITLE_RE)
    if title is not None:
        _inline(
            p,
            el,
            link_url,
            title.group(2),
            alt_text=alt_text,
            url_at=(url_start, url_end),
            paren=paren,
            close=src.pos - 1,
        )
    else:
        src.pos = cur_pos
        p.add_slice(start, cur_pos)


def _inline(
    p: Parser,
    el: Element,
    url: str,
    title: str | None,
    *,
    alt_text: str,
    url_at: tuple[int, int],
    paren: int,
    close: int,
) -> None:
    mstr = p.src.mstr
    el.options["kind"] = "inline"
    el.options["url_span"] = mstr.span(*url_at)
    el.options["url_contiguous"] = mstr.contiguous(*url_at)
    el.options["written"] = url
    el.options["target_span"] = mstr.span(paren + 1, close)
    el.end = mstr.offset(close) + 1
    add_link(p, el, url, title, alt_text=alt_text, ial=None)


def add_link(
    p: Parser, el: Element, href: str, title: str | None, *, alt_text: str, ial: dict[str, Any] | None
) -> None:
    """``link.rb: add_link``"""
    el.options["ial"] = ial
    if ial:
        p.update_attr_with_ial(el.attr, ial)
    if el.type == "a":
        el.attr["href"] = href
    else:
        el.attr["src"] = href
        el.attr["alt"] = alt_text
        el.children.clear()
    if title is not None:
        el.attr["title"] = title
    p.tree_append(el)


def parse_smart_quotes(p: Parser) -> None:
    """``smart_quotes.rb: parse_smart_quotes`` (what it consumes; the quote's form is not
    computed)."""
    src = p.src
    for rule, substs in P.SQ_RULES:
        found = src.scan(rule)
        if found is None:
            continue
        for subst in substs:
            if isinstance(subst, int):
                p.add_slice(*found.span(subst))
            else:
                digit = subst[-1]
                quote = found.group(int(digit) if digit.isdigit() else 0)
                p.tree_append(Element("smart_quote", P.SQ_SUBSTS.get((subst, quote), subst)))
        return
    p.add_slice(src.getch(), src.pos)


def parse_inline_math(p: Parser) -> None:
    """``math.rb: parse_inline_math``"""
    src = p.src
    found = src.last
    assert found is not None
    src.pos = found.end()
    begin, end = found.span(1)
    string = src.string
    while begin < end and string[begin] in P.STRIP:
        begin += 1
    while end > begin and string[end - 1] in P.STRIP:
        end -= 1
    el = Element("math", string[begin:end], None, {"category": "span"})
    # With attributes (a span IAL) the MathJax engine writes the value unescaped
    # (``converter/math_engine/mathjax.rb``): keep where it is.
    el.options["mstr"] = src.mstr.slice(begin, end)
    p.tree_append(el)


def parse_html_entity(p: Parser) -> None:
    """``html_entity.rb: parse_html_entity``: an entity, or ``&amp;`` and text for an
    unknown name."""
    from epilint.kramdown import entities

    src = p.src
    found = src.last
    assert found is not None
    start = src.pos
    src.pos = found.end()
    name, decimal, hexadecimal = found.group(1, 2, 3)
    if name is not None:
        code = entities.NAMES.get(name)
        if code is None:
            el = Element("entity", ord("&"))
            el.start, el.end = src.mstr.span(start, start + 1)
            p.tree_append(el)
            p.add_slice(start + 1, src.pos)
            return
    else:
        number = int(decimal) if decimal is not None else int(hexadecimal, 16)
        code = entities.NUMBERS.get(number, number)
    el = Element("entity", code, None, {"original": found.group(0)})
    el.start, el.end = src.mstr.span(start, src.pos)
    p.tree_append(el)


def parse_typographic_syms(p: Parser) -> None:
    """``typographic_symbol.rb: parse_typographic_syms``"""
    src = p.src
    found = src.last
    assert found is not None
    start = src.pos
    src.pos = found.end()
    value = P.TYPOGRAPHIC_SYMS[found.group(0)]
    if value.startswith("&"):
        for _ in range(2):
            el = Element("entity", ord("<" if "lt" in value else ">"))
            el.start, el.end = src.mstr.span(start, src.pos)
            p.tree_append(el)
    else:
        el = Element("typographic_sym", value)
        el.start, el.end = src.mstr.span(start, src.pos)
        p.tree_append(el)


def parse_line_break(p: Parser) -> None:
    """``line_break.rb: parse_line_break``"""
    src = p.src
    found = src.last
    assert found is not None
    src.pos = found.end()
    p.tree_append(Element("br"))


def parse_escaped_chars(p: Parser) -> None:
    """``escaped_chars.rb: parse_escaped_chars`` (GFM's set of characters)."""
    src = p.src
    found = src.last
    assert found is not None
    src.pos = found.end()
    p.add_slice(*found.span(1))


def parse_strikethrough(p: Parser) -> None:
    """``parser/gfm.rb: parse_strikethrough_gfm``: ``~~…~~`` is parsed on its own, in a
    new environment (so a link inside it may even nest in another link)."""
    src = p.src
    found = src.last
    assert found is not None
    start = src.pos
    src.pos = found.end()
    el = Element("html_element", "del", {}, {"category": "span"})
    p.tree_append(el)
    env = p.save_env()
    inner = src.mstr.slice(start + 2, found.end() - 2)
    p.reset_env(src=Scanner(inner), text_type="text")
    p.parse_spans(el)
    p.restore_env(env)


def _entry(
    name: str,
    start: Pattern,
    span_start: str,
    first: str | None,
    method: object,
    *,
    guard: Callable[[Scanner, int], bool] | None = None,
) -> SpanEntry:
    chars = frozenset(first) if first is not None else None
    return SpanEntry(name, start, span_start, chars, method, guard)  # type: ignore[arg-type]


def _autolink_possible(src: Scanner, pos: int) -> bool:
    """``AUTOLINK_START`` needs a ``>`` on the same line (``.`` and ``ACHARS`` stop at a
    newline)."""
    close = src.next_index(">", pos)
    if close < 0:
        return False
    newline = src.next_index("\n", pos)
    return newline < 0 or close < newline


EMPHASIS = _entry("emphasis", P.EMPHASIS_START, r"\*|_", "*_", parse_emphasis)
CODESPAN = _entry("codespan", P.CODESPAN_DELIMITER, "`", "`", parse_codespan)
AUTOLINK = _entry("autolink", P.AUTOLINK_START, "<", "<", parse_autolink, guard=_autolink_possible)
SPAN_HTML = _entry("span_html", P.HTML_SPAN_START, "<", "<", parse_span_html)
FOOTNOTE_MARKER = _entry("footnote_marker", P.FOOTNOTE_MARKER_START, r"\[", "[", parse_footnote_marker)
LINK = _entry("link", P.LINK_START, r"!\[|\[", "![", parse_link)
#: Its span start, ``[^\\]?["']``, is the character before a quote: searched for as the
#: quote, then moved back (``Parser.parse_spans``), so that every alternative of the union
#: starts with a literal and ``re`` can skip text fast.
SMART_QUOTES = _entry("smart_quotes", P.SMART_QUOTES_RE, "\"|'", None, parse_smart_quotes)
INLINE_MATH = _entry("inline_math", P.INLINE_MATH_START, r"\$", "$", parse_inline_math)
SPAN_EXTENSIONS = _entry("span_extensions", P.SPAN_EXTENSIONS_START, r"\{:", "{", parse_span_extensions)
HTML_ENTITY = _entry("html_entity", P.HTML_ENTITY_RE, "&", "&", parse_html_entity)
TYPOGRAPHIC_SYMS = _entry(
    "typographic_syms",
    P.TYPOGRAPHIC_SYMS_RE,
    r"--|\.\.\.|\\<<|\\>>| <<| >>|<<|>>",
    "-.\\ <>",
    parse_typographic_syms,
)
LINE_BREAK = _entry("line_break", P.LINE_BREAK, r"  (?=\n)|\\\\(?=\n)", " \\", parse_line_break)
ESCAPED_CHARS = _entry("escaped_chars", P.ESCAPED_CHARS_GFM, r"\\", "\\", parse_escaped_chars)
STRIKETHROUGH = _entry("strikethrough_gfm", P.STRIKETHROUGH_MATCH, "~~", "~", parse_strikethrough)

#: ``@span_parsers`` of the GFM parser with Jekyll's options.
SPAN_PARSERS = (
    EMPHASIS,
    CODESPAN,
    AUTOLINK,
    SPAN_HTML,
    FOOTNOTE_MARKER,
    LINK,
    SMART_QUOTES,
    INLINE_MATH,
    SPAN_EXTENSIONS,
    HTML_ENTITY,
    TYPOGRAPHIC_SYMS,
    LINE_BREAK,
    ESCAPED_CHARS,
    STRIKETHROUGH,
)
