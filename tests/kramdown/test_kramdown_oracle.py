"""The kramdown port against Jekyll's own kramdown (Jekyll 4.3.1, kramdown 2.4,
kramdown-parser-gfm 1.1): the same ``<a href>`` and ``<img src>``, in the same order,
with the attribute values written exactly alike.

Jekyll renders Liquid before kramdown. These tests feed kramdown the body as written,
Liquid included (the port reads ``{{ … }}`` and ``{% … %}`` as text too), so they
compare the port with kramdown on the very same input; 64 corpus posts hold Liquid.

Every body is rendered by one Ruby process (``oracle.py``). A body kramdown does not
finish within the time limit is not compared (it has no page); the generated test
checks that each such body holds the one construct known to make kramdown loop forever
(see ``test_generated_bodies``).
"""

from __future__ import annotations

import difflib
import re
import shutil
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from epilint.kramdown.links import extract
from epilint.kramdown.records import LinkKind, Page, escape_attribute
from tests.kramdown import oracle, strategies

pytestmark = [
    pytest.mark.ruby,
    pytest.mark.skipif(shutil.which("ruby") is None, reason="needs the `ruby` command"),
]

_NEWLINES = re.compile(r"\n+")
_CONTAINER_MARKUP = re.compile(r"\n[ \t>]*")


@dataclass
class Tally:
    bodies: int = 0
    links: int = 0
    spans: int = 0
    #: Bodies kramdown took too long on.
    not_finished: list[str] = field(default_factory=list)
    #: Bodies kramdown raised an error on (by error class): Jekyll fails to build them.
    failed: dict[str, int] = field(default_factory=dict)
    disagreements: list[str] = field(default_factory=list)
    span_errors: list[str] = field(default_factory=list)


