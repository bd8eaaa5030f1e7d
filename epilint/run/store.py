"""The store: one SQLite database per cache folder for everything epilint keeps between runs.

``.epilint_cache/store.sqlite3`` (the standard library's ``sqlite3``, in WAL mode) holds
the results cache (``cache``), the collection summaries and the sites' post listings
(``posts``), the whole-run memo (``memo``), the online link answers (``link_cache``),
the feed predictions (``feed_cache``) and small values of other kinds
(``load``/``store``, the API the JSON envelopes had). Its tables:

- ``meta``: ``format`` = ``epilint-store`` and ``schema`` (also ``PRAGMA user_version``);
- ``runs``: each run key that wrote rows and when it was last used; the rows of all but
  the ``KEEP_RUNS`` most recent keys are deleted when a run writes;
- ``results`` (run, path → displayed path, digest of the bytes, site fingerprint,
  dependency stamps, the result, expiry, site facts, what it read of the feed phase);
- ``summaries`` (run, path → site root, digest, fingerprint, the compact collection
  summary, expiry, the file's stamp and when it was taken, and the summary's numbers and
  audio as indexed columns for the collection rules' questions);
- ``sites`` (run, site root → the post listing and every post's stamp, ``posts``);
- ``memo`` (its one row: run → stamps, the report compressed), ``links`` (run, url →
  time checked, answer), ``kv_values`` (name → kind, version, key, data).

Reads are single statements (each sees one committed state: WAL readers never see a
write in progress). A run's writes are staged — in memory in small batches, then in
temporary tables of its own connection, so a large run does not hold them — and written
in ONE transaction (``BEGIN IMMEDIATE … COMMIT``) by ``commit``: two concurrent runs each
write whole transactions, one after the other (the SQLite busy timeout, then a few
retries; a run that still cannot write gives up silently, its results simply not kept).

Nothing read from the store is trusted: a file that is not a SQLite database, is cut
short, or has another format or schema version is rebuilt (removed and created anew,
under an exclusive lock that every open connection's shared lock keeps away while it is
in use); a statement that fails on a damaged page makes the store unusable for the rest
of the run (it is rebuilt by the next run) — and every row is checked again by whoever
decodes it. A folder that cannot be created or written (a read-only checkout) means no
store, silently; so does a platform without ``fcntl`` when the store must be rebuilt.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
import time
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import epilint
from epilint.site.realpaths import escapes

FOLDER = ".epilint_cache"
FILE_NAME = "store.sqlite3"
FORMAT = "epilint-store"
#: The layout of the tables; a store of another schema version is rebuilt.
SCHEMA = 2
#: Rows of this many most recently used run keys are kept (other settings, other rules).
KEEP_RUNS = 4
#: How long a statement waits for another run's transaction (SQLite's busy timeout) …
BUSY_SECONDS = 5.0
#: … and how many times a run tries its whole write transaction again after that.
RETRIES = 3
#: Rows staged in memory before they move to the connection's temporary tables.
BATCH = 256
#: Files of the JSON caches this store replaces; removed when the store is created.
LEGACY = ("results.json", "report.json", "links.json", "feeds.json")
_CACHEDIR_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# epilint cache\n"

_TABLES = (
    "CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    "CREATE TABLE runs(kind TEXT NOT NULL, run TEXT NOT NULL, used REAL NOT NULL,"
    " PRIMARY KEY(kind, run)) WITHOUT ROWID",
    "CREATE TABLE results(run TEXT NOT NULL, path TEXT NOT NULL, display TEXT NOT NULL,"
    " digest TEXT NOT NULL, fingerprint TEXT NOT NULL, depends TEXT NOT NULL, result TEXT NOT NULL,"
    " expires REAL, facts TEXT NOT NULL, feed TEXT NOT NULL, PRIMARY KEY(run, path)) WITHOUT ROWID",
    "CREATE TABLE summaries(run TEXT NOT NULL, path TEXT NOT NULL, root TEXT NOT NULL,"
    " digest TEXT NOT NULL, fingerprint TEXT NOT NULL, summary TEXT, expires REAL,"
    " size INTEGER, mtime INTEGER, ctime INTEGER, ino INTEGER, stamped INTEGER,"
    " site_path TEXT, title_main INTEGER, title_sub INTEGER, field_main INTEGER, field_sub INTEGER,"
    " audio TEXT, series TEXT, audio_main INTEGER, PRIMARY KEY(run, path)) WITHOUT ROWID",
    "CREATE INDEX summaries_title ON summaries(run, root, fingerprint, title_main)",
    "CREATE INDEX summaries_field ON summaries(run, root, fingerprint, field_main, field_sub, title_main)",
    "CREATE INDEX summaries_audio ON summaries(run, root, fingerprint, audio)",
    "CREATE INDEX summaries_series ON summaries(run, root, fingerprint, series, title_main, audio_main)",
    "CREATE INDEX summaries_site_path ON summaries(run, root, fingerprint, site_path)",
    "CREATE INDEX summaries_stamps ON summaries(run, root, fingerprint, path, size, mtime, ctime, ino,"
    " stamped, expires)",
    "CREATE TABLE sites(run TEXT NOT NULL, root TEXT NOT NULL, data BLOB NOT NULL,"
    " PRIMARY KEY(run, root)) WITHOUT ROWID",
    "CREATE TABLE memo(slot INTEGER PRIMARY KEY CHECK (slot = 0), run TEXT NOT NULL, data TEXT NOT NULL,"
    " output BLOB NOT NULL)",
    "CREATE TABLE links(run TEXT NOT NULL, url TEXT NOT NULL, checked REAL NOT NULL,"
    " status TEXT NOT NULL, PRIMARY KEY(run, url)) WITHOUT ROWID",
    "CREATE TABLE kv_values(name TEXT PRIMARY KEY, kind TEXT NOT NULL, version INTEGER NOT NULL,"
    " key TEXT, data TEXT NOT NULL) WITHOUT ROWID",
)
#: The columns of each table a run writes rows to (the first two are the row's key).
COLUMNS = {
    "results": (
        "run",
        "path",
        "display",
        "digest",
        "fingerprint",
        "depends",
        "result",
        "expires",
        "facts",
        "feed",
    ),
    "summaries": (
        "run",
        "path",
        "root",
        "digest",
        "fingerprint",
        "summary",
        "expires",
        "size",
        "mtime",
        "ctime",
        "ino",
        "stamped",
        "site_path",
        "title_main",
        "title_sub",
        "field_main",
        "field_sub",
        "audio",
        "series",
        "audio_main",
    ),
    "sites": ("run", "root", "data"),
    "memo": ("slot", "run", "data", "output"),
    "links": ("run", "url", "checked", "status"),
    "kv_values": ("name", "kind", "version", "key", "data"),
}
#: The kinds of run keys, and the tables whose rows belong to a key of that kind (the
#: rows of all but the ``KEEP_RUNS`` most recently used keys of a kind are deleted).
KINDS = {"results": ("results", "summaries", "sites"), "links": ("links",)}


def folder_in(root: Path) -> Path | None:
    """``root``'s cache folder, or None when it is a symbolic link out of ``root`` (a
    committed ``.epilint_cache -> ~/.ssh`` must not make epilint write there)."""
    folder = root / FOLDER
    if escapes(folder, os.path.realpath(root)) is not None:
        return None
    return folder


@lru_cache(maxsize=1)
def code_stamp() -> tuple[tuple[str, int, int], ...]:
    """epilint's own code as (file, size, mtime_ns) of every module: part of every key, so
    another epilint (or one installed at another time, on another machine) never reads a
    row this one wrote, and a store written by hand or committed cannot be made to match."""
    package = Path(epilint.__file__).parent
    found = []
    for path in package.rglob("*.py"):
        info = path.stat()
        found.append((str(path.relative_to(package)), info.st_size, info.st_mtime_ns))
    return tuple(sorted(found))


class Store:
    """One run's use of the store in a cache folder.

    ``open`` never fails: a store that cannot be used answers nothing and keeps nothing.
    The database file is created at the first write. The connection is closed before the
    run forks its worker processes (``release``; SQLite connections must not cross a
    fork) and opened again when next needed.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / FILE_NAME
        self._db: sqlite3.Connection | None = None
        self._lock: int | None = None
        #: False once anything went wrong: nothing more is read or written this run.
        self.usable = True
        self._staged: dict[str, list[tuple[Any, ...]]] = {}
        self._spilled: set[str] = set()
        self._deleted: list[tuple[str, tuple[Any, ...]]] = []

    @classmethod
    def open(cls, folder: Path) -> Store:
        """The store in ``folder`` (checked, and rebuilt when it cannot be trusted)."""
        store = cls(folder)
        store._ready(create=False)
        return store

    # -- reading --------------------------------------------------------------------

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of one query; none when the store is missing or unusable (and a
        failing query makes it unusable)."""
        if not self._ready(create=False):
            return []
        assert self._db is not None
        try:
            return self._db.execute(sql, params).fetchall()
        except (sqlite3.Error, OverflowError, ValueError) as exc:
            self._failed(exc)
            return []

    def row(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        found = self.rows(sql, params)
        return found[0] if found else None

    # -- writing --------------------------------------------------------------------

    def stage(self, table: str, row: tuple[Any, ...]) -> None:
        """Write ``row`` (``COLUMNS[table]``, replacing the row of the same key) at ``commit``."""
        if not self.usable:
            return
        batch = self._staged.setdefault(table, [])
        batch.append(row)
        if len(batch) >= BATCH:
            self._spill(table)

    def delete(self, table: str, where: str, params: tuple[Any, ...]) -> None:
        """Delete the rows of ``table`` matching ``where`` at ``commit``, before the staged rows."""
        if self.usable:
            self._deleted.append((f"DELETE FROM main.{table} WHERE {where}", params))

    @property
    def pending(self) -> bool:
        return bool(self._deleted or self._spilled or any(self._staged.values()))

    def commit(self, runs: Mapping[str, str] | None = None) -> bool:
        """Write everything staged in one transaction; ``runs``: the run key this run used
        for each kind of rows (``KINDS``), kept as the most recent. False when nothing
        could be written."""
        if not self.pending:
            return self.usable
        if not self._ready(create=True):
            return False
        for attempt in range(RETRIES + 1):
            try:
                self._write(dict(runs or {}))
            except (sqlite3.Error, OverflowError, ValueError) as exc:
                if _kind(exc) == "busy" and attempt < RETRIES:
                    time.sleep(0.05 * (attempt + 1))
                    continue
                self._failed(exc)
                return False
            self._staged.clear()
            self._deleted.clear()
            for table in sorted(self._spilled):
                self._execute(f"DROP TABLE IF EXISTS temp.staged_{table}")
            self._spilled.clear()
            return True
        return False  # pragma: no cover - the loop returns

    def release(self) -> None:
        """Close the connection for now (before a fork); the next use opens it again.
        Rows already moved to temporary tables are written first."""
        if self._spilled:
            self.commit()
        if self._db is not None:
            self._disconnect(self._db)
            self._db = None

    def close(self) -> None:
        if self._db is not None:
            self._disconnect(self._db)
            self._db = None
        if self._lock is not None:
            with contextlib.suppress(OSError):
                os.close(self._lock)  # releases the lock
            self._lock = None

    # -- the connection --------------------------------------------------------------

    def _write(self, runs: dict[str, str]) -> None:
        assert self._db is not None
        db = self._db
        for table in list(self._staged):
            if table in self._spilled:
                self._spill(table)
        db.execute("BEGIN IMMEDIATE")
        try:
            for sql, params in self._deleted:
                db.execute(sql, params)
            for table, batch in self._staged.items():
                if table not in self._spilled and batch:
                    db.executemany(_insert(table), batch)
            for table in sorted(self._spilled):
                names = ", ".join(COLUMNS[table])
                db.execute(
                    f"INSERT OR REPLACE INTO main.{table}({names}) SELECT {names} FROM temp.staged_{table}"
                )
            now = time.time()
            for kind, run in sorted(runs.items()):
                known = db.execute(
                    "SELECT 1 FROM main.runs WHERE kind = ? AND run = ?", (kind, run)
                ).fetchone()
                db.execute(
                    "INSERT OR REPLACE INTO main.runs(kind, run, used) VALUES (?, ?, ?)", (kind, run, now)
                )
                if known is None:  # a new key: the rows of the oldest keys go
                    kept = "SELECT run FROM main.runs WHERE kind = ? ORDER BY used DESC, run LIMIT ?"
                    for table in KINDS[kind]:
                        db.execute(f"DELETE FROM main.{table} WHERE run NOT IN ({kept})", (kind, KEEP_RUNS))
                    db.execute(
                        f"DELETE FROM main.runs WHERE kind = ? AND run NOT IN ({kept})",
                        (kind, kind, KEEP_RUNS),
                    )
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
            raise

    def _spill(self, table: str) -> None:
        """Move the staged rows of ``table`` into this connection's temporary table (on
        disk; no lock on the store is taken: temporary tables are the connection's own)."""
        batch = self._staged.get(table)
        if not batch or not self._ready(create=True):
            return
        assert self._db is not None
        try:
            if table not in self._spilled:
                names = ", ".join(COLUMNS[table])
                empty = f"SELECT {names} FROM main.{table} WHERE 0"
                self._db.execute(f"CREATE TEMP TABLE IF NOT EXISTS staged_{table} AS {empty}")
                self._spilled.add(table)
            self._db.executemany(_insert(table, f"temp.staged_{table}"), batch)
        except (sqlite3.Error, OverflowError, ValueError) as exc:
            self._failed(exc)
            return
        batch.clear()

    def _execute(self, sql: str) -> None:
        if self._db is not None:
            try:
                self._db.execute(sql)
            except sqlite3.Error as exc:
                self._failed(exc)

    def _failed(self, exc: BaseException) -> None:
        """A statement failed: nothing more this run; a damaged file is rebuilt now when
        no other run has it open (else by a later run)."""
        self.usable = False
        self._staged.clear()
        self._spilled.clear()
        self._deleted.clear()
        if self._db is not None:
            self._disconnect(self._db)
            self._db = None
        if _kind(exc) == "damaged":
            self._rebuild()
        self.close()

    def _ready(self, *, create: bool) -> bool:
        """Whether the connection is open (``create``: creating the folder and the file
        when missing); opens and checks the store, rebuilding it when it cannot be trusted."""
        if not self.usable:
            return False
        if self._db is not None:
            return True
        files = _regular(self.path)
        if files is None:
            return self._give_up()  # a FIFO, a device, a link: never opened
        if not files and not create:
            return False
        if create and not _make_folder(self.folder):
            return self._give_up()
        if not self._take_lock():
            return self._give_up()
        if self._header_damage() is None:
            db = self._sqlite()
            state = "unavailable" if db is None else _state(db)
            if db is not None and state == "ok":
                self._db = db
                return True
            if db is not None and state == "empty" and create:
                if _initialise(db):
                    self._db = db
                    _remove_legacy(self.folder)
                    return True
                state = _state(db)  # another run may have created it first
                if state == "ok":
                    self._db = db
                    return True
            if db is not None:
                self._disconnect(db)
            if state == "empty" and not create:
                return False  # nothing to read yet: created at the first write
            if state != "damaged":
                return self._give_up()  # busy, or cannot be opened or written here
        # Damaged or foreign: removed and created anew, if no other run has it open.
        if not self._rebuild():
            return self._give_up()
        return self._ready(create=True) if create else False

    def _header_damage(self) -> str | None:
        """``_damage`` of the file, unless a connection of this process has it open (it
        was read before that one opened): closing a file descriptor of the database drops
        every POSIX lock the process holds on it, among them the one by which an open
        SQLite connection tells other processes that the store is in use (they would then
        reset its WAL under it, and what it commits afterwards would be lost)."""
        if _CONNECTED.get(os.path.abspath(self.path), 0) > 0:
            return None
        return _damage(self.path)

    def _sqlite(self) -> sqlite3.Connection | None:
        try:
            db = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None)
        except sqlite3.Error:
            return None
        name = os.path.abspath(self.path)
        _CONNECTED[name] = _CONNECTED.get(name, 0) + 1
        try:
            db.execute("PRAGMA temp_store = FILE")
            db.execute("PRAGMA cache_size = -4096")  # KiB: the page cache stays small
        except sqlite3.Error:
            self._disconnect(db)
            return None
        return db

    def _disconnect(self, db: sqlite3.Connection) -> None:
        _close(db)
        name = os.path.abspath(self.path)
        _CONNECTED[name] = _CONNECTED.get(name, 1) - 1

    def _rebuild(self) -> bool:
        """Remove an untrustworthy store, only while no other run has it open."""
        if not _exclusive(self._lock):
            return False
        try:
            for suffix in ("-wal", "-shm", ""):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(f"{self.path}{suffix}")
        except OSError:
            return False
        finally:
            _shared(self._lock)
        return True

    def _take_lock(self) -> bool:
        """A shared lock on ``store.sqlite3.lock`` for as long as the store is open: no
        other run removes the database under this one."""
        if self._lock is not None:
            return True
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: never removed, so no lock needed
            return True
        name = f"{self.path}.lock"
        fd: int | None = None
        nofollow = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        for flags in (os.O_RDWR | os.O_CREAT, os.O_RDONLY):
            try:
                fd = os.open(name, flags | nofollow, 0o666)
                break
            except OSError:
                continue
        if fd is None:
            return False
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
        except OSError:
            os.close(fd)
            return False
        self._lock = fd
        return True

    def _give_up(self) -> bool:
        self.usable = False
        self._staged.clear()
        self._spilled.clear()
        self._deleted.clear()
        self.close()
        return False


