"""Reading a site's files the way Jekyll does, within bounds: UTF-8 text of regular files
(never a symlink, a FIFO or a device) of at most ``MAX_FILE`` bytes, and the front-matter
split (``Document::YAML_FRONT_MATTER_REGEXP``, document.rb)."""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from epilint.feed.rubyyaml import TooLarge, load
from epilint.feed.values import sanitize_input
from epilint.read import yaml11

MAX_FILE = 4 * 1024 * 1024
_FRONT_MATTER = re.compile(r"\A(---\s*\n.*?\n?)^((?:---|\.\.\.)\s*$\n?)", re.MULTILINE | re.DOTALL)


def _read_bounded(path: Path) -> bytes | None:
    """The bytes of a regular file (not a symlink) of at most MAX_FILE bytes, else None."""
    try:
        info = os.lstat(path)
    except OSError:
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
    data = _read_bounded(path)
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
