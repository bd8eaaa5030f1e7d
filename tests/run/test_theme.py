"""Sites of other themes get one hint naming the schemas, not an FM010 per field and post;
``epilint schema list/show`` and ``--schema NAME``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import GOOD_EPISODE, ROOT, SITE_CONFIG, run_cli, write_files

OTHER_THEMES = (
    "ajaykarwal__inspect-fm",
    "andreyvit__it-posidelki",
    "benedmunds__phptownhall.com",
    "yonbergman__mobileandbeer-site",
    "oliverguhr__mange-frei",
    "kawakamimoeki__wakaran",
)
#: yattecast forks whose posts lack one or two of the schema's fields, which their feed
#: templates take from other keys (``audio_file_url``, a size filter): not missing.
YATTECAST_VARIANTS = {"noracast__noracast.jp": 0, "yuruby__yarukinai.github.io": 0}


def fm010(cwd: Path, *args: str) -> list[dict[str, object]]:
    result = run_cli("check", "--no-cache", "--format", "json", "--select", "FM010", *args, cwd=cwd)
    assert result.code in (0, 1), result.err
    return result.json()


@pytest.mark.parametrize("name", OTHER_THEMES)
def test_other_themes_get_one_hint(corpus: Path, name: str) -> None:
    found = fm010(corpus / name)
    assert len(found) == 1
    message = str(found[0]["message"])
    assert "probably another theme" in message
    assert "`--schema NAME`" in message
    assert "bundled `episode`, `mobileandbeer`" in message
    # Chosen explicitly, the same schema is obeyed: every missing field the site's feed
    # template does not take from another key is reported, on every episode.
    explicit = fm010(corpus / name, "--schema", "episode")
    paths = {v["path"] for v in explicit}
    assert len(paths) >= 9
    assert any("`actor_ids` is missing" in str(v["message"]) for v in explicit)


def test_fields_the_feed_takes_from_other_keys_are_not_missing(corpus: Path) -> None:
    # inspect-fm's feed makes the enclosure from `filename` and `length`: the yattecast
    # schema's audio fields are not missing there; `actor_ids` (the page's) still is.
    explicit = fm010(corpus / "ajaykarwal__inspect-fm", "--schema", "episode")
    messages = {str(v["message"]) for v in explicit}
    assert len(explicit) == 40
    assert messages == {"required field `actor_ids` is missing: the episode page shows no one"}


def test_a_collection_site_and_one_post_of_a_pre_commit_run(corpus: Path) -> None:
    rustacean = corpus / "rustacean-station__rustacean-station.org" / "_episodes" / "twir"
    files = sorted(p.name for p in rustacean.glob("*.md"))[:3]
    assert len(fm010(rustacean, *files)) == 1
    one_post = sorted((corpus / "ajaykarwal__inspect-fm" / "_posts").glob("*.md"))[0]
    assert len(fm010(one_post.parent, one_post.name)) == 1


@pytest.mark.parametrize(("name", "count"), sorted(YATTECAST_VARIANTS.items()))
def test_yattecast_sites_keep_their_findings(corpus: Path, name: str, count: int) -> None:
    found = fm010(corpus / name)
    assert len(found) == count
    assert not any("another theme" in str(v["message"]) for v in found)


def test_one_yattecast_post_missing_fields_is_not_a_theme(tmp_path: Path) -> None:
    posts = {f"_posts/2022-09-1{n}-{n}.md": GOOD_EPISODE for n in range(5)}
    posts["_posts/2022-09-20-9.md"] = "---\ntitle: 9. New\n---\nDraft.\n"
    write_files(tmp_path, {"_config.yml": SITE_CONFIG, **posts})
    assert len(fm010(tmp_path, "_posts/2022-09-20-9.md")) == 7


def test_schema_list_show_and_names(tmp_path: Path) -> None:
    listed = run_cli("schema", "list")
    assert listed.code == 0
    assert listed.out.startswith("episode  (default): yattecast episode\n    required: actor_ids,")
    assert "mobileandbeer: link/length/duration episode" in listed.out
    shown = run_cli("schema", "show", "mobileandbeer")
    assert json.loads(shown.out) == json.loads((ROOT / "schemas/mobileandbeer.schema.json").read_text())
    unknown = run_cli("schema", "show", "mobileandber")
    assert unknown.code == 2
    assert "did you mean `mobileandbeer`?" in unknown.err
    post = tmp_path / "p.md"
    post.write_text('---\ntitle: 1. x\nlink: /a.mp3\nlength: 1\nduration: "1:00"\n---\n', encoding="utf-8")
    by_name = run_cli(
        "check", "--no-cache", "--format", "json", "--schema", "mobileandbeer", "p.md", cwd=tmp_path
    )
    assert {v["code"] for v in by_name.json()} == {"FM010"}  # date, layout: mobileandbeer's own fields
    (tmp_path / "epilint.toml").write_text('schema = "mobileandbeer"\n', encoding="utf-8")
    assert run_cli("check", "--no-cache", "--format", "json", "p.md", cwd=tmp_path).out == by_name.out
    typo = run_cli("check", "--schema", "mobilandbeer", "p.md", cwd=tmp_path)
    assert typo.code == 2
    assert "is not a bundled schema (did you mean `mobileandbeer`?" in typo.err
