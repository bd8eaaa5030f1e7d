#!/usr/bin/env python3
"""The physical floor of a front-matter linter: read each file, parse its front matter with LibYAML.

    python3 bench/floor.py FILE_OR_FOLDER...

Nothing else: no schema, no rules, no output per file. Folders are walked for
``*.md`` / ``*.markdown`` (sorted), as a linter would. The front matter is the
text between a first line ``---`` and the next line ``---`` (or ``...``), loaded
with ``yaml.load(..., Loader=yaml.CSafeLoader)`` (LibYAML scanner, parser and
composer in C; PyYAML's safe constructor). Prints one summary line.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

SUFFIXES = {".md", ".markdown"}


def files(args: list[str]) -> list[Path]:
    found: list[Path] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file()))
        else:
            found.append(path)
    return found


def front_matter(text: str) -> str | None:
    text = text.removeprefix("\ufeff")
    if not text.startswith("---\n") and not text.startswith("---\r\n"):
        return None
    start = text.index("\n") + 1
    pos = start
    while True:
        end = text.find("\n", pos)
        line = text[pos:] if end < 0 else text[pos:end]
        if line.rstrip("\r") in ("---", "..."):
            return text[start:pos]
        if end < 0:
            return None
        pos = end + 1


def main(args: list[str]) -> int:
    if not args:
        print("usage: floor.py FILE_OR_FOLDER...", file=sys.stderr)
        return 2
    parsed = failed = 0
    for path in files(args):
        try:
            fm = front_matter(path.read_text(encoding="utf-8"))
            if fm is not None:
                yaml.load(fm, Loader=yaml.CSafeLoader)
                parsed += 1
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            failed += 1
    print(f"{parsed} front matters parsed, {failed} failed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
