"""FD100–FD102 through the command line, in real git repositories: where each finding
sits, what it says, and what ``--fix`` makes of it."""

from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import git, run_cli, write_files
from tests.run.test_identity import FEED_PIN, FEED_URL, commit, make_repo, post


def check(root: Path, *args: str) -> tuple[int, list[dict[str, object]]]:
    result = run_cli("check", "--no-cache", "--format", "json", "--select", "FD1", *args, cwd=root)
    assert result.code in (0, 1), result.err
    return result.code, result.json()


def where(found: list[dict[str, object]]) -> list[tuple[object, ...]]:
    return [(f["code"], f["path"], f["line"], f["column"]) for f in found]


def test_rename_reported_at_the_renamed_file_and_fixed_safely(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    git(root, "mv", "_posts/2024-01-01-ep1.md", "_posts/2024-01-01-episode-one.md")
    code, found = check(root, "--since", "main")
    assert code == 1
    assert where(found) == [
        ("FD100", "_posts/2024-01-01-episode-one.md", 1, 1),
        ("FD101", "_posts/2024-01-01-episode-one.md", 1, 1),
    ]
    guid, link = found
    assert guid["message"] == (
        'renamed from `_posts/2024-01-01-ep1.md` since main: the published episode "Episode 1" gets a '
        "new guid (`/2024/01/01/ep1.html` → `/2024/01/01/episode-one.html`): podcast apps take it for a "
        "new episode and subscribers get it twice"
    )
    fix = guid["fix"]
    assert isinstance(fix, dict)
    assert fix["applicability"] == "safe"
    assert fix["description"] == (
        'pin `guid: "/2024/01/01/ep1.html"`, its guid at main (or keep the old name '
        "`_posts/2024-01-01-ep1.md`, or add `permalink: /2024/01/01/ep1.html`)"
    )
    assert link["severity"] == "warning"
    result = run_cli("check", "--no-cache", "--select", "FD1", "--since", "main", "--fix", cwd=root)
    assert result.code == 1, result.err  # the link moved: FD101 stays
    text = (root / "_posts/2024-01-01-episode-one.md").read_text(encoding="utf-8")
    assert 'audio_file_size: 1001\nguid: "/2024/01/01/ep1.html"\n---\n' in text
    _, found = check(root, "--since", "main")
    assert where(found) == [("FD101", "_posts/2024-01-01-episode-one.md", 1, 1)]


def test_a_template_without_guid_gets_an_unsafe_fix_and_the_template_change(tmp_path: Path) -> None:
    root = make_repo(tmp_path, FEED_URL)
    write_files(root, {"_posts/2024-01-03-ep3.md": post(3, "permalink: /three/\n")})
    _, found = check(root, "--since", "main", "--select", "FD100")
    (guid,) = found
    assert (guid["line"], guid["column"]) == (5, 1)  # the `permalink:` line
    fix = guid["fix"]
    assert isinstance(fix, dict)
    assert fix["applicability"] == "unsafe"
    assert fix["description"] == (
        'add `guid: "https://example.org/2024/01/03/ep3.html"` and make the template read it: change '
        'feed.xml line 9 to `<guid isPermaLink="true">{% if post.guid %}{{ post.guid }}{% else %}'
        "{{ site.url }}{{ post.url }}{% endif %}</guid>`"
    )
    # --fix alone leaves an unsafe fix alone; with --unsafe-fixes the key is added, and the
    # finding stays (the template still prints the URL) with the template change to make
    run_cli("check", "--no-cache", "--select", "FD100", "--since", "main", "--fix", cwd=root)
    assert "guid:" not in (root / "_posts/2024-01-03-ep3.md").read_text(encoding="utf-8")
    run_cli(
        "check", "--no-cache", "--select", "FD100", "--since", "main", "--fix", "--unsafe-fixes", cwd=root
    )
    assert 'guid: "https://example.org/2024/01/03/ep3.html"' in (root / "_posts/2024-01-03-ep3.md").read_text(
        encoding="utf-8"
    )
    _, found = check(root, "--since", "main", "--select", "FD100")
    (still,) = found
    assert isinstance(still["fix"], dict)
    assert still["fix"]["applicability"] == "suggestion"
    # the template change the message shows makes the guard silent
    template = (root / "feed.xml").read_text(encoding="utf-8")
    template = template.replace(
        "{{ site.url }}{{ post.url }}</guid>",
        "{% if post.guid %}{{ post.guid }}{% else %}{{ site.url }}{{ post.url }}{% endif %}</guid>",
    )
    (root / "feed.xml").write_text(template, encoding="utf-8")
    _, found = check(root, "--since", "main", "--select", "FD100")
    assert found == []


def test_a_config_change_is_one_finding_on_its_key(tmp_path: Path) -> None:
    root = make_repo(tmp_path, FEED_URL)
    write_files(root, {"_config.yml": "title: T\nurl: https://podcast.example.org\n"})
    _, found = check(root, "--since", "main")
    assert where(found) == [("FD100", "_config.yml", 2, 1), ("FD101", "_config.yml", 2, 1)]
    message = found[0]["message"]
    assert message == (
        "`url` changed since main (it was `https://example.org`): 5 published episodes get new guids, "
        'e.g. "Episode 5" (`https://example.org/2024/01/05/ep5.html` → '
        '`https://podcast.example.org/2024/01/05/ep5.html`), "Episode 4" '
        "(`https://example.org/2024/01/04/ep4.html` → `https://podcast.example.org/2024/01/04/ep4.html`), "
        '"Episode 3" (`https://example.org/2024/01/03/ep3.html` → '
        "`https://podcast.example.org/2024/01/03/ep3.html`) and 2 more: podcast apps take them for new "
        "episodes and subscribers get them twice"
    )
    fix = found[0]["fix"]
    assert isinstance(fix, dict)
    assert fix["description"].startswith("keep `url: https://example.org` (its value at main)")


def test_a_template_change_is_one_finding_on_the_line(tmp_path: Path) -> None:
    root = make_repo(tmp_path, FEED_URL)
    write_files(
        root, {"feed.xml": FEED_URL.replace("{{ site.url }}{{ post.url }}</guid>", "{{ post.id }}</guid>")}
    )
    _, found = check(root, "--since", "main")
    assert where(found) == [("FD100", "feed.xml", 9, 1)]
    assert str(found[0]["message"]).startswith(
        "this line of the feed template changed since main: 5 published"
    )
    fix = found[0]["fix"]
    assert isinstance(fix, dict)
    assert fix["description"] == (
        'write the line as it was at main: `<guid isPermaLink="true">{{ site.url }}{{ post.url }}</guid>`'
    )


def test_removed_episodes(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    (root / "_posts/2024-01-02-ep2.md").unlink()
    write_files(
        root,
        {
            "_posts/2024-01-03-ep3.md": post(3, "published: false\n"),
            "_posts/2024-01-04-ep4.md": post(4, "date: 2999-01-01\n"),
        },
    )
    _, found = check(root, "--since", "main")
    assert where(found) == [
        ("FD102", "_posts/2024-01-03-ep3.md", 5, 1),
        ("FD102", "_posts/2024-01-04-ep4.md", 5, 1),
        ("FD102", "feed.xml", 6, 1),
    ]
    messages = [f["message"] for f in found]
    assert messages[0] == (
        '`published: false` takes the published episode "Episode 3" (`_posts/2024-01-03-ep3.md`) out of the '
        "feed (it was published at main): listeners' apps drop it"
    )
    assert messages[2] == (
        'the published episode "Episode 2" (`_posts/2024-01-02-ep2.md`) published at main is gone from the '
        "feed: the post was deleted: listeners' apps drop it"
    )


def test_fine_changes_and_no_base(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    write_files(
        root,
        {"_posts/2024-02-01-ep6.md": post(6), "_posts/2024-01-03-ep3.md": post(3, "description: new\n")},
    )
    code, found = check(root, "--since", "main")
    assert (code, found) == (0, [])
    # without a base the identity rules are silent (and git is not asked)
    git(root, "mv", "_posts/2024-01-01-ep1.md", "_posts/2024-01-01-x.md")
    code, found = check(root)
    assert (code, found) == (0, [])


def test_identity_base_in_the_config(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    write_files(root, {"epilint.toml": 'identity-base = "main"\n'})
    git(root, "mv", "_posts/2024-01-01-ep1.md", "_posts/2024-01-01-x.md")
    _, found = check(root)
    assert [f["code"] for f in found] == ["FD100", "FD101"]
    # --since wins over the configured base
    commit(root, "renamed")
    _, found = check(root, "--since", "HEAD")
    assert found == []
    # a configured base that does not exist here is a note, not a failure
    write_files(root, {"epilint.toml": 'identity-base = "origin/main"\n'})
    result = run_cli("check", "--no-cache", "--select", "FD1", cwd=root)
    assert result.code == 0, result.err
    assert "identity-base: unknown git ref `origin/main`" in result.err


def test_outside_git_a_configured_base_is_a_note(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_files(
        site,
        {
            "_config.yml": "title: T\n",
            "feed.xml": FEED_PIN,
            "_posts/2024-01-01-ep1.md": post(1),
            "epilint.toml": 'identity-base = "main"\n',
        },
    )
    env = os.environ.get("GIT_CEILING_DIRECTORIES")
    os.environ["GIT_CEILING_DIRECTORIES"] = str(tmp_path)
    try:
        result = run_cli("check", "--no-cache", "--select", "FD1", cwd=site)
    finally:
        if env is None:
            os.environ.pop("GIT_CEILING_DIRECTORIES")
        else:
            os.environ["GIT_CEILING_DIRECTORIES"] = env
    assert result.code == 0, result.err
    assert "identity-base needs a git repository" in result.err
