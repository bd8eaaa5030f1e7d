"""Jekyll's own kramdown, as an oracle: one Ruby process renders many bodies.

The Ruby side builds the converter as Jekyll 4.3 does for a site with the default
configuration (``Jekyll::Converters::Markdown#get_processor``:
``KramdownParser.new(Jekyll::Configuration.from({}))``) and calls its ``convert``, the
method ``Jekyll::Converters::Markdown#convert`` calls (that method only adds a cache).
Bodies go in as JSON lines on stdin; each rendered page comes back as one JSON string
line on stdout (``"\\u0000ERROR …"`` when kramdown raises, e.g. "stack level too deep").

``hrefs(html)`` reads the output with the standard library's HTML tokenizer: each
``<a href>`` and ``<img src>``, with the attribute value exactly as written.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path

from tests.conftest import CORPUS

RUBY = r"""
require "json"
require "timeout"
require "jekyll"
config = Jekyll::Configuration.from({})
converter = Jekyll::Converters::Markdown::KramdownParser.new(config)
STDOUT.sync = true
STDIN.each_line do |line|
  body = JSON.parse(line)
  html = begin
    Timeout.timeout(LIMIT) { converter.convert(body) }
  rescue StandardError, SystemStackError, Timeout::Error => e
    "\u0000ERROR #{e.class}"
  end
  STDOUT.puts(JSON.generate(html))
end
"""

ERROR = "\x00ERROR"


def available() -> bool:
    return shutil.which("ruby") is not None


def render(bodies: Iterable[str], limit: float = 10.0) -> Iterator[str]:
    """kramdown's HTML for each body, in order (one Ruby process for all). A body kramdown
    takes more than ``limit`` seconds on gives ``ERROR Timeout::Error``."""
    items = list(bodies)
    if not items:
        return iter(())
    payload = "".join(json.dumps(body) + "\n" for body in items)
    done = subprocess.run(
        ["ruby", "-e", f"LIMIT = {limit}\n{RUBY}"],
        input=payload,
        capture_output=True,
        text=True,
        check=True,
        timeout=max(600, 2 * limit * len(items)),
    )
    lines = done.stdout.splitlines()
    if len(lines) != len(items):
        raise RuntimeError(f"ruby returned {len(lines)} pages for {len(items)} bodies: {done.stderr[-2000:]}")
    return (json.loads(line) for line in lines)


class _Links(HTMLParser):
    #: Read as a browser does: no tags inside raw text, RCDATA and script elements
    #: (``html.parser`` alone knows only ``script`` and ``style``).
    CDATA_CONTENT_ELEMENTS = (
        "script",
        "style",
        "textarea",
        "title",
        "xmp",
        "iframe",
        "noembed",
        "noframes",
        "noscript",
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag)

    def _tag(self, tag: str) -> None:
        wanted = {"a": "href", "img": "src"}.get(tag)
        if wanted is None:
            return
        for name, value in _raw_attributes(self.get_starttag_text() or ""):
            if name == wanted:
                self.found.append((tag, value))
                return


_TAG_NAME = re.compile(r"<[a-zA-Z][^\t\n\r\f />\x00]*(?:\s|/(?!>))*")
_ATTRIBUTE = re.compile(
    r"((?<=['\"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*('[^']*'|\"[^\"]*\"|(?!['\"])[^>\s]*))?(?:\s|/(?!>))*"
)


def _raw_attributes(tag: str) -> list[tuple[str, str]]:
    """A start tag's attributes as ``html.parser`` splits them (its ``parse_starttag``),
    with each value as written (quotes removed, entity references kept)."""
    found: list[tuple[str, str]] = []
    name = _TAG_NAME.match(tag)
    pos = name.end() if name else len(tag)
    while pos < len(tag):
        match = _ATTRIBUTE.match(tag, pos)
        if match is None:
            break
        attr, rest, value = match.group(1, 2, 3)
        if not rest:
            value = ""
        elif len(value) >= 2 and value[0] in "'\"" and value[0] == value[-1]:
            value = value[1:-1]
        found.append((attr.lower(), value))
        pos = match.end()
    return found


def hrefs(html: str) -> list[tuple[str, str]]:
    """``(tag, raw attribute value)`` for each ``<a href>`` and ``<img src>``, in order."""
    reader = _Links()
    reader.feed(html)
    # A comment still open at the end runs to the end, as in browsers (HTML's "EOF in
    # comment"); html.parser's close() would read what follows "<!--" again as markup.
    if not reader.rawdata.startswith("<!--"):
        reader.close()
    return reader.found


#: Jekyll's ``Document::YAML_FRONT_MATTER_REGEXP``.
def body_of(text: str) -> str | None:
    """The body Jekyll converts: what follows the front matter (None without one)."""
    text = text.removeprefix("\ufeff")
    space = "[ \\t\\n\\v\\f\\r]"
    found = re.match(
        f"(---{space}*\\n.*?\\n?)^((---|\\.\\.\\.){space}*$\\n?)", text, re.DOTALL | re.MULTILINE
    )
    if found is None:
        return None
    return text[found.end() :]


def file_text(path: Path) -> str:
    """A file as Jekyll reads it: UTF-8 without a BOM, line endings as they are (as
    epilint reads it too: spans count the ``\\r`` of CRLF files)."""
    return path.read_bytes().decode("utf-8").removeprefix("\ufeff")


def corpus_posts() -> list[Path]:
    """Every Markdown post of the shared corpus (``_posts/`` and ``_episodes/``)."""
    if not CORPUS.is_dir():
        return []
    found: list[Path] = []
    for site in sorted(CORPUS.iterdir()):
        for folder in ("_posts", "_episodes"):
            base = site / folder
            if base.is_dir():
                found.extend(
                    sorted(p for p in base.rglob("*") if p.is_file() and p.suffix in (".md", ".markdown"))
                )
    return found
