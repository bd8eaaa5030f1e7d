"""What collection rules (CO…) need to know about every post of a site.

A ``Summary`` is the little a post contributes to whole-site checks: its episode
number, its audio path and its publication time, each with the span it came from. A
run summarises the files it lints anyway and reads the site's other posts only when a
collection rule needs them (pre-commit passes just the staged files, yet a new post
that reuses episode number 12 must still be caught). Summaries are plain data, so the
results cache can keep them and a warm run need not parse anything.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from epilint.model import Span
from epilint.site import episodes
from epilint.site.audio import is_remote


@dataclass(frozen=True, slots=True)
class Summary:
    site_path: str
    number: episodes.EpisodeNumber | None = None
    number_span: Span | None = None
    audio: str | None = None
    audio_span: Span | None = None
    #: Publication time as Unix seconds (front-matter date, else the file name's).
    published: float | None = None
    date_span: Span | None = None

    @property
    def spans(self) -> tuple[Span, ...]:
        """The spans the collection rules may report at."""
        return tuple(s for s in (self.number_span, self.audio_span, self.date_span) if s is not None)

    def to_json(self) -> list[Any]:
        number = None if self.number is None else [self.number.main, self.number.sub]
        return [
            self.site_path,
            number,
            _span_json(self.number_span),
            self.audio,
            _span_json(self.audio_span),
            self.published,
            _span_json(self.date_span),
        ]

    @staticmethod
    def from_json(data: Any) -> Summary:
        """The inverse of ``to_json``; raises ValueError/TypeError on damaged data."""
        site_path, number, number_span, audio, audio_span, published, date_span = data
        if not isinstance(site_path, str) or (audio is not None and not isinstance(audio, str)):
            raise ValueError("damaged summary")
        parsed = None
        if number is not None:
            main, sub = number
            parsed = episodes.EpisodeNumber(int(main), None if sub is None else int(sub))
        return Summary(
            site_path,
            parsed,
            _span_from(number_span),
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


def normalise_audio(raw: str) -> str:
    """One spelling per audio file: site paths without the leading slash, ``..`` folded."""
    text = raw.strip()
    if not text or "{" in text:
        return ""
    if is_remote(text):
        return text
    return posixpath.normpath("/" + text).lstrip("/")


class SiteIndex:
    """Every post of one site, summarised, with the groupings the CO rules ask for."""

    def __init__(self, summaries: Sequence[Summary]) -> None:
        self.summaries = tuple(sorted(summaries, key=lambda s: s.site_path))

    @cached_property
    def site_paths(self) -> frozenset[str]:
        return frozenset(s.site_path for s in self.summaries)

    @cached_property
    def by_number(self) -> dict[tuple[int, int | None], list[Summary]]:
        groups: dict[tuple[int, int | None], list[Summary]] = {}
        for summary in self.summaries:
            if summary.number is not None:
                groups.setdefault((summary.number.main, summary.number.sub), []).append(summary)
        return groups

    @cached_property
    def by_audio(self) -> dict[str, list[Summary]]:
        groups: dict[str, list[Summary]] = {}
        for summary in self.summaries:
            if summary.audio:
                groups.setdefault(summary.audio, []).append(summary)
        return groups

    @cached_property
    def mains(self) -> list[int]:
        """Distinct main episode numbers, ascending."""
        return sorted({s.number.main for s in self.summaries if s.number is not None})

    @cached_property
    def first_of_main(self) -> dict[int, Summary]:
        """For each main number, its whole episode (no sub part), else its first part."""
        chosen: dict[int, Summary] = {}
        for summary in self.summaries:
            number = summary.number
            if number is None:
                continue
            current = chosen.get(number.main)
            if current is None or _rank(summary) < _rank(current):
                chosen[number.main] = summary
        return chosen

    def previous_main(self, main: int) -> int | None:
        """The largest main number below ``main`` in the site."""
        import bisect

        mains = self.mains
        index = bisect.bisect_left(mains, main)
        return mains[index - 1] if index > 0 else None

    def next_main(self, main: int) -> int | None:
        import bisect

        mains = self.mains
        index = bisect.bisect_right(mains, main)
        return mains[index] if index < len(mains) else None


def _rank(summary: Summary) -> tuple[int, str]:
    assert summary.number is not None
    sub = summary.number.sub
    return (-1 if sub is None else sub, summary.site_path)


class Collections:
    """The run's site indexes, built lazily from the files linted plus the site's other posts.

    ``read`` summarises a post that the run did not lint (from the results cache when
    it can, else by reading and parsing it); each is read at most once per run.
    """

    def __init__(
        self,
        posts_of: Callable[[Path], Iterator[Path]],
        read: Callable[[Path], Summary | None],
        real: Callable[[Path], str],
    ):
        self._posts_of = posts_of
        self._read = read
        self._real = real
        #: By real path (a string: the same post reached by two paths is one post).
        self._known: dict[str, Summary | None] = {}
        self._indexes: dict[Path, SiteIndex] = {}

    def register(self, path: Path, summary: Summary | None) -> None:
        self._known[self._real(path)] = summary
        self._indexes.clear()

    def index(self, site_root: Path) -> SiteIndex:
        found = self._indexes.get(site_root)
        if found is None:
            summaries: list[Summary] = []
            for path in self._posts_of(site_root):
                key = self._real(path)
                if key not in self._known:
                    self._known[key] = self._read(path)
                summary = self._known[key]
                if summary is not None:
                    summaries.append(summary)
            found = SiteIndex(summaries)
            self._indexes[site_root] = found
        return found
