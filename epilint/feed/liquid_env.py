"""The Liquid environment Jekyll renders with, on python-liquid 2.

* Outputs (``{{ }}``) print Ruby values the way Liquid 5.4 does (``values.output_text``)
  and are traced: each writes its text between emission markers naming the template line
  and the front-matter keys read while evaluating it (``tracing``).
* Template text is preceded by line markers, so every offset of the rendered page has a
  template line.
* ``capture`` keeps the sources of what it captured (``TracedStr``).
* ``include`` and ``include_relative`` follow Jekyll's tags/include.rb: ``key=value``
  parameters as ``include.key``, ``{{ }}`` in the file name, no ``..`` or ``//`` in it,
  files only from ``_includes`` (or the page's folder), never outside the site.
* Jekyll renders with ``strict_filters: false``: a filter defined nowhere returns its
  input (liquid/context.rb ``invoke`` → strainer). A filter or tag a site plugin
  (``_plugins/*.rb``) or an unmodelled gem may define is **unknown**.
* Bounded: loop iterations, output size, include depth (python-liquid's limits).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from io import StringIO
from pathlib import Path
from typing import ClassVar, TextIO

from liquid import BoundTemplate, Environment, RenderContext
from liquid.ast import BlockNode, Node
from liquid.builtin import content as content_mod
from liquid.builtin import output as output_mod
from liquid.builtin.expressions import BooleanExpression, FilteredExpression, tokenize
from liquid.builtin.expressions.logical import (
    ContainsExpression,
    EqExpression,
    GeExpression,
    GtExpression,
    LeExpression,
    LtExpression,
    NeExpression,
)
from liquid.builtin.expressions.loop import LoopExpression
from liquid.builtin.tags.capture_tag import CaptureNode, CaptureTag
from liquid.builtin.tags.case_tag import CaseNode, CaseTag
from liquid.builtin.tags.for_tag import ForNode, ForTag
from liquid.builtin.tags.if_tag import IfNode, IfTag
from liquid.builtin.tags.unless_tag import UnlessNode, UnlessTag
from liquid.exceptions import LiquidError, LiquidSyntaxError
from liquid.expression import Expression
from liquid.output import LimitedStringIO
from liquid.parser import get_parser
from liquid.stream import TokenStream
from liquid.tag import Tag
from liquid.token import TOKEN_EXPRESSION, TOKEN_TAG, Token

from epilint.feed.files import looked, read_text
from epilint.feed.filters import wrap
from epilint.feed.tracing import Emission, TracedStr, current_trace, strip_markers
from epilint.feed.values import OPEN, ContentPiece, UnknownPiece, output_text, pieces_in, to_s, unknown

#: tags/include.rb: VALID_SYNTAX, VARIABLE_SYNTAX, INVALID_SEQUENCES
_PARAM = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"\\]*(?:\\.[^"\\]*)*)"|'([^'\\]*(?:\\.[^'\\]*)*)'|([\w.-]+))""")
_VARIABLE_NAME = re.compile(
    r"(?P<variable>[^{]*(\{\{\s*[\w\-.]+\s*(\|.*)?\}\}[^\s{}]*)+)(?P<params>.*)", re.DOTALL
)
_INVALID_SEQUENCE = re.compile(r"[./]{2,}")
MAX_OUTPUT = 64 * 1024 * 1024
_FULL_VALID = re.compile(
    r"""\A\s*(?:([\w-]+)\s*=\s*(?:"[^"\\]*(?:\\.[^"\\]*)*"|'[^'\\]*(?:\\.[^'\\]*)*'|[\w.-]+)\s*)*\Z"""
)


