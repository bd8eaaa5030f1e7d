"""The results cache: warm runs equal cold runs, and every input invalidates what it should."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from epilint.lint import facts, registry
from epilint.lint.context import Context
from epilint.model import Finding, Severity, Span
from epilint.read.document import Document
from epilint.run import store
from epilint.run.cache import ENV_FOLDER, FILE_NAME, FOLDER
from epilint.schema.load import bundled_schema
from tests import store_rows
from tests.conftest import BAD_EPISODE, GOOD_EPISODE, ROOT, SITE_CONFIG, CliResult, run_cli, write_files

FORMATS = ("text", "json", "sarif", "github", "junit")


@pytest.fixture(autouse=True)
def _default_location(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests use the cache where users get it: .epilint_cache/ at the site root."""
    monkeypatch.delenv(ENV_FOLDER, raising=False)


@pytest.fixture
def site(make_site: Callable[..., Path]) -> Path:
    return make_site(
        {
            "_posts/2022-09-10-1.md": GOOD_EPISODE,
            "_posts/2022-09-11-2.md": BAD_EPISODE,
            "_posts/2022-09-12-3.md": "no front matter\n",
            "_posts/2022-09-13-4.md": b"---\ntitle: \xff\n---\n",
        }
    )


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every Document.parse call of the run (a cache hit parses nothing)."""
    calls: list[Path] = []
    original = Document.parse.__func__  # type: ignore[attr-defined]

    def counting(cls: type[Document], path: Path, text: str, *, bom: bool = False) -> Document:
        calls.append(path)
        return original(cls, path, text, bom=bom)  # type: ignore[no-any-return]

    monkeypatch.setattr(Document, "parse", classmethod(counting))
    return calls


def check(site: Path, *args: str) -> CliResult:
    result = run_cli("check", *args, cwd=site)
    assert result.code in (0, 1), result.err
    return result


def cache_file(site: Path) -> Path:
    return site / FOLDER / FILE_NAME


def forget_report(site: Path) -> None:
    """Drop the whole-run memo, so that the next run goes to the per-file results cache."""
    store_rows.forget_memo(site / FOLDER)


def test_warm_run_prints_exactly_what_a_cold_run_prints(site: Path, parses: list[Path]) -> None:
    colds = {fmt: check(site, "--no-cache", "--format", fmt) for fmt in FORMATS}
    assert not (site / FOLDER).exists()
    for fmt, cold in colds.items():
        filling = check(site, "--format", fmt)
        parses.clear()
        warm = check(site, "--format", fmt)
        assert parses == []  # every file came from the cache
        assert cold == filling == warm, fmt
    assert (site / FOLDER / ".gitignore").read_text() == "*\n"
    assert "FM004" in check(site).out  # the undecodable file is reported, warm or cold


def test_no_cache_neither_reads_nor_writes(site: Path) -> None:
    real = check(site).out
    ((name, entry),) = [
        (n, e) for n, e in store_rows.results(site / FOLDER).items() if n.endswith("2022-09-11-2.md")
    ]
    entry[4][0][0][2] = "a message only the cache knows"  # result → violations → first → message
    store_rows.set_result(site / FOLDER, name, entry)
    forget_report(site)  # past the whole-run memo, to the results cache
    assert "a message only the cache knows" in check(site).out  # the cache is really used
    assert check(site, "--no-cache").out == real
    shutil.rmtree(site / FOLDER)
    check(site, "--no-cache")
    assert not (site / FOLDER).exists()


def test_a_changed_post_is_linted_again(site: Path) -> None:
    assert "YT001" in check(site).out
    (site / "_posts/2022-09-11-2.md").write_text(GOOD_EPISODE)
    assert "YT001" not in check(site).out


def test_a_changed_config_invalidates(site: Path) -> None:
    assert "YT001" in check(site).out
    config = site / "epilint.toml"
    config.write_text('[per-file-ignores]\n"_posts/2022-09-11-*" = ["YT"]\n')
    assert "YT001" not in check(site).out
    config.write_text('[per-file-ignores]\n"_posts/2022-09-10-*" = ["YT"]\n')  # same rules, other files
    assert "YT001" in check(site).out
    config.write_text('ignore = ["YT001"]\n')
    assert "YT001" not in check(site).out


def test_a_changed_schema_invalidates(site: Path) -> None:
    schema = site / "episode.schema.json"
    shutil.copy(bundled_schema(), schema)
    assert "FM010" not in check(site, "--schema", str(schema)).out
    data = json.loads(schema.read_text())
    data["required"].append("subtitle")
    data["properties"]["subtitle"] = {"type": "string"}
    schema.write_text(json.dumps(data))  # same path, new contents
    assert "FM010" in check(site, "--schema", str(schema)).out


# -- site inputs, through rules that read them --------------------------------------


def _register(monkeypatch: pytest.MonkeyPatch, code: str, check_fn: registry.FileCheck) -> None:
    registry.load_rules()
    rule = registry.Rule(
        code, f"test-{code.lower()}", Severity.ERROR, registry.FixAvailability.NONE, "", file_check=check_fn
    )
    monkeypatch.setitem(registry.RULES, code, rule)


def unknown_actors(ctx: Context) -> Iterator[Finding]:
    """Reads the site-wide actor list (`_config.yml`), like the episode rules do."""
    known = ctx.site.config.get("actors", {}) if ctx.site else {}
    ids = ctx.doc.data.get("actor_ids")
    for actor in ids if isinstance(ids, list) else []:
        if not isinstance(known, dict) or actor not in known:
            yield Finding(f"unknown actor {actor}", Span(0, 0))


def audio_size(ctx: Context) -> Iterator[Finding]:
    """Reads the audio file the `audio-path` field names, through the shared analysis that
    locates it (which declares the file and its folder as dependencies)."""
    located = facts.audio_of(ctx)
    if located is None:
        return
    size = located[1].size if located[1] is not None else None
    if size != ctx.doc.data.get("audio_file_size"):
        yield Finding(f"audio is {size} bytes", Span(0, 0))


def transcript(ctx: Context) -> Iterator[Finding]:
    """Reads another file for one episode, and declares it with ``ctx.depends_on``."""
    name = ctx.doc.data.get("transcript")
    if ctx.site is None or not isinstance(name, str):
        return
    path = ctx.site.root / name
    ctx.depends_on(path)
    if not path.is_file() or not path.read_text().strip():
        yield Finding(f"transcript {name} is missing or empty", Span(0, 0))


def test_a_changed_actor_list_invalidates(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _register(monkeypatch, "EP990", unknown_actors)
    site = make_site({"_posts/2022-09-10-1.md": GOOD_EPISODE.replace("[alice, bob]", "[alice, carol]")})
    assert "unknown actor carol" in check(site).out
    assert "unknown actor carol" in check(site).out  # warm
    (site / "_config.yml").write_text(SITE_CONFIG + "  carol:\n    name: Carol\n")
    assert "unknown actor carol" not in check(site).out


@pytest.mark.parametrize(
    "change",
    ["_config.yml", "_data/actors.yml", "_layouts/episode.html", "_actors/carol.md", "_data/deep/x.json"],
)
def test_every_site_input_changes_the_fingerprint(make_site: Callable[..., Path], change: str) -> None:
    from epilint.run.pipeline import site_inputs
    from epilint.site.jekyll import Site

    inputs = site_inputs(list(registry.load_rules().values()))
    assert inputs == ("_actors", "_config.yml", "_data", "_layouts")  # declared by the EP, CO, LN010 rules

    def fingerprint() -> str:
        return Site.load(site).fingerprint(inputs)

    site = make_site({"_data/actors.yml": "alice: {}\n", "_layouts/article.html": "{{ content }}\n"})
    before = fingerprint()
    assert fingerprint() == before  # stable
    path = site / change
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        handle.write("# changed\n")
    assert fingerprint() != before
    unrelated = make_site({"_posts/2022-09-10-1.md": GOOD_EPISODE, "audio/1.mp3": b"x"})
    assert unrelated == site
    after = fingerprint()
    (site / "_posts/2022-09-10-1.md").write_text(BAD_EPISODE)  # posts are not site-wide inputs
    assert fingerprint() == after


def test_a_changed_audio_file_invalidates(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _register(monkeypatch, "EP991", audio_size)
    post = GOOD_EPISODE.replace("audio_file_size: 48211456", "audio_file_size: 10")
    site = make_site({"_posts/2022-09-10-1.md": post})
    assert "audio is None bytes" in check(site).out  # no audio file yet
    write_files(site, {"audio/001.mp3": b"0123456789"})
    assert "EP991" not in check(site).out  # the file appeared
    assert "EP991" not in check(site).out  # warm
    (site / "audio/001.mp3").write_bytes(b"01234567890123456789")
    assert "audio is 20 bytes" in check(site).out  # the file changed size
    (site / "audio/001.mp3").unlink()
    assert "audio is None bytes" in check(site).out  # and disappeared


def test_a_declared_dependency_invalidates(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _register(monkeypatch, "EP992", transcript)
    post = GOOD_EPISODE.replace("layout: article", "layout: article\ntranscript: t/1.txt")
    site = make_site({"_posts/2022-09-10-1.md": post, "t/1.txt": ""})
    assert "transcript t/1.txt is missing or empty" in check(site).out
    (site / "t/1.txt").write_text("Hello.\n")
    assert "EP992" not in check(site).out


def clock_bound(ctx: Context) -> Iterator[Finding]:
    """Results that expire at a time the post gives (like a future-dated post's)."""
    until = ctx.doc.data.get("until")
    if isinstance(until, (int, float)):
        ctx.valid_until(until)
    return iter(())


@pytest.mark.parametrize(("offset", "parsed_again"), [(-10, True), (3600, False)])
def test_results_that_expire_are_checked_again(
    make_site: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
    parses: list[Path],
    offset: int,
    parsed_again: bool,
) -> None:
    _register(monkeypatch, "EP993", clock_bound)
    post = GOOD_EPISODE.replace("layout: article", f"layout: article\nuntil: {int(time.time()) + offset}")
    site = make_site({"_posts/2022-09-10-1.md": post})
    check(site)
    parses.clear()
    check(site)
    assert bool(parses) is parsed_again


# -- damaged, unwritable and shared caches --------------------------------------------


def _store_state(site: Path) -> tuple[int, str]:
    (version,) = store_rows.rows(site / FOLDER, "PRAGMA user_version")[0]
    (fmt,) = store_rows.rows(site / FOLDER, "SELECT value FROM meta WHERE name = 'format'")[0]
    return version, fmt


def _cut_short(site: Path) -> bytes:
    """A whole store of this site, cut to its first pages (a disk that filled up, a copy
    that stopped)."""
    check(site)
    data = cache_file(site).read_bytes()
    return data[: len(data) // 3]


def _foreign(site: Path, statements: tuple[str, ...]) -> bytes:
    """A whole store of this site changed by ``statements`` (another epilint's layout)."""
    check(site)
    store_rows.execute(site / FOLDER, "PRAGMA journal_mode = DELETE")
    for sql in statements:
        store_rows.execute(site / FOLDER, sql)
    return cache_file(site).read_bytes()


DAMAGES: dict[str, Callable[[Path], bytes]] = {
    "garbage": lambda site: b"\x00\xff garbage",
    "json of the old cache": lambda site: (
        b'{"format": "epilint-results", "version": 6, "key": "k", "data": {}}'
    ),
    "a sqlite header only": lambda site: b"SQLite format 3\x00" + b"\x00" * 84,
    "cut short": _cut_short,
    "another schema version": lambda site: _foreign(site, (f"PRAGMA user_version = {store.SCHEMA + 1}",)),
    "another format": lambda site: _foreign(
        site, ("UPDATE meta SET value = 'someone-else' WHERE name = 'format'",)
    ),
    "another program's database": lambda site: _foreign(
        site,
        *[
            tuple(
                f"DROP TABLE {t}"
                for t in ("results", "summaries", "sites", "memo", "links", "kv_values", "runs", "meta")
            )
        ],
    ),
}


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_a_corrupt_or_foreign_store_is_ignored_and_rebuilt(
    site: Path, damage: str, parses: list[Path]
) -> None:
    cold = check(site, "--no-cache")
    data = DAMAGES[damage](site)
    shutil.rmtree(site / FOLDER, ignore_errors=True)
    (site / FOLDER).mkdir()
    cache_file(site).write_bytes(data)
    assert check(site) == cold
    assert _store_state(site) == (store.SCHEMA, store.FORMAT)  # rebuilt, and written by that run
    parses.clear()
    assert check(site) == cold
    assert parses == []  # the rebuilt store answers


def test_damaged_entries_are_misses(site: Path) -> None:
    cold = check(site, "--no-cache")
    check(site)
    folder = site / FOLDER
    files = store_rows.results(folder)
    first, second, third = sorted(files)  # the undecodable post is never cached
    store_rows.set_result(folder, first, [*files[first][:4], "not json", *files[first][5:]])
    store_rows.set_result(
        folder,
        second,
        [
            *files[second][:4],
            [[["FM001", "r", "m", 5, 1, "error", None]], *files[second][4][1:]],
            *files[second][5:],
        ],
    )  # an impossible span
    store_rows.set_result(
        folder, third, [*files[third][:4], [[["YT001"]], *files[third][4][1:]], *files[third][5:]]
    )  # a violation cut short
    forget_report(site)
    assert check(site) == cold
    files = store_rows.results(folder)
    store_rows.set_result(
        folder, first, [*files[first][:3], [[1, 2, 3]], *files[first][4:]]
    )  # a stamp without a path
    store_rows.set_result(
        folder,
        second,
        [
            *files[second][:4],
            [[["FM001", "r", "m", 0, 0, "fatal", None]], *files[second][4][1:]],
            *files[second][5:],
        ],
    )  # unknown severity
    store_rows.set_result(
        folder,
        third,
        [*files[third][:4], [files[third][4][0], [0, 1], *files[third][4][2:]], *files[third][5:]],
    )  # positions cut short
    forget_report(site)
    assert check(site) == cold
    files = store_rows.results(folder)
    store_rows.execute(folder, "UPDATE results SET expires = 'never' WHERE path = ?", (first,))  # not a time
    store_rows.set_result(
        folder, second, [*files[second][:6], [["duration-style:duration", 5, 6]]]
    )  # a fact of another shape
    forget_report(site)
    assert check(site) == cold


def test_the_environment_can_move_the_cache(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere" / "cache"
    monkeypatch.setenv(ENV_FOLDER, str(elsewhere))
    check(site)
    assert (elsewhere / FILE_NAME).is_file()
    assert not (site / FOLDER).exists()


def test_a_cache_folder_that_cannot_be_created_means_no_cache(site: Path) -> None:
    cold = check(site, "--no-cache")
    (site / FOLDER).write_text("a file where the cache folder would go\n")
    assert check(site) == cold
    assert check(site) == cold


def _plain_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}


@pytest.mark.parametrize("with_store", [False, True])
def test_a_read_only_tree_runs_without_a_cache(site: Path, with_store: bool) -> None:
    expected = check(site, "--no-cache")
    if with_store:  # a store made before the tree became read-only: not written, same results
        check(site)
        store_rows.execute(site / FOLDER, "DELETE FROM memo")
        before = sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in (site / FOLDER).iterdir())
    command = [sys.executable, "-m", "epilint", "check"]
    if os.geteuid() == 0:
        # root writes anywhere, so make the tree truly read-only: a read-only bind mount
        # in a private mount namespace (as CI's read-only checkout is).
        if shutil.which("unshare") is None:
            pytest.skip("running as root without `unshare`: cannot make a read-only tree")
        probe = subprocess.run(["unshare", "-m", "true"], capture_output=True, check=False)
        if probe.returncode != 0:
            pytest.skip("running as root without mount namespaces: cannot make a read-only tree")
        script = 'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" "$0" && cd "$0" && exec "$@"'
        command = ["unshare", "-m", "sh", "-c", script, str(site), *command]
    else:
        for folder, _dirs, files in os.walk(site):
            for name in files:
                os.chmod(os.path.join(folder, name), 0o444)
            os.chmod(folder, 0o555)
    try:
        done = subprocess.run(
            command, cwd=site, capture_output=True, text=True, env=_plain_env(), timeout=120, check=False
        )
    finally:
        for folder, _dirs, _files in os.walk(site):
            os.chmod(folder, 0o755)
    assert done.stderr == ""
    assert (done.returncode, done.stdout) == (expected.code, expected.out)
    if with_store:
        assert (
            sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in (site / FOLDER).iterdir())
            == before
        )
    else:
        assert not (site / FOLDER).exists()


