"""Code actions in-process: unsafe fixes say so, "fix all" refuses what --fix refuses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lsprotocol import types

from epilint.editor import actions
from epilint.editor.positions import TextPositions
from epilint.editor.workspace import Linted, Workspace
from epilint.fix.engine import apply_edits
from tests.conftest import GOOD_EPISODE, episode

POST = "_posts/2022-09-10-1.md"


def _linted(make_site: Callable[..., Path], text: str) -> Linted:
    site = make_site({POST: episode(GOOD_EPISODE, day="2022-09-10", number=1)})
    linted = Workspace().lint(site / POST, text)
    assert linted is not None
    return linted


def _everywhere(text: str) -> types.Range:
    end = TextPositions(text).position(len(text))
    return types.Range(types.Position(0, 0), types.Position(*end))


def test_unsafe_fixes_are_marked_and_never_preferred(make_site: Callable[..., Path]) -> None:
    text = episode(GOOD_EPISODE, day="2022-09-10", number=1).replace("description:", "descripton:")
    linted = _linted(make_site, text)
    found = actions.code_actions(linted, TextPositions(text), "file:///p.md", _everywhere(text))
    (rename,) = [a for a in found if a.title.startswith("Fix FM")]
    assert rename.title.endswith("(unsafe fix)")
    assert not rename.is_preferred
    assert [a.title for a in found if a.kind == actions.FIX_ALL] == []  # no safe fix to apply


def test_fix_all_is_disabled_with_the_engines_reason(make_site: Callable[..., Path]) -> None:
    # quoting the anchored value would also change `other`, which reads it through an alias
    text = episode(GOOD_EPISODE, day="2022-09-10", number=1).replace(
        "layout: article\n", "layout: article\nbase: &b 45:30\nother: *b\n"
    )
    linted = _linted(make_site, text)
    found = actions.code_actions(linted, TextPositions(text), "file:///p.md", _everywhere(text), ["source"])
    (fix_all,) = found
    assert fix_all.edit is None
    assert fix_all.disabled is not None
    assert "would change how Jekyll reads `other`" in fix_all.disabled.reason


def test_only_filters_by_kind(make_site: Callable[..., Path]) -> None:
    text = episode(GOOD_EPISODE, day="2022-09-10", number=1).replace('"01:02:03"', "45:30")
    linted = _linted(make_site, text)
    every = _everywhere(text)
    quick = actions.code_actions(linted, TextPositions(text), "u", every, ["quickfix"])
    assert {a.kind for a in quick} == {types.CodeActionKind.QuickFix}
    fix_all = actions.code_actions(linted, TextPositions(text), "u", every, ["source.fixAll"])
    assert [a.kind for a in fix_all] == [actions.FIX_ALL]
    assert actions.code_actions(linted, TextPositions(text), "u", every, ["refactor"]) == []


def test_replacement_is_the_differing_middle_and_never_splits_a_crlf() -> None:
    before, after = "a\r\nb\r\nc", "a\r\nB\r\nc"
    edit = actions.replacement(before, after)
    assert (edit.span.start, edit.span.end, edit.content) == (3, 4, "B")
    edit = actions.replacement("x\r\ny", "x\ny")  # CR removed: the edit takes the whole CRLF
    assert "\r\n" in "x\r\ny"[edit.span.start : edit.span.end]
    for old, new in (("x\r\ny", "x\ny"), ("ab", "ab"), ("", "z"), ("abc", ""), ("a\r\n", "a\r\n\r\n")):
        edit = actions.replacement(old, new)
        assert apply_edits(old, [edit]) == new
        assert old[edit.span.start - 1 : edit.span.start + 1] != "\r\n" or edit.span.start == 0
