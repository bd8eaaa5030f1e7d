"""The model's Liquid (filters, printing of Ruby values) against the real thing: the same
templates rendered by Ruby's Liquid 5.4 with Jekyll 4.3.1's filters loaded (the library
only: no site, no plugin), in the same time zone."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from epilint.feed.predict import render_text
from epilint.feed.values import RubyTime

pytestmark = pytest.mark.ruby

ZONE = "Asia/Tokyo"
_RUBY = r"""
require "json"
require "jekyll"
site = Jekyll::Site.new(Jekyll.configuration("quiet" => true, "source" => ARGV[0],
  "destination" => File.join(ARGV[0], "_site"), "url" => ARGV[1], "baseurl" => ARGV[2]))
cases = JSON.parse(STDIN.read)
out = cases.map do |c|
  vars = c["vars"]
  (c["times"] || {}).each { |k, v| vars[k] = Time.at(v[0]).getlocal(v[1]) }
  begin
    Liquid::Template.parse(c["source"]).render!(vars, registers: { site: site })
  rescue StandardError => e
    "ERROR"
  end
end
puts JSON.generate(out)
"""

NOW = dt.datetime(2026, 8, 1, tzinfo=dt.timezone.utc)
T1 = (1662735600, 9 * 3600)  # 2022-09-10 00:00:00 +0900
T2 = (1700000000, -5 * 3600)  # 2023-11-14 17:13:20 -0500

CASES: list[tuple[str, dict[str, object], dict[str, tuple[int, int]]]] = [
    (
        "{{ a }}|{{ b }}|{{ c }}|{{ d }}|{{ e }}|{{ f }}|{{ g }}",
        {"a": 573.675125, "b": 1e16, "c": 1e-5, "d": 0.1, "e": 1e15, "f": 0.0001, "g": 12.0},
        {},
    ),
    (
        "{{ a }}|{{ b }}|{{ c }}|{{ d }}|{{ e }}",
        {"a": None, "b": True, "c": False, "d": [1, [2, None, "x"], 3.5], "e": {"k": "v", "n": 1}},
        {},
    ),
    (
        "{{ n | plus: 1 }}|{{ n | minus: '2.5' }}|{{ n | times: 1.1 }}|{{ n | divided_by: 4 }}|{{ n |"
        " divided_by: 4.0 }}|{{ -7 | modulo: 3 }}|{{ 7.5 | modulo: 2 }}",
        {"n": 10},
        {},
    ),
    (
        "{{ 2.5 | round }}|{{ 3.14159 | round: 2 }}|{{ 1234 | round: -2 }}|{{ -2.5 | round }}|{{ 4.2 |"
        " ceil }}|{{ -4.2 | floor }}|{{ -3 | abs }}|{{ '12abc' | plus: 0 }}",
        {},
        {},
    ),
    (
        "{{ 5 | at_least: 7 }}|{{ 5 | at_most: 3.5 }}|{{ '3.50' | times: 2 }}|{{ n | default: 'd' }}|"
        "{{ f | default: 'd' }}|{{ f | default: 'd', allow_false: true }}|{{ '' | default: 'e' }}",
        {"n": None, "f": False},
        {},
    ),
    (
        "{{ t }}|{{ t | date_to_rfc822 }}|{{ t | date_to_xmlschema }}|{{ t | date_to_string }}|{{ t |"
        " date_to_long_string: 'ordinal', 'US' }}|{{ t | date_to_string: 'ordinal' }}",
        {},
        {"t": T1},
    ),
    (
        "{{ u }}|{{ u | date_to_rfc822 }}|{{ u |"
        " date: '%Y年%m月%d日 %-d %e %j %I %p %z %:z %a %A %b %B %y %H:%M:%S %^a %-m %s' }}",
        {},
        {"u": T2},
    ),
    (
        "{{ '2022-09-10' | date_to_rfc822 }}|{{ '2022-09-10 10:20:30 +0100' | date_to_xmlschema }}|"
        "{{ '2022-09-10T10:20:30Z' | date: '%s %z' }}|{{ 'Sat, 10 Sep 2022 07:00:00 +0900' |"
        " date_to_rfc822 }}",
        {},
        {},
    ),
    (
        "{{ s | xml_escape }}|{{ s | escape }}|{{ s | cgi_escape }}|{{ s | url_encode }}|{{ s |"
        " uri_escape }}|{{ s | escape_once }}",
        {"s": "a <b> & \"c\" 'd' ~e* f！～ 日本 %41 &amp;"},
        {},
    ),
    (
        "{{ s | strip_html }}|{{ s | strip_newlines }}|{{ s | normalize_whitespace }}|{{ s |"
        " number_of_words }}|{{ s | number_of_words: 'cjk' }}|{{ s | size }}",
        {"s": "<p>Hello\n<b>wor</b>ld</p>\r\n<script>x</script><!-- c --> 日本語 text  "},
        {},
    ),
    (
        "{{ s | truncate: 10 }}|{{ s | truncate: 5, '' }}|{{ s | truncatewords: 2 }}|{{ s | upcase }}|"
        "{{ s | capitalize }}|{{ s | replace: 'o', '0' }}|{{ s | replace_first: 'o', '0' }}|{{ s |"
        " remove: ' ' }}",
        {"s": "hello wOrld of liquid"},
        {},
    ),
    (
        "{{ s | slugify }}|{{ s | slugify: 'pretty' }}|{{ s | slugify: 'ascii' }}|{{ s |"
        " slugify: 'raw' }}|{{ s | slugify: 'none' }}|{{ t | slugify }}",
        {"s": " Hello, World! ça va_ 日本 (x)@y.z ", "t": "--a--b--"},
        {},
    ),
    (
        "{{ a | join: ', ' }}|{{ a | array_to_sentence_string }}|{{ a | first }}|{{ a | last }}|{{ a |"
        " size }}|{{ a | reverse | join }}|{{ 'a,b,,c,,' | split: ',' | size }}|{{ a | jsonify }}",
        {"a": ["x", "y", "z"]},
        {},
    ),
    (
        "{{ h | jsonify }}|{{ n | jsonify }}|{{ 'é\"' | jsonify }}",
        {"h": {"a": [1, 2.5, None, True, 1e20], "b": "ü\n\t\u0001"}, "n": None},
        {},
    ),
    (
        "{{ '/a b/ü' | relative_url }}|{{ 'x' | absolute_url }}|{{ 'https://x.org/y' | absolute_url }}|"
        "{{ '' | relative_url }}",
        {},
        {},
    ),
    (
        "{% assign s = items | sort: 'n' %}{% for i in s %}{{ i.name }}{% endfor %}|"
        "{% assign s = items | sort: 'n', 'last' %}{% for i in s %}{{ i.name }}{% endfor %}|{{ items |"
        " map: 'name' | join }}|{% assign w = items | where: 'n', 2 %}{{ w | map: 'name' | join }}",
        {"items": [{"name": "a", "n": 3}, {"name": "b"}, {"name": "c", "n": 2}, {"name": "d", "n": "10"}]},
        {},
    ),
    (
        "{% assign g = items | group_by: 'k' %}{% for x in g %}{{ x.name }}:{{ x.size }};{% endfor %}|"
        "{{ items | where: 'k', 'p' | size }}",
        {"items": [{"k": "p"}, {"k": "q"}, {"k": "p"}, {}]},
        {},
    ),
    (
        "{% capture c %} x {{ n }} {% endcapture %}[{{ c }}]|{{ c | strip | append: '!' |"
        " prepend: '<' }}|{% if c contains 'x' %}yes{% endif %}|{{ n | append: 1.5 }}",
        {"n": 7},
        {},
    ),
    (
        "{%- for i in (1..3) -%} {{ i }} {%- endfor -%}|"
        "{% for x in a limit: 2 offset: 1 %}{{ x }}{% endfor %}|"
        "{% unless a contains 'q' %}no q{% endunless %}",
        {"a": ["p", "r", "s", "t"]},
        {},
    ),
]


CASES += [
    (
        "{{ s | first }}|{{ s.first }}|{{ s.size }}|{{ s | size }}|{{ n | size }}|{{ a | sort | join: ',' }}|"
        "{% if t < u %}lt{% else %}ge{% endif %}|{% if t == t %}eq{% endif %}|{{ t | date: '%s' }}",
        {"s": "abc", "n": None, "a": [3, 1, 2.5]},
        {"t": T1, "u": T2},
    ),
]

CASES += [
    (
        "{% for h in x %}{{ h[0] }}={{ h[1] }};{% endfor %}|{{ x.size }}|{{ x | size }}|"
        "{% for i in a %}{{ forloop.index }}{{ forloop.rindex }}{{ forloop.first }}"
        "{{ forloop.last }},{% endfor %}|"
        "{{ 'a' | append: n }}|{{ 1 | append: 2 }}|{{ '10' | plus: '5' }}|{{ -7 | divided_by: 2 }}|"
        "{{ 3 | minus: 1.5 }}|{{ a | map: 'k' | compact | join: '+' }}",
        {"x": {"b": 1, "a": [2, 3]}, "a": [{"k": 1}, {"k": None}, {"k": "z"}], "n": None},
        {},
    ),
]
CASES += [
    (
        "{{ '2022-13-01' | date: '%Y' }}|{{ '' | date: '%Y' }}|{{ nil | date: '%Y' }}",
        {},
        {},
    ),
    ("{{ '2022-13-01' | date_to_rfc822 }}", {}, {}),
    ("{{ a | where: 'k' | size }}", {"a": [{"k": 1}]}, {}),  # where needs 3 arguments
    ("{{ 'x' | upcase: 1 }}", {}, {}),
    ("{{ 7 | divided_by: 0 }}", {}, {}),
    ("{{ x | sort }}", {"x": None}, {}),
]


def _ruby_values(tmp: Path) -> list[str]:
    ruby = shutil.which("ruby")
    if ruby is None:
        pytest.skip("the `ruby` command is not installed")
    payload = [
        {"source": source, "vars": variables, "times": {k: list(v) for k, v in times.items()}}
        for source, variables, times in CASES
    ]
    done = subprocess.run(
        [
            ruby,
            "-e",
            _RUBY,
            str(tmp),
            "https://bücher.example",
            "/base",
        ],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={
            "TZ": ZONE,
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp),
            "LANG": "C.UTF-8",
        },
    )
    if done.returncode != 0 and "cannot load such file -- jekyll" in done.stderr:
        pytest.skip("Jekyll's Ruby library is not installed")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert isinstance(result, list)
    return [str(r) for r in result]


@pytest.fixture(scope="module")
def ruby_outputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return _ruby_values(tmp_path_factory.mktemp("ruby_liquid"))


@pytest.mark.parametrize("index", range(len(CASES)))
def test_same_output_as_ruby_liquid(ruby_outputs: list[str], index: int) -> None:
    source, variables, times = CASES[index]
    values: dict[str, object] = dict(variables)
    for name, (epoch, offset) in times.items():
        values[name] = RubyTime(dt.datetime.fromtimestamp(epoch, dt.timezone(dt.timedelta(seconds=offset))))
    rendered = render_text(
        source, values, zone=ZoneInfo(ZONE), url="https://bücher.example", baseurl="/base", now=NOW
    )
    if ruby_outputs[index] == "ERROR":  # Ruby's render! raised: the build would stop
        assert rendered.error is not None
        return
    assert rendered.error is None
    assert rendered.unknown == ()
    assert rendered.text == ruby_outputs[index]
