"""EP rules: episode and site semantics (dates, file names, numbers, actors, layouts, audio).

Fields are found through their schema roles (``audio-path``, ``audio-size``,
``duration``, ``date``, ``title``, ``actors``, ``layout``, ``episode-number``), never by
name. Rules that need the site (its ``_config.yml``, ``_layouts/``, files) say nothing
about a file linted outside any site.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator

from epilint.lint import facts
from epilint.lint.context import CollectionContext, Context
from epilint.lint.facts import RoleField
from epilint.lint.registry import FixAvailability, collection_rule, rule
from epilint.model import Finding, Fix, Severity, Span
from epilint.read import yaml11
from epilint.similar import closest
from epilint.site import audio, episodes, posts
from epilint.site.collection import Agreement, Numbered
from epilint.site.jekyll import CONFIG_NAME as CONFIG
from epilint.site.values import rendered

_PLACEHOLDER_WORD = re.compile(r"(?<![A-Za-z])(TODO|FIXME|TBD)(?![A-Za-z])")
_START = Span(0, 0)


def _feed(ctx: Context, found: RoleField, value: object) -> str:
    return facts.feed_says(ctx, found.info, value)


def _shown(ctx: Context, found: RoleField) -> str:
    """The field as written in the file: `duration: "00:00"`."""
    span = found.value.span
    return f"`{found.info.name}: {ctx.doc.text[span.start : span.end]}`"


def declared_seconds(scalar: yaml11.Scalar) -> int | None:
    """The duration the author meant, in seconds (`45:30` is 2730 s even unquoted)."""
    value = scalar.value
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        return audio.parse_duration(value)
    if isinstance(value, int):
        # base-60 to Jekyll (YT001 reports that); the author meant the text
        return audio.parse_duration(scalar.text) if ":" in scalar.text else value
    return None


def _declared_size(scalar: yaml11.Scalar) -> int | None:
    value = scalar.value
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return yaml11.whole_number(value.strip())
    return None


@rule(
    "EP001",
    "placeholder-value",
    Severity.ERROR,
    fix=FixAvailability.SAFE,
    supersedes=("FM012", "FM013", "FD002", "FD007"),
    episodes_only=True,
)
def placeholder_value(ctx: Context) -> Iterator[Finding]:
    """A template leftover: a zero duration, a zero byte size, or TODO in the text.

    Why: Jekyll publishes what is written: `duration: "00:00"` gives the feed
    `<itunes:duration>00:00</itunes:duration>` and `audio_file_size: 0` gives
    `<enclosure length="0">`, so podcast apps show a zero-length episode or refuse the
    enclosure; a `TODO` in the title or description is shown to every listener.

    Example: `duration: "00:00"` and `audio_file_size: 0` copied from the template.

    Fix: safe when the value can be measured from the audio file in the site (the real
    byte count, the real duration); otherwise a suggestion.
    """
    duration = facts.field(ctx, "duration")
    if duration is not None and duration.scalar is not None and declared_seconds(duration.scalar) == 0:
        scalar = duration.scalar
        yield Finding(
            f"{_shown(ctx, duration)} is a template placeholder (a zero length)"
            f"{_feed(ctx, duration, scalar.value)}",
            scalar.span,
            facts.measured_fix(ctx, duration.info, scalar.span, "write the episode's real length"),
        )
    size = facts.field(ctx, "audio-size")
    if size is not None and size.scalar is not None and _declared_size(size.scalar) == 0:
        scalar = size.scalar
        yield Finding(
            f"{_shown(ctx, size)} is a template placeholder (zero bytes){_feed(ctx, size, scalar.value)}",
            scalar.span,
            facts.measured_fix(ctx, size.info, scalar.span, "write the audio file's size in bytes"),
        )
    for role in ("title", "description"):
        found = facts.field(ctx, role)
        text = found.scalar if found is not None else None
        if found is None or text is None or not isinstance(text.value, str):
            continue
        match = _PLACEHOLDER_WORD.search(text.value)
        if match is not None:
            yield Finding(
                f"`{found.info.name}` still contains the placeholder `{match.group(1)}`: "
                "the page and the feed show it to listeners",
                text.span,
                Fix.suggestion(f"replace `{match.group(1)}` with the real text"),
            )


def _did_you_mean(name: str, candidates: Iterable[str], otherwise: str) -> Fix:
    """Suggest the candidate nearest to ``name`` (a third of its length may differ)."""
    near = closest(name, sorted(candidates), limit=max(2, len(name) // 3))
    return Fix.suggestion(f"did you mean `{near}`?" if near else otherwise)


def _is_post(ctx: Context) -> str | None:
    return facts.post_entry(ctx)


@rule(
    "EP002",
    "future-date",
    Severity.WARNING,
    fix=FixAvailability.SUGGESTION,
    site_inputs=(CONFIG,),
    episodes_only=True,
)
def future_date(ctx: Context) -> Iterator[Finding]:
    """The post is dated after now: Jekyll skips it until a build after that time.

    Why: Jekyll's publisher hides posts whose date is later than the build time; it logs
    `Skipping: _posts/… has a future date` and the episode is missing from the site and
    the feed. `future: true` in `_config.yml` publishes them anyway (then this rule is
    silent).

    Example: `date: 2099-01-01 10:00:00 +0900`, or a typo in the year.

    Fix: suggestion: correct the date, or set `future: true` if scheduling is intended.
    """
    site = ctx.site
    if site is None or site.future or _is_post(ctx) is None:
        return
    when = facts.publication_date(ctx)
    if when is None:
        return
    now = dt.datetime.now(dt.timezone.utc)
    if when.instant <= now:
        return
    local = posts.in_zone(when.instant, posts.site_zone(site)).strftime("%Y-%m-%d %H:%M:%S %z")
    span = when.node.span if when.node is not None else _START
    yield Finding(
        f"the post is dated {local} ({when.source}), after now: Jekyll skips it "
        '("has a future date") and it is missing from the site and the feed until a build '
        "after that time (unless `future: true` is set in _config.yml)",
        span,
        Fix.suggestion("correct the date, or set `future: true` in _config.yml to publish it"),
    )


@rule(
    "EP003",
    "bad-post-filename",
    Severity.ERROR,
    fix=FixAvailability.SUGGESTION,
    site_inputs=(CONFIG,),
    episodes_only=True,
)
def bad_post_filename(ctx: Context) -> Iterator[Finding]:
    """A file in `_posts/` whose name Jekyll does not read as a post.

    Why: Jekyll only reads files in `_posts/` whose name matches
    `YYYY-MM-DD-title.ext` (`DATE_FILENAME_MATCHER`: 2-4 digit year, 1-2 digit month and
    day, a dash, a title, an extension), and skips names starting with `_`, `.`, `#`, `~`
    or ending with `~`. Anything else is **silently not published**: no page, no feed entry.

    Example: `_posts/2022-10-01.md` (no title part), `_posts/57.md`.

    Fix: suggestion: the right name, e.g. `_posts/2022-10-01-57.md`.
    """
    entry = _is_post(ctx)
    site = ctx.site
    if entry is None or site is None:
        return
    reason = posts.skipped_reason(entry, site.include)
    if reason is None:
        return
    yield Finding(
        f"`{ctx.site_path}` is never published: {reason}",
        _START,
        Fix.suggestion(f"rename it to `{_suggested_name(ctx, entry)}`"),
    )


def _suggested_name(ctx: Context, entry: str) -> str:
    folder, _, base = entry.rpartition("/")
    stem, dot, ext = base.lstrip("_.#~").rstrip("~").rpartition(".")
    if not dot:
        stem, ext = base.lstrip("_.#~").rstrip("~"), "md"
    date_prefix = re.match(r"[0-9]{2,4}-[0-9]{1,2}-[0-9]{1,2}", stem)
    when = facts.front_matter_date(ctx)
    title = facts.field(ctx, "title")
    number = episodes.from_title(title.scalar.value if title and title.scalar else None)
    slug = str(number).replace(".", "_") if number is not None else "title"
    if date_prefix is not None:
        rest = stem[date_prefix.end() :].lstrip("-_ ") or slug
        name = f"{date_prefix.group(0)}-{rest}.{ext}"
    elif when is not None:
        day = posts.in_zone(when.instant, posts.site_zone(ctx.site)).date().isoformat()
        name = f"{day}-{stem or slug}.{ext}"
    else:
        name = f"YYYY-MM-DD-{stem or slug}.{ext}"
    prefix = ctx.site_path[: len(ctx.site_path) - len(entry)]
    return f"{prefix}{folder + '/' if folder else ''}{name}"


@rule(
    "EP004",
    "filename-date-mismatch",
    Severity.WARNING,
    fix=FixAvailability.SUGGESTION,
    site_inputs=(CONFIG,),
    episodes_only=True,
)
def filename_date_mismatch(ctx: Context) -> Iterator[Finding]:
    """The date in the file name is neither the front-matter date's day nor its day on the site's clock.

    Why: Jekyll takes the date from the front matter when there is one and ignores the
    file-name date: the feed's `<pubDate>` and the episode order follow `date:`, while
    the file name suggests another day. Usually one of them is a copy-paste leftover. A
    file named by the author's local day is no mismatch: when the day of `date:` in its
    own offset (`2019-09-04 19:00:00 -0500`, a team in Chicago) or on the site's clock
    (the day Jekyll publishes it) is the file-name day, the rule is silent; so it is when
    the file is named after another date the post records (`rec_date:`).

    Example: `_posts/2022-10-01-57.md` with `date: 2022-10-08 20:00:00 +0900`.

    Fix: suggestion: rename the file or correct the date.
    """
    if _is_post(ctx) is None:
        return
    named = facts.file_name_date(ctx)
    declared = facts.front_matter_date(ctx)
    field = facts.field(ctx, "date")
    if named is None or declared is None or declared.node is None or field is None:
        return
    # With a `timezone`, Jekyll builds in that zone and the day there is the published day;
    # without one it builds in the machine's zone, unknown here. The author wrote the day
    # in the date's own offset. Either agreeing with the file name is no mismatch.
    site = ctx.site
    local = posts.on_site_clock(declared.instant, site)
    agreeing = {local.date()}
    if _written_offset(declared.node):  # the day in the offset the author wrote
        agreeing.add(declared.instant.date())
    if named in agreeing or _names_another_date(ctx, named, field.info.name):
        return
    where = f" in {site.timezone}" if site is not None and site.zone is not None else ""
    yield Finding(
        f"the file name says {named.isoformat()} but `{field.info.name}` "
        f"is {local.strftime('%Y-%m-%d %H:%M:%S %z')}{where}: Jekyll uses the front-matter "
        f"date, so the feed's <pubDate> and the episode order say {local.date().isoformat()}",
        declared.node.span,
        Fix.suggestion(f"rename the file to start with {local.date().isoformat()}, or correct the date"),
    )


def _written_offset(node: yaml11.Scalar) -> bool:
    """True when the date value carries its own UTC offset (a timestamp written with one)."""
    value = node.value
    if isinstance(value, yaml11.PsychTime):
        return value.has_offset
    match = posts.CANONICAL_DATE.match(value.strip()) if isinstance(value, str) else None
    return match is not None and match.group(7) is not None


def _names_another_date(ctx: Context, named: dt.date, date_key: str) -> bool:
    """True when another top-level date of the post (``rec_date:``, ``recorded:``) has the
    file-name day: the file is named after that date on purpose, not by a slip."""
    zone = posts.site_zone(ctx.site)
    for name, pair in ctx.doc.fields.items():
        value = pair.value
        if name == date_key or not isinstance(value, yaml11.Scalar):
            continue
        instant = posts.scalar_instant(value, zone)
        if instant is not None and named in (instant.date(), posts.on_site_clock(instant, ctx.site).date()):
            return True
    return False


@collection_rule("EP005", "episode-number-mismatch", Severity.ERROR, fix=FixAvailability.SUGGESTION)
def episode_number_mismatch(ctx: CollectionContext) -> Iterator[Finding]:
    """The episode number in the title disagrees with the audio file name or the id field.

    Why: the page and the feed entry titled "57. …" then link another episode's audio
    (or carry another episode's id). Titles are numbered in many styles (`57. `, `57 `,
    `第57回`, `ep.57`, `Episode 57:`, after-shows `4.5.`, parts `2-1.`) and audio files
    too (`057.mp3`, `4_5.mp3`, `006-1.mp3`, `xrfm_057.mp3`). One feed often holds several
    series — a side show whose files are `botayama001.mp3`, specials `sp001.mp3`,
    re-uploads `138_2.mp3` — so the numbers are compared only when the site shows they
    count the same episodes: most of its other posts (at least two, and three in four)
    carry matching numbers in the same place. Otherwise the rule stays silent. A part
    number missing on one side is not a conflict.

    Example: `title: 57. …` with `audio_file_path: /audio/058.mp3` in a site whose other
    episodes' files carry their own numbers.

    Fix: suggestion: correct whichever is wrong.
    """
    me, index = ctx.summary, ctx.index
    title = me.title
    pairs: list[tuple[Numbered, str, Numbered, str, Agreement]] = []
    if title is not None:
        if me.audio_number is not None:
            pairs.append((title, "title", me.audio_number, "audio-path", index.audio_agreement(me)))
        if me.field is not None:
            pairs.append((title, "title", me.field, "episode-number", index.field_agreement(me)))
    for left, left_role, right, right_role, agreement in pairs:
        if not agreement.shown or not left.number.conflicts(right.number):
            continue
        left_name, right_name = _role_name(ctx, left_role), _role_name(ctx, right_role)
        what = "audio" if right_role == "audio-path" else right_name
        yield Finding(
            f"`{left_name}` says episode {left.number} but `{right_name}: {right.text}` is episode "
            f"{right.number}: the page and feed entry for episode {left.number} carry episode "
            f"{right.number}'s {what} (the site's other posts match: {agreement.agreeing} of "
            f"{agreement.pairs})",
            left.span,
            Fix.suggestion(f"make `{left_name}` and `{right_name}` name the same episode"),
        )


def _role_name(ctx: CollectionContext, role: str) -> str:
    info = ctx.schema.field_for(role)
    return info.name if info is not None else role


@rule(
    "EP006",
    "unknown-actor",
    Severity.ERROR,
    fix=FixAvailability.SUGGESTION,
    site_inputs=(CONFIG, "_data", "_actors"),
    episodes_only=True,
)
def unknown_actor(ctx: Context) -> Iterator[Finding]:
    """An actor id the site does not define.

    Why: the layout looks each id up in the site's actors — the `actors:` map in
    `_config.yml`, `_data/actors.yml`, or the documents of an `_actors/` collection
    (their `actor_id`, else the file name). An unknown id matches nothing and the page
    **silently shows no one** for it. Sites that define actors nowhere are not checked.

    Example: `actor_ids: [alice, bobb]` where the site defines `alice` and `bob`.

    Fix: suggestion: the closest defined id.
    """
    site = ctx.site
    found = facts.field(ctx, "actors")
    if site is None or found is None or site.actors is None:
        return
    node = found.value
    items = node.items if isinstance(node, yaml11.Sequence) else (node,)
    for item in items:
        if not isinstance(item, yaml11.Scalar) or item.value is None:
            continue
        actor = rendered(item.value)
        if actor in site.actors or not actor.strip():
            continue
        known = ", ".join(f"`{a}`" for a in sorted(site.actors)[:8])
        yield Finding(
            f"actor `{actor}` is not defined by the site (it defines {known}"
            f"{', …' if len(site.actors) > 8 else ''}): the page silently shows no one for it",
            item.span,
            _did_you_mean(actor, site.actors, "define the actor, or use a defined id"),
        )


@rule(
    "EP007",
    "unknown-layout",
    Severity.ERROR,
    fix=FixAvailability.SUGGESTION,
    site_inputs=(CONFIG, "_layouts"),
    episodes_only=True,
)
def unknown_layout(ctx: Context) -> Iterator[Finding]:
    """The layout names no file in the site's `_layouts/`.

    Why: Jekyll warns `Build Warning: Layout 'x' requested in _posts/… does not exist.`
    and renders the page **without any layout**: no player, no site chrome. Checked only
    when the site has a `_layouts/` folder and no gem or remote theme (whose layouts
    epilint cannot see); `layout: none` is Jekyll's deliberate "no layout".

    Example: `layout: articel` where `_layouts/article.html` exists.

    Fix: suggestion: the closest existing layout.
    """
    site = ctx.site
    found = facts.field(ctx, "layout")
    if site is None or found is None or site.layouts is None or site.has_theme:
        return
    scalar = found.scalar
    if scalar is None or scalar.value is None:
        return
    name = rendered(scalar.value)
    if not name.strip() or name == "none" or name in site.layouts:
        return
    yield Finding(
        f"layout `{name}` does not exist in _layouts/: Jekyll warns \"Layout '{name}' requested "
        '… does not exist" and renders the page without any layout (no player)',
        scalar.span,
        _did_you_mean(name, site.layouts, "use one of the layouts in _layouts/"),
    )


def _audio_field(
    ctx: Context,
) -> tuple[RoleField, yaml11.Scalar, audio.Location, audio.Measurement | None] | None:
    located = facts.audio_of(ctx)
    found = facts.field(ctx, "audio-path")
    if located is None or found is None or found.scalar is None:
        return None
    return found, found.scalar, located[0], located[1]


@rule("EP008", "audio-missing", Severity.ERROR, fix=FixAvailability.SUGGESTION, episodes_only=True)
def audio_missing(ctx: Context) -> Iterator[Finding]:
    """The site-relative audio file does not exist, in a site that keeps its audio.

    Why: the feed's `<enclosure>` and the page's player point at a file that will not be
    deployed, so listeners get a 404. Only checked when the path's folder exists in the
    site (e.g. `audio/`, or a folder that already holds audio files); sites that host
    audio elsewhere (a CDN, `https://…` URLs) are not flagged.

    Example: `audio_file_path: /audio/058.mp3` when `audio/` holds only `057.mp3`.

    Fix: suggestion: the closest existing audio file in that folder.
    """
    got = _audio_field(ctx)
    if got is None or ctx.site is None:
        return
    found, scalar, location, _ = got
    if location.where is not audio.Where.MISSING or not audio.keeps_audio(ctx.site, location.site_path):
        return
    near = ctx.site.nearest_file(location.site_path, audio.AUDIO_EXTENSIONS)
    yield Finding(
        f"{_shown(ctx, found)} does not exist in the site: the feed's <enclosure> and the player "
        "point at a missing file, so listeners get a 404",
        scalar.span,
        Fix.suggestion(f"did you mean `{near}`?" if near else "add the audio file or correct the path"),
    )


@rule(
    "EP009",
    "audio-size-mismatch",
    Severity.ERROR,
    fix=FixAvailability.SAFE,
    supersedes=("FD002",),
    episodes_only=True,
)
def audio_size_mismatch(ctx: Context) -> Iterator[Finding]:
    """The declared byte size differs from the audio file's real size.

    Why: the feed's `<enclosure length>` is copied from the field; podcast apps use it
    to show download sizes and some verify it, so a wrong length means a broken or
    truncated download report.

    Example: `audio_file_size: 48211455` for a file of 48211456 bytes.

    Fix: safe: the real byte count.
    """
    size = facts.field(ctx, "audio-size")
    got = _audio_field(ctx)
    if size is None or size.scalar is None or got is None or got[3] is None:
        return
    declared = _declared_size(size.scalar)
    if declared is None or declared == 0 or not isinstance(size.scalar.value, int):
        return
    measured = got[3].size
    if declared == measured:
        return
    feed = _feed(ctx, size, size.scalar.value)
    yield Finding(
        f"{_shown(ctx, size)} but `{got[2].site_path}` is {measured} bytes"
        + (f"{feed} for a file of {measured} bytes" if feed else ""),
        size.scalar.span,
        Fix.replace(f"set {size.info.name} to {measured} (measured)", size.scalar.span, str(measured)),
    )


@rule(
    "EP010",
    "audio-duration-mismatch",
    Severity.ERROR,
    fix=FixAvailability.SAFE,
    supersedes=("FD007",),
    episodes_only=True,
)
def audio_duration_mismatch(ctx: Context) -> Iterator[Finding]:
    """The declared duration differs from the audio file's by more than a second.

    Why: the feed's `<itunes:duration>` is copied from the field; apps show it before
    download and use it for progress, so a stale duration misleads listeners.

    Example: `duration: "45:30"` for a 01:02:03 recording.

    Fix: safe: the measured duration, quoted, as `HH:MM:SS` (or `MM:SS` under an hour when
    the site writes durations that way).
    """
    duration = facts.field(ctx, "duration")
    got = _audio_field(ctx)
    if duration is None or duration.scalar is None or got is None or got[3] is None:
        return
    seconds = got[3].duration
    declared = declared_seconds(duration.scalar)
    if seconds is None or not declared or abs(declared - seconds) <= 1:
        return
    text = yaml11.double_quoted(facts.duration_text(ctx, seconds))
    yield Finding(
        f"{_shown(ctx, duration)} but `{got[2].site_path}` plays for {text.strip(chr(34))} "
        f"({seconds:.1f} s){_feed(ctx, duration, duration.scalar.value)}",
        duration.scalar.span,
        Fix.replace(f"set {duration.info.name} to {text} (measured)", duration.scalar.span, text),
    )


@rule("EP011", "audio-outside-site", Severity.ERROR, episodes_only=True)
def audio_outside_site(ctx: Context) -> Iterator[Finding]:
    """The audio path climbs out of the site root: it is never read or measured.

    Why: a site-relative path such as `/../../etc/passwd` (or one reaching a symlink that
    points outside the site) names a file Jekyll will not publish; epilint refuses to open
    anything outside the site it is checking, after resolving `..` and symlinks.

    Example: `audio_file_path: /audio/../../../x.mp3`.

    Fix: none; point the field at the audio file inside the site.
    """
    got = _audio_field(ctx)
    if got is None:
        return
    found, scalar, location, _ = got
    if location.where is not audio.Where.OUTSIDE:
        return
    target = f" (it resolves to {location.target})" if location.target else ""
    yield Finding(
        f"{_shown(ctx, found)} points outside the site{target}: the site cannot publish it, and "
        "epilint never opens or measures it",
        scalar.span,
    )
