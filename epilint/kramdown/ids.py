"""Header ids, for the one place they become hrefs: a table of contents (``{:toc}``).

``parser/gfm.rb``: ``update_raw_text`` collects a header's text (entities, smart quotes
and typographic symbols as characters), ``update_elements`` gives each header outside an
HTML element an id with ``generate_gfm_header_id``. Headers that get none there (inside
HTML elements, in footnotes) get one from the converter (``converter/base.rb:
generate_id``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from epilint.kramdown import charclasses, entities
from epilint.kramdown.element import Element

if TYPE_CHECKING:
    from epilint.kramdown.parser import Parser

#: ``parser/gfm.rb`` writes these with a no-break space.
_TYPOGRAPHIC = {"laquo_space": "«\u00a0", "raquo_space": "\u00a0»"}


def _char(code: int) -> str:
    """``Entity#char`` (no character for a code point Unicode does not have)."""
    if 0 <= code < 0x110000 and not 0xD800 <= code <= 0xDFFF:
        return chr(code)
    return ""


def _named(name: str) -> str:
    code = entities.NAMES.get(name)
    return "" if code is None else _char(code)


def update_raw_text(item: Element) -> None:
    """``GFM#update_raw_text``"""
    parts: list[str] = []

    def append(child: Element) -> None:
        kind = child.type
        if kind in ("text", "codespan", "math"):
            parts.append(child.text)
        elif kind == "entity":
            parts.append(_char(child.value))
        elif kind == "smart_quote":
            parts.append(_named(child.value))
        elif kind == "typographic_sym":
            parts.append(_TYPOGRAPHIC.get(child.value) or _named(child.value))
        else:
            for inner in child.children:
                append(inner)

    append(item)
    item.options["raw_text"] = "".join(parts)


def update_elements(p: Parser, element: Element) -> None:
    """``GFM#update_elements``: ids for headers outside HTML elements (hard line breaks,
    the other thing it does, are no links)."""
    for child in element.children:
        if child.type == "html_element":
            continue
        if child.type == "header":
            if p.options["auto_ids"] and "id" not in child.attr:
                child.attr["id"] = _gfm_id(p, child.options.get("raw_text", ""))
            continue
        update_elements(p, child)


def _gfm_id(p: Parser, text: str) -> str:
    """``generate_gfm_header_id``"""
    kept = "".join(char for char in text.lower() if char in "- \t" or charclasses.is_word(char))
    result = kept.replace(" ", "-").replace("\t", "-")
    count = p.id_counter.get(result, -1) + 1
    p.id_counter[result] = count
    if count > 0:
        result += f"-{count}"
    return str(p.options["auto_id_prefix"]) + result


_LEADING_NON_LETTERS = re.compile(r"^[^a-zA-Z]+", re.MULTILINE)
_NOT_ID_CHARS = re.compile(r"[^a-zA-Z0-9 \-]")


def basic_generate_id(text: str) -> str:
    """``converter/base.rb: basic_generate_id``"""
    result = _LEADING_NON_LETTERS.sub("", text)
    result = _NOT_ID_CHARS.sub("", result).replace(" ", "-")
    return result.lower()


class ConverterIds:
    """``converter/base.rb: generate_id`` with its ``@used_ids``."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.used: dict[str, int] = {}

    def generate(self, text: str) -> str:
        gen_id = basic_generate_id(text) or "section"
        if gen_id in self.used:
            self.used[gen_id] += 1
            gen_id += f"-{self.used[gen_id]}"
        else:
            self.used[gen_id] = 0
        return self.prefix + gen_id
