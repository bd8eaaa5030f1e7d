"""EL001: suppression comments that cannot fail silently; schema roles that must be known."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import GOOD_EPISODE, ROOT, SITE_CONFIG, episode, run_cli, write_files

BAD = GOOD_EPISODE.replace('"01:02:03"', "45:30")  # YT001 on line 7


def check(tmp_path: Path, text: str, *args: str) -> list[tuple[str, int, str]]:
    (tmp_path / "p.md").write_text(text, encoding="utf-8")
    result = run_cli("check", "--no-cache", "p.md", "--format", "json", *args, cwd=tmp_path)
    assert result.code in (0, 1), result.err
    return [(str(v["code"]), int(str(v["line"])), str(v["message"])) for v in result.json()]


def test_an_empty_disable_file_does_not_read_the_next_key_as_a_code(tmp_path: Path) -> None:
    text = BAD.replace("actor_ids:", "# epilint: disable-file=\ny: 1\nactor_ids:")
    found = check(tmp_path, text, "--ignore", "FM014")
    assert [(c, n) for c, n, _ in found] == [("EL001", 2), ("YT001", 9)]
    assert "names no code, so it suppresses nothing" in found[0][2]


def test_all_and_unused(tmp_path: Path) -> None:
    assert check(tmp_path, BAD.replace("---\n", "---\n# epilint: disable-file=ALL\n", 1)) == []
    found = check(tmp_path, GOOD_EPISODE.replace("---\n", "---\n# epilint: disable-file=ALL\n", 1))
    assert [(c, n) for c, n, _ in found] == [("EL001", 2)]
    assert "`ALL` suppresses nothing: there is no finding in this file" in found[0][2]
    line = check(tmp_path, GOOD_EPISODE.replace('"01:02:03"', '"01:02:03"  # epilint: disable=YT001,LN004'))
    assert [m for _, _, m in line] == [
        "`YT001`, `LN004` suppress nothing: there is no YT001, LN004 finding on line 7"
    ]


def test_unknown_codes_and_misspelt_directives(tmp_path: Path) -> None:
    text = (
        BAD.replace("45:30", "45:30  # epilint: disable=YT01")
        .replace("layout: article", "layout: article  # epilnt: disable=EP007")
        .replace("Show notes.", "<!-- epilint-disable-nextline LN004 -->\n[a](https://bit.ly/x)")
    )
    found = check(tmp_path, text)
    messages = [m for c, _, m in found if c == "EL001"]
    assert messages == [
        "`YT01` in this `disable` directive matches no rule (did you mean `YT001`?): it suppresses nothing",
        "the comment is not an epilint directive, so it suppresses nothing; did you mean "
        "`# epilint: disable=EP007`?",
        "the comment is not an epilint directive, so it suppresses nothing; did you mean "
        "`<!-- epilint-disable-next-line LN004 -->`?",
    ]
    assert {c for c, _, _ in found} >= {"YT001", "LN004"}  # nothing was suppressed


def test_only_codes_whose_rules_ran_are_judged(tmp_path: Path) -> None:
    text = GOOD_EPISODE.replace('"01:02:03"', '"01:02:03"  # epilint: disable=YT001')
    assert [c for c, _, _ in check(tmp_path, text)] == ["EL001"]
    assert check(tmp_path, text, "--select", "FM,EL") == []  # YT001 did not run
    online_only = GOOD_EPISODE.replace('"01:02:03"', '"01:02:03"  # epilint: disable=LN100')
    assert check(tmp_path, online_only) == []  # LN100 runs with --online only


def test_collection_codes_are_judged_after_the_collection_phase(make_site: object, tmp_path: Path) -> None:
    first = episode(GOOD_EPISODE, day="2022-09-10", number=1)
    twin = first.replace("title: 1. Hello", "title: 1. Hello  # epilint: disable=CO005")
    write_files(
        tmp_path / "site",
        {
            "_config.yml": SITE_CONFIG,
            "_posts/2022-09-10-1.md": first,
            "_posts/2022-09-11-1.md": twin.replace("2022-09-10 ", "2022-09-11 "),
            "_posts/2022-09-12-2.md": episode(GOOD_EPISODE, day="2022-09-12", number=2).replace(
                "title: 2. Hello", "title: 2. Hello  # epilint: disable=CO005"
            ),
        },
    )
    result = run_cli("check", "--no-cache", "--format", "json", "--select", "CO005,EL", cwd=tmp_path / "site")
    found = [(str(v["path"]).rsplit("/", 1)[-1], v["code"], v["fix"]) for v in result.json()]
    # the twin's suppression is used; the other post's is not (CO005 fires on neither of its lines)
    assert [(p, c) for p, c, _ in found] == [("2022-09-10-1.md", "CO005"), ("2022-09-12-2.md", "EL001")]
    fix = found[1][2]
    assert isinstance(fix, dict)
    assert fix["applicability"] == "suggestion"


def test_fix_deletes_unused_suppressions(tmp_path: Path) -> None:
    text = GOOD_EPISODE.replace('"01:02:03"', '"01:02:03"  # epilint: disable=YT001').replace(
        "layout: article", "# epilint: disable=FM014\nlayout: article"
    )
    post = tmp_path / "p.md"
    post.write_text(text, encoding="utf-8")
    result = run_cli("check", "--no-cache", "--fix", "p.md", cwd=tmp_path)
    assert result.code == 0, result.out + result.err
    assert post.read_text(encoding="utf-8") == GOOD_EPISODE


def test_unknown_schema_roles_are_configuration_errors(tmp_path: Path) -> None:
    schema = json.loads((ROOT / "schemas" / "episode.schema.json").read_text(encoding="utf-8"))
    schema["properties"]["duration"]["x-epilint-role"] = "durration"
    (tmp_path / "s.json").write_text(json.dumps(schema), encoding="utf-8")
    (tmp_path / "p.md").write_text(GOOD_EPISODE, encoding="utf-8")
    result = run_cli("check", "--schema", "s.json", "p.md", cwd=tmp_path)
    assert result.code == 2
    assert 'field `duration` has x-epilint-role "durration", which is not a role epilint knows' in result.err
    assert "(did you mean `duration`?)" in result.err
    assert "the roles are: actors, audio-path, audio-size, date, description, duration" in result.err
