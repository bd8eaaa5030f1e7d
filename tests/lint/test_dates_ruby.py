"""What Jekyll makes of a post's date, against Jekyll itself.

Every ``date:`` value of the corpus (in its site's time zone) and a set of generated
shapes go through real Ruby as Jekyll 4.3 reads them — ``Psych.safe_load`` as Jekyll calls
it, then ``Jekyll::Utils.parse_date(value.to_s)`` with ``TZ`` set to the site's zone — and
through ``epilint.lint.dates.read``. Where epilint knows the instant it must be Ruby's;
where it says the build stops, Ruby must raise; where it does not know, it says so (those
are counted and printed, never compared as agreements).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from zoneinfo import ZoneInfo

import pytest

from epilint.lint import dates
from epilint.read import yaml11
from tests.conftest import CORPUS

pytestmark = pytest.mark.ruby

RUBY = r"""
require "json"
require "yaml"
require "date"
require "time"
require "jekyll"
STDIN.each_line do |line|
  text, zone = JSON.parse(line)
  ENV["TZ"] = zone
  Jekyll::Utils.instance_variable_set(:@parse_date_cache, {})  # it caches by text, whatever the zone
  begin
    value = Psych.safe_load("date: " + text, permitted_classes: [Date, Time], aliases: true)["date"]
    time = Jekyll::Utils.parse_date(value.to_s)
    puts JSON.generate(["ok", time.to_r.to_f])
  rescue Jekyll::Errors::InvalidDateError => e
    puts JSON.generate(["invalid", e.message[0, 80]])
  rescue StandardError => e
    puts JSON.generate(["psych", e.class.to_s])
  end
  STDOUT.flush
end
"""

GENERATED = [
    "2022-09-10 20:00:00 +0900", "2022-9-1T09:00:00+09:00", "2019-06-01 9:44:00 +0900",
    "2019-6-1", "2019-06-01", '"2019-06-01"', '"Thu, 22 Feb 2018 13:55:42 +0000"',
    '"Sat, 10 Sep 2022 07:00:00 GMT"', '"2021-05-22 00:00:00+0900"', "2022-02-30 10:00:00 +0900",
    '"2022-13-45 10:00:00"', '"2022-02-30"', '""', "", '"2022-09-10T10:20:30Z"',
    "2022-09-20 20:00:00", '"2022-09-20 20:00:00"', '"2022-09-20 20:00"', "2022-09-10T10:20:30.5-05:00",
    '"next tuesday"', '"Sept 3"', "2022", '"57"', "2022-09-10 24:00:00 +0900", '"2022-09-10 25:00:00"',
    '"2022-03-13 02:30:00"', '"2022-11-06 01:30:00"', "1999-12-31 23:59:59 -1200",
]  # fmt: skip
ZONES = ["Asia/Tokyo", "America/New_York", "UTC"]


def _corpus_dates() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if not CORPUS.is_dir():
        return found
    for config in sorted(CORPUS.glob("*/_config.yml")):
        zone_match = re.search(r"^timezone:\s*(\S+)", config.read_text(encoding="utf-8"), re.M)
        zone = zone_match.group(1) if zone_match else "UTC"
        for post in sorted((config.parent / "_posts").rglob("*.m*")):
            head = post.read_text(encoding="utf-8", errors="replace")[:4000]
            line = re.search(r"^date:[ \t]*(.*?)[ \t]*$", head, re.M)
            if line is not None:
                found.append((line.group(1), zone))
    return found


def test_dates_read_as_jekyll_reads_them() -> None:
    if shutil.which("ruby") is None:
        pytest.skip("ruby is not installed")
    cases = sorted({*_corpus_dates(), *((text, zone) for text in GENERATED for zone in ZONES)})
    stdin = "".join(json.dumps(case) + "\n" for case in cases)
    done = subprocess.run(
        ["ruby", "-e", RUBY], input=stdin, capture_output=True, text=True, timeout=300, check=True
    )
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(answers) == len(cases)
    agree = unknown = 0
    wrong: list[tuple[str, str, object, object]] = []
    for (text, zone), (kind, value) in zip(cases, answers, strict=True):
        if kind == "psych":
            continue  # not a readable front matter (FM002's case)
        root = yaml11.compose(f"date: {text}")
        assert isinstance(root, yaml11.Mapping)
        scalar = root.pairs[0].value
        assert isinstance(scalar, yaml11.Scalar)
        site_zone = None if zone == "UTC" else ZoneInfo(zone)
        reading = dates.read(scalar, site_zone)
        if reading.verdict is dates.Verdict.UNKNOWN:
            unknown += 1
            continue
        if reading.verdict is dates.Verdict.INVALID:
            ok = kind == "invalid"
        else:
            instant = reading.instant
            ok = kind == "ok" and instant is not None and abs(instant.timestamp() - float(value)) < 1e-3
        if ok:
            agree += 1
        else:
            wrong.append((text, zone, reading.verdict.value, value))
    total = len(cases)
    print(f"dates vs Jekyll: {agree} agree, {unknown} not known to epilint, {len(wrong)} disagree of {total}")
    assert wrong == []
    assert agree >= 0.95 * total  # the corpus's dates are read, not left unknown
