"""Find an episode's audio file in the site and measure it (byte size and duration).

The path comes from the field playing the ``audio-path`` role. Remote URLs are never
fetched; Liquid expressions are not paths; a path that climbs out of the site root
(``/../../etc/passwd``, or a symlink pointing outside) is refused before anything is
opened. Measurements are remembered by real path, size and modification time, so an
audio file shared by several posts is read once. mutagen is imported only when a file
is measured.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from epilint.site.jekyll import Site

AUDIO_EXTENSIONS = (".mp3", ".m4a", ".m4b", ".mp4", ".aac", ".ogg", ".oga", ".opus", ".wav", ".flac")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


class Where(str, Enum):
    """Where an audio path points."""

    REMOTE = "remote"  # a URL: hosted elsewhere, not measured offline
    TEMPLATE = "template"  # Liquid (`{{ site.audiourl }}/1.mp3`): not a path
    OUTSIDE = "outside"  # climbs out of the site root: never opened
    MISSING = "missing"  # inside the site, no such file
    FOUND = "found"


@dataclass(frozen=True, slots=True)
class Location:
    where: Where
    #: The site-relative path as written, decoded (`/audio/1.mp3`).
    site_path: str
    #: The real file, when FOUND.
    path: Path | None = None
    #: The real path a refused OUTSIDE path leads to (for the message), when known.
    target: str | None = None


@dataclass(frozen=True, slots=True)
class Measurement:
    """What the audio file really is: bytes always, duration when the format is readable."""

    size: int
    duration: float | None
    #: Why the duration could not be read, when it could not.
    problem: str | None = None


def is_remote(path: str) -> bool:
    """True when ``path`` is a URL (``https://…``, ``//cdn…``), not a path in the site: the
    one test of "remote" that audio, collection summaries and the results cache share."""
    return bool(_SCHEME.match(path)) or path.startswith("//")


def locate(site: Site, raw: str) -> Location:
    """Classify an ``audio-path`` value; only FOUND locations may be opened."""
    text = raw.strip()
    if "{{" in text or "{%" in text:
        return Location(Where.TEMPLATE, text)
    if is_remote(text):
        return Location(Where.REMOTE, text)
    site_path = unquote(urlsplit(text).path)
    inside = site.resolve_inside(site_path)
    if inside is None:
        return Location(Where.OUTSIDE, site_path, target=_target(site, site_path))
    try:
        exists = inside.is_file()
    except (OSError, ValueError):
        exists = False
    return Location(Where.FOUND if exists else Where.MISSING, site_path, inside if exists else None)


def _target(site: Site, site_path: str) -> str | None:
    try:
        return str((site.real_root / site_path.lstrip("/")).resolve())
    except (OSError, ValueError, RuntimeError):
        return None


def keeps_audio(site: Site, site_path: str) -> bool:
    """True when the site hosts its own audio where ``site_path`` points.

    The path's folder must exist inside the site and be a dedicated folder (``audio/``) or
    already hold audio files. Sites that serve audio from a CDN (``/1.mp3`` read by the
    layout as ``{{ site.audiourl }}/1.mp3``) keep no audio in the repository.
    """
    folder_path = site_path.rsplit("/", 1)[0] if "/" in site_path.strip("/") else ""
    folder = site.resolve_inside(folder_path) if folder_path.strip("/") else site.real_root
    if folder is None or not folder.is_dir():
        return False
    if folder != site.real_root:
        return True
    try:
        return any(p.suffix.lower() in AUDIO_EXTENSIONS for p in folder.iterdir() if p.is_file())
    except OSError:
        return False


def measure(path: Path) -> Measurement:
    """Size and duration of an (already located, inside-the-site) file, remembered by its
    path, size and modification time."""
    try:
        info = os.stat(path)
    except OSError as exc:
        return Measurement(0, None, f"cannot read the file: {exc.strerror or exc}")
    return _remembered(os.fspath(path), info.st_size, info.st_mtime_ns)


@lru_cache(maxsize=4096)
def _remembered(path: str, size: int, _mtime_ns: int) -> Measurement:
    return _measure(path, size)


def _measure(path: str, size: int) -> Measurement:
    """Read the duration with mutagen (the one place an audio file is opened)."""
    try:
        import mutagen
    except ImportError:  # pragma: no cover - mutagen is a dependency
        return Measurement(size, None, "mutagen is not installed")
    try:
        audio = mutagen.File(str(path))
    except Exception as exc:  # mutagen raises many types for damaged files
        return Measurement(size, None, f"not a readable audio file ({type(exc).__name__})")
    length = getattr(getattr(audio, "info", None), "length", None)
    if not isinstance(length, (int, float)) or length <= 0:
        return Measurement(size, None, "the audio format was not recognised")
    return Measurement(size, float(length))


def format_duration(seconds: float, style: str | None) -> str:
    """``HH:MM:SS``, or ``MM:SS`` for episodes under an hour when the site writes that."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if style == "MM:SS" and hours == 0:
        return f"{minutes:02d}:{secs:02d}"
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"


def parse_duration(text: str) -> int | None:
    """Seconds in ``HH:MM:SS``, ``MM:SS`` (minutes may exceed 59) or plain seconds."""
    parts = text.strip().split(":")
    if not 1 <= len(parts) <= 3 or not all(p.isascii() and p.isdigit() for p in parts):
        return None
    if any(len(p) > 18 for p in parts):  # no episode lasts 10^18 seconds; no unbounded int()
        return None
    numbers = [int(p) for p in parts]
    if len(numbers) == 3:
        return numbers[0] * 3600 + numbers[1] * 60 + numbers[2]
    if len(numbers) == 2:
        return numbers[0] * 60 + numbers[1]
    return numbers[0]
