"""Reading a file safely: regular files only, and never more than a bound.

Every file epilint reads — posts, ``_config.yml``, ``_data/``, ``_layouts/``, documents of
collections, the schema, the config file, its own caches — is read through ``read``. A
named pipe (FIFO) would block the run forever, a device (a symlink to ``/dev/zero``)
never ends, and a huge file exhausts memory: each is an ``OSError`` here instead, with a
message that says what the path is. The path is checked before it is opened (opening a
device can have effects of its own) and the open file again (the path may change between
the two); it is opened non-blocking, so even a FIFO put there in between cannot block.
"""

from __future__ import annotations

import errno
import os
import stat

StrPath = str | os.PathLike[str]


class NotRegular(OSError):
    """The path is not a regular file (a FIFO, a device, a socket, a folder)."""


class TooLarge(OSError):
    """The file is larger than the reader's bound."""


def kind(mode: int) -> str | None:
    """What a non-regular file is, in words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def is_regular(path: StrPath) -> bool:
    """True for a regular file (after symlinks); False for anything else or an error."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def read(path: StrPath, limit: int, *, head: bool = False) -> bytes:
    """The bytes of the regular file ``path``: at most ``limit`` of them.

    A larger file raises ``TooLarge``, unless ``head``: then its first ``limit`` bytes are
    the answer. Anything but a regular file raises ``NotRegular``; other failures raise
    the usual ``OSError``.
    """
    _check(path, os.stat(path).st_mode)
    flags = (
        os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    )
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        _check(path, info.st_mode)
        if info.st_size > limit and not head:
            raise TooLarge(errno.EFBIG, f"larger than {_size(limit)}", os.fspath(path))
        chunks: list[bytes] = []
        left = limit + (0 if head else 1)  # one byte more tells a file that grew meanwhile
        while left > 0:
            chunk = os.read(fd, min(left, max(info.st_size, 65536)))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        if head:
            return data[:limit]
        raise TooLarge(errno.EFBIG, f"larger than {_size(limit)}", os.fspath(path))
    return data


def read_text(path: StrPath, limit: int) -> str:
    """``read`` decoded as UTF-8 (a BOM dropped); UnicodeDecodeError for other bytes."""
    return read(path, limit).decode("utf-8-sig")


def _check(path: StrPath, mode: int) -> None:
    what = kind(mode)
    if what is not None:
        raise NotRegular(errno.EINVAL, f"not a regular file but {what}", os.fspath(path))


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MiB" if limit >= 1024 * 1024 else f"{limit} bytes"


def reason(exc: OSError) -> str:
    """An ``OSError`` from ``read`` (or any read) for people: ``not a regular file but a
    named pipe (FIFO)``, ``Permission denied``."""
    return exc.strerror or str(exc) or type(exc).__name__
