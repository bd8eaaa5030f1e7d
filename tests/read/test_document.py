"""Document model: Jekyll's front-matter split, spans, line/column, odd encodings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from epilint.read import source as runner
from epilint.read import yaml11
from epilint.read.document import Document, LineIndex
from epilint.read.source import decode_document

P = Path("x.md")


def test_spans_of_keys_values_and_list_items() -> None:
    text = "---\nactor_ids:\n  - ysdyt\n  - にのぴら\ntitle: 57. 画像\n---\nbody\n"
    doc = Document.parse(P, text)
    pair = doc.fields["actor_ids"]
    assert text[pair.key.span.start : pair.key.span.end] == "actor_ids"
    assert isinstance(pair.value, yaml11.Sequence)
    item = pair.value.items[1]
    assert text[item.span.start : item.span.end] == "にのぴら"
    assert doc.lines.position(item.span.start) == (4, 5)
    title = doc.fields["title"].value
    assert doc.lines.position(title.span.start) == (5, 8)
    assert doc.body_text == "body\n"


def test_columns_count_code_points_after_japanese_text() -> None:
    text = "---\ntitle: 画像生成: x\n---\n"
    doc = Document.parse(P, text)
    assert doc.problem is not None
    assert doc.problem.code == "FM002"
    line, column = doc.lines.position(doc.problem.span.start)
    assert (line, column) == (2, 12)


def test_crlf_and_bom() -> None:
    raw = "\ufeff---\r\nduration: 45:30\r\ntitle: a\r\n---\r\nbody\r\n".encode()
    doc = decode_document(P, raw)
    assert doc.bom
    assert doc.problem is None
    value = doc.fields["duration"].value
    assert isinstance(value, yaml11.Scalar)
    assert value.value == 163800
    assert doc.text[value.span.start : value.span.end] == "45:30"
    assert doc.lines.position(value.span.start) == (2, 11)


def test_empty_value_points_after_the_colon() -> None:
    doc = Document.parse(P, "---\nduration:\nsize: \ntitle: t\n---\n")
    assert doc.lines.position(doc.fields["duration"].value.span.start) == (2, 10)
    assert doc.lines.position(doc.fields["size"].value.span.start) == (3, 7)


def test_line_index_handles_every_line_break() -> None:
    index = LineIndex("a\r\nb\rc\nd")
    assert [index.position(i) for i in (0, 3, 5, 7)] == [(1, 1), (2, 1), (3, 1), (4, 1)]
    assert index.line_count == 4


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("+++\ntitle = 'x'\n+++\n", "TOML"),
        ("---\ntitle: x\n", "never closed"),
        ("# Just markdown\n", "no front matter"),
        ("----\ntitle: x\n----\n", "`----`"),
    ],
)
def test_missing_front_matter_is_explained(text: str, fragment: str) -> None:
    doc = Document.parse(P, text)
    assert doc.problem is not None
    assert doc.problem.code == "FM001"
    assert fragment in doc.problem.message


def test_closing_dots_and_trailing_spaces_are_jekyll_delimiters() -> None:
    doc = Document.parse(P, "---  \ntitle: x\n...\nbody")
    assert doc.problem is None
    assert doc.data == {"title": "x"}
    assert doc.body_text == "body"


def test_empty_front_matter_is_an_empty_mapping() -> None:
    doc = Document.parse(P, "---\n---\nbody")
    assert doc.problem is None
    assert doc.readable
    assert doc.data == {}


def test_front_matter_that_is_a_list() -> None:
    doc = Document.parse(P, "---\n- a\n- b\n---\n")
    assert doc.problem is not None
    assert doc.problem.code == "FM002"
    assert "not a mapping" in doc.problem.message


def test_duplicate_keys_are_kept_in_the_tree_and_last_wins() -> None:
    doc = Document.parse(P, "---\nduration: '1'\nduration: '2'\n---\n")
    assert doc.data == {"duration": "2"}
    assert isinstance(doc.root, yaml11.Mapping)
    assert len(doc.root.pairs) == 2


def test_aliases_are_not_expanded_in_the_tree() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 30):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    doc = Document.parse(P, "---\n" + "\n".join(lines) + "\n---\n")
    assert doc.problem is not None
    assert doc.problem.code == "FM002"
    assert "alias" in doc.problem.message


def test_merge_keys_apply_like_psych() -> None:
    doc = Document.parse(P, "---\nbase: &b {layout: article, title: x}\npost:\n  <<: *b\n  title: y\n---\n")
    assert doc.data["post"] == {"layout": "article", "title": "y"}


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b"\xff\xfe-\x00-\x00-\x00", "UTF-16"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"---\ntitle: caf\xe9\n---\n", "not valid UTF-8"),
        (b"---\ntitle: a\x00b\n---\n", "NUL"),
    ],
)
def test_undecodable_files_are_fm004(raw: bytes, fragment: str) -> None:
    doc = decode_document(P, raw)
    assert doc.problem is not None
    assert doc.problem.code == "FM004"
    assert fragment in doc.problem.message
    assert not doc.readable


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", "あ", "\n", "\r", "\r\n", " "]), max_size=30))
def test_line_index_matches_a_line_by_line_count(pieces: list[str]) -> None:
    text = "".join(pieces)
    # Line starts follow every \r\n, lone \r and lone \n (the fast path splits on \n).
    expected = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    index = LineIndex(text)
    for offset in range(len(text) + 1):
        line = max(i for i, start in enumerate(expected) if start <= offset)
        assert index.position(offset) == (line + 1, offset - expected[line] + 1)


@pytest.mark.parametrize("size", [0, 1, 7, 8, 9, 20])
def test_read_bytes_stops_at_the_size_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    monkeypatch.setattr(runner, "MAX_FILE_BYTES", 8)
    path = tmp_path / "post.md"
    path.write_bytes(b"x" * size)
    raw = runner.read_bytes(path)
    if size <= 8:
        assert raw == b"x" * size
    else:
        assert isinstance(raw, Document)
        assert raw.problem is not None
        assert "larger than" in raw.problem.message


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_read_bytes_of_a_file_without_a_size_reads_on_to_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    # A character device reports size 0 yet never ends: the limit still applies.
    monkeypatch.setattr(runner, "MAX_FILE_BYTES", 64)
    raw = runner.read_bytes(Path("/dev/zero"))
    assert isinstance(raw, Document)
    assert raw.problem is not None
    assert raw.problem.code == "FM004"
