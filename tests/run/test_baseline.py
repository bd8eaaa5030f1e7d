"""Adopting epilint on a big site: the baseline, and --add-suppressions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import BAD_EPISODE, GOOD_EPISODE, SITE_CONFIG, episode, run_cli, write_files

#: YT001 (front matter) and three link findings (LN004 + LN006 on one line, LN003 on another).
OLD = BAD_EPISODE + "- [a](http://bit.ly/a)\n- [b](https://example.com/?utm_source=x)\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    write_files(
        root,
        {
            "_config.yml": SITE_CONFIG,
            "_posts/2022-09-10-1.md": episode(OLD, day="2022-09-10", number=1),
            "_posts/2022-09-11-2.md": episode(GOOD_EPISODE, day="2022-09-11", number=2),
        },
    )
    return root


def codes(cwd: Path, *args: str) -> tuple[int, list[tuple[str, int]], str]:
    result = run_cli("check", "--no-cache", "--format", "json", *args, cwd=cwd)
    assert result.code in (0, 1), result.err
    return result.code, [(str(v["code"]), int(str(v["line"]))) for v in result.json()], result.err


def test_only_new_findings_are_reported(site: Path) -> None:
    written = run_cli("check", "--no-cache", "--write-baseline", "epilint-baseline.json", cwd=site)
    assert written.code == 0
    assert "wrote 4 findings to the baseline epilint-baseline.json" in written.err
    data = json.loads((site / "epilint-baseline.json").read_text(encoding="utf-8"))
    assert {e["path"] for e in data["findings"]} == {"_posts/2022-09-10-1.md"}
    assert codes(site, "--baseline", "epilint-baseline.json")[:2] == (0, [])
    # Edits elsewhere in the file move every finding down: still the same findings.
    post = site / "_posts/2022-09-10-1.md"
    text = post.read_text(encoding="utf-8")
    post.write_text(
        text.replace(
            "description: The first episode.", "description: The first episode.\nexplicit: false"
        ).replace("Show notes.", "A new paragraph.\n\nShow notes, longer now."),
        encoding="utf-8",
    )
    assert codes(site, "--baseline", "epilint-baseline.json")[:2] == (0, [])
    # A new finding is reported, and so is the old one once its text changes.
    post.write_text(post.read_text(encoding="utf-8") + "- [c](http://example.com/c)\n", encoding="utf-8")
    code, found, _ = codes(site, "--baseline", "epilint-baseline.json")
    assert (code, found) == (1, [("LN006", 18)])
    # From another folder, through the config: the baseline's paths are relative to it.
    (site / "epilint.toml").write_text('baseline = "epilint-baseline.json"\n', encoding="utf-8")
    assert codes(site / "_posts")[1] == [("LN006", 18)]
    text = run_cli("check", "--no-cache", cwd=site)
    assert "4 findings in the baseline not shown\nFound 1 violation" in text.out


def test_stale_entries_are_listed(site: Path) -> None:
    run_cli("check", "--no-cache", "--write-baseline", "b.json", cwd=site)
    post = site / "_posts/2022-09-10-1.md"
    post.write_text(post.read_text(encoding="utf-8").replace("45:30", '"01:02:03"'), encoding="utf-8")
    code, found, err = codes(site, "--baseline", "b.json")
    assert (code, found) == (0, [])
    assert "1 baseline entry in b.json match nothing any more" in err
    assert "_posts/2022-09-10-1.md: YT001 `duration: 45:30` is the base-60 number" in err
    missing = run_cli("check", "--baseline", "none.json", cwd=site)
    assert missing.code == 2
    assert "cannot read the baseline none.json" in missing.err


def test_add_suppressions_writes_the_comments(site: Path) -> None:
    post = site / "_posts/2022-09-10-1.md"
    done = run_cli("check", "--no-cache", "--add-suppressions", cwd=site)
    assert done.code == 0, done.err
    assert "added 3 suppression comments for 4 findings in 1 file" in done.err
    text = post.read_text(encoding="utf-8")
    assert "duration: 45:30  # epilint: disable=YT001\n" in text
    assert "<!-- epilint-disable-next-line LN004 LN006 -->\n- [a](http://bit.ly/a)\n" in text
    assert "<!-- epilint-disable-next-line LN003 -->\n- [b]" in text
    assert codes(site)[:2] == (0, [])


def test_add_suppressions_on_the_front_matter_lines(tmp_path: Path) -> None:
    # A missing field sits on the closing `---`: no comment can go there, so the file gets
    # a file-wide directive; a multi-line value cannot carry a comment at all.
    text = "---\ntitle: |\n  57 TODO\nduration: 45:30\n---\nbody\n"
    (tmp_path / "p.md").write_text(text, encoding="utf-8")
    before = codes(tmp_path, "p.md")[1]
    assert ("FM010", 5) in before
    done = run_cli("check", "--no-cache", "--add-suppressions", "p.md", cwd=tmp_path)
    assert done.code == 0, done.err
    fixed = (tmp_path / "p.md").read_text(encoding="utf-8")
    assert fixed.startswith("---\n# epilint: disable-file=")
    assert "duration: 45:30  # epilint: disable=YT001" in fixed
    assert codes(tmp_path, "p.md")[:2] == (0, [])
