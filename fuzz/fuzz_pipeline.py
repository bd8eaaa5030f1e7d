"""Coverage-guided fuzzing of the whole pipeline with atheris (optional, for long runs).

    pip install atheris
    python fuzz/fuzz_pipeline.py -max_total_time=600 fuzz/corpus/

The first byte picks a shape, the rest is the input:

- 0–3: the bytes are a post: decode → Document → every rule → the fix engine (unsafe fixes
  included); a crash, or a fixed text that fixes differently a second time, is a finding;
- 4: the same, with the bytes' digits blown up past Python's 4,300-digit int/str limit;
- 5: the same, wrapped in flow nesting as deep as the next byte says (up to 700 levels);
- 6: the same, with control characters spliced into every line (keys, values, links);
- 7: the bytes become a site file (``_config.yml``, ``_data/actors.yml``, a layout, a
  collection document or the results cache, by the next byte), or that file becomes a
  FIFO, a device or a symlink out of the site; the whole command runs on the site and
  must exit 0 or 1 within 30 seconds without reading outside the site.

The CI runs the bounded hypothesis version in tests/robustness/test_fuzz.py instead.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from epilint.cli import main
    from epilint.config.settings import Settings
    from epilint.fix import engine
    from epilint.lint.linter import Linter
    from epilint.lint.results import FileResult
    from epilint.read.document import Document
    from epilint.read.source import decode_document
    from epilint.schema import load

LINTER = Linter.create(Settings(select=("",)), load.load_schema(load.bundled_schema()))
PATH = Path("fuzz.md")
SITE_FILES = (
    "_config.yml",
    "_data/actors.yml",
    "_layouts/x.html",
    "_actors/a.md",
    ".epilint_cache/results.json",
)
CONTROL = ("\x00", "\x1b[2J", "\x1b]52;c;Zm9v\x07", "\r", "\u2028", "\x85", "\x7f")
GOOD = b"---\ntitle: 1. x\nduration: 45:30\n---\n[a](https://example.com/a)\n"


def _lint(doc: Document, display: str) -> FileResult:
    return LINTER.lint(doc, display).result


def check_post(data: bytes) -> None:
    doc = decode_document(PATH, data)
    planned = engine.plan_file(_lint, engine.Checked(doc, _lint(doc, "fuzz.md")), unsafe=True)
    if planned.changed:
        again = decode_document(PATH, planned.after.encode("utf-8", "surrogatepass"))
        second = engine.plan_file(_lint, engine.Checked(again, _lint(again, "fuzz.md")), unsafe=True)
        if second.changed:
            raise AssertionError("fixing is not idempotent")


def huge(data: bytes) -> bytes:
    return b"".join(bytes([c]) * 4400 if 0x30 <= c <= 0x39 else bytes([c]) for c in data[:64])


def deep(data: bytes) -> bytes:
    depth = data[0] * 3 if data else 500
    return b"---\nk: " + b"[" * depth + data[1:] + b"]" * depth + b"\n---\n"


def control(data: bytes) -> bytes:
    text = data.decode("utf-8", "replace")
    lines = text.split("\n")
    return "\n".join(line + CONTROL[i % len(CONTROL)] for i, line in enumerate(lines)).encode("utf-8")


def check_site(data: bytes) -> None:
    choice = data[0] if data else 0
    place = SITE_FILES[choice % len(SITE_FILES)]
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        (site / "_posts").mkdir(parents=True)
        (site / "_config.yml").write_text("timezone: Asia/Tokyo\n", encoding="utf-8")
        (site / "_posts" / "2022-09-10-1.md").write_bytes(GOOD)
        (Path(folder) / "secret.md").write_text("---\ntitle: SECRET\n---\n", encoding="utf-8")
        target = site / place
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            target.unlink()
        kind = (choice // len(SITE_FILES)) % 5
        if kind == 0:
            target.write_bytes(data[1:])
        elif kind == 1:
            os.mkfifo(target)
        elif kind == 2:
            target.symlink_to("/dev/zero")
        elif kind == 3:
            target.symlink_to(Path(folder) / "secret.md")
        else:
            target.symlink_to("/")
        old = Path.cwd()
        signal.alarm(30)
        try:
            os.chdir(site)
            code = main(["check", "--format", "json", "_posts"])
        finally:
            signal.alarm(0)
            os.chdir(old)
        if code not in (0, 1):
            raise AssertionError(f"exit {code}")


def one_input(data: bytes) -> None:
    shape, rest = (data[0] % 8, data[1:]) if data else (0, b"")
    if shape == 4:
        check_post(huge(rest))
    elif shape == 5:
        check_post(deep(rest))
    elif shape == 6:
        check_post(control(rest))
    elif shape == 7:
        check_site(rest)
    else:
        check_post(rest)


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
