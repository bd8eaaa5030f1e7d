"""Differential test: epilint's YAML reading against real Ruby Psych, as Jekyll calls it.

Debian's Jekyll 4.3.1 reads front matter with
``Psych.safe_load(yaml, permitted_classes: [Date, Time], aliases: true)``. Thousands of
generated plain scalars (and every example in RULES.md) go to one Ruby process and through
``epilint.read.yaml11``; type and value must agree for every one.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import random
import re
import struct
import subprocess

import pytest

from epilint.read import yaml11
from tests.conftest import require

pytestmark = pytest.mark.ruby

RUBY_ORACLE = r"""
require "yaml"
require "date"
require "json"

def describe(value)
  case value
  when nil then ["null"]
  when true, false then ["bool", value]
  when Integer then ["int", value.to_s]
  when Float then ["float", [value].pack("G").unpack1("H*")]
  when String then ["str", value]
  when Time then ["time", value.to_i, value.usec, value.utc_offset]
  when Date then ["date", value.year, value.month, value.day]
  when Array then ["list", value.map { |v| describe(v) }]
  when Hash then ["map", value.map { |k, v| [describe(k), describe(v)] }]
  else ["other", value.class.to_s]
  end
end

JSON.parse($stdin.read).each do |doc|
  result =
    begin
      data = Psych.safe_load(doc, permitted_classes: [Date, Time], aliases: true)
      data.is_a?(Hash) && data.key?("v") ? describe(data["v"]) : ["nokey"]
    rescue StandardError => e  # Jekyll rescues StandardError and skips the front matter
      ["error"]
    end
  puts JSON.generate(result)
