"""``--since REF``: the files added or changed since a git ref, by asking ``git``.

"Changed since REF" means: committed since the merge-base of REF and HEAD (what a
pull request adds), staged, modified in the working tree, or new and untracked
(but not ignored). Deleted files are listed apart: there is nothing left to lint, but a
deleted site-wide input (``_data/actors.yml``) changes what every post means
(``epilint/run/since.py``).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from epilint.errors import ConfigError

_TIMEOUT = 120.0


def _git(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, env=env, timeout=_TIMEOUT, check=False
        )
    except FileNotFoundError:
        raise ConfigError("--since needs git, and the `git` command was not found") from None
    except subprocess.TimeoutExpired:
        raise ConfigError(f"--since: `git {' '.join(args)}` took longer than {_TIMEOUT:.0f} s") from None


def _paths(output: bytes, top: Path) -> set[Path]:
    """NUL-separated names from git (``-z``: no quoting), relative to the top folder."""
    names = output.split(b"\0")
    return {top / os.fsdecode(name) for name in names if name}


@dataclass(frozen=True)
class Changes:
    """What changed since a ref: files added or changed (they exist), and files deleted."""

    root: Path
    #: The commit compared with (the merge-base of REF and HEAD, or REF itself).
    base: str
    changed: frozenset[Path]
    deleted: frozenset[Path] = frozenset()

    def old_text(self, path: Path, limit: int) -> bytes | None:
        """The first ``limit`` bytes ``path`` held at the base commit (None if it did not exist)."""
        try:
            relative = Path(os.path.realpath(path)).relative_to(self.root).as_posix()
        except ValueError:
            return None
        done = _git(["cat-file", "blob", f"{self.base}:{relative}"], self.root)
        return done.stdout[:limit] if done.returncode == 0 else None


def changes(ref: str, cwd: Path | None = None) -> Changes:
    """The files added, changed or deleted since ``ref``; ConfigError on git errors."""
    where = cwd or Path.cwd()
    top = _git(["rev-parse", "--show-toplevel"], where)
    if top.returncode != 0:
        raise ConfigError(f"--since needs a git repository, and {where} is not inside one")
    root = Path(os.path.realpath(os.fsdecode(top.stdout.rstrip(b"\n"))))
    if ref.startswith("-"):
        raise ConfigError(f"--since: `{ref}` is not a git ref")
    commit = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], root)
    if commit.returncode != 0:
        raise ConfigError(f"--since: unknown git ref `{ref}` (fetch it first, e.g. `git fetch origin {ref}`)")
    base = commit.stdout.decode("ascii").strip()
    head = _git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], root)
    if head.returncode == 0:
        merge_base = _git(["merge-base", base, "HEAD"], root)
        if merge_base.returncode == 0:  # unrelated histories: compare with REF itself
            base = merge_base.stdout.decode("ascii").strip()
    # The merge-base against the working tree covers committed, staged and unstaged changes.
    diff = ["diff", "--name-only", "-z", "--no-renames"]
    changed = _listing([*diff, "--diff-filter=ACMT", base, "--"], root)
    deleted = _listing([*diff, "--diff-filter=D", base, "--"], root)
    untracked = _listing(["ls-files", "--others", "--exclude-standard", "-z"], root)
    return Changes(root, base, frozenset(changed | untracked), frozenset(deleted))


def changed_files(ref: str, cwd: Path | None = None) -> set[Path]:
    """Absolute paths of the files added or changed since ``ref``; ConfigError on git errors."""
    return set(changes(ref, cwd).changed)


def _listing(args: Sequence[str], root: Path) -> set[Path]:
    done = _git(args, root)
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip()
        raise ConfigError(f"--since: `git {args[0]}` failed: {message}")
    return _paths(done.stdout, root)


def keep_changed(files: Sequence[Path], changed: set[Path]) -> tuple[Path, ...]:
    """The ``files`` (in order) that are in ``changed``, comparing real folder paths."""
    folders: dict[str, str] = {}
    kept: list[Path] = []
    for file in files:
        parent, name = os.path.split(os.path.abspath(file))
        real = folders.get(parent)
        if real is None:
            real = folders[parent] = os.path.realpath(parent)
        if Path(real, name) in changed:
            kept.append(file)
    return tuple(kept)
