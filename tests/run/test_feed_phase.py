"""The feed phase: the site's own feed template as the linter's ground truth.

What is predicted, when, and how it is cached (work counted by ``Phase.counts``); which
posts are episodes and what that changes for the other rules; the messages built from
the predicted items; FD050's once-per-site policy; ``epilint feed``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from epilint.config.settings import Settings
from epilint.feed import loops
from epilint.feed.view import SiteFeed
from epilint.lint import registry
from epilint.model import Violation
from epilint.run import feed, pipeline
from epilint.schema.load import bundled_schema, load_schema
from tests.conftest import FIXTURES, GOOD_EPISODE, ROOT, SITE_CONFIG, episode, run_cli, write_files

STOCK = (FIXTURES / "site" / "feed.xml").read_text(encoding="utf-8")
FORK = (FIXTURES / "feeds" / "fork.xml").read_text(encoding="utf-8")
#: A yattecast fork that takes `audio_file_url` when a post has one (as yuruby's does).
URL_FORK = STOCK.replace(
    '<enclosure url="{{ site.github.url }}{{ post.audio_file_path }}"',
    '<enclosure url="{% if post.audio_file_url != nil %}{{ post.audio_file_url }}{% else %}'
    '{{ site.github.url }}{{ post.audio_file_path }}{% endif %}"',
)


def _site(tmp_path: Path, files: dict[str, str], feed_xml: str | None = STOCK) -> Path:
    site = tmp_path / "site"
    write_files(site, {"_config.yml": SITE_CONFIG + "url: https://example.org\n", **files})
    if feed_xml is not None:
        (site / "feed.xml").write_text(feed_xml, encoding="utf-8")
    return site


def _posts(count: int) -> dict[str, str]:
    return {
        f"_posts/2022-09-{n:02d}-{n}.md": episode(GOOD_EPISODE, day=f"2022-09-{n:02d}", number=n)
        for n in range(1, count + 1)
    }


def _check(
    paths: tuple[Path, ...], *, cache: bool = False, select: tuple[str, ...] = ("",)
) -> pipeline.Outcome:
    settings = Settings(select=select, cache=cache)
    return pipeline.run(pipeline.Request(settings, load_schema(bundled_schema()), paths))


def _violations(outcome: pipeline.Outcome, path: Path) -> list[Violation]:
    return [v for f in outcome.result.files if f.path == path for v in f.violations]


# -- when the phase runs, and what it costs -------------------------------------------------


def test_a_site_without_a_feed_template_is_not_rendered(tmp_path: Path) -> None:
    site = _site(tmp_path, _posts(2), feed_xml=None)
    phase = feed.Phase(tmp_path / "cache", time.time())
    view = phase([site])[site]
    assert not view.has_template
    assert phase.counts == {"detections": 1}
    again = feed.Phase(tmp_path / "cache", time.time())
    assert not again([site])[site].has_template
    assert again.counts == {"cache hits": 1}


def test_a_one_file_run_in_a_site_without_a_feed_never_imports_the_renderer(tmp_path: Path) -> None:
    site = _site(tmp_path, _posts(1), feed_xml=None)
    code = (
        "import sys\nfrom epilint.cli import main\n"
        f"main(['check', '--no-cache', {str(site / '_posts' / '2022-09-01-1.md')!r}])\n"
        "print('liquid' in sys.modules, 'epilint.feed.predict' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.stdout.strip().splitlines()[-1] == "False False", done.stdout + done.stderr


def test_predictions_are_cached_by_every_input_they_read(tmp_path: Path) -> None:
    site = _site(tmp_path, _posts(3))
    cache = tmp_path / "cache"

    def counts() -> dict[str, int]:
        phase = feed.Phase(cache, time.time())
        phase([site])
        return dict(phase.counts)

    assert counts() == {"detections": 1, "renders": 1}
    assert counts() == {"cache hits": 1}  # nothing changed: nothing rendered
    post = site / "_posts" / "2022-09-02-2.md"
    post.write_text(post.read_text(encoding="utf-8").replace("title: 2.", "title: 22."), encoding="utf-8")
    assert counts() == {"detections": 1, "renders": 1}  # a post's bytes
    assert counts() == {"cache hits": 1}
    (site / "feed.xml").write_text(STOCK.replace("audio/mp3", "audio/mpeg"), encoding="utf-8")
    assert counts() == {"detections": 1, "renders": 1}  # the template
    write_files(site, {"_posts/2022-09-04-4.md": episode(GOOD_EPISODE, day="2022-09-04", number=4)})
    assert counts() == {"detections": 1, "renders": 1}  # a new post (its folder's listing)
    write_files(site, {"_data/hosts.yml": "a: 1\n"})
    assert counts() == {"detections": 1, "renders": 1}  # a new folder at the root
    assert counts() == {"cache hits": 1}


def test_a_future_post_expires_the_cached_prediction(tmp_path: Path) -> None:
    later = time.time() + 3600
    day = time.strftime("%Y-%m-%d %H:%M:%S +0000", time.gmtime(later))
    future = GOOD_EPISODE.replace("date: 2022-09-10 00:00:00 +0900", f"date: {day}")
    site = _site(tmp_path, {**_posts(1), "_posts/2099-01-01-9.md": future})
    cache = tmp_path / "cache"
    first = feed.Phase(cache, time.time())
    assert "_posts/2099-01-01-9.md" not in first([site])[site].documents
    assert feed.Phase(cache, time.time())([site])[site].next_change is not None
    after = feed.Phase(cache, later + 1)
    view = after([site])[site]
    assert after.counts["renders"] == 1
    assert "_posts/2099-01-01-9.md" in view.episodes


def test_items_that_read_the_clock_are_not_reused(tmp_path: Path) -> None:
    clocked = STOCK.replace(
        "<itunes:explicit>no</itunes:explicit>\n      </item>",
        "<itunes:explicit>no</itunes:explicit>\n"
        "        <built>{{ site.time | date_to_rfc822 }}</built>\n      </item>",
    )
    site = _site(tmp_path, _posts(1), feed_xml=clocked)
    cache = tmp_path / "cache"
    feed.Phase(cache, 1_700_000_000.0)([site])
    again = feed.Phase(cache, 1_700_000_100.0)
    again([site])
    assert again.counts["renders"] == 1
    # a channel that prints the build time does not make items depend on it
    channel = STOCK.replace(
        "<channel>", "<channel>\n    <lastBuildDate>{{ site.time | date_to_rfc822 }}</lastBuildDate>"
    )
    (site / "feed.xml").write_text(channel, encoding="utf-8")
    feed.Phase(cache, 1_700_000_200.0)([site])
    last = feed.Phase(cache, 1_700_000_300.0)
    last([site])
    assert last.counts == {"cache hits": 1}


def test_the_phase_runs_only_when_a_selected_rule_reads_the_feed() -> None:
    readers = {r.code for r in registry.load_rules().values() if r.reads_feed}
    assert {"FD001", "FD050", "FD051", "FM010", "EP009", "CO001", "LN012", "LN014"} <= readers
    # the rules that read only the post (its links as written, YAML types) need no feed
    assert not {r.code for r in registry.select(("LN001", "LN007", "YT"), (), online=False) if r.reads_feed}


def test_a_warm_one_file_run_reads_the_cached_prediction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _site(tmp_path, _posts(30))
    monkeypatch.setenv("EPILINT_CACHE_DIR", str(tmp_path / "cache"))
    renders: list[Path] = []
    original = feed.Phase._predict

    def counting(self: feed.Phase, root: Path) -> object:
        renders.append(root)
        return original(self, root)

    monkeypatch.setattr(feed.Phase, "_predict", counting)
    one = (site / "_posts" / "2022-09-07-7.md",)
    _check(one, cache=True)
    _check(one, cache=True)
    _check((site / "_posts" / "2022-09-08-8.md",), cache=True)
    assert len(renders) == 1


# -- the results cache keys a file on what it read of the prediction ---------------------


def test_a_cached_result_follows_the_feed_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    post = "_posts/2022-09-01-1.md"
    text = episode(GOOD_EPISODE, day="2022-09-01", number=1).replace(
        "description: The first episode.", 'description: "One<br>two"'
    )
    site = _site(tmp_path, {post: text})
    monkeypatch.setenv("EPILINT_CACHE_DIR", str(tmp_path / "cache"))
    path = site / post
    assert [v.code for v in _violations(_check((path,), cache=True), path) if v.code == "FD001"] == ["FD001"]
    escaped = STOCK.replace("{{ post.description }}", "{{ post.description | xml_escape }}")
    (site / "feed.xml").write_text(escaped, encoding="utf-8")
    assert not [v for v in _violations(_check((path,), cache=True), path) if v.code == "FD001"]


def test_the_report_memo_follows_the_feed_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = _site(tmp_path, _posts(1))
    monkeypatch.setenv("EPILINT_CACHE_DIR", str(tmp_path / "cache"))
    first = run_cli("check", str(site / "_posts"), "--select", "FD050")
    assert first.code == 1
    assert "audio/mp3" in first.out
    again = run_cli("check", str(site / "_posts"), "--select", "FD050")
    assert again.out == first.out
    (site / "feed.xml").write_text(STOCK.replace('type="audio/mp3"', 'type="audio/mpeg"'), encoding="utf-8")
    third = run_cli("check", str(site / "_posts"), "--select", "FD050")
    assert "audio/mp3" not in third.out


# -- episodes ---------------------------------------------------------------------------------


def test_a_post_the_template_skips_is_not_an_episode(tmp_path: Path) -> None:
    blog = "---\ntitle: 2. A blog post\ncategories: blog\n---\nNews.\n"
    site = _site(tmp_path, {**_posts(2), "_posts/2022-09-03-news.md": blog}, feed_xml=FORK)
    path = site / "_posts" / "2022-09-03-news.md"
    outcome = _check(tuple(sorted((site / "_posts").glob("*.md"))))
    found = _violations(outcome, path)
    assert [v.code for v in found] == ["FD051"]
    (skip,) = found
    assert "skips category `blog`" in skip.message
    assert "{% unless post.categories contains 'blog' %}" in skip.message
    assert "line 10" in skip.message
    # its title number is not counted: no duplicate numbers, no gaps with the episodes
    second = site / "_posts" / "2022-09-02-2.md"
    assert not [v for v in _violations(outcome, second) if v.code.startswith("CO")]


def test_without_a_feed_template_every_post_is_judged_as_today(tmp_path: Path) -> None:
    blog = "---\ntitle: 2. A blog post\ncategories: blog\n---\nNews.\n"
    site = _site(tmp_path, {**_posts(2), "_posts/2022-09-03-news.md": blog}, feed_xml=None)
    outcome = _check(tuple(sorted((site / "_posts").glob("*.md"))))
    codes = {v.code for v in _violations(outcome, site / "_posts" / "2022-09-03-news.md")}
    assert "FM010" in codes
    assert "CO005" in codes
    assert "FD051" not in codes


def test_a_post_beyond_the_loops_limit_says_so() -> None:
    around = loops.around("{% for post in site.posts limit:10 offset:2 %}\n<item>\n{% endfor %}\n", 2)
    assert around.loop is not None
    assert around.loop.limit == 10
    assert around.loop.offset == 2
    around = loops.around(
        "{% for p in site.posts %}{% if p.audio %}\n{% else %}\n<item>{% endif %}{% endfor %}", 3
    )
    (condition,) = around.conditions
    assert loops.condition_phrase(condition, "p") == "skips posts where `p.audio`"
    assert loops.condition_keys(condition, "p") == ("audio",)


# -- messages from the prediction ---------------------------------------------------------------


def test_a_field_the_template_takes_from_another_key_is_not_missing(tmp_path: Path) -> None:
    by_url = episode(GOOD_EPISODE, day="2022-09-01", number=1).replace(
        "audio_file_path: /audio/001.mp3", "audio_file_url: https://cdn.example.org/001.mp3"
    )
    neither = episode(GOOD_EPISODE, day="2022-09-02", number=2).replace(
        "audio_file_path: /audio/002.mp3\n", ""
    )
    site = _site(tmp_path, {"_posts/2022-09-01-1.md": by_url, "_posts/2022-09-02-2.md": neither}, URL_FORK)
    outcome = _check(tuple(sorted((site / "_posts").glob("*.md"))), select=("FM010",))
    assert not _violations(outcome, site / "_posts" / "2022-09-01-1.md")
    (missing,) = _violations(outcome, site / "_posts" / "2022-09-02-2.md")
    assert missing.message == (
        "required field `audio_file_path` is missing: the feed will say "
        '<enclosure url="" length="48211456" type="audio/mp3">'
    )
    # without the fork, the same post misses the field
    (site / "feed.xml").write_text(STOCK, encoding="utf-8")
    outcome = _check((site / "_posts" / "2022-09-01-1.md",), select=("FM010",))
    assert [v.code for v in _violations(outcome, site / "_posts" / "2022-09-01-1.md")] == ["FM010"]


def test_messages_quote_the_predicted_element(tmp_path: Path) -> None:
    text = episode(GOOD_EPISODE, day="2022-09-01", number=1).replace('duration: "01:02:03"', "duration:")
    site = _site(tmp_path, {"_posts/2022-09-01-1.md": text})
    path = site / "_posts" / "2022-09-01-1.md"
    (empty,) = _violations(_check((path,), select=("FM011",)), path)
    assert empty.message == "`duration` is empty: the feed will say <itunes:duration></itunes:duration>"
    (site / "feed.xml").write_text(
        STOCK.replace("<itunes:duration>{{ post.duration }}</itunes:duration>", "")
    )
    (empty,) = _violations(_check((path,), select=("FM011",)), path)
    assert empty.message == "`duration` is empty"  # the template does not use it


def test_a_piped_text_is_judged_by_the_values_it_did_not_change(tmp_path: Path) -> None:
    text = episode(GOOD_EPISODE, day="2022-09-01", number=1).replace(
        "description: The first episode.", 'description: "One<br>two"'
    )
    site = _site(tmp_path, {"_posts/2022-09-01-1.md": text})
    path = site / "_posts" / "2022-09-01-1.md"
    settings = Settings(select=("FD001", "FM011"), cache=False)
    fixed = text.replace('description: "One<br>two"', "description: One, two")
    request = pipeline.Request(settings, load_schema(bundled_schema()), (path,), stdin=fixed.encode())
    assert not _violations(pipeline.run(request), path)
    request = pipeline.Request(settings, load_schema(bundled_schema()), (path,), stdin=text.encode())
    assert [v.code for v in _violations(pipeline.run(request), path)] == ["FD001"]


# -- FD050: once per site, on the template file ----------------------------------------------------


def test_template_faults_are_reported_once_on_the_template(tmp_path: Path) -> None:
    site = _site(tmp_path, _posts(3))
    every = _check(tuple(sorted((site / "_posts").glob("*.md"))), select=("FD050",))
    one = _check((site / "_posts" / "2022-09-02-2.md",), select=("FD050",))
    for outcome in (every, one):
        (template,) = [f for f in outcome.result.files if f.violations]
        assert template.path == site / "feed.xml"
        lines = [template.positions.position(v.span.start)[0] for v in template.violations]
        # link, guid and enclosure url from site.github.url; type="audio/mp3"; explicit "no"
        assert lines == [13, 16, 17, 17, 20]
    assert [v.message for f in every.result.files for v in f.violations] == [
        v.message for f in one.result.files for v in f.violations
    ]


def test_template_faults_can_be_ignored_for_the_template_file(tmp_path: Path) -> None:
    site = _site(tmp_path, _posts(1))
    (site / "epilint.toml").write_text('[per-file-ignores]\n"feed.xml" = ["FD050"]\n', encoding="utf-8")
    result = run_cli("check", "--no-cache", "--select", "FD050", str(site / "_posts"), cwd=site)
    assert result.code == 0, result.out


# -- the view's data round trip ------------------------------------------------------------------


def test_the_cached_view_reads_back_as_predicted(tmp_path: Path) -> None:
    from epilint.feed.files import read_text, recording
    from epilint.feed.predict import predict_site
    from epilint.feed.view import site_data

    site = _site(tmp_path, _posts(2), feed_xml=FORK)
    with recording() as inputs:
        prediction = predict_site(
            site, __import__("datetime").datetime.now(__import__("datetime").timezone.utc)
        )
        data = site_data(prediction, inputs.read, lambda name: read_text(site / name))
    view = SiteFeed.from_data(site, json.loads(json.dumps(data)))
    for feed_, item in prediction.items_for("_posts/2022-09-01-1.md"):
        ((info, read),) = view.items_for("_posts/2022-09-01-1.md")
        assert info.output == feed_.output
        assert [(e.path, e.text.text if e.text else None) for e in read.elements] == [
            (e.path, e.text.text if e.text else None) for e in item.elements
        ]
        assert [e.attrs for e in read.elements] == [
            tuple((n, v.__class__(**{**v.__dict__, "reads": ()})) for n, v in e.attrs) for e in item.elements
        ]


# -- epilint feed -------------------------------------------------------------------------------------


def test_epilint_feed_prints_the_predicted_items(tmp_path: Path) -> None:
    blog = "---\ntitle: A blog post\ncategories: blog\n---\nNews.\n"
    site = _site(tmp_path, {**_posts(1), "_posts/2022-09-03-news.md": blog}, feed_xml=FORK)
    text = run_cli("feed", "--no-cache", cwd=site)
    assert text.code == 0, text.err
    assert (
        '<enclosure url="https://example.org/audio/001.mp3" length="48211456" type="audio/mpeg"/>' in text.out
    )
    assert "url ← `audio_file_path`" in text.out
    assert "type ← `audio_type` (absent)" in text.out
    assert "_posts/2022-09-03-news.md: not in the feed: `feed.xml` skips category `blog`" in text.out
    data = json.loads(run_cli("feed", "--no-cache", "--format", "json", cwd=site).out)
    first, news = data["files"]
    assert news["episode"] is False
    assert "blog" in news["not_in_feed"]
    (item,) = first["items"]
    enclosure = next(e for e in item["elements"] if e["path"] == "enclosure")
    assert enclosure["attributes"]["url"]["keys"] == ["audio_file_path"]
    assert enclosure["attributes"]["length"]["text"] == "48211456"
    assert enclosure["line"] == 17


def test_epilint_feed_says_when_a_site_has_no_feed(tmp_path: Path) -> None:
    site = _site(tmp_path, _posts(1), feed_xml=None)
    text = run_cli("feed", "--no-cache", cwd=site)
    assert "its site has no feed template" in text.out


def test_the_phase_module_is_imported_lazily() -> None:
    code = (
        "import sys, epilint.run.pipeline\n"
        "print('epilint.feed.predict' in sys.modules, 'liquid' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert done.stdout.strip() == "False False"


def test_a_fault_of_the_model_leaves_the_feeds_unknown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _site(tmp_path, _posts(2))

    def broken(self: feed.Phase, root: Path) -> object:
        raise RuntimeError("a bug")

    monkeypatch.setattr(feed.Phase, "_predict", broken)
    view = feed.Phase(None, time.time())([site])[site]
    assert view.has_template
    assert view.episode("_posts/2022-09-01-1.md") is None
    assert "RuntimeError: a bug" in view.feeds[0].error  # type: ignore[operator]
    outcome = _check((site / "_posts" / "2022-09-01-1.md",))
    assert not [v for f in outcome.result.files for v in f.violations if v.code.startswith("FD")]
