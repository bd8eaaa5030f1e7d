"""Unified diffs of whole texts, with ``a/PATH``/``b/PATH`` headers that ``patch -p1`` and
``git apply`` accept (CRLF line breaks are kept; a missing final newline is marked)."""

from __future__ import annotations

import difflib
import re

_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")
_NO_NEWLINE = "\\ No newline at end of file\n"


def unified(before: str, after: str, path: str, context: int = 3) -> str:
    if before == after:
        return ""
    old, new = _LINE.findall(before), _LINE.findall(after)
    out: list[str] = []
    for line in difflib.unified_diff(old, new, f"a/{path}", f"b/{path}", n=context):
        if line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n" + _NO_NEWLINE)
    return "".join(out)
