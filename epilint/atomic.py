"""Writing a file atomically: a temporary file in the same folder, then one rename.

Readers (another epilint run, an editor) see either the old file or the new one, never a
half-written one. Every file epilint writes goes through ``write``: the results cache,
the memo, the link cache and fixed posts. Temporary files are named
``.NAME.epilint-PID-XXXXXXXX.tmp``, so a run killed halfway leaves files that later runs
recognise (``is_temporary``) and never lint.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path

#: The temporary files ``write`` creates (``.results.json.epilint-123-ab12cd34.tmp``).
TEMPORARY = re.compile(r"\A\..+\.epilint-[0-9]+-[0-9a-f]{8}\.tmp\Z")


class Aborted(Exception):
    """``write``'s ``check`` refused the rename; carries its reason."""


def is_temporary(name: str) -> bool:
    """True for a file name that ``write`` uses for its temporary files."""
    return TEMPORARY.match(name) is not None


def write(
    target: Path,
    data: bytes,
    *,
    like: os.stat_result | None = None,
    durable: bool = False,
    check: Callable[[], str | None] | None = None,
) -> None:
    """Replace ``target`` with ``data`` atomically.

    ``like``: give the new file that file's permission bits (exactly, whatever the umask)
    and, where allowed, its owner; otherwise the umask applies as for any new file.
    ``durable``: flush the data to disk before the rename. ``check``: called after the
    data is written and just before the rename; a reason (str) aborts the write with
    ``Aborted``. Raises OSError when the folder cannot be written; nothing is left behind
    either way.
    """
    temp = target.with_name(f".{target.name}.epilint-{os.getpid()}-{os.urandom(4).hex()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 if like is None else 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if like is not None:
            os.chmod(temp, stat.S_IMODE(like.st_mode))
            if hasattr(os, "chown"):
                with contextlib.suppress(OSError):  # only root may give a file away
                    os.chown(temp, like.st_uid, like.st_gid)
        if check is not None:
            reason = check()
            if reason is not None:
                raise Aborted(reason)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def write_quietly(target: Path, data: bytes) -> bool:
    """``write`` for caches: False instead of an error when the folder cannot be written
    (a read-only checkout, a full disk)."""
    try:
        write(target, data)
    except OSError:
        return False
    return True
