"""kramdown's block parsers (``parser/kramdown/*.rb``, ``parser/gfm.rb``), in the GFM
parser's order: ``blank_line, codeblock, codeblock_fenced_gfm, blockquote,
atx_header_gfm_quirk, horizontal_rule, list, definition_list, block_html,
setext_header, block_math, table, footnote_definition, link_definition,
abbrev_definition, block_extensions, eob_marker, paragraph``.

A parser runs when its start pattern matches at the position; one that returns False
lets the next one try. What they build is kramdown's tree; text to be span-parsed later
is kept as ``raw_text`` with its file offsets (``mapped.py``). Code blocks, math and
abbreviation definitions are consumed but not kept: nothing in them is a link.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from epilint.kramdown import patterns as P
from epilint.kramdown.element import Element
from epilint.kramdown.extensions import parse_attribute_list, parse_block_extensions
from epilint.kramdown.html import parse_block_html
from epilint.kramdown.mapped import MStr
from epilint.kramdown.parser import BlockParser, Footnote, LinkDef, normalize_link_id
from epilint.kramdown.scanner import Scanner
from epilint.kramdown.spans import CODESPAN, SPAN_HTML

if TYPE_CHECKING:
    from epilint.kramdown.parser import Parser

_STRIP = P.STRIP


# -- MStr helpers (Ruby string operations on rebuilt text) ----------------------------


def rstrip(text: MStr) -> MStr:
    """``String#rstrip``"""
    string = text.text
    end = len(string.rstrip(_STRIP))
    return text if end == len(string) else text.slice(0, end)


def lstrip(text: MStr) -> MStr:
    """``String#lstrip``"""
    string = text.text
    start = len(string) - len(string.lstrip(_STRIP))
    return text if start == 0 else text.slice(start)


def strip(text: MStr) -> MStr:
    return lstrip(rstrip(text))


def remove(text: MStr, pattern: re.Pattern[str], count: int = 0) -> tuple[MStr, bool]:
    """``gsub!(pattern, '')`` (``sub!`` with ``count=1``): the text without the matches."""
    string = text.text
    result = MStr()
    pos = 0
    done = 0
    for found in pattern.finditer(string):
        if found.end() == found.start():
            continue
        result.append(text, pos, found.start())
        pos = found.end()
        done += 1
        if count and done >= count:
            break
    if not done:
        return text, False
    result.append(text, pos)
    return result, True


def split(text: MStr, pattern: re.Pattern[str], keep_trailing: bool) -> list[MStr]:
    """``String#split(regexp)`` (captured separators included); without ``-1`` Ruby drops
    trailing empty strings."""
    string = text.text
    pieces: list[MStr] = []
    pos = 0
    for found in pattern.finditer(string):
        if found.end() == found.start():
            continue
        pieces.append(text.slice(pos, found.start()))
        for index in range(1, (pattern.groups or 0) + 1):
            if found.group(index) is not None:
                pieces.append(text.slice(*found.span(index)))
        pos = found.end()
    pieces.append(text.slice(pos))
    if not keep_trailing:
        while pieces and not len(pieces[-1]):
            pieces.pop()
    return pieces


def _match_slice(p: Parser, found: re.Match[str], group: int | str = 0) -> MStr:
    start, end = found.span(group)
    return p.src.mstr.slice(start, end) if start >= 0 else MStr()


def after_block_boundary(p: Parser) -> bool:
    """``after_block_boundary?``"""
    tree = p.tree
    assert tree is not None
    last = tree.children[-1] if tree.children else None
    return (
        last is None
        or last.type == "blank"
        or (last.type == "eob" and last.value is None)
        or p.block_ial is not None
    )


def before_block_boundary(p: Parser) -> bool:
    """``before_block_boundary?``"""
    return p.src.check(P.BLOCK_BOUNDARY) is not None


# -- the parsers -------------------------------------------------------------------------


def parse_blank_line(p: Parser) -> bool:
    """``blank_line.rb``"""
    src = p.src
    found = src.last
    assert found is not None
    assert p.tree is not None
    src.pos = found.end()
    value = _match_slice(p, found)
    children = p.tree.children
    if children and children[-1].type == "blank":
        children[-1].value.append(value)
    else:
        children.append(p.new_block_el("blank", value))
    return True


