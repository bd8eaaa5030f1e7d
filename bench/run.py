#!/usr/bin/env python3
"""Time epilint against the floor and its peers, whole processes, and print Markdown tables.

    python3 bench/run.py                          # sizes 1,100,1000,10000, 3 runs each
    python3 bench/run.py --sizes 1,100,1000       # quick mode
    python3 bench/run.py --runs 5 --importtime --profile
    python3 bench/run.py --sizes 1,1000 --feed    # sites with a feed template (feed phase)

Corpora come from ``bench/gen_corpus.py`` (seeded) and are cached under
``--work`` (default: ``$TMPDIR/epilint-bench``), keyed by size, seed and the
generator's source. Each measurement is the wall clock (``time.perf_counter``)
of a whole subprocess, from spawn to exit; the table shows medians. Runs are
interleaved (run 1 of every tool, then run 2, …) so load drift on a shared
machine spreads over all tools. A tool whose first run at a size takes longer
than ``--slow`` seconds is not repeated at that size (the cell says so).

Tools: the floor (``bench/floor.py``), ``epilint check --no-cache`` (plain
``check`` when this build has no ``--no-cache``), epilint warm (a second run
with the cache, only when ``--no-cache`` exists), and the peers that are
installed: ``bench/peers/frontmatter_jsonschema.py`` (python-frontmatter and
jsonschema), ``check-jsonschema`` (on front matter extracted to YAML files
before timing) and ``remark`` with remark-lint-frontmatter-schema from the
local prefix ``bench/.node`` (see bench/README.md).

epilint is this checkout's (PYTHONPATH = the repository root) run by the
interpreter that runs this script (not a pyenv shim: a shim adds ~70 ms), with
its bytecode compiled first, as an installed package has it.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import gen_corpus  # noqa: E402  (bench/ is not a package)
from floor import front_matter  # noqa: E402

SCHEMA = ROOT / "schemas" / "episode.schema.json"
NODE_PREFIX = BENCH / ".node"
REMARK = NODE_PREFIX / "node_modules" / ".bin" / "remark"
REMARK_PLUGIN = NODE_PREFIX / "node_modules" / "remark-lint-frontmatter-schema"
REMARKRC = BENCH / "peers" / "remarkrc.mjs"
PY = sys.executable
MB = 1024 * 1024

# Targets of issue 7 (ratios of medians).
ONE_FILE_X_FLOOR = 3.0
COLD_X_FLOOR = 3.0
WARM_X_FLOOR = 1.0
RSS_LIMIT_MB = 150
FASTER_THAN = {"check-jsonschema": 5.0, "remark-lint-frontmatter-schema": 50.0}

FLOOR = "floor (python + LibYAML parse)"
COLD = "epilint check --no-cache"
PLAIN = "epilint check"
WARM = "epilint check, warm cache"
FM_PEER = "python-frontmatter + jsonschema script"
CJ_PEER = "check-jsonschema"
REMARK_PEER = "remark-lint-frontmatter-schema"

PEAK_RSS_SNIPPET = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
"""


@dataclass(frozen=True)
class Corpus:
    size: int
    site: Path  # the Jekyll site (cwd of the tools)
    targets: tuple[str, ...]  # what the tools are given, relative to site
    extracted_dir: Path  # front matter as YAML files, for check-jsonschema
    extracted: tuple[str, ...]  # their names, relative to extracted_dir


@dataclass(frozen=True)
class Tool:
    name: str
    commands: tuple[tuple[str, ...], ...]  # run one after another (batches); timed together
    env: tuple[tuple[str, str], ...] = ()
    prime: bool = False  # run once untimed before timing (fills a cache)
    cwd: Path | None = None  # default: the site
    note: str = ""


@dataclass
class Cell:
    times: list[float] = field(default_factory=list)
    codes: set[int] = field(default_factory=set)
    failure: str = ""
    capped: bool = False

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times and not self.failure else None


# ---------------------------------------------------------------- corpora


def generator_key(seed: int) -> str:
    source = (BENCH / "gen_corpus.py").read_bytes()
    return f"seed{seed}-{hashlib.sha256(source).hexdigest()[:12]}"