# -- the generic values (the API of ``envelope``) -----------------------------------------


def load(path: Path, kind: str, version: int, key: str | None = None) -> Any:
    """``envelope.load`` on the store: the data kept under ``path``'s name in the store of
    ``path``'s folder, or None when it is missing, damaged, of another kind or version,
    or made with another key."""
    store = Store.open(path.parent)
    try:
        found = store.row("SELECT kind, version, key, data FROM kv_values WHERE name = ?", (path.name,))
    finally:
        store.close()
    if found is None or found[0] != kind or found[1] != version or found[2] != key:
        return None
    try:
        return json.loads(found[3])
    except (TypeError, ValueError, RecursionError):
        return None


def store(path: Path, kind: str, version: int, data: object, key: str | None = None) -> bool:
    """``envelope.store`` on the store: keep ``data`` under ``path``'s name; False when it
    cannot be written."""
    target = Store.open(path.parent)
    try:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        target.stage("kv_values", (path.name, kind, version, key, text))
        return target.commit()
    finally:
        target.close()


# -- helpers -------------------------------------------------------------------------------


def _insert(table: str, into: str | None = None) -> str:
    names = COLUMNS[table]
    marks = ", ".join("?" * len(names))
    return f"INSERT OR REPLACE INTO {into or 'main.' + table}({', '.join(names)}) VALUES ({marks})"


