"""kramdown's regexps (kramdown 2.4, kramdown-parser-gfm 1.1), translated to Python ``re``.

Each constant names its Ruby original (file and constant). The translation rules:

- Ruby's ``\\s``, ``\\S``, ``\\w``, ``\\d`` are ASCII; they are spelt out as ASCII classes
  (``S``, ``NS``, ``W``) so that no Python flag changes their meaning.
  ``[[:alpha:]]``, ``[[:alnum:]]``, ``\\p{Word}`` and what ``\\b`` counts as a word character
  are Unicode in Ruby: ``charclasses.py`` holds Ruby's own sets.
- Ruby's ``^`` and ``$`` always work per line (``re.MULTILINE``); its ``/m`` is Python's
  ``re.DOTALL``; its ``\\Z`` (end, or before a final newline) is ``RZ``, its ``\\z`` is ``\\Z``.
- A pattern the scanner tries *at* its position (``check``, ``scan``) drops the leading
  ``^``: Ruby's ``StringScanner`` matches ``^`` at its position even in mid-line
  (``scanner.py``).
- Atomic groups ``(?>…)`` become ``(?=(…))\\1`` with a fresh named group (Python 3.10 has
  no atomic groups); patterns whose groups are read use names for them.

Ruby's Unicode classes have hundreds of ranges; compiling a pattern with one takes
milliseconds, and kramdown's HTML and paragraph-end patterns hold dozens. So those
patterns are compiled twice: with *wide* classes (the class's ASCII part and every
non-ASCII character, quick to compile) and, when first needed, with Ruby's exact
classes. ``Dual`` tries the wide one and asks the exact one only when the part a class
decided is not ASCII. That is exact for these patterns: each uses its classes only
positively (so the wide pattern matches wherever the exact one does), and a class-decided
part that is ASCII was decided the same way by both. The few places where a class sits
in a negative look-ahead (lazy lines of lists and code blocks) are tested in code.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass

from epilint.kramdown import charclasses

M = re.MULTILINE
MS = re.MULTILINE | re.DOTALL

#: Ruby's ASCII ``\s``, ``\S`` and ``\w``.
S = r"[ \t\n\v\f\r]"
NS = r"[^ \t\n\v\f\r]"
W = "[A-Za-z0-9_]"
#: Ruby's ``\Z``.
RZ = r"(?=\n?\Z)"
#: ``OPT_SPACE``
OPT = " {0,3}"


@dataclass(frozen=True, slots=True)
class Classes:
    """``[[:alpha:]]``, ``[[:alnum:]]``, ``\\p{Word}`` and ``\\b``'s word class, exact or wide."""

    wide: bool

    def _atom(self, ascii_part: str, exact: str, extra: str) -> str:
        if self.wide:
            # Every non-ASCII character: a negated ASCII class compiles at once (a class
            # listing the non-ASCII range would build a bitmap of all of Unicode).
            return f"(?:[{ascii_part}{extra}]|[^\\x00-\\x7f])"
        return f"[{exact}{extra}]"

    def alpha(self, extra: str = "") -> str:
        return self._atom("A-Za-z", charclasses.ALPHA, extra)

    def alnum(self, extra: str = "") -> str:
        return self._atom("A-Za-z0-9", charclasses.ALNUM, extra)

    def word(self, extra: str = "") -> str:
        return self._atom("A-Za-z0-9_", charclasses.WORD, extra)

    def bword(self, extra: str = "") -> str:
        return self._atom("A-Za-z0-9_", charclasses.BOUNDARY_WORD, extra)


WIDE = Classes(wide=True)
EXACT = Classes(wide=False)

_names = itertools.count()


def atomic(pattern: str) -> str:
    """``(?>pattern)``: match once, never give back."""
    name = f"_a{next(_names)}"
    return f"(?=(?P<{name}>{pattern}))(?P={name})"


def uname(c: Classes) -> str:
    """``REXML::Parsers::BaseParser::UNAME_STR``"""
    first, rest = c.alpha("_"), c.alnum("\\-._")
    return f"(?:{first}{rest}*:)?{first}{rest}*"


class Dual:
    """A pattern with Ruby's Unicode classes: tried with wide classes, and with the exact
    ones when ``needs_exact`` finds a class-decided part that is not ASCII."""

    __slots__ = ("_build", "_exact", "_flags", "fast", "needs_exact")

    def __init__(
        self,
        build: Callable[[Classes], str],
        flags: int = re.MULTILINE,
        needs_exact: Callable[[re.Match[str]], bool] | None = None,
    ) -> None:
        self._build = build
        self._flags = flags
        self._exact: re.Pattern[str] | None = None
        self.fast = re.compile(build(WIDE), flags)
        self.needs_exact = needs_exact if needs_exact is not None else _not_ascii

    @property
    def exact(self) -> re.Pattern[str]:
        if self._exact is None:
            self._exact = re.compile(self._build(EXACT), self._flags)
        return self._exact

    def match(self, string: str, pos: int = 0) -> re.Match[str] | None:
        found = self.fast.match(string, pos)
        if found is not None and self.needs_exact(found):
            return self.exact.match(string, pos)
        return found


