"""What collection rules (CO…) need to know about every post of a site.

A ``Summary`` is the little a post contributes to whole-site checks: the episode numbers
it carries (title, episode-number field, audio file name), its audio path and its
publication time, each with the span it came from. A
run summarises the files it lints anyway and reads the site's other posts only when a
collection rule needs them (pre-commit passes just the staged files, yet a new post
that reuses episode number 12 must still be caught). Summaries are plain data, so the
results cache can keep them and a warm run need not parse anything.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Protocol

from epilint.site.audio import is_remote
from epilint.site.summary import Numbered, Summary


def normalise_audio(raw: str) -> str:
    """One spelling per audio file: site paths without the leading slash, ``..`` folded."""
    text = raw.strip()
    if not text or "{" in text:
        return ""
    if is_remote(text):
        return text
    return posixpath.normpath("/" + text).lstrip("/")


#: A number source (the episode-number field, or an audio series) counts the same episodes as
#: the titles when, among the site's OTHER posts carrying both, at least this many agree ...
AGREEING_PAIRS = 2
#: ... and at least this share of them agree (a site's own evidence, never an assumption).
AGREEING_SHARE = 0.75


@dataclass(frozen=True, slots=True)
class Agreement:
    """How often a number source agrees with the titles among a site's posts."""

    pairs: int = 0
    agreeing: int = 0

    def without(self, summary_pairs: bool, summary_agrees: bool) -> Agreement:
        """The agreement among the other posts (leave the judged post out)."""
        return Agreement(self.pairs - summary_pairs, self.agreeing - summary_agrees)

    @property
    def shown(self) -> bool:
        """The site shows that this source counts the same episodes as its titles."""
        return self.agreeing >= AGREEING_PAIRS and self.agreeing >= AGREEING_SHARE * self.pairs


def agrees(title: Numbered, other: Numbered) -> bool:
    return title.number.main == other.number.main


#: An episode number as the groupings key it: (main, sub).
NumberKey = tuple[int, "int | None"]


class Index(Protocol):
    """What the collection rules ask about a site's posts. ``SiteIndex`` answers from
    every summary in memory; a run over a few posts of a large site answers from the
    store instead (``epilint/run/posts.py``), with the same answers."""

    def has(self, site_path: str) -> bool:
        """Whether a post of the site is at ``site_path``."""

    def titled(self, number: NumberKey) -> Sequence[Summary]:
        """The posts whose title carries ``number``, by site path."""

    def numbered(self, number: NumberKey) -> Sequence[Summary]:
        """The posts whose episode-number field carries ``number``, by site path."""

    def sharing_audio(self, audio: str) -> Sequence[Summary]:
        """The posts whose audio is ``audio``, by site path."""

    def first_of(self, main: int) -> Summary | None:
        """For a main title number, its whole episode (no sub part), else its first part."""

    def previous_main(self, main: int) -> int | None:
        """The largest main title number below ``main`` in the site."""

    def next_main(self, main: int) -> int | None:
        """The smallest main title number above ``main`` in the site."""

    def audio_agreement(self, summary: Summary) -> Agreement:
        """Among the site's other posts, how often the audio series of ``summary``'s file
        agrees with the titles."""

    def field_agreement(self, summary: Summary) -> Agreement:
        """Among the site's other posts, how often the episode-number field agrees with the titles."""


