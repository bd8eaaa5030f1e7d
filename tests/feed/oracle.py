"""Compare a predicted feed with the feed a real ``jekyll build`` wrote.

Items are matched by identity (guid, else link, else enclosure url); elements of an item
by path and occurrence. Every attribute and text is compared exactly, except values
holding a post's rendered content (only presence, how it is inserted — CDATA, escaped or
raw — and the exact text around it) and unknown values (counted, not compared).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from epilint.feed.predict import FeedElement, FeedValue, PredictedFeed
from epilint.feed.xmlscan import Element, scan


@dataclass
class Comparison:
    items_predicted: int = 0
    items_built: int = 0
    items_matched: int = 0
    compared: int = 0
    agreed: int = 0
    unknown: int = 0
    content: int = 0
    mismatches: list[str] = field(default_factory=list)
    #: Whether the predicted well-formedness was compared (None when it cannot be told).
    xml_compared: bool = False

    @property
    def agreement(self) -> float:
        return self.agreed / self.compared if self.compared else 1.0

    def check(self, where: str, predicted: FeedValue | None, built: BuiltValue | None) -> None:
        if predicted is None and built is None:
            return
        if predicted is not None and predicted.unknown is not None:
            self.unknown += 1
            return
        if predicted is None or built is None:
            self.compared += 1
            self.mismatches.append(f"{where}: predicted {_show(predicted)}, built {_show(built)}")
            return
        if predicted.unknown is not None:
            self.unknown += 1
            return
        self.compared += 1
        if predicted.content is not None:
            self.content += 1
            ok, why = _content_agrees(predicted, built)
            if ok:
                self.agreed += 1
            else:
                self.mismatches.append(f"{where}: content {why}")
            return
        if predicted.text == built.text:
            self.agreed += 1
        else:
            self.mismatches.append(f"{where}: predicted {predicted.text!r}, built {built.text!r}")


@dataclass(frozen=True)
class BuiltValue:
    text: str
    raw: str
    cdata: bool


@dataclass(frozen=True)
class BuiltElement:
    path: str
    attrs: dict[str, BuiltValue]
    text: BuiltValue | None
    has_children: bool


def _show(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, BuiltValue):
        return repr(value.text[:80])
    assert isinstance(value, FeedValue)
    return repr(value.text[:80]) if value.text is not None else "content/unknown"


def _content_agrees(predicted: FeedValue, built: BuiltValue) -> tuple[bool, str]:
    content = predicted.content
    assert content is not None
    text = built.text
    if not text.startswith(content.prefix):
        return False, f"text before differs: {content.prefix[:60]!r} vs {text[:60]!r}"
    if not text.endswith(content.suffix):
        return False, f"text after differs: {content.suffix[-60:]!r} vs {text[-60:]!r}"
    middle = text[len(content.prefix) : len(text) - len(content.suffix) if content.suffix else len(text)]
    if not middle.strip():
        return True, ""  # an empty post body: nothing to tell apart
    mode = content.mode
    if mode == "cdata":
        return (built.cdata, "expected CDATA")
    if mode == "escaped":
        # escaped HTML: no CDATA and no raw `<` in the element (its markup is `&lt;...`)
        return (not built.cdata and "<" not in built.raw, "expected escaped HTML")
    return (True, "")


def built_elements(element: Element, prefix: str = "") -> list[BuiltElement]:
    out: list[BuiltElement] = []
    for child in element.children:
        path = f"{prefix}{child.name}"
        attrs = {a.name: BuiltValue(a.value, a.raw, False) for a in child.attrs}
        text = None
        if not child.children or any(c.raw.strip() for c in child.chunks):
            text = BuiltValue(
                child.text, "".join(c.raw for c in child.chunks), any(c.cdata for c in child.chunks)
            )
        out.append(BuiltElement(path, attrs, text, bool(child.children)))
        out.extend(built_elements(child, path + "/"))
    return out


def _built_identity(elements: list[BuiltElement]) -> str | None:
    for path, attr in (("guid", None), ("link", None), ("enclosure", "url")):
        for element in elements:
            if element.path != path:
                continue
            value = element.attrs.get(attr) if attr else element.text
            if value is not None and value.text.strip():
                return value.text.strip()
    return None


def _compare_elements(
    result: Comparison, where: str, predicted: tuple[FeedElement, ...], built: list[BuiltElement]
) -> None:
    seen_p: Counter[str] = Counter()
    keyed_p: dict[tuple[str, int], FeedElement] = {}
    for element in predicted:
        keyed_p[(element.path, seen_p[element.path])] = element
        seen_p[element.path] += 1
    seen_b: Counter[str] = Counter()
    keyed_b: dict[tuple[str, int], BuiltElement] = {}
    for element in built:
        keyed_b[(element.path, seen_b[element.path])] = element
        seen_b[element.path] += 1
    opaque = [
        e.path + "/"
        for e in predicted
        if e.text is not None
        and (e.text.unknown is not None or (e.text.content and e.text.content.mode == "raw"))
    ]
    for key in sorted(set(keyed_p) | set(keyed_b)):
        p, b = keyed_p.get(key), keyed_b.get(key)
        label = f"{where} <{key[0]}>#{key[1]}"
        if p is None and any(key[0].startswith(prefix) for prefix in opaque):
            result.unknown += 1  # markup inside an unknown value or raw content
            continue
        if p is None or b is None:
            result.compared += 1
            result.mismatches.append(f"{label}: {'only built' if p is None else 'only predicted'}")
            continue
        for name in sorted(set(dict(p.attrs)) | set(b.attrs)):
            result.check(f"{label} @{name}", dict(p.attrs).get(name), b.attrs.get(name))
        if p.text is not None and p.text.content is not None and b.has_children:
            # raw HTML content: the built element holds the markup as elements
            result.compared += 1
            result.content += 1
            if p.text.content.mode == "raw":
                result.agreed += 1
            else:
                result.mismatches.append(f"{label}: content built raw, predicted {p.text.content.mode}")
            continue
        result.check(f"{label} text", p.text, b.text)


def compare_feed(predicted: PredictedFeed, built_text: str) -> Comparison:
    result = Comparison()
    if predicted.well_formed is not None:
        from epilint.feed.xmlscan import well_formed

        built_ok = well_formed(built_text) is None
        result.xml_compared = True
        result.compared += 1
        if built_ok == predicted.well_formed:
            result.agreed += 1
        else:
            result.mismatches.append(f"well-formed: predicted {predicted.well_formed}, built {built_ok}")
    root = scan(built_text)
    channel = root.find("channel")
    assert channel is not None, "the built feed has no <channel>"
    shell = Element("channel", channel.start, channel.end)
    built_items: list[list[BuiltElement]] = []
    for child in channel.children:
        if child.name == "item":
            built_items.append(built_elements(child))
        else:
            shell.children.append(child)
    _compare_elements(result, "channel", predicted.channel, built_elements(shell))
    result.items_predicted = len(predicted.items)
    result.items_built = len(built_items)
    # the order of the items (site.posts newest first, sort, reverse...)
    predicted_order = [item.identity for item in predicted.items]
    built_order = [_built_identity(elements) for elements in built_items]
    if not predicted.order_known:
        result.unknown += 1
    else:
        result.compared += 1
        if predicted_order == built_order:
            result.agreed += 1
        else:
            result.mismatches.append("item order differs")
    by_identity: dict[str | None, list[list[BuiltElement]]] = {}
    for elements in built_items:
        by_identity.setdefault(_built_identity(elements), []).append(elements)
    for item in predicted.items:
        identity = item.identity
        candidates = by_identity.get(identity)
        if identity is None or not candidates:
            result.compared += 1
            result.mismatches.append(f"item {identity or item.post}: not in the built feed")
            continue
        result.items_matched += 1
        _compare_elements(result, f"item {identity}", item.elements, candidates.pop(0))
    for identity, left in by_identity.items():
        for _ in left:
            result.compared += 1
            result.mismatches.append(f"item {identity}: built but not predicted")
    return result


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