def test_concurrent_runs_never_leave_a_torn_store(make_site: Callable[..., Path]) -> None:
    """Four real processes linting and writing the one store at once, three times over,
    while a reader checks that every state it sees is whole and every row decodes."""
    posts = {
        f"_posts/2022-09-{day:02d}-{day}.md": BAD_EPISODE if day % 2 else GOOD_EPISODE for day in range(1, 29)
    }
    site = make_site(posts)
    names = sorted(posts)
    expected = check(site, "--no-cache", "--format", "json").json()
    stop = threading.Event()
    seen: list[int] = []
    problems: list[str] = []

    def watch() -> None:
        while not stop.is_set():
            if not cache_file(site).exists():
                continue
            try:
                db = store_rows.connect(site / FOLDER)
                try:
                    (ok,) = db.execute("PRAGMA quick_check").fetchone()
                    rows = db.execute("SELECT result FROM results").fetchall()
                finally:
                    db.close()
            except Exception as exc:
                if "no such table" in str(exc) or "locked" in str(exc):
                    continue  # the store being created, or a checkpoint: never a torn state
                problems.append(repr(exc))
                continue
            if ok != "ok":
                problems.append(ok)
            for (result,) in rows:
                json.loads(result)
            seen.append(len(rows))

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for _round in range(3):
            procs = [
                subprocess.Popen(
                    [sys.executable, "-m", "epilint", "check", "--format", "json", *names[i::4]],
                    cwd=site,
                    env=_plain_env(),
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for i in range(4)
            ]
            for proc in procs:
                out, err = proc.communicate(timeout=120)
                assert err == ""
                assert proc.returncode in (0, 1)
                assert all(item in expected for item in json.loads(out))
            assert len(store_rows.results(site / FOLDER)) == len(names)  # every run's rows were written
            for table in ("results", "memo"):  # so that every process lints and writes again
                store_rows.execute(site / FOLDER, f"DELETE FROM {table}")
    finally:
        stop.set()
        watcher.join()
    assert problems == []
    assert seen
    assert check(site, "--format", "json").json() == expected


def test_folders_rules_look_into_are_dependencies(site: Path) -> None:
    # EP008 speaks only when the site keeps audio in that folder; LN010 only when the
    # linked file's folder exists: a folder appearing must re-check cached results
    post = site / "_posts/2022-09-10-1.md"
    post.write_text(GOOD_EPISODE + "\n![cover](/images/cover.png)\n", encoding="utf-8")
    first = check(site).out
    assert "EP008" not in first
    assert "LN010" not in first
    (site / "audio").mkdir()
    (site / "audio" / "002.mp3").write_bytes(b"x")
    (site / "images").mkdir()
    forget_report(site)
    warm = check(site).out
    assert "EP008" in warm
    assert "LN010" in warm
    assert warm == check(site, "--no-cache").out