def _not_ascii(found: re.Match[str]) -> bool:
    return not found.group(0).isascii()


def _group_not_ascii(name: str) -> Callable[[re.Match[str]], bool]:
    def check(found: re.Match[str]) -> bool:
        text = found.group(name)
        return text is not None and not text.isascii()

    return check


def blank_line() -> str:
    """``blank_line.rb: BLANK_LINE`` = ``(?>^\\s*\\n)+``: a run of blank lines (one atomic
    step takes the whole run of whitespace up to its last newline)."""
    return atomic(f"{S}*\\n")


EOB_MARKER_SRC = rf"\^{S}*?\n"
#: ``extensions.rb``
ALD_ID_NAME = r"[A-Za-z0-9_][A-Za-z0-9_-]*"
ALD_ANY_CHARS = r"(?:\\\}|[^}])"
IAL_BLOCK_SRC = rf"\{{:(?!:|/)({ALD_ANY_CHARS}+)\}}{S}*?\n"

# -- HTML names (parser/html.rb: Constants) --------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


HTML_SPAN_ELEMENTS = frozenset(
    _words(
        "a abbr acronym b big bdo br button cite code del dfn em i img input ins kbd label mark "
        "option q rb rbc rp rt rtc ruby samp select small span strong sub sup tt u var"
    )
)
HTML_BLOCK_ELEMENTS = frozenset(
    _words(
        "address article aside applet body blockquote caption col colgroup dd div dl dt fieldset "
        "figcaption footer form h1 h2 h3 h4 h5 h6 header hgroup hr html head iframe legend menu li "
        "main map nav ol optgroup p pre section summary table tbody td th thead tfoot tr ul"
    )
)
HTML_ELEMENTS_WITHOUT_BODY = frozenset(
    _words("area base br col command embed hr img input keygen link meta param source track wbr")
)
_CONTENT_MODEL_BLOCK = _words(
    "address applet article aside blockquote body dd details div dl fieldset figure figcaption "
    "footer form header hgroup iframe li main map menu nav noscript object section summary td"
)
_CONTENT_MODEL_SPAN = _words(
    "a abbr acronym b bdo big button cite caption del dfn dt em h1 h2 h3 h4 h5 h6 i ins label "
    "legend optgroup p q rb rbc rp rt rtc ruby select small span strong sub sup th tt"
)
_CONTENT_MODEL_RAW = _words("script style math option textarea pre code kbd samp var")
_CONTENT_MODEL: dict[str, str] = {}
_CONTENT_MODEL.update(dict.fromkeys(_CONTENT_MODEL_BLOCK, "block"))
_CONTENT_MODEL.update(dict.fromkeys(_CONTENT_MODEL_SPAN, "span"))
_CONTENT_MODEL.update(dict.fromkeys(_CONTENT_MODEL_RAW, "raw"))
#: ``HTML_ELEMENT``: the names kramdown knows (lower-cased, attributes lower-cased).
HTML_ELEMENT = frozenset(
    HTML_SPAN_ELEMENTS | HTML_BLOCK_ELEMENTS | HTML_ELEMENTS_WITHOUT_BODY | set(_CONTENT_MODEL)
)


def content_model(name: str) -> str:
    """``HTML_CONTENT_MODEL[name]`` (unknown names are raw)."""
    return _CONTENT_MODEL.get(name, "raw")


_LAZY_END_HTML_NAMES = "|".join(sorted(HTML_SPAN_ELEMENTS | {"script"}))


def lazy_end_html_start(c: Classes) -> str:
    """``paragraph.rb: LAZY_END_HTML_START`` (its ``\\b`` after a name: no word character)."""
    return "<" + atomic(f"(?!(?:{_LAZY_END_HTML_NAMES})(?!{c.bword()})){uname(c)}")


def lazy_end_html_stop(c: Classes) -> str:
    """``paragraph.rb: LAZY_END_HTML_STOP``"""
    return f"</(?!(?:{_LAZY_END_HTML_NAMES})(?!{c.bword()})){uname(c)}{S}*>"


def _lazy_end(c: Classes) -> str:
    """``paragraph.rb: LAZY_END``, tried at a line start (its HTML part as group ``html``)."""
    return (
        f"{blank_line()}|{OPT}{IAL_BLOCK_SRC}|{EOB_MARKER_SRC}"
        f"|(?P<html>{OPT}{lazy_end_html_stop(c)}|{OPT}{lazy_end_html_start(c)})|\\Z|\\n\\Z"
    )


