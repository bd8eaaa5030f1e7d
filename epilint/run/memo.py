"""The whole-run memo: when nothing a run depends on has changed, reprint its report.

A warm run with the results cache still decodes every file's cached results, runs the
collection rules and renders the report. When *nothing* changed since the last
identical run (same command, same files, same sites) even that is wasted: this memo
keeps the rendered report of the last run in the store (``epilint/run/store.py``, the
``memo`` table: one row, written in the run's one transaction with its results) with
everything it was computed from:

- the run key of the results cache (epilint's code and version, settings, schema, rules)
  plus the output options (format, colour, statistics) and the current folder;
- the linted files, in order, with their displayed paths;
- each involved site's fingerprint (``_config.yml``, ``_data/``, ``_layouts/``,
  ``_actors/``);
- a stamp (size, modification and change times, inode) of every linted file, of every
  file a rule read (audio), of the site's other posts and of the folders that hold them
  (collection rules see a post being added or removed through its folder's stamp) — taken
  before the run reads them, so an edit made while the run is in flight is seen next time;
- the earliest time a result expires by the clock alone (a future-dated post).

Any difference means a normal run. Stamps, not contents, decide here (the change time
cannot be set back by users); the results cache under it compares contents.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from epilint.run.store import Store

#: The layout of the memo's data (part of its key).
VERSION = 4

Stamp = tuple[str, int, int, int, int]


def stamp(path: str) -> Stamp:
    """(path, size, mtime, ctime, inode); a missing file has size -1."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return (path, -1, -1, -1, -1)
    return (path, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


@dataclass(frozen=True)
class Report:
    output: str
    violations: int
    #: The run's lines for stderr (a stale baseline, a site's unusable time zone).
    notes: tuple[str, ...] = ()


def key(parts: Iterable[object]) -> str:
    """A digest of the run's identity (JSON-encodable parts, in order)."""
    return hashlib.blake2b(json.dumps([VERSION, *parts], default=str).encode(), digest_size=16).hexdigest()


def load(store: Store, run: str) -> Report | None:
    """The memo's report when it was made by the same run and none of its stamps moved."""
    row = store.row("SELECT data, output FROM memo WHERE slot = 0 AND run = ?", (run,))
    if row is None:
        return None
    try:
        data = json.loads(row[0])
        expires = data["expires"]
        if expires is not None and time.time() >= float(expires):
            return None
        for item in data["stamps"]:
            if tuple(item) != stamp(item[0]):
                return None
        violations, notes = data["violations"], data["notes"]
        if not isinstance(row[1], bytes) or not isinstance(violations, int):
            return None
        output = zlib.decompress(row[1]).decode("utf-8", "surrogatepass")
        if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
            return None
        return Report(output, violations, tuple(notes))
    except (ValueError, TypeError, KeyError, IndexError, RecursionError, zlib.error):
        return None  # missing, damaged or foreign: a normal run


def store(
    target: Store,
    run: str,
    report: Report,
    paths: Sequence[str],
    expires: float | None,
    *,
    early: Mapping[str, Stamp] | None = None,
) -> None:
    """Stage the memo in ``target`` (the one memo row, replaced), written by its ``commit``.

    ``early``: stamps taken before the run read the files (they win over stamps taken now:
    a file edited during the run then differs from its stamp next time)."""
    before = early or {}
    stamps = [before.get(p) or stamp(p) for p in dict.fromkeys(paths)]
    data = {
        "expires": expires,
        "stamps": stamps,
        "violations": report.violations,
        "notes": list(report.notes),
    }
    # The report is kept compressed, apart from the rest: a 10,000-post report is ~17 MB of
    # text, which would otherwise be copied into the JSON, then into the database.
    output = zlib.compress(report.output.encode("utf-8", "surrogatepass"), 1)
    target.stage("memo", (0, run, json.dumps(data, ensure_ascii=False, separators=(",", ":")), output))
