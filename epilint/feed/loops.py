"""Why a feed has no item for a post: the loop and the conditions around ``<item>``.

Read from the template's source (no rendering): the Liquid tags open where the item's
``<item>`` is written — the innermost ``for`` and, inside it, the ``if``/``unless``/
``case`` branches that lead to the item — so a message can say what the template does
("skips category `blog`", "keeps the 10 newest posts") and on which line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TAG = re.compile(r"\{%-?\s*([A-Za-z_]\w*)(.*?)-?%\}", re.DOTALL)
_BLOCKS = {
    "for": "endfor",
    "if": "endif",
    "unless": "endunless",
    "case": "endcase",
    "capture": "endcapture",
    "tablerow": "endtablerow",
}
_BRANCHES = {"elsif": "if", "else": None, "when": "case"}
_LOOP = re.compile(r"\s*(\w+)\s+in\s+(\(.*?\)|[\w.\[\]'\"-]+)(.*)\Z", re.DOTALL)
_PARAMETER = re.compile(r"\b(limit|offset)\s*:\s*(\d+)|\b(reversed)\b")
_CONTAINS = re.compile(r"""\A\s*(\w+)\.(categories|tags)\s+contains\s+(['"])(.*?)\3\s*\Z""")


@dataclass(frozen=True)
class Tag:
    name: str
    markup: str
    line: int

    @property
    def source(self) -> str:
        return f"{{% {self.name} {self.markup} %}}" if self.markup else f"{{% {self.name} %}}"


@dataclass(frozen=True)
class Condition:
    """A block tag open at the item and the branch of it the item is in."""

    tag: Tag
    #: The branch tag (``elsif``, ``else``, ``when``) when the item is not in the first.
    branch: Tag | None = None


@dataclass(frozen=True)
class Loop:
    """The ``for`` tag around the item: its variable, what it iterates, its parameters."""

    tag: Tag
    variable: str
    collection: str
    limit: int | None
    offset: int
    reversed: bool


@dataclass(frozen=True)
class Around:
    """The loop emitting items and the conditions between it and ``<item>``."""

    loop: Loop | None
    conditions: tuple[Condition, ...]
    #: ``assign``/``capture`` tags naming the loop's collection before the loop.
    assigned: Tag | None = None


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def around(text: str, line: int) -> Around:
    """The tags open at the first ``<item`` of ``line`` (1-based) of the template ``text``."""
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return Around(None, ())
    start = sum(len(part) + 1 for part in lines[: line - 1])
    found = lines[line - 1].find("<item")
    at = start + (found if found >= 0 else 0)
    stack: list[tuple[Tag, Tag | None]] = []
    assigns: dict[str, Tag] = {}
    skip_until: str | None = None
    for match in _TAG.finditer(text):
        if match.start() >= at:
            break
        name, markup = match.group(1), match.group(2).strip()
        if skip_until is not None:
            if name == skip_until:
                skip_until = None
            continue
        if name in ("raw", "comment"):
            skip_until = f"end{name}"
            continue
        tag = Tag(name, markup, _line_of(text, match.start()))
        if name in _BLOCKS:
            stack.append((tag, None))
        elif name in _BRANCHES and stack:
            opened, _ = stack[-1]
            if _BRANCHES[name] in (None, opened.name):
                stack[-1] = (opened, tag)
        elif name.startswith("end") and stack:
            for depth in range(len(stack) - 1, -1, -1):
                if _BLOCKS.get(stack[depth][0].name) == name:
                    del stack[depth:]
                    break
        elif name == "assign":
            target = markup.split("=", 1)[0].strip()
            if target:
                assigns[target] = tag
        if name == "capture" and markup:
            assigns[markup.split()[0]] = tag
    loop: Loop | None = None
    conditions: list[Condition] = []
    for tag, branch in stack:
        if tag.name == "for":
            parsed = _loop(tag)
            if parsed is not None:
                loop, conditions = parsed, []
        elif tag.name in ("if", "unless", "case"):
            conditions.append(Condition(tag, branch))
    assigned = assigns.get(loop.collection) if loop is not None else None
    if assigned is not None and loop is not None and assigned.line > loop.tag.line:
        assigned = None
    return Around(loop, tuple(conditions), assigned)


def _loop(tag: Tag) -> Loop | None:
    match = _LOOP.match(tag.markup)
    if match is None:
        return None
    limit: int | None = None
    offset = 0
    backwards = False
    for found in _PARAMETER.finditer(match.group(3)):
        if found.group(1) == "limit":
            limit = int(found.group(2))
        elif found.group(1) == "offset":
            offset = int(found.group(2))
        elif found.group(3):
            backwards = True
    return Loop(tag, match.group(1), match.group(2), limit, offset, backwards)


def condition_phrase(condition: Condition, variable: str | None) -> str:
    """What a condition does to the items, in words: "skips category `blog`",
    "emits an item only when `post.audio`"."""
    tag, branch = condition.tag, condition.branch
    markup = tag.markup
    if tag.name == "case":
        when = branch.markup if branch is not None and branch.name == "when" else "none of the `when`s"
        return f"emits an item only when `{markup}` is {when}"
    if branch is not None and branch.name == "elsif":
        return f"emits an item only when `{markup}` is false and `{branch.markup}` holds"
    negated = (tag.name == "unless") != (branch is not None and branch.name == "else")
    found = _CONTAINS.match(markup)
    if found is not None and (variable is None or found.group(1) == variable):
        kind = "category" if found.group(2) == "categories" else "tag"
        if negated:
            return f"skips {kind} `{found.group(4)}`"
        return f"emits only {kind} `{found.group(4)}`"
    if negated:
        return f"skips posts where `{markup}`"
    return f"emits an item only when `{markup}`"


def condition_keys(condition: Condition, variable: str | None) -> tuple[str, ...]:
    """The post keys a condition reads (``post.KEY``, with the loop's variable)."""
    if variable is None:
        return ()
    markups = [condition.tag.markup, *([condition.branch.markup] if condition.branch else [])]
    pattern = re.compile(rf"\b{re.escape(variable)}\.(\w+)|\b{re.escape(variable)}\[['\"](\w+)['\"]\]")
    keys: list[str] = []
    for markup in markups:
        for match in pattern.finditer(markup):
            keys.append(match.group(1) or match.group(2))
    return tuple(dict.fromkeys(keys))