def parse_codeblock(p: Parser) -> bool:
    """``codeblock.rb: parse_codeblock``: indented code (with its lazy lines)."""
    src = p.src
    end = P.codeblock_end(src.string, src.pos)
    if end > src.pos:
        src.pos = end
    else:
        newline = src.string.find("\n", src.pos)
        src.pos = len(src.string) if newline < 0 else newline + 1
    assert p.tree is not None
    p.tree.children.append(p.new_block_el("codeblock"))
    return True


def parse_codeblock_fenced(p: Parser) -> bool:
    """``parser/gfm.rb`` ``FENCED_CODEBLOCK_MATCH``: a fence needs its closing fence."""
    src = p.src
    end = P.fenced_code_end(src.string, src.pos)
    if end < 0:
        return False
    src.pos = end
    assert p.tree is not None
    p.tree.children.append(p.new_block_el("codeblock"))
    return True


def parse_blockquote(p: Parser) -> bool:
    """``blockquote.rb``: every line up to a lazy end, without its ``>``."""
    src = p.src
    start = src.pos
    src.scan(P.PARAGRAPH_MATCH)
    while not P.line_end_possible(src.string, src.pos) or src.check(P.LAZY_END) is None:
        p.work += 1
        if src.scan(P.PARAGRAPH_MATCH) is None:
            break
    result, _ = remove(p.src.mstr.slice(start, src.pos), P.BLOCKQUOTE_START_LINES)
    el = p.new_block_el("blockquote")
    assert p.tree is not None
    p.tree.children.append(el)
    p.parse_blocks(el, result)
    return True


def _header_contents(p: Parser, found: re.Match[str]) -> tuple[MStr, str | None]:
    """``parse_header_contents``: the text and an ``{#id}``."""
    text = rstrip(_match_slice(p, found, "contents"))
    header_id = None
    id_match = P.HEADER_ID.search(text.text)
    if id_match is not None:
        header_id = id_match.group("id")
        text = rstrip(text.slice(0, len(text) - len(id_match.group(0))))
    return text, header_id


def _add_header(p: Parser, found: re.Match[str], level: int, text: MStr, header_id: str | None) -> None:
    """``add_header``"""
    p.src.pos = found.end()
    el = p.new_block_el("header", None, None, level=level, raw_text=text.text)
    p.add_text(text, el)
    if header_id is not None:
        el.attr["id"] = header_id
    assert p.tree is not None
    p.tree.children.append(el)


_ATX_CLOSE = re.compile(r"[\t ]#+\Z")


def parse_atx_header(p: Parser) -> bool:
    """``parser/gfm.rb: parse_atx_header_gfm_quirk`` (no block boundary needed)."""
    found = p.src.last
    assert found is not None
    text, header_id = _header_contents(p, found)
    closing = _ATX_CLOSE.search(text.text)
    if closing is not None:
        text = rstrip(text.slice(0, closing.start()))
    if not len(text):
        return False
    _add_header(p, found, len(found.group("level")), text, header_id)
    return True


def parse_setext_header(p: Parser) -> bool:
    """``header.rb: parse_setext_header``"""
    if not after_block_boundary(p):
        return False
    found = p.src.last
    assert found is not None
    text, header_id = _header_contents(p, found)
    if not len(text):
        return False
    _add_header(p, found, 2 if found.group("level") == "-" else 1, text, header_id)
    return True


def parse_horizontal_rule(p: Parser) -> bool:
    """``horizontal_rule.rb``"""
    found = p.src.last
    assert found is not None
    assert p.tree is not None
    p.src.pos = found.end()
    p.tree.children.append(p.new_block_el("hr"))
    return True


