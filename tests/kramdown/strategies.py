"""Hypothesis strategies for Markdown bodies built from the constructs that decide a
Jekyll page's links, and their neighbours: links with odd destinations (spaces, parens,
escapes, ``<>``, entities, full-width spaces, Liquid), titles, images, references and
definitions, autolinks, inline and block HTML (and Markdown right after it), code spans
and fences, emphasis, tables and pipes in list items, nested and lazy lists,
blockquotes, headers, footnotes, IALs and extensions, math, bare URLs, Japanese text.

``body()`` is the Hypothesis strategy: Hypothesis draws a seed, ``Maker`` makes the body
from it with ``random`` (cheap, so a test can send thousands through one Ruby process).
"""

from __future__ import annotations

import random

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


class Maker:
    """Builds bodies from a random source. (Drawing each choice from Hypothesis costs
    about 20 ms a body; Hypothesis gives the seed, ``random`` the thousand choices.)"""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def pick(self, items: list[str]) -> str:
        return items[self.rng.randrange(len(items))]

    def text(self) -> str:
        return "".join(self.pick(WORDS) for _ in range(self.rng.randrange(5)))

    def url(self) -> str:
        if self.rng.random() < 0.6:
            return self.pick(URLS)
        return "".join(self.pick(URLS + WORDS) for _ in range(self.rng.randrange(4)))

    def link(self) -> str:
        kind = self.pick(
            ["link", "link", "image", "ref", "ref_empty", "shortcut", "autolink", "html_a", "html_img"]
        )
        t, u = self.text(), self.url()
        if kind == "link":
            return f"[{t}]({u}{self.pick(TITLES)})"
        if kind == "image":
            return f"![{t}]({u}{self.pick(TITLES)})"
        if kind == "ref":
            return f"[{t}][{self.pick(['id', 'ID', 'missing', 'a b', ''])}]"
        if kind == "ref_empty":
            return f"[{self.pick(['id', 'x', 'a  b'])}][]"
        if kind == "shortcut":
            return f"[{self.pick(['id', 'x', 'a b', 'missing'])}]"
        if kind == "autolink":
            return f"<{self.pick(AUTOLINKS)}>"
        quote = self.pick(['"', "'", ""])
        if kind == "html_a":
            return f"<a href={quote}{u}{quote}>{t}</a>"
        return f'<img src={quote}{u}{quote} alt="{t}">'

    def piece(self) -> str:
        choice = self.rng.randrange(17)
        if choice == 0:
            return self.text()
        if choice <= 3:
            return self.link()
        wrappers = ["`{}`", "``{}``", "*{}*", "**{}**", "_{}_", "~~{}~~", "$${}$$"]
        if choice <= 10:
            return wrappers[choice - 4].format(self.text())
        if choice == 11:
            return f"<span>{self.text()}{self.link()}</span>"
        if choice == 12:
            return f"<code>{self.link()}</code>"
        if choice == 13:
            return f"[{self.link()}](https://outer.example/)"
        if choice == 14:
            return f"*{self.link()}*"
        return self.pick(SPECIALS)

    def line(self) -> str:
        return "".join(self.piece() for _ in range(1 + self.rng.randrange(6)))

    def para(self) -> str:
        return "\n".join(self.line() for _ in range(1 + self.rng.randrange(3)))

    def list_block(self) -> str:
        marker = self.pick(["- ", "* ", "+ ", "1. ", "- [ ] ", "- [x] ", "-\t", "-|"])
        out = []
        for _ in range(1 + self.rng.randrange(4)):
            out.append(f"{self.pick(['', '', '  ', '    ', chr(9), '   '])}{marker}{self.line()}")
            if self.rng.random() < 0.5:
                out.append(
                    self.pick(["lazy line", "  continued", "    - nested", "", "| a | b |", "    code"])
                )
        return "\n".join(out)

    def table_block(self) -> str:
        rows = [
            " | ".join(self.piece() for _ in range(1 + self.rng.randrange(3)))
            for _ in range(1 + self.rng.randrange(3))
        ]
        lead = self.pick(["| ", "", "|"])
        out = [f"{lead}{row}" for row in rows]
        sep = self.pick(["|---|---|", "---|---", "| :-- | --: |", "", "|===|"])
        if sep:
            out.insert(1, sep)
        return "\n".join(out)

    def html_block(self) -> str:
        tag = self.pick(HTML_TAGS)
        name = tag.split()[0]
        close = self.pick([f"</{name}>", "", f"</{name.upper()}>"])
        joiner = self.pick(["", "\n", "\n\n"])
        after = self.pick(
            ["", "\n[after](https://after.example/)", "\n\n[after](https://after.example/)", " tail"]
        )
        return f"<{tag}>{joiner}{self.para()}{joiner}{close}{after}"

    def block(self) -> str:
        choice = self.rng.randrange(24)
        if choice <= 3:
            return self.para()
        if choice == 4:
            return self.list_block()
        if choice == 5:
            return self.table_block()
        if choice == 6:
            return self.html_block()
        if choice == 7:
            return "\n".join("> " + row for row in self.para().split("\n"))
        line = self.line()
        forms = [
            f"# {line}",
            f"{line}\n---",
            f"{line}\n===",
            f"```\n{self.para()}\n```",
            f"~~~ruby\n{self.para()}\n~~~",
            f"```\n{self.para()}",
            f"    {line}",
            f"[id]: {self.url()}{self.pick(TITLES)}",
            f"[ID]: <{self.url()}>",
            f"[a b]: {self.url()} 'title'",
            f"[^1]: {line}",
            f"[^n]:\n    {line}",
            f"$$\n{line}\n$$",
            f"<!--\n{self.para()}\n-->",
            f": {line}",
        ]
        if choice - 8 < len(forms):
            return forms[choice - 8]
        return self.pick(BLOCK_SPECIALS)

    def body(self) -> str:
        out = self.block()
        for _ in range(1 + self.rng.randrange(7)):
            out += self.pick(SEPARATORS) + self.block()
        if self.rng.random() < 0.5:
            out += "\n"
        if self.rng.random() < 0.05:
            out = out.replace("\n", self.pick(["\r\n", "\r"]))
        return out


