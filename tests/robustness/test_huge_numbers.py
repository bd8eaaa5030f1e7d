"""Numbers past Python's 4,300-digit conversion limit, deep nesting and the calendar's edge.

Psych reads an integer of any size (Ruby has bignums). epilint reads those of up to
``yaml11.MAX_INT_DIGITS`` digits exactly as Ruby does, and reports larger ones as a safety
limit (FM002) instead of converting them to or from text; wherever Psych reads YAML — a
post, ``_config.yml``, ``_data/*.yml`` — the run goes on.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from epilint.read import yaml11
from tests.conftest import GOOD_EPISODE, require

DIGITS = "9" * 5000
#: Scalars Ruby reads as integers (or times) that Python cannot convert in one piece.
HUGE = {
    "decimal": f"v: {DIGITS}",
    "negative": f"v: -{DIGITS}",
    "binary": "v: 0b" + "1" * 20_000,
    "hex": "v: 0x" + "f" * 5000,
    "octal": "v: 0" + "7" * 6000,
    "underscores": "v: " + "9_" * 5000 + "9",
    "sexagesimal": f"v: {DIGITS}:00",
    "sexagesimal-sum": "v: " + "9" * 4299 + ":00:00",
    "key": f"? {DIGITS}\n: x",
    "flow-key": "{? " + DIGITS + " : x}",
}

PRINT = 'require "yaml"; $stdin.read.split("\\0").each { |d| puts Psych.safe_load(d)["v"] }'
TIMES = (
    'require "yaml"; $stdin.read.split("\\n").each { |d| '
    'puts Psych.safe_load("v: #{d}", permitted_classes: [Time])["v"].to_i }'
)
RUBY = r"""
require "yaml"; require "date"; require "json"
JSON.parse($stdin.read).each do |doc|
  data = Psych.safe_load(doc, permitted_classes: [Date, Time], aliases: true)
  value = data.is_a?(Hash) && data.key?("v") ? data["v"] : data.keys.first
  puts JSON.generate([value.class.to_s, value.is_a?(Integer) ? value.to_s.size : value.to_s[0, 40],
                      value.is_a?(Time) ? value.usec : nil])