#: The stock yattecast feed template (``--feed``): what a real site's one-file run predicts.
FEED_TEMPLATE = ROOT / "tests" / "fixtures" / "site" / "feed.xml"


def corpus(work: Path, size: int, seed: int, feed: bool = False) -> Corpus:
    """The cached site of ``size`` posts (generated on first use) and its extracted front
    matter; with ``feed``, the site has the stock yattecast ``feed.xml``."""
    base = work / f"site-{size}-{generator_key(seed)}{'-feed' if feed else ''}"
    site, fm_dir, done = base / "site", base / "frontmatter", base / ".complete"
    if not done.exists():
        if base.exists():
            shutil.rmtree(base)
        posts = gen_corpus.generate(gen_corpus.Options(size, site, seed))
        if feed:
            shutil.copyfile(FEED_TEMPLATE, site / "feed.xml")
        fm_dir.mkdir(parents=True)
        for post in posts:
            text = front_matter(post.read_text(encoding="utf-8"))
            (fm_dir / f"{post.stem}.yaml").write_text(text or "", encoding="utf-8")
        done.touch()
    posts = sorted((site / "_posts").iterdir())
    targets = (str(posts[0].relative_to(site)),) if size == 1 else ("_posts",)
    return Corpus(size, site, targets, fm_dir, tuple(sorted(p.name for p in fm_dir.iterdir())))


# ---------------------------------------------------------------- tools


def epilint_env() -> tuple[tuple[str, str], ...]:
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return (("PYTHONPATH", path),)


def compile_checkout() -> None:
    """Write this checkout's bytecode, as installing a package does: with
    ``PYTHONDONTWRITEBYTECODE`` set (or a read-only ``__pycache__``) every timed run would
    otherwise compile epilint from source again (~50 ms of each run here)."""
    import compileall

    compileall.compile_dir(str(ROOT / "epilint"), quiet=1)


def epilint_has_no_cache() -> bool:
    env = {**os.environ, **dict(epilint_env())}
    help_text = subprocess.run(
        [PY, "-m", "epilint", "check", "--help"], capture_output=True, text=True, env=env, check=False
    ).stdout
    return "--no-cache" in help_text


def batches(args: Sequence[str], limit: int) -> list[list[str]]:
    """Split an argument list so each command line stays under ``limit`` bytes."""
    out: list[list[str]] = [[]]
    used = 0
    for arg in args:
        cost = len(os.fsencode(arg)) + 1 + 8  # the string, its NUL, its argv pointer
        if out[-1] and used + cost > limit:
            out.append([])
            used = 0
        out[-1].append(arg)
        used += cost
    return out


def tools(c: Corpus, no_cache: bool) -> tuple[list[Tool], list[str]]:
    """The tools to time on corpus ``c``, and notes about the ones skipped."""
    notes: list[str] = []
    epilint = (PY, "-m", "epilint", "check")
    found = [Tool(FLOOR, ((PY, str(BENCH / "floor.py"), *c.targets),))]
    if no_cache:
        found.append(Tool(COLD, ((*epilint, "--no-cache", *c.targets),), epilint_env()))
        found.append(Tool(WARM, ((*epilint, *c.targets),), epilint_env(), prime=True))
    else:
        found.append(
            Tool(
                PLAIN,
                ((*epilint, *c.targets),),
                epilint_env(),
                note="this build has no `--no-cache`: plain `check` (no results cache), no warm row",
            )
        )
    try:
        import frontmatter  # noqa: F401
        import jsonschema  # noqa: F401
    except ImportError:
        notes.append(f"{FM_PEER}: skipped (pip install python-frontmatter jsonschema)")
    else:
        script = str(BENCH / "peers" / "frontmatter_jsonschema.py")
        found.append(Tool(FM_PEER, ((PY, script, "--schema", str(SCHEMA), *c.targets),)))
    check_jsonschema = shutil.which("check-jsonschema")
    if check_jsonschema is None:
        notes.append(f"{CJ_PEER}: skipped, not installed (pip install check-jsonschema)")
    else:
        head = (check_jsonschema, "--schemafile", str(SCHEMA))
        limit = int(os.sysconf("SC_ARG_MAX")) // 4 - sum(len(h) + 9 for h in head)
        commands = tuple((*head, *batch) for batch in batches(c.extracted, limit))
        note = f"{len(commands)} batches at {c.size:,} files" if len(commands) > 1 else ""
        found.append(Tool(CJ_PEER, commands, note=note, cwd=c.extracted_dir))
    node = shutil.which("node")
    if node is None or not REMARK.exists() or not REMARK_PLUGIN.is_dir():
        notes.append(
            f"{REMARK_PEER}: skipped, not installed (see bench/README.md: npm install … --prefix bench/.node)"
        )
    else:
        command = (str(REMARK), "--rc-path", str(REMARKRC), "--no-stdout", "--quiet", *c.targets)
        found.append(Tool(REMARK_PEER, (command,), (("EPILINT_BENCH_SCHEMA", str(SCHEMA)),)))
    return found, notes


