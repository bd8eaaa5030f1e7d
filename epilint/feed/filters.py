"""Jekyll's Liquid filters and Shopify Liquid 5.4's standard filters, with Ruby semantics.

Ported from jekyll-4.3.1 ``lib/jekyll/filters.rb`` and ``filters/grouping_filters.rb``
and liquid-5.4.0 ``lib/liquid/standardfilters.rb``; numbers, dates and URLs are in
``filter_numbers``, ``filter_dates`` and ``filter_urls``.

Every filter is wrapped (``wrap``): an unknown value in the input or an argument makes
the result unknown; a post's content may only go through filters that keep it opaque
(``xml_escape``, ``strip_html``, ``append``...), any other filter of it is unknown; the
sources of traced strings (captures) carry over to the result.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import math
import re
import urllib.parse
from collections.abc import Callable

from liquid import Undefined

from epilint.feed import permalink
from epilint.feed.errors import FilterError
from epilint.feed.filter_dates import DateFilters
from epilint.feed.filter_numbers import (
    f_abs,
    f_at_least,
    f_at_most,
    f_ceil,
    f_floor,
    f_round,
    operate,
    ruby_to_i,
    to_integer,
)
from epilint.feed.filter_urls import UrlFilters
from epilint.feed.tracing import KeyRead, TracedStr, current_trace
from epilint.feed.values import (
    ContentPiece,
    RubyTime,
    UnknownPiece,
    current_tape,
    has_pieces,
    map_content,
    output_text,
    pieces_in,
    ruby_float,
    ruby_inspect,
    to_s,
    unknown,
)

Filter = Callable[..., object]


#: Filters that treat a post's content as opaque text: the piece records them.
CONTENT_SAFE = frozenset({"xml_escape", "strip_html", "strip_newlines", "cdata_escape", "escape"})
#: Filters that only move text around: pieces pass through untouched.
CONCATENATING = frozenset({"append", "prepend", "default"})


def _is_undefined(value: object) -> bool:
    return isinstance(value, Undefined)


def _nil(value: object) -> object:
    return None if _is_undefined(value) else value


def _pieces(values: list[object]) -> tuple[UnknownPiece | None, bool]:
    """The first unknown piece among ``values`` and whether any holds content."""
    first: UnknownPiece | None = None
    content = False
    for value in values:
        for text in _strings(value):
            if not has_pieces(text):
                continue
            for _, _, piece in pieces_in(text):
                if isinstance(piece, UnknownPiece) and first is None:
                    first = piece
                if isinstance(piece, ContentPiece):
                    content = True
    return first, content


def _strings(value: object, depth: int = 0) -> list[str]:
    if isinstance(value, str):
        return [value]
    if depth < 3 and isinstance(value, (list, tuple)):
        found: list[str] = []
        for item in value[:1000]:
            found.extend(_strings(item, depth + 1))
        return found
    return []


def wrap(name: str, func: Filter) -> Filter:
    """``func`` with unknown/content propagation and traced sources (see module doc)."""

    signature = inspect.signature(func)

    def run(value: object, *args: object, **kwargs: object) -> object:
        value = _nil(value)
        args = tuple(_nil(a) for a in args)
        first, content = _pieces([value, *args])
        if first is not None:
            return current_tape().token(first)
        if content and name not in CONTENT_SAFE and name not in CONCATENATING:
            return unknown(f"filter `{name}` applied to a post's rendered content")
        emissions: set[int] = set()
        reads: set[KeyRead] = set()
        for item in (value, *args):
            if isinstance(item, TracedStr):
                emissions |= item.emissions
                reads |= item.reads
        try:
            signature.bind(value, *args, **kwargs)
        except TypeError as exc:  # Ruby: ArgumentError, wrong number of arguments
            raise FilterError(f"Liquid error: {name}: wrong number of arguments") from exc
        result = func(value, *args, **kwargs)
        if content and isinstance(result, str) and name in CONTENT_SAFE:
            result = map_content(result, name)
        if (emissions or reads) and isinstance(result, str) and not isinstance(result, TracedStr):
            trace = current_trace()
            for read in reads:
                trace.read(read.document, read.key)
            result = TracedStr(result, frozenset(emissions), frozenset(reads))
        return result

    run.__name__ = f"filter_{name}"
    return run


# --- strings ---------------------------------------------------------------------------


def f_append(value: object, other: object) -> str:
    return to_s(value) + to_s(other)


def f_prepend(value: object, other: object) -> str:
    return to_s(other) + to_s(value)


def f_replace(value: object, target: object, replacement: object = "") -> str:
    return to_s(value).replace(to_s(target), to_s(replacement))


def f_replace_first(value: object, target: object, replacement: object = "") -> str:
    return to_s(value).replace(to_s(target), to_s(replacement), 1)


def f_replace_last(value: object, target: object, replacement: object) -> str:
    text, old = to_s(value), to_s(target)
    index = text.rfind(old)
    if index < 0:
        return text
    return text[:index] + to_s(replacement) + text[index + len(old) :]


def f_remove(value: object, target: object) -> str:
    return to_s(value).replace(to_s(target), "")


def f_remove_first(value: object, target: object) -> str:
    return to_s(value).replace(to_s(target), "", 1)


def f_remove_last(value: object, target: object) -> str:
    return f_replace_last(value, target, "")


def f_upcase(value: object) -> str:
    return to_s(value).upper()


def f_downcase(value: object) -> str:
    return to_s(value).lower()


def f_capitalize(value: object) -> str:
    text = to_s(value)
    return text[:1].upper() + text[1:].lower()


_RUBY_SPACE = " \t\n\v\f\r\0"


def f_strip(value: object) -> str:
    return to_s(value).strip(_RUBY_SPACE)


def f_lstrip(value: object) -> str:
    return to_s(value).lstrip(_RUBY_SPACE)


def f_rstrip(value: object) -> str:
    return to_s(value).rstrip(_RUBY_SPACE)


_STRIP_HTML_BLOCKS = re.compile(
    r"<script.*?</script>|<!--.*?-->|<style.*?</style>", re.DOTALL | re.IGNORECASE
)
_STRIP_HTML_TAGS = re.compile(r"<.*?>", re.DOTALL)


def f_strip_html(value: object) -> str:
    """standardfilters.rb: ``STRIP_HTML_BLOCKS`` then ``STRIP_HTML_TAGS`` removed."""
    text = _STRIP_HTML_BLOCKS.sub("", to_s(value))
    return _STRIP_HTML_TAGS.sub("", text)


def f_strip_newlines(value: object) -> str:
    return re.sub(r"\r?\n", "", to_s(value))


def f_newline_to_br(value: object) -> str:
    return re.sub(r"\r?\n", "<br />\n", to_s(value))


def f_escape(value: object) -> object:
    """``CGI.escapeHTML``: ``& < > " '``."""
    if value is None:
        return None
    return (
        to_s(value)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def f_escape_once(value: object) -> str:
    text = to_s(value)
    return re.sub(
        r"[\"><']|&(?!([a-zA-Z]+|(#\d+));)",
        lambda m: {"&": "&amp;", '"': "&quot;", ">": "&gt;", "<": "&lt;", "'": "&#39;"}[m.group(0)],
        text,
    )


def f_xml_escape(value: object) -> str:
    """filters.rb: ``input.to_s.encode(:xml => :attr).gsub(/\\A"|"\\Z/, "")``:
    ``& < > " '`` as entities (``&apos;`` for the apostrophe)."""
    text = to_s(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;").replace("'", "&apos;")


def f_cgi_escape(value: object) -> str:
    """``CGI.escape`` (Ruby 3.1): all but ``a-zA-Z0-9_.-~`` percent-encoded, space as ``+``."""
    return urllib.parse.quote_plus(to_s(value), safe="-._~")


def f_url_encode(value: object) -> object:
    return None if value is None else f_cgi_escape(value)


def f_url_decode(value: object) -> object:
    return None if value is None else urllib.parse.unquote_plus(to_s(value))


_URI_COMPONENT_SAFE = set(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:/?#[]@"
)


def f_uri_escape(value: object) -> object:
    """``Addressable::URI.normalize_component`` (addressable 2.8.1 uri.rb): ``%XX``
    decoded, NFKC-normalized, then every character outside RESERVED + UNRESERVED
    percent-encoded as UTF-8 (``%`` itself too)."""
    import unicodedata

    raw = urllib.parse.unquote_to_bytes(to_s(value))
    try:
        text = unicodedata.normalize("NFKC", raw.decode("utf-8"))
    except UnicodeDecodeError:
        return unknown("uri_escape of text that is not UTF-8 once decoded")
    out: list[str] = []
    for char in text:
        if char in _URI_COMPONENT_SAFE:
            out.append(char)
        else:
            out.extend(f"%{b:02X}" for b in char.encode("utf-8"))
    return "".join(out)


def f_normalize_whitespace(value: object) -> str:
    return re.sub(r"\s+", " ", to_s(value)).strip(_RUBY_SPACE)


def f_number_of_words(value: object, mode: object = None) -> int:
    text = to_s(value)
    cjk = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u1100-\u11ff\uf900-\ufaff"
    if mode == "cjk":
        return len(re.findall(f"[{cjk}]", text)) + len(re.findall(rf"[^{cjk}\s]+", text))
    if mode == "auto":
        count = len(re.findall(f"[{cjk}]", text))
        return len(text.split()) if count == 0 else count + len(re.findall(rf"[^{cjk}\s]+", text))
    return len(text.split())


def f_truncate(value: object, length: object = 50, ellipsis: object = "...") -> object:
    if value is None:
        return None
    text = to_s(value)
    size = to_integer(length)
    end = to_s(ellipsis)
    keep = max(size - len(end), 0)
    return text[:keep] + end if len(text) > size else text


def f_truncatewords(value: object, words: object = 15, ellipsis: object = "...") -> object:
    if value is None:
        return None
    text = to_s(value)
    count = max(to_integer(words), 1)
    parts = text.split(None, count)
    if len(parts) <= count:
        return text
    return " ".join(parts[:count]) + to_s(ellipsis)


def f_split(value: object, pattern: object) -> list[str]:
    text, sep = to_s(value), to_s(pattern)
    if sep == " ":
        parts = text.split()
    elif sep == "":
        parts = list(text)
    else:
        parts = text.split(sep)
    while parts and parts[-1] == "":
        parts.pop()
    return parts


def f_slice(value: object, start: object, length: object = None) -> object:
    offset = to_integer(start)
    size = 1 if length is None else to_integer(length)
    if isinstance(value, list):
        begin = offset if offset >= 0 else len(value) + offset
        return value[begin : begin + size] if 0 <= begin <= len(value) else []
    text = to_s(value)
    begin = offset if offset >= 0 else len(text) + offset
    if begin < 0 or begin > len(text):
        return None
    return text[begin : begin + size]


def f_slugify(value: object, mode: object = None) -> object:
    if value is None:
        return None
    result = permalink.slugify(to_s(value), None if mode is None else to_s(mode))
    return result if result is not None else unknown("slugify in `latin` mode (I18n transliteration)")


def f_array_to_sentence_string(value: object, connector: object = "and") -> str:
    items = value if isinstance(value, list) else [value]
    word = to_s(connector)
    if not items:
        return ""
    if len(items) == 1:
        return to_s(items[0])
    if len(items) == 2:
        return f"{to_s(items[0])} {word} {to_s(items[1])}"
    return ", ".join(to_s(i) for i in items[:-1]) + f", {word} {to_s(items[-1])}"


def f_default(value: object, fallback: object = "", allow_false: object = False) -> object:
    """standardfilters.rb ``default``: nil, false (unless ``allow_false``) or empty → default."""
    empty = value in ("", [], {}) if isinstance(value, (str, list, dict)) else False
    falsy = value is None if allow_false is True else (value is None or value is False)
    return fallback if falsy or empty else value


def f_size(value: object) -> int:
    if isinstance(value, (str, list, dict)):
        return len(value)
    return 0


def f_first(value: object) -> object:
    """standardfilters.rb ``first``: ``array.first if array.respond_to?(:first)`` (a
    String has no ``first``: nil)."""
    if isinstance(value, list):
        return value[0] if value else None
    return None


def f_last(value: object) -> object:
    if isinstance(value, list):
        return value[-1] if value else None
    return None


def f_join(value: object, glue: object = " ") -> str:
    if not isinstance(value, list):
        return to_s(value)
    return to_s(glue).join(to_s(item) if not isinstance(item, list) else output_text(item) for item in value)


def f_reverse(value: object) -> object:
    return list(reversed(value)) if isinstance(value, list) else [value]


def f_compact(value: object) -> object:
    return [v for v in value if v is not None] if isinstance(value, list) else value


def f_uniq(value: object) -> object:
    if not isinstance(value, list):
        return value
    out: list[object] = []
    for item in value:
        if item not in out:
            out.append(item)
    return out


def f_concat(value: object, other: object) -> object:
    if not isinstance(other, list):
        raise FilterError("concat filter requires an array argument")
    return (value if isinstance(value, list) else [value]) + other


def _property(item: object, name: str) -> object:
    """filters.rb ``item_property`` + ``read_liquid_attribute`` (dotted paths)."""
    current: object = item
    for key in name.split("."):
        try:
            current = current[key]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return None
        if current is None:
            return None
    return current


_INTEGER_LIKE = re.compile(r"\A\s*-?\d+\s*\Z")
_FLOAT_LIKE = re.compile(r"\A\s*-?(?:\d+\.?\d*|\.\d+)\s*\Z")


def _sortable(value: object) -> object:
    """``parse_sort_input``."""
    text = to_s(value) if not isinstance(value, (list, dict)) else ""
    if _INTEGER_LIKE.match(text):
        return int(text)
    if _FLOAT_LIKE.match(text):
        return float(text)
    return value


def _compare(a: object, b: object) -> int | None:
    """Ruby ``<=>`` for the values sort meets (None when not comparable)."""
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return (a > b) - (a < b)
    if isinstance(a, str) and isinstance(b, str):
        return (a > b) - (a < b)
    if isinstance(a, RubyTime) and isinstance(b, RubyTime):
        x, y = a.instant, b.instant
        return (x > y) - (x < y)
    if isinstance(a, dt.date) and isinstance(b, dt.date):
        return (a > b) - (a < b)
    return None


def f_sort(value: object, prop: object = None, nils: object = "first") -> object:
    """filters.rb ``sort``: by property, nils first (or last)."""
    from functools import cmp_to_key

    if value is None:
        raise FilterError("Cannot sort a null object.")
    if not isinstance(value, list):
        return [value]
    if prop is None:

        def plain(a: object, b: object) -> int:
            result = _compare(a, b)
            if result is None:
                raise FilterError(f"comparison of {type(a).__name__} with {type(b).__name__} failed")
            return result

        return sorted(value, key=cmp_to_key(plain))
    if nils not in ("first", "last"):
        raise FilterError(f"Invalid nils order: '{to_s(nils)}' is not a valid nils order.")
    order = -1 if nils == "first" else 1
    pairs = [(_sortable(_property(item, to_s(prop))), item) for item in value]

    def by_property(x: tuple[object, object], y: tuple[object, object]) -> int:
        a, b = x[0], y[0]
        if a is not None and b is None:
            return -order
        if a is None and b is not None:
            return order
        result = _compare(a, b)
        if result is None:
            sa, sb = to_s(a), to_s(b)
            return (sa > sb) - (sa < sb)
        return result

    return [item for _, item in sorted(pairs, key=cmp_to_key(by_property))]


def f_where(value: object, prop: object, target: object) -> object:
    """filters.rb ``where`` with ``compare_property_vs_target``."""
    if prop is None or isinstance(target, (list, dict)):
        return value
    items = list(value.values()) if isinstance(value, dict) else value
    if not isinstance(items, list):
        return value
    name = to_s(prop)
    out: list[object] = []
    for item in items:
        found = _property(item, name)
        if target is None:
            if found is None:
                out.append(item)
            continue
        wanted = to_s(target)
        if isinstance(found, str):
            if found == wanted:
                out.append(item)
        elif any(
            to_s(p) == wanted
            for p in (found if isinstance(found, list) else [found] if found is not None else [])
        ):
            out.append(item)
    return out


def f_find(value: object, prop: object, target: object) -> object:
    """filters.rb ``find``: the first item ``where`` would keep."""
    kept = f_where(value, prop, target)
    if kept is value:
        return value if not isinstance(value, list) else (value[0] if value else None)
    return kept[0] if isinstance(kept, list) and kept else None


def f_map(value: object, prop: object) -> object:
    items = value if isinstance(value, list) else [value]
    return [_property(item, to_s(prop)) for item in items]


def f_group_by(value: object, prop: object) -> object:
    """grouping_filters.rb ``group_by``: ``[{name, items, size}]`` by the property's to_s."""
    if not isinstance(value, list):
        return value
    groups: dict[str, list[object]] = {}
    for item in value:
        found = _property(item, to_s(prop))
        groups.setdefault(to_s(found) if found is not None else "", []).append(item)
    return [{"name": name, "items": items, "size": len(items)} for name, items in groups.items()]


def f_jsonify(value: object) -> object:
    """filters.rb ``jsonify``: ``as_liquid(input).to_json`` for plain data (Ruby's JSON:
    non-ASCII kept, Floats as ``Float#to_s``, Times as their ``to_s``)."""
    try:
        return _json(value, 0)
    except _NotJson:
        return unknown("jsonify of a drop")


def _json(item: object, depth: int) -> str:
    if depth > 100:
        raise _NotJson
    if item is None:
        return "null"
    if item is True:
        return "true"
    if item is False:
        return "false"
    if isinstance(item, int):
        return str(item)
    if isinstance(item, float):
        if math.isnan(item) or math.isinf(item):
            raise _NotJson
        return ruby_float(item)
    if isinstance(item, str):
        return json.dumps(item, ensure_ascii=False)
    if isinstance(item, list):
        return "[" + ",".join(_json(i, depth + 1) for i in item) + "]"
    if isinstance(item, dict):
        return (
            "{"
            + ",".join(
                f"{json.dumps(to_s(k), ensure_ascii=False)}:{_json(v, depth + 1)}" for k, v in item.items()
            )
            + "}"
        )
    if isinstance(item, (RubyTime, dt.date)):
        return json.dumps(to_s(item), ensure_ascii=False)
    raise _NotJson


class _NotJson(Exception):
    pass


def f_inspect(value: object) -> str:
    return f_xml_escape(ruby_inspect(value))


def f_markdownify(value: object) -> object:
    """Jekyll's kramdown is not ported here: the result is unknown, except for text
    kramdown turns into one plain paragraph (no Markdown or HTML syntax, one line)."""
    text = to_s(value)
    if text.strip() == "":
        return ""
    if "\n" not in text.strip() and not re.search(r"[\\`*_{}\[\]()<>#+\-.!|&\"':~=^$@%]", text):
        return f"<p>{text.strip()}</p>\n"
    return unknown("markdownify (kramdown output is not modelled)")


def f_smartify(value: object) -> object:
    text = to_s(value)
    if not re.search(r"[\"'`.\-<>&]", text):
        return text
    return unknown("smartify (kramdown SmartyPants output is not modelled)")


def standard_filters(dates: DateFilters, urls: UrlFilters) -> dict[str, Filter]:
    """Every filter the model knows, by name, already wrapped."""
    table: dict[str, Filter] = {
        "append": f_append,
        "prepend": f_prepend,
        "replace": f_replace,
        "replace_first": f_replace_first,
        "replace_last": f_replace_last,
        "remove": f_remove,
        "remove_first": f_remove_first,
        "remove_last": f_remove_last,
        "upcase": f_upcase,
        "downcase": f_downcase,
        "capitalize": f_capitalize,
        "strip": f_strip,
        "lstrip": f_lstrip,
        "rstrip": f_rstrip,
        "strip_html": f_strip_html,
        "strip_newlines": f_strip_newlines,
        "newline_to_br": f_newline_to_br,
        "escape": f_escape,
        "h": f_escape,
        "escape_once": f_escape_once,
        "url_encode": f_url_encode,
        "url_decode": f_url_decode,
        "truncate": f_truncate,
        "truncatewords": f_truncatewords,
        "split": f_split,
        "slice": f_slice,
        "size": f_size,
        "first": f_first,
        "last": f_last,
        "join": f_join,
        "reverse": f_reverse,
        "compact": f_compact,
        "uniq": f_uniq,
        "concat": f_concat,
        "map": f_map,
        "sort": f_sort,
        "where": f_where,
        "find": f_find,
        "default": f_default,
        "plus": lambda v, o: operate(v, o, "+"),
        "minus": lambda v, o: operate(v, o, "-"),
        "times": lambda v, o: operate(v, o, "*"),
        "divided_by": lambda v, o: operate(v, o, "/"),
        "modulo": lambda v, o: operate(v, o, "%"),
        "round": f_round,
        "ceil": f_ceil,
        "floor": f_floor,
        "abs": f_abs,
        "at_least": f_at_least,
        "at_most": f_at_most,
        "date": dates.date,
        # Jekyll
        "xml_escape": f_xml_escape,
        "cgi_escape": f_cgi_escape,
        "uri_escape": f_uri_escape,
        "normalize_whitespace": f_normalize_whitespace,
        "number_of_words": f_number_of_words,
        "slugify": f_slugify,
        "array_to_sentence_string": f_array_to_sentence_string,
        "jsonify": f_jsonify,
        "group_by": f_group_by,
        "inspect": f_inspect,
        "markdownify": f_markdownify,
        "smartify": f_smartify,
        "date_to_rfc822": dates.rfc822,
        "date_to_xmlschema": dates.xmlschema,
        "date_to_string": lambda v, k=None, s=None: dates.stringify(v, "%b", k, s),
        "date_to_long_string": lambda v, k=None, s=None: dates.stringify(v, "%B", k, s),
        "absolute_url": urls.absolute_url,
        "relative_url": urls.relative_url,
        "to_integer": lambda v: (
            1
            if v is True
            else 0
            if v is False
            else ruby_to_i(to_s(v))
            if isinstance(v, str)
            else int(v)
            if isinstance(v, (int, float))
            else 0
        ),
    }
    return {name: wrap(name, func) for name, func in table.items()}