end
"""


def ruby(documents: list[str]) -> list[list[object]]:
    done = subprocess.run(
        [require("ruby"), "-e", RUBY], input=json.dumps(documents), capture_output=True,
        text=True, timeout=120, check=True,
    )  # fmt: skip
    return [json.loads(line) for line in done.stdout.splitlines()]


@pytest.mark.ruby
def test_ruby_reads_every_case_as_an_integer_and_epilint_reports_it_as_a_limit() -> None:
    answers = ruby(list(HUGE.values()))
    for (name, text), (kind, _size, _usec) in zip(HUGE.items(), answers, strict=True):
        assert kind == "Integer", name
        with pytest.raises(yaml11.YamlError) as caught:
            yaml11.compose(text)
        assert caught.value.limit, name
        assert "4300 digits" in caught.value.message


@pytest.mark.ruby
def test_integers_up_to_the_limit_read_exactly_as_ruby_reads_them() -> None:
    cases = ["v: " + "9" * yaml11.MAX_INT_DIGITS, "v: 0b" + "1" * 14_000, "v: " + "7" * 4290 + ":59:59"]
    done = subprocess.run(
        [require("ruby"), "-e", PRINT],
        input="\0".join(cases), capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    for text, expected in zip(cases, done.stdout.split(), strict=True):
        root = yaml11.compose(text)
        assert isinstance(root, yaml11.Mapping)
        value = root.pairs[0].value
        assert isinstance(value, yaml11.Scalar)
        assert str(value.value) == expected


@pytest.mark.ruby
def test_a_long_fraction_of_a_second_is_a_time_with_rubys_microseconds() -> None:
    text = "v: 2022-01-01 00:00:00.123456789" + "1" * 5000 + " +09:00"
    ((kind, _shown, usec),) = ruby([text])
    root = yaml11.compose(text)
    assert isinstance(root, yaml11.Mapping)
    value = root.pairs[0].value
    assert isinstance(value, yaml11.Scalar)
    assert isinstance(value.value, yaml11.PsychTime)
    assert kind == "Time"
    assert value.value.usec == usec == 123456


@pytest.mark.ruby
def test_a_float_tag_on_a_huge_integer_is_infinity_as_in_ruby() -> None:
    root = yaml11.compose("v: !!float " + "9" * 400 + "\nw: !!float -" + "9" * 400)
    assert isinstance(root, yaml11.Mapping)
    values = [p.value.value for p in root.pairs if isinstance(p.value, yaml11.Scalar)]
    assert values == [float("inf"), float("-inf")]
    assert [k for k, *_ in ruby(["v: !!float " + "9" * 400])] == ["Float"]


def _run(site: Path, *paths: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "epilint", "check", "--no-cache", "--format", "json", *paths],
        cwd=site, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


GOOD = GOOD_EPISODE.replace('"01:02:03"', "45:30")


@pytest.mark.parametrize("name", sorted(HUGE))
def test_a_huge_integer_in_a_post_is_fm002_and_the_run_goes_on(
    make_site: Callable[..., Path], name: str
) -> None:
    text = HUGE[name]
    site = make_site(
        {"_posts/2022-09-11-2.md": f"---\ntitle: 2. x\n{text}\n---\n", "_posts/2022-09-10-1.md": GOOD}
    )
    proc = _run(site, "_posts")
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 1, proc.stderr
    found = {(f["path"], f["code"]) for f in json.loads(proc.stdout)}
    assert ("_posts/2022-09-11-2.md", "FM002") in found
    assert ("_posts/2022-09-10-1.md", "YT001") in found


@pytest.mark.parametrize("where", ["_config.yml", "_data/actors.yml"])
def test_a_huge_integer_in_site_data_never_crashes(make_site: Callable[..., Path], where: str) -> None:
    site = make_site({"_posts/2022-09-10-1.md": GOOD})
    target = site / where
    target.parent.mkdir(exist_ok=True)
    previous = target.read_text(encoding="utf-8") if target.exists() else ""
    target.write_text(previous + f"? {DIGITS}\n: x\nbig: {DIGITS}\n", encoding="utf-8")
    proc = _run(site, "_posts")
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 1, proc.stderr
    assert ("_posts/2022-09-10-1.md", "YT001") in {(f["path"], f["code"]) for f in json.loads(proc.stdout)}


@pytest.mark.parametrize("depth", [100, 498, 499, 500])
@pytest.mark.parametrize("brackets", ["[]", "{}"])
def test_nesting_just_under_the_limit_is_read_and_reported(tmp_path: Path, depth: int, brackets: str) -> None:
    opening, closing = brackets
    nest = (opening * depth if opening == "[" else "{a: " * depth) + "x" + closing * depth
    post = tmp_path / "deep.md"
    post.write_text(f"---\ntitle: 1. x\nk: {nest}\n---\n", encoding="utf-8")
    proc = _run(tmp_path, str(post))
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 1, proc.stderr
    codes = {f["code"] for f in json.loads(proc.stdout)}
    assert codes  # FM010/FM014 for the fields, or FM002 at the limit itself
    assert ("FM002" in codes) == (depth + 1 > yaml11.MAX_DEPTH)


def test_aliases_cannot_build_values_deeper_than_the_limit() -> None:
    lines = ["a0: &a0 [x]"] + [f"a{i}: &a{i} [*a{i - 1}]" for i in range(1, 700)]
    root = yaml11.compose("\n".join(lines))
    with pytest.raises(yaml11.ExpansionTooLarge):
        yaml11.to_json(root)


@pytest.mark.parametrize(
    ("date", "shown"),
    [("0000-01-01 00:00:00", "0000-01-01"), ("0000-02-29 12:00:00 +0900", "0000-02-29"),
     ("-0001-12-31 23:59:59 +0000", "-0001-12-31"), ("0000-01-01", "0000-01-01")],
)  # fmt: skip
def test_year_zero_and_before_are_reported_not_crashed_on(
    make_site: Callable[..., Path], date: str, shown: str
) -> None:
    site = make_site(
        {"_posts/2022-09-11-2.md": f"---\ntitle: 2. x\ndate: {date}\n---\n", "_posts/2022-09-10-1.md": GOOD}
    )
    for flags in ((), ("--fix", "--unsafe-fixes")):
        proc = _run(site, *flags, "_posts")
        assert "Traceback" not in proc.stderr
        assert proc.returncode == 1, proc.stderr
        assert "_posts/2022-09-11-2.md" in proc.stdout


@pytest.mark.ruby
def test_calendar_arithmetic_before_year_one_agrees_with_ruby() -> None:
    texts = [
        "0000-01-01 00:00:00",
        "-0001-03-01 00:00:00",
        "-0401-02-29 10:00:00 +0900",
        "0000-02-29 00:00:00",
    ]
    done = subprocess.run(
        [require("ruby"), "-e", TIMES],
        input="\n".join(texts), capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    ours = [yaml11.tokenize(t) for t in texts]
    assert [t.epoch for t in ours if isinstance(t, yaml11.PsychTime)] == [int(x) for x in done.stdout.split()]


@pytest.mark.parametrize(
    "line",
    [f'audio_file_size: "{DIGITS}"', f'duration: "{DIGITS}:00"', f"duration: '{DIGITS}:00:00'",
     f"title: 第{DIGITS}回", f"episode: 0{DIGITS}"],
    ids=["size", "duration", "duration-hours", "title", "leading-zero"],
)  # fmt: skip
def test_huge_digit_strings_are_read_as_text_without_a_crash(
    make_site: Callable[..., Path], line: str
) -> None:
    post = GOOD.replace("audio_file_size: 48211456\n", "").replace("duration: 45:30\n", "") + ""
    post = post.replace("---\n", f"---\n{line}\n", 1)
    site = make_site(
        {"_posts/2022-09-10-1.md": post, "_posts/2022-09-11-2.md": post, "audio/001.mp3": b"x" * 10}
    )
    for flags in ((), ("--fix", "--unsafe-fixes")):
        proc = _run(site, *flags, "_posts")
        assert "Traceback" not in proc.stderr
        assert proc.returncode in (0, 1), proc.stderr
