"""Text for people's terminals and logs, made safe to print.

A value, URL or file name may hold control characters: a newline that starts a line
``::error file=…::forged`` (a GitHub Actions workflow command when the text report runs
in Actions), ESC/OSC sequences that erase lines, set the title or the clipboard, bidi
overrides that make text read otherwise. ``printable`` writes each as a visible escape
(``\\n``, ``\\x1b``, ``\\u202e``); every other character, spaces of any script included,
stays as it is.
"""

from __future__ import annotations

import re

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# C0 and C1 controls and DEL, line and paragraph separators, bidi embeddings/overrides/isolates.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    named = _NAMED.get(ch)
    if named is not None:
        return named
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` on one line, with control characters written as visible escapes."""
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text