# ---------------------------------------------------------------- timing


def run_once(tool: Tool, site: Path) -> tuple[float, int, str]:
    """Wall-clock seconds of the tool's processes, the worst exit code, and stderr of a failure."""
    env = {**os.environ, **dict(tool.env)}
    cwd = tool.cwd or site
    total, worst, err = 0.0, 0, ""
    for command in tool.commands:
        start = time.perf_counter()
        proc = subprocess.run(
            command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
        )
        total += time.perf_counter() - start
        worst = max(worst, proc.returncode)
        if proc.returncode not in (0, 1):
            err = proc.stderr.decode("utf-8", "replace")[-600:]
    return total, worst, err


def measure(c: Corpus, found: list[Tool], runs: int, slow: float, log: bool) -> dict[str, Cell]:
    cells = {tool.name: Cell() for tool in found}
    for tool in found:
        if tool.prime:
            run_once(tool, c.site)
    for i in range(runs):
        for tool in found:
            cell = cells[tool.name]
            if cell.failure or cell.capped:
                continue
            seconds, code, err = run_once(tool, c.site)
            cell.times.append(seconds)
            cell.codes.add(code)
            if err:
                cell.failure = f"exit {code}: {err.strip().splitlines()[-1] if err.strip() else ''}"
            elif i == 0 and seconds > slow and runs > 1:
                cell.capped = True
            if log:
                print(f"  {c.size:>6} files  run {i + 1}  {tool.name:<42} {seconds:8.3f} s", file=sys.stderr)
    return cells


