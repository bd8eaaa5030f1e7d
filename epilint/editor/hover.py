"""Hover on a front-matter value: what Jekyll reads, the feed item, the measured value.

A hover is made of slots, each a heading and a list of providers; a provider looks at
the hovered value and returns Markdown, or None when it has nothing to say. Slots
without an answer are left out. The slots, in order:

- **What Jekyll reads**: the value Psych builds (``site/reading.py``, the YT rules'
  wording: ``duration: 45:30`` → "Psych reads the integer 163800 (45 h 30 min)"), what
  Liquid prints from it, a date as the instant in the site's zone, and what the schema
  says the feed makes of it (``x-epilint-feed``);
- **The feed item element**: what the site's feed template puts in the episode's
  ``<item>`` from the field, as the feed phase predicts it (``feed_element``);
- **Measured from the audio file**: the size or duration of the episode's audio
  (``facts.measured``), for the fields whose role epilint can measure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from epilint.lint import facts
from epilint.lint.context import Context
from epilint.model import Span
from epilint.read import yaml11
from epilint.schema.load import FieldInfo
from epilint.site import posts, reading
from epilint.site.values import rendered

YamlPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Target:
    """The hovered value: its context, path (``("duration",)``), scalar and schema field."""

    ctx: Context
    path: YamlPath
    scalar: yaml11.Scalar
    #: The span under the cursor (the key or the value), for the hover's range.
    span: Span

    @property
    def info(self) -> FieldInfo | None:
        """The schema's field, for a top-level value."""
        if len(self.path) != 1 or not isinstance(self.path[0], str):
            return None
        return self.ctx.schema.fields.get(self.path[0])


#: A hover provider: Markdown about the target, or None.
Provider = Callable[[Target], "str | None"]


@dataclass(frozen=True)
class Slot:
    title: str
    providers: tuple[Provider, ...]


def jekyll_reads(target: Target) -> str | None:
    scalar, ctx = target.scalar, target.ctx
    value = scalar.value
    lines = [f"Psych reads {reading.value(scalar)}."]
    if not isinstance(value, (str, yaml11.PsychTime, dt.date)) or isinstance(value, yaml11.Unloadable):
        printed = rendered(value)
        if printed != scalar.text and not isinstance(value, yaml11.Unloadable):
            lines.append(f"Liquid prints `{printed}`." if printed else "Liquid prints nothing.")
    date = facts.front_matter_date(ctx)
    if date is not None and date.node is scalar:
        site = ctx.site
        zone = site.timezone if site is not None and site.zone is not None else "UTC"
        moment = posts.in_zone(date.instant, posts.site_zone(site))
        lines.append(f"As the post's date: {moment:%Y-%m-%d %H:%M:%S %z} ({zone}).")
    elif isinstance(value, yaml11.PsychTime) and ctx.site is not None and ctx.site.zone is not None:
        instant = value.to_datetime()
        if instant is not None:
            local = posts.in_zone(instant, ctx.site.zone)
            lines.append(f"On the site's clock ({ctx.site.timezone}): {local:%Y-%m-%d %H:%M:%S %z}.")
    info = target.info
    feed = info.feed(rendered(value)) if info is not None else None
    if info is not None and facts.field_in_feed(ctx, info.name, info) is not None:
        feed = None  # the site's own template answers (the feed slot)
    if feed and not isinstance(value, yaml11.Unloadable):
        lines.append(f"The schema (`x-epilint-feed`): {feed}.")
    return "\n\n".join(lines)


def measured_value(target: Target) -> str | None:
    info = target.info
    if info is None or info.role is None:
        return None
    found = facts.measured(target.ctx, info.role)
    if found is None:
        return None
    return f"`{info.name}: {found.yaml}` (measured from {found.source})"


def feed_element(target: Target) -> str | None:
    """The element the site's feed template makes from the hovered top-level field, as
    the feed phase predicts it (the template and line that write it); why the post has no
    item when the feeds leave it out. Nothing when the feed is not known."""
    ctx, path = target.ctx, target.path
    view = ctx.feed
    if len(path) != 1 or not isinstance(path[0], str) or view is None or not view.has_template:
        return None
    if view.left_out and view.skipped is not None:
        return f"No item: the site's feed leaves this post out ({view.skipped.reason})."
    found = facts.field_in_feed(ctx, path[0], target.info)
    if found is None:
        if not view.fresh:
            return "The feed's prediction is of the saved file; it follows this text once it is saved."
        return None
    hits = [f for f in found if f.reads]
    if not hits:
        return f"The feed template does not read `{path[0]}`." if view.items else None
    several = len(view.site.feeds) > 1
    lines = []
    for hit in hits:
        where = f"`{hit.value.template}` line {hit.value.line}"
        who = f"`{hit.feed.output}`" if several else "The feed"
        lines.append(f"{who} writes `{facts.shown_element(hit.element)}` ({where}).")
    return "\n\n".join(lines)


#: Providers of the feed item element (``<itunes:duration>…``, ``<enclosure length>``):
#: the site's own feed template as the feed phase predicts it.
FEED_ITEM: tuple[Provider, ...] = (feed_element,)

SLOTS: tuple[Slot, ...] = (
    Slot("What Jekyll reads", (jekyll_reads,)),
    Slot("The feed item element", FEED_ITEM),
    Slot("Measured from the audio file", (measured_value,)),
)


def target_at(ctx: Context, offset: int) -> Target | None:
    """The front-matter scalar at ``offset`` (on its key or its value), if any."""
    doc = ctx.doc
    if doc.root is None or doc.front_matter is None or offset >= doc.front_matter.end:
        return None
    found = _at(doc.root, offset, ())
    if found is None:
        return None
    path, node, span = found
    while isinstance(node, yaml11.Alias):
        node = node.target
    if not isinstance(node, yaml11.Scalar):
        return None
    return Target(ctx, path, node, span)


def _contains(span: Span, offset: int) -> bool:
    return span.start <= offset <= span.end


def _at(node: yaml11.Node, offset: int, path: YamlPath) -> tuple[YamlPath, yaml11.Node, Span] | None:
    if isinstance(node, yaml11.Mapping):
        for pair in node.pairs:
            key = (*path, yaml11.key_text(pair.key))
            if _contains(pair.key.span, offset):
                return key, pair.value, pair.key.span
            if _contains(pair.value.span, offset):
                return _at(pair.value, offset, key)
        return None
    if isinstance(node, yaml11.Sequence):
        for index, item in enumerate(node.items):
            if _contains(item.span, offset):
                return _at(item, offset, (*path, index))
        return None
    return (path, node, node.span) if _contains(node.span, offset) else None


def hover_text(target: Target, slots: tuple[Slot, ...] = SLOTS) -> str | None:
    """The hover's Markdown: each slot with an answer, under its heading."""
    sections = []
    for slot in slots:
        answers = [text for provider in slot.providers if (text := provider(target))]
        if answers:
            sections.append(f"**{slot.title}**\n\n" + "\n\n".join(answers))
    return "\n\n---\n\n".join(sections) if sections else None
