"""Measure the Markdown parsers considered for link extraction on the shared corpus.

Usage: ``python3 bench/links_parsers.py [CORPUS] [--repeat N]`` (default ``../shared/corpus``).
Prints, per parser, the time to parse every episode body in the corpus (best of N runs),
and whether the parser reports source positions for inline links. The last row is
epilint's own link pass (``epilint.links.extract``: pre-scan + pyromark + URL spans).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def bodies(corpus: Path) -> list[str]:
    from epilint.read.source import read_document

    out = []
    for path in sorted(corpus.rglob("*.md")):
        if "_posts" in path.parts:
            doc = read_document(path)
            out.append(doc.body_text)
    return out


def parsers() -> dict[str, tuple[str, Callable[[str], object]]]:
    found: dict[str, tuple[str, Callable[[str], object]]] = {}
    try:
        from markdown_it import MarkdownIt

        md = MarkdownIt("commonmark")
        found["markdown-it-py"] = ("block lines only", md.parse)
    except ImportError:
        pass
    try:
        import markdown_it_pyrs

        rs = markdown_it_pyrs.MarkdownIt("commonmark")
        found["markdown-it-pyrs"] = ("byte ranges, URL re-encoded, no link kind", rs.tree)
    except ImportError:
        pass
    try:
        import pyromark

        options = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_FOOTNOTES

        def pyro(text: str) -> object:
            return tuple(pyromark.events_with_range(text, options=options))

        found["pyromark"] = ("byte ranges, link kind, reference ids", pyro)
    except ImportError:
        pass
    return found


def best_of(repeat: int, texts: list[str], parse: Callable[[str], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for text in texts:
            parse(text)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    texts = bodies(args.corpus)
    size = sum(len(t.encode()) for t in texts)
    print(f"{len(texts)} episode bodies, {size / 1024:.0f} KiB, best of {args.repeat} runs\n")
    print(f"{'parser':<28} {'total ms':>9} {'µs/file':>9}  positions")
    for name, (positions, parse) in parsers().items():
        seconds = best_of(args.repeat, texts, parse)
        print(f"{name:<28} {seconds * 1000:9.1f} {seconds * 1e6 / len(texts):9.0f}  {positions}")
    from epilint.links import extract as links

    for name, extract in (
        ("epilint.links (full pass)", links.extract_text),
        ("epilint.links, parser only", links.parsed_text),
    ):
        seconds = best_of(args.repeat, texts, extract)
        print(f"{name:<28} {seconds * 1000:9.1f} {seconds * 1e6 / len(texts):9.0f}  code points")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