def _kind(exc: BaseException) -> str:
    """``busy`` (another run's transaction), ``unavailable`` (cannot be opened or written
    here: a read-only folder, a full disk, no memory), or ``damaged`` (not a database, a
    bad page, tables that are not ours)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        primary = code & 0xFF
        if primary in (5, 6):  # SQLITE_BUSY, SQLITE_LOCKED
            return "busy"
        # SQLITE_PERM, NOMEM, READONLY, IOERR, FULL, CANTOPEN, PROTOCOL, AUTH
        return "unavailable" if primary in (3, 7, 8, 10, 13, 14, 15, 23) else "damaged"
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return "busy"
    unavailable = ("unable to open", "readonly", "read-only", "disk i/o", "permission", "full", "memory")
    return "unavailable" if any(word in text for word in unavailable) else "damaged"


def _make_folder(folder: Path) -> bool:
    """Create the cache folder, marked as a cache that git and backups ignore."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in ((".gitignore", "*\n"), ("CACHEDIR.TAG", _CACHEDIR_TAG)):
            marker = folder / name
            if not marker.exists():
                marker.write_text(text, encoding="ascii")
    except OSError:
        return False
    return True


def _regular(path: Path) -> bool | None:
    """Whether the database (or its ``-wal``/``-shm`` files) exists; None when one of them
    is not a regular file (a FIFO, a device, a symbolic link): such a store is not used."""
    found = False
    for suffix in ("", "-wal", "-shm"):
        try:
            info = os.lstat(f"{path}{suffix}")
        except FileNotFoundError:
            continue
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        found = found or not suffix
    return found


