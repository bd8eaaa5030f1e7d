"""Reading a site's files the way Jekyll does, within bounds: UTF-8 text of regular files
(never a symlink, a FIFO or a device) of at most ``MAX_FILE`` bytes, and the front-matter
split (``Document::YAML_FRONT_MATTER_REGEXP``, document.rb).

Every read and every look at a file or folder goes through here (``read_bounded``,
``looked``), so a reading of the site can be ``recording()``: which files it read (with
a digest of their bytes, or as absent) and which files and folders it only looked at
(probed for front matter, listed) — all a prediction depends on, for a cache to check.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from epilint.read import yaml11

MAX_FILE = 4 * 1024 * 1024
_FRONT_MATTER = re.compile(r"\A(---\s*\n.*?\n?)^((?:---|\.\.\.)\s*$\n?)", re.MULTILINE | re.DOTALL)


@dataclass
class Inputs:
    """What one reading of a site depended on."""

    #: Files read, by path: the digest of their bytes (``digest``), "" when there was
    #: nothing to read (absent, not a regular file, too big, unreadable).
    read: dict[str, str] = field(default_factory=dict)
    #: Files and folders looked at without being read whole (probed, listed).
    looked: set[str] = field(default_factory=set)


_INPUTS: contextvars.ContextVar[Inputs | None] = contextvars.ContextVar("epilint_feed_inputs", default=None)


@contextmanager
def recording() -> Iterator[Inputs]:
    """Record every file read and every file or folder looked at while the block runs."""
    inputs = Inputs()
    token = _INPUTS.set(inputs)
    try:
        yield inputs
    finally:
        _INPUTS.reset(token)


def looked(path: Path | str) -> None:
    """Note that a reading looked at ``path`` (listed a folder, probed a file)."""
    inputs = _INPUTS.get()
    if inputs is not None:
        inputs.looked.add(os.fspath(path))


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def read_bounded(path: Path | str) -> bytes | None:
    """The bytes of a regular file (not a symlink) of at most MAX_FILE bytes, else None."""
    data = read_unrecorded(path)
    inputs = _INPUTS.get()
    if inputs is not None:
        inputs.read[os.fspath(path)] = "" if data is None else digest(data)
    return data


def read_unrecorded(path: Path | str) -> bytes | None:
    """``read_bounded`` without recording it (checking a recorded reading)."""
    try:
        info = os.lstat(path)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE:
        return None
    try:
        with open(path, "rb") as handle:
            return handle.read(MAX_FILE + 1)[:MAX_FILE]
    except OSError:
        return None


def read_text(path: Path) -> str | None:
    """A file as Jekyll reads it (UTF-8, a BOM dropped), or None (unreadable, too big,
    not a regular file, not valid UTF-8)."""
    from epilint.feed.values import sanitize_input

    data = read_bounded(path)
    if data is None:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    return sanitize_input(text)


@dataclass(frozen=True)
class SplitFile:
    """A file split at its front matter (``Document::YAML_FRONT_MATTER_REGEXP``)."""

    data: dict[str, object] | None
    body: str
    #: 1-based line of the body's first character.
    body_line: int
    problem: str | None = None


def split_front_matter(text: str, zone: dt.tzinfo) -> SplitFile:
    """Front matter and body; a front matter Psych refuses gives ``data=None`` (Jekyll logs
    the error and keeps the body)."""
    from epilint.feed.rubyyaml import TooLarge, load

    match = _FRONT_MATTER.match(text)
    if match is None:
        return SplitFile({}, text, 1)
    body = text[match.end() :]
    line = text.count("\n", 0, match.end()) + 1
    try:
        value = load(match.group(1), zone)
    except (yaml11.YamlError, TooLarge) as exc:
        return SplitFile(None, body, line, f"front matter is not YAML Jekyll reads: {exc}")
    if value is None:
        return SplitFile({}, body, line)
    if not isinstance(value, dict):
        return SplitFile(None, body, line, "front matter is not a mapping")
    return SplitFile(value, body, line)