def parse_first_list_line(p: Parser, indentation: int, content: MStr) -> tuple[MStr, int]:
    """``list.rb: parse_first_list_line``: the item's first line without its marker, and
    the item's content indentation (tabs counted to the next multiple of four)."""
    string = content.text
    if P.LIST_ITEM_IAL_CHECK.match(string) is not None:
        indentation = 4
    else:
        spaces = len(string) - len(string.lstrip(" "))
        if spaces < len(string) and string[spaces] == "\t":
            tabs = len(string) - spaces - len(string[spaces:].lstrip("\t"))
            temp = spaces + indentation
            width = 4 - (temp % 4) + (tabs - 1) * 4
            rebuilt = MStr().append(content, 0, spaces)
            rebuilt.append_made_up(" " * width, content.offset(spaces))
            content = rebuilt.append(content, spaces + tabs)
            string = content.text
        indentation += len(string) - len(string.lstrip(" "))
    lead = len(string) - len(string.lstrip(P.ASCII_SPACE))
    return content.slice(lead), indentation


def _expand_leading_tabs(text: MStr) -> MStr:
    """``result.sub!(/^(\\t+)/) { " " * 4 * $1.length }``"""
    string = text.text
    tabs = len(string) - len(string.lstrip("\t"))
    if not tabs:
        return text
    return MStr.made_up(" " * 4 * tabs, text.offset(0)).append(text, tabs)


def _list_item_ial(item: Element, value: MStr) -> MStr:
    """``item.value.sub!(LIST_ITEM_IAL) { parse_attribute_list($1, …); '' }``"""
    found = P.LIST_ITEM_IAL.match(value.text)
    if found is None or found.end() == 0:
        return value
    if item.options.get("ial") is None:
        item.options["ial"] = {}
    parse_attribute_list(found.group(1), item.options["ial"])
    return value.slice(found.end())


def parse_list(p: Parser) -> bool:
    """``list.rb: parse_list`` and ``parser/gfm.rb: parse_list`` (task lists)."""
    src = p.src
    tree = p.tree
    assert tree is not None
    if src.check(P.LIST_START_UL) is not None:
        kind, list_start_re = "ul", P.LIST_START_UL
    else:
        kind, list_start_re = "ol", P.LIST_START_OL
    lst = p.new_block_el(kind)
    items: list[tuple[Element, list[MStr]]] = []
    content_re = lazy_re = indent_re = None
    indentation = 0
    eob_found = False
    nested_list_found = False
    last_is_blank = False
    string = src.string
    mstr = src.mstr
    end = len(string)
    while src.pos < end:
        p.work += 1
        pos = src.pos
        if last_is_blank and P.HR_START.match(string, pos) is not None:
            break
        if string[pos] == "^":
            eob = P.EOB_MARKER.match(string, pos)
            if eob is not None:
                src.pos = eob.end()
                eob_found = True
                break
        found = list_start_re.match(string, pos)
        if found is not None:
            src.pos = found.end()
            item = Element("li")
            value, indentation = parse_first_list_line(p, len(found.group(1)), mstr.slice(*found.span(2)))
            content_re, lazy_re, indent_re = P.list_line_patterns(indentation)
            lst.children.append(item)
            value = _list_item_ial(item, value)
            list_start_re = P.fetch_pattern(kind, indentation)
            nested_list_found = P.LIST_START.match(value.text) is not None
            last_is_blank = False
            items.append((item, [value]))
            continue
        assert content_re is not None
        assert lazy_re is not None
        assert indent_re is not None
        found = content_re.match(string, pos)
        if found is None and not last_is_blank:
            found = lazy_re.match(string, pos)
        if found is not None:
            src.pos = line_end = found.end()
            chunks = items[-1][1]
            if string[pos] == "\t":
                result = _expand_leading_tabs(mstr.slice(pos, line_end))
                rstring = result.text
                indented = indent_re.match(rstring)
                if indented is not None:
                    result = result.slice(indented.end())
                    rstring = result.text
                starts_list = P.LIST_START.match(rstring) is not None
                if not nested_list_found and indented is not None and starts_list:
                    chunks.append(MStr())
                    nested_list_found = True
                elif nested_list_found and indented is None and starts_list:
                    chunks[-1].append_made_up(" " * (indentation + 4), result.offset(0))
                chunks[-1].append(result)
            else:
                indented = indent_re.match(string, pos)
                begin = pos if indented is None else indented.end()
                starts_list = P.LIST_START.match(string, begin) is not None
                if not nested_list_found and indented is not None and starts_list:
                    chunks.append(MStr())
                    nested_list_found = True
                elif nested_list_found and indented is None and starts_list:
                    chunks[-1].append_made_up(" " * (indentation + 4), mstr.offset(begin))
                chunks[-1].append(mstr, begin, line_end)
            last_is_blank = False
            continue
        found = P.BLANK_LINE.match(string, pos)
        if found is not None:
            src.pos = found.end()
            nested_list_found = True
            last_is_blank = True
            items[-1][1][-1].append(mstr, pos, found.end())
            continue
        break

    tree.children.append(lst)
    last: Element | None = None
    for item, chunks in items:
        temp = Element("temp")
        env = p.save_env()
        for chunk in chunks:
            p.src = Scanner(chunk)
            p.parse_blocks(temp)
        p.restore_env(env)
        item.children = temp.children
        children = item.children
        if not children:
            continue
        first = children[0]
        if (
            first.type == "p"
            and len(children) >= 2
            and children[1].type == "eob"
            and first.options.get("ial")
        ):
            del children[1]
        if (
            first.type == "p"
            and (
                len(children) < 2
                or children[1].type != "blank"
                or (item is lst.children[-1] and len(children) == 2 and not eob_found)
            )
            and (
                lst.children[-1] is not item
                or len(lst.children) == 1
                or any(
                    not cit.children
                    or cit.children[0].type != "p"
                    or cit.children[0].options.get("transparent")
                    for cit in lst.children[:-1]
                )
            )
        ):
            if len(children) > 1 and children[1].type != "blank" and first.children:
                first.children[0].value.append_made_up("\n", first.children[0].value.end_offset())
            first.options["transparent"] = True
        last = children.pop() if children[-1].type == "blank" else None
    if last is not None and not eob_found:
        tree.children.append(last)
    _task_list(lst)
    return True


