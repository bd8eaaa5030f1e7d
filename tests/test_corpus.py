"""epilint over the real podcast sites in ../shared/corpus: no crash, real findings."""

from __future__ import annotations

import json
import os
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import require, run_cli


@pytest.fixture(scope="module")
def corpus_findings() -> list[dict[str, object]]:
    from tests.conftest import CORPUS

    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    result = run_cli("check", ".", "--format", "json", cwd=CORPUS)
    assert result.code == 1
    assert "Traceback" not in result.err
    return result.json()


def find(findings: list[dict[str, object]], path_part: str, code: str) -> list[dict[str, object]]:
    return [f for f in findings if path_part in str(f["path"]) and f["code"] == code]


def test_whole_corpus_runs(corpus: Path, corpus_findings: list[dict[str, object]]) -> None:
    posts = [p for p in corpus.glob("*/_posts/**/*") if p.suffix in (".md", ".markdown")]
    assert len(posts) > 700
    linted = {str(f["path"]) for f in corpus_findings}
    assert len(linted) > 500


def test_size_with_units_is_wrong_type(corpus_findings: list[dict[str, object]]) -> None:
    hits = find(corpus_findings, "fumufumu-fm__fumufumufm.github.io/_posts/2020-08-14-3.md", "FM012")
    assert hits, "the `106.2 MB` size of a fumufumu episode"
    # the element as the site's own feed template predicts it
    assert '<enclosure url="/audio/3.mp3" length="106.2 MB" type="audio/mp3">' in str(hits[0]["message"])
    wakate = find(corpus_findings, "wakateossan__wakateossan.github.io/_posts/", "FM012")
    assert len(wakate) > 200


def test_unquoted_durations_in_other_themes_are_sexagesimal(corpus_findings: list[dict[str, object]]) -> None:
    hits = find(corpus_findings, "yonbergman__mobileandbeer-site/_posts/", "YT001")
    assert len(hits) > 40
    assert all(h["line"] and "base-60" in str(h["message"]) for h in hits)


def test_offsetless_dates_in_a_site_without_timezone(corpus_findings: list[dict[str, object]]) -> None:
    hits = find(corpus_findings, "yonbergman__mobileandbeer-site/_posts/", "YT004")
    assert hits
    assert all(h["fix"] and h["fix"]["applicability"] == "suggestion" for h in hits)  # type: ignore[index]


def test_malformed_dates_are_invalid_values(corpus_findings: list[dict[str, object]]) -> None:
    hits = find(corpus_findings, "benedmunds__phptownhall.com/_posts/", "FM015")
    odd = [h for h in hits if " 8T19:00:00" in str(h["message"])]
    # five posts write `2020-06-29 8T19:00:00 -05:00`; Ruby's Time.parse still reads them (the
    # build does not stop), but epilint does not know which instant it makes of that shape
    assert len(odd) == 5
    assert all("epilint does not know" in str(h["message"]) for h in odd)
    errors = find(corpus_findings, "benedmunds__phptownhall.com/_posts/", "FM013")
    assert not [h for h in errors if "date" in str(h["message"])]


def test_no_fm002_where_ruby_psych_reads_the_file(
    corpus: Path, corpus_findings: list[dict[str, object]]
) -> None:
    ruby = require("ruby")
    posts = sorted(str(p) for p in corpus.glob("*/_posts/**/*") if p.is_file())
    script = r"""
require "yaml"; require "date"; require "json"
re = /\A(---\s*\n.*?\n?)^((---|\.\.\.)\s*$\n?)/m
bad = []
JSON.parse($stdin.read).each do |path|
  text = File.read(path, encoding: "bom|utf-8")
  next unless text =~ re
  begin
    Psych.safe_load(Regexp.last_match(1), permitted_classes: [Date, Time], aliases: true)
  rescue StandardError
    bad << path
  end
end
puts JSON.generate(bad)
"""
    proc = subprocess.run(
        [ruby, "-e", script], input=json.dumps(posts), capture_output=True, text=True,
        timeout=120, check=True, env={**os.environ, "TZ": "UTC"},
    )  # fmt: skip
    ruby_bad = {Path(p).relative_to(corpus).as_posix() for p in json.loads(proc.stdout)}
    ours = {str(f["path"]) for f in corpus_findings if f["code"] == "FM002"}
    assert ours == ruby_bad


def test_statistics_counts(corpus: Path) -> None:
    result = run_cli("check", ".", "--statistics", cwd=corpus)
    counts = Counter(line.split()[1] for line in result.out.splitlines()[:-1])
    assert counts  # one line per rule that fired
    assert result.out.splitlines()[-1].startswith("Found ")
