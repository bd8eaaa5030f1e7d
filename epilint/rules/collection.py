"""CO rules: a post judged against every other post of its site.

These run on whole-site data even when only one file is linted (a pre-commit hook
passes just the staged files): the collection phase (``epilint/run/collection.py``)
gives each post a ``CollectionContext`` with its summary and its site's index
(``epilint/site/collection.py``). They never parse other files here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from epilint.lint.context import CollectionContext
from epilint.lint.registry import collection_rule
from epilint.model import Finding, Severity, Span
from epilint.site import posts
from epilint.site.collection import Index
from epilint.site.episodes import EpisodeNumber
from epilint.site.jekyll import CONFIG_NAME as CONFIG
from epilint.site.summary import Summary


def _numbered(ctx: CollectionContext) -> tuple[Summary, EpisodeNumber, Span, Index] | None:
    """The post's summary when its title carries an episode number (and where it is):
    titles are the numbering listeners see, whatever the audio files are called."""
    me = ctx.summary
    if me.title is None:
        return None
    return me, me.title.number, me.title.span, ctx.index


@dataclass(frozen=True)
class _Others:
    """The other posts of a group: the first few to name, and how many there are (each
    post of a group of n is told in O(1), never by listing the n − 1 others)."""

    first: tuple[str, ...]
    count: int

    def __bool__(self) -> bool:
        return self.count > 0


def _others(group: Sequence[Summary], me: Summary, index: Index) -> _Others:
    """The posts of ``group`` (``me``'s own number or audio) other than ``me``."""
    first = tuple(s.site_path for s in group[:4] if s.site_path != me.site_path)[:3]
    return _Others(first, len(group) - (1 if index.has(me.site_path) else 0))


def _listing(paths: _Others) -> str:
    shown = ", ".join(f"`{p}`" for p in paths.first)
    return shown + (f" and {paths.count - len(paths.first)} more" if paths.count > len(paths.first) else "")


@collection_rule("CO001", "duplicate-episode-number", Severity.ERROR, site_inputs=(CONFIG,))
def duplicate_episode_number(ctx: CollectionContext) -> Iterator[Finding]:
    """Two posts carry the same value in the episode-number field.

    Why: the episode-number field (the schema's `episode-number` role: `episode:`, `id:`)
    is the number a site gives its feed and pages as data; two posts with one number are
    two episodes that apps and listeners cannot tell apart (often a copied post whose
    number was not updated). Numbers in titles alone are CO005's; numbers in audio file
    names are not episode numbers to listeners. The message says what the feed shows:
    whether the site's feed template writes the number as `itunes:episode`. The site's
    other posts are always consulted, even when one file is linted.

    Example: a new `_posts/2022-10-01-13.md` with `episode: 12` while another post has it.

    Fix: none; renumber one of them by hand.
    """
    me, index = ctx.summary, ctx.index
    field = me.field
    if field is None:
        return
    number = field.number
    others = _others(index.numbered((number.main, number.sub)), me, index)
    if others:
        name = _field_name(ctx, "episode-number")
        said = f"`{name}: {field.text}` (episode {number}) is also the episode number of {_listing(others)}"
        shown = _feed_numbers(ctx, me.site_path)
        if shown is None:
            effect = f"two episodes numbered {number}"
        elif shown:
            effect = f"the feed gives both items {shown[0]}: podcast apps list two episodes numbered {number}"
        else:
            effect = (
                "the feed writes no episode number (its template has no `itunes:episode`), so apps do not "
                f"show it, but the site's data (`site.posts`) holds two episodes numbered {number}"
            )
        yield Finding(f"{said}: {effect}", field.span)


def _feed_numbers(ctx: CollectionContext, post: str) -> list[str] | None:
    """The ``itunes:episode`` elements the site's feeds write for the post (as written,
    with the feed), [] when its items have none, None when the feeds are not known."""
    feed = ctx.feed
    if feed is None or not feed.has_template:
        return None
    items = feed.items_for(post)
    if not items:
        return None
    found = []
    for info, item in items:
        element = item.element("itunes:episode")
        if element is not None:
            text = element.text.text if element.text is not None else None
            value = "…" if text is None else text
            found.append(f"`<itunes:episode>{value}</itunes:episode>` in `{info.output}`")
    return found


@collection_rule("CO005", "duplicate-title-number", Severity.WARNING, site_inputs=(CONFIG,))
def duplicate_title_number(ctx: CollectionContext) -> Iterator[Finding]:
    """Two posts' titles carry the same episode number.

    Why: listeners tell episodes apart by the number in the title; two titles `12. …`
    show two episode 12s in the episode list and in podcast apps (often a copied post
    whose title was not updated). Only the titles say so: the feed has no episode number
    of its own unless the template emits one (that is CO001's), so this is a warning about
    the titles. Parts (`2-1.`) and after-shows (`4.5.`) are numbers of their own.

    Example: a new `_posts/2022-10-01-13.md` titled `12. …` while `12.` already exists.

    Fix: none; renumber one of them by hand.
    """
    found = _numbered(ctx)
    if found is None:
        return
    me, number, span, index = found
    others = _others(index.titled((number.main, number.sub)), me, index)
    if others:
        yield Finding(
            f"the title says episode {number}, and so does the title of {_listing(others)}: listeners "
            f"see two episodes numbered {number}",
            span,
        )


def _field_name(ctx: CollectionContext, role: str) -> str:
    info = ctx.schema.field_for(role)
    return info.name if info is not None else role


@collection_rule("CO002", "duplicate-audio", Severity.ERROR, site_inputs=(CONFIG,), supersedes=("FD003",))
def duplicate_audio(ctx: CollectionContext) -> Iterator[Finding]:
    """Two posts point at the same audio file.

    Why: both feed items then play the same recording; one episode is unreachable. It is
    almost always a copied post whose `audio_file_path` was not updated.

    Example: `_posts/2022-10-01-58.md` still says `audio_file_path: /audio/057.mp3`.

    Fix: none; point the post at its own audio file.
    """
    me, index = ctx.summary, ctx.index
    if not me.audio or me.audio_span is None:
        return
    others = _others(index.sharing_audio(me.audio), me, ctx.index)
    if others:
        yield Finding(
            f"`{me.audio}` is also the audio of {_listing(others)}: both feed items play the same recording",
            me.audio_span,
        )


@collection_rule("CO003", "episode-gap", Severity.WARNING, site_inputs=(CONFIG,))
def episode_gap(ctx: CollectionContext) -> Iterator[Finding]:
    """The episode numbering skips a number.

    Why: a gap (55, then 57) usually means a post that was never published — misnamed,
    dated in the future, or still a draft — or a typo in a title. Parts (`2-1.`) and
    after-shows (`4.5.`) count as their main number.

    Example: episodes 55 and 57 exist, 56 does not.

    Fix: none; the warning sits on the first post after the gap.
    """
    found = _numbered(ctx)
    if found is None:
        return
    me, number, span, index = found
    if index.first_of(number.main) != me:
        return  # one report per gap, on the first post of the number after it
    previous = index.previous_main(number.main)
    if previous is None or number.main - previous <= 1:
        return
    missing = number.main - 1
    gap = f"{previous + 1}" if missing == previous + 1 else f"{previous + 1}–{missing}"
    yield Finding(
        f"episode{'s' if missing > previous + 1 else ''} {gap} "
        f"{'are' if missing > previous + 1 else 'is'} missing: the numbering jumps from "
        f"{previous} to {number.main} among the posts Jekyll publishes",
        span,
    )


@collection_rule("CO004", "episode-order", Severity.WARNING, site_inputs=(CONFIG,))
def episode_order(ctx: CollectionContext) -> Iterator[Finding]:
    """Episode N is dated after episode N+1.

    Why: Jekyll orders posts, and so the feed and the episode list, by date, not by
    number: the later-numbered episode is listed first and apps may mark the older one
    as new. Usually one of the two dates has a typo.

    Example: `12.` dated 2022-05-01 and `13.` dated 2022-04-20.

    Fix: none; correct the date that is wrong.
    """
    found = _numbered(ctx)
    if found is None:
        return
    me, number, span, index = found
    if me.published is None or index.first_of(number.main) != me:
        return
    following = index.next_main(number.main)
    if following is None:
        return
    later = index.first_of(following)
    if later is None or later.published is None or later.published >= me.published:
        return
    zone = posts.site_zone(ctx.site)
    yield Finding(
        f"episode {number.main} is dated {_day(me.published, zone)}, after episode {following} "
        f"(`{later.site_path}`, {_day(later.published, zone)}): Jekyll orders posts by date, "
        f"not number, so the feed and the episode list present {number.main} as newer "
        f"than {following}",
        me.date_span or span,
    )


def _day(seconds: float, zone: dt.tzinfo) -> str:
    """The instant on the site's clock, else in UTC when the site's clock would leave
    Python's years 1–9999."""
    for clock in (zone, dt.timezone.utc):
        try:
            return dt.datetime.fromtimestamp(seconds, clock).strftime("%Y-%m-%d %H:%M %z")
        except (OverflowError, OSError, ValueError):
            continue
    return f"{seconds:.0f} s from 1970"