class NotModelled(LiquidError):
    """Rendering needs something the model does not have (a theme gem's file)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, token=None)


def line_of(token: Token, context: RenderContext) -> int:
    """The 1-based line of ``token`` in its file: its line in the template text, plus the
    lines of the front matter the text came after (``JekyllEnvironment.line_offsets``)."""
    env = context.env
    offset = env.line_offsets.get(template_name(context), 0) if isinstance(env, JekyllEnvironment) else 0
    return token.source.count("\n", 0, token.start_index) + 1 + offset


def template_name(context: RenderContext) -> str:
    return str(context.template.name or context.template.path or "")


class TracedOutputNode(output_mod.OutputNode):
    """``{{ expr }}`` printed as Liquid 5.4 prints Ruby values, with its sources."""

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        trace = current_trace()
        frame = trace.open_frame()
        try:
            value = self.expression.evaluate(context)
        finally:
            trace.close_frame()
        reads = set(frame)
        text = output_text(value)
        if isinstance(value, TracedStr):
            reads |= value.reads
        text, inner = strip_markers(text)
        if isinstance(value, MarkedText):
            return buffer.write(value)  # a layout's `content`: the page's own markers kept
        for index in inner:
            reads.update(trace.emissions[index].reads)
        filters = tuple(str(getattr(f, "name", "")) for f in getattr(self.expression, "filters", None) or ())
        emission = Emission(
            template_name(context),
            line_of(self.token, context),
            tuple(sorted(reads, key=str)),
            str(self.expression),
            filters,
        )
        return buffer.write(trace.emit(emission, text))


class MarkedText(str):
    """Rendered text that keeps its markers when printed (a layout's ``content``)."""


class TracedOutput(output_mod.Output):
    node_class = TracedOutputNode


class MarkedContentNode(content_mod.ContentNode):
    """Template text, preceded by a marker of its template line."""

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        if not self.text:
            return 0
        marker = current_trace().line_marker(template_name(context), line_of(self.token, context))
        return buffer.write(marker + self.text)


class MarkedLiteral(content_mod.Literal):
    node_class = MarkedContentNode


class TracedCaptureNode(CaptureNode):
    """``capture``: the captured text without markers, remembering its sources."""

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        trace = current_trace()
        buf = context.get_buffer(buffer)
        frame = trace.open_frame()
        try:
            self.block.render(context, buf)
        finally:
            trace.close_frame()
        text, emissions = strip_markers(buf.getvalue())
        reads = set(frame)
        for index in emissions:
            reads.update(trace.emissions[index].reads)
        context.assign(str(self.name), TracedStr(text, frozenset(emissions), frozenset(reads)))
        return 0


class TracedCapture(CaptureTag):
    node_class = TracedCaptureNode


_COMPARISONS = (
    EqExpression,
    NeExpression,
    LtExpression,
    GtExpression,
    LeExpression,
    GeExpression,
    ContainsExpression,
)


def opaque_reason(expressions: Iterable[Expression], context: RenderContext) -> str | None:
    """Why a condition (or loop) depends on something the model does not know: an
    unknown value anywhere in it, or a post's content compared or looped over (its
    truthiness is known: a String always is)."""

    def visit(expression: Expression, parent: Expression | None, depth: int) -> str | None:
        if depth > 50:
            return None
        try:
            value = expression.evaluate(context)
        except (LiquidError, TypeError, ValueError, KeyError, IndexError):
            value = None
        for text in _texts(value):
            for _, _, piece in pieces_in(text):
                if isinstance(piece, UnknownPiece):
                    return piece.reason
                if isinstance(piece, ContentPiece) and isinstance(parent, (*_COMPARISONS, LoopExpression)):
                    return "a condition on a post's rendered content"
        for child in expression.children():
            found = visit(child, expression, depth + 1)
            if found is not None:
                return found
        return None

    for expression in expressions:
        found = visit(expression, None, 0)
        if found is not None:
            return found
    return None


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value] if OPEN in value else []
    if isinstance(value, list):
        return [v for v in value[:200] if isinstance(v, str) and OPEN in v]
    return []


class GuardedIfNode(IfNode):
    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        reason = opaque_reason([self.condition, *(alt.expression for alt in self.alternatives)], context)
        if reason is not None:
            return buffer.write(unknown(f"an `if` whose condition is unknown ({reason})"))
        return super().render_to_output(context, buffer)


