"""Config discovery, strict validation and select/ignore resolution."""

from __future__ import annotations

from pathlib import Path

import pytest

from epilint.config import discovery, settings
from epilint.errors import ConfigError
from epilint.lint import registry
from tests.conftest import GOOD_EPISODE, run_cli

BAD = GOOD_EPISODE.replace('"01:02:03"', "45:30").replace("48211456", "19.5 MB")


def test_discovery_walks_up_and_skips_pyproject_without_table(tmp_path: Path) -> None:
    (tmp_path / "epilint.toml").write_text('ignore = ["YT"]\n', encoding="utf-8")
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    (inner / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    assert discovery.find_config(inner) == tmp_path / "epilint.toml"
    (inner / "pyproject.toml").write_text("[tool.epilint]\nignore = ['FM']\n", encoding="utf-8")
    assert discovery.find_config(inner) == inner / "pyproject.toml"


def test_config_file_applies(tmp_path: Path) -> None:
    (tmp_path / ".epilint.toml").write_text('ignore = ["YT001"]\n', encoding="utf-8")
    (tmp_path / "p.md").write_text(BAD, encoding="utf-8")
    result = run_cli("check", "p.md", "--format", "json", cwd=tmp_path)
    # with YT001 ignored, the wrong type of the duration is still reported, as FM012
    assert [(v["code"], v["line"]) for v in result.json()] == [("FM012", 4), ("FM012", 7)]


@pytest.mark.parametrize(
    ("contents", "fragment"),
    [
        ('selcet = ["FM"]\n', "unknown key `selcet`"),
        ("select = 5\n", "`select`"),
        ('[links]\ntracking = ["x"]\n', "unknown key `links.tracking`"),
        ('[online]\ntimeout = "fast"\n', "`online.timeout`"),
        ('ignore = ["ZZ9"]\n', "matches no rule"),
        ("this is not toml", "not valid TOML"),
    ],
)
def test_bad_config_exits_2_naming_key_and_file(tmp_path: Path, contents: str, fragment: str) -> None:
    (tmp_path / "epilint.toml").write_text(contents, encoding="utf-8")
    (tmp_path / "p.md").write_text(GOOD_EPISODE, encoding="utf-8")
    result = run_cli("check", "p.md", cwd=tmp_path)
    assert result.code == 2
    assert fragment in result.err
    assert "epilint.toml" in result.err
    assert "Traceback" not in result.err


def test_explicit_config_must_exist(tmp_path: Path) -> None:
    result = run_cli("check", "--config", tmp_path / "none.toml", tmp_path)
    assert result.code == 2


def test_longest_prefix_wins() -> None:
    assert registry.is_selected("LN003", ("LN003",), ("LN",))
    assert not registry.is_selected("LN004", ("LN003",), ("LN",))
    assert not registry.is_selected("YT001", ("YT",), ("YT001",))
    assert registry.is_selected("YT002", ("YT",), ("YT001",))
    assert registry.is_selected("FM011", ("",), ())
    assert not registry.is_selected("FM011", ("YT",), ())


def test_select_and_ignore_flags(tmp_path: Path) -> None:
    (tmp_path / "p.md").write_text(BAD, encoding="utf-8")
    only = run_cli("check", "p.md", "--select", "YT", "--format", "json", cwd=tmp_path)
    assert [v["code"] for v in only.json()] == ["YT001"]
    ignored = run_cli("check", "p.md", "--ignore", "FM012,YT", "--format", "json", cwd=tmp_path)
    assert ignored.json() == []
    assert ignored.code == 0
    unknown = run_cli("check", "p.md", "--select", "QQ", cwd=tmp_path)
    assert unknown.code == 2


def test_per_file_ignores_and_include_exclude(tmp_path: Path) -> None:
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_drafts").mkdir()
    (tmp_path / "_posts" / "2016-01-01-old.md").write_text(BAD, encoding="utf-8")
    (tmp_path / "_posts" / "2022-01-01-new.md").write_text(BAD, encoding="utf-8")
    (tmp_path / "_drafts" / "draft.md").write_text(BAD, encoding="utf-8")
    (tmp_path / "epilint.toml").write_text(
        'include = ["_posts/**/*.md", "_drafts/*.md"]\nexclude = ["_drafts/**"]\n'
        '[per-file-ignores]\n"_posts/2016-*" = ["FM", "YT001"]\n',
        encoding="utf-8",
    )
    result = run_cli("check", "--format", "json", cwd=tmp_path)
    found = sorted({(v["path"], v["code"]) for v in result.json()})
    assert found == [("_posts/2022-01-01-new.md", "FM012"), ("_posts/2022-01-01-new.md", "YT001")]


def test_split_codes() -> None:
    assert settings.split_codes("ln, FM011,,") == ("LN", "FM011")
    assert settings.split_codes(["ALL"]) == ("",)
    assert settings.split_codes(None) is None


def test_settings_are_frozen() -> None:
    loaded = settings.Settings()
    with pytest.raises(AttributeError):
        loaded.select = ()  # type: ignore[misc]
    assert isinstance(discovery.load(None), settings.Settings)
    with pytest.raises(ConfigError):
        discovery.load(Path("/nonexistent/epilint.toml"))


def test_identity_base_is_a_git_ref(tmp_path: Path) -> None:
    from epilint.config import file as config_file

    found = config_file.parse_file(tmp_path / "epilint.toml", {"identity-base": "origin/main"})
    assert found.identity_base == "origin/main"
    assert config_file.parse_file(tmp_path / "epilint.toml", {}).identity_base is None
    for bad in ("", "--output=x", "main branch", 3):
        with pytest.raises(ConfigError, match="identity-base"):
            config_file.parse_file(tmp_path / "epilint.toml", {"identity-base": bad})
