"""The store itself: transactions, concurrent writers, untrustworthy files, its generic values."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from epilint.run import store
from epilint.run.store import Store
from tests import store_rows
from tests.conftest import ROOT


def _values(folder: Path) -> dict[str, str]:
    return dict(store_rows.rows(folder, "SELECT name, data FROM kv_values"))


def _write(folder: Path, rows: dict[str, str], runs: dict[str, str] | None = None) -> bool:
    target = Store.open(folder)
    for name, data in rows.items():
        target.stage("kv_values", (name, "test", 1, None, data))
    try:
        return target.commit(runs)
    finally:
        target.close()


def test_nothing_staged_creates_nothing(tmp_path: Path) -> None:
    target = Store.open(tmp_path / "cache")
    assert target.rows("SELECT * FROM results") == []
    assert target.commit()
    target.close()
    assert not (tmp_path / "cache").exists()


def test_a_new_store_is_marked_and_in_wal_mode(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    for name in store.LEGACY:  # what the JSON caches before the store left
        folder.mkdir(exist_ok=True)
        (folder / name).write_text("{}", encoding="utf-8")
    assert _write(folder, {"a": "1"})
    assert (folder / ".gitignore").read_text(encoding="ascii") == "*\n"
    assert (
        (folder / "CACHEDIR.TAG")
        .read_text(encoding="ascii")
        .startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )
    assert store_rows.rows(folder, "PRAGMA journal_mode") == [("wal",)]
    assert store_rows.rows(folder, "PRAGMA user_version") == [(store.SCHEMA,)]
    assert not any((folder / name).exists() for name in store.LEGACY)


def test_staged_rows_spill_to_disk_and_are_written_in_one_transaction(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    target = Store.open(folder)
    for index in range(store.BATCH * 3 + 5):
        target.stage("kv_values", (f"n{index}", "test", 1, None, str(index)))
        assert len(target._staged.get("kv_values", [])) < store.BATCH  # never more held than a batch
    target.stage("kv_values", ("n0", "test", 1, None, "replaced"))  # a later row wins
    assert _values(folder) == {}  # nothing is visible before the commit
    assert target.commit()
    target.close()
    found = _values(folder)
    assert len(found) == store.BATCH * 3 + 5
    assert found["n0"] == "replaced"


def test_two_writers_in_one_moment_both_land(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    assert _write(folder, {"first": "1"})
    holder = store_rows.connect(folder)
    holder.execute("BEGIN IMMEDIATE")  # another run's transaction in progress
    done: list[bool] = []
    writer = threading.Thread(target=lambda: done.append(_write(folder, {"second": "2"})))
    writer.start()
    writer.join(0.3)
    assert writer.is_alive()  # waiting for the lock, not failing
    holder.execute("INSERT INTO kv_values VALUES ('held', 'test', 1, NULL, '3')")
    holder.execute("COMMIT")
    holder.close()
    writer.join(30)
    assert done == [True]
    assert _values(folder) == {"first": "1", "held": "3", "second": "2"}


_WRITER = """
import sys
from pathlib import Path
from epilint.run.store import Store
folder, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
for round in range(count):
    s = Store.open(folder)
    for i in range(300):
        s.stage("kv_values", (f"{name}-{round}-{i}", "test", 1, None, "x" * 200))
    assert s.commit({"results": name})
    s.close()
