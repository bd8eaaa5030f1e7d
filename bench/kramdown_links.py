#!/usr/bin/env python3
"""What reading links as Jekyll's kramdown does costs, next to the CommonMark extractor.

Usage: ``python3 bench/kramdown_links.py [CORPUS] [--generated N] [--repeat R]``
(default corpus ``../shared/corpus``, 1000 generated bodies, best of 3 runs).

Bodies: every Markdown post of the corpus (``_posts/``, ``_episodes/``; the text after
the front matter, cut as Jekyll does), and N show-note bodies from ``gen_corpus.py``.
Prints µs per post for

- ``epilint.kramdown.links.extract``: the kramdown port (its fast path for simple bodies,
  the parser for the others), and its parser alone (``parsed``);
- ``epilint.links.parsed_text``: the pyromark (CommonMark) extractor, and
  ``epilint.links.extract_text``, the same with its own fast path.
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
                    text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")  # CRLF kept
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

    from epilint import links as commonmark
    from epilint.kramdown import links as kramdown
    from epilint.kramdown import simple

    sets = {"corpus": corpus_bodies(args.corpus), "generated": generated_bodies(args.generated)}
    runs: dict[str, Callable[[str], object]] = {
        "kramdown port (extract)": kramdown.extract,
        "kramdown parser only (parsed)": kramdown.parsed,
        "pyromark (links.parsed_text)": commonmark.parsed_text,
        "pyromark + fast path (links.extract_text)": commonmark.extract_text,
    }
    print("| bodies | count | KB/body | fast path | " + " | ".join(runs) + " |")
    print("|---|---:|---:|---:|" + "---:|" * len(runs))
    for name, bodies in sets.items():
        if not bodies:
            print(f"| {name} | 0 | | | " + " | ".join("" for _ in runs) + " |")
            continue
        for body in bodies[:50]:  # warm up imports and compiled patterns
            kramdown.extract(body)
            commonmark.parsed_text(body)
        size = sum(len(body.encode("utf-8")) for body in bodies) / len(bodies) / 1000
        fast = sum(simple.scan(body) is not None for body in bodies) / len(bodies)
        timings = [best(run, bodies, args.repeat) for run in runs.values()]
        cells = " | ".join(f"{value:.0f} µs" for value in timings)
        print(f"| {name} | {len(bodies)} | {size:.1f} | {fast:.0%} | {cells} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
