"""Line suppressions as edits: in suppress.py's syntax, effective, and harmless to the page."""

from __future__ import annotations

from pathlib import Path

import pytest

from epilint.fix.engine import apply_edits
from epilint.fix.suppression import suppression
from epilint.model import Severity, Span, Violation
from epilint.read import suppress
from epilint.read.document import Document

POST = "---\ntitle: 1. x # note\nduration: 45:30\ndescription: |\n  one\n  two\n---\n\n- a [x](http://a)\n- b [y](http://b)\n"


def _violation(text: str, needle: str, code: str = "YT001", nth: int = 0) -> Violation:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Violation(code, "rule", "message", Span(start, start + len(needle)), Severity.ERROR)


def _suppressed(text: str, violation: Violation) -> str:
    doc = Document.parse(Path("p.md"), text)
    edit = suppression(doc, violation)
    assert edit is not None
    return apply_edits(text, [edit])


def test_front_matter_line_gets_a_comment_and_codes_join_it() -> None:
    once = _suppressed(POST, _violation(POST, "45:30"))
    assert "duration: 45:30  # epilint: disable=YT001\n" in once
    twice = _suppressed(once, _violation(once, "45:30", "FM013"))
    assert "duration: 45:30  # epilint: disable=YT001,FM013\n" in twice
    after = Document.parse(Path("p.md"), twice)
    line = after.lines.position(twice.index("45:30"))[0]
    for code in ("YT001", "FM013"):
        assert next(suppress.parse(after).matching(code, line), None) is not None
    assert after.data == Document.parse(Path("p.md"), POST).data
    # after an existing comment too
    titled = _suppressed(POST, _violation(POST, "1. x", "FM011"))
    assert "title: 1. x # note  # epilint: disable=FM011\n" in titled


def test_body_line_gets_the_next_line_comment_above_it() -> None:
    once = _suppressed(POST, _violation(POST, "http://b", "LN008"))
    assert "- a [x](http://a)\n<!-- epilint-disable-next-line LN008 -->\n- b [y](http://b)\n" in once
    twice = _suppressed(once, _violation(once, "http://b", "LN004"))
    assert "<!-- epilint-disable-next-line LN008 LN004 -->\n- b" in twice
    # inside a link's text the comment stays invisible (kramdown keeps the link whole)
    split = "---\ntitle: x\n---\n\n[two\nlines](http://b)\n"
    assert "[two\n<!-- epilint-disable-next-line LN008 -->\nlines](" in _suppressed(
        split, _violation(split, "http://b", "LN008")
    )
    crlf = POST.replace("\n", "\r\n")
    crlf_suppressed = _suppressed(crlf, _violation(crlf, "http://b", "LN008"))
    assert "<!-- epilint-disable-next-line LN008 -->\r\n- b" in crlf_suppressed


@pytest.mark.parametrize(
    ("text", "needle", "code"),
    [
        # inside a block scalar the comment would become part of the text
        (POST, "two", "FM011"),
        # a comment line would split a kramdown table
        ("---\ntitle: x\n---\n\n| a | b |\n|---|---|\n| [y](http://b) | c |\n", "http://b", "LN008"),
        ("---\ntitle: x\n---\n\n| a | [y](http://b) |\n", "http://b", "LN008"),
        # about the whole file: no front matter at all
        ("no front matter\n", "", "FM001"),
        # the opening line: Jekyll needs `---` alone on it
        ("---\ntitle: x\n---\n", "---", "EP003"),
    ],
)
def test_no_edit_where_a_comment_would_change_the_page(text: str, needle: str, code: str) -> None:
    doc = Document.parse(Path("p.md"), text)
    if code == "FM001":
        assert doc.problem is not None
        violation = Violation(code, "rule", doc.problem.message, doc.problem.span, Severity.ERROR)
    else:
        violation = _violation(text, needle, code)
    assert suppression(doc, violation) is None


_KRAMDOWN = """
require "json"
require "kramdown"
JSON.parse($stdin.read).each { |body| puts JSON.generate(Kramdown::Document.new(body).to_html) }
"""

BODIES = [
    "- a [x](http://a)\n- b [y](http://b)\n",
    "- a\n  - n1 [x](http://a)\n  - n2 [y](http://b)\n",
    "para line one\nline two [y](http://b)\n",
    "# head\n[y](http://b)\n",
    "> quote [x](http://a)\n> more [y](http://b)\n",
    "1. one\n2. two [y](http://b)\n",
    "[two\nlines](http://b)\n",
    "text\n\n[y](http://b)\n",
]


@pytest.mark.ruby
def test_kramdown_renders_the_same_page_apart_from_the_comment() -> None:
    """The real kramdown renders each body with the comment as it rendered it without."""
    import json
    import re
    import subprocess

    from tests.conftest import require

    originals = [f"---\ntitle: x\n---\n{body}" for body in BODIES]
    suppressed = [_suppressed(text, _violation(text, "http://b", "LN008")) for text in originals]
    bodies = [text.split("---\n", 2)[2] for text in [*originals, *suppressed]]
    proc = subprocess.run(
        [require("ruby"), "-e", _KRAMDOWN],
        input=json.dumps(bodies),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    pages = [json.loads(line) for line in proc.stdout.splitlines()]
    comment = re.compile(r"\s*<!-- epilint-disable-next-line LN008 -->")
    for before, after in zip(pages[: len(BODIES)], pages[len(BODIES) :], strict=True):
        assert "<!-- epilint-disable-next-line LN008 -->" in after
        assert " ".join(comment.sub("", after).split()) == " ".join(before.split())  # HTML whitespace
