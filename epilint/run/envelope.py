"""One versioned JSON envelope for every file epilint keeps between runs.

``{"format": KIND, "version": N, "key": KEY, "data": …}``: a file of another kind, another
format version or another key (a run with other settings, another epilint) is not read.
A missing, damaged or foreign file reads as None, never as an error; files are written
atomically (``epilint/atomic.py``) and a folder that cannot be written means no file.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import epilint
from epilint import atomic, files
from epilint.site.realpaths import escapes

FOLDER = ".epilint_cache"
#: A larger file is not read (a cache of 10,000 posts takes a few dozen MiB).
MAX_BYTES = 512 * 1024 * 1024
_CACHEDIR_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# epilint cache\n"


def folder_in(root: Path) -> Path | None:
    """``root``'s cache folder, or None when it is a symbolic link out of ``root`` (a
    committed ``.epilint_cache -> ~/.ssh`` must not make epilint write there)."""
    folder = root / FOLDER
    if escapes(folder, os.path.realpath(root)) is not None:
        return None
    return folder


@lru_cache(maxsize=1)
def code_stamp() -> tuple[tuple[str, int, int], ...]:
    """epilint's own code as (file, size, mtime_ns) of every module: part of every key, so
    another epilint (or one installed at another time, on another machine) never reads a
    file this one wrote, and a file written by hand or committed cannot be made to match."""
    package = Path(epilint.__file__).parent
    found = []
    for path in package.rglob("*.py"):
        info = path.stat()
        found.append((str(path.relative_to(package)), info.st_size, info.st_mtime_ns))
    return tuple(sorted(found))


def load(path: Path, kind: str, version: int, key: str | None = None) -> Any:
    """The ``data`` of the envelope at ``path``, or None when it is missing, damaged,
    of another kind or version, or made with another key."""
    try:
        envelope = json.loads(files.read(path, MAX_BYTES))
    except (OSError, ValueError, RecursionError):
        return None
    if (
        not isinstance(envelope, dict)
        or envelope.get("format") != kind
        or envelope.get("version") != version
        or envelope.get("key") != key
    ):
        return None
    return envelope.get("data")


def store(path: Path, kind: str, version: int, data: object, key: str | None = None) -> bool:
    """Write ``data`` in an envelope at ``path`` (the folder is created and marked as a
    cache that git ignores); False when it cannot be written."""
    payload = json.dumps(
        {"format": kind, "version": version, "key": key, "data": data},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in ((".gitignore", "*\n"), ("CACHEDIR.TAG", _CACHEDIR_TAG)):
            marker = folder / name
            if not marker.exists():
                marker.write_text(text, encoding="ascii")
    except OSError:
        return False
    atomic.clean_stale(folder)
    return atomic.write_quietly(path, payload)
