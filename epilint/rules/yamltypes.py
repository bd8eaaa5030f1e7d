"""YT rules: plain YAML values that Jekyll (Ruby's Psych) reads as something else."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator

from epilint.lint import facts
from epilint.lint.context import Context
from epilint.lint.registry import FixAvailability, rule
from epilint.model import Applicability, Edit, Finding, Fix, Severity, Span
from epilint.read import yaml11
from epilint.site import posts, reading
from epilint.site.jekyll import CONFIG_NAME as CONFIG
from epilint.site.values import rendered

_QUOTE_TITLE = "quote it"


def _shown(path: tuple[str | int, ...], scalar: yaml11.Scalar) -> str:
    """How the value appears in the file: `duration: 45:30`, or `actor_ids[1]` `on`."""
    if len(path) == 1:
        return f"`{path[0]}: {scalar.text}`"
    if not path:
        return f"`{scalar.text}`"
    text = str(path[0])
    for part in path[1:]:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return f"`{text}` `{scalar.text}`"


def _feed(ctx: Context, path: tuple[str | int, ...], value: object) -> str:
    if len(path) != 1 or not isinstance(path[0], str):
        return ""
    return facts.feed_phrase(ctx.schema.fields.get(path[0]), value)


def _quote(ctx: Context, path: facts.YamlPath, scalar: yaml11.Scalar) -> Fix:
    """Quote the value — unless the schema would reject the quoted text too (a duration
    written `1:01:13.6` or `573.675125`): then quoting is no fix. A duration becomes the
    `HH:MM:SS` (or the site's `MM:SS`) of the seconds the author wrote, rounded (unsafe:
    it rounds); anything else is left to the author."""
    name = path[0] if len(path) == 1 else None
    if isinstance(name, str) and not ctx.schema.accepts(name, scalar.text):
        info = ctx.schema.fields.get(name)
        seconds = _written_seconds(scalar)
        if info is not None and info.role == "duration" and seconds is not None:
            text = yaml11.double_quoted(facts.duration_text(ctx, seconds))
            return Fix.replace(
                f"write it as {text} (quoting `{scalar.text}` would give text the schema rejects; "
                "the seconds are rounded)",
                scalar.span,
                text,
                safe=False,
            )
        return Fix.suggestion(f"write `{name}` as the schema expects (quoting `{scalar.text}` is not enough)")
    quoted = yaml11.double_quoted(scalar.text)
    span = scalar.span
    if ctx.doc.text[span.start : span.end].endswith(scalar.text):  # keep an anchor (`&b 45:30`)
        span = Span(span.end - len(scalar.text), span.end)
    return Fix(f"{_QUOTE_TITLE}: {quoted}", (Edit(span, quoted),), Applicability.SAFE)


def _written_seconds(scalar: yaml11.Scalar) -> float | None:
    """The length the author wrote, in seconds: `M:SS(.f)`, `H:MM:SS(.f)` or plain seconds."""
    parts = scalar.text.split(":")
    if not 1 <= len(parts) <= 3:
        return None
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        return None
    if any(not 0 <= n < math.inf for n in numbers):  # negative, infinite or NaN
        return None
    total = 0.0
    for number in numbers:
        total = total * 60 + number
    return total if 0 < total < 10**7 else None


def is_sexagesimal(scalar: yaml11.Scalar) -> bool:
    value = scalar.value
    return ":" in scalar.text and isinstance(value, (int, float)) and not isinstance(value, bool)


@rule(
    "YT001",
    "sexagesimal-number",
    Severity.ERROR,
    fix=FixAvailability.SAFE,
    supersedes=("FM012", "FM013", "FD007"),
)
def sexagesimal_number(ctx: Context) -> Iterator[Finding]:
    """An unquoted `a:b` or `a:b:c` is a base-60 number to Jekyll.

    Why: Ruby's Psych reads `duration: 10:06` as the integer 36360 (it takes `a:b` as
    hours and minutes, so 10 h 06 min), `45:30` as 163800, `00:08` as 480 and `01:26:19` as
    5179. The feed then says `<itunes:duration>36360</itunes:duration>`: podcast apps show a
    ten-hour episode. (PyYAML-based tools get this wrong too: they read 606.)

    Example: `duration: 45:30`.

    Fix: safe: quote it, `duration: "45:30"`.
    """
    for path, scalar in facts.plain_values(ctx):
        if not is_sexagesimal(scalar):
            continue
        value = scalar.value
        shown = rendered(value)
        two_parts = scalar.text.count(":") == 1
        hours = f" (read as {reading.base60_units(scalar.text)})" if two_parts else " (seconds)"
        yield Finding(
            f"{_shown(path, scalar)} is the base-60 number {shown}{hours} to Jekyll, "
            f'not the text "{scalar.text}"{_feed(ctx, path, value)}',
            scalar.span,
            _quote(ctx, path, scalar),
        )


@rule(
    "YT002",
    "octal-or-leading-zero",
    Severity.WARNING,
    fix=FixAvailability.SAFE,
    supersedes=("FM012", "FM013"),
)
def octal_or_leading_zero(ctx: Context) -> Iterator[Finding]:
    """A number written with leading zeros: Jekyll reads it as octal, or drops the zeros.

    Why: to Psych `001` is the integer 1, `010` is the octal integer **8**, and `008` (not
    valid octal) stays the text "008": a run of episode ids changes type and value mid-way.

    Example: `episode: 010`.

    Fix: safe: quote it, `episode: "010"` (or write the plain number).
    """
    for path, scalar in facts.plain_values(ctx):
        if not reading.has_leading_zeros(scalar.text):
            continue
        value = scalar.value
        what = reading.leading_zeros(scalar.text, value)
        yield Finding(
            f"{_shown(path, scalar)} is {what} to Jekyll{_feed(ctx, path, value)}",
            scalar.span,
            _quote(ctx, path, scalar),
        )


def _expects_text(ctx: Context, path: tuple[str | int, ...]) -> bool:
    if not path or not isinstance(path[0], str):
        return False
    info = ctx.schema.fields.get(path[0])
    if info is None:
        return False
    schema = info.schema
    if len(path) == 2 and isinstance(path[1], int):
        items = schema.get("items")
        schema = items if isinstance(items, dict) else {}
    elif len(path) != 1:
        return False
    kind = schema.get("type")
    kinds = [kind] if isinstance(kind, str) else list(kind) if isinstance(kind, list) else []
    return "string" in kinds and schema.get("format") != "jekyll-date" and len(kinds) == 1


@rule(
    "YT003",
    "implicit-type",
    Severity.WARNING,
    fix=FixAvailability.SAFE,
    supersedes=("FM012", "FM013"),
)
def implicit_type(ctx: Context) -> Iterator[Finding]:
    """A value meant as text that Jekyll reads as a boolean, null, number or date.

    Why: Psych resolves unquoted `yes`/`no`/`on`/`off` to true/false, `~` and `null` to
    nothing, `57` to an integer and `2022-09-10` to a Date. Where the schema expects text,
    the page shows `true`, nothing, or a reformatted date.

    Example: `title: 57`; `actor_ids: [on]`.

    Fix: safe: quote it.
    """
    for path, scalar in facts.plain_values(ctx):
        value = scalar.value
        if isinstance(value, str) or is_sexagesimal(scalar) or reading.has_leading_zeros(scalar.text):
            continue
        if not _expects_text(ctx, path) or (value is None and len(path) == 1):
            continue  # a top-level null is an empty field: FM011 says so
        if isinstance(value, bool):
            what = f"the boolean {rendered(value)}"
        elif value is None:
            what = "null (no value)"
        elif isinstance(value, yaml11.PsychTime):
            what = "a timestamp"
        elif isinstance(value, dt.date):
            what = "a Date"
        else:
            what = f"the number {rendered(value)}"
        yield Finding(
            f"{_shown(path, scalar)} is {what} to Jekyll, not text",
            scalar.span,
            _quote(ctx, path, scalar),
        )


@rule("YT004", "date-without-offset", Severity.ERROR, fix=FixAvailability.SAFE, site_inputs=(CONFIG,))
def date_without_offset(ctx: Context) -> Iterator[Finding]:
    """A timestamp without a UTC offset: Jekyll reads it as UTC.

    Why: Psych reads `date: 2022-09-20 20:00:00` as 20:00 **UTC**. A site in Tokyo then
    publishes it as `Wed, 21 Sep 2022 05:00:00 +0900`: the next day, and the post may be
    skipped as a future post until then.

    Example: `date: 2022-09-20 20:00:00` in a site with `timezone: Asia/Tokyo`.

    Fix: safe: append the site's offset for that date (from `timezone` in `_config.yml`);
    unsafe when the post's file name is dated the day the UTC reading gives and the offset
    would move the post to another day (the author may have meant UTC); a suggestion when
    the site has no time zone.
    """
    for path, scalar in facts.plain_values(ctx):
        value = scalar.value
        if not isinstance(value, yaml11.PsychTime) or value.has_offset:
            continue
        moment = value.to_datetime()
        site = ctx.site
        offset = site.utc_offset(moment.replace(tzinfo=None)) if site and moment else None
        if offset is None or moment is None or site is None:
            yield Finding(
                f"{_shown(path, scalar)} has no UTC offset, so Jekyll reads it as UTC",
                scalar.span,
                Fix.suggestion("append the site's UTC offset, e.g. ` +0900`"),
            )
            continue
        local = _local(moment, site.timezone or "UTC")
        named = _file_name_day(ctx, scalar)
        # The file name agrees with the UTC reading, and the offset changes the day.
        moves = posts.on_site_clock(moment, site).date() == named != moment.date()
        yield Finding(
            f"{_shown(path, scalar)} has no UTC offset, so Jekyll reads it as UTC: "
            f"this {site.timezone} site publishes it as {local}"
            + (f", the day its file name gives ({named})" if moves else ""),
            scalar.span,
            Fix(
                f"append the site's offset: {scalar.text} {offset}"
                + (f" (moves the post to {moment.date()})" if moves else ""),
                (Edit(Span(scalar.span.end, scalar.span.end), f" {offset}"),),
                Applicability.UNSAFE if moves else Applicability.SAFE,
            ),
        )


def _file_name_day(ctx: Context, scalar: yaml11.Scalar) -> dt.date | None:
    """The date in the post's file name, when ``scalar`` is the post's date field."""
    found = facts.field(ctx, "date")
    return facts.file_name_date(ctx) if found is not None and found.scalar is scalar else None


def _local(moment: dt.datetime, zone: str) -> str:
    from zoneinfo import ZoneInfo

    return posts.in_zone(moment, ZoneInfo(zone)).strftime("%a, %d %b %Y %H:%M:%S %z")
