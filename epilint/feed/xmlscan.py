"""A tolerant XML scanner for rendered feeds (predicted or built by Jekyll).

A feed with an unescaped ``&`` or ``<`` is not XML, yet its items still have to be told
apart: this scanner reads start/end tags, attributes, text, CDATA sections, comments and
processing instructions with offsets, never resolves entities beyond XML's predefined
ones and character references, never loads anything, and keeps going past mistakes (a
stray ``<`` is text; an end tag closes the nearest open element of that name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_TOKEN = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<![A-Za-z][^>]*>"
    r"|</([A-Za-z_][\w:.-]*)\s*>"
    r"|<([A-Za-z_][\w:.-]*)((?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>",
    re.DOTALL,
)
_ATTR = re.compile(r"([^\s=/>]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def decode(text: str) -> str:
    """XML's predefined entities and character references decoded; others left as is."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in _NAMED:
            return _NAMED[name]
        try:
            code = int(name[2:], 16) if name.startswith("#x") else int(name[1:])
            return chr(code)
        except (ValueError, OverflowError):
            return match.group(0)

    return _ENTITY.sub(one, text) if "&" in text else text


@dataclass
class Attr:
    name: str
    raw: str
    #: Offsets of the raw value in the scanned text.
    start: int
    end: int

    @property
    def value(self) -> str:
        return decode(self.raw)


@dataclass
class Chunk:
    """A text run or CDATA section directly inside an element."""

    raw: str
    start: int
    end: int
    cdata: bool

    @property
    def value(self) -> str:
        return self.raw if self.cdata else decode(self.raw)


@dataclass
class Element:
    name: str
    start: int
    end: int = -1
    #: Offset just after the start tag (where its text begins).
    inner_start: int = -1
    attrs: list[Attr] = field(default_factory=list)
    children: list[Element] = field(default_factory=list)
    chunks: list[Chunk] = field(default_factory=list)
    parent: Element | None = None

    @property
    def text(self) -> str:
        return "".join(chunk.value for chunk in self.chunks)

    def find(self, name: str) -> Element | None:
        stack = list(self.children)
        while stack:
            node = stack.pop(0)
            if node.name == name:
                return node
            stack[0:0] = node.children
        return None

    def findall(self, name: str) -> list[Element]:
        found: list[Element] = []
        stack = list(reversed(self.children))
        while stack:
            node = stack.pop()
            if node.name == name:
                found.append(node)
                continue
            stack.extend(reversed(node.children))
        return found

    def attr(self, name: str) -> Attr | None:
        return next((a for a in self.attrs if a.name == name), None)


def scan(text: str, max_elements: int = 500_000) -> Element:
    """The document as a tree under a synthetic root element (name ``""``)."""
    root = Element("", 0, len(text))
    stack = [root]
    last = 0
    count = 0
    for match in _TOKEN.finditer(text):
        if match.start() > last:
            stack[-1].chunks.append(Chunk(text[last : match.start()], last, match.start(), False))
        last = match.end()
        token = match.group(0)
        if token.startswith("<![CDATA["):
            stack[-1].chunks.append(Chunk(token[9:-3], match.start() + 9, match.end() - 3, True))
        elif match.group(1) is not None:
            name = match.group(1)
            for depth in range(len(stack) - 1, 0, -1):
                if stack[depth].name == name:
                    for open_element in stack[depth:]:
                        open_element.end = match.end()
                    del stack[depth:]
                    break
        elif match.group(2) is not None:
            count += 1
            if count > max_elements:
                break
            element = Element(match.group(2), match.start(), inner_start=match.end(), parent=stack[-1])
            attrs_text = match.group(3) or ""
            base = match.start(3)
            for attr in _ATTR.finditer(attrs_text):
                group = 2 if attr.group(2) is not None else 3
                element.attrs.append(
                    Attr(attr.group(1), attr.group(group), base + attr.start(group), base + attr.end(group))
                )
            stack[-1].children.append(element)
            if match.group(4):
                element.end = match.end()
            else:
                stack.append(element)
    if last < len(text):
        stack[-1].chunks.append(Chunk(text[last:], last, len(text), False))
    for open_element in stack[1:]:
        open_element.end = len(text)
    return root


def well_formed(text: str) -> str | None:
    """None when ``text`` parses as XML (entities off), else the parser's message."""
    import defusedxml.ElementTree as SafeTree  # type: ignore[import-untyped,unused-ignore]
    from defusedxml import DefusedXmlException  # type: ignore[import-untyped,unused-ignore]

    try:
        SafeTree.fromstring(text.encode("utf-8"), forbid_dtd=False, forbid_entities=True)
    except DefusedXmlException as exc:
        return f"refused: {exc}"
    except Exception as exc:  # xml.etree.ElementTree.ParseError and friends
        return str(exc)
    return None
