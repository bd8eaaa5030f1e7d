"""What a post contributes to whole-site checks, as plain records (a leaf: it imports only
``model`` and the ``EpisodeNumber`` record): the episode numbers it carries (title,
episode-number field, audio file name), its audio path and its publication time, each
with the span it came from. ``site/collection.py`` makes and indexes them; the result
records and the results cache keep them, so a warm run need not parse anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from epilint.model import Span
from epilint.site.episodes import EpisodeNumber


@dataclass(frozen=True, slots=True)
class Numbered:
    """An episode number a post carries, where it is written, and the text it came from."""

    number: EpisodeNumber
    span: Span
    text: str
    #: For a number in an audio file name: the series its letters name (``""``, ``"sp"``).
    series: str = ""

    def to_json(self) -> list[Any]:
        return [self.number.main, self.number.sub, self.span.start, self.span.end, self.text, self.series]

    @staticmethod
    def from_json(data: Any) -> Numbered | None:
        if data is None:
            return None
        main, sub, start, end, text, series = data
        if not isinstance(text, str) or not isinstance(series, str):
            raise ValueError("damaged number")
        number = EpisodeNumber(int(main), None if sub is None else int(sub))
        return Numbered(number, Span(int(start), int(end)), text, series)


@dataclass(frozen=True, slots=True)
class Summary:
    site_path: str
    #: The number the title starts with (or announces: ``第57回``, ``ep.57``).
    title: Numbered | None = None
    #: The number of the schema's ``episode-number`` field, when there is one.
    field: Numbered | None = None
    #: The number in the audio file name, with its series.
    audio_number: Numbered | None = None
    audio: str | None = None
    audio_span: Span | None = None
    #: Publication time as Unix seconds (front-matter date, else the file name's).
    published: float | None = None
    date_span: Span | None = None

    @property
    def spans(self) -> tuple[Span, ...]:
        """The spans the collection rules may report at."""
        numbers = (n.span for n in (self.title, self.field, self.audio_number) if n is not None)
        return (*numbers, *(s for s in (self.audio_span, self.date_span) if s is not None))

    def to_json(self) -> list[Any]:
        return [
            self.site_path,
            *(None if n is None else n.to_json() for n in (self.title, self.field, self.audio_number)),
            self.audio,
            _span_json(self.audio_span),
            self.published,
            _span_json(self.date_span),
        ]

    @staticmethod
    def from_json(data: Any) -> Summary:
        """The inverse of ``to_json``; raises ValueError/TypeError on damaged data."""
        site_path, title, field, audio_number, audio, audio_span, published, date_span = data
        if not isinstance(site_path, str) or (audio is not None and not isinstance(audio, str)):
            raise ValueError("damaged summary")
        return Summary(
            site_path,
            Numbered.from_json(title),
            Numbered.from_json(field),
            Numbered.from_json(audio_number),
            audio,
            _span_from(audio_span),
            None if published is None else float(published),
            _span_from(date_span),
        )


def _span_json(span: Span | None) -> list[int] | None:
    return None if span is None else [span.start, span.end]


def _span_from(data: Any) -> Span | None:
    if data is None:
        return None
    start, end = data
    return Span(int(start), int(end))
