"""``site.data``: the files of ``_data`` (readers/data_reader.rb: ``DataReader#read_data_to``).

YAML and JSON files are read (JSON is YAML to Psych, as Jekyll reads ``.json`` with
``JSON.parse``: the model reads it with Python's json); CSV and TSV data are unknown
values. Folders nest. Keys are ``sanitize_filename`` of the base name.
"""

from __future__ import annotations

import json
import re

from epilint.feed.files import looked, read_text
from epilint.feed.jekyll_site import Site
from epilint.feed.rubyyaml import TooLarge, load
from epilint.feed.values import to_s, unknown
from epilint.read import yaml11

_MAX_ENTRIES = 5_000


def sanitize_filename(name: str) -> str:
    """``DataReader#sanitize_filename``."""
    name = re.sub(r"[^\w\s-]+|(?<=^|\b\s)\s+(?=$|\s?\b)", "", name)
    return re.sub(r"\s+", "_", name)


def read_data(site: Site) -> dict[str, object]:
    folder = to_s(site.config.get("data_dir")) or "_data"
    base = site.inside(folder)
    if base is None or not base.is_dir():
        return {}
    budget = [_MAX_ENTRIES]
    return _read_folder(site, folder, budget, 0)


def _read_folder(site: Site, folder: str, budget: list[int], depth: int) -> dict[str, object]:
    result: dict[str, object] = {}
    path = site.root / folder
    if depth > 20:
        return result
    looked(path)
    try:
        names = sorted(p.name for p in path.iterdir())
    except OSError:
        return result
    for name in names:
        budget[0] -= 1
        if budget[0] < 0 or name.startswith((".", "_", "#", "~")):
            continue
        entry = path / name
        if entry.is_symlink():
            continue
        relative = f"{folder}/{name}"
        if entry.is_dir():
            result[sanitize_filename(name)] = _read_folder(site, relative, budget, depth + 1)
            continue
        stem, _, ext = name.rpartition(".")
        ext = ext.lower()
        if not stem:
            continue
        key = sanitize_filename(stem)
        if ext in ("yml", "yaml", "json"):
            text = read_text(entry)
            if text is None:
                result[key] = unknown(f"{relative} (unreadable)")
                continue
            try:
                result[key] = json.loads(text) if ext == "json" else load(text, site.zone)
            except (yaml11.YamlError, TooLarge, ValueError) as exc:
                result[key] = unknown(f"{relative}: {exc}")
        elif ext in ("csv", "tsv"):
            result[key] = unknown(f"{relative} (CSV data is not modelled)")
    return result
