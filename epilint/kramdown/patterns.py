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
"""

from __future__ import annotations

import itertools
import re

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
#: Ruby's ``\b`` right after a word character: the next one is not a word character.
WORD_END = f"(?![{charclasses.BOUNDARY_WORD}])"
BWORD = f"[{charclasses.BOUNDARY_WORD}]"
ALPHA = f"[{charclasses.ALPHA}]"
ALNUM_CLASS = charclasses.ALNUM
PWORD = f"[{charclasses.WORD}]"

_names = itertools.count()


def atomic(pattern: str) -> str:
    """``(?>pattern)``: match once, never give back."""
    name = f"_a{next(_names)}"
    return f"(?=(?P<{name}>{pattern}))(?P={name})"


#: ``REXML::Parsers::BaseParser::UNAME_STR``
UNAME = (
    f"(?:[{charclasses.ALPHA}_][-{charclasses.ALNUM}._]*:)?[{charclasses.ALPHA}_][-{charclasses.ALNUM}._]*"
)


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

HTML_SPAN_ELEMENTS = frozenset(
    "a abbr acronym b big bdo br button cite code del dfn em i img input ins kbd label mark "
    "option q rb rbc rp rt rtc ruby samp select small span strong sub sup tt u var".split()
)
HTML_BLOCK_ELEMENTS = frozenset(
    "address article aside applet body blockquote caption col colgroup dd div dl dt fieldset "
    "figcaption footer form h1 h2 h3 h4 h5 h6 header hgroup hr html head iframe legend menu li "
    "main map nav ol optgroup p pre section summary table tbody td th thead tfoot tr ul".split()
)
HTML_ELEMENTS_WITHOUT_BODY = frozenset(
    "area base br col command embed hr img input keygen link meta param source track wbr".split()
)
_CONTENT_MODEL_BLOCK = (
    "address applet article aside blockquote body dd details div dl fieldset figure figcaption "
    "footer form header hgroup iframe li main map menu nav noscript object section summary td".split()
)
_CONTENT_MODEL_SPAN = (
    "a abbr acronym b bdo big button cite caption del dfn dt em h1 h2 h3 h4 h5 h6 i ins label "
    "legend optgroup p q rb rbc rp rt rtc ruby select small span strong sub sup th tt".split()
)
_CONTENT_MODEL_RAW = "script style math option textarea pre code kbd samp var".split()
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


def lazy_end_html_start() -> str:
    """``paragraph.rb: LAZY_END_HTML_START``"""
    return "<" + atomic(f"(?!(?:{_LAZY_END_HTML_NAMES}){WORD_END}){UNAME}")


LAZY_END_HTML_STOP_SRC = f"</(?!(?:{_LAZY_END_HTML_NAMES}){WORD_END}){UNAME}{S}*>"


def lazy_end() -> str:
    """``paragraph.rb: LAZY_END``, tried at a line start."""
    return (
        f"{blank_line()}|{OPT}{IAL_BLOCK_SRC}|{EOB_MARKER_SRC}|{OPT}{LAZY_END_HTML_STOP_SRC}"
        f"|{OPT}{lazy_end_html_start()}|\\Z|\\n\\Z"
    )


# -- block starts (tried at the scanner's position) ------------------------------------

BLANK_LINE = re.compile(blank_line(), M)
EOB_MARKER = re.compile(EOB_MARKER_SRC, M)
#: ``codeblock.rb: CODEBLOCK_START`` (``INDENT``)
INDENT = re.compile(r"(?:\t| {4})", M)
#: ``INDENT`` for ``gsub`` on a string (every line).
INDENT_LINES = re.compile(r"^(?:\t| {4})", M)


def codeblock_match() -> str:
    """``codeblock.rb: CODEBLOCK_MATCH``: indented lines, lazy lines after them, and more
    indented lines after blank ones."""
    not_lazy = f"(?!{OPT}{IAL_BLOCK_SRC}|{EOB_MARKER_SRC}|{OPT}{LAZY_END_HTML_STOP_SRC}|{OPT}{lazy_end_html_start()})"
    return f"(?:(?:{blank_line()})?(?:(?:\\t| {{4}})[ \\t]*{NS}.*\\n)+(?:{not_lazy}[ \\t]*{NS}.*\\n)*)*"


CODEBLOCK_MATCH = re.compile(codeblock_match(), M)
#: ``parser/gfm.rb: FENCED_CODEBLOCK_START`` / ``FENCED_CODEBLOCK_MATCH``
FENCED_CODEBLOCK_START = re.compile(r"[ ]{0,3}[~`]{3,}", M)
FENCED_CODEBLOCK_MATCH = re.compile(
    rf"[ ]{{0,3}}(?P<fence>(?P<ch>[~`]){{3,}}){S}*?(?P<info>(?P<lang>{NS}+?)(?:\?{NS}*)?)?{S}*?\n"
    rf"(?P<body>.*?)^[ ]{{0,3}}(?P=fence)(?P=ch)*{S}*?\n",
    MS,
)
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


def fetch_pattern(kind: str, indentation: int) -> re.Pattern[str]:
    """``list.rb: fetch_pattern``: the marker of a sibling item, indented less than the
    item's content."""
    spaces = {1: " {0}", 2: " {0,1}", 3: " {0,2}"}.get(indentation, " {0,3}")
    marker = {"ul": "[+*-]", "ol": r"[0-9]+\.", "dl": ":"}[kind]
    return _pattern(f"({spaces}{marker})([\\t| ].*?\\n)")


