#!/usr/bin/env python3
"""Peer: the script a user would write with python-frontmatter and jsonschema.

    python3 bench/peers/frontmatter_jsonschema.py --schema schemas/episode.schema.json FILE_OR_FOLDER...

Loads the schema once, then for each file: ``frontmatter.load`` (PyYAML, LibYAML
when available), dates turned into strings (PyYAML makes datetime objects, which
a JSON Schema ``string`` rejects), and ``Draft202012Validator.iter_errors`` with
the two custom formats of the schema. Prints ``path: message`` per error; exit 1
when there are errors. It reads YAML as PyYAML does (YAML 1.1 without Jekyll's
quirks): it is a speed peer, not a reference for what Jekyll sees.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path
from typing import Any

import frontmatter
import jsonschema

DURATION = re.compile(r"(?:[0-9]+:)?[0-9]+:[0-5][0-9]\Z")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}( [+-][0-9]{4})?\Z")


def stringify_dates(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return str(value)
    if isinstance(value, dict):
        return {k: stringify_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [stringify_dates(v) for v in value]
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schema", type=Path, required=True)
    parser.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args(argv)

    schema = json.loads(args.schema.read_text(encoding="utf-8"))
    checker = jsonschema.FormatChecker()
    checker.checks("duration")(lambda v: not isinstance(v, str) or bool(DURATION.match(v)))
    checker.checks("jekyll-date")(lambda v: not isinstance(v, str) or bool(DATE.match(v)))
    validator = jsonschema.Draft202012Validator(schema, format_checker=checker)

    paths: list[Path] = []
    for path in args.paths:
        paths.extend(sorted(path.rglob("*.md")) if path.is_dir() else [path])
    errors = 0
    for path in paths:
        try:
            post = frontmatter.load(path)
        except Exception as exc:  # a user script reports and goes on
            print(f"{path}: cannot parse front matter: {exc}")
            errors += 1
            continue
        for error in validator.iter_errors(stringify_dates(post.metadata)):
            where = "/".join(str(p) for p in error.absolute_path) or "(root)"
            print(f"{path}: {where}: {error.message}")
            errors += 1
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
