"""Hypothesis strategies for Markdown bodies built from the constructs that decide a
Jekyll page's links, and their neighbours: links with odd destinations (spaces, parens,
escapes, ``<>``, entities, full-width spaces, Liquid), titles, images, references and
definitions, autolinks, inline and block HTML (and Markdown right after it), code spans
and fences, emphasis, tables and pipes in list items, nested and lazy lists,
blockquotes, headers, footnotes, IALs and extensions, math, bare URLs, Japanese text.
"""

from __future__ import annotations

from hypothesis import strategies as st

WORDS = [
    "foo",
    "bar baz",
    "日本語",
    "ISRに魅力",
    "将棋",
    "Midjourney、Stable Diffusion",
    "STORIA法律事務所",
    "x",
    "A",
    "　",
    " ",
    "  ",
    "\t",
    "*",
    "**",
    "_",
    "__",
    "`",
    "``",
    "\\",
    "\\[",
    "\\]",
    "\\(",
    "\\)",
    "\\|",
    "\\*",
    "|",
    " | ",
    "<",
    ">",
    "&",
    "&amp;",
    "&#123;",
    "&#x41;",
    "&nbsp;",
    "&foo;",
    "[",
    "]",
    "(",
    ")",
    "](",
    "!",
    "$$",
    "$",
    "--",
    "...",
    "<<",
    ">>",
    '"',
    "'",
    "{:",
    "}",
    "~~",
    "^",
    ":",
    "#",
    "-",
    "@",
    "a@b.c",
    "{{ page.title }}",
    "{% raw %}",
    "\u3000",
    "\x00",
    "\x0b",
]

URLS = [
    "https://example.com/x",
    "http://a.b/c?d=1&e=2",
    "https://a.b/c?x=1&amp;y=2",
    "https://a.b/c\\(d\\)",
    "https://a.b/\u3000",
    "https://ja.wikipedia.org/wiki/将棋",
    "/relative/path",
    "#frag",
    "mailto:x@y.z",
    "",
    " ",
    "https://example.com/%E5%A %A2",
    "ISRに魅力 https://nextjs.org/",
    "{{ site.url }}/x",
    "{% link _posts/a.md %}",
    "<https://x.y/z>",
    "<https://x.y/a b>",
    'a"b',
    "a'b",
    "https://x.y/(y)",
    "https://x.y/y)",
    "(https://x.y)",
    "[https://a/x](https://a/y)",
    "https://x.y/a_b_c",
    "https://x.y/*a*",
    "https://x.y/`a`",
    "https://x.y/a<b>c",
    "https://x.y/\\<a\\>",
    "https://x.y/&#x3C;",
    "https://x.y/a|b",
    "https://x.y/a\nb",
    "https://x.y/a--b...c",
    'https://x.y/"q"',
]

AUTOLINKS = [
    "https://a.b/c",
    "http://x.y/a b",
    "mailto:a@b.c",
    "a@b.c",
    "日本@例.jp",
    "ftp://q",
    "https://日本.jp/",
]
TITLES = ["", "", "", ' "t"', " 't'", ' "a b"', ' "x\'y"', " (p)", ' "unclosed']

text = st.lists(st.sampled_from(WORDS), min_size=0, max_size=4).map("".join)
url = st.one_of(st.sampled_from(URLS), st.lists(st.sampled_from(URLS + WORDS), max_size=3).map("".join))
title = st.sampled_from(TITLES)


@st.composite
def inline_link(draw: st.DrawFn) -> str:
    kind = draw(
        st.sampled_from(
            ["link", "link", "image", "ref", "ref_empty", "shortcut", "autolink", "html_a", "html_img"]
        )
    )
    t, u = draw(text), draw(url)
    if kind == "link":
        return f"[{t}]({u}{draw(title)})"
    if kind == "image":
        return f"![{t}]({u}{draw(title)})"
    if kind == "ref":
        return f"[{t}][{draw(st.sampled_from(['id', 'ID', 'missing', 'a b', '']))}]"
    if kind == "ref_empty":
        return f"[{draw(st.sampled_from(['id', 'x', 'a  b']))}][]"
    if kind == "shortcut":
        return f"[{draw(st.sampled_from(['id', 'x', 'a b', 'missing']))}]"
    if kind == "autolink":
        target = draw(st.sampled_from(AUTOLINKS))
        return f"<{target}>"
    quote = draw(st.sampled_from(['"', "'", ""]))
    if kind == "html_a":
        return f"<a href={quote}{u}{quote}>{t}</a>"
    return f'<img src={quote}{u}{quote} alt="{t}">'