class GuardedIf(IfTag):
    node_class = GuardedIfNode


class GuardedUnlessNode(UnlessNode):
    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        reason = opaque_reason([self.condition, *(alt.expression for alt in self.alternatives)], context)
        if reason is not None:
            return buffer.write(unknown(f"an `unless` whose condition is unknown ({reason})"))
        return super().render_to_output(context, buffer)


class GuardedUnless(UnlessTag):
    node_class = GuardedUnlessNode


class GuardedCaseNode(CaseNode):
    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        reason = opaque_reason([self.expression, *self.expressions()], context)
        if reason is not None:
            return buffer.write(unknown(f"a `case` on an unknown value ({reason})"))
        return super().render_to_output(context, buffer)


class GuardedCase(CaseTag):
    node_class = GuardedCaseNode


class GuardedForNode(ForNode):
    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        reason = opaque_reason([self.expression.iterable], context)
        if reason is None:
            value = self.expression.iterable.evaluate(context)
            if isinstance(value, str) and OPEN in value:
                reason = "a loop over an opaque value"
        if reason is not None:
            return buffer.write(unknown(f"a `for` loop over an unknown value ({reason})"))
        return super().render_to_output(context, buffer)


class GuardedFor(ForTag):
    node_class = GuardedForNode


class IncludeNode(Node):
    """Jekyll's ``include`` / ``include_relative`` (tags/include.rb)."""

    __slots__ = ("file", "params", "relative", "variable_file")

    def __init__(self, token: Token, file: str, params: str | None, relative: bool) -> None:
        super().__init__(token)
        self.file = file
        self.params = params
        self.relative = relative
        self.variable_file = "{{" in file
        self.blank = False

    def __str__(self) -> str:
        return f"{{% include {self.file} {self.params or ''} %}}"

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        env = context.env
        assert isinstance(env, JekyllEnvironment)
        name = self.file
        if self.variable_file:
            inner = env.from_string(name, name=template_name(context))
            buf = StringIO()
            inner.render_with_context(context, buf, partial=True)
            name, _ = strip_markers(buf.getvalue())
            name = name.strip()
        if _INVALID_SEQUENCE.search(name) or name.startswith("/"):
            raise LiquidError(
                f"Invalid syntax for include tag. File contains invalid characters or sequences: {name}",
                token=self.token,
            )
        template = env.include(name, self.relative, context, self.token)
        params: dict[str, object] = {}
        if self.params is not None:
            for key, double, single, variable in _PARAM.findall(self.params):
                if double:
                    params[key] = double.replace('\\"', '"')
                elif single:
                    params[key] = single.replace("\\'", "'")
                elif variable:
                    params[key] = _evaluate(env, variable, context, self.token)
        namespace = {"include": params} if self.params is not None else {}
        with context.extend(namespace, template=template):
            template.render_with_context(context, buffer, partial=True)
        return True


def _evaluate(env: Environment, text: str, context: RenderContext, token: Token) -> object:
    """``context[variable]``: a variable path (``post``, ``page.title``, ``a[0]``)."""
    expression = FilteredExpression.parse(env, TokenStream(tokenize(text, token)))
    return expression.evaluate(context)


class IncludeTag(Tag):
    name = "include"
    block = False
    relative = False

    def parse(self, stream: TokenStream) -> Node:
        token = stream.expect(TOKEN_TAG)
        if stream.peek.kind != TOKEN_EXPRESSION:
            raise LiquidSyntaxError(f"{self.name}: missing file name", token=token)
        next(stream)  # the parser moves past the tag's last token (its expression)
        markup = stream.current.value.strip()
        matched = _VARIABLE_NAME.match(markup)
        if matched:
            file, params = matched.group("variable").strip(), matched.group("params").strip()
        else:
            parts = markup.split(None, 1)
            file, params = parts[0], (parts[1] if len(parts) > 1 else None)
        if params is not None and not _FULL_VALID.match(params):
            raise LiquidSyntaxError(
                f"Invalid syntax for include tag:\n\n  {params}\n\nValid syntax:\n\n  "
                "{% include file.ext param='value' param2='value' %}",
                token=token,
            )
        return IncludeNode(token, file, params if params else None, self.relative)