def _task_list(lst: Element) -> None:
    """``parser/gfm.rb: parse_list``: ``[ ]``/``[x]`` at an item's start become checkboxes
    (``<input>`` tags in the item's text)."""
    unchecked = '<input type="checkbox" class="task-list-item-checkbox" disabled="disabled" />'
    checked = (
        '<input type="checkbox" class="task-list-item-checkbox" disabled="disabled" checked="checked" />'
    )
    for li in lst.children:
        if not li.children or li.children[0].type != "p" or not li.children[0].children:
            continue
        text_el = li.children[0].children[0]
        value = text_el.value
        for pattern, box in ((P.TASK_UNCHECKED, unchecked), (P.TASK_CHECKED, checked)):
            found = pattern.match(value.text)
            if found is not None:
                value = MStr.made_up(box, value.offset(0)).append(value, found.end())
        text_el.value = value


def parse_definition_list(p: Parser) -> bool:
    """``list.rb: parse_definition_list``: the paragraph before ``: text`` gives the terms."""
    tree = p.tree
    assert tree is not None
    children = tree.children
    if (
        not children
        or (len(children) == 1 and children[-1].type != "p")
        or (
            len(children) >= 2
            and children[-1].type != "p"
            and (children[-1].type != "blank" or children[-1].value.text != "\n" or children[-2].type != "p")
        )
    ):
        return False
    src = p.src
    first_as_para = False
    deflist = p.new_block_el("dl")
    para = children.pop()
    if para.type == "blank":
        para = children.pop()
        first_as_para = True
    if para.children:
        for line in split(para.children[0].value, re.compile("\n"), keep_trailing=False):
            el = Element("dt")
            term = _list_item_ial(el, line)
            el.options["raw_text"] = term.text
            el.children.append(Element("raw_text", term))
            deflist.children.append(el)
    deflist.options["ial"] = para.options.get("ial")

    values: list[tuple[Element, MStr]] = []
    content_re = lazy_re = indent_re = None
    def_start_re = P.DEFINITION_LIST_START
    last_is_blank = False
    while not src.eos():
        p.work += 1
        found = src.scan(def_start_re)
        if found is not None:
            item = Element("dd")
            item.options["first_as_para"] = first_as_para
            value, indentation = parse_first_list_line(p, len(found.group(1)), _match_slice(p, found, 2))
            content_re, lazy_re, indent_re = P.list_line_patterns(indentation)
            deflist.children.append(item)
            value = _list_item_ial(item, value)
            values.append((item, value))
            def_start_re = P.fetch_pattern("dl", indentation)
            first_as_para = False
            last_is_blank = False
            continue
        if src.check(P.EOB_MARKER) is not None:
            break
        assert content_re is not None
        assert lazy_re is not None
        assert indent_re is not None
        found = src.scan(content_re)
        if found is None and not last_is_blank:
            found = src.scan(lazy_re)
        if found is not None:
            result = _expand_leading_tabs(_match_slice(p, found))
            indented = indent_re.match(result.text)
            if indented is not None:
                result = result.slice(indented.end())
            values[-1][1].append(result)
            first_as_para = False
            last_is_blank = False
            continue
        found = src.scan(P.BLANK_LINE)
        if found is not None:
            first_as_para = True
            values[-1][1].append(_match_slice(p, found))
            last_is_blank = True
            continue
        break

    last: Element | None = None
    for item, value in values:
        p.parse_blocks(item, value)
        it_children = item.children
        if not it_children:
            continue
        last = it_children.pop() if it_children[-1].type == "blank" else None
        first_as = item.options.pop("first_as_para", False)
        if it_children and it_children[0].type == "p" and not first_as:
            if len(it_children) > 1 and it_children[0].children:
                head = it_children[0].children[0].value
                head.append_made_up("\n", head.end_offset())
            it_children[0].options["transparent"] = True

    children = tree.children
    if children and children[-1].type == "dl":
        children[-1].children.extend(deflist.children)
    elif len(children) >= 2 and children[-1].type == "blank" and children[-2].type == "dl":
        children.pop()
        children[-1].children.extend(deflist.children)
    else:
        children.append(deflist)
    if last is not None:
        children.append(last)
    return True


