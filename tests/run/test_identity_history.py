"""The identity guard over histories built from the real corpus sites.

Each corpus site whose feed the model predicts is copied into a new git repository and
committed; then, one at a time, its newest episode's post is renamed, its ``permalink:``
edited, the site's ``url`` changed, its oldest episode deleted, and — a fine change — a new
episode added. The guard compares each working tree with the commit. The figures of
every site and change are printed (the test log holds the table).

``test_rustacean_station_history`` rebuilds the one history the corpus tells of: the
guids rustacean-station pinned by hand after its template stopped writing ``//``.
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


#: rustacean-station pins eight guids by hand (``# keep guid after change to remove //``):
#: its template once wrote ``rustacean-station/{{ post.url }}``, ``//`` in every guid.
RUSTACEAN = "rustacean-station__rustacean-station.org"
TEMPLATE_LINE = '<guid isPermaLink="false">rustacean-station{{ post.url }}</guid>'
OLD_TEMPLATE_LINE = '<guid isPermaLink="false">rustacean-station/{{ post.url }}</guid>'
#: The last episode with a ``//`` guid: the first commit has the episodes up to it.
LAST_OLD = "2019-11-26"


def _pins(root: Path) -> dict[str, str]:
    """Each episode's pinned guid (``guid:`` in its front matter), by site-relative path."""
    found: dict[str, str] = {}
    for path in sorted((root / "_episodes").rglob("*.md")):
        pin = re.search(r'(?m)^guid: "([^"]*)"', path.read_text(encoding="utf-8"))
        if pin is not None:
            found[path.relative_to(root).as_posix()] = pin.group(1)
    return found


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


#: A report as the table shows it: code, cause, key, file, episodes.
Shown = tuple[str, str, str | None, str, int]


def _found(phase: Phase, root: Path) -> list[Shown]:
    return [(r.code, r.cause.kind, r.cause.key, r.cause.path, r.count) for r in phase.site(root).reports]


@pytest.mark.skipif(not (CORPUS / RUSTACEAN).is_dir(), reason="the shared corpus is absent")
def test_rustacean_station_history(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The history rustacean-station's pinned guids tell, rebuilt commit by commit from the
    corpus site: the ``//`` days (each pinned episode without its pin, the template with
    ``/``, the slug or permalink its pinned guid shows), the template fixed, the pins added,
    and today's site (the slug and permalink as they are now, every later episode). The
    guard runs at each commit against the first (what subscribers have) and against the
    one before."""
    require("git")
    root = tmp_path / "site"
    shutil.copytree(
        CORPUS / RUSTACEAN, root, symlinks=True, ignore=shutil.ignore_patterns(".epilint_cache", "_site")
    )
    git(root, "init", "-q", "-b", "main")
    _commit(root, "today")  # kept to come back to
    today = git(root, "rev-parse", "HEAD").strip()
    pins = {p: g for p, g in _pins(root).items() if "//" in g}
    assert len(pins) == 7
    template = root / "pages" / "podcast.rss"

    # c0: the `//` days
    for path in (root / "_episodes").rglob("*.md"):
        if path.name[:10] > LAST_OLD:
            path.unlink()
    _edit(template, TEMPLATE_LINE, OLD_TEMPLATE_LINE)
    for post, guid in pins.items():
        path = root / post
        text = re.sub(r'(?m)^guid: "[^"]*"\n', "", path.read_text(encoding="utf-8"), count=1)
        old_url = guid.removeprefix("rustacean-station/")
        slug = re.search(r'(?m)^slug: "([^"]*)"', text)
        assert slug is not None
        if old_url.endswith("/"):  # the collection's permalink /episode/:title/, another slug
            text = text.replace(slug.group(0), f'slug: "{old_url.split("/")[-2]}"', 1)
        else:  # a permalink of its own, without the trailing slash
            text = _front_matter_add(text, f"permalink: {old_url}")
        path.write_text(text, encoding="utf-8")
    _commit(root, "the // days")
    base = git(root, "rev-parse", "HEAD").strip()
    old = predict_site(root, NOW)
    published = {i.post: i.element("guid") for f in old.feeds for i in f.items if i.post in pins}
    # the rebuilt commit published exactly the guids the site pins today
    assert {p: g.text.text for p, g in published.items() if g is not None and g.text is not None} == pins

    steps: list[tuple[str, list[Shown], list[Shown]]] = []

    def step(name: str) -> None:
        _commit(root, name)
        cache = tmp_path / f"{len(steps)}.cache"
        steps.append(
            (
                name,
                _found(Phase(cache, NOW.timestamp(), base), root),
                _found(Phase(cache, NOW.timestamp(), "HEAD~1"), root),
            )
        )

    # c1: the template fixed, nothing pinned (what the guard is for)
    _edit(template, OLD_TEMPLATE_LINE, TEMPLATE_LINE)
    step("template fixed")
    # c2: the pins, as the site wrote them
    for post, guid in pins.items():  # the slug or permalink as it was, the pin added
        _edit(root / post, "\n---\n", f'\nguid: "{guid}"\n---\n')
    step("guids pinned")
    # c3: today's site (the slugs and permalink as they are, every later episode)
    git(root, "checkout", "-q", today, "--", ".")
    step("today")

    rows = [f"{'commit':16} {'against the // days':60} against the commit before"]
    for name, against_base, against_parent in steps:
        shown = [
            " ".join(f"{c}:{k}{'/' + key if key else ''}@{p}×{n}" for c, k, key, p, n in found) or "-"
            for found in (against_base, against_parent)
        ]
        rows.append(f"{name:16} {shown[0]:60} {shown[1]}")
    with capsys.disabled():
        print(f"\n{RUSTACEAN}: {len(pins)} guids pinned by hand\n" + "\n".join(rows))

    (fixed_base, fixed_parent), (pinned_base, pinned_parent), (today_base, _today_parent) = (
        (b, p) for _, b, p in steps
    )
    # the template fix moves the seven guids at once: one finding on its line
    assert fixed_base == [("FD100", "template", None, "pages/podcast.rss", 7)]
    assert fixed_base == fixed_parent
    # pinned: what subscribers have is back; the pins move the guids of the commit before
    assert [f for f in pinned_base if f[0] == "FD100"] == []
    assert sum(f[4] for f in pinned_parent if f[0] == "FD100") == 7
    # today: every pinned guid kept; the links that moved with the slugs and the permalink
    assert today_base == [
        ("FD101", "key", "permalink", "_episodes/interviews/2019-08-08-ruma.md", 1),
        ("FD101", "key", "slug", "_episodes/releases/2019-11-26-rust-1.39.0.md", 1),
    ]
