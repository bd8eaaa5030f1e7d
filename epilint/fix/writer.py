"""Replace a post's bytes atomically, keeping what the file is, only if nobody changed it.

The new content goes to a temporary file in the same folder (``epilint/atomic.py``), gets
the original owner (where allowed), mode and extended attributes, and replaces the file
only when the file still holds the exact bytes the fix was computed from: checked when
the file is read again, and once more after the temporary file is written, just before
the rename (same inode, size and modification time, same bytes), so an editor's save in
between is never lost. A symbolic link is kept: its target is rewritten.

Decided as editors do (README, "Fixing"):

- a read-only file (no write permission for its owner) is not fixed: vim and most
  editors refuse to overwrite it without being forced;
- a file with more than one hard link is not fixed: a rename would quietly split it from
  its other names (what ``sed -i`` does), and rewriting it in place (vim's
  ``backupcopy=auto``) would give up the atomic replacement;
- extended attributes (ACLs, SELinux labels, ``user.*``) are copied; a file whose
  attributes cannot all be copied is not fixed;
- set-user/group-ID bits are kept when the owner is kept (``cp -p``'s rule).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from epilint import atomic, files
from epilint.read.source import MAX_FILE_BYTES

CHANGED = "changed on disk while epilint was fixing it; it was not overwritten"


def _identity(info: os.stat_result) -> tuple[int, int, int, int]:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def replace_text(path: Path, expected: bytes, content: bytes) -> str | None:
    """Write ``content`` to ``path`` if it still holds ``expected``; the reason when not."""
    try:
        target = path.resolve()
        info = os.stat(target)
        current = files.read(target, MAX_FILE_BYTES)
    except (OSError, RuntimeError) as exc:
        reason = files.reason(exc) if isinstance(exc, OSError) else str(exc)
        return f"cannot read the file again: {reason}"
    if current != expected:
        return CHANGED
    if current == content:
        return None
    if not info.st_mode & stat.S_IWUSR:
        return "the file is read-only; it was not overwritten (make it writable to fix it)"
    if info.st_nlink > 1:
        return (
            f"the file has {info.st_nlink} hard links; replacing it would split it from the others, "
            "so it was not overwritten (see `epilint check --diff`)"
        )

    def unchanged() -> str | None:
        """Just before the rename: the file is still the one that was read."""
        try:
            now = os.stat(target)
            if _identity(now) != _identity(info) or files.read(target, MAX_FILE_BYTES) != expected:
                return CHANGED
        except OSError:
            return CHANGED
        return None

    atomic.clean_stale(target.parent)
    try:
        atomic.write(target, content, like=info, durable=True, keep_xattrs=True, check=unchanged)
    except atomic.Aborted as exc:
        return str(exc)
    except OSError as exc:
        return f"cannot write the file: {exc.strerror or os.strerror(exc.errno or 0) or exc}"
    return None