def parse_block_math(p: Parser) -> bool:
    """``math.rb: parse_block_math``: ``$$…$$`` between block boundaries."""
    src = p.src
    found = src.last
    assert found is not None
    assert p.tree is not None
    if not after_block_boundary(p):
        return False
    if found.group(1) is not None:
        if found.group(3) is not None:
            src.scan(_OPT_BACKSLASH)
        return False
    saved = src.pos
    src.pos = found.end()
    if before_block_boundary(p):
        p.tree.children.append(p.new_block_el("math", found.group(2).strip(_STRIP), None, category="block"))
        return True
    src.pos = saved
    return False


_OPT_BACKSLASH = re.compile(r" {0,3}\\")


def _is_sep_line(line: str, dash: str) -> bool:
    """``TABLE_SEP_LINE`` (``dash="-"``) / ``TABLE_FSEP_LINE`` (``"="``) on one line
    without its newline: only ``+|: \\t`` and the dash, with at least one dash. (Spelt
    out: the Ruby patterns backtrack quadratically on long lines.)"""
    allowed = "+|: \t" + dash
    return dash in line and not line.strip(allowed)


def parse_table(p: Parser) -> bool:
    """``table.rb: parse_table``: consecutive lines with a ``|``, at block boundaries."""
    if not after_block_boundary(p):
        return False
    src = p.src
    string = src.string
    saved = src.pos
    orig_pos = src.pos
    table = p.new_block_el("table")
    first_line = src.check(P.TABLE_LINE)
    leading_pipe = first_line is not None and P.LEADING_PIPE.match(first_line.group(0)) is not None
    line_end = string.find("\n", src.pos)
    if line_end >= 0 and _is_sep_line(string[src.pos : line_end], "-"):
        src.pos = line_end + 1

    rows: list[Element] = []
    has_footer = False
    aligned = False

    def add_container(kind: str, force: bool) -> None:
        nonlocal rows
        if not has_footer or kind != "tbody" or force:
            container = Element(kind)
            container.children, rows = rows, []
            table.children.append(container)

    while not src.eos():
        p.work += 1
        if src.check(P.TABLE_LINE) is None:
            break
        line_end = string.find("\n", src.pos)
        if line_end < 0:
            break
        line = string[src.pos : line_end]
        if _is_sep_line(line, "-"):
            src.pos = line_end + 1
            if not rows:
                pass
            elif not aligned and not has_footer:
                add_container("thead", False)
                aligned = True
            else:
                add_container("tbody", False)
        elif _is_sep_line(line, "="):
            src.pos = line_end + 1
            if rows:
                add_container("tbody", True)
            has_footer = True
        else:
            row_start = src.pos
            row_end = row_start + len(line.rstrip(" \t"))
            src.pos = line_end + 1
            rows.append(_table_row(p, p.src.mstr.slice(row_start, row_end), leading_pipe))

    if not before_block_boundary(p):
        src.pos = saved
        return False
    if not _pipe_on_every_line(p, p.src.mstr.slice(orig_pos, src.pos - 1)):
        src.pos = saved
        return False
    if rows:
        add_container("tfoot" if has_footer else "tbody", False)
    if not any(el.type == "tbody" for el in table.children):
        src.pos = saved
        return False
    assert p.tree is not None
    p.tree.children.append(table)
    return True


