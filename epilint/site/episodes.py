"""Episode numbers as people write them in titles, audio file names and id fields.

Real sites number episodes in many ways: ``57. Title``, ``57 Title``, ``第57回「…」``,
``ep.57``, ``Episode 39: …``, ``4.5. Aftershow`` (an after-show between 4 and 5) and
``2-1. …`` (part 1 of episode 2); audio files are ``057.mp3``, ``4_5.mp3``,
``006-1.mp3``, ``xrfm_026.mp3`` or ``MobileAndBeer_Ep01.mp3``. Every function here returns
``None`` when it is not sure, so a rule comparing two numbers only speaks when both are
certain. Collection rules reuse these functions to compare numbers across posts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

_DIGITS = "[0-9]"


@dataclass(frozen=True, slots=True, order=True)
class EpisodeNumber:
    """``main`` with an optional ``sub`` part: 57 → (57, None), ``4.5`` → (4, 5), ``2-1`` → (2, 1)."""

    main: int
    sub: int | None = None

    def __str__(self) -> str:
        return str(self.main) if self.sub is None else f"{self.main}.{self.sub}"

    def conflicts(self, other: EpisodeNumber) -> bool:
        """True only when the two numbers certainly name different episodes.

        ``6-1`` and ``6`` do not conflict (an episode split into parts may share one
        number on one side); ``6-1`` and ``6-2``, or ``5`` and ``6``, do.
        """
        if self.main != other.main:
            return True
        return self.sub is not None and other.sub is not None and self.sub != other.sub


# A number at the very start of a title, followed by a delimiter that cannot be part of a
# longer number or word: `57. `, `57 `, `4.5. `, `10.5 AfterShow`, `2-1. `, `12: `, `3、`.
_TITLE_LEADING = re.compile(
    rf"(?P<n>{_DIGITS}{{1,4}})(?:(?P<sep>[.\-_])(?P<sub>{_DIGITS}{{1,2}}))?"
    r"(?P<end>[.:：、)）](?![0-9])|\s|\Z)"
)
# Words that announce a number: `ep.57`, `EP57`, `Episode 39:`, `#12`, Hebrew `פרק 11`.
_TITLE_WORD = re.compile(
    rf"(?:episode|ep|#|פרק)\s*\.?\s*#?\s*(?P<n>{_DIGITS}{{1,4}})"
    rf"(?:(?P<sep>[.\-_])(?P<sub>{_DIGITS}{{1,2}}))?(?![0-9A-Za-z])",
    re.IGNORECASE,
)
# `第57回`, `第57話`.
_TITLE_KANJI = re.compile(rf"第\s*(?P<n>{_DIGITS}{{1,4}})\s*[回話]")

# Audio file stems: `057`, `4_5`, `006-1`, `xrfm_026`, `gaikiyokufm-0001`, `MobileAndBeer_Ep01`.
_AUDIO_STEM = re.compile(
    rf"(?P<series>[A-Za-z][A-Za-z_\-]*?[-_]?)?(?P<n>{_DIGITS}{{1,4}})(?:(?P<sep>[-_.])(?P<sub>{_DIGITS}{{1,2}}))?"
)
_FIELD_VALUE = re.compile(rf"(?P<n>{_DIGITS}{{1,4}})(?:(?P<sep>[.\-_])(?P<sub>{_DIGITS}{{1,2}}))?")


def _number(match: re.Match[str]) -> EpisodeNumber:
    sub = match.groupdict().get("sub")
    return EpisodeNumber(int(match.group("n")), int(sub) if sub is not None else None)


def _looks_like_year(match: re.Match[str]) -> bool:
    digits = match.group("n")
    return match.groupdict().get("sub") is None and len(digits) == 4 and digits.startswith(("19", "20"))


def _normalise(text: str) -> str:
    # Full-width digits and punctuation (`５７．`) become ASCII, as NFKC does.
    return unicodedata.normalize("NFKC", text).strip()


def from_title(title: object) -> EpisodeNumber | None:
    """The episode number a title starts with (or announces with 第…回 / ep / #), if certain."""
    if not isinstance(title, str):
        return None
    text = _normalise(title)
    for pattern in (_TITLE_KANJI, _TITLE_WORD):
        match = pattern.match(text)
        if match is not None:
            return _number(match)
    match = _TITLE_LEADING.match(text)
    if match is None:
        return None
    if match.group("end") != "." and _looks_like_year(match):
        return None  # `2020 Goals`: a year, not an episode number
    return _number(match)


@dataclass(frozen=True, slots=True)
class AudioNumber:
    """A number in an audio file name, and the series its letters name: ``057.mp3`` is 57
    of series ``""``, ``botayama001.mp3`` 1 of ``"botayama"``, ``sp001.mp3`` 1 of ``"sp"``.
    Whether a series counts the same episodes as the titles is the site's to show
    (``SiteIndex``), never assumed."""

    series: str
    number: EpisodeNumber


def audio_number(path: object) -> AudioNumber | None:
    """The series and number an audio file name carries, if it carries exactly one."""
    if not isinstance(path, str) or not path.strip() or "{" in path:
        return None
    name = unquote(urlsplit(path.strip()).path).rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    match = _AUDIO_STEM.fullmatch(_normalise(stem))
    if match is None or _looks_like_year(match):
        return None
    series = re.sub(r"[-_]", "", match.group("series") or "").casefold()
    return AudioNumber(series, _number(match))


def from_audio_path(path: object) -> EpisodeNumber | None:
    """The episode number an audio file name carries (`/audio/057.mp3` → 57), if certain."""
    found = audio_number(path)
    return None if found is None else found.number


def from_field(value: object) -> EpisodeNumber | None:
    """An episode number written as a field value: ``57``, ``"057"``, ``"4.5"``, ``"2-1"``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return EpisodeNumber(value) if value >= 0 else None
    if not isinstance(value, str):
        return None
    match = _FIELD_VALUE.fullmatch(_normalise(value))
    return _number(match) if match is not None else None