"""


def test_real_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(folder), f"p{n}", "5"], env=env, stderr=subprocess.PIPE
        )
        for n in range(4)
    ]
    for proc in procs:
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    assert len(_values(folder)) == 4 * 5 * 300
    assert store_rows.rows(folder, "PRAGMA integrity_check") == [("ok",)]


def test_old_run_keys_are_pruned(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    for number in range(store.KEEP_RUNS + 2):
        target = Store.open(folder)
        target.stage("results", (f"run{number}", "/p", "p", "d", "", "[]", "[]", None, "[]", ""))
        assert target.commit({"results": f"run{number}"})
        target.close()
    kept = {run for (run,) in store_rows.rows(folder, "SELECT run FROM results")}
    assert kept == {f"run{n}" for n in range(2, store.KEEP_RUNS + 2)}
    target = Store.open(folder)  # a known key again: used, nothing pruned
    target.stage("results", ("run2", "/q", "q", "d", "", "[]", "[]", None, "[]", ""))
    assert target.commit({"results": "run2"})
    target.close()
    assert len(store_rows.rows(folder, "SELECT run FROM results")) == store.KEEP_RUNS + 1


def test_a_store_in_use_is_never_removed_under_its_reader(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    assert _write(folder, {"a": "1"})
    reader = Store.open(folder)
    assert reader.rows("SELECT name FROM kv_values") == [("a",)]
    store_rows.execute(folder, f"PRAGMA user_version = {store.SCHEMA + 1}")  # now foreign
    other = Store.open(folder)  # would rebuild it, but another run has it open
    assert other.rows("SELECT name FROM kv_values") == []
    other.stage("kv_values", ("b", "test", 1, None, "2"))
    assert not other.commit()  # and so it is not used this run
    other.close()
    assert (folder / store.FILE_NAME).exists()
    reader.close()
    again = Store.open(folder)  # alone now: rebuilt
    assert again.rows("SELECT name FROM kv_values") == []
    again.close()
    assert _write(folder, {"b": "2"})
    assert _values(folder) == {"b": "2"}
    assert store_rows.rows(folder, "PRAGMA user_version") == [(store.SCHEMA,)]


def test_a_damaged_page_found_while_reading_rebuilds(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    assert _write(folder, {f"n{i}": "x" * 500 for i in range(400)})
    path = folder / store.FILE_NAME
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for offset in range(page * 2, len(data), page):  # every page but the first two: garbage
        data[offset : offset + page] = os.urandom(page)
    path.write_bytes(bytes(data))
    target = Store.open(folder)
    assert target.rows("SELECT count(*), max(length(data)) FROM kv_values") in ([], [(400, 500)])
    target.close()
    assert _write(folder, {"fresh": "1"})
    assert "fresh" in _values(folder)


@pytest.mark.parametrize("special", ["fifo", "link", "folder"])
def test_a_store_that_is_not_a_regular_file_is_never_opened(tmp_path: Path, special: str) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    path = folder / store.FILE_NAME
    if special == "fifo":
        os.mkfifo(path)
    elif special == "link":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    target = Store.open(folder)
    assert target.rows("SELECT 1") == []
    target.stage("kv_values", ("a", "test", 1, None, "1"))
    assert not target.commit()
    target.close()
    assert os.path.lexists(path)


def test_values_have_the_envelope_api(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "feed.json"
    assert store.load(path, "epilint-feed", 1, "k") is None
    assert store.store(path, "epilint-feed", 1, {"a": [1, "b"]}, "k")
    assert store.load(path, "epilint-feed", 1, "k") == {"a": [1, "b"]}
    assert store.load(path, "epilint-feed", 2, "k") is None  # another version
    assert store.load(path, "other-kind", 1, "k") is None
    assert store.load(path, "epilint-feed", 1, "other key") is None
    assert store.load(tmp_path / "cache" / "other.json", "epilint-feed", 1, "k") is None
    store_rows.execute(tmp_path / "cache", "UPDATE kv_values SET data = '{not json'")
    assert store.load(path, "epilint-feed", 1, "k") is None


def test_an_unwritable_folder_means_no_store(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("a file where the folder should be", encoding="utf-8")
    assert not _write(tmp_path / "cache", {"a": "1"})
    assert not store.store(tmp_path / "cache" / "x.json", "k", 1, {})


_ONE_WRITE = """
import sys
from pathlib import Path
from epilint.run.store import Store
s = Store.open(Path(sys.argv[1]))
s.stage("kv_values", ("other", "test", 1, None, "x"))
assert s.commit()
s.close()
"""
_HOLDING = """
import sys
from pathlib import Path
from epilint.run.store import Store
s = Store.open(Path(sys.argv[1]))
s.stage("kv_values", ("held", "test", 1, None, "x"))
assert s.commit()
print("ready", flush=True)
sys.stdin.readline()
s.stage("kv_values", ("held later", "test", 1, None, "x"))
assert s.commit()
s.close()
"""


def test_a_second_store_opened_in_a_process_keeps_the_first_ones_writes(tmp_path: Path) -> None:
    """Opening the store again in a process that has it open (the feed phase beside the
    results cache) must not drop the lock by which SQLite tells other processes that the
    store is in use: one of them, closing, would remove the WAL under the first
    connection, and what that one commits while a third has the store open is lost."""
    folder = tmp_path / "cache"
    assert _write(folder, {"a": "1"})
    first = Store.open(folder)
    assert first.rows("SELECT name FROM kv_values") == [("a",)]  # its connection is open
    second = Store.open(folder)
    assert second.rows("SELECT name FROM kv_values") == [("a",)]
    second.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", _ONE_WRITE, str(folder)], env=env, check=False)
    assert done.returncode == 0
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDING, str(folder)],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline() == "ready\n"
    first.stage("kv_values", ("b", "test", 1, None, "2"))
    assert first.commit()
    first.close()
    holder.communicate("go\n", timeout=60)
    assert holder.returncode == 0
    assert _values(folder) == {"a": "1", "b": "2", "held": "x", "held later": "x", "other": "x"}