inline_piece = st.one_of(
    text,
    inline_link(),
    inline_link(),
    inline_link(),
    st.builds(lambda t: f"`{t}`", text),
    st.builds(lambda t: f"``{t}``", text),
    st.builds(lambda t: f"*{t}*", text),
    st.builds(lambda t: f"**{t}**", text),
    st.builds(lambda t: f"_{t}_", text),
    st.builds(lambda t: f"~~{t}~~", text),
    st.builds(lambda t: f"$${t}$$", text),
    st.builds(lambda a, b: f"<span>{a}{b}</span>", text, inline_link()),
    st.builds(lambda a: f"<code>{a}</code>", inline_link()),
    st.builds(lambda a: f"[{a}](https://outer.example/)", inline_link()),
    st.builds(lambda a: f"*{a}*", inline_link()),
    st.sampled_from(
        [
            "[^1]",
            "[^n]",
            "{: .cls}",
            '{: href="https://ial.example/"}',
            "{::comment}c{:/comment}",
            '{::nomarkdown}<a href="https://raw.example/">r</a>{:/}',
            "<!-- c [x](y) -->",
            "<br>",
            "see https://bare.example/x.",
            "https://bare.example/(a)",
            "（https://bare.example/jp）",
        ]
    ),
)

line = st.lists(inline_piece, min_size=1, max_size=6).map("".join)
para = st.lists(line, min_size=1, max_size=3).map("\n".join)


@st.composite
def list_block(draw: st.DrawFn) -> str:
    marker = draw(st.sampled_from(["- ", "* ", "+ ", "1. ", "- [ ] ", "- [x] ", "-\t", "-|"]))
    items = draw(st.lists(line, min_size=1, max_size=4))
    out = []
    for item in items:
        indent = draw(st.sampled_from(["", "", "  ", "    ", "\t", "   "]))
        out.append(f"{indent}{marker}{item}")
        if draw(st.booleans()):
            out.append(
                draw(
                    st.sampled_from(["lazy line", "  continued", "    - nested", "", "| a | b |", "    code"])
                )
            )
    return "\n".join(out)


@st.composite
def table_block(draw: st.DrawFn) -> str:
    cells = draw(
        st.lists(st.lists(inline_piece, min_size=1, max_size=3).map(" | ".join), min_size=1, max_size=3)
    )
    sep = draw(st.sampled_from(["|---|---|", "---|---", "| :-- | --: |", "", "|===|"]))
    lead = draw(st.sampled_from(["| ", "", "|"]))
    rows = [f"{lead}{row}" for row in cells]
    if sep:
        rows.insert(1, sep)
    return "\n".join(rows)


@st.composite
def html_block(draw: st.DrawFn) -> str:
    inner = draw(para)
    tag = draw(
        st.sampled_from(
            [
                "div",
                "p",
                "iframe",
                'blockquote class="twitter-tweet"',
                "section",
                "Div",
                "table",
                "pre",
                "script",
                "foo-bar",
                'div markdown="1"',
                'div markdown="span"',
            ]
        )
    )
    name = tag.split()[0]
    close = draw(st.sampled_from([f"</{name}>", "", f"</{name.upper()}>"]))
    joiner = draw(st.sampled_from(["", "\n", "\n\n"]))
    after = draw(
        st.sampled_from(
            ["", "\n[after](https://after.example/)", "\n\n[after](https://after.example/)", " tail"]
        )
    )
    return f"<{tag}>{joiner}{inner}{joiner}{close}{after}"


def _prefixed(prefix: str, body: str) -> str:
    return "\n".join(prefix + row for row in body.split("\n"))


block = st.one_of(
    para,
    para,
    list_block(),
    table_block(),
    html_block(),
    st.builds(lambda p: _prefixed("> ", p), para),
    st.builds(lambda p: f"# {p}", line),
    st.builds(lambda p: f"{p}\n---", line),
    st.builds(lambda p: f"{p}\n===", line),
    st.builds(lambda p: f"```\n{p}\n```", para),
    st.builds(lambda p: f"~~~ruby\n{p}\n~~~", para),
    st.builds(lambda p: f"```\n{p}", para),
    st.builds(lambda p: f"    {p}", line),
    st.builds(lambda u, t: f"[id]: {u}{t}", url, title),
    st.builds(lambda u: f"[ID]: <{u}>", url),
    st.builds(lambda u: f"[a b]: {u} 'title'", url),
    st.builds(lambda p: f"[^1]: {p}", line),
    st.builds(lambda p: f"[^n]:\n    {p}", line),
    st.just("*[HTML]: Hyper Text"),
    st.just("{: .note}"),
    st.just("* toc\n{:toc}"),
    st.just("{:toc}"),
    st.just("{::comment}\n[hidden](https://hidden.example/)\n{:/comment}"),
    st.just('{::nomarkdown}\n<a href="https://raw.example/b">x</a>\n{:/nomarkdown}'),
    st.just('{::options parse_block_html="true" /}'),
    st.just("---"),
    st.just("* * *"),
    st.builds(lambda p: f"$$\n{p}\n$$", line),
    st.just("^"),
    st.just("<!-- more -->"),
    st.builds(lambda p: f"<!--\n{p}\n-->", para),
    st.builds(lambda p: f": {p}", line),
)

separator = st.sampled_from(["\n", "\n\n", "\n\n", "\n  \n", "\n\n\n"])


@st.composite
def body(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(block, min_size=2, max_size=8))
    out = blocks[0]
    for item in blocks[1:]:
        out += draw(separator) + item
    if draw(st.booleans()):
        out += "\n"
    return out
