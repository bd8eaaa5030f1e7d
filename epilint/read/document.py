"""A linted file: its text, where its front matter is, and the YAML nodes inside.

Every file is read and parsed exactly once per run; rules receive this object and
never re-read or re-parse. Failures to read or parse are recorded here, not raised.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate, repeat
from operator import add
from pathlib import Path

from epilint.model import Span
from epilint.read import yaml11

# Jekyll's Document::YAML_FRONT_MATTER_REGEXP, with Ruby's ASCII-only \s spelled out.
_WS = "[ \\t\\r\\n\\f\\v]"
FRONT_MATTER = re.compile(rf"\A(---{_WS}*\n.*?\n?)^((?:---|\.\.\.){_WS}*$\n?)", re.MULTILINE | re.DOTALL)
_OPENING = re.compile(rf"\A---{_WS}*\r?\n")
_TOML_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class LineIndex:
    """Converts code-point offsets to 1-based line and column numbers."""

    def __init__(self, text: str) -> None:
        if "\r" in text:
            self._starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]
        else:  # the usual case, without a Python step per line
            lengths = map(len, text.split("\n"))
            self._starts = list(accumulate(map(add, lengths, repeat(1)), initial=0))[:-1]
        self._length = len(text)

    def position(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, self._length))
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def offset(self, line: int) -> int:
        """The offset where 1-based ``line`` starts (the text's end past the last line)."""
        return self._starts[line - 1] if 1 <= line <= len(self._starts) else self._length


@dataclass(frozen=True, slots=True)
class FrontMatterProblem:
    """Why a file has no usable front matter: FM001 (absent) or FM002 (unreadable)."""

    code: str
    message: str
    span: Span


@dataclass(frozen=True)
class Document:
    """One source file, split and parsed the way Jekyll does it."""

    path: Path
    text: str
    bom: bool = False
    #: The YAML block including both ``---`` lines, when the file has one.
    front_matter: Span | None = None
    #: The YAML text handed to the parser (opening ``---`` line included, as in Jekyll).
    yaml_span: Span | None = None
    body: Span = field(default_factory=lambda: Span(0, 0))
    root: yaml11.Node | None = None
    problem: FrontMatterProblem | None = None
    _data: dict[str, object] | None = field(default=None, repr=False)

    @classmethod
    def parse(cls, path: Path, text: str, *, bom: bool = False) -> Document:
        match = FRONT_MATTER.match(text)
        if match is None:
            return cls(path, text, bom, body=Span(0, len(text)), problem=_missing(text))
        yaml_span = Span(match.start(1), match.end(1))
        block = Span(0, match.end(0))
        body = Span(match.end(0), len(text))
        try:
            root = yaml11.compose(text[: yaml_span.end])
        except yaml11.YamlError as exc:
            where = Span(min(exc.offset, yaml_span.end), min(exc.offset, yaml_span.end))
            message = (
                f"epilint does not read this front matter: {exc.message} (a safety limit); "
                "none of its fields were checked"
                if exc.limit
                else f"the front matter is not valid YAML: {exc.message}. Jekyll logs an error "
                "and publishes the page without any front matter (no title, no audio)"
            )
            invalid = FrontMatterProblem("FM002", message, where)
            return cls(path, text, bom, block, yaml_span, body, None, invalid)
        data: dict[str, object] | None
        problem: FrontMatterProblem | None = _refused(root)
        if problem is not None:
            data = None
        elif root is None or (isinstance(root, yaml11.Scalar) and root.value is None):
            data = {}  # Psych returns nil; Jekyll merges nothing
        elif not isinstance(root, yaml11.Mapping):
            data = None
            problem = FrontMatterProblem(
                "FM002",
                "the front matter is not a mapping of keys to values; Jekyll cannot read it "
                "and publishes the page without any front matter",
                root.span,
            )
        else:
            try:
                built = yaml11.to_json(root)
            except yaml11.ExpansionTooLarge as exc:
                data = None
                problem = FrontMatterProblem(
                    "FM002",
                    f"epilint does not read this front matter: {exc} (an alias bomb?); none of "
                    "its fields were checked",
                    root.span,
                )
            else:
                assert isinstance(built, dict)
                data = built
        return cls(path, text, bom, block, yaml_span, body, root, problem, data)

    @classmethod
    def split(cls, path: Path, text: str, *, bom: bool = False) -> Document:
        """The front matter located but not parsed: enough for positions and suppression
        comments when the results are already known (a results-cache hit)."""
        match = FRONT_MATTER.match(text)
        if match is None:
            return cls(path, text, bom, body=Span(0, len(text)))
        return cls(
            path,
            text,
            bom,
            Span(0, match.end(0)),
            Span(match.start(1), match.end(1)),
            Span(match.end(0), len(text)),
        )

    @classmethod
    def unreadable(cls, path: Path, message: str, offset: int = 0, text: str = "") -> Document:
        """A file that could not be read or decoded (FM004); it is never rewritten.

        ``text`` (a lossy decoding, when there is one) only serves to place the violation;
        the body span stays empty so that no rule looks at it.
        """
        problem = FrontMatterProblem("FM004", message, Span(offset, offset))
        return cls(path, text, problem=problem)

    @property
    def data(self) -> dict[str, object]:
        """Front matter as Jekyll's hash, JSON-typed (empty when unusable)."""
        return self._data if self._data is not None else {}

    @property
    def readable(self) -> bool:
        """True when the front matter parsed into a mapping rules can inspect."""
        return self._data is not None

    @cached_property
    def lines(self) -> LineIndex:
        return LineIndex(self.text)

    @cached_property
    def fields(self) -> dict[str, yaml11.Pair]:
        """Top-level key name → its last (effective) key/value pair."""
        if not isinstance(self.root, yaml11.Mapping):
            return {}
        return {yaml11.key_text(pair.key): pair for pair in self.root.pairs}

    @property
    def body_text(self) -> str:
        return self.text[self.body.start : self.body.end]


def _missing(text: str) -> FrontMatterProblem:
    """Say why Jekyll finds no front matter, using python-frontmatter's format handlers."""
    from frontmatter import default_handlers as handlers

    start = Span(0, 0)
    first_line = text.split("\n", 1)[0].rstrip("\r")
    toml_handler = getattr(handlers, "TOMLHandler", None)
    toml = toml_handler() if toml_handler is not None else handlers.BaseHandler(_TOML_BOUNDARY)
    if toml.detect(text):
        return FrontMatterProblem(
            "FM001",
            "the front matter is TOML (`+++`); Jekyll only reads YAML front matter between "
            "`---` lines, so this page has no title, date or audio",
            Span(0, len(first_line)),
        )
    if handlers.JSONHandler().detect(text):
        return FrontMatterProblem(
            "FM001",
            "the front matter is JSON; Jekyll only reads YAML front matter between `---` lines",
            Span(0, len(first_line)),
        )
    if _OPENING.match(text):
        return FrontMatterProblem(
            "FM001",
            "the front matter opened with `---` is never closed by a `---` line; Jekyll "
            "reads the whole file as content, with no front matter",
            Span(0, 3),
        )
    if handlers.YAMLHandler().detect(text):
        return FrontMatterProblem(
            "FM001",
            f"the file starts with `{first_line}`, which Jekyll does not accept as a front "
            "matter delimiter (it needs exactly `---`)",
            Span(0, len(first_line)),
        )
    return FrontMatterProblem(
        "FM001",
        "the file has no front matter (a block between `---` lines at the very top); "
        "Jekyll will not treat it as an episode",
        start,
    )


def _refused(root: yaml11.Node | None) -> FrontMatterProblem | None:
    """Psych ``safe_load`` refuses Ruby-object tags and symbols; find the first one."""
    if root is None:
        return None
    stack: list[yaml11.Node] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml11.Alias):
            continue
        tag = node.tag
        reason = yaml11.refused_tag(tag)
        if reason is None and isinstance(node, yaml11.Scalar) and isinstance(node.value, yaml11.Unloadable):
            reason = f"`{node.text}`: {node.value.reason} (quote it)"
        if reason is not None:
            return FrontMatterProblem(
                "FM002",
                f"{reason}; Jekyll logs an error and publishes the page without any front matter",
                node.span,
            )
        if isinstance(node, yaml11.Mapping):
            for pair in reversed(node.pairs):
                stack.append(pair.value)
                stack.append(pair.key)
        elif isinstance(node, yaml11.Sequence):
            stack.extend(reversed(node.items))
    return None