# -- block starts (tried at the scanner's position) ------------------------------------

BLANK_LINE = re.compile(blank_line(), M)
EOB_MARKER = re.compile(EOB_MARKER_SRC, M)
#: ``codeblock.rb: CODEBLOCK_START`` (``INDENT``)
INDENT = re.compile(r"(?:\t| {4})", M)
#: ``INDENT`` for ``gsub`` on a string (every line).
INDENT_LINES = re.compile(r"^(?:\t| {4})", M)


#: ``LAZY_END_HTML_STOP`` or ``LAZY_END_HTML_START``, at the position.
LAZY_END_HTML = Dual(lambda c: f"{lazy_end_html_stop(c)}|{lazy_end_html_start(c)}")
IAL_BLOCK = re.compile(IAL_BLOCK_SRC, M)
_INDENTED_LINE = re.compile(f"(?:\\t| {{4}})[ \\t]*{NS}.*\\n", M)
#: ``list.rb``'s lazy line: ``.*\\S.*\\n``; ``CODEBLOCK_MATCH``'s: ``[ \\t]*\\S.*\\n`` (so a line
#: starting with ``\\v`` is not one).
_NON_BLANK_LINE = re.compile(f".*{NS}.*\\n", M)
_CODE_LAZY_LINE = re.compile(f"[ \\t]*{NS}.*\\n", M)


def _html_stop_at(string: str, pos: int, spaces: int) -> bool:
    """``^ {0,spaces}(?:IAL_BLOCK|LAZY_END_HTML_STOP|LAZY_END_HTML_START)`` matches at
    ``pos`` (only after the line's own leading spaces can ``{`` or ``<`` follow)."""
    lead = pos
    while lead < len(string) and string[lead] == " " and lead - pos < spaces:
        lead += 1
    if lead >= len(string):
        return False
    if string[lead] == "{":
        return last_index(string, "}") > lead and IAL_BLOCK.match(string, lead) is not None
    return string[lead] == "<" and LAZY_END_HTML.match(string, lead) is not None


_LAST_INDEX: dict[int, tuple[str, dict[str, int]]] = {}


def last_index(string: str, text: str) -> int:
    """``string.rfind(text)``, remembered for the strings being parsed (a pattern that
    needs ``text`` after a position cannot match past it)."""
    known = _LAST_INDEX.get(id(string))
    if known is None or known[0] is not string:
        if len(_LAST_INDEX) > 32:
            _LAST_INDEX.clear()
        known = _LAST_INDEX[id(string)] = (string, {})
    found = known[1].get(text)
    if found is None:
        found = known[1][text] = string.rfind(text)
    return found


def line_end_possible(string: str, pos: int) -> bool:
    """Whether ``LAZY_END``/``PARAGRAPH_END`` can match at the line starting at ``pos``
    as far as an IAL is concerned: a line whose text starts with ``{`` ends a paragraph
    only as an IAL, which needs a ``}``."""
    lead = pos
    while lead < len(string) and lead - pos < 3 and string[lead] == " ":
        lead += 1
    return lead >= len(string) or string[lead] != "{" or last_index(string, "}") > lead


def codeblock_end(string: str, pos: int) -> int:
    """``codeblock.rb: CODEBLOCK_MATCH`` from ``pos``: where the indented code ends.

    ``(?:BLANK_LINE?(?:INDENT[ \\t]*\\S.*\\n)+(?:(?!IAL_BLOCK_START|EOB_MARKER|…HTML…)
    ^[ \\t]*\\S.*\\n)*)*``: indented lines, then any non-blank lines that do not start
    an IAL, an end-of-block marker or HTML, then again after blank lines. Matched greedily
    with nothing after it, the pattern never backtracks, so this loop is the same.
    """
    end = pos
    while True:
        at = end
        blank = BLANK_LINE.match(string, at)
        if blank is not None:
            at = blank.end()
        indented = False
        while (line := _INDENTED_LINE.match(string, at)) is not None:
            at = line.end()
            indented = True
        if not indented:
            return end
        while (
            EOB_MARKER.match(string, at) is None
            and not _html_stop_at(string, at, 3)
            and (line := _CODE_LAZY_LINE.match(string, at)) is not None
        ):
            at = line.end()
        end = at


#: ``parser/gfm.rb: FENCED_CODEBLOCK_START``
FENCED_CODEBLOCK_START = re.compile(r"[ ]{0,3}[~`]{3,}", M)
_LINE_SPACE = " \t\v\f\r"
_ONE_WORD = re.compile("[ \t\v\f\r]*[^ \t\n\v\f\r]*[ \t\v\f\r]*")


