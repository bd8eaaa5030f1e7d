"""The feed check against real ``jekyll build`` output: every corpus site that builds offline.

Each site is copied to a temporary folder and built there (``_site/``, its ``_plugins``
never run, as in ``tests/feed/test_feed_oracle.py``; at the real clock, the one epilint
runs at). Then the FD item and template rules (FD001–FD099) run twice over the copy: on
the predicted items (``epilint check SITE``) and on the built feeds
(``epilint check _site/FEED …``). The findings, by code, file and line, must be the same,
except for differences ``why`` explains from the prediction itself; the table of
both counts is printed, each difference with its reason (``why``).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from epilint.feed.predict import FeedItem, FeedPrediction, FeedValue, predict_site
from tests.conftest import CORPUS, run_cli
from tests.feed.test_feed_oracle import NOT_BUILDABLE, OVERRIDES

pytestmark = [pytest.mark.jekyll, pytest.mark.slow]

SITES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and "__" in p.name) if CORPUS.is_dir() else []
#: Findings of one run: (code, file, line).
Found = Counter[tuple[str, str, int]]


def _build(source: Path, empty: Path, override: str | None) -> subprocess.CompletedProcess[str]:
    jekyll = shutil.which("jekyll")
    if jekyll is None:
        pytest.skip("the `jekyll` command is not installed")
    command = [jekyll, "build", "--disable-disk-cache", "--plugins", str(empty), "-s", str(source)]
    command += ["-d", str(source / "_site")]
    if override is not None:
        extra = source.parent / f"{source.name}.override.yml"
        extra.write_text(override, encoding="utf-8")
        command += ["--config", f"{source / '_config.yml'},{extra}"]
    env = {k: v for k, v in os.environ.items() if k not in ("JEKYLL_ENV", "PAGES_REPO_NWO", "PAGES_ENV")}
    return subprocess.run(
        command, cwd=source, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def _findings(root: Path, *paths: str) -> Found:
    result = run_cli(
        "check", "--no-cache", "--format", "json", "--select", "FD0", "--exit-zero", *paths, cwd=root
    )
    assert result.code == 0, result.err
    return Counter((str(f["code"]), str(f["path"]), int(str(f["line"]))) for f in result.json())


def _differences(reasons: Counter[tuple[str, str, str]]) -> str:
    parts = [f"{only} only {code}×{n} ({reason})" for (only, code, reason), n in sorted(reasons.items())]
    return "; ".join(parts) or "-"


#: The elements (and attribute) each item rule judges.
JUDGED: dict[str, tuple[tuple[str, str | None], ...]] = {
    "FD002": (("enclosure", "length"),),
    "FD003": (("enclosure", "url"),),
    "FD004": (("enclosure", "type"),),
    "FD005": (("guid", None),),
    "FD006": (("pubDate", None),),
    "FD007": (("itunes:duration", None),),
    "FD008": (("itunes:explicit", None),),
    "FD009": (("itunes:episode", None), ("itunes:season", None)),
    "FD010": (("title", None),),
    "FD011": (
        ("description", None),
        ("itunes:summary", None),
        ("content:encoded", None),
        ("itunes:subtitle", None),
    ),
}


def _not_known(value: FeedValue | None) -> bool:
    return value is not None and (value.unknown is not None or value.content is not None)


def why(finding: tuple[str, str, int], only: str, prediction: FeedPrediction) -> str | None:
    """Why a finding only one run has, or None when nothing explains it.

    * ``unknown``: found on the built feed only, and the prediction could not know the value
      it judges: a post's rendered content (the model does not convert Markdown), a filter of
      the site's ``_plugins`` (the offline build does not run them either: the built value is
      its input, unchanged), a date shape ``Time.parse`` reads that the model does not;
    * ``absent``: found on the predicted items only, FD051 (a post the feed leaves out): a
      built feed may be older than the posts, so it does not say why a post is not in it.
    """
    code, path, line = finding
    if only == "predicted":
        return "absent" if code == "FD051" else None
    if code == "FD050":
        values = [
            v for f in prediction.feeds for v in _all(f.items[:1]) if v.template == path and v.line == line
        ]
        return "unknown" if any(_not_known(v) for v in values) else None
    items = [i for f in prediction.feeds for i in f.items if i.post == path]
    for item in items:
        for element, attr in JUDGED.get(code, ()):
            found = item.element(element)
            value = (dict(found.attrs).get(attr) if attr else found.text) if found is not None else None
            if _not_known(value):
                return "unknown"
    return None


def _all(items: tuple[FeedItem, ...]) -> list[FeedValue]:
    values: list[FeedValue] = []
    for item in items:
        for element in item.elements:
            values.extend(v for _, v in element.attrs)
            if element.text is not None:
                values.append(element.text)
    return values


@pytest.mark.skipif(not SITES, reason="the shared corpus is absent")
def test_built_feeds_agree_with_the_predicted_items(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "no_plugins"
    empty.mkdir()
    rows = [f"{'site':48} {'feeds':28} {'items':>5} {'predicted':>9} {'built':>6} {'same':>5}  differences"]
    failures: list[str] = []
    totals: Counter[str] = Counter()
    for name in SITES:
        if name in NOT_BUILDABLE and name not in OVERRIDES:
            rows.append(f"{name:48} not built offline ({NOT_BUILDABLE[name]})")
            continue
        source = tmp_path / name
        shutil.copytree(CORPUS / name, source, symlinks=True, ignore=shutil.ignore_patterns(".epilint_cache"))
        done = _build(source, empty, OVERRIDES.get(name))
        assert done.returncode == 0, (
            f"{name}: jekyll build failed\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
        )
        prediction = predict_site(source, dt.datetime.now(dt.timezone.utc))
        feeds = list(prediction.feeds)
        built_files = [f"_site/{f.output}" for f in feeds if (source / "_site" / f.output).is_file()]
        if not built_files:
            rows.append(f"{name:48} no feed built")
            continue
        predicted = _findings(source)
        built = _findings(source, *built_files)
        same = sum((predicted & built).values())
        only_predicted, only_built = predicted - built, built - predicted
        items = sum(len(f.items) for f in feeds)
        reasons: Counter[tuple[str, str, str]] = Counter()
        unexplained: list[tuple[str, str, tuple[str, str, int]]] = []
        for only, found in (("predicted", only_predicted), ("built", only_built)):
            for finding in found.elements():
                reason = why(finding, only, prediction)
                if reason is None:
                    unexplained.append((only, "", finding))
                reasons[(only, finding[0], reason or "UNEXPLAINED")] += 1
        rows.append(
            f"{name:48} {' '.join(f.output for f in feeds):28} {items:5} {sum(predicted.values()):9} "
            f"{sum(built.values()):6} {same:5}  {_differences(reasons)}"
        )
        totals.update(
            sites=1, items=items, predicted=sum(predicted.values()), built=sum(built.values()), same=same
        )
        for (only, _code, reason), n in reasons.items():
            totals[f"{only} only ({reason})"] += n
        if unexplained:
            failures.append(f"{name}: unexplained {unexplained[:10]}")
    rows.append("total: " + ", ".join(f"{key} {n}" for key, n in totals.items()))
    with capsys.disabled():
        print("\n" + "\n".join(rows))
    assert not failures, "\n".join(failures)
