"""Values epilint can compute for a field instead of asking the author.

The byte size (``audio-size`` role) and the duration (``duration`` role) are measured
from the episode's audio file when it exists inside the site. Without a site, or for
remote audio, there is nothing to compute and every fix stays a suggestion.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from epilint import yaml11

if TYPE_CHECKING:
    from epilint.audio import Location, Measurement
    from epilint.context import Context, Measured

MEASURABLE_ROLES = ("audio-size", "duration")


def audio_of(ctx: Context) -> tuple[Location, Measurement | None] | None:
    """Where the episode's audio is and, when it is in the site, its measurement
    (located once per document, however many rules ask)."""
    return ctx.shared(_audio_of)


def _audio_of(ctx: Context) -> tuple[Location, Measurement | None] | None:
    site = ctx.site
    found = ctx.field("audio-path")
    scalar = found.scalar if found is not None else None
    if site is None or scalar is None or not isinstance(scalar.value, str) or not scalar.value.strip():
        return None
    from epilint import audio

    location = audio.locate(site, scalar.value)
    if location.where is not audio.Where.FOUND or location.path is None:
        return location, None
    return location, audio.measure(site, location.path)


def value_for(ctx: Context, role: str) -> Measured | None:
    """The computed YAML value for the field with ``role``, or None when unknown."""
    if role not in MEASURABLE_ROLES:
        return None
    located = audio_of(ctx)
    if located is None:
        return None
    location, measurement = located
    if measurement is None:
        return None
    from epilint.context import Measured

    source = f"`{location.site_path}`"
    if role == "audio-size":
        return Measured(str(measurement.size), source)
    if measurement.duration is None:
        return None
    return Measured(yaml11.double_quoted(duration_text(ctx, measurement.duration)), source)


def duration_text(ctx: Context, seconds: float) -> str:
    """The measured duration written in the site's style (``MM:SS`` under an hour, if used)."""
    from epilint import audio

    info = ctx.schema.field_for("duration")
    style = ctx.site.duration_style(info.name) if ctx.site is not None and info is not None else None
    if style is None:
        found = ctx.field("duration")
        own = found.scalar.text if found is not None and found.scalar is not None else ""
        parsed = audio.parse_duration(own)
        if own.count(":") == 1 and parsed:
            style = "MM:SS"
    return audio.format_duration(seconds, style)
