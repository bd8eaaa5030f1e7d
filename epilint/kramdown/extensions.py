"""kramdown's extensions, IALs and ALDs (``parser/kramdown/extensions.rb``).

They matter for links in three ways: an IAL after a link can set its ``href`` or ``src``
(``[a](b){: href="c"}``), ``{::nomarkdown}`` passes HTML through verbatim, and
``{::comment}`` hides everything up to ``{:/comment}``. ``{::options …}`` may switch the
HTML parsing options for the rest of the body; the others it can set do not change a
link and are ignored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from epilint.kramdown import patterns as P
from epilint.kramdown.element import Element

if TYPE_CHECKING:
    from epilint.kramdown.parser import Parser

_BOOLEAN_OPTIONS = ("parse_block_html", "parse_span_html", "auto_ids")
_STRING_OPTIONS = ("footnote_prefix", "auto_id_prefix")


def parse_attribute_list(text: str, opts: dict[str, Any]) -> None:
    """``parse_attribute_list``: ``key="value"``, ``#id``, ``.class`` and ALD names."""
    stripped = text.strip(P.STRIP)
    if not stripped or stripped == ":":
        return
    for found in P.ALD_TYPE_ANY.finditer(text):
        key, sep, value, ref, id_and_or_class = found.group(1, 2, 3, 4, 5)
        if ref is not None:
            opts.setdefault(":refs", []).append(ref)
        elif id_and_or_class is not None:
            for part in P.ALD_TYPE_ID_OR_CLASS.finditer(id_and_or_class):
                id_attr, class_attr = part.group(1, 2)
                if class_attr is not None:
                    opts["class"] = f"{opts.get('class', '')} {class_attr}".lstrip(P.STRIP)
                else:
                    opts["id"] = id_attr
        else:
            unescape = P._pattern(f"\\\\(\\}}|{'' if sep is None else sep})")
            opts[key] = unescape.sub(r"\1", value)


def update_ial_with_ial(ial: dict[str, Any], opts: dict[str, Any]) -> None:
    """``update_ial_with_ial``"""
    if ":refs" in opts:
        ial.setdefault(":refs", []).extend(opts[":refs"])
    for key, value in opts.items():
        if key == "class":
            ial[key] = f"{ial.get(key, '')} {value}".lstrip(P.STRIP)
        elif not key.startswith(":"):
            ial[key] = value


def parse_extension_start_tag(p: Parser, block: bool) -> bool:
    """``parse_extension_start_tag``: ``{::name attrs}body{:/name}`` or ``{::name /}``."""
    src = p.src
    found = src.last
    assert found is not None
    saved = src.pos
    src.pos = found.end()

    def error() -> bool:
        src.pos = saved
        if not block:
            p.add_slice(src.getch(), src.pos)
        return False

    if found.group(4) is not None or found.group(0) == "{:/}":
        return error()
    name = found.group(1)
    opts: dict[str, Any] = {}
    parse_attribute_list(found.group(2) or "", opts)
    body: str | None = None
    body_start = src.pos
    if found.group(3) is None:
        stop_re = P.ext_stop(name, block)
        hit = src.scan_until(stop_re)
        if hit is None:
            return error()
        body = src.string[body_start : hit[1].start()]
        if block and body.endswith("\n"):
            body = body[:-1]
    if not handle_extension(p, name, opts, body, block=block, at=body_start):
        return error()
    return True


def handle_extension(
    p: Parser, name: str | None, opts: dict[str, Any], body: str | None, *, block: bool, at: int
) -> bool:
    """``handle_extension``: ``comment``, ``nomarkdown`` and ``options``."""
    tree = p.tree
    assert tree is not None
    category = "block" if block else "span"
    if name == "comment":
        if body is not None:
            tree.children.append(Element("comment", body, None, {"category": category}))
        return True
    if name == "nomarkdown":
        if body is not None:
            el = Element("raw", body, None, {"category": category, "type": opts.get("type", "").split()})
            el.start = p.src.mstr.offset(at)
            el.options["mstr"] = p.src.mstr.slice(at, at + len(body))
            tree.children.append(el)
        return True
    if name == "options":
        for key, value in opts.items():
            if key in _BOOLEAN_OPTIONS and value in ("true", "false"):
                p.options[key] = value == "true"
                p.inline_options[key] = p.options[key]
            elif key in _STRING_OPTIONS:
                p.options[key] = value
                p.inline_options[key] = value
        if block:
            tree.children.append(p.new_block_el("eob", "extension"))
        return True
    return False


def parse_block_extensions(p: Parser) -> bool:
    """``parse_block_extensions``: an ALD, an extension, or a block IAL."""
    src = p.src
    tree = p.tree
    assert tree is not None
    if src.next_index("}", src.pos) < 0:
        return False  # an ALD, an extension tag and an IAL all end with "}"
    ald = src.scan(P.ALD_START)
    if ald is not None:
        parse_attribute_list(ald.group(2), p.alds.setdefault(ald.group(1), {}))
        tree.children.append(p.new_block_el("eob", "ald"))
        return True
    if src.check(P.EXT_BLOCK_START) is not None:
        return parse_extension_start_tag(p, True)
    ial = src.scan(P.IAL_BLOCK_START)
    if ial is None:
        return False
    last = tree.children[-1] if tree.children else None
    if (
        last is not None
        and last.type != "blank"
        and (last.type != "eob" or last.value in ("link_def", "abbrev_def", "footnote_def"))
    ):
        if last.options.get("ial") is None:
            last.options["ial"] = {}
        parse_attribute_list(ial.group(1), last.options["ial"])
        if src.check(P.IAL_BLOCK_START) is None:
            tree.children.append(p.new_block_el("eob", "ial"))
    else:
        if p.block_ial is None:
            p.block_ial = {}
        parse_attribute_list(ial.group(1), p.block_ial)
    return True


def parse_span_extensions(p: Parser) -> None:
    """``parse_span_extensions``: an extension, or an IAL for the element just before."""
    src = p.src
    tree = p.tree
    assert tree is not None
    if src.next_index("}", src.pos) < 0:
        p.add_slice(src.getch(), src.pos)  # both kinds end with "}"
        return
    if src.check(P.EXT_SPAN_START) is not None:
        parse_extension_start_tag(p, False)
        return
    ial = src.check(P.IAL_SPAN_START)
    if ial is not None:
        last = tree.children[-1] if tree.children else None
        if last is not None and last.type != "text":
            src.pos = ial.end()
            attr: dict[str, Any] = {}
            parse_attribute_list(ial.group(1), attr)
            if last.options.get("ial") is None:
                last.options["ial"] = {}
            update_ial_with_ial(last.options["ial"], attr)
            p.update_attr_with_ial(last.attr, attr)
            return
    p.add_slice(src.getch(), src.pos)
