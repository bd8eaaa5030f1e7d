"""Text that remembers where each of its characters came from in the file.

kramdown rebuilds the text it parses: a list item loses its marker and indentation, a
blockquote its ``>``, a table cell is split off its row, paragraph lines are joined
(``parser/kramdown/list.rb``, ``blockquote.rb``, ``table.rb``, ``paragraph.rb``). The
span parser then reads these rebuilt strings. To report a link's URL where the author
wrote it, every rebuilt string here is an ``MStr``: its text plus *runs*, each a start
index in the text and the file offset of that character. In a copied run the offsets go
up with the text; a run kramdown made up (a joining newline, spaces for a tab) maps every
character to one offset (stored as ``-1 - offset``).

An ``MStr`` can be appended to, like the Ruby strings kramdown appends to (``<<``); its
text is joined once, when read.
"""

from __future__ import annotations

from bisect import bisect_right


class MStr:
    __slots__ = ("_chunks", "_len", "_srcs", "_starts", "_text")

    def __init__(self, text: str = "", offset: int = 0) -> None:
        self._text: str | None = text
        self._chunks: list[str] = [text] if text else []
        self._len = len(text)
        self._starts: list[int] = [0] if text else []
        self._srcs: list[int] = [offset] if text else []

    @staticmethod
    def made_up(text: str, offset: int) -> MStr:
        """Text kramdown adds that is not in the file, placed at file offset ``offset``."""
        result = MStr()
        result.append_made_up(text, offset)
        return result

    # -- reading ------------------------------------------------------------------------

    @property
    def text(self) -> str:
        text = self._text
        if text is None:
            text = "".join(self._chunks)
            self._chunks = [text] if text else []
            self._text = text
        return text

    def __len__(self) -> int:
        return self._len

    def __repr__(self) -> str:
        return f"MStr({self.text!r})"

    def offset(self, index: int) -> int:
        """The file offset of the character at ``index`` (``len`` gives the offset just past
        the last character)."""
        if not self._starts:
            return 0
        if index >= self._len:
            return self.offset(self._len - 1) + 1 if self._len else 0
        run = bisect_right(self._starts, index) - 1
        src = self._srcs[run]
        if src < 0:
            return -1 - src
        return src + index - self._starts[run]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """File offsets of the text ``[start, end)``: from its first character to just past
        its last (an empty range sits at ``start``)."""
        first = self.offset(start)
        if end <= start:
            return first, first
        last = self.offset(end - 1) + 1
        run = bisect_right(self._starts, end - 1) - 1
        if run >= 0 and self._srcs[run] < 0 and run + 1 < len(self._starts):
            # Text kramdown made up in place of source text (a code span it rewrote in a
            # table cell) ends where the next copied text starts.
            following = self._srcs[run + 1]
            last = max(last, following if following >= 0 else -1 - following)
        return first, max(first, last)

    def contiguous(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` is one copied run of the file (so the file holds exactly
        this text at ``span(start, end)``)."""
        if end <= start:
            return True
        if not self._starts:
            return False
        run = bisect_right(self._starts, start) - 1
        if self._srcs[run] < 0:
            return False
        next_start = self._starts[run + 1] if run + 1 < len(self._starts) else self._len
        return end <= next_start

    # -- building -----------------------------------------------------------------------

    def _mark(self, start: int, src: int) -> None:
        starts, srcs = self._starts, self._srcs
        if starts:
            last = srcs[-1]
            if src >= 0 and last >= 0 and last + start - starts[-1] == src:
                return  # continues the last copied run
            if src < 0 and last == src:
                return  # continues the last made-up run at the same place
            if starts[-1] == start:
                srcs[-1] = src
                return
        starts.append(start)
        srcs.append(src)

    def append(self, other: MStr, start: int = 0, end: int | None = None) -> MStr:
        """Append ``other[start:end]`` with its offsets; returns self."""
        stop = other._len if end is None else min(end, other._len)
        if stop <= start:
            return self
        text = other._text
        if text is None:
            text = other.text
        if start or stop < other._len:
            text = text[start:stop]
        starts, srcs = other._starts, other._srcs
        base = self._len
        if len(starts) == 1:
            src = srcs[0]
            self._mark(base, src + start if src >= 0 else src)
        else:
            run = bisect_right(starts, start) - 1
            while run < len(starts) and starts[run] < stop:
                run_start = max(starts[run], start)
                src = srcs[run]
                if src >= 0:
                    src += run_start - starts[run]
                self._mark(base + run_start - start, src)
                run += 1
        self._chunks.append(text)
        self._len += len(text)
        self._text = None
        return self

    def append_made_up(self, text: str, offset: int) -> MStr:
        if text:
            self._mark(self._len, -1 - max(offset, 0))
            self._chunks.append(text)
            self._len += len(text)
            self._text = None
        return self

    def slice(self, start: int, end: int | None = None) -> MStr:
        stop = self._len if end is None else min(end, self._len)
        start = max(start, 0)
        if len(self._starts) == 1 and stop > start:
            src = self._srcs[0]
            text = self._text if self._text is not None else self.text
            result = MStr(text[start:stop])
            result._srcs[0] = src + start if src >= 0 else src
            return result
        if start == 0 and stop >= self._len:
            return self.copy()
        return MStr().append(self, start, stop)

    def copy(self) -> MStr:
        result = MStr()
        result._text = self.text
        result._chunks = list(self._chunks)
        result._len = self._len
        result._starts = list(self._starts)
        result._srcs = list(self._srcs)
        return result

    def end_offset(self) -> int:
        """The file offset just past the last character (for text added at the end)."""
        return self.offset(self._len)