_CODE_TAG_SPLIT = re.compile(r"(<code.*?>.*?</code>)")
_BACKTICKS = re.compile("`+")


def _table_row(p: Parser, text: MStr, leading_pipe: bool) -> Element:
    """One row: split at unescaped pipes outside code spans and ``<code>`` elements."""
    trow = Element("tr")
    cells: list[MStr] = []

    def add(piece: MStr) -> None:
        if cells:
            cells[-1].append(piece)
        else:
            cells.append(piece.copy())

    string = text.text
    if "`" not in string and "<code" not in string:
        # One part, and the code span parser finds nothing: the row is one raw text.
        parts = [text]
        simple = True
    else:
        parts = split(text, _CODE_TAG_SPLIT, keep_trailing=False)
        simple = False
    env = p.save_env()
    for index, part in enumerate(parts):
        if simple:
            pieces = split(part, P.UNESCAPED_PIPE, keep_trailing=True)
            pieces = [remove(piece, _ESCAPED_PIPE_BACKSLASH)[0] for piece in pieces]
            add(pieces[0])
            cells.extend(pieces[1:])
            continue
        if index % 2:
            add(part)
            continue
        p.reset_env(src=Scanner(part))
        root = Element("root")
        p.parse_spans(root, None, (CODESPAN,))
        for child in root.children:
            if child.type == "raw_text":
                pieces = split(child.value, P.UNESCAPED_PIPE, keep_trailing=True)
                pieces = [remove(piece, _ESCAPED_PIPE_BACKSLASH)[0] for piece in pieces]
                add(pieces[0])
                cells.extend(pieces[1:])
            else:
                # Written again: its value between new backticks (with a space inside
                # when there are two or more), the value keeping its place in the file.
                value = child.value if isinstance(child.value, str) else ""
                runs = _BACKTICKS.findall(value)
                delim = (max(runs) if runs else "") + "`"
                pad = " " if len(delim) > 1 else ""
                begin, end = child.options.get("value_at", (0, 0))
                rewritten = MStr.made_up(delim + pad, child.start).append(part, begin, end)
                add(rewritten.append_made_up(pad + delim, max(child.end - 1, child.start)))
    p.restore_env(env)
    if cells and leading_pipe and not cells[0].text.strip(_STRIP):
        cells.pop(0)
    if cells and not cells[-1].text.strip(_STRIP):
        cells.pop()
    for cell in cells:
        tcell = Element("td")
        tcell.children.append(Element("raw_text", strip(cell)))
        trow.children.append(tcell)
    return trow


#: ``gsub(/\\\|/, '|')``: drop the backslash of each ``\|``.
_ESCAPED_PIPE_BACKSLASH = re.compile(r"\\(?=\|)")