class IncludeRelativeTag(IncludeTag):
    name = "include_relative"
    relative = True


class UnknownTagNode(Node):
    """A tag from a site plugin: its output is unknown."""

    __slots__ = ("body", "tag_name")

    def __init__(self, token: Token, tag_name: str, body: BlockNode | None) -> None:
        super().__init__(token)
        self.tag_name = tag_name
        self.body = body
        self.blank = False

    def __str__(self) -> str:
        return f"{{% {self.tag_name} %}}"

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        origin = "Jekyll (not rendered by the model)" if self.tag_name in _JEKYLL_TAGS else "a plugin"
        return buffer.write(unknown(f"tag `{self.tag_name}` from {origin}"))


_JEKYLL_TAGS = frozenset({"link", "post_url", "highlight"})


def unknown_tag(tag_name: str, is_block: bool) -> type[Tag]:
    """A parser for a plugin's tag (a block up to ``end<name>`` when it is a block)."""

    class PluginTag(Tag):
        name = tag_name
        block = is_block
        end = f"end{tag_name}"

        def parse(self, stream: TokenStream) -> Node:
            token = stream.expect(TOKEN_TAG)
            if stream.peek.kind == TOKEN_EXPRESSION:
                next(stream)
            body = None
            if is_block:
                next(stream)
                body = get_parser(self.env).parse_block(stream, (self.end,))
                stream.expect(TOKEN_TAG, value=self.end)
            return UnknownTagNode(token, tag_name, body)

    return PluginTag


class UnknownValueTag(Tag):
    """Jekyll tags the model does not render (``link``, ``post_url``, ``highlight``)."""

    block = False
    name = ""

    def parse(self, stream: TokenStream) -> Node:
        token = stream.expect(TOKEN_TAG)
        if stream.peek.kind == TOKEN_EXPRESSION:
            next(stream)
        return UnknownTagNode(token, self.name, None)


