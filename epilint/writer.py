"""Replace a file's bytes atomically, keeping its permissions, only if nobody changed it.

The new content goes to a temporary file in the same folder (so ``os.replace`` is an
atomic rename on the same file system), gets the original mode (and owner, where
allowed), and replaces the file only when the file still holds the exact bytes the
fix was computed from. A symbolic link is kept: its target is rewritten.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def replace_text(path: Path, expected: bytes, content: bytes) -> str | None:
    """Write ``content`` to ``path`` if it still holds ``expected``; the reason when not."""
    target = path.resolve()
    try:
        current = target.read_bytes()
        info = target.stat()
    except OSError as exc:
        return f"cannot read the file again: {exc.strerror or exc}"
    if current != expected:
        return "the file changed on disk while epilint was fixing it; it was not overwritten"
    if current == content:
        return None
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        return f"cannot create a temporary file next to it: {exc.strerror or exc}"
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, stat.S_IMODE(info.st_mode))
        if hasattr(os, "chown"):
            with contextlib.suppress(OSError):  # only root may give a file away
                os.chown(temporary, info.st_uid, info.st_gid)
        os.replace(temporary, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return f"cannot write the file: {exc.strerror or exc}"
    return None