def _exclusive(fd: int | None) -> bool:
    """The exclusive lock, without waiting: False while another process has the store open."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: another process may have it open
        return False
    if fd is None:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _shared(fd: int | None) -> None:
    if fd is not None:
        import fcntl

        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_SH)


_MAGIC = b"SQLite format 3\x00"
#: How many connections of this process each store has open (``Store._header_damage``).
_CONNECTED: dict[str, int] = {}


def _damage(path: Path) -> str | None:
    """Why the file at ``path`` is not a whole SQLite database (None: it may be one, or
    is missing or empty): another header, or shorter than its header says."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(100)
            size = os.fstat(handle.fileno()).st_size
    except FileNotFoundError:
        return None
    except OSError as exc:
        return str(exc)
    if not head:
        return None
    if len(head) < 100 or not head.startswith(_MAGIC):
        return "not a SQLite database"
    page = int.from_bytes(head[16:18], "big")
    page = 65536 if page == 1 else page
    pages = int.from_bytes(head[28:32], "big")
    valid_for = int.from_bytes(head[92:96], "big")
    changes = int.from_bytes(head[24:28], "big")
    if page < 512 or page & (page - 1):
        return "not a SQLite database"
    if pages and valid_for == changes and size < pages * page:
        return "cut short"
    return None