def _ruby_lines(text: str) -> list[str]:
    """``String#split("\\n")``: trailing empty strings dropped."""
    lines = text.split("\n")
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _pipe_on_every_line(p: Parser, text: MStr) -> bool:
    """The check at the end of ``parse_table``: every line has a pipe outside code spans
    and HTML elements (read as kramdown does, element by element)."""
    string = text.text
    if "`" not in string and "<" not in string:
        # Neither parser can start: the text is one raw text, and the loop below checks
        # its first and last lines.
        lines = _ruby_lines(string)
        if not lines:
            return False
        last = P.TABLE_PIPE_CHECK.match(lines[-1]) is not None
        return last and (len(lines) == 1 or P.TABLE_PIPE_CHECK.match(lines[0]) is not None)
    env = p.save_env()
    p.reset_env(src=Scanner(text))
    root = Element("root")
    p.parse_spans(root, None, (CODESPAN, SPAN_HTML))
    p.restore_env(env)
    pipe_on_line = False
    for child in root.children:
        value = child.value
        if value is None:
            continue
        lines = _ruby_lines(value.text if isinstance(value, MStr) else str(value))
        if child.type == "codespan":
            if len(lines) > 2 or (len(lines) == 2 and not pipe_on_line):
                break
            if len(lines) == 2 and pipe_on_line:
                pipe_on_line = False
        else:
            if len(lines) > 1 and not pipe_on_line and P.TABLE_PIPE_CHECK.match(lines[0]) is None:
                break
            pipe_on_line = (False if len(lines) > 1 else pipe_on_line) or (
                bool(lines) and P.TABLE_PIPE_CHECK.match(lines[-1]) is not None
            )
    return pipe_on_line


def parse_footnote_definition(p: Parser) -> bool:
    """``footnote.rb: parse_footnote_definition``"""
    src = p.src
    found = src.last
    assert found is not None
    assert p.tree is not None
    string = src.string
    newline = string.find("\n", found.end())
    body_end = P.codeblock_end(string, len(string) if newline < 0 else newline + 1)
    src.pos = body_end
    el = Element("footnote_def")
    body, _ = remove(src.mstr.slice(found.end(), body_end), P.INDENT_LINES)
    p.parse_blocks(el, body)
    eob = p.new_block_el("eob", "footnote_def")
    p.tree.children.append(eob)
    name = found.group("name")
    p.footnotes[name] = Footnote(el, eob)
    return True


def parse_link_definition(p: Parser) -> bool:
    """``link.rb: parse_link_definition``: ``[id]: url "title"``."""
    src = p.src
    found = src.last
    assert found is not None
    assert p.tree is not None
    if found.group(3) is not None and P.LINK_DEF_TITLE_IN_URL.search(found.group(3)):
        return False
    src.pos = found.end()
    group = 2 if found.group(2) is not None else 3
    link_id = normalize_link_id(found.group(1))
    eob = p.new_block_el("eob", "link_def")
    p.tree.children.append(eob)
    at = found.span(group)
    p.link_defs[link_id] = LinkDef(
        found.group(group), found.group(5), eob, src.mstr.span(*at), src.mstr.contiguous(*at)
    )
    return True


def parse_abbrev_definition(p: Parser) -> bool:
    """``abbreviation.rb``: the definition line goes; abbreviations only mark up text."""
    src = p.src
    found = src.last
    assert found is not None
    assert p.tree is not None
    src.pos = found.end()
    p.tree.children.append(p.new_block_el("eob", "abbrev_def"))
    return True


def parse_eob_marker(p: Parser) -> bool:
    """``eob.rb``"""
    found = p.src.last
    assert found is not None
    assert p.tree is not None
    p.src.pos = found.end()
    p.tree.children.append(p.new_block_el("eob"))
    return True


