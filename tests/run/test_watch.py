"""``check --watch``: a real process, a real file change, Ctrl-C; every wait is bounded."""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

from epilint.config.settings import Settings
from epilint.run import watch
from tests.conftest import BAD_EPISODE, GOOD_EPISODE, episode, run_cli

TIMEOUT = 60.0
READY = "epilint: watching for changes (Ctrl-C to stop)"


class _Lines:
    """The lines a stream produces, read by a thread; waits are bounded."""

    def __init__(self, stream: IO[str]) -> None:
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def until(self, test: Callable[[list[str]], bool], timeout: float = TIMEOUT) -> list[str]:
        deadline = time.monotonic() + timeout
        while not test(self.lines):
            left = deadline - time.monotonic()
            assert left > 0, f"timed out; lines so far: {self.lines}"
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                continue
            assert line is not None, f"the stream ended; lines: {self.lines}"
            self.lines.append(line)
        return self.lines


def _ready(count: int) -> Callable[[list[str]], bool]:
    return lambda lines: lines.count(READY) >= count


def test_a_change_prints_a_fresh_report_and_ctrl_c_exits_0(make_site: Callable[..., Path]) -> None:
    post = "_posts/2022-09-10-1.md"
    site = make_site({post: episode(GOOD_EPISODE, day="2022-09-10", number=1)})
    report = site / "report.txt"
    process = subprocess.Popen(
        [sys.executable, "-m", "epilint", "check", "--watch", "--output", str(report)],
        cwd=site,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        err = _Lines(process.stderr)
        err.until(_ready(1))
        assert "All checks passed" in report.read_text(encoding="utf-8")
        (site / post).write_text(episode(BAD_EPISODE, day="2022-09-10", number=1), encoding="utf-8")
        lines = err.until(_ready(2))
        assert f"epilint: changed: {post}" in lines
        assert "YT001" in report.read_text(encoding="utf-8")
        time.sleep(1.5)  # writing the report must not start another run
        assert err.until(lambda found: True) == lines
        assert sum(line.startswith("epilint: changed:") for line in err.lines) == 1
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=TIMEOUT) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=TIMEOUT)


def test_reports_go_to_stdout_and_a_broken_config_keeps_watching(make_site: Callable[..., Path]) -> None:
    post = "_posts/2022-09-10-1.md"
    site = make_site({post: episode(BAD_EPISODE, day="2022-09-10", number=1)})
    process = subprocess.Popen(
        [sys.executable, "-m", "epilint", "check", "--watch", "--no-cache", post],
        cwd=site,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stderr is not None
        out, err = _Lines(process.stdout), _Lines(process.stderr)
        err.until(_ready(1))
        out.until(lambda lines: any("Found 1 violation" in line for line in lines))
        (site / "epilint.toml").write_text("ignore = 3\n", encoding="utf-8")
        err.until(_ready(2))
        assert any(line.startswith("epilint: error:") for line in err.lines)
        (site / "epilint.toml").write_text('ignore = ["YT001", "FM012"]\n', encoding="utf-8")
        err.until(_ready(3))
        out.until(lambda lines: any("All checks passed" in line for line in lines))
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=TIMEOUT) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=TIMEOUT)


def test_watch_only_checks(make_site: Callable[..., Path]) -> None:
    site = make_site()
    for flag in ("--fix", "--diff"):
        result = run_cli("check", "--watch", flag, cwd=site)
        assert result.code == 2
        assert "--watch only checks" in result.err


def test_what_is_watched(make_site: Callable[..., Path], tmp_path: Path) -> None:
    site = make_site({"_posts/2022-09-10-1.md": GOOD_EPISODE})
    schema = tmp_path / "schemas" / "my.schema.json"
    schema.parent.mkdir()
    schema.write_text("{}", encoding="utf-8")
    settings = Settings(schema=schema)
    # a file's folder and its site (one recursive watch covers both), and the schema's folder
    assert watch.targets([site / "_posts" / "2022-09-10-1.md"], settings) == (
        schema.parent.resolve(),
        site.resolve(),
    )
    loose = tmp_path / "loose"
    loose.mkdir()
    assert watch.targets([loose], Settings()) == (loose.resolve(),)


def test_check_imports_neither_the_watcher_nor_the_language_server(make_site: Callable[..., Path]) -> None:
    site = make_site({"_posts/2022-09-10-1.md": GOOD_EPISODE})
    probe = (
        "import sys\n"
        "from epilint.cli import main\n"
        "main(['check', '--no-cache', '_posts'])\n"
        "heavy = ('watchfiles', 'pygls', 'lsprotocol', 'epilint.editor')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=site, capture_output=True, text=True, timeout=TIMEOUT, check=True
    )
    assert done.stdout.splitlines()[-1] == "[]"
