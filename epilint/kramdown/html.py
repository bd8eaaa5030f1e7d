"""kramdown's HTML parsing (``parser/kramdown/html.rb``, ``parser/html.rb: Parser``).

With Jekyll's options (``parse_block_html: false``) an HTML block's content is *raw*:
kramdown still reads it tag by tag (``parse_raw_html``), keeps the tags it recognises as
HTML elements and writes everything else back as escaped text, so Markdown inside it is
text and ``<a href>`` inside it is a link. A block ends at its matching closing tag, even
in mid-line; what follows on the next lines is Markdown again. ``markdown="1"`` (or
``block``/``span``) switches parsing on for one element. In a paragraph, an HTML tag's
content is parsed as Markdown (``parse_span_html: true``) unless its content model is
raw (``code``, ``pre``, ``script`` …).

``html_to_native`` is off in Jekyll, so the ``ElementConverter`` is not ported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from epilint.kramdown import patterns as P
from epilint.kramdown.element import Element
from epilint.kramdown.parser import MAX_DEPTH

if TYPE_CHECKING:
    from epilint.kramdown.parser import Parser
    from epilint.kramdown.scanner import Match

_MARKDOWN_ATTR = {"0": "raw", "1": "default", "span": "span", "block": "block"}


def parse_html_attributes(
    p: Parser, found: Match, group: str, lower: bool
) -> tuple[dict[str, str], dict[str, tuple[int, int]], dict[str, bool]]:
    """``parse_html_attributes``: the attributes of a tag, the file span of each value
    (an attribute without a value gets an empty span after its name) and whether the
    file holds the value exactly there."""
    attrs: dict[str, str] = {}
    spans: dict[str, tuple[int, int]] = {}
    contiguous: dict[str, bool] = {}
    start, end = found.span(group)
    if start < 0 or start >= end:
        return attrs, spans, contiguous
    mstr = p.src.mstr
    string = found.string
    pattern = P.HTML_ATTRIBUTE_RE.fast
    if not string[start:end].isascii():
        for attr in pattern.finditer(string, start, end):
            if not attr.group(1).isascii() or not (attr.group(2) or "").isascii():
                pattern = P.HTML_ATTRIBUTE_RE.exact
                break
    for attr in pattern.finditer(string, start, end):
        name = attr.group(1)
        if lower:
            name = name.lower()
        if attr.group(2) is not None:
            value, at = attr.group(2), attr.span(2)
        elif attr.group(4) is not None:
            value, at = attr.group(4), attr.span(4)
        else:
            value, at = "", (attr.end(1), attr.end(1))
        attrs[name] = value
        spans[name] = mstr.span(*at)
        contiguous[name] = mstr.contiguous(*at)
    return attrs, spans, contiguous


def _record_attrs(
    el: Element, spans: dict[str, tuple[int, int]], contiguous: dict[str, bool], written: dict[str, str]
) -> None:
    el.options["attr_spans"] = spans
    el.options["attr_contiguous"] = contiguous
    el.options["attr_written"] = written


def parse_block_html(p: Parser) -> bool:
    """``parse_block_html``: a comment, a block-level start tag, or the closing tag of the
    HTML element being parsed."""
    src = p.src
    tree = p.tree
    assert tree is not None
    start = src.pos
    comment = src.scan(P.HTML_COMMENT_RE) if src.next_index("-->", start) >= 0 else None
    if comment is not None:
        el = Element("xml_comment", comment.group(0), None, {"category": "block"})
        el.start, el.end = src.mstr.span(start, src.pos)
        el.options["mstr"] = src.mstr.slice(start, src.pos)
        tree.children.append(el)
        src.scan(P.TRAILING_WHITESPACE)
        return True
    tag = src.check(P.HTML_TAG_BLOCK)
    if tag is not None and tag.group("name").lower() not in P.HTML_SPAN_ELEMENTS:
        src.pos = tag.end()
        handle_html_start_tag(p, tag)
        return True
    close = src.check(P.HTML_TAG_CLOSE_BLOCK)
    if close is not None and close.group(1).lower() not in P.HTML_SPAN_ELEMENTS:
        name = close.group(1).lower()
        if tree.type == "html_element" and tree.value == name:
            src.pos = close.end()
            from epilint.kramdown.parser import StopBlockParsing

            raise StopBlockParsing
    return False


def handle_html_start_tag(p: Parser, tag: Match) -> None:
    """``Html::Parser#handle_html_start_tag`` with kramdown's tag handler."""
    src = p.src
    tree = p.tree
    assert tree is not None
    name = tag.group("name")
    if name.lower() in P.HTML_ELEMENT:
        name = name.lower()
    closed = tag.group("closed") is not None
    attrs, spans, contiguous = parse_html_attributes(p, tag, "attrs", name in P.HTML_ELEMENT)
    el = Element("html_element", name, attrs, {"category": "block"})
    _record_attrs(el, spans, contiguous, dict(attrs))
    el.start, el.end = src.mstr.span(tag.start(), tag.end())
    tree.children.append(el)
    if not closed and name in P.HTML_ELEMENTS_WITHOUT_BODY:
        closed = True
    if name in ("script", "style"):
        handle_raw_html_tag(p, name)
        handle_kramdown_html_tag(p, el, False, False)
    else:
        handle_kramdown_html_tag(p, el, closed, True)


