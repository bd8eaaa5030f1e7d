"""Ports of Ruby and Jekyll functions against Ruby itself: ``Time.parse`` (the shapes the
model reads), ``Time#strftime``, ``Jekyll::Utils.slugify``, ``Jekyll::URL.escape_path``
and ``Addressable::URI.normalize_component`` — each input run through both."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from zoneinfo import ZoneInfo

import pytest

from epilint.feed import permalink, rubytime
from epilint.feed.values import RubyTime

pytestmark = pytest.mark.ruby

ZONE = "America/New_York"
TIMES = [
    "2022-09-10",
    "2022-9-1",
    "22-09-10",
    "70-01-02",
    "2022-02-30",
    "2022-02-31 23:59:59",
    "2022-09-10 10:20",
    "2022-09-10 10:20:30",
    "2022-09-10T10:20:30Z",
    "2022-09-10T10:20:30.123456+09:00",
    "2022-09-10 10:20:30 +0900",
    "2022-09-10 10:20:30 -05:30",
    "2022-09-10 10:20:30 UTC",
    "2022-03-13 02:30:00",
    "2022-11-06 01:30:00",
    "Mon, 27 Jul 2026 07:00:00 +0900",
    "27 Jul 2026 07:00 GMT",
    "Sat, 10 Sep 2022 07:00:00 -0000",
    "2022-13-01",
    "2022-00-10",
    "2022-01-32",
    "2022-09-10 10:20:30 GMT",
    "2022-09-10 10:20:30 -0000",
    "2022-09-10 10:20:30 +0000",
    "Sat, 10 Sep 2022 07:00:00 UT",
]
FORMATS = (
    "%Y|%C|%y|%m|%-m|%_m|%d|%-d|%e|%j|%H|%k|%I|%l|%M|%S|%L|%p|%P|%a|%A|%b|%B|%^b|%h|%u|%w|%G|%V|%U|%W"
    "|%z|%:z|%::z|%Z|%s|%F|%T|%D|%R|%r|%c|%x|%X|%%|%10Y|%-H"
)
SLUGS = [
    "Hello, World!",
    " ça va_ 日本 (x)@y.z ",
    "--a--b--",
    "Ünïcode Name!",
    "a.b_c~d",
    "",
    "ＡＢＣ１２３",
    "x\u0301y",
]
PATHS = ["abc", "a b", "日本", "a#b#c", "a?b", "ü/ö", "100%", "a:b@c", "it's", "[x]"]
COMPONENTS = ["a b", "%41%42", "f！～", "日本 %E6%97%A5", "a+b&c=d", "~*'()"]

_RUBY = r"""
require "json"
require "time"
require "jekyll"
data = JSON.parse(STDIN.read)
times = data["times"].map do |s|
  begin
    parsed = Time.parse(s)
    t = parsed.dup.localtime
    [t.to_s, t.to_i, parsed.to_s]
  rescue ArgumentError => e
    ["ERROR", 0, ""]
  end
end
stamp = Time.at(data["epoch"]).getlocal(data["offset"])
formats = data["formats"].split("|").map { |f| stamp.strftime(f) }
utc = Time.at(data["epoch"]).utc
formats_utc = data["formats"].split("|").map { |f| utc.strftime(f) }
date = Date.new(2023, 3, 5)
formats_date = data["formats"].split("|").map { |f| date.strftime(f) }
slugs = data["slugs"].map do |s|
  modes = %w(default pretty ascii raw none).map { |m| Jekyll::Utils.slugify(s, mode: m) }
  modes + [Jekyll::Utils.slugify(s, mode: "pretty", cased: true)]
end
paths = data["paths"].map { |p| Jekyll::URL.escape_path(p) }
components = data["components"].map { |c| Addressable::URI.normalize_component(c) }
puts JSON.generate({"times" => times, "formats" => formats, "formats_utc" => formats_utc,
  "formats_date" => formats_date, "slugs" => slugs, "paths" => paths, "components" => components})
"""

EPOCH, OFFSET = 1662794430, 9 * 3600 + 30 * 60  # 2022-09-10 16:50:30 +0930 (a Saturday)


@pytest.fixture(scope="module")
def ruby() -> dict[str, list[object]]:
    command = shutil.which("ruby")
    if command is None:
        pytest.skip("the `ruby` command is not installed")
    payload = {
        "times": TIMES,
        "formats": FORMATS,
        "slugs": SLUGS,
        "paths": PATHS,
        "components": COMPONENTS,
        "epoch": EPOCH,
        "offset": OFFSET,
    }
    done = subprocess.run(
        [command, "-e", _RUBY],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"TZ": ZONE, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    )
    if done.returncode != 0 and "cannot load such file -- jekyll" in done.stderr:
        pytest.skip("Jekyll's Ruby library is not installed")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert isinstance(result, dict)
    return result


@pytest.mark.parametrize("index", range(len(TIMES)))
def test_time_parse(ruby: dict[str, list[object]], index: int) -> None:
    expected_text, expected_epoch, expected_own = ruby["times"][index]  # type: ignore[misc]
    text = TIMES[index]
    try:
        parsed = rubytime.parse(text, ZoneInfo(ZONE))
    except rubytime.InvalidTime:
        assert expected_text == "ERROR"
        return
    assert parsed is not None, f"{text!r}: the model does not read it, Ruby gives {expected_text}"
    local = parsed.localtime(ZoneInfo(ZONE))
    assert (local.to_s(), local.epoch, parsed.to_s()) == (expected_text, expected_epoch, expected_own)


def test_strftime(ruby: dict[str, list[object]]) -> None:
    stamp = RubyTime(dt.datetime.fromtimestamp(EPOCH, dt.timezone(dt.timedelta(seconds=OFFSET))))
    utc = RubyTime(dt.datetime.fromtimestamp(EPOCH, dt.timezone.utc), utc=True)
    formats = FORMATS.split("|")
    ours = [rubytime.strftime(stamp, f) for f in formats]
    ours_utc = [rubytime.strftime(utc, f) for f in formats]
    ours_date = [rubytime.strftime(dt.date(2023, 3, 5), f) for f in formats]
    # %Z of a fixed-offset Time is "" in Ruby; the model prints the zone's name when it has one
    for name, mine, theirs in (
        ("time", ours, ruby["formats"]),
        ("utc", ours_utc, ruby["formats_utc"]),
        ("date", ours_date, ruby["formats_date"]),
    ):
        diffs = [(f, m, t) for f, m, t in zip(formats, mine, theirs, strict=True) if m != t]
        assert diffs == [], name


def test_slugify(ruby: dict[str, list[object]]) -> None:
    for text, expected in zip(SLUGS, ruby["slugs"], strict=True):
        ours = [permalink.slugify(text, mode) for mode in ("default", "pretty", "ascii", "raw", "none")]
        ours.append(permalink.slugify(text, "pretty", cased=True))
        assert ours == expected, text


def test_escape_path(ruby: dict[str, list[object]]) -> None:
    assert [permalink.escape_path(p) for p in PATHS] == ruby["paths"]


def test_normalize_component(ruby: dict[str, list[object]]) -> None:
    from epilint.feed.filters import f_uri_escape

    assert [f_uri_escape(c) for c in COMPONENTS] == ruby["components"]