class SiteIndex:
    """Every post of one site, summarised, with the groupings the collection rules ask for.

    Episode numbers are the ones listeners see: the titles'. A site may number several
    series in one feed (a main show and a side show whose files are ``botayama001.mp3``,
    specials ``sp001.mp3``): an audio series, or the episode-number field, is compared with
    the titles only when the site's other posts show that it counts the same episodes.
    """

    def __init__(self, summaries: Sequence[Summary]) -> None:
        self.summaries = tuple(sorted(summaries, key=lambda s: s.site_path))

    # -- which number sources count the same episodes as the titles ------------------------

    @cached_property
    def site_paths(self) -> frozenset[str]:
        return frozenset(s.site_path for s in self.summaries)

    @cached_property
    def _audio_agreement(self) -> dict[str, Agreement]:
        found: dict[str, Agreement] = {}
        for summary in self.summaries:
            title, audio = summary.title, summary.audio_number
            if title is not None and audio is not None:
                seen = found.get(audio.series, Agreement())
                found[audio.series] = Agreement(seen.pairs + 1, seen.agreeing + agrees(title, audio))
        return found

    @cached_property
    def _field_agreement(self) -> Agreement:
        pairs = [(s.title, s.field) for s in self.summaries if s.title is not None and s.field is not None]
        return Agreement(len(pairs), sum(agrees(t, f) for t, f in pairs if t is not None and f is not None))

    def audio_agreement(self, summary: Summary) -> Agreement:
        """Among the site's other posts, how often the audio series of ``summary``'s file
        agrees with the titles."""
        audio = summary.audio_number
        if audio is None:
            return Agreement()
        title = summary.title
        found = self._audio_agreement.get(audio.series, Agreement())
        return found.without(title is not None, title is not None and agrees(title, audio))

    def field_agreement(self, summary: Summary) -> Agreement:
        """Among the site's other posts, how often the episode-number field agrees with the titles."""
        title, field = summary.title, summary.field
        both = title is not None and field is not None
        return self._field_agreement.without(
            both, both and title is not None and field is not None and agrees(title, field)
        )

    # -- the groupings ---------------------------------------------------------------------

    @cached_property
    def by_title_number(self) -> dict[tuple[int, int | None], list[Summary]]:
        return _group(self.summaries, lambda s: s.title)

    @cached_property
    def by_field_number(self) -> dict[tuple[int, int | None], list[Summary]]:
        return _group(self.summaries, lambda s: s.field)

    @cached_property
    def by_audio(self) -> dict[str, list[Summary]]:
        groups: dict[str, list[Summary]] = {}
        for summary in self.summaries:
            if summary.audio:
                groups.setdefault(summary.audio, []).append(summary)
        return groups

    @cached_property
    def mains(self) -> list[int]:
        """Distinct main title numbers, ascending."""
        return sorted({s.title.number.main for s in self.summaries if s.title is not None})

    @cached_property
    def first_of_main(self) -> dict[int, Summary]:
        """For each main title number, its whole episode (no sub part), else its first part."""
        chosen: dict[int, Summary] = {}
        for summary in self.summaries:
            if summary.title is None:
                continue
            main = summary.title.number.main
            current = chosen.get(main)
            if current is None or rank(summary) < rank(current):
                chosen[main] = summary
        return chosen

    # -- the questions (``Index``) -----------------------------------------------------------

    def has(self, site_path: str) -> bool:
        return site_path in self.site_paths

    def titled(self, number: NumberKey) -> Sequence[Summary]:
        return self.by_title_number.get(number, ())

    def numbered(self, number: NumberKey) -> Sequence[Summary]:
        return self.by_field_number.get(number, ())

    def sharing_audio(self, audio: str) -> Sequence[Summary]:
        return self.by_audio.get(audio, ())

    def first_of(self, main: int) -> Summary | None:
        return self.first_of_main.get(main)

    def previous_main(self, main: int) -> int | None:
        """The largest main title number below ``main`` in the site."""
        import bisect

        mains = self.mains
        index = bisect.bisect_left(mains, main)
        return mains[index - 1] if index > 0 else None

    def next_main(self, main: int) -> int | None:
        import bisect

        mains = self.mains
        index = bisect.bisect_right(mains, main)
        return mains[index] if index < len(mains) else None


def _group(
    summaries: Sequence[Summary], numbered: Callable[[Summary], Numbered | None]
) -> dict[tuple[int, int | None], list[Summary]]:
    groups: dict[tuple[int, int | None], list[Summary]] = {}
    for summary in summaries:
        found = numbered(summary)
        if found is not None:
            groups.setdefault((found.number.main, found.number.sub), []).append(summary)
    return groups


def rank(summary: Summary) -> tuple[int, str]:
    """The order of a main number's posts: the whole episode first, then its parts."""
    assert summary.title is not None
    sub = summary.title.number.sub
    return (-1 if sub is None else sub, summary.site_path)


#: A site's index from elsewhere (the store), given the run's own summaries by real
#: path; None when it cannot be had there (then it is built in memory).
Stored = Callable[[Path, Mapping[str, "Summary | None"]], "Index | None"]


class Collections:
    """The run's site indexes, built lazily from the files linted plus the site's other posts.

    ``read`` summarises a post that the run did not lint (from the results cache when
    it can, else by reading and parsing it); each is read at most once per run. ``keep``
    says which posts count (those the site's feed has an item for, when it is known).
    ``stored`` may answer a site's index instead (``epilint/run/posts.py``; it leaves out
    the posts ``keep`` does not count too).
    """

    def __init__(
        self,
        posts_of: Callable[[Path], Iterable[Path]],
        read: Callable[[Path], Summary | None],
        real: Callable[[Path], str],
        keep: Callable[[Path], bool] | None = None,
        stored: Stored | None = None,
    ):
        self._posts_of = posts_of
        self._read = read
        self._real = real
        #: Which posts count (not those the site's feed leaves out: they are no episodes).
        self._keep = keep
        self._stored = stored
        #: By real path (a string: the same post reached by two paths is one post).
        self._known: dict[str, Summary | None] = {}
        self._indexes: dict[Path, Index] = {}

    def register(self, path: Path, summary: Summary | None) -> None:
        self._known[self._real(path)] = summary
        self._indexes.clear()

    def index(self, site_root: Path) -> Index:
        found = self._indexes.get(site_root)
        if found is None and self._stored is not None:
            found = self._stored(site_root, self._known)
            if found is not None:
                self._indexes[site_root] = found
        if found is None:
            summaries: list[Summary] = []
            for path in self._posts_of(site_root):
                if self._keep is not None and not self._keep(path):
                    continue
                key = self._real(path)
                if key not in self._known:
                    self._known[key] = self._read(path)
                summary = self._known[key]
                if summary is not None:
                    summaries.append(summary)
            found = SiteIndex(summaries)
            self._indexes[site_root] = found
        return found