def handle_raw_html_tag(p: Parser, name: str) -> None:
    """``handle_raw_html_tag``: a script's or style's content, up to its closing tag."""
    src = p.src
    tree = p.tree
    assert tree is not None
    target = tree.children[-1]
    cur = src.pos
    close = P.close_tag_ahead(name).search(src.string, cur)
    if close is not None:
        p.add_slice(cur, close.start(), tree=target, type="raw")
        src.pos = close.start()
        src.scan(P.HTML_TAG_CLOSE_RE)
    else:
        p.add_slice(cur, len(src.string), tree=target, type="raw")
        src.terminate()


def handle_kramdown_html_tag(p: Parser, el: Element, closed: bool, handle_body: bool) -> None:
    """``handle_kramdown_html_tag``: how the element's content is read."""
    src = p.src
    if p.block_ial is not None:
        el.options["ial"] = p.block_ial
        p.block_ial = None
    tree = p.tree
    assert tree is not None
    inside_raw = tree.type == "html_element" and tree.options.get("content_model") == "raw"
    if not inside_raw:
        model = P.content_model(el.value) if p.options["parse_block_html"] else "raw"
    else:
        model = "raw"
    wanted = _MARKDOWN_ATTR.get(el.attr.pop("markdown", ""))
    if wanted is not None:
        model = P.content_model(el.value) if wanted == "default" else wanted
    if model == "block":
        src.scan(P.TRAILING_WHITESPACE)
    el.options["content_model"] = model
    el.options["is_closed"] = closed
    if closed or not handle_body:
        return
    if model == "block":
        p.parse_blocks(el)
    elif model == "span":
        cur = src.pos
        close = P.close_tag_ahead(el.value).search(src.string, cur)
        if close is not None:
            p.add_slice(cur, close.start(), tree=el)
            src.pos = close.start()
            src.scan(P.HTML_TAG_CLOSE_RE)
        else:
            p.add_slice(cur, len(src.string), tree=el)
            src.terminate()
    else:
        parse_raw_html(p, el)
    tree = p.tree
    if not (tree is not None and tree.type == "html_element" and tree.options.get("content_model") == "raw"):
        src.scan(P.TRAILING_WHITESPACE)