def parse_paragraph(p: Parser) -> bool:
    """``paragraph.rb: parse_paragraph``: lines up to a paragraph end (GFM: also a list,
    header, definition, quote or fence); joined to a paragraph just before it."""
    src = p.src
    tree = p.tree
    assert tree is not None
    string = src.string
    end = len(string)
    pos = src.pos
    # PARAGRAPH_MATCH line by line until PARAGRAPH_END matches at a line start (it can
    # only where the line starts with one of _PARAGRAPH_END_FIRST, or at the end).
    newline = string.find("\n", pos)
    line = end if newline < 0 else newline + 1
    while line < end:
        p.work += 1
        if (
            string[line] in _PARAGRAPH_END_FIRST
            and P.line_end_possible(string, line)
            and P.PARAGRAPH_END.match(string, line) is not None
        ):
            break
        newline = string.find("\n", line)
        line = end if newline < 0 else newline + 1
    src.pos = line
    result = rstrip(src.mstr.slice(pos, line))
    last = tree.children[-1] if tree.children else None
    if last is not None and last.type == "p":
        last_item = last.children[-1] if last.children else None
        if last_item is not None and last_item.type == p.text_type:
            joiner = "  \n" if pos >= 3 and string[pos - 3 : pos] == "  \n" else "\n"
            last_item.value.append_made_up(joiner, src.mstr.offset(pos))
            last_item.value.append(result)
        else:
            p.add_text(result, last)
    else:
        el = p.new_block_el("p")
        tree.children.append(el)
        p.add_text(lstrip(result), el)
    return True


#: The characters a line can start with where ``PARAGRAPH_END`` matches: whitespace
#: (blank lines, up to three spaces of indentation), ``{:`` IALs, ``^``, HTML tags, list
#: markers, ``#`` headers, ``:`` definitions, ``>`` quotes and code fences.
_PARAGRAPH_END_FIRST = frozenset(" \t\n\v\f\r{^<+*-0123456789#:>~`")


_SPACE = " \t\n\v\f\r"
#: ``@block_parsers`` with, for each, the characters its start pattern can begin with at
#: the position and after up to three spaces (None: any). Only a prefilter: the pattern
#: still decides.
_BLOCK_PARSERS: tuple[tuple[BlockParser, str | None, str | None], ...] = (
    ((P.BLANK_LINE, parse_blank_line), _SPACE, None),
    ((P.INDENT, parse_codeblock), " \t", None),
    ((P.FENCED_CODEBLOCK_START, parse_codeblock_fenced), None, "~`"),
    ((P.BLOCKQUOTE_START, parse_blockquote), None, ">"),
    ((P.ATX_HEADER_START, parse_atx_header), "#", None),
    ((P.HR_START, parse_horizontal_rule), None, "*_-"),
    ((P.LIST_START, parse_list), None, "+*-0123456789"),
    ((P.DEFINITION_LIST_START, parse_definition_list), None, ":"),
    ((P.HTML_BLOCK_START, parse_block_html), None, "<"),
    ((P.SETEXT_HEADER_START, parse_setext_header), None, None),
    ((P.BLOCK_MATH_START, parse_block_math), None, "\\$"),
    ((P.TABLE_START, parse_table), None, None),
    ((P.FOOTNOTE_DEFINITION_START, parse_footnote_definition), None, "["),
    ((P.LINK_DEFINITION_START, parse_link_definition), None, "["),
    ((P.ABBREV_DEFINITION_START, parse_abbrev_definition), None, "*"),
    ((P.BLOCK_EXTENSIONS_START, parse_block_extensions), None, "{"),
    ((P.EOB_MARKER, parse_eob_marker), "^", None),
    ((P.PARAGRAPH_START, parse_paragraph), None, None),
)
_AT_CHARS = frozenset("".join(at for _, at, _ in _BLOCK_PARSERS if at))
_LEAD_CHARS = frozenset("".join(lead for _, _, lead in _BLOCK_PARSERS if lead))
_CANDIDATES: dict[tuple[str, str], tuple[BlockParser, ...]] = {}


def candidates(at: str, lead: str) -> tuple[BlockParser, ...]:
    """The block parsers, in order, that can start where the line has ``at`` at the
    position and ``lead`` after up to three spaces."""
    key = (at if at in _AT_CHARS else "", lead if lead in _LEAD_CHARS else "")
    found = _CANDIDATES.get(key)
    if found is None:
        found = _CANDIDATES[key] = tuple(
            entry
            for entry, at_chars, lead_chars in _BLOCK_PARSERS
            if (at_chars is None or (key[0] in at_chars and key[0]))
            and (lead_chars is None or (key[1] in lead_chars and key[1]))
        )
    return found
