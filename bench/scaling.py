"""Does the work grow linearly with the input? Counted, not timed.

    python3 bench/scaling.py            # sizes 200, 400, 800
    python3 bench/scaling.py --base 1000

Each case builds one hostile post (or site) at a base size and at twice and four times that
size, lints it and plans its fixes (every rule, the fix engine with unsafe fixes), and
counts the Python lines executed (``sys.settrace``: deterministic, whatever the machine's
load; loops count, not only calls).
Linear work doubles the count when the input doubles; quadratic work quadruples it. The
growth per doubling is printed for each case; above ``LIMIT`` the case is marked SLOW. The
cases: the same link 20,000 times (LN007, which once compared every link with every earlier
copy: 70 s for one 360 KB post), one URL under many different texts, thousands of tracking
parameters to fix (the fix engine's overlap checks), thousands of unknown keys (placing
schema findings, verifying fixes), thousands of suppression ranges, and a site where every
post claims the same episode number (CO001 naming the others).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from epilint.config.settings import Settings  # noqa: E402
from epilint.fix import engine  # noqa: E402
from epilint.lint.linter import Linter  # noqa: E402
from epilint.read.source import decode_document  # noqa: E402
from epilint.schema import load  # noqa: E402

#: Growth of the call count per doubling of the input above which a case is SLOW.
LIMIT = 2.6
HEAD = "---\ntitle: 1. x\nduration: 45:30\n---\n\n"


def same_link(n: int) -> str:
    return HEAD + "\n".join("[same](https://example.com/a)" for _ in range(n))


def many_texts(n: int) -> str:
    return HEAD + "\n".join(f"[text {i}](https://example.com/a)" for i in range(n))


def tracking(n: int) -> str:
    return HEAD + "\n".join(f"[x{i}](https://example.com/{i}?utm_source=a&fbclid=b)" for i in range(n))


def many_keys(n: int) -> str:
    """Many front-matter fields with a safe fix each (``10:06`` is base 60 to Psych)."""
    return (
        "---\ntitle: 1. x\nduration: 45:30\n"
        + "".join(f"key{i}: 10:{i % 60:02d}\n" for i in range(n))
        + "---\n"
    )


def suppressions(n: int) -> str:
    lines = [
        f"<!-- epilint-disable LN00{i % 9 + 1} -->\n[x](http://example.com/{i}?utm_source=z)"
        for i in range(n)
    ]
    return HEAD + "\n".join(lines)


POSTS: dict[str, Callable[[int], str]] = {
    "LN007: one link, many copies": same_link,
    "LN007: one URL, many texts": many_texts,
    "fix engine: many tracking parameters": tracking,
    "YT001 + verify: many fixed fields": many_keys,
    "suppression ranges": suppressions,
}


def _linter() -> Linter:
    return Linter.create(Settings(select=("",)), load.load_schema(load.bundled_schema()))


def post_calls(make: Callable[[int], str], n: int) -> int:
    linter = _linter()
    doc = decode_document(Path("post.md"), make(n).encode())

    def lint(document: object, display: str) -> object:
        return linter.lint(document, display).result  # type: ignore[arg-type]

    def work() -> None:
        checked = engine.Checked(doc, linter.lint(doc, "post.md").result)
        engine.plan_file(lint, checked, unsafe=True)  # type: ignore[arg-type]

    return _count(work)


def site_calls(n: int) -> int:
    """A site of ``n`` posts that all claim episode 1 (CO001 on every one)."""
    from epilint.run import pipeline

    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder)
        (site / "_config.yml").write_text("timezone: UTC\n", encoding="utf-8")
        (site / "_posts").mkdir()
        for i in range(n):
            (site / "_posts" / f"2020-01-01-{i}.md").write_text(
                "---\ntitle: 1. same\n---\n", encoding="utf-8"
            )
        settings = Settings(select=("CO",), cache=False)
        request = pipeline.Request(settings, load.load_schema(load.bundled_schema()), (site / "_posts",))
        return _count(lambda: pipeline.run(request))


def _count(work: Callable[[], object]) -> int:
    """Python lines executed (and calls made) by ``work``."""
    count = 0

    def local(frame: object, event: str, arg: object) -> object:
        nonlocal count
        count += 1
        return local

    previous = sys.gettrace()
    sys.settrace(local)
    try:
        work()
    finally:
        sys.settrace(previous)
    return count


def growth(counts: list[int]) -> float:
    """The largest factor between the counts of two successive (doubled) sizes."""
    return max(b / a for a, b in pairwise(counts))


def measure(base: int) -> dict[str, tuple[list[int], float]]:
    sizes = [base, 2 * base, 4 * base]
    for make in POSTS.values():  # imports and per-process caches are not the input's work
        post_calls(make, 2)
    site_calls(2)
    found: dict[str, tuple[list[int], float]] = {}
    for name, make in POSTS.items():
        counts = [post_calls(make, n) for n in sizes]
        found[name] = (counts, growth(counts))
    site_sizes = [max(10, base // 4) * k for k in (1, 2, 4)]
    counts = [site_calls(n) for n in site_sizes]
    found["CO001: every post claims one number"] = (counts, growth(counts))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=200, help="the smallest size (default 200)")
    args = parser.parse_args()
    slow = 0
    print(f"{'case':42} {'lines run at n, 2n, 4n':>36}  growth per doubling")
    for name, (counts, factor) in measure(args.base).items():
        mark = "SLOW (worse than linear)" if factor > LIMIT else "linear"
        slow += factor > LIMIT
        print(f"{name:42} {', '.join(f'{c:,}' for c in counts):>36}  {factor:.2f}× {mark}")
    return 1 if slow else 0


if __name__ == "__main__":
    raise SystemExit(main())