def parse_raw_html(p: Parser, el: Element) -> None:
    """``parse_raw_html``: the element's content, tag by tag, up to its closing tag."""
    p.stack.append(p.tree)
    p.tree = el
    src = p.src
    string = src.string
    p.depth += 1
    try:
        if p.depth > MAX_DEPTH:
            p.add_slice(src.pos, len(string), tree=el, type="text")
            src.terminate()
            return
        done = False
        while src.pos < len(string) and not done:
            p.work += 1
            hit = P.HTML_RAW_START.search(string, src.pos)
            if hit is None:
                p.add_slice(src.pos, len(string), tree=p.tree, type="text")
                src.terminate()
                break
            p.add_slice(src.pos, hit.start(), tree=p.tree, type="text")
            src.pos = hit.start()
            start = src.pos
            tree = p.tree
            assert tree is not None
            if src.next_index("-->", start) >= 0 and src.scan(P.HTML_COMMENT_RE) is not None:
                comment = Element("xml_comment", string[start : src.pos], None, {"category": "block"})
                comment.start, comment.end = src.mstr.span(start, src.pos)
                comment.options["mstr"] = src.mstr.slice(start, src.pos)
                tree.children.append(comment)
            elif src.scan(P.HTML_INSTRUCTION_RE) is not None:
                pi = Element("xml_pi", string[start : src.pos], None, {"category": "block"})
                pi.options["mstr"] = src.mstr.slice(start, src.pos)
                tree.children.append(pi)
            elif (tag := src.scan(P.HTML_TAG_RE)) is not None:
                handle_html_start_tag(p, tag)
            elif (close := src.scan(P.HTML_TAG_CLOSE_RE)) is not None:
                name = close.group(1)
                if tree.value == (name.lower() if tree.value in P.HTML_ELEMENT else name):
                    tree.options["inner_end"] = src.mstr.offset(start)
                    done = True
                else:
                    p.add_slice(start, src.pos, tree=tree, type="text")
            else:
                p.add_slice(src.getch(), src.pos, tree=tree, type="text")
    finally:
        p.depth -= 1
        p.tree = p.stack.pop()


def parse_span_html(p: Parser) -> None:
    """``parse_span_html``: a comment, a stray closing tag (text), or an element whose
    content is parsed as Markdown unless its content model is raw."""
    src = p.src
    tree = p.tree
    assert tree is not None
    start = src.pos
    if src.next_index("-->", start) >= 0 and src.scan(P.HTML_COMMENT_RE) is not None:
        el = Element("xml_comment", src.string[start : src.pos], None, {"category": "span"})
        el.start, el.end = src.mstr.span(start, src.pos)
        el.options["mstr"] = src.mstr.slice(start, src.pos)
        tree.children.append(el)
        return
    if src.scan(P.HTML_TAG_CLOSE_RE) is not None:
        p.add_slice(start, src.pos)
        return
    tag = src.scan(P.HTML_TAG_RE)
    if tag is None:
        p.add_slice(src.getch(), src.pos)
        return
    name = tag.group("name")
    known = name.lower() in P.HTML_ELEMENT
    if known:
        name = name.lower()
    if name in P.HTML_BLOCK_ELEMENTS:
        p.add_slice(start, src.pos)
        return
    attrs, spans, contiguous = parse_html_attributes(p, tag, "attrs", known)
    written = dict(attrs)
    for key, value in attrs.items():
        if value:
            attrs[key] = P.NEWLINES.sub(" ", value)
    if P.content_model(name) == "raw" or tree.options.get("content_model") == "raw":
        do_parsing = False
    else:
        do_parsing = bool(p.options["parse_span_html"])
    wanted = _MARKDOWN_ATTR.get(attrs.pop("markdown", ""))
    if wanted == "span":
        do_parsing = True
    elif wanted == "default":
        do_parsing = P.content_model(name) != "raw"
    elif wanted == "raw":
        do_parsing = False
    closed = tag.group("closed") is not None
    el = Element(
        "html_element",
        name,
        attrs,
        {"category": "span", "content_model": "span" if do_parsing else "raw", "is_closed": closed},
    )
    _record_attrs(el, spans, contiguous, written)
    el.start, el.end = src.mstr.span(start, src.pos)
    tree.children.append(el)
    if closed or name in P.HTML_ELEMENTS_WITHOUT_BODY:
        return
    stop_re = P.span_close_tag(name, name in P.HTML_ELEMENT)
    if p.parse_spans(el, stop_re, None if do_parsing else (p.grammar.span_html,)):
        el.options["inner_end"] = src.mstr.offset(src.pos)
        src.scan(stop_re)
    else:
        p.add_slice(src.pos, len(src.string), tree=el)
        src.terminate()
