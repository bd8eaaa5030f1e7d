"""Code-point offsets ↔ LSP positions in UTF-16 (the default), UTF-8 and UTF-32."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from epilint.editor.positions import UTF8, UTF16, UTF32, TextPositions
from epilint.read.document import LineIndex

TEXT = "title: 日本語\n🎙: 10:06\r\nend\rlast"


def test_utf16_counts_astral_characters_twice() -> None:
    positions = TextPositions(TEXT)
    value = TEXT.index("10:06")
    assert positions.position(TEXT.index("日")) == (0, 7)
    assert positions.position(value) == (1, 4)  # 🎙 is two units, ": " two more
    assert positions.offset(1, 4) == value
    assert positions.position(TEXT.index("end")) == (2, 0)  # after CRLF
    assert positions.position(TEXT.index("last")) == (3, 0)  # after a lone CR
    assert positions.position(len(TEXT)) == (3, 4)


def test_other_encodings() -> None:
    value = TEXT.index("10:06")
    assert TextPositions(TEXT, UTF8).position(value) == (1, 6)
    assert TextPositions(TEXT, UTF32).position(value) == (1, 3)
    assert TextPositions(TEXT, UTF8).offset(1, 6) == value
    assert TextPositions(TEXT, UTF32).offset(1, 3) == value
    assert TextPositions(TEXT, "utf-7").encoding == UTF16  # unknown: LSP's default


def test_positions_outside_the_text_are_clamped() -> None:
    positions = TextPositions(TEXT)
    assert positions.offset(0, 999) == TEXT.index("\n")  # past the line end: its end
    assert positions.offset(99, 0) == len(TEXT)
    assert positions.offset(1, 1) == TEXT.index("🎙")  # inside a surrogate pair: its start
    assert positions.offset(-1, 5) == 0


def test_only_lsp_line_breaks_end_lines() -> None:
    text = "a\u2028b\x0cc\x85d\ne"
    positions = TextPositions(text)
    assert positions.position(text.index("d")) == (0, 6)
    assert positions.position(text.index("e")) == (1, 0)


@given(st.lists(st.sampled_from(["a", "日", "🎙", "\n", "\r", "\r\n", "\u2028", " "])).map("".join))
def test_round_trip_and_lines_agree_with_epilint(text: str) -> None:
    lines = LineIndex(text)
    for encoding in (UTF8, UTF16, UTF32):
        positions = TextPositions(text, encoding)
        for offset in range(len(text) + 1):
            if 0 < offset < len(text) and text[offset - 1 : offset + 1] == "\r\n":
                continue  # no position lies between the two characters of a CRLF
            line, character = positions.position(offset)
            assert positions.offset(line, character) == offset
            assert line + 1 == lines.position(offset)[0]
