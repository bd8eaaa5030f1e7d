"""A file's bytes, read safely and decoded as Jekyll decodes a post.

Every failure to read or decode becomes a ``Document`` carrying an FM004 problem, never
an exception: one unreadable file is one violation, and the run goes on.
"""

from __future__ import annotations

from pathlib import Path

from epilint import files
from epilint.read.document import Document

#: Larger files are reported (FM004) instead of parsed: no episode page is this big.
MAX_FILE_BYTES = 16 * 1024 * 1024


def read_document(path: Path) -> Document:
    """Read and split one file; every failure becomes an FM004/FM001/FM002 document."""
    raw = read_bytes(path)
    return raw if isinstance(raw, Document) else decode_document(path, raw)


def read_bytes(path: Path) -> bytes | Document:
    """The file's bytes, or an FM004 document when it cannot be read, is not a regular
    file (a FIFO, a device) or is too big."""
    try:
        return files.read(path, MAX_FILE_BYTES)
    except files.TooLarge:
        return Document.unreadable(
            path, f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; not an episode page"
        )
    except OSError as exc:
        return Document.unreadable(path, f"cannot read the file: {files.reason(exc)}")


def split_bom(raw: bytes) -> tuple[bytes, bool]:
    """The bytes after a UTF-8 byte order mark, and whether there was one."""
    bom = raw.startswith(b"\xef\xbb\xbf")
    return (raw[3:] if bom else raw), bom


def decode_document(path: Path, raw: bytes) -> Document:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Document.unreadable(
            path, "the file is UTF-16, not UTF-8; Jekyll reads posts as UTF-8 and shows garbage"
        )
    body, bom = split_bom(raw)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = body[: exc.start].decode("utf-8", "replace")
        kind = "binary data" if b"\x00" in body[:8192] else "not valid UTF-8"
        return Document.unreadable(
            path,
            f"the file is {kind} (byte 0x{body[exc.start]:02x} at byte {exc.start + (3 if bom else 0)}); "
            "Jekyll reads posts as UTF-8",
            len(prefix),
            body.decode("utf-8", "replace"),
        )
    nul = text.find("\x00")
    if nul >= 0:
        return Document.unreadable(
            path, "the file contains NUL bytes (binary data); Jekyll reads posts as UTF-8 text", nul, text
        )
    return Document.parse(path, text, bom=bom)


def display_path(path: Path, cwd: Path | None = None) -> str:
    """``path`` relative to the current directory when below it, with ``/`` separators."""
    if not path.is_absolute():  # (cwd / path).relative_to(cwd), without the detour
        return path.as_posix()
    base = cwd or Path.cwd()
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()
