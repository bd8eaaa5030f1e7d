"""``--since REF`` when a site-wide input changed: every post that depends on it is linted.

Real git repositories: a branch edits, adds or deletes an input posts depend on
(``_config.yml``, ``_data/``, ``_layouts/``, ``_includes/``, ``_actors/``, the feed
template, the schema, the epilint config) and ``--since main`` must lint the posts it
changes, and say why.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import GOOD_EPISODE, SITE_CONFIG, episode, git, git_site, run_cli, write_files

POSTS = {
    f"_posts/2022-09-{day:02d}-{n}.md": episode(GOOD_EPISODE, day=f"2022-09-{day:02d}", number=n)
    for n, day in ((1, 10), (2, 11), (3, 12))
}
LAYOUT = {"_layouts/article.html": "<html>{{ content }}</html>\n"}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = git_site(tmp_path / "repo", {**POSTS, **LAYOUT, "about.md": "---\ntitle: About\n---\nhi\n"})
    git(root, "checkout", "-q", "-b", "topic")
    return root


def commit(repo: Path, files: dict[str, str] | None = None, *, delete: tuple[str, ...] = ()) -> None:
    write_files(repo, files or {})
    for name in delete:
        (repo / name).unlink()
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "topic")


def since(repo: Path, *args: str) -> tuple[set[str], list[str], str]:
    """(linted files with findings, codes, stderr) of ``check --since main`` as JSON."""
    result = run_cli("check", "--no-cache", "--format", "json", "--since", "main", *args, cwd=repo)
    assert result.code in (0, 1), result.err
    found = result.json()
    return {str(v["path"]) for v in found}, sorted(str(v["code"]) for v in found), result.err


def test_an_actor_deleted_from_config_is_reported_on_every_post(repo: Path) -> None:
    commit(repo, {"_config.yml": SITE_CONFIG.replace("  bob:\n    name: Bob\n", "")})
    paths, codes, err = since(repo)
    assert codes == ["EP006"] * 3
    assert paths == set(POSTS)
    assert "`_config.yml` changed since main: every post of the site is linted (3 files)" in err
    text = run_cli("check", "--no-cache", "--since", "main", cwd=repo)
    assert text.code == 1
    assert "`_config.yml` changed since main: every post of the site is linted (3 files)\nFound 3" in text.out


def test_deleted_data_and_layouts(repo: Path) -> None:
    config = SITE_CONFIG.split("actors:")[0]
    git(repo, "checkout", "-q", "main")
    commit(repo, {"_config.yml": config, "_data/actors.yml": "alice: {}\nbob: {}\n"})
    git(repo, "checkout", "-q", "-b", "data")
    commit(repo, delete=("_data/actors.yml",))
    # the actors file is gone: EP006 cannot judge (no actors anywhere), but the posts are linted
    paths, _codes, err = since(repo)
    assert "`_data/` changed since main" in err
    commit(repo, {"_data/actors.yml": "alice: {}\n"})
    paths, codes, _err = since(repo)  # bob is gone: every post that names him
    assert codes == ["EP006"] * 3
    assert paths == set(POSTS)
    git(repo, "checkout", "-q", "topic")
    commit(repo, delete=("_layouts/article.html",), files={"_layouts/episode.html": "x\n"})
    paths, codes, err = since(repo)
    assert codes == ["EP007"] * 3
    assert "`_layouts/` changed since main" in err


@pytest.mark.parametrize(
    ("files", "reason"),
    [
        ({"_includes/player.html": "<audio>\n"}, "`_includes/` changed"),
        (
            {"feed.xml": "---\nlayout: null\n---\n<rss>{{ site.title }}</rss>\n"},
            "the feed template `feed.xml` changed",
        ),
        ({"podcast/index.xml": "---\n---\n<enclosure url=''/>\n"}, "the feed template `podcast/index.xml`"),
        ({"_actors/carol.md": "---\nactor_id: carol\n---\n"}, "`_actors/` changed"),
    ],
)
def test_other_site_wide_inputs(repo: Path, files: dict[str, str], reason: str) -> None:
    commit(
        repo, {**files, "_posts/2022-09-10-1.md": POSTS["_posts/2022-09-10-1.md"].replace("01:02:03", "1:2")}
    )
    result = run_cli("check", "--no-cache", "--since", "main", "--format", "json", cwd=repo)
    assert reason in result.err
    assert "every post of the site is linted (3 files)" in result.err


def test_a_page_that_is_not_a_feed_changes_nothing(repo: Path) -> None:
    # a page without a feed, and a static feed file (no front matter: copied, not rendered)
    commit(repo, {"about.md": "---\ntitle: About us\n---\nWe publish a feed.\n", "old.xml": "<rss/>\n"})
    result = run_cli("check", "--no-cache", "--since", "main", cwd=repo)
    assert result.code == 0, result.out
    assert "no violations in 0 files" in result.out
    assert "changed since" not in result.out + result.err


def test_schema_and_config_changes_lint_everything(repo: Path) -> None:
    git(repo, "checkout", "-q", "main")
    schema = json.loads((Path(__file__).resolve().parents[2] / "schemas/episode.schema.json").read_text())
    commit(
        repo, {"episode.schema.json": json.dumps(schema), "epilint.toml": 'schema = "episode.schema.json"\n'}
    )
    git(repo, "checkout", "-q", "-b", "schema")
    schema["properties"]["description"]["maxLength"] = 3
    commit(repo, {"episode.schema.json": json.dumps(schema)})
    paths, codes, err = since(repo)
    assert paths == set(POSTS)
    assert codes == ["FM013"] * 3
    assert "`episode.schema.json` changed since main: every file of the run is linted (3 files)" in err
    git(repo, "checkout", "-q", "main")
    git(repo, "checkout", "-q", "-b", "config")
    commit(repo, {"epilint.toml": 'schema = "episode.schema.json"\n[severity]\nFM = "warning"\n'})
    _paths, _codes, err = since(repo)
    assert "`epilint.toml` changed since main: every file of the run is linted" in err


def test_only_the_site_whose_input_changed(tmp_path: Path) -> None:
    files = {
        f"{site}/{name}": text
        for site in ("a", "b")
        for name, text in {**POSTS, "_config.yml": SITE_CONFIG}.items()
    }
    root = git_site(tmp_path / "repo", files)
    git(root, "checkout", "-q", "-b", "topic")
    commit(root, {"b/_config.yml": SITE_CONFIG.replace("  alice:\n    name: Alice\n", "")})
    result = run_cli("check", "--no-cache", "--format", "json", "--since", "main", "a", "b", cwd=root)
    assert {str(v["path"]).split("/")[0] for v in result.json()} == {"b"}
    assert "every post of the site in b/ is linted (3 files)" in result.err
