"""Predicted items as plain JSON data and back (the prediction cache, ``epilint feed
--format json``), without python-liquid.

Values are lists in a fixed order (compact: a site has thousands of them). Each
value's ``reads`` (every document lookup behind it) is left out: what rules and
``epilint feed`` use — the text, the front-matter keys, the template line, why it is
unknown, how content is inserted, the unescaped outputs — is kept. Decoding raises
ValueError/TypeError/KeyError/IndexError on damaged data.
"""

from __future__ import annotations

from typing import Any

from epilint.feed.records import ContentValue, FeedElement, FeedItem, FeedValue, Unescaped

#: ``raw`` of a value whose XML text is its text.
_SAME = 1


def _strings(data: Any) -> tuple[str, ...]:
    if not isinstance(data, list) or not all(isinstance(item, str) for item in data):
        raise ValueError("damaged list of strings")
    return tuple(data)


def _text(data: Any) -> str | None:
    if data is not None and not isinstance(data, str):
        raise ValueError("damaged text")
    return data


def dump_value(value: FeedValue) -> list[Any]:
    content = value.content
    inserted: list[Any] | None = None
    if content is not None:
        inserted = [content.post, content.field, list(content.transforms)]
        inserted += [content.cdata, content.prefix, content.suffix]
    return [
        value.text,
        value.unknown,
        inserted,
        list(value.keys),
        list(value.site_keys),
        value.template,
        value.line,
        list(value.expressions),
        list(value.computed),
        list(value.missing),
        [list(chain) for chain in value.filters],
        value.in_cdata,
        _SAME if value.raw is not None and value.raw == value.text else value.raw,
        [[list(u.keys), u.expression, u.template, u.line, u.text, u.problem] for u in value.unescaped],
    ]


def load_value(data: Any) -> FeedValue:
    (text, why, content, keys, site_keys, template, line, expressions, computed, missing, filters, cdata,
     raw, unescaped) = data  # fmt: skip
    content_value = None
    if content is not None:
        post, field, transforms, in_cdata, prefix, suffix = content
        content_value = ContentValue(
            str(post), str(field), _strings(transforms), bool(in_cdata), str(prefix), str(suffix)
        )
    return FeedValue(
        _text(text),
        _text(why),
        content_value,
        _strings(keys),
        _strings(site_keys),
        str(template),
        int(line),
        _strings(expressions),
        _strings(computed),
        _strings(missing),
        (),
        tuple(_strings(chain) for chain in filters),
        bool(cdata),
        _text(text) if raw == _SAME else _text(raw),
        tuple(
            Unescaped(_strings(k), str(e), str(t), int(n), str(x), str(p)) for k, e, t, n, x, p in unescaped
        ),
    )


def dump_element(element: FeedElement) -> list[Any]:
    return [
        element.path,
        element.name,
        [[name, dump_value(value)] for name, value in element.attrs],
        None if element.text is None else dump_value(element.text),
        element.template,
        element.line,
    ]


def load_element(data: Any) -> FeedElement:
    path, name, attrs, text, template, line = data
    return FeedElement(
        str(path),
        str(name),
        tuple((str(attr), load_value(value)) for attr, value in attrs),
        None if text is None else load_value(text),
        str(template),
        int(line),
    )


def dump_item(item: FeedItem) -> list[Any]:
    return [item.post, [dump_element(e) for e in item.elements], item.template, item.line]


def load_item(data: Any) -> FeedItem:
    post, elements, template, line = data
    return FeedItem(_text(post), tuple(load_element(e) for e in elements), str(template), int(line))