end
"""

# Every example RULES.md, CLI.md and the issues name, plus Psych's own corner cases.
DOCUMENTED = [
    "10:06",
    "45:30",
    "00:08",
    "01:26:19",
    "1:26:19",
    "10:60",
    "54:09",
    "30:08",
    "001",
    "010",
    "008",
    "007",
    "0",
    "1_000",
    "1,000",
    "1e3",
    "1.0e3",
    "1.5",
    ".5",
    "1.",
    "yes",
    "no",
    "on",
    "off",
    "Yes",
    "NO",
    "On",
    "OFF",
    "y",
    "n",
    "true",
    "False",
    "~",
    "null",
    "NULL",
    "Null",
    "nUll",
    "57",
    "2022-09-10",
    "2022-9-10",
    "2022-02-30",
    "2022-09-10 00:00:00 +0900",
    "2022-09-20 20:00:00",
    "2022-09-10 00:00:00 +09:00",
    "2022-09-10T00:00:00+0900",
    "2022-13-45 00:00:00 +0900",
    "2022-09-10 00:00:00 Z",
    "2020-06-29 8T19:00:00 -05:00",
    "2022-09-10 00:00:00.5 +0900",
    "2022-09-10 24:00:00",
    "19.5 MB",
    "10.1MB",
    "42 MB",
    "0x1F",
    "0b101",
    "0o17",
    "+1",
    "-0",
    "-1:30",
    "1:30.5",
    ".inf",
    "-.Inf",
    ".NaN",
    "+.inf",
    ":sym",
    "1:2:3:4",
    "57. Stable Diffusion",
    "第57回",
    "ep.57",
    "4.5.",
    "2-1.",
    "/audio/057.mp3",
    "article",
    "Infinity",
]

_TOKENS = [
    "0",
    "1",
    "2",
    "7",
    "8",
    "9",
    "00",
    "01",
    "010",
    "08",
    "59",
    "60",
    "99",
    "123",
    ":",
    ":",
    ":",
    "-",
    "+",
    ".",
    "_",
    ",",
    "e",
    "E",
    "e+3",
    "e-2",
    "x",
    "b",
    "o",
    "yes",
    "No",
    "ON",
    "off",
    "null",
    "NULL",
    "nUll",
    "~",
    "true",
    "y",
    "n",
    "inf",
    "nan",
    "a",
    "ab",
    "MB",
    "T",
    "Z",
    "2022",
    "-09",
    "-9",
    "-30",
    " ",
    "第",
    "回",
]


def _offset(rng: random.Random) -> str:
    sign = rng.choice("+-")
    hours = rng.choice([0, 5, 9, 12, 14, 23, 24, 99])
    minutes = rng.choice([0, 30, 45, 59, 60, 99])
    form = rng.randrange(5)
    if form == 0:
        return f"{sign}{hours:02d}{minutes:02d}"
    if form == 1:
        return f"{sign}{hours:02d}:{minutes:02d}"
    if form == 2:
        return f"{sign}{hours}"
    if form == 3:
        return "Z"
    return f"{sign}{hours:02d}"


def _timestamp(rng: random.Random) -> str:
    year = rng.choice([1970, 1999, 2000, 2022, 2024, 2100, 9999, 1])
    month, day = rng.randint(0, 13), rng.randint(0, 32)
    hour, minute, second = rng.randint(0, 25), rng.randint(0, 61), rng.randint(0, 61)
    mfmt = rng.choice(["{:02d}", "{}"])
    date = f"{year:04d}-{mfmt.format(month)}-{mfmt.format(day)}"
    if rng.random() < 0.25:
        return date
    sep = rng.choice([" ", "T", "t", "  ", "\t"])
    clock = f"{hour:{rng.choice(['02d', 'd'])}}:{minute:02d}:{second:02d}"
    if rng.random() < 0.3:
        clock += "." + "".join(rng.choice("0123456789") for _ in range(rng.randint(0, 9)))
    zone = ""
    if rng.random() < 0.7:
        zone = rng.choice(["", " ", "  "]) + _offset(rng)
    return f"{date}{sep}{clock}{zone}"


def _sexagesimal(rng: random.Random) -> str:
    parts = [str(rng.choice([0, 1, 9, 10, 45, 59, 100, 1234]))]
    for _ in range(rng.randint(1, 3)):
        value = rng.choice([0, 5, 8, 9, 30, 59, 60, 61, 99])
        parts.append(f"{value:02d}" if rng.random() < 0.7 else str(value))
    text = rng.choice(["", "+", "-"]) + ":".join(parts)
    if rng.random() < 0.2:
        text += "." + str(rng.randint(0, 99))
    if rng.random() < 0.1:
        text = text.replace("0", "0_", 1)
    return text


def _number(rng: random.Random) -> str:
    digits = "".join(rng.choice("0123456789_,") for _ in range(rng.randint(1, 6)))
    text = rng.choice(["", "+", "-"]) + rng.choice(["", "0", "0x", "0b", "0o", "1"]) + digits
    if rng.random() < 0.3:
        text += "." + "".join(rng.choice("0123456789_") for _ in range(rng.randint(0, 4)))
    if rng.random() < 0.2:
        text += rng.choice(["e", "E"]) + rng.choice(["", "+", "-"]) + str(rng.randint(0, 30))
    return text


def generate(count: int, seed: int = 20221010) -> list[str]:
    rng = random.Random(seed)
    makers = [_timestamp, _sexagesimal, _number]
    out: list[str] = []
    while len(out) < count:
        if rng.random() < 0.55:
            out.append(rng.choice(makers)(rng))
        else:
            out.append("".join(rng.choice(_TOKENS) for _ in range(rng.randint(1, 4))))
    return out


def _document(scalar: str) -> str:
    return f"v: {scalar}\n"


def epilint_describe(value: object) -> list[object]:
    if value is None:
        return ["null"]
    if isinstance(value, bool):
        return ["bool", value]
    if isinstance(value, int):
        return ["int", str(value)]
    if isinstance(value, float):
        return ["float", struct.pack(">d", value).hex()]
    if isinstance(value, yaml11.Unloadable):
        return ["error"]
    if isinstance(value, str):
        return ["str", value]
    if isinstance(value, yaml11.PsychTime):
        return ["time", value.epoch, value.usec, value.offset or 0]
    if isinstance(value, dt.date):
        return ["date", value.year, value.month, value.day]
    raise AssertionError(f"unexpected value {value!r}")


def epilint_node(node: yaml11.Node) -> list[object]:
    while isinstance(node, yaml11.Alias):
        node = node.target
    if yaml11.refused_tag(node.tag):
        return ["error"]
    if isinstance(node, yaml11.Scalar):
        return epilint_describe(node.value)
    if isinstance(node, yaml11.Sequence):
        return ["list", [epilint_node(item) for item in node.items]]
    return ["map", [[epilint_node(p.key), epilint_node(p.value)] for p in node.pairs]]


def epilint_read(document: str) -> list[object]:
    try:
        root = yaml11.compose(document)
    except yaml11.YamlError:
        return ["error"]
    assert isinstance(root, yaml11.Mapping)
    values = [p.value for p in root.pairs if yaml11.key_text(p.key) == "v"]
    return epilint_node(values[-1]) if values else ["nokey"]


def ruby_read(documents: list[str]) -> list[list[object]]:
    ruby = require("ruby")
    proc = subprocess.run(
        [ruby, "-e", RUBY_ORACLE],
        input=json.dumps(documents),
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "TZ": "UTC"},
        check=True,
    )
    lines = proc.stdout.splitlines()
    assert len(lines) == len(documents)
    return [json.loads(line) for line in lines]


def test_documented_examples_agree_with_ruby() -> None:
    documents = [_document(s) for s in DOCUMENTED]
    expected = ruby_read(documents)
    mismatches = [
        (s, e, epilint_read(d))
        for s, d, e in zip(DOCUMENTED, documents, expected, strict=True)
        if epilint_read(d) != e
    ]
    assert mismatches == []


_RUBY_DAY_OVERFLOW_BUG = re.compile(
    r"[0-9]{4}-[0-9]{1,2}-(29|30|31)[ tT].*-(1[3-9]|[2-9][0-9]):?[0-9]{0,2}\Z"
)


def ruby_time_bug(scalar: str) -> bool:
    """Ruby 3.1's ``Time.new`` rolls an overflowing day (Sep 31) *back* a month when the
    offset is below -12:00, which no real zone uses. epilint reports such a date as an
    invalid value (FM013) either way, so these cases are counted but not compared."""
    return bool(_RUBY_DAY_OVERFLOW_BUG.match(scalar))


@pytest.mark.parametrize("seed", [20221010, 5])
def test_generated_scalars_agree_with_ruby(seed: int) -> None:
    scalars = generate(3000, seed)
    documents = [_document(s) for s in scalars]
    expected = ruby_read(documents)
    agree = bug = 0
    mismatches = []
    for scalar, document, ruby in zip(scalars, documents, expected, strict=True):
        ours = epilint_read(document)
        if ours == ruby:
            agree += 1
        elif ruby_time_bug(scalar):
            bug += 1
        else:
            mismatches.append((scalar, ruby, ours))
    kinds = {tuple(r[:1]) for r in expected}
    print(
        f"\nPsych agreement (seed {seed}): {agree}/{len(scalars)} generated scalars "
        f"({bug} on Ruby's day-overflow bug, not compared); kinds seen: {sorted(kinds)}"
    )
    assert mismatches[:20] == []
    assert agree + bug == len(scalars)
    # The generator must actually reach every kind of value, or the test proves little.
    assert {("int",), ("float",), ("str",), ("time",), ("date",), ("bool",), ("null",)} <= kinds


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10:06", 36360),
        ("00:08", 480),
        ("1:26:19", 5179),
        ("45:30", 163800),
        ("10:60", "10:60"),
        ("010", 8),
        ("008", "008"),
        ("1_000", 1000),
        ("1e3", "1e3"),
        ("yes", True),
        ("off", False),
        ("~", None),
        ("", None),
    ],
)
def test_known_values_without_ruby(text: str, expected: object) -> None:
    assert yaml11.tokenize(text) == expected


def test_timestamps_without_ruby() -> None:
    with_offset = yaml11.tokenize("2022-09-10 00:00:00 +0900")
    assert isinstance(with_offset, yaml11.PsychTime)
    assert with_offset.offset == 9 * 3600
    assert with_offset.epoch == 1662735600
    utc = yaml11.tokenize("2022-09-20 20:00:00")
    assert isinstance(utc, yaml11.PsychTime)
    assert utc.offset is None
    assert utc.epoch == 1663704000
    assert yaml11.tokenize("2022-13-45 00:00:00 +0900") == "2022-13-45 00:00:00 +0900"
    assert yaml11.tokenize("2022-09-10") == dt.date(2022, 9, 10)
    assert math.isnan(float(yaml11.tokenize(".nan")))  # type: ignore[arg-type]


TAGGED_AND_QUOTED = [
    "v: !!str 10:06", "v: '10:06'", 'v: "010"', "v: !!float 1", "v: !!float 10:06", "v: !!int 12",
    "v: ! 12", "v: !foo 12", "v: !!binary aGVsbG8=", "v: |\n  10:06\n", "v: >-\n  yes\n",
    "v: 10:06 # a comment", "v: !ruby/object:Foo {}", "v: !ruby/sym foo", "v: !!null ''",
    "v: !!bool yes", "v: !str 010", "v: !ruby/string 010", "v: '2022-09-10'",
    "v: !!timestamp 2022-09-10", "v:\n  10:06", "v: &x 010", "v: *x", "v: 10:06\nv: 45:30",
    "v: !!float abc", 'v: !!float "1.5"', "v: !!float yes", 'v: !!binary "!!!"', "v: !!int '12'",
]  # fmt: skip


def test_tagged_quoted_and_block_scalars_agree_with_ruby() -> None:
    expected = ruby_read(TAGGED_AND_QUOTED)
    pairs = zip(TAGGED_AND_QUOTED, expected, strict=True)
    mismatches = [(d, e, epilint_read(d)) for d, e in pairs if epilint_read(d) != e]
    assert mismatches == []