def peak_rss_kib(command: Sequence[str], cwd: Path, env: dict[str, str]) -> tuple[int, int]:
    """Peak RSS (KiB) of the largest process of ``command``'s tree, measured in a fresh child."""
    out = subprocess.run(
        [PY, "-c", PEAK_RSS_SNIPPET, *command], cwd=cwd, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    return int(out[0]), int(out[1])


def importtime(c: Corpus, top: int = 10) -> list[tuple[int, int, str]]:
    env = {**os.environ, **dict(epilint_env())}
    proc = subprocess.run(
        [PY, "-X", "importtime", "-m", "epilint", "check", *c.targets],
        cwd=c.site,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    rows = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative_us, name = line.removeprefix("import time:").split("|", 2)
        rows.append((int(cumulative_us), int(self_us), name.rstrip()))
    rows.sort(key=lambda r: -r[0])
    return rows[:top]


def profile(c: Corpus, top: int = 15) -> str:
    """Markdown: epilint's top functions by cumulative and by own time (cProfile) on corpus ``c``."""
    import pstats

    env = {**os.environ, **dict(epilint_env())}
    with tempfile.TemporaryDirectory() as tmp:
        stats_file = Path(tmp) / "epilint.prof"
        subprocess.run(
            [PY, "-m", "cProfile", "-o", str(stats_file), "-m", "epilint", "check", *c.targets],
            cwd=c.site,
            env=env,
            stdout=subprocess.DEVNULL,
            check=False,
        )
        stats = pstats.Stats(str(stats_file))
    entries = stats.stats  # type: ignore[attr-defined]  # {(file, line, name): (cc, nc, tt, ct, callers)}
    total = stats.total_tt  # type: ignore[attr-defined]

    def where(key: tuple[str, int, str]) -> str:
        file, line, name = key
        if file == "~":
            return name
        for prefix in (str(ROOT), sysconfig.get_path("purelib"), sysconfig.get_path("stdlib")):
            file = file.removeprefix(prefix + os.sep)
        return f"{file}:{line}({name})"

    launcher = ("<frozen runpy>", "<string>", "~")  # python -m / exec frames above epilint's main
    rows = [(key, value) for key, value in entries.items() if not key[0].startswith(launcher)]
    out = [f"{sum(v[1] for v in entries.values()):,} calls in {total:.2f} s (under the profiler)"]
    for title, index in (("cumulative", 3), ("own time", 2)):
        out += ["", f"| by {title} | calls | own | cumulative |", "|---|---|---|---|"]
        for key, (_cc, nc, tt, ct, _callers) in sorted(rows, key=lambda r: -r[1][index])[:top]:
            out.append(f"| `{where(key)}` | {nc:,} | {tt:.3f} s | {ct:.3f} s |")
    return "\n".join(out)


# ---------------------------------------------------------------- report


def fmt_seconds(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def cell_text(cell: Cell | None, floor: float | None) -> str:
    if cell is None:
        return "–"
    if cell.failure:
        return f"failed ({cell.failure})"
    median = cell.median
    assert median is not None
    text = fmt_seconds(median)
    if floor:
        text += f" ({median / floor:.1f}×)"
    if cell.capped:
        text += " ¹"
    return text


def timing_table(sizes: list[int], results: dict[int, dict[str, Cell]], names: list[str]) -> str:
    head = "| tool | " + " | ".join(f"{n:,} file{'s' if n != 1 else ''}" for n in sizes) + " |"
    lines = [head, "|---" * (len(sizes) + 1) + "|"]
    for name in names:
        cells = []
        for n in sizes:
            floor = results[n].get(FLOOR)
            cells.append(cell_text(results[n].get(name), floor.median if floor else None))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


@dataclass(frozen=True)
class Verdict:
    target: str
    measured: str
    met: bool | None  # None: could not be measured


def ratio(a: Cell | None, b: Cell | None) -> float | None:
    if a is None or b is None or a.median is None or b.median is None or b.median == 0:
        return None
    return a.median / b.median


def verdicts(
    sizes: list[int], results: dict[int, dict[str, Cell]], epilint: str, rss_kib: int | None
) -> list[Verdict]:
    out: list[Verdict] = []
    smallest, largest = sizes[0], sizes[-1]
    at = "" if largest == 10_000 else f" (measured at {largest:,} files; the target is for 10,000)"

    def add(target: str, value: float | None, limit: float, unit: str, at_most: bool = True) -> None:
        if value is None:
            out.append(Verdict(target, "not measured", None))
            return
        met = value <= limit if at_most else value >= limit
        out.append(Verdict(target, f"{value:.0f}{unit}" if unit == " MB" else f"{value:.2f}{unit}", met))

    small, large = results[smallest], results[largest]
    if smallest == 1:
        add(f"1 file ≤ {ONE_FILE_X_FLOOR}× floor", ratio(small.get(epilint), small.get(FLOOR)), 3.0, "×")
        for peer in (FM_PEER, CJ_PEER, REMARK_PEER):
            if peer in small:
                add(
                    f"1 file: faster than {peer}",
                    ratio(small.get(peer), small.get(epilint)),
                    1.0,
                    "× (peer / epilint)",
                    False,
                )
    add(f"cold ≤ {COLD_X_FLOOR}× floor{at}", ratio(large.get(epilint), large.get(FLOOR)), COLD_X_FLOOR, "×")
    add(f"warm ≤ {WARM_X_FLOOR}× floor{at}", ratio(large.get(WARM), large.get(FLOOR)), WARM_X_FLOOR, "×")
    rss = None if rss_kib is None else rss_kib / 1024
    add(f"peak RSS ≤ {RSS_LIMIT_MB} MB{at}", rss, RSS_LIMIT_MB, " MB")
    for peer, factor in FASTER_THAN.items():
        add(
            f"≥ {factor:g}× faster than {peer}{at}",
            ratio(large.get(peer), large.get(epilint)),
            factor,
            "× (peer / epilint)",
            False,
        )
    return out


def verdict_table(rows: list[Verdict]) -> str:
    lines = ["| target | measured | |", "|---|---|---|"]
    for v in rows:
        status = "not measured" if v.met is None else ("met" if v.met else "**missed**")
        lines.append(f"| {v.target} | {v.measured} | {status} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,100,1000,10000", help="comma list of post counts")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per tool and size (median)")
    parser.add_argument(
        "--slow", type=float, default=30.0, help="do not repeat a tool whose first run exceeds this"
    )
    parser.add_argument("--seed", type=int, default=gen_corpus.DEFAULT_SEED)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "epilint-bench")
    parser.add_argument("--importtime", action="store_true", help="also print epilint's top import costs")
    parser.add_argument(
        "--profile", action="store_true", help="also print a cProfile of epilint at 1,000 files"
    )
    parser.add_argument("--quiet", action="store_true", help="no per-run progress on stderr")
    parser.add_argument(
        "--feed", action="store_true", help="give the generated sites the stock yattecast feed.xml"
    )
    args = parser.parse_args(argv)
    sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    if not sizes or sizes[0] < 1 or args.runs < 1:
        parser.error("--sizes must be positive counts and --runs >= 1")

    compile_checkout()
    no_cache = epilint_has_no_cache()
    epilint = COLD if no_cache else PLAIN
    corpora = {n: corpus(args.work, n, args.seed, args.feed) for n in sizes}
    results: dict[int, dict[str, Cell]] = {}
    names: list[str] = []
    notes: list[str] = []
    for n in sizes:
        found, skipped = tools(corpora[n], no_cache)
        results[n] = measure(corpora[n], found, args.runs, args.slow, not args.quiet)
        for tool in found:
            if tool.name not in names:
                names.append(tool.name)
            if tool.note and f"{tool.name}: {tool.note}" not in notes:
                notes.append(f"{tool.name}: {tool.note}")
        notes.extend(s for s in skipped if s not in notes)

    largest = corpora[sizes[-1]]
    rss_command = (PY, "-m", "epilint", "check", *(("--no-cache",) if no_cache else ()), *largest.targets)
    rss_kib, _ = peak_rss_kib(rss_command, largest.site, {**os.environ, **dict(epilint_env())})

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    python = sys.version.split()[0]
    print(f"## epilint benchmark ({time.strftime('%Y-%m-%d')}, {os.cpu_count()} CPUs, Python {python})")
    print()
    print(f"Load average when the timings ended: {load} (a shared machine: medians damp the noise).")
    print()
    print(f"Median of {args.runs} run(s), whole process wall clock; (N×) = ratio to the floor at that size.")
    print()
    print(timing_table(sizes, results, names))
    print()
    if any(cell.capped for cells in results.values() for cell in cells.values()):
        print(f"¹ one run only: the first run took longer than {args.slow:g} s.")
        print()
    shown = " ".join(("python", *rss_command[1:]))
    print(
        f"Peak RSS (largest process, getrusage) of `{shown}` at {sizes[-1]:,} files: {rss_kib / 1024:.0f} MB"
    )
    print()
    print(verdict_table(verdicts(sizes, results, epilint, rss_kib)))
    if notes:
        print()
        for note in notes:
            print(f"- {note}")
    if args.importtime:
        one = corpora.get(1) or corpus(args.work, 1, args.seed)
        print()
        print("### `python -X importtime -m epilint check ONEFILE`: top cumulative import costs")
        print()
        print("| module | cumulative | self |")
        print("|---|---|---|")
        for cumulative, self_us, name in importtime(one):
            depth = (len(name) - len(name.lstrip()) - 1) // 2
            print(
                f"| {'· ' * depth}`{name.strip()}` | {cumulative / 1000:.1f} ms | {self_us / 1000:.1f} ms |"
            )
    if args.profile:
        thousand = corpora.get(1000) or corpus(args.work, 1000, args.seed)
        print()
        print("### `python -m cProfile -m epilint check _posts` at 1,000 files (top 15)")
        print()
        print(profile(thousand))
    return 0


if __name__ == "__main__":
    sys.exit(main())