def _state(db: sqlite3.Connection) -> str:
    """``ok`` (this format and schema), ``empty`` (a new file), ``damaged`` (not a
    database, or of another format or schema version), ``busy``, or ``unavailable``."""
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if version == 0 and tables == 0:
            return "empty"
        if version != SCHEMA:
            return "damaged"  # another epilint's store: rebuilt as one that is not ours
        meta = dict(db.execute("SELECT name, value FROM meta").fetchall())
    except sqlite3.Error as exc:
        return _kind(exc)
    if meta.get("format") != FORMAT or meta.get("schema") != str(SCHEMA):
        return "damaged"
    return "ok"


def _initialise(db: sqlite3.Connection) -> bool:
    """Create the tables in a new, empty database (another run may be doing the same)."""
    try:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("BEGIN IMMEDIATE")
        if db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0:
            for sql in _TABLES:
                db.execute(sql)
            db.executemany(
                "INSERT INTO meta(name, value) VALUES (?, ?)",
                [("format", FORMAT), ("schema", str(SCHEMA)), ("epilint", epilint.__version__)],
            )
            db.execute(f"PRAGMA user_version = {SCHEMA}")
        db.execute("COMMIT")
        return _state(db) == "ok"
    except sqlite3.Error:
        with contextlib.suppress(sqlite3.Error):
            if db.in_transaction:
                db.execute("ROLLBACK")
        return False


def _remove_legacy(folder: Path) -> None:
    """The JSON files of the caches the store replaced: stale, and never read again."""
    for name in LEGACY:
        with contextlib.suppress(OSError):
            os.unlink(folder / name)


def _close(db: sqlite3.Connection) -> None:
    with contextlib.suppress(sqlite3.Error):
        db.close()