class ExactStringIO(LimitedStringIO):
    """python-liquid's size-limited buffer without newline translation (it opens its own
    with ``newline=None``, turning ``\r\n`` into ``\n``; Ruby keeps every byte)."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit=limit, newline="")


class JekyllContext(RenderContext):
    """Jekyll's filter lookup: unknown filters return their input unless a plugin or an
    unmodelled gem may define them (then unknown)."""

    def get_buffer(self, buf: TextIO | None = None) -> StringIO:
        limit = self.env.output_stream_limit or MAX_OUTPUT
        carry = buf.size if isinstance(buf, LimitedStringIO) else 0
        return ExactStringIO(limit - carry)

    def filter(self, name: str, token: Token | None) -> Callable[..., object]:
        if name in self.env.filters:
            return super().filter(name, token)
        env = self.env
        assert isinstance(env, JekyllEnvironment)
        origin = env.plugin_filter_origin(name)
        if origin is not None:
            return lambda *_args, **_kwargs: unknown(f"filter `{name}` from {origin}")
        env.undefined_filters.add(name)
        return _identity  # liquid/strainer: an undefined filter returns its input as is


def _identity(value: object, *_args: object, **_kwargs: object) -> object:
    return value


class JekyllTemplate(BoundTemplate):
    context_class = JekyllContext

    def _get_buffer(self) -> StringIO:
        return ExactStringIO(self.env.output_stream_limit or MAX_OUTPUT)


class JekyllEnvironment(Environment):
    """python-liquid set up as Jekyll 4.3.1 configures Liquid 5.4 (see module doc)."""

    template_class = JekyllTemplate
    loop_iteration_limit: ClassVar[int | None] = 2_000_000
    output_stream_limit: ClassVar[int | None] = MAX_OUTPUT
    local_namespace_limit: ClassVar[int | None] = 64 * 1024 * 1024
    context_depth_limit: ClassVar[int] = 40

    def __init__(
        self,
        site_root: Path,
        *,
        includes_dir: str,
        filters: dict[str, Callable[..., object]],
        plugin_filters: dict[str, str],
        plugin_tags: dict[str, bool],
        unmodelled_gems: tuple[str, ...],
        page_dir: str = "",
        theme: str | None = None,
    ) -> None:
        super().__init__(strict_filters=False)
        self.theme = theme
        #: Lines of front matter above each template's text, by template name.
        self.line_offsets: dict[str, int] = {}
        self.site_root = site_root
        self.includes_dir = includes_dir
        self.plugin_filters = plugin_filters
        self.unmodelled_gems = unmodelled_gems
        self.page_dir = page_dir
        self.undefined_filters: set[str] = set()
        self.included: set[str] = set()
        self._cache: dict[str, BoundTemplate] = {}
        self.add_tag(TracedOutput)
        self.add_tag(MarkedLiteral)
        self.add_tag(TracedCapture)
        self.add_tag(GuardedIf)
        self.add_tag(GuardedUnless)
        self.add_tag(GuardedCase)
        self.add_tag(GuardedFor)
        self.add_tag(IncludeTag)
        self.add_tag(IncludeRelativeTag)
        for name in ("link", "post_url", "highlight"):
            if name == "highlight":
                self.add_tag(unknown_tag(name, True))
            else:
                self.add_tag(type(f"Tag_{name}", (UnknownValueTag,), {"name": name}))
        for name, is_block in plugin_tags.items():
            self.add_tag(unknown_tag(name, is_block))
        self.filters = {}
        for name, func in {**filters, **context_filters()}.items():
            self.add_filter(name, func)

    def plugin_filter_origin(self, name: str) -> str | None:
        if name in self.plugin_filters:
            return f"a site plugin ({self.plugin_filters[name]})"
        if self.unmodelled_gems:
            return f"the gem plugin(s) {', '.join(self.unmodelled_gems)} (not modelled)"
        return None

    def include(self, name: str, relative: bool, context: RenderContext, token: Token) -> BoundTemplate:
        """The included file as a template (``locate_include_file``), read once."""
        folder = self.page_dir if relative else self.includes_dir
        relative_path = f"{folder}/{name}" if folder else name
        root = self.site_root.resolve()
        candidate = (self.site_root / relative_path).resolve()
        try:
            candidate.relative_to(root)
        except ValueError:
            raise LiquidError(f"Included file '{relative_path}' is outside the site", token=token) from None
        cached = self._cache.get(relative_path)
        if cached is not None:
            return cached
        text = read_text(self.site_root / relative_path)
        if (text is None or (self.site_root / relative_path).is_symlink()) and self.theme and not relative:
            raise NotModelled(f"the include '{name}' may come from the theme gem `{self.theme}` (not read)")
        if text is None or (self.site_root / relative_path).is_symlink():
            raise LiquidError(
                f"Could not locate the included file '{name}' in any of [\"{folder}\"]", token=token
            )
        template = self.from_string(text, name=relative_path, path=relative_path)
        self._cache[relative_path] = template
        self.included.add(relative_path)
        return template


def _condition(env: Environment, expression: object) -> BooleanExpression:
    """filters.rb ``parse_condition``: ``and``/``or`` of comparisons, as Liquid parses ``if``."""
    text = to_s(expression)
    token = Token(TOKEN_EXPRESSION, text, 0, text)
    return BooleanExpression.parse(env, TokenStream(tokenize(text, token)))


def _items(value: object) -> list[object] | None:
    if isinstance(value, dict):
        return list(value.values())
    return value if isinstance(value, list) else None


def where_exp(value: object, variable: object, expression: object, *, context: RenderContext) -> object:
    """filters.rb ``where_exp``: the items for which the condition holds."""
    items = _items(value)
    if items is None:
        return value
    condition = _condition(context.env, expression)
    kept: list[object] = []
    for item in items:
        with context.extend({to_s(variable): item}):
            if condition.evaluate(context):
                kept.append(item)
    return kept


def find_exp(value: object, variable: object, expression: object, *, context: RenderContext) -> object:
    """filters.rb ``find_exp``: the first item for which the condition holds."""
    items = _items(value)
    if items is None:
        return value
    condition = _condition(context.env, expression)
    for item in items:
        with context.extend({to_s(variable): item}):
            if condition.evaluate(context):
                return item
    return None


def group_by_exp(value: object, variable: object, expression: object, *, context: RenderContext) -> object:
    """grouping_filters.rb ``group_by_exp``: groups by the expression's value (to_s)."""
    items = _items(value)
    if items is None:
        return value
    text = to_s(expression)
    token = Token(TOKEN_EXPRESSION, text, 0, text)
    compiled = FilteredExpression.parse(context.env, TokenStream(tokenize(text, token)))
    groups: dict[str, list[object]] = {}
    for item in items:
        with context.extend({to_s(variable): item}):
            key = compiled.evaluate(context)
        groups.setdefault(output_text(key), []).append(item)
    return [{"name": name, "items": members, "size": len(members)} for name, members in groups.items()]