def _text_key(text: str) -> str:
    text = _CONTAINER_MARKUP.sub("\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    return re.sub("[` ]+", "", text) if "`" in text else text


def _same_text(written: str, read: str) -> bool:
    """kramdown's link text is the file's text, less container markup; in a table cell
    every ``\\|`` is ``|`` and code spans are written again with other backticks."""
    return _text_key(read) in (_text_key(written), _text_key(written.replace("\\|", "|")))


def _span_problems(file_text: str, page: Page) -> list[str]:
    """What is wrong with the spans: the file must hold each destination exactly where
    the link says (when ``contiguous``), and the href must be that text after kramdown's
    documented processing: none for Markdown destinations, newlines folded for HTML
    attributes, ``mailto:`` added to an e-mail autolink; then HTML attribute escaping."""
    problems = []
    for link in page.links:
        verbatim = link.href == link.url  # HTML kramdown writes as it is
        if link.href != escape_attribute(link.url) and not verbatim:
            problems.append(f"href {link.href!r} is not the escaped url {link.url!r}")
        if link.span is None:
            continue
        written = file_text[link.span.start : link.span.end]
        if link.contiguous and written != link.written:
            problems.append(f"file has {written!r} at {link.span}, link says {link.written!r}")
        expected = link.written
        if link.kind in (LinkKind.HTML_A, LinkKind.HTML_IMG) and expected:
            if link.url not in (expected, _NEWLINES.sub(" ", expected)):
                problems.append(f"html url {link.url!r} from {expected!r}")
        elif link.kind is LinkKind.AUTOLINK and link.url == f"mailto:{expected}":
            pass
        elif link.url != expected:
            problems.append(f"url {link.url!r} is not the destination as written {expected!r}")
        markdown_text = link.kind not in (LinkKind.AUTOLINK, LinkKind.HTML_A)  # HTML: the text shown
        if link.text_span is not None and link.text is not None and markdown_text:
            # kramdown removes the indentation of list items and the ">" of quotes from
            # the lines of a link text that spans lines; in a table cell "\|" is "|" and
            # code spans are written again with other backticks and spaces.
            text = file_text[link.text_span.start : link.text_span.end]
            if not _same_text(text, link.text):
                problems.append(f"text {link.text!r} but the file has {text!r}")
    return problems


def compare(items: list[tuple[str, str, int]], limit: float = 10.0) -> Tally:
    """``items``: (name, whole file text, offset of the body). Renders every body with
    kramdown and compares."""
    tally = Tally()
    bodies = [text[offset:] for _, text, offset in items]
    for (name, text, offset), body, html in zip(items, bodies, oracle.render(bodies, limit), strict=True):
        if html.startswith(oracle.ERROR):
            error = html[len(oracle.ERROR) :].strip()
            if error == "Timeout::Error":
                tally.not_finished.append(body)
            else:
                tally.failed[error] = tally.failed.get(error, 0) + 1
            extract(body, offset)  # the port gives a page all the same
            continue
        tally.bodies += 1
        expected = oracle.hrefs(html)
        page = extract(body, offset)
        got = [(link.tag, link.href) for link in page.links]
        tally.links += len(expected)
        tally.spans += sum(link.span is not None for link in page.links)
        if got != expected:
            diff = "\n".join(
                difflib.unified_diff(
                    [repr(x) for x in expected], [repr(x) for x in got], "kramdown", "port", lineterm="", n=1
                )
            )
            tally.disagreements.append(f"{name}: {body[:300]!r}\n{diff}")
        tally.span_errors.extend(f"{name}: {problem}" for problem in _span_problems(text, page))
    return tally


def _report(capsys: pytest.CaptureFixture[str], what: str, tally: Tally) -> None:
    with capsys.disabled():
        print(
            f"\nkramdown oracle, {what}: {tally.bodies} bodies compared, {tally.links} links compared "
            f"({tally.spans} with a source span), {len(tally.disagreements)} disagreements, "
            f"{len(tally.span_errors)} span errors, {len(tally.not_finished)} bodies kramdown did not "
            f"finish, kramdown errors: {tally.failed or 'none'}"
        )


def test_corpus_posts(capsys: pytest.CaptureFixture[str]) -> None:
    """Every Markdown post of the shared corpus (``_posts/``, ``_episodes/``), its body cut
    off the front matter as Jekyll does (``Document::YAML_FRONT_MATTER_REGEXP``)."""
    posts = oracle.corpus_posts()
    if not posts:
        pytest.skip("../shared/corpus is not present")
    items = []
    for path in posts:
        text = oracle.file_text(path)
        body = oracle.body_of(text)
        if body is not None:
            items.append((str(path.relative_to(oracle.CORPUS)), text, len(text) - len(body)))
    tally = compare(items)
    _report(capsys, "corpus", tally)
    assert tally.bodies > 2000
    assert not tally.not_finished
    assert not tally.failed
    assert not tally.disagreements, "\n\n".join(tally.disagreements[:10])
    assert not tally.span_errors, "\n".join(tally.span_errors[:20])


#: The character that makes kramdown loop forever: an indented line whose first
#: non-blank character is ``\v`` or ``\f`` matches ``INDENT`` but not the code block's
#: ``INDENT[ \t]*\S`` (Ruby's ``\s`` holds them), so ``CODEBLOCK_MATCH`` matches nothing
#: and ``parse_codeblock`` returns true without moving: ``parse_blocks`` never ends.
#: The port reads such a line as code and goes on.
_LOOPS_KRAMDOWN = re.compile(r"[\v\f]")


def generated_bodies(count: int) -> list[str]:
    bodies: list[str] = []

    @settings(
        max_examples=count,
        deadline=None,
        phases=[Phase.generate],
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategies.body())
    def collect(body: str) -> None:
        bodies.append(body)

    collect()
    return bodies


def test_generated_bodies(capsys: pytest.CaptureFixture[str]) -> None:
    """Bodies from ``strategies.py``, batched through one Ruby process. (Hypothesis only
    generates them here: a failure lists the bodies, it is not shrunk.) kramdown raises on
    a few of them, which Jekyll then fails to build: ``NoMethodError`` for a footnote
    whose definition holds nothing but an IAL (``footnote_content`` reads the last child
    of an empty list); those have no page to compare with."""
    bodies = generated_bodies(2500)
    prefix = "---\ntitle: x\n---\n"
    tally = compare(
        [(f"generated #{n}", prefix + body, len(prefix)) for n, body in enumerate(bodies)], limit=2
    )
    _report(capsys, "generated", tally)
    assert tally.bodies > 2000
    assert tally.links > 2000
    unexplained = [body for body in tally.not_finished if not _LOOPS_KRAMDOWN.search(body)]
    assert not unexplained, unexplained[:3]
    assert not tally.disagreements, "\n\n".join(tally.disagreements[:10])
    assert not tally.span_errors, "\n".join(tally.span_errors[:20])


#: Jekyll 4.3.1's kramdown where it differs from CommonMark (as epilint found on real
#: posts), with the hrefs it writes.
KNOWN = [
    ("[t]()", [("a", "")]),
    ("[将棋]([https://a/x](https://a/y))", [("a", "[https://a/x](https://a/y)")]),
    ("[Next.js](ISRに魅力 https://nextjs.org/)", [("a", "ISRに魅力 https://nextjs.org/")]),
    ("[bad](https://example.com/%E5%A %A2)", [("a", "https://example.com/%E5%A %A2")]),
    ("[x](https://a.b/c\\(d\\))", [("a", "https://a.b/c\\(d\\)")]),
    ("[y](https://a.b/\u3000)", [("a", "https://a.b/\u3000")]),
    ("see https://example.com/x", []),
    (
        "- [Midjourney、Stable Diffusion、mimicなどの画像自動生成AIと著作権 | STORIA法律事務所]"
        "(https://storialaw.jp/blog/8820)\n- [ok](https://ok.example/)",
        [("a", "https://ok.example/")],
    ),
    (
        '<div class="x">\n[md](https://md.example/)\n<a href="https://a.example/">a</a>\n</div>\n',
        [("a", "https://a.example/")],
    ),
    ('<div class="x">a</div>\n[md](https://md.example/)\n', [("a", "https://md.example/")]),
    (
        "<p>raw <a href='https://raw.example/?a=1&b=2'>x</a></p>\n[md](y)",
        [("a", "https://raw.example/?a=1&amp;b=2"), ("a", "y")],
    ),
    ("[amp](https://a.example/?a=1&b=2&amp;c=3)", [("a", "https://a.example/?a=1&amp;b=2&amp;c=3")]),
    ("[t](<https://x.example/a b>)", [("a", "https://x.example/a b")]),
    ('[t](https://x.example/ "title")', [("a", "https://x.example/")]),
    (
        "text[^1]\n\n[^1]: a [note](https://note.example/)",
        [("a", "#fn:1"), ("a", "https://note.example/"), ("a", "#fnref:1")],
    ),
    ("[ref][id]\n\n[id]: https://ref.example/ 'T'", [("a", "https://ref.example/")]),
    (
        "<https://auto.example/> <me@example.com>",
        [("a", "https://auto.example/"), ("a", "mailto:me@example.com")],
    ),
]


@pytest.mark.parametrize(("body", "expected"), KNOWN, ids=[body[:30] for body, _ in KNOWN])
def test_known_differences(body: str, expected: list[tuple[str, str]]) -> None:
    (html,) = oracle.render([body])
    assert oracle.hrefs(html) == expected
    assert [(link.tag, link.href) for link in extract(body).links] == expected
