"""Reading and changing the rows of a store (``epilint/run/store.py``) as a test needs to."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from epilint.run.store import FILE_NAME


def connect(folder: Path) -> sqlite3.Connection:
    return sqlite3.connect(folder / FILE_NAME, isolation_level=None, timeout=30)


def rows(folder: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    db = connect(folder)
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()


def execute(folder: Path, sql: str, params: tuple[Any, ...] = ()) -> None:
    db = connect(folder)
    try:
        db.execute(sql, params)
    finally:
        db.close()


def results(folder: Path) -> dict[str, list[Any]]:
    """path → [display, digest, fingerprint, depends, result, expires, facts] (JSON decoded)."""
    found = {}
    query = "SELECT path, display, digest, fingerprint, depends, result, expires, facts FROM results"
    for path, display, digest, fingerprint, depends, result, expires, facts in rows(folder, query):
        found[path] = [
            display,
            digest,
            fingerprint,
            json.loads(depends),
            json.loads(result),
            expires,
            json.loads(facts),
        ]
    return found


def set_result(folder: Path, path: str, entry: list[Any]) -> None:
    """Replace the columns of one results row with ``entry`` (``results``' layout; encoded
    as JSON where the store keeps JSON, as given where ``entry`` holds raw strings)."""
    display, digest, fingerprint, depends, result, expires, facts = entry

    def text(value: Any) -> Any:
        return value if isinstance(value, str) else json.dumps(value)

    execute(
        folder,
        "UPDATE results SET display = ?, digest = ?, fingerprint = ?, depends = ?, result = ?, expires = ?,"
        " facts = ? WHERE path = ?",
        (display, digest, fingerprint, text(depends), text(result), expires, text(facts), path),
    )


def forget_memo(folder: Path) -> None:
    if (folder / FILE_NAME).exists():
        execute(folder, "DELETE FROM memo")
