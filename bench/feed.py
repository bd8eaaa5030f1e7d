#!/usr/bin/env python3
"""What the feed phase adds to a one-file run, counted (not timed): imports, renders, reads.

    python3 bench/feed.py [--sizes 1,300]

For each size, a generated yattecast site (``gen_corpus.py``) with the stock yattecast
``feed.xml`` (``tests/fixtures/site/feed.xml``) is linted one post at a time, as
pre-commit lints a staged file: no prediction cache yet (cold), the same run again (warm:
the report memo answers), the same with another report format (the memo cannot answer:
the results and prediction caches do), one post edited since (the staged file changed),
and a site without a feed template. Each run is a whole ``python -X importtime -m epilint check``
process with its own cache folder; the report counts, from the import trace, which of the
feed modules were imported (``epilint.feed.detect``: a detection ran;
``epilint.feed.predict`` and ``liquid``: a render ran) with their self-reported import
time, and, read back from the prediction cache, how many files the cached view depends
on (what a warm run re-reads to trust it). Import times are what the interpreter prints
on this machine, not a benchmark: compare the modules, not the microseconds, on a loaded
machine.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STOCK = ROOT / "tests" / "fixtures" / "site" / "feed.xml"
_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)")
WATCHED = ("epilint.run.feed", "epilint.feed.detect", "epilint.feed.predict", "liquid")


def _site(folder: Path, count: int, feed: bool) -> Path:
    site = folder / f"site-{count}{'' if feed else '-nofeed'}"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "gen_corpus.py"), "--count", str(count), "--out", str(site)],
        check=True,
    )
    if feed:
        shutil.copyfile(STOCK, site / "feed.xml")
    return site


def _run(post: Path, cache: Path, *extra: str) -> dict[str, int]:
    """One ``epilint check POST`` process: the watched modules it imported (cumulative µs)."""
    env = {**os.environ, "EPILINT_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "epilint", "check", "--exit-zero", *extra, str(post)],
        env=env, capture_output=True, text=True, check=False, cwd=post.parent.parent,
    )  # fmt: skip
    found: dict[str, int] = {}
    for match in _LINE.finditer(done.stderr):
        name = match.group(4)
        if name in WATCHED:
            found[name] = int(match.group(2))
    return found


def _inputs(cache: Path) -> tuple[int, int]:
    """(files read, files and folders stamped) that the cached views depend on."""
    try:
        data = json.loads((cache / "feeds.json").read_bytes())["data"]
    except (OSError, ValueError, KeyError):
        return (0, 0)
    return sum(len(e["read"]) for e in data.values()), sum(len(e["looked"]) for e in data.values())


def _row(name: str, modules: dict[str, int], inputs: tuple[int, int]) -> str:
    work = (
        "render" if "epilint.feed.predict" in modules
        else "detection" if "epilint.feed.detect" in modules
        else "cache hit" if "epilint.run.feed" in modules
        else "no phase"
    )  # fmt: skip
    shown = ", ".join(f"{m} {us / 1000:.0f} ms" for m, us in modules.items()) or "—"
    return f"| {name} | {work} | {shown} | {inputs[0]} read, {inputs[1]} stamped |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,300")
    args = parser.parse_args(argv)
    print("| run | feed work | feed imports (cumulative, as printed) | the cached view depends on |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for count in (int(n) for n in args.sizes.split(",")):
            site = _site(base, count, feed=True)
            post = sorted((site / "_posts").glob("*.md"))[-1]
            cache = base / f"cache-{count}"
            print(_row(f"{count} posts, cold", _run(post, cache), _inputs(cache)))
            print(_row(f"{count} posts, warm", _run(post, cache), _inputs(cache)))
            no_memo = _run(post, cache, "--format", "json")  # another report: the memo cannot answer
            print(_row(f"{count} posts, warm, the report memo bypassed", no_memo, _inputs(cache)))
            text = post.read_text(encoding="utf-8")
            post.write_text(text.replace("title: ", "title: edited ", 1), encoding="utf-8")
            print(_row(f"{count} posts, the post edited", _run(post, cache), _inputs(cache)))
            print(_row(f"{count} posts, warm again", _run(post, cache), _inputs(cache)))
            plain = _site(base, count, feed=False)
            plain_cache = base / f"cache-{count}-plain"
            plain_post = sorted((plain / "_posts").glob("*.md"))[-1]
            print(
                _row(f"{count} posts, no feed template", _run(plain_post, plain_cache), _inputs(plain_cache))
            )
            print(_row(f"{count} posts, no feed template, warm", _run(plain_post, plain_cache), (0, 0)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
