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
    keep_xattrs: bool = False,
    check: Callable[[], str | None] | None = None,
) -> None:
    """Replace ``target`` with ``data`` atomically.

    ``like``: give the new file that file's permission bits (exactly, whatever the umask)
    and, where allowed, its owner; otherwise the umask applies as for any new file.
    ``durable``: flush the data to disk before the rename. ``keep_xattrs``: copy the
    extended attributes of ``target`` (``Aborted`` when one cannot be copied). ``check``:
    called after the data is written and just before the rename; a reason (str) aborts
    the write with ``Aborted``. Raises OSError when the folder cannot be written; nothing is left behind
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
            _copy_identity(temp, like)
        if keep_xattrs:
            failed = copy_xattrs(target, temp)
            if failed is not None:
                raise Aborted(f"its extended attribute `{failed}` cannot be kept; it was not overwritten")
        if check is not None:
            reason = check()
            if reason is not None:
                raise Aborted(reason)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _copy_identity(temp: Path, like: os.stat_result) -> None:
    """Owner first (``chown`` clears set-user/group-ID bits), then the mode, exactly. As
    ``cp -p`` does, the set-ID bits are kept only when the owner could be kept too."""
    mode = stat.S_IMODE(like.st_mode)
    owned = True
    if hasattr(os, "chown"):
        try:
            os.chown(temp, like.st_uid, like.st_gid)
        except OSError:  # only root may give a file away
            owned = os.stat(temp).st_uid == like.st_uid and os.stat(temp).st_gid == like.st_gid
    if not owned:
        mode &= ~(stat.S_ISUID | stat.S_ISGID)
    os.chmod(temp, mode)


def copy_xattrs(source: Path, target: Path) -> str | None:
    """Copy every extended attribute of ``source`` to ``target`` (user attributes, POSIX
    ACLs); the first one that cannot be copied, by name, or None. ``security.*`` labels
    (SELinux, SMACK) are the kernel's to give the new file: copied where allowed, and
    never a reason to refuse."""
    if not hasattr(os, "listxattr"):  # pragma: no cover - not Linux
        return None
    try:
        names = os.listxattr(source)
    except OSError:
        return None  # the file system has none
    for name in names:
        try:
            os.setxattr(target, name, os.getxattr(source, name))
        except OSError:
            if not name.startswith("security."):
                return name
    return None


def clean_stale(folder: Path, *, older_than: float = 60.0) -> list[str]:
    """Remove the temporary files that ``write`` left in ``folder`` when its run was killed:
    those whose process is gone and that are older than ``older_than`` seconds (a live
    run's file, or one of another machine's run on a shared folder, is never touched).
    The names removed."""
    import time

    removed: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        match = TEMPORARY.match(entry.name)
        if match is None:
            continue
        pid = int(entry.name.rsplit(".epilint-", 1)[1].split("-", 1)[0])
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode) or now - info.st_mtime < older_than or _alive(pid):
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
            removed.append(entry.name)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # someone else's process, or not a PID we can ask about: keep the file
    return True


def write_quietly(target: Path, data: bytes) -> bool:
    """``write`` for caches: False instead of an error when the folder cannot be written
    (a read-only checkout, a full disk)."""
    try:
        write(target, data)
    except OSError:
        return False
    return True
