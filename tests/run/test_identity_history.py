"""The identity guard over histories built from the real corpus sites.

Each corpus site whose feed the model predicts is copied into a new git repository and
committed; then, one at a time, its newest episode's post is renamed, its ``permalink:``
edited, the site's ``url`` changed, its oldest episode deleted, and — a fine change — a new
episode added. The guard compares each working tree with the commit. The figures of
every site and change are printed (the test log holds the table).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from epilint.feed.predict import predict_site
from epilint.run.identity import Phase, SiteIdentity
from tests.conftest import CORPUS, git, require

pytestmark = [pytest.mark.slow]

NOW = dt.datetime(2026, 8, 1, tzinfo=dt.timezone.utc)
SITES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and "__" in p.name) if CORPUS.is_dir() else []


def _reset(root: Path) -> None:
    git(root, "reset", "-q", "--hard")
    git(root, "clean", "-q", "-fdx")


def _front_matter_add(text: str, line: str) -> str:
    """``line`` added as the front matter's first key."""
    return re.sub(r"\A(---[ \t]*\r?\n)", lambda m: m.group(1) + line + "\n", text, count=1)


def _shown(found: SiteIdentity) -> str:
    if not found.reports:
        return "-"
    return " ".join(
        f"{r.code}:{r.cause.kind}{'/' + r.cause.key if r.cause.key else ''}×{r.count}" for r in found.reports
    )


@pytest.mark.skipif(not SITES, reason="the shared corpus is absent")
def test_history_of_every_corpus_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    require("git")
    rows = [
        f"{'site':48} {'feed':18} {'ep':>4} {'pub':>4} {'same':>4}  "
        "rename | permalink | url | delete | new episode"
    ]
    checked = 0
    for name in SITES:
        source = CORPUS / name
        prediction = predict_site(source, NOW)
        feeds = [f for f in prediction.feeds if f.error is None and any(i.post for i in f.items)]
        if not feeds:
            rows.append(f"{name:48} no predicted item with a post")
            continue
        feed = feeds[0]
        posts = [i.post for i in feed.items if i.post is not None and i.post.startswith("_")]
        dated = dict(prediction.dates)
        posts = [p for p in dict.fromkeys(posts) if dated.get(p, 0) <= NOW.timestamp()]
        if len(posts) < 2:
            rows.append(f"{name:48} fewer than two dated posts in {feed.output}")
            continue
        root = tmp_path / name
        shutil.copytree(source, root, symlinks=True, ignore=shutil.ignore_patterns(".epilint_cache", "_site"))
        git(root, "init", "-q", "-b", "main")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "corpus")
        phase = Phase(tmp_path / f"{name}.cache", NOW.timestamp(), "main")
        newest, oldest = posts[0], posts[-1]
        results: dict[str, SiteIdentity] = {}

        # 1. rename the newest episode's file
        folder, base_name = newest.rsplit("/", 1)
        prefix = 11 if re.match(r"[0-9]{4}-[0-9]{2}-[0-9]{2}-", base_name) else 0
        renamed = f"{folder}/{base_name[:prefix]}renamed-{base_name[prefix:]}"
        git(root, "mv", newest, renamed)
        results["rename"] = phase.site(root)
        _reset(root)
        # 2. edit its permalink
        path = root / newest
        text = path.read_text(encoding="utf-8")
        if re.search(r"(?m)^permalink:", text):
            text = re.sub(r"(?m)^permalink:.*$", "permalink: /moved/newest/", text, count=1)
        else:
            text = _front_matter_add(text, "permalink: /moved/newest/")
        path.write_text(text, encoding="utf-8")
        results["permalink"] = phase.site(root)
        _reset(root)
        # 3. another site url
        config = root / "_config.yml"
        config.write_text(
            config.read_text(encoding="utf-8") + "\nurl: https://moved.example.org\n", encoding="utf-8"
        )
        results["url"] = phase.site(root)
        _reset(root)
        # 4. delete the oldest episode
        (root / oldest).unlink()
        results["delete"] = phase.site(root)
        _reset(root)
        # 5. a new episode (fine)
        copy = root / folder / f"{NOW.date() - dt.timedelta(days=1)}-brand-new.md"
        copy.write_text(
            _front_matter_add((root / newest).read_text(encoding="utf-8"), "title: A brand new episode"),
            encoding="utf-8",
        )
        results["new"] = phase.site(root)
        _reset(root)

        outcome = results["new"].outcome
        assert outcome is not None
        row = f"{name:48} {feed.output:18} {len(feed.items):4} {outcome.published:4} {outcome.matched:4}  "
        rows.append(
            row + " | ".join(_shown(results[k]) for k in ("rename", "permalink", "url", "delete", "new"))
        )
        # what each change must give, whatever the template
        assert results["new"].reports == (), (name, results["new"].reports)
        for key, target in (("rename", renamed), ("permalink", newest)):
            for report in results[key].reports:
                assert report.count == 1, (name, key, report)
                assert report.cause.path == target, (name, key, report.cause)
        assert {r.cause.kind for r in results["rename"].reports} <= {"rename"}, name
        assert {(r.cause.kind, r.cause.key) for r in results["permalink"].reports} <= {
            ("key", "permalink")
        }, name
        for report in results["url"].reports:
            assert (report.cause.kind, report.cause.key) == ("config", "url"), (name, report)
        # one warning on each feed that had the deleted episode, where it writes its items
        deleted = results["delete"].reports
        having = sorted({i.template for f in prediction.feeds for i in f.items if i.post == oldest})
        assert [(r.code, r.cause.kind, r.cause.path, r.count) for r in deleted] == [
            ("FD102", "deleted", output, 1) for output in having
        ], (name, deleted)
        # a guid made from the post's URL moves with it
        guid = next(i for i in feed.items if i.post == newest).element("guid")
        from_url = guid is not None and guid.text is not None and "url" in guid.text.computed
        if from_url:
            assert [r.code for r in results["permalink"].reports][:1] == ["FD100"], name
        checked += 1
    with capsys.disabled():
        print("\n" + "\n".join(rows))
    assert checked >= 10
