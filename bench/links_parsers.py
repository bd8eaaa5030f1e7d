#!/usr/bin/env python3
"""What reading a page's links as Jekyll's kramdown does costs, next to other Markdown
parsers.

Usage: ``python3 bench/links_parsers.py [CORPUS] [--generated N] [--repeat R]`` (default
corpus ``../shared/corpus``, 1000 generated bodies, best of 3 runs).

Bodies: every Markdown post of the corpus (``_posts/``, ``_episodes/``; the text after the
front matter, cut as Jekyll does, line endings kept), and N show-note bodies of 4–5 kB from
``gen_corpus.py``. Prints µs per body for

- ``epilint.links.extract.extract_text``: what the link rules read (the kramdown port's
  fast path for simple bodies, the port's parser for the others, and the records the
  rules get);
- ``epilint.kramdown.links.parsed``: the port's parser alone, for every body;
- the CommonMark parsers that were considered, when installed (``markdown-it-py``,
  ``pyromark``): what parsing alone costs there (they do not read the page Jekyll makes).

The share of bodies the fast path takes is printed too. Before the port, epilint read
links with pyromark (CommonMark) and a fast path of its own; an older checkout's own
``bench/links_parsers.py`` prints its figures on the same corpus.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: Jekyll's ``Document::YAML_FRONT_MATTER_REGEXP``.
_FRONT_MATTER = re.compile(
    r"(---[ \t\n\v\f\r]*\n.*?\n?)^((---|\.\.\.)[ \t\n\v\f\r]*$\n?)", re.DOTALL | re.MULTILINE
)


def corpus_bodies(corpus: Path) -> list[str]:
    out = []
    for site in sorted(corpus.iterdir()) if corpus.is_dir() else []:
        for folder in ("_posts", "_episodes"):
            for path in sorted((site / folder).rglob("*")) if (site / folder).is_dir() else []:
                if path.is_file() and path.suffix in (".md", ".markdown"):
                    text = path.read_bytes().decode("utf-8", "replace").removeprefix("\ufeff")
                    found = _FRONT_MATTER.match(text)
                    if found is not None:
                        out.append(text[found.end() :])
    return out


def generated_bodies(count: int) -> list[str]:
    spec = importlib.util.spec_from_file_location("bench_gen_corpus", ROOT / "bench" / "gen_corpus.py")
    assert spec is not None
    assert spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = gen
    spec.loader.exec_module(gen)
    rng = random.Random(7)
    return [gen.body(rng, rng.randint(4000, 5000)) for _ in range(count)]


def others() -> dict[str, Callable[[str], object]]:
    """The CommonMark parsers that are installed."""
    found: dict[str, Callable[[str], object]] = {}
    try:
        from markdown_it import MarkdownIt

        found["markdown-it-py (parse)"] = MarkdownIt("commonmark").parse
    except ImportError:
        pass
    try:
        import pyromark

        options = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_FOOTNOTES

        def pyro(text: str) -> object:
            return tuple(pyromark.events_with_range(text, options=options))

        found["pyromark (events)"] = pyro
    except ImportError:
        pass
    return found


def best(run: Callable[[str], object], bodies: list[str], repeat: int) -> float:
    """Best total of ``repeat`` passes, in µs per body."""
    fastest = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for body in bodies:
            run(body)
        fastest = min(fastest, time.perf_counter() - start)
    return fastest * 1e6 / max(len(bodies), 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--generated", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    from epilint.kramdown import links as kramdown
    from epilint.kramdown import simple
    from epilint.links import extract

    sets = {"corpus": corpus_bodies(args.corpus), "generated": generated_bodies(args.generated)}
    runs: dict[str, Callable[[str], object]] = {
        "epilint.links (what rules read)": extract.extract_text,
        "kramdown port, parser only": kramdown.parsed,
        **others(),
    }
    print("| bodies | count | KB/body | fast path | " + " | ".join(runs) + " |")
    print("|---|---:|---:|---:|" + "---:|" * len(runs))
    for name, bodies in sets.items():
        if not bodies:
            print(f"| {name} | 0 | | | " + " | ".join("" for _ in runs) + " |")
            continue
        for body in bodies[:50]:  # warm up imports and compiled patterns
            for run in runs.values():
                run(body)
        size = sum(len(body.encode("utf-8")) for body in bodies) / len(bodies) / 1000
        fast = sum(simple.scan(body) is not None for body in bodies) / len(bodies)
        timings = [best(run, bodies, args.repeat) for run in runs.values()]
        cells = " | ".join(f"{value:.0f} µs" for value in timings)
        print(f"| {name} | {len(bodies)} | {size:.1f} | {fast:.0%} | {cells} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