def fenced_code_end(string: str, pos: int) -> int:
    """Where ``parser/gfm.rb: FENCED_CODEBLOCK_MATCH`` ends a fenced code block that starts
    at ``pos`` (-1: it does not match).

    ``^[ ]{0,3}(([~`]){3,})\\s*?((\\S+?)(?:\\?\\S*)?)?\\s*?\\n(.*?)^[ ]{0,3}\\1\\2*\\s*?\\n``
    (with ``/m``). Spelt out, as its backtracking is exponential on long fences: the
    pattern takes the longest fence *k* (from the whole run of *L* fence characters
    down to three) whose opening line is valid and that some later line closes (up to
    three spaces, at least *k* fence characters, nothing else), and ends after the first
    such line. The opening line, after the *k* characters, may hold one word between
    spaces; for *k* < *L* the rest of the run belongs to that word, so it must touch the
    fence or be the only thing on the line.
    """
    end = len(string)
    start = pos
    while start < end and start - pos < 3 and string[start] == " ":
        start += 1
    if start >= end or string[start] not in "~`":
        return -1
    char = string[start]
    run_end = start
    while run_end < end and string[run_end] == char:
        run_end += 1
    longest = run_end - start
    newline = string.find("\n", run_end)
    if longest < 3 or newline < 0:
        return -1
    rest = string[run_end:newline]
    if _ONE_WORD.fullmatch(rest) is None:
        return -1
    valid_shorter = not rest.strip(_LINE_SPACE) or rest[:1] not in _LINE_SPACE
    starts, runs, ends, most_after = _closers(string, char)
    first = bisect_left(starts, newline + 1)
    if first >= len(starts):
        return -1
    most = most_after[first]
    if most >= longest:
        wanted = longest
    elif valid_shorter and min(most, longest - 1) >= 3:
        wanted = min(most, longest - 1)
    else:
        return -1
    index = first
    while runs[index] < wanted:
        index += 1
    return ends[index]


_CLOSERS: dict[int, tuple[str, dict[str, tuple[list[int], list[int], list[int], list[int]]]]] = {}


def _closers(string: str, char: str) -> tuple[list[int], list[int], list[int], list[int]]:
    """The lines of ``string`` that can close a fence of ``char``: up to three spaces, three
    or more ``char``, then only spaces; as line starts, runs, line ends (after the
    newline) and, from each on, the longest run. Computed once per string."""
    known = _CLOSERS.get(id(string))
    if known is None or known[0] is not string:
        if len(_CLOSERS) > 32:
            _CLOSERS.clear()
        known = _CLOSERS[id(string)] = (string, {})
    found = known[1].get(char)
    if found is not None:
        return found
    starts: list[int] = []
    runs: list[int] = []
    ends: list[int] = []
    fence = char * 3
    at = string.find(fence)
    while at >= 0:
        line = string.rfind("\n", 0, at) + 1
        line_end = string.find("\n", at)
        if line_end < 0:
            break
        lead = line
        while lead < line_end and lead - line < 3 and string[lead] == " ":
            lead += 1
        run = lead
        while run < line_end and string[run] == char:
            run += 1
        if run - lead >= 3 and not string[run:line_end].strip(_LINE_SPACE):
            starts.append(line)
            runs.append(run - lead)
            ends.append(line_end + 1)
        at = string.find(fence, line_end + 1)
    most_after = list(runs)
    for index in range(len(most_after) - 2, -1, -1):
        most_after[index] = max(most_after[index], most_after[index + 1])
    found = known[1][char] = (starts, runs, ends, most_after)
    return found