def context_filters() -> dict[str, Callable[..., object]]:
    """Filters that evaluate Liquid expressions (they need the render context)."""
    table: dict[str, Callable[..., object]] = {
        "where_exp": where_exp,
        "find_exp": find_exp,
        "group_by_exp": group_by_exp,
    }
    wrapped: dict[str, Callable[..., object]] = {}
    for name, func in table.items():
        run = wrap(name, func)
        run.with_context = True  # type: ignore[attr-defined]
        wrapped[name] = run
    return wrapped


def plugin_sources(root: Path, plugins_dir: str) -> list[tuple[str, str]]:
    """The ``.rb`` files under the plugins folder (site-relative path, text), at most 500:
    read once per prediction, for ``scan_plugins`` and ``file_writing_plugins``."""
    folder = root / plugins_dir
    looked(folder)
    if not folder.is_dir() or folder.is_symlink():
        return []
    found: list[Path] = []
    for current, _dirs, names in os.walk(folder, followlinks=False):
        looked(current)
        found.extend(Path(current, name) for name in names if name.endswith(".rb"))
    sources = []
    for path in sorted(found)[:500]:
        text = read_text(path)
        if text is not None:
            sources.append((path.relative_to(root).as_posix(), text))
    return sources


def scan_plugins(sources: list[tuple[str, str]]) -> tuple[dict[str, str], dict[str, bool]]:
    """Filters and tags the plugin ``sources`` may define, never run: every ``def NAME`` of a
    file that registers filters, and every ``register_tag`` (block tags from classes
    deriving ``Liquid::Block``)."""
    filters: dict[str, str] = {}
    tags: dict[str, bool] = {}
    for relative, text in sources:
        if "register_filter" in text or "module" in text:
            for name in re.findall(r"^\s*def\s+(?:self\.)?([a-z_][A-Za-z0-9_]*[?!]?)", text, re.MULTILINE):
                filters.setdefault(name, relative)
        block_classes = set(re.findall(r"class\s+(\w+)\s*<\s*Liquid::Block", text))
        for name, cls in re.findall(r"register_tag\s*\(?\s*['\":]([\w-]+)['\"]?\s*,\s*([\w:]+)", text):
            tags[name] = cls.split("::")[-1] in block_classes
    return filters, tags


#: What a plugin that adds files to the build says: a generator, a hook, a push onto the
#: site's pages or static files.
_WRITES_FILES = re.compile(r"Generator|Hooks\.register|\b(?:pages|static_files|documents)\s*<<")


def file_writing_plugins(sources: list[tuple[str, str]]) -> tuple[str, ...]:
    """The plugin ``sources`` that may add pages or files to the build (never run)."""
    return tuple(relative for relative, text in sources if _WRITES_FILES.search(text))
