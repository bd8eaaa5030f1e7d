"""Code-point offsets ↔ LSP positions.

epilint's spans are code-point offsets (``model.Span``); LSP positions are a 0-based line
and a character offset counted in the code units the client and server agreed on at
``initialize`` (UTF-16 unless the client offered another): ``日本語`` is three UTF-16
units and nine UTF-8 units, ``🎙`` (outside the Basic Multilingual Plane) two UTF-16 units.
Lines end at ``\\r\\n``, ``\\r`` or ``\\n`` — LSP's line breaks and epilint's
(``read.document.LineIndex``) — so U+2028 or a form feed are characters of their line.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

_LINE_BREAK = re.compile(r"\r\n|\r|\n")

UTF8 = "utf-8"
UTF16 = "utf-16"
UTF32 = "utf-32"


def _utf16(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _utf8(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


_UNITS: dict[str, Callable[[str], int]] = {UTF8: _utf8, UTF16: _utf16, UTF32: len}


class TextPositions:
    """Offsets of one text as LSP positions in ``encoding``, and back."""

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.text = text
        self.encoding = encoding if encoding in _UNITS else UTF16
        self._units = _UNITS[self.encoding]
        self._starts = [0, *(m.end() for m in _LINE_BREAK.finditer(text))]

    def _line_end(self, line: int) -> int:
        """The offset where ``line``'s text ends (before its line break)."""
        end = self._starts[line + 1] if line + 1 < len(self._starts) else len(self.text)
        while end > self._starts[line] and self.text[end - 1] in "\r\n":
            end -= 1
        return end

    def position(self, offset: int) -> tuple[int, int]:
        """(line, character) of a code-point offset (clamped to the text)."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self._starts, offset) - 1
        start = self._starts[line]
        return line, self._units(self.text[start:offset])

    def offset(self, line: int, character: int) -> int:
        """The code-point offset of an LSP position; past the end of a line is its end,
        past the last line is the end of the text, inside a character is its start."""
        if line < 0:
            return 0
        if line >= len(self._starts):
            return len(self.text)
        start, end = self._starts[line], self._line_end(line)
        if self.encoding == UTF32:
            return min(start + max(character, 0), end)
        count = 0
        for index in range(start, end):
            width = self._units(self.text[index])
            if count + width > character:
                return index
            count += width
        return end