_CACHE: dict[str, re.Pattern[str]] = {}


def _pattern(source: str, flags: int = M) -> re.Pattern[str]:
    key = f"{flags}:{source}"
    found = _CACHE.get(key)
    if found is None:
        found = _CACHE[key] = re.compile(source, flags)
    return found


_LIST_LINE_CACHE: dict[int, tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]] = {}


def list_line_patterns(indentation: int) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """``list.rb: PARSE_FIRST_LIST_LINE_REGEXP_CACHE``: content, lazy and indent patterns."""
    found = _LIST_LINE_CACHE.get(indentation)
    if found is None:
        quarter, rest = divmod(indentation, 4)
        content = re.compile(
            f"(?:(?:\\t| {{4}}){{{quarter}}} {{{rest}}}|(?:\\t| {{4}}){{{quarter + 1}}}).*{NS}.*\\n", M
        )
        lazy = re.compile(
            f"(?! {{0,{min(indentation, 3)}}}(?:{IAL_BLOCK_SRC}|{LAZY_END_HTML_STOP_SRC}|{lazy_end_html_start()}))"
            f".*{NS}.*\\n",
            M,
        )
        indent = re.compile(f" {{{indentation}}}", M)
        found = _LIST_LINE_CACHE[indentation] = (content, lazy, indent)
    return found


#: ``paragraph.rb``
PARAGRAPH_START = re.compile(f"{OPT}[^ \\t].*?\\n", M)
PARAGRAPH_MATCH = re.compile(".*?\\n", M)
LAZY_END = re.compile(lazy_end(), M)
#: ``parser/gfm.rb: PARAGRAPH_END_GFM`` (the ``paragraph_end`` quirk is on by default).
PARAGRAPH_END = re.compile(
    f"{lazy_end()}|{LIST_START_SRC}|#{{1,6}}[\\t ]+.*\\n|{_DEFINITION_LIST_START_SRC}|{OPT}> ?|[ ]{{0,3}}[~`]{{3,}}",
    M,
)
#: ``block_boundary.rb: BLOCK_BOUNDARY``
BLOCK_BOUNDARY = re.compile(f"{blank_line()}|{EOB_MARKER_SRC}|{OPT}{IAL_BLOCK_SRC}|\\Z|\\n\\Z", M)

#: ``table.rb``
TABLE_SEP_LINE = re.compile(r"([+|: \t-]*?-[+|: \t-]*?)[ \t]*\n", M)
TABLE_FSEP_LINE = re.compile(r"[+|: \t=]*?=[+|: \t=]*?[ \t]*\n", M)
TABLE_ROW_LINE = re.compile(r"(.*?)[ \t]*\n", M)
_TABLE_PIPE_CHECK = r"(?:\||.*?[^\\\n]\|)"
TABLE_PIPE_CHECK = re.compile(_TABLE_PIPE_CHECK, M)
TABLE_LINE = re.compile(f"{_TABLE_PIPE_CHECK}.*?\\n", M)
TABLE_START = re.compile(f"{OPT}(?={NS}){_TABLE_PIPE_CHECK}.*?\\n", M)
LEADING_PIPE = re.compile(f"{S}*\\|", M)
CODE_HTML_SPLIT = re.compile(r"(<code.*?>.*?</code>)", M)
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
FOOTNOTE_DEFINITION_START = re.compile(
    rf"{OPT}\[\^(?P<name>{ALD_ID_NAME})\]:{S}*?(?P<body>.*?\n{codeblock_match()})", M
)
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
HTML_BLOCK_START = re.compile(f"{OPT}<(?:{UNAME}|!--|/)", M)
HTML_COMMENT_RE = re.compile(r"<!--(.*?)-->", MS)
HTML_INSTRUCTION_RE = re.compile(r"<\?(.*?)\?>", MS)


