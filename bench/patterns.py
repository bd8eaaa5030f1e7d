"""Which regular-expression engine checks the schema's ``pattern`` keywords.

    python3 bench/patterns.py

jsonschema checks ``pattern`` with Python's ``re``, which backtracks: ``^(a+)+$`` against
forty ``a`` and a ``!`` takes longer than the age of the universe. The candidates are the
``regex`` module (the same syntax and answers as ``re``, with a ``timeout``) and
``google-re2`` (linear time by construction, but its own syntax). For every pattern of the
bundled schemas, a list of patterns real front-matter schemas use, and a list of hostile
ones, this prints whether each engine compiles it, whether its answers agree with ``re``
(the behaviour the schema's author tested against) on sample values, and whether the
hostile matches end within the bound. Counts, not timings, decide: each hostile match
either ends within ``BOUND`` seconds or does not.
"""

from __future__ import annotations

import json
import re
import signal
import time
from pathlib import Path
from typing import Any

BOUND = 0.25
ROOT = Path(__file__).resolve().parent.parent

COMMON = [
    r"^[0-9]{2}:[0-5][0-9]:[0-5][0-9]$", r"^\d+$", r"^https?://", r"^/audio/.+\.mp3$", r"^[a-z0-9-]+$",
    r"^(?!TODO)", r"^(?:[01]\d|2[0-3]):[0-5]\d$", r"\S", r"^[^\s]+$", r"^\p{L}+$", r"(?i)^ep\d+",
    r"^(\d{4})-(\d{2})-(\d{2})$", r"^(?=.*\d)", r"(\w)\1", r"^\w+$", r"[\u3040-\u30ff]",
]  # fmt: skip
HOSTILE = [
    (r"^(a+)+$", "a" * 40 + "!"), (r"^(a|a)+$", "a" * 40 + "!"), (r"^(a|aa)+$", "a" * 60 + "!"),
    (r"^(\w+\s?)*$", "word " * 20 + "!"), (r"(x+x+)+y", "x" * 40), (r"^(([a-z])+.)+[A-Z]([a-z])+$", "a" * 40),
    (r"(.*a){25}", "a" * 30),
]  # fmt: skip
SAMPLES = ["01:02:03", "45:30", "123", "https://x", "/audio/1.mp3", "abc-1", "TODO x", "23:59", " ", "ＡＢＣ",
           "アリス", "ep57", "2022-09-10", "aa", "x_y", "", "a\nb", "١٢٣"]  # fmt: skip


def bundled() -> list[str]:
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "pattern" and isinstance(value, str):
                    found.append(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in sorted((ROOT / "schemas").glob("*.json")):
        walk(json.loads(path.read_text(encoding="utf-8")))
    return found


def engines() -> dict[str, Any]:
    found: dict[str, Any] = {"re": re}
    for name in ("regex", "re2"):
        try:
            found[name] = __import__(name)
        except ImportError:
            print(f"({name} is not installed: pip install {'google-re2' if name == 're2' else name})")
    return found


def search(engine: Any, name: str, pattern: str, text: str) -> bool:
    if name == "regex":
        return engine.search(pattern, text, flags=engine.VERSION0, timeout=BOUND) is not None
    return engine.search(pattern, text) is not None


def answers(engine: Any, name: str, pattern: str) -> list[bool] | None:
    try:
        return [search(engine, name, pattern, value) for value in SAMPLES]
    except Exception:
        return None


def bounded(engine: Any, name: str, pattern: str, text: str) -> str:
    """``ends`` when the match ends within BOUND (regex: by its own timeout), else ``runs on``."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, BOUND * 4)
    started = time.monotonic()
    try:
        search(engine, name, pattern, text)
    except TimeoutError:
        return (
            "stopped by its timeout"
            if name == "regex" and time.monotonic() - started < BOUND * 4
            else "runs on"
        )
    except Exception as exc:
        return f"refused ({type(exc).__name__})"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return "ends"


def main() -> None:
    found = engines()
    patterns = bundled() + COMMON
    print(
        f"{len(patterns)} patterns ({len(bundled())} from the bundled schemas), {len(SAMPLES)} values each\n"
    )
    reference = {pattern: answers(re, "re", pattern) for pattern in patterns}
    for name, engine in found.items():
        mine = {pattern: answers(engine, name, pattern) for pattern in patterns}
        compiled = sum(a is not None for a in mine.values())
        agree = sum(mine[p] == reference[p] for p in patterns)
        print(
            f"{name:6} compiles {compiled}/{len(patterns)}, answers as re does (or refuses as re does) "
            f"for {agree}/{len(patterns)}"
        )
    print("\nhostile patterns (ends within the bound?):")
    for pattern, text in HOSTILE:
        cells = ", ".join(f"{name}: {bounded(engine, name, pattern, text)}" for name, engine in found.items())
        print(f"  {pattern:32} {cells}")


if __name__ == "__main__":
    main()