SPECIALS = [
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
    "<?php echo '<a href=\"https://pi.example/\">' ?>",
    "<textarea><a href='https://ta.example/'>t</a></textarea>",
    "<a href=unquoted>u</a>",
    '<A HREF="https://upper.example/">U</A>',
    '<a href="https://one.example/" href="https://two.example/">d</a>',
    '<img src="https://s1.example/" src="https://s2.example/">',
    "<a href='a\"b&c'>q</a>",
    '<a href="&quot;&amp;&#x41;&foo;">e</a>',
    "<a name=x>no href</a>",
    "<a href>empty</a>",
    '<span markdown="0">[raw](https://r0.example/)</span>',
    "<em>*[x](https://em.example/)*</em>",
    "<ruby>日<rt>にち</rt></ruby>[r](https://ruby.example/)",
]
HTML_TAGS = [
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
    'iframe src="https://if.example/"',
    "textarea",
    "noscript",
    "style",
    "details",
    "figure",
    "ul",
    "?php",
]
BLOCK_SPECIALS = [
    "*[HTML]: Hyper Text",
    "{: .note}",
    "* toc\n{:toc}",
    "{:toc}",
    "{::comment}\n[hidden](https://hidden.example/)\n{:/comment}",
    '{::nomarkdown}\n<a href="https://raw.example/b">x</a>\n{:/nomarkdown}',
    '{::options parse_block_html="true" /}',
    "---",
    "* * *",
    "^",
    "<!-- more -->",
    '<!-- -- > <a href="https://dash.example/">x</a> -->',
    "<!-->\n[after-bogus](https://bogus.example/)",
    '<?xml version="1.0"?>',
    "<hr>\n[after-hr](https://hr.example/)",
    "<br/>[after-br](https://br.example/)",
    '<div>\n<div markdown="1">\n[inner](https://inner.example/)\n</div>\n</div>',
    "  <div>\n  indented [x](https://ind.example/)\n  </div>",
    "<script>\n[not](https://script.example/)\n</script>\n[yes](https://yes.example/)",
]
SEPARATORS = ["\n", "\n\n", "\n\n", "\n  \n", "\n\n\n"]


def body() -> st.SearchStrategy[str]:
    """A body: Hypothesis draws the seed of the random source."""
    return st.integers(0, 2**63).map(lambda seed: Maker(random.Random(seed)).body())
