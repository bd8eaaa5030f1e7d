"""The feed model against real ``jekyll build`` runs: every corpus site, and site.github.

Each corpus site is copied to a temporary folder and built offline with the real Jekyll
4.3.1, its ``_plugins`` never run (``--plugins`` points at an empty folder: the model never
runs them either, so what they would print is an unknown value on its side), at a fixed
"now" (``faketime``; without it, the instant just before the build). The built feeds are
scanned and compared with the predicted ones item by item (``tests/feed/oracle.py``).

Sites whose build fails offline are listed in ``NOT_BUILDABLE`` with the reason, and the
test asserts that they still fail for that reason (so a fix elsewhere shows up here).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from epilint.feed.predict import predict_site
from tests.conftest import CORPUS as _CORPUS
from tests.feed.oracle import compare_feed

pytestmark = [pytest.mark.jekyll, pytest.mark.slow]

#: ``<repo>/../shared/corpus``, or EPILINT_CORPUS (a checkout elsewhere, e.g. a worktree).
CORPUS = Path(os.environ.get("EPILINT_CORPUS", str(_CORPUS)))
NOW = dt.datetime(2026, 8, 1, tzinfo=dt.timezone.utc)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")

#: Sites the real build cannot build offline, and the message it stops with.
NOT_BUILDABLE = {
    "ajaykarwal__inspect-fm": "you don't have emoji_for_jekyll",  # a gem plugin not installed
    "andreyvit__it-posidelki": "Unknown tag 'navli'",  # a tag from _plugins, used by a layout
    "oliverguhr__mange-frei": "The jekyll-bootflat theme could not be found",  # a gem theme
}
#: Sites built (and predicted) a second time with one more ``--config`` file that leaves
#: out what cannot be had offline: the model reads the same files.
OVERRIDES = {
    "ajaykarwal__inspect-fm": "plugins: [jekyll-sitemap, jekyll-feed]\n",  # without emoji_for_jekyll
}


@dataclass(frozen=True)
class Built:
    site: str
    dest: Path
    returncode: int
    log: str
    now: dt.datetime
    #: The ``--config`` files of the build (None: ``_config.yml``).
    config_files: tuple[Path, ...] | None = None


def _jekyll() -> str:
    found = shutil.which("jekyll")
    if found is None:
        pytest.skip("the `jekyll` command is not installed")
    return found


def _build(
    jekyll: str,
    source: Path,
    dest: Path,
    empty: Path,
    env_extra: dict[str, str] | None = None,
    config_files: tuple[Path, ...] | None = None,
) -> tuple[int, str, dt.datetime]:
    env = {k: v for k, v in os.environ.items() if k not in ("JEKYLL_ENV", "PAGES_REPO_NWO", "PAGES_ENV")}
    env.update(env_extra or {})
    command = [
        jekyll,
        "build",
        "--disable-disk-cache",
        "--plugins",
        str(empty),
        "-s",
        str(source),
        "-d",
        str(dest),
    ]
    if config_files is not None:
        command += ["--config", ",".join(str(path) for path in config_files)]
    faketime = shutil.which("faketime")
    now = NOW
    if faketime is not None:
        command = [faketime, "-f", NOW.strftime("%Y-%m-%d %H:%M:%S"), *command]  # a frozen clock
        env["TZ"] = "UTC"
    else:
        now = dt.datetime.now(dt.timezone.utc)
    done = subprocess.run(
        command, cwd=source, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    return done.returncode, _ANSI.sub("", done.stdout + done.stderr), now


@pytest.fixture(scope="module")
def corpus_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is absent")
    jekyll = _jekyll()
    base = tmp_path_factory.mktemp("feed_oracle")
    empty = base / "no_plugins"
    empty.mkdir()
    sites = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and "__" in p.name)

    def one(job: tuple[str, str | None]) -> Built:
        site, override = job
        source = base / "src" / site
        if not source.exists():
            shutil.copytree(CORPUS / site, source, symlinks=True)
        files = None
        name = site
        if override is not None:
            extra = base / f"{site}.override.yml"
            extra.write_text(override, encoding="utf-8")
            files = (source / "_config.yml", extra)
            name = f"{site}+override"
        dest = base / "out" / name
        code, log, now = _build(jekyll, source, dest, empty, config_files=files)
        return Built(name, dest, code, log, now, files)

    jobs: list[tuple[str, str | None]] = [(site, None) for site in sites]
    jobs += [(site, text) for site, text in OVERRIDES.items() if site in sites]
    with ThreadPoolExecutor(max_workers=2) as pool:
        plain = {b.site: b for b in pool.map(one, jobs[: len(sites)])}
        plain.update({b.site: b for b in pool.map(one, jobs[len(sites) :])})
        return plain


def test_corpus_feeds_agree_with_jekyll(
    corpus_builds: dict[str, Built], capsys: pytest.CaptureFixture[str]
) -> None:
    lines: list[str] = []
    failures: list[str] = []
    totals = [0, 0, 0]
    for name, built in sorted(corpus_builds.items()):
        site = name.split("+")[0]
        if name in NOT_BUILDABLE:
            assert built.returncode != 0, f"{site} now builds offline: add it to the comparison"
            assert NOT_BUILDABLE[site] in built.log, built.log[-2000:]
            lines.append(f"{site}: not modelled, the build fails offline ({NOT_BUILDABLE[site]})")
            continue
        assert built.returncode == 0, f"{name}: jekyll build failed\n{built.log[-3000:]}"
        prediction = predict_site(CORPUS / site, built.now, config_files=built.config_files)
        predicted_outputs = {feed.output for feed in prediction.feeds}
        built_feeds = {
            p.relative_to(built.dest).as_posix()
            for p in built.dest.rglob("*")
            if p.is_file()
            and p.suffix in (".xml", ".rss")
            and "<rss" in p.read_text(encoding="utf-8", errors="replace")
        }
        assert predicted_outputs == built_feeds, (
            f"{name}: feeds predicted {predicted_outputs}, built {built_feeds}"
        )
        for feed in prediction.feeds:
            assert feed.error is None, f"{name} {feed.page}: {feed.error}"
            comparison = compare_feed(feed, (built.dest / feed.output).read_text(encoding="utf-8"))
            totals[0] += comparison.items_matched
            totals[1] += comparison.compared
            totals[2] += comparison.agreed
            lines.append(
                f"{name} {feed.output}: items {comparison.items_matched}/{comparison.items_built}, "
                f"values compared {comparison.compared} (content {comparison.content}), "
                f"unknown {comparison.unknown}, agreement {comparison.agreement:.2%}"
            )
            if comparison.items_predicted != comparison.items_built or comparison.mismatches:
                failures.append(f"{name} {feed.output}:\n  " + "\n  ".join(comparison.mismatches[:10]))
    lines.append(f"total: items {totals[0]}, values compared {totals[1]}, agreed {totals[2]}")
    with capsys.disabled():  # the per-site figures belong in the test log
        print("\n" + "\n".join(lines))
    assert not failures, "\n".join(failures)


# --- site.github as jekyll-github-metadata gives it offline -------------------------------


def _github_site(tmp: Path, config: str) -> Path:
    source = tmp / "site"
    (source / "_posts").mkdir(parents=True)
    (source / "_config.yml").write_text("title: t\nurl: https://example.org\n" + config, encoding="utf-8")
    (source / "feed.xml").write_text(
        "---\n---\n<rss><channel><link>{{ site.github.url }}</link>{% for post in site.posts %}"
        "<item><guid>{{ site.github.url }}{{ post.url }}</guid></item>{% endfor %}</channel></rss>\n",
        encoding="utf-8",
    )
    (source / "_posts" / "2024-01-02-a.md").write_text("---\ntitle: A\n---\nhi\n", encoding="utf-8")
    return source


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("", ""),  # no plugin: site.github is nil
        (
            "plugins: [jekyll-github-metadata]\nrepository: someone/project\n",
            "https://github.com/pages/someone/project",
        ),
        # in development a user site is OWNER.github.com (pages_hostname is localhost:4000)
        (
            "plugins: [jekyll-github-metadata]\nrepository: someone/someone.github.io\n",
            "https://github.com/pages/someone/someone.github.io",
        ),
        (
            "plugins: [jekyll-github-metadata]\nrepository: someone/someone.github.com\n",
            "https://github.com/pages/someone",
        ),
        ("plugins: [jekyll-github-metadata]\n", None),  # no repository: NoRepositoryError
    ],
)
def test_site_github_url_offline(tmp_path: Path, config: str, expected: str | None) -> None:
    jekyll = _jekyll()
    source = _github_site(tmp_path, config)
    empty = tmp_path / "no_plugins"
    empty.mkdir()
    code, log, now = _build(jekyll, source, tmp_path / "out", empty)
    prediction = predict_site(source, now)
    [feed] = prediction.feeds
    if expected is None:
        assert code != 0
        assert "No repo name found" in log
        assert feed.error is not None
        assert "No repo name found" in feed.error
        return
    assert code == 0, log
    built = (tmp_path / "out" / "feed.xml").read_text(encoding="utf-8")
    assert f"<link>{expected}</link>" in built
    assert f"<guid>{expected}/2024/01/02/a.html</guid>" in built
    comparison = compare_feed(feed, built)
    assert comparison.mismatches == []
    assert comparison.xml_compared
    assert comparison.compared == comparison.agreed == 4  # well-formed, order, link, guid
    link = next(e for e in feed.channel if e.path == "link")
    assert link.text is not None
    assert link.text.text == expected


# --- a synthetic site with the shapes feeds meet, for several permalink styles -----------


@pytest.mark.parametrize(
    "permalink",
    [
        "date",
        "pretty",
        "ordinal",
        "none",
        "weekdate",
        "/:categories/:year/:month/:title:output_ext",
        "/:slugified_categories/:i_month/:short_month/:slug/",
        "/episode/:title",
        "/:collection/:name/:y_day:output_ext",
    ],
)
def test_shapes_site_agrees_with_jekyll(tmp_path: Path, permalink: str) -> None:
    from tests.feed.shapes import write_site

    jekyll = _jekyll()
    source = write_site(tmp_path / "site", permalink)
    empty = tmp_path / "no_plugins"
    empty.mkdir()
    code, log, now = _build(jekyll, source, tmp_path / "out", empty)
    assert code == 0, log
    prediction = predict_site(source, now)
    [feed] = prediction.feeds
    assert feed.error is None
    assert not (tmp_path / "out" / "unpublished.xml").exists()
    built = (tmp_path / "out" / feed.output).read_text(encoding="utf-8")
    comparison = compare_feed(feed, built)
    print(
        f"\nshapes {permalink}: items {comparison.items_matched}/{comparison.items_built}, "
        f"values compared {comparison.compared}, unknown {comparison.unknown}, "
        f"agreement {comparison.agreement:.2%}"
    )
    assert comparison.mismatches == []
    assert feed.well_formed is False  # an unescaped `Q & A <raw>`: not XML, as built
    assert comparison.xml_compared
    assert comparison.items_built == comparison.items_predicted == 14
    assert comparison.unknown == 0


@pytest.mark.parametrize("jekyll_env", ["development", "production"])
@pytest.mark.parametrize(
    "config",
    [
        "plugins: [jekyll-github-metadata]\nrepository: someone/project\n",
        "plugins: [jekyll-github-metadata]\nrepository: someone/someone.github.com\nbaseurl: /\n",
        "plugins: [jekyll-github-metadata]\nrepository: someone/project\nname: Named\n",
        "plugins: [jekyll-github-metadata]\nrepository: someone/project\ntitle: Own\nurl: https://own.example\n",
        "repository: someone/project\n",
    ],
)
def test_github_metadata_config_fallbacks(tmp_path: Path, config: str, jekyll_env: str) -> None:
    """site.title/description/url/baseurl as the plugin fills them in, offline."""
    jekyll = _jekyll()
    source = tmp_path / "site"
    (source / "_posts").mkdir(parents=True)
    (source / "_config.yml").write_text(config, encoding="utf-8")
    (source / "feed.xml").write_text(
        "---\n---\n<rss><channel><title>{{ site.title }}</title><description>{{ site.description }}"
        "</description><link>{{ site.url }}|{{ site.baseurl }}|{{ '/x/' | absolute_url }}|"
        "{{ '/y' | relative_url }}</link>{% for post in site.posts %}<item>"
        "<guid>{{ post.url | absolute_url }}</guid></item>{% endfor %}</channel></rss>\n",
        encoding="utf-8",
    )
    (source / "_posts" / "2024-01-02-a.md").write_text("---\ntitle: A\n---\nhi\n", encoding="utf-8")
    empty = tmp_path / "no_plugins"
    empty.mkdir()
    code, log, now = _build(jekyll, source, tmp_path / "out", empty, {"JEKYLL_ENV": jekyll_env})
    assert code == 0, log
    [feed] = predict_site(source, now, jekyll_env=jekyll_env).feeds
    assert feed.error is None
    comparison = compare_feed(feed, (tmp_path / "out" / "feed.xml").read_text(encoding="utf-8"))
    assert comparison.mismatches == []
    assert comparison.xml_compared
    assert comparison.compared == comparison.agreed == 6  # well-formed, order, 4 values


# --- what the build writes (LN012's "the site does not have") ----------------------------


def _built_addresses(dest: Path) -> set[str]:
    """Every URL path GitHub Pages answers for the built folder ``dest``: each file, a
    folder holding ``index.html``, and an ``.html`` file without its extension."""
    found: set[str] = set()
    for path in dest.rglob("*"):
        if path.is_file():
            url = "/" + path.relative_to(dest).as_posix()
            found.add(url)
            if path.name == "index.html":
                found.add(url[: -len("index.html")])
            elif path.suffix == ".html":
                found.add(url[: -len(".html")])  # served without the extension (GitHub Pages)
    return found


def test_corpus_outputs_agree_with_jekyll(
    corpus_builds: dict[str, Built], capsys: pytest.CaptureFixture[str]
) -> None:
    """The paths the model says a build writes (``FeedPrediction.outputs``: documents,
    pages, static files, the modelled gems' files) against the files of the real build of
    every corpus site that builds offline: each predicted path is served, each built file
    is a predicted path (``SiteFeed.has_output``, as LN012 asks)."""
    from urllib.parse import unquote

    from epilint.feed.view import SiteFeed, site_data

    lines: list[str] = []
    failures: list[str] = []
    totals = [0, 0]
    for name, built in sorted(corpus_builds.items()):
        site = name.split("+")[0]
        if name in NOT_BUILDABLE or built.returncode != 0:
            continue
        prediction = predict_site(CORPUS / site, built.now, config_files=built.config_files)
        view = SiteFeed.from_data(CORPUS / site, site_data(prediction, {}, lambda _relative: None))
        served = {unquote(url) for url in _built_addresses(built.dest)}
        files = {
            unquote("/" + p.relative_to(built.dest).as_posix()) for p in built.dest.rglob("*") if p.is_file()
        }
        not_served = sorted(url for url in view.outputs if url not in served)
        not_predicted = sorted(url for url in files if not view.has_output(url))
        totals[0] += len(files)
        totals[1] += len(files) - len(not_predicted)
        lines.append(
            f"{name}: built files {len(files)}, predicted paths {len(view.outputs)}, "
            f"built files predicted {len(files) - len(not_predicted)}, "
            f"predicted paths not built {len(not_served)}"
        )
        if not_served or not_predicted:
            failures.append(f"{name}: not built {not_served[:5]}, not predicted {not_predicted[:5]}")
    lines.append(f"total: built files {totals[0]}, predicted {totals[1]}")
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert not failures, "\n".join(failures)
