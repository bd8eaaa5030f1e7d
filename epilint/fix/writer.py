"""Replace a post's bytes atomically, keeping its permissions, only if nobody changed it.

The new content goes to a temporary file in the same folder (``epilint/atomic.py``), gets
the original mode (and owner, where allowed), and replaces the file only when the file
still holds the exact bytes the fix was computed from. A symbolic link is kept: its
target is rewritten.
"""

from __future__ import annotations

import os
from pathlib import Path

from epilint import atomic


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
        atomic.write(target, content, like=info, durable=True)
    except OSError as exc:
        return f"cannot write the file: {exc.strerror or os.strerror(exc.errno or 0) or exc}"
    return None