BLOCKQUOTE_START = re.compile(f"{OPT}> ?", M)
#: ``BLOCKQUOTE_START`` for ``gsub`` on a string.
BLOCKQUOTE_START_LINES = re.compile(f"^{OPT}> ?", M)
#: ``parser/gfm.rb: ATX_HEADER_START``
ATX_HEADER_START = re.compile(r"(?P<level>#{1,6})[\t ]+(?P<contents>.*)\n", M)
SETEXT_HEADER_START = re.compile(rf"{OPT}(?P<contents>[^ \t].*)\n(?P<level>[-=])[-=]*[ \t\r\f\v]*\n", M)
#: ``header.rb: HEADER_ID``: ``{#id}`` at the end of a header text.
_NAME_START = (
    ":A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_NAME_CHAR = _NAME_START + r"\-.0-9\u00b7\u0300-\u036f\u203f-\u2040"
HEADER_ID = re.compile(rf"[\t ]\{{#(?P<id>[{_NAME_START}][{_NAME_CHAR}]*)\}}\Z", M)
HR_START = re.compile(rf"{OPT}([*_-])[ \t]*\1[ \t]*\1(?:\1|[ \t])*\n", M)
LIST_START_UL = re.compile(r"( {0,3}[+*-])([\t| ].*?\n)", M)
LIST_START_OL = re.compile(r"( {0,3}[0-9]+\.)([\t| ].*?\n)", M)
LIST_START_SRC = r"(?: {0,3}[+*-]|[ ]{0,3}[0-9]+\.)[\t| ].*?\n"
LIST_START = re.compile(LIST_START_SRC, M)
DEFINITION_LIST_START = re.compile(r"( {0,3}:)([\t| ].*?\n)", M)
_DEFINITION_LIST_START_SRC = r" {0,3}:[\t| ].*?\n"
#: ``list.rb: LIST_ITEM_IAL`` (at the start of the item's text).
LIST_ITEM_IAL = re.compile(rf"{S}*(?:\{{:(?!(?:{ALD_ID_NAME})?:|/)({ALD_ANY_CHARS}+)\}}){S}*", M)
LIST_ITEM_IAL_CHECK = re.compile(
    rf"(?:{S}*(?:\{{:(?!(?:{ALD_ID_NAME})?:|/)(?:{ALD_ANY_CHARS}+)\}}){S}*)?{S}*\n", M
)


_FETCHED: dict[tuple[str, int], re.Pattern[str]] = {}


def fetch_pattern(kind: str, indentation: int) -> re.Pattern[str]:
    """``list.rb: fetch_pattern``: the marker of a sibling item, indented less than the
    item's content."""
    key = (kind, min(indentation, 4))
    found = _FETCHED.get(key)
    if found is None:
        spaces = {1: " {0}", 2: " {0,1}", 3: " {0,2}"}.get(indentation, " {0,3}")
        marker = {"ul": "[+*-]", "ol": r"[0-9]+\.", "dl": ":"}[kind]
        found = _FETCHED[key] = re.compile(f"({spaces}{marker})([\\t| ].*?\\n)", M)
    return found


_CACHE: dict[tuple[str, int], re.Pattern[str]] = {}


def _pattern(source: str, flags: int = M) -> re.Pattern[str]:
    key = (source, int(flags))
    found = _CACHE.get(key)
    if found is None:
        found = _CACHE[key] = re.compile(source, flags)
    return found


class LazyLine:
    """``list.rb``'s ``lazy_re``: ``(?!^ {0,n}(?:IAL_BLOCK|LAZY_END_HTML_STOP|
    LAZY_END_HTML_START)).*\\S.*\\n``, a line a list item takes without indentation."""

    __slots__ = ("spaces",)

    def __init__(self, indentation: int) -> None:
        self.spaces = min(indentation, 3)

    def match(self, string: str, pos: int = 0) -> re.Match[str] | None:
        if _html_stop_at(string, pos, self.spaces):
            return None
        return _NON_BLANK_LINE.match(string, pos)


_LIST_LINE_CACHE: dict[int, tuple[re.Pattern[str], LazyLine, re.Pattern[str]]] = {}


def list_line_patterns(indentation: int) -> tuple[re.Pattern[str], LazyLine, re.Pattern[str]]:
    """``list.rb: PARSE_FIRST_LIST_LINE_REGEXP_CACHE``: content, lazy and indent patterns."""
    found = _LIST_LINE_CACHE.get(indentation)
    if found is None:
        quarter, rest = divmod(indentation, 4)
        content = re.compile(
            f"(?:(?:\\t| {{4}}){{{quarter}}} {{{rest}}}|(?:\\t| {{4}}){{{quarter + 1}}}).*{NS}.*\\n", M
        )
        indent = re.compile(f" {{{indentation}}}", M)
        found = _LIST_LINE_CACHE[indentation] = (content, LazyLine(indentation), indent)
    return found


#: ``paragraph.rb``
PARAGRAPH_START = re.compile(f"{OPT}[^ \\t].*?\\n", M)
PARAGRAPH_MATCH = re.compile(".*?\\n", M)
LAZY_END = Dual(_lazy_end, M, _group_not_ascii("html"))
#: ``parser/gfm.rb: PARAGRAPH_END_GFM`` (the ``paragraph_end`` quirk is on by default).
PARAGRAPH_END = Dual(
    lambda c: (
        f"{_lazy_end(c)}|{LIST_START_SRC}|#{{1,6}}[\\t ]+.*\\n|{_DEFINITION_LIST_START_SRC}"
        f"|{OPT}> ?|[ ]{{0,3}}[~`]{{3,}}"
    ),
    M,
    _group_not_ascii("html"),
)
#: ``block_boundary.rb: BLOCK_BOUNDARY``
BLOCK_BOUNDARY = re.compile(f"{blank_line()}|{EOB_MARKER_SRC}|{OPT}{IAL_BLOCK_SRC}|\\Z|\\n\\Z", M)

#: ``table.rb``
TABLE_SEP_LINE = re.compile(r"([+|: \t-]*?-[+|: \t-]*?)[ \t]*\n", M)
TABLE_FSEP_LINE = re.compile(r"[+|: \t=]*?=[+|: \t=]*?[ \t]*\n", M)
_TABLE_PIPE_CHECK = r"(?:\||.*?[^\\\n]\|)"
TABLE_PIPE_CHECK = re.compile(_TABLE_PIPE_CHECK, M)
TABLE_LINE = re.compile(f"{_TABLE_PIPE_CHECK}.*?\\n", M)
TABLE_START = re.compile(f"{OPT}(?={NS}){_TABLE_PIPE_CHECK}.*?\\n", M)
LEADING_PIPE = re.compile(f"{S}*\\|", M)
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|", M)

#: ``math.rb``
BLOCK_MATH_START = re.compile(rf"{OPT}(\\)?\$\$(.*?)\$\$({S}*?\n)?", MS)
INLINE_MATH_START = re.compile(r"\$\$(.*?)\$\$", MS)

#: ``link.rb: LINK_DEFINITION_START``
LINK_DEFINITION_START = re.compile(
    rf"{OPT}\[([^\n\]]+)\]:[ \t]*(?:<(.*?)>|([^\n]*?{NS}[^\n]*?))"
    rf"(?:(?:[ \t]*?\n|[ \t]+?)[ \t]*?([\"'])(.+?)\4)?[ \t]*?\n",
    M,
)
LINK_DEF_TITLE_IN_URL = re.compile(r"[ \t]+[\"']")
#: ``footnote.rb``
#: ``FOOTNOTE_DEFINITION_START`` up to the ``:``; the body (``\\s*?(.*?\\n CODEBLOCK_MATCH)``) is
#: the rest of the line and the indented code after it (``codeblock_end``).
FOOTNOTE_DEFINITION_START = re.compile(rf"{OPT}\[\^(?P<name>{ALD_ID_NAME})\]:", M)
FOOTNOTE_MARKER_START = re.compile(rf"\[\^({ALD_ID_NAME})\]", M)
#: ``abbreviation.rb``
ABBREV_DEFINITION_START = re.compile(rf"{OPT}\*\[(.+?)\]:(.*?)\n", M)

#: ``extensions.rb``
ALD_START = re.compile(rf"{OPT}\{{:({ALD_ID_NAME}):({ALD_ANY_CHARS}+)\}}{S}*?\n", M)
_EXT_START = rf"\{{::({W}+)(?:{S}({ALD_ANY_CHARS}*?)|)(/)?\}}"
_EXT_STOP_ANY = rf"\{{:/({ALD_ID_NAME})?\}}"
EXT_BLOCK_START = re.compile(f"{OPT}(?:{_EXT_START}|{_EXT_STOP_ANY}){S}*?\\n", M)
EXT_SPAN_START = re.compile(f"{_EXT_START}|{_EXT_STOP_ANY}", M)
IAL_BLOCK_START = re.compile(OPT + IAL_BLOCK_SRC, M)
BLOCK_EXTENSIONS_START = re.compile(f"{OPT}\\{{:", M)
IAL_SPAN_START = re.compile(rf"\{{:({ALD_ANY_CHARS}+)\}}", M)
SPAN_EXTENSIONS_START = re.compile(r"\{:", M)


def ext_stop(name: str | None, block: bool) -> re.Pattern[str]:
    """``EXT_BLOCK_STOP_STR % name`` / ``EXT_STOP_STR % name``. (The block one is a Ruby
    double-quoted string, where ``\\s`` is a plain space.)"""
    inner = "" if name is None else name
    if block:
        return _pattern(f"^{OPT}\\{{:/({inner})?\\}} *?\\n")
    return _pattern(f"\\{{:/({inner})?\\}}")


_ALD_KEY_VALUE = rf"({ALD_ID_NAME})=(\"|')((?:\\\}}|\\\2|[^}}\x02])*?)\2"
_ALD_CLASS = r"\.([^ \t\n\v\f\r.#]+)"
_ALD_ID = r"#([A-Za-z][A-Za-z0-9_:-]*)"
#: ``ALD_TYPE_ANY``: groups key, sep, value, ref, id-and-or-class, id, class.
ALD_TYPE_ANY = re.compile(
    rf"(?:\A|{S})(?:{_ALD_KEY_VALUE}|({ALD_ID_NAME})|((?:{_ALD_ID}|{_ALD_CLASS})+))(?={S}|\Z|\n\Z)", M
)
ALD_TYPE_ID_OR_CLASS = re.compile(f"{_ALD_ID}|{_ALD_CLASS}", M)

#: ``parser/kramdown/html.rb`` and ``parser/html.rb``
HTML_BLOCK_START = Dual(lambda c: f"{OPT}<(?:{uname(c)}|!--|/)").fast
HTML_COMMENT_RE = re.compile(r"<!--(.*?)-->", MS)
HTML_INSTRUCTION_RE = re.compile(r"<\?(.*?)\?>", MS)


def _html_tag(c: Classes) -> str:
    attribute = atomic(f"{S}+{uname(c)}(?:{S}*={S}*(?:{c.word()}+|(?P<q>[\"']).*?(?P=q)))?")
    return f"<(?P<name>{atomic(uname(c))}){S}*(?P<attrs>(?:{attribute})*){S}*(?P<closed>/)?>"


_QUOTED = re.compile("\"[^\"]*\"|'[^']*'")


def _tag_needs_exact(found: re.Match[str]) -> bool:
    """A class decided a non-ASCII character: in the name, an attribute name or an
    unquoted value (quoted values are ``.*?``)."""
    if not found.group("name").isascii():
        return True
    attrs = found.group("attrs")
    return not attrs.isascii() and not _QUOTED.sub("", attrs).isascii()


#: ``HTML_TAG_RE``: groups ``name``, ``attrs``, ``closed``.
HTML_TAG_RE = Dual(_html_tag, MS, _tag_needs_exact)
HTML_TAG_BLOCK = Dual(lambda c: OPT + _html_tag(c), MS, _tag_needs_exact)
#: ``HTML_TAG_CLOSE_RE``: group ``name``.
HTML_TAG_CLOSE_RE = Dual(lambda c: f"</(?P<name>{uname(c)}){S}*>", MS, _group_not_ascii("name"))
HTML_TAG_CLOSE_BLOCK = Dual(lambda c: f"{OPT}</(?P<name>{uname(c)}){S}*>", MS, _group_not_ascii("name"))
#: ``HTML_ATTRIBUTE_RE``: groups name, bare value, quote, quoted value.
HTML_ATTRIBUTE_RE = Dual(lambda c: f"{S}*({uname(c)})(?:{S}*={S}*(?:({c.word()}+)|([\"'])(.*?)\\3))?", MS)
#: The places where these may start. With wide classes they may stop at a ``<`` that
#: starts nothing; the parsers behind them then read it as the text it is.
HTML_RAW_START = Dual(lambda c: f"<(?:{uname(c)}|/|!--|\\?)").fast
HTML_SPAN_START = Dual(lambda c: f"<(?:{uname(c)}|!--|/)").fast
TRAILING_WHITESPACE = re.compile(r"[ \t]*\n", M)
HTML_ENTITY_RE = re.compile(r"&([A-Za-z0-9_:][A-Za-z0-9_.:-]*);|&#([0-9]+);|&#x([0-9a-fA-F]+);", M)
NEWLINES = re.compile(r"\n+")


def close_tag_ahead(name: str) -> re.Pattern[str]:
    """``/(?=<\\/#{name}\\s*>)/mi`` (the name goes in unescaped, as in Ruby)."""
    return _pattern(f"</{name}{S}*>", MS | re.IGNORECASE)


def span_close_tag(name: str, known: bool) -> re.Pattern[str]:
    """``parse_span_html``'s ``stop_re`` (case-insensitive for names kramdown knows)."""
    return _pattern(f"</{re.escape(name)}{S}*>", M | (re.IGNORECASE if known else 0))


# -- span starts -----------------------------------------------------------------------

EMPHASIS_START = re.compile(r"(?:\*\*?|__?)", M)
CODESPAN_DELIMITER = re.compile("`+", M)


def _email_not_ascii(found: re.Match[str]) -> bool:
    return found.group(2) is None and not found.group(1).isascii()


#: ``autolink.rb: AUTOLINK_START`` (``ACHARS`` only in the e-mail form).
_ACHARS_EXTRA = "\\-_."
AUTOLINK_START = Dual(
    lambda c: f"<((mailto|https?|ftps?):.+?|{c.alnum(_ACHARS_EXTRA)}+?@{c.alnum(_ACHARS_EXTRA)}+?)>",
    M,
    _email_not_ascii,
)
#: ``link.rb``
LINK_START = re.compile(r"!?\[(?=[^^])", M)
LINK_BRACKET_STOP_RE = re.compile(r"(\])|!?\[", M)
LINK_PAREN_STOP_RE = re.compile(f"(\\()|(\\))|{S}(?=['\"])", M)
LINK_INLINE_ID_RE = re.compile(f"{S}*?\\[([^\\]]+)?\\]", M)
LINK_INLINE_TITLE_RE = re.compile(f"{S}*?([\"'])(.+?)\\1{S}*?\\)", MS)
LINK_ANGLE = re.compile(r"\(<(.*?)>", M)
OPEN_PAREN = re.compile(r"\(", M)
CLOSE_PAREN = re.compile(r"\)", M)
#: ``escaped_chars.rb: ESCAPED_CHARS`` and ``parser/gfm.rb: ESCAPED_CHARS_GFM``
ESCAPED_CHARS = re.compile(r"\\([\\.*_+`<>()\[\]{}#!:|\"'$=-])", M)
ESCAPED_CHARS_GFM = re.compile(r"\\([\\.*_+`<>()\[\]{}#!:|\"'$=\-~])", M)
#: ``smart_quotes.rb``
SMART_QUOTES_RE = re.compile(r"[^\\]?[\"']", MS)
_SQ_CLOSE = "[^ \\\\\t\r\n\\[{(-]"
_QUOTE = re.compile("(\"|')", M)
_SQ_PUNCT_CHARS = frozenset("!\"#$%'()*+,-./:;<=>?@[\\]^_`{|}~")


def _boundary_word(string: str, pos: int) -> bool:
    """Whether the character at ``pos`` counts as a word character for Ruby's ``\\b``."""
    return pos < len(string) and charclasses.is_boundary_word(string[pos])


class _QuoteRule:
    """An ``SQ_RULES`` pattern whose ``\\b``/``\\B`` is tested in code (with Ruby's Unicode
    word characters): ``("|')(?=#{SQ_PUNCT}(?!\\.\\.)\\B)`` and ``("|')(?=\\s|s\\b|$)``."""

    __slots__ = ("punct",)

    def __init__(self, punct: bool) -> None:
        self.punct = punct

    def match(self, string: str, pos: int = 0) -> re.Match[str] | None:
        if pos >= len(string) or string[pos] not in "\"'":
            return None
        after = pos + 1
        if self.punct:
            if after >= len(string) or string[after] not in _SQ_PUNCT_CHARS:
                return None
            if string.startswith("..", after + 1):
                return None
            ok = (string[after] == "_") == _boundary_word(string, after + 1)
        else:
            ok = (
                after >= len(string)
                or string[after] in " \t\n\v\f\r"
                or (string[after] == "s" and not _boundary_word(string, after + 1))
            )
        return _QUOTE.match(string, pos) if ok else None


#: ``SQ_RULES``: pattern, then what each group becomes (an int: text; a name: a quote).
SQ_RULES: tuple[tuple[re.Pattern[str] | _QuoteRule, tuple[int | str, ...]], ...] = (
    (re.compile(f"(\"|')(?=[_*]{{1,2}}{NS})", M), ("lquote1",)),
    (_QuoteRule(punct=True), ("rquote1",)),
    (re.compile(f"({S}?)\"'(?={W})", M), (1, "ldquo", "lsquo")),
    (re.compile(f"({S}?)'\"(?={W})", M), (1, "lsquo", "ldquo")),
    (re.compile(f"({S}?)'(?=[0-9][0-9]s)", M), (1, "rsquo")),
    (re.compile(f"({S})('|\")(?={W})", M), (1, "lquote2")),
    (re.compile(f"({_SQ_CLOSE})('|\")", M), (1, "rquote2")),
    (_QuoteRule(punct=False), ("rquote1",)),
    (re.compile("(.?)'", MS), (1, "lsquo")),
    (re.compile('(.?)"', MS), (1, "ldquo")),
)
SQ_SUBSTS = {
    ("rquote1", '"'): "rdquo",
    ("rquote1", "'"): "rsquo",
    ("rquote2", '"'): "rdquo",
    ("rquote2", "'"): "rsquo",
    ("lquote1", '"'): "ldquo",
    ("lquote1", "'"): "lsquo",
    ("lquote2", '"'): "ldquo",
    ("lquote2", "'"): "lsquo",
}
#: ``typographic_symbol.rb``
TYPOGRAPHIC_SYMS_RE = re.compile(r"---|--|\.\.\.|\\<<|\\>>|<< | >>|<<|>>", M)
TYPOGRAPHIC_SYMS = {
    "---": "mdash",
    "--": "ndash",
    "...": "hellip",
    "\\<<": "&lt;&lt;",
    "\\>>": "&gt;&gt;",
    "<< ": "laquo_space",
    " >>": "raquo_space",
    "<<": "laquo",
    ">>": "raquo",
}
#: ``line_break.rb``
LINE_BREAK = re.compile(r"(  |\\\\)(?=\n)", M)
#: ``parser/gfm.rb: STRIKETHROUGH_MATCH``
STRIKETHROUGH_MATCH = re.compile(f"~~(?!{S}|~).*?[^ \\t\\n\\v\\f\\r~]~~", MS)
ASCII_SPACE = " \t\n\v\f\r"
#: What Ruby's ``strip`` removes.
STRIP = " \t\n\v\f\r\0"
WHITESPACE_RUN = re.compile(f"{S}+")
TASK_UNCHECKED = re.compile(rf"\A{S}*\[ \]{S}+")
TASK_CHECKED = re.compile(rf"\A{S}*\[[xX]\]{S}+")
