"""What a pre-commit run costs in a large site: one changed post, the store warm.

    python3 bench/store.py                          # sizes 100, 1,000, 10,000; this checkout
    python3 bench/store.py --sizes 100,1000 --checkout before=/tmp/epilint-main

For each size, on a fresh copy of the generated site (``bench/run.py``'s corpus, without
and with the stock yattecast ``feed.xml``), each checkout runs ``epilint check``:

1. **cold**: ``check _posts`` with no cache folder: the first full run, writing the cache;
2. **warm**: ``check _posts`` again (whole site, nothing changed), after one untimed run;
3. **one changed post**: a line added to the body of the middle post, then ``check`` of
   that post alone (as pre-commit runs it), ``--repeat`` times, the post edited anew
   each time.

Counted (deterministic whatever the machine's load), in one extra one-changed-post run
under a wrapper that counts calls: the files opened for reading under ``_posts`` (posts
read) and the ``os.stat`` calls; and the size of the cache folder after the runs. Timed:
whole-process wall clock (median of the repeats) and peak RSS (``getrusage`` of the
child: its largest process). Timings on a shared, loaded machine are noise-prone; the
counts are what the comparisons rest on.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import run as harness  # noqa: E402

PY = sys.executable

#: Runs epilint's CLI with ``open`` and ``os.stat`` counted; prints the counts on stderr.
COUNTING = """
import builtins, io, os, sys
posts = os.path.join(os.getcwd(), "_posts") + os.sep
counts = {"opened": 0, "stat": 0}
real_open, real_os_open, real_stat = io.open, os.open, os.stat

def under_posts(file):
    return isinstance(file, (str, os.PathLike)) and os.path.abspath(os.fspath(file)).startswith(posts)

def counting_open(file, *args, **kwargs):
    counts["opened"] += under_posts(file)
    return real_open(file, *args, **kwargs)

def counting_os_open(file, flags, *args, **kwargs):
    counts["opened"] += under_posts(file) and not flags & (os.O_WRONLY | os.O_RDWR)
    return real_os_open(file, flags, *args, **kwargs)

def counting_stat(*args, **kwargs):
    counts["stat"] += 1
    return real_stat(*args, **kwargs)

builtins.open = io.open = counting_open
os.stat = counting_stat
os.open = counting_os_open
sys.argv = ["epilint", *sys.argv[1:]]
from epilint.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
sys.stderr.write(f"COUNTS {counts['opened']} {counts['stat']}\\n")
sys.stderr.flush()
os._exit(code if isinstance(code, int) else 1)
"""


@dataclass
class Row:
    checkout: str
    size: int
    feed: bool
    cold: float
    cold_rss_mb: float
    warm: float
    one: float
    one_rss_mb: float
    opened: int
    stats: int
    cache_kb: int


def _env(checkout: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(checkout), "NO_COLOR": "1"}
    env.pop("EPILINT_CACHE_DIR", None)
    return env


def _timed(command: list[str], site: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one process run in a fresh child."""
    start = time.perf_counter()
    out = subprocess.run(
        [PY, "-c", harness.PEAK_RSS_SNIPPET, *command],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    rss_kib, code = map(int, out.stdout.split())
    if code not in (0, 1):
        raise SystemExit(f"{command} exited {code} in {site}")
    return seconds, rss_kib / 1024


def _edit(post: Path, round_: int) -> None:
    with post.open("a", encoding="utf-8") as handle:
        handle.write(f"\nedit {round_}\n")


def _folder_kb(folder: Path) -> int:
    if not folder.is_dir():
        return 0
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) // 1024


def measure(checkout: tuple[str, Path], size: int, *, feed: bool, work: Path, seed: int, repeat: int) -> Row:
    label, path = checkout
    source = harness.corpus(work, size, seed, feed=feed).site
    site = Path(tempfile.mkdtemp(prefix=f"store-{size}-")) / "site"
    shutil.copytree(source, site)
    try:
        env = _env(path)
        check = [PY, "-m", "epilint", "check", "--format", "json"]
        posts = sorted((site / "_posts").iterdir())
        target = posts[len(posts) // 2]
        relative = str(target.relative_to(site))
        time.sleep(2.5)  # files older than the margin by which the store trusts their stamps
        cold, cold_rss = _timed([*check, "_posts"], site, env)
        # once untimed: the cold run made the cache folder, which changed the site root's
        # stamp, an input of the cached feed prediction (a real site has the folder already)
        _timed([*check, "_posts"], site, env)
        warm, _ = _timed([*check, "_posts"], site, env)
        ones, rss = [], []
        for round_ in range(repeat):
            _edit(target, round_)
            seconds, peak = _timed([*check, relative], site, env)
            ones.append(seconds)
            rss.append(peak)
        _edit(target, repeat)
        counted = subprocess.run(
            [PY, "-c", COUNTING, "check", "--format", "json", relative],
            cwd=site,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        line = next(x for x in counted.stderr.splitlines() if x.startswith("COUNTS "))
        opened, stats = map(int, line.split()[1:])
        return Row(
            label, size, feed, cold, cold_rss, warm, statistics.median(ones), max(rss), opened, stats,
            _folder_kb(site / ".epilint_cache"),
        )  # fmt: skip
    finally:
        shutil.rmtree(site.parent, ignore_errors=True)


def table(rows: list[Row]) -> str:
    lines = [
        "| checkout | posts | feed.xml | cold (writes the cache) | cold peak RSS | warm whole site "
        "| one changed post | its peak RSS | posts read | os.stat calls | cache folder |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.checkout} | {r.size:,} | {'yes' if r.feed else 'no'} | {r.cold:.2f} s"
            f" | {r.cold_rss_mb:.0f} MB | {r.warm:.2f} s | {r.one:.3f} s | {r.one_rss_mb:.0f} MB"
            f" | {r.opened:,} | {r.stats:,}"
            f" | {r.cache_kb:,} KB |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="comma list of post counts")
    parser.add_argument(
        "--checkout",
        action="append",
        default=[],
        metavar="LABEL=PATH",
        help="another epilint source tree to measure (repeatable); this checkout is always measured",
    )
    parser.add_argument("--feed", choices=("no", "yes", "both"), default="both", help="sites with feed.xml")
    parser.add_argument("--repeat", type=int, default=3, help="one-changed-post runs per size (median)")
    parser.add_argument("--seed", type=int, default=harness.gen_corpus.DEFAULT_SEED)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "epilint-bench")
    args = parser.parse_args(argv)
    checkouts = [("this", ROOT)]
    for item in args.checkout:
        label, _, path = item.partition("=")
        checkouts.append((label, Path(path).resolve()))
    feeds = {"no": [False], "yes": [True], "both": [False, True]}[args.feed]
    harness.compile_checkout()
    for _label, path in checkouts[1:]:
        import compileall

        compileall.compile_dir(str(path / "epilint"), quiet=1)
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        for feed in feeds:
            for checkout in checkouts:
                row = measure(checkout, size, feed=feed, work=args.work, seed=args.seed, repeat=args.repeat)
                print(f"  {row}", file=sys.stderr)
                rows.append(row)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"Load average at the end: {load} (2 shared cores: timings are noisy; counts are not)\n")
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
