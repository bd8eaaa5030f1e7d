"""Severities users control: --fail-on, [severity], extend-select/extend-ignore, extend."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import GOOD_EPISODE, run_cli

#: One error (YT001 on `duration`) and one warning (LN006, an http:// link).
MIXED = GOOD_EPISODE.replace('"01:02:03"', "45:30") + "[a](http://example.com/a)\n"
WARNING_ONLY = GOOD_EPISODE + "[a](http://example.com/a)\n"


def codes(tmp_path: Path, *args: str, text: str = MIXED) -> tuple[int, list[tuple[str, str]]]:
    (tmp_path / "p.md").write_text(text, encoding="utf-8")
    result = run_cli("check", "--no-cache", "p.md", "--format", "json", *args, cwd=tmp_path)
    assert result.code in (0, 1), result.err
    return result.code, [(str(v["code"]), str(v["severity"])) for v in result.json()]


def test_fail_on_error_lets_warnings_pass(tmp_path: Path) -> None:
    assert codes(tmp_path, text=WARNING_ONLY) == (1, [("LN006", "warning")])
    assert codes(tmp_path, "--fail-on", "error", text=WARNING_ONLY) == (0, [("LN006", "warning")])
    assert codes(tmp_path, "--fail-on", "error")[0] == 1
    (tmp_path / "epilint.toml").write_text('fail-on = "error"\n', encoding="utf-8")
    assert codes(tmp_path, text=WARNING_ONLY)[0] == 0
    assert codes(tmp_path, "--fail-on", "warning", text=WARNING_ONLY)[0] == 1


def test_severity_table(tmp_path: Path) -> None:
    (tmp_path / "epilint.toml").write_text('[severity]\nLN006 = "error"\nYT = "warning"\n', encoding="utf-8")
    assert codes(tmp_path)[1] == [("YT001", "warning"), ("LN006", "error")]
    (tmp_path / "epilint.toml").write_text('[severity]\nLN006 = "off"\n', encoding="utf-8")
    assert codes(tmp_path)[1] == [("YT001", "error")]
    stats = run_cli("check", "--no-cache", "p.md", "--statistics", cwd=tmp_path)
    assert "1  YT001  sexagesimal-number [error]" in stats.out


@pytest.mark.parametrize(
    ("contents", "fragment"),
    [
        (
            '[severity]\nLN006 = "fatal"\n',
            '`LN006 = \'fatal\'`: a severity is one of "error", "warning", "off"',
        ),
        (
            '[severity]\nLN06 = "off"\n',
            "`severity.LN06` names `LN06`, which matches no rule (did you mean `LN006`?)",
        ),
        ('fail-on = "info"\n', '`fail-on` is "error" or "warning"'),
        ('extend-select = ["YT9"]\n', "`extend-select` names `YT9`"),
        ('selct = ["FM"]\n', "unknown key `selct` in the epilint settings (did you mean `select`?)"),
    ],
)
def test_bad_severity_settings(tmp_path: Path, contents: str, fragment: str) -> None:
    (tmp_path / "epilint.toml").write_text(contents, encoding="utf-8")
    (tmp_path / "p.md").write_text(MIXED, encoding="utf-8")
    result = run_cli("check", "p.md", cwd=tmp_path)
    assert result.code == 2
    assert fragment in result.err


def test_extend_select_and_ignore(tmp_path: Path) -> None:
    (tmp_path / "epilint.toml").write_text('select = ["YT"]\nextend-select = ["LN006"]\n', encoding="utf-8")
    assert [c for c, _ in codes(tmp_path)[1]] == ["YT001", "LN006"]
    (tmp_path / "epilint.toml").write_text('extend-ignore = ["LN"]\n', encoding="utf-8")
    assert [c for c, _ in codes(tmp_path)[1]] == ["YT001"]
    # FM012 reports the duration's type when YT001 is not selected; LN006 beats `ignore = LN`
    # (the longest prefix wins)
    assert [c for c, _ in codes(tmp_path, "--select", "FM", "--extend-select", "LN006")[1]] == [
        "FM012",
        "LN006",
    ]


def test_extend_inherits_with_paths_relative_to_each_file(tmp_path: Path) -> None:
    (tmp_path / "epilint.toml").write_text(
        'select = ["YT", "LN"]\n[severity]\nLN006 = "error"\n[per-file-ignores]\n"site/old/*" = ["YT001"]\n',
        encoding="utf-8",
    )
    site = tmp_path / "site"
    (site / "old").mkdir(parents=True)
    (site / "epilint.toml").write_text(
        'extend = "../epilint.toml"\nextend-ignore = ["LN006"]\n[per-file-ignores]\n"new/*" = ["YT001"]\n',
        encoding="utf-8",
    )
    (site / "new").mkdir()
    for folder in ("old", "new", "."):
        (site / folder / "p.md").write_text(MIXED, encoding="utf-8")
    result = run_cli("check", "--no-cache", "--format", "json", "old/p.md", "new/p.md", "p.md", cwd=site)
    assert [(v["path"], v["code"]) for v in result.json()] == [("p.md", "YT001")]
    (site / "epilint.toml").write_text('extend = "../epilint.toml"\n', encoding="utf-8")
    result = run_cli("check", "--no-cache", "--format", "json", "p.md", cwd=site)
    assert [(v["code"], v["severity"]) for v in result.json()] == [("YT001", "error"), ("LN006", "error")]


def test_extend_loops_and_missing_files_are_configuration_errors(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text('extend = "b.toml"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('extend = "a.toml"\n', encoding="utf-8")
    (tmp_path / "p.md").write_text(MIXED, encoding="utf-8")
    looped = run_cli("check", "--config", "a.toml", "p.md", cwd=tmp_path)
    assert looped.code == 2
    assert "goes round in a circle" in looped.err
    (tmp_path / "b.toml").write_text('extend = "none.toml"\n', encoding="utf-8")
    missing = run_cli("check", "--config", "a.toml", "p.md", cwd=tmp_path)
    assert missing.code == 2
    assert "none.toml, which does not exist" in missing.err