def _html_tag() -> str:
    attribute = atomic(f"{S}+{UNAME}(?:{S}*={S}*(?:{PWORD}+|(?P<q>[\"']).*?(?P=q)))?")
    return f"<(?P<name>{atomic(UNAME)}){S}*(?P<attrs>(?:{attribute})*){S}*(?P<closed>/)?>"


#: ``HTML_TAG_RE``: groups ``name``, ``attrs``, ``closed``.
HTML_TAG_RE = re.compile(_html_tag(), MS)
HTML_TAG_BLOCK = re.compile(OPT + _html_tag(), MS)
HTML_TAG_CLOSE_RE = re.compile(f"</({UNAME}){S}*>", MS)
HTML_TAG_CLOSE_BLOCK = re.compile(f"{OPT}</({UNAME}){S}*>", MS)
#: ``HTML_ATTRIBUTE_RE``: groups name, bare value, quote, quoted value.
HTML_ATTRIBUTE_RE = re.compile(f"{S}*({UNAME})(?:{S}*={S}*(?:({PWORD}+)|([\"'])(.*?)\\3))?", MS)
HTML_RAW_START = re.compile(f"<(?:{UNAME}|/|!--|\\?)", M)
HTML_SPAN_START = re.compile(f"<(?:{UNAME}|!--|/)", M)
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
#: ``autolink.rb: AUTOLINK_START``
_ACHARS = f"[{charclasses.ALNUM}\\-_.]"
AUTOLINK_START = re.compile(f"<((mailto|https?|ftps?):.+?|{_ACHARS}+?@{_ACHARS}+?)>", M)
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
_SQ_PUNCT = r"[!\"#$%'()*+,\-./:;<=>?@\[\\\]^_`{|}~]"
_SQ_CLOSE = "[^ \\\\\t\r\n\\[{(-]"
_NOT_BOUNDARY = f"(?:(?<={BWORD})(?={BWORD})|(?<!{BWORD})(?!{BWORD}))"
#: ``SQ_RULES``: pattern, then what each group becomes (an int: text; a name: a quote).
SQ_RULES: tuple[tuple[re.Pattern[str], tuple[int | str, ...]], ...] = (
    (re.compile(f"(\"|')(?=[_*]{{1,2}}{NS})", M), ("lquote1",)),
    (re.compile(f"(\"|')(?={_SQ_PUNCT}(?!\\.\\.){_NOT_BOUNDARY})", M), ("rquote1",)),
    (re.compile(f"({S}?)\"'(?={W})", M), (1, "ldquo", "lsquo")),
    (re.compile(f"({S}?)'\"(?={W})", M), (1, "lsquo", "ldquo")),
    (re.compile(f"({S}?)'(?=[0-9][0-9]s)", M), (1, "rsquo")),
    (re.compile(f"({S})('|\")(?={W})", M), (1, "lquote2")),
    (re.compile(f"({_SQ_CLOSE})('|\")", M), (1, "rquote2")),
    (re.compile(f"(\"|')(?={S}|s{WORD_END}|$)", M), ("rquote1",)),
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
MAILTO = re.compile("^mailto:", M)
ALPHA_CHAR = re.compile(ALPHA)
ASCII_SPACE = " \t\n\v\f\r"
#: What Ruby's ``strip`` removes.
STRIP = " \t\n\v\f\r\0"
WHITESPACE_RUN = re.compile(f"{S}+")
TASK_UNCHECKED = re.compile(rf"\A{S}*\[ \]{S}+")
TASK_CHECKED = re.compile(rf"\A{S}*\[[xX]\]{S}+")
