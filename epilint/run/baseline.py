"""The baseline: today's findings recorded once, so that only new ones are reported.

``--write-baseline FILE`` records every finding of the run; ``--baseline FILE`` (or
``baseline =`` in the config) hides the findings it records. A finding is recorded by
its rule code, its file (relative to the baseline's folder, so the baseline works from
any folder and in any checkout) and a fingerprint that does not depend on where in the
file it is: a digest of the code, the message (with line numbers taken out) and the
text of the lines it is on (blanks normalised). Editing or moving other parts of the
file keeps every fingerprint; changing the offending text itself makes a new finding.
Entries are matched as a multiset: two identical findings need two entries.

Entries that match nothing any more (fixed, or their file is gone) are *stale*: the run
lists them, and ``--write-baseline`` again drops them.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from epilint.errors import ConfigError
from epilint.lint.results import FileResult
from epilint.model import Violation

FORMAT = "epilint-baseline"
VERSION = 1
_LINE_REFERENCE = re.compile(r"\blines? [0-9]+(?:\s*[–-]\s*[0-9]+)?")
_BLANKS = re.compile(r"\s+")

#: The text of a linted file (None when it cannot be read again).
TextOf = Callable[[Path], "str | None"]


@dataclass(frozen=True, order=True)
class Entry:
    path: str
    code: str
    fingerprint: str
    message: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.path, self.code, self.fingerprint)


@dataclass(frozen=True)
class Applied:
    """A run's results with the baseline's findings taken out."""

    files: tuple[FileResult, ...]
    hidden: int
    stale: tuple[Entry, ...]


def fingerprint(violation: Violation, text: str | None, start: int, end: int) -> str:
    """The line-independent fingerprint of ``violation`` (its span is ``start``–``end``)."""
    lines = ""
    if text is not None:
        first = text.rfind("\n", 0, start) + 1
        last = text.find("\n", end)
        lines = _BLANKS.sub(" ", text[first : len(text) if last < 0 else last]).strip()
    message = _LINE_REFERENCE.sub("line #", violation.message)
    data = "\0".join((violation.code, message, lines)).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=10).hexdigest()


def relative(path: Path, folder: Path) -> str:
    return os.path.relpath(os.path.abspath(path), os.path.abspath(folder)).replace(os.sep, "/")


def entries(files: Iterable[FileResult], folder: Path, text_of: TextOf) -> list[Entry]:
    """One entry per violation of ``files``."""
    found: list[Entry] = []
    for file in files:
        if not file.violations:
            continue
        text = text_of(file.path)
        name = relative(file.path, folder)
        for v in file.violations:
            found.append(Entry(name, v.code, fingerprint(v, text, v.span.start, v.span.end), v.message))
    return sorted(found)


def write(target: Path, files: Sequence[FileResult], text_of: TextOf) -> int:
    """Record every finding of ``files`` in ``target``; the number recorded."""
    from epilint import atomic

    recorded = entries(files, target.parent, text_of)
    data = {
        "format": FORMAT,
        "version": VERSION,
        "findings": [
            {"path": e.path, "code": e.code, "fingerprint": e.fingerprint, "message": e.message}
            for e in recorded
        ],
    }
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic.write(target, text.encode("utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot write the baseline {target}: {exc.strerror or exc}") from None
    return len(recorded)


def load(path: Path) -> tuple[Entry, ...]:
    """The entries of a baseline file; a missing or malformed one is a ConfigError."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(64 * 1024 * 1024 + 1)
    except OSError as exc:
        raise ConfigError(
            f"cannot read the baseline {path}: {exc.strerror or exc} (write one with --write-baseline {path})"
        ) from None
    try:
        data = json.loads(raw)
        if data.get("format") != FORMAT or data.get("version") != VERSION:
            raise ValueError("not an epilint baseline (or from another version)")
        found = tuple(
            Entry(
                _str(item["path"]),
                _str(item["code"]),
                _str(item["fingerprint"]),
                _str(item.get("message", "")),
            )
            for item in data["findings"]
        )
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise ConfigError(f"the baseline {path} is not valid: {exc}") from None
    return found


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("a baseline field is not text")
    return value


def apply(path: Path, files: Sequence[FileResult], text_of: TextOf) -> Applied:
    """``files`` without the findings ``path`` records; which entries matched nothing."""
    recorded = load(path)
    folder = path.parent
    left = Counter(e.key for e in recorded)
    out: list[FileResult] = []
    hidden = 0
    linted: set[str] = set()
    for file in files:
        name = relative(file.path, folder)
        linted.add(name)
        if not file.violations or not any(key[0] == name for key in left):
            out.append(file)
            continue
        text = text_of(file.path)
        kept: list[Violation] = []
        for v in file.violations:
            key = (name, v.code, fingerprint(v, text, v.span.start, v.span.end))
            if left[key] > 0:
                left[key] -= 1
                hidden += 1
            else:
                kept.append(v)
        out.append(replace(file, violations=tuple(kept)) if len(kept) != len(file.violations) else file)
    stale: list[Entry] = []
    remaining = Counter({k: n for k, n in left.items() if n > 0})
    for entry in recorded:
        if remaining[entry.key] <= 0:
            continue
        if entry.path in linted or not (folder / entry.path).exists():
            stale.append(entry)
            remaining[entry.key] -= 1
    return Applied(tuple(out), hidden, tuple(stale))
