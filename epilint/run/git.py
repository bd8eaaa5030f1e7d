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
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from epilint.errors import ConfigError

_TIMEOUT = 120.0


def _git(args: Sequence[str], cwd: Path, option: str = "--since") -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, env=env, timeout=_TIMEOUT, check=False
        )
    except FileNotFoundError:
        raise ConfigError(f"{option} needs git, and the `git` command was not found") from None
    except subprocess.TimeoutExpired:
        raise ConfigError(f"{option}: `git {' '.join(args)}` took longer than {_TIMEOUT:.0f} s") from None


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


@dataclass(frozen=True)
class Base:
    """The commit a ref names, compared with: the merge-base of REF and HEAD (what a pull
    request adds), or REF itself for unrelated histories or a repository without HEAD."""

    #: The repository's top folder (real path).
    root: Path
    commit: str


def top(where: Path) -> Path | None:
    """The top folder (real path) of the git checkout holding ``where``, or None."""
    done = _git(["rev-parse", "--show-toplevel"], where)
    if done.returncode != 0:
        return None
    return Path(os.path.realpath(os.fsdecode(done.stdout.rstrip(b"\n"))))


def resolve(ref: str, cwd: Path | None = None, option: str = "--since") -> Base:
    """The commit to compare with for ``ref``; ConfigError (naming ``option``) on errors."""
    where = cwd or Path.cwd()
    root = top(where)
    if root is None:
        raise ConfigError(f"{option} needs a git repository, and {where} is not inside one")
    if ref.startswith("-"):
        raise ConfigError(f"{option}: `{ref}` is not a git ref")
    commit = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], root, option)
    if commit.returncode != 0:
        raise ConfigError(
            f"{option}: unknown git ref `{ref}` (fetch it first, e.g. `git fetch origin {ref}`)"
        )
    base = commit.stdout.decode("ascii").strip()
    head = _git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], root, option)
    if head.returncode == 0:
        merge_base = _git(["merge-base", base, "HEAD"], root, option)
        if merge_base.returncode == 0:  # unrelated histories: compare with REF itself
            base = merge_base.stdout.decode("ascii").strip()
    return Base(root, base)


def changes(ref: str, cwd: Path | None = None) -> Changes:
    """The files added, changed or deleted since ``ref``; ConfigError on git errors."""
    found = resolve(ref, cwd)
    root, base = found.root, found.commit
    # The merge-base against the working tree covers committed, staged and unstaged changes.
    diff = ["diff", "--name-only", "-z", "--no-renames"]
    changed = _listing([*diff, "--diff-filter=ACMT", base, "--"], root)
    deleted = _listing([*diff, "--diff-filter=D", base, "--"], root)
    untracked = _listing(["ls-files", "--others", "--exclude-standard", "-z"], root)
    return Changes(root, base, frozenset(changed | untracked), frozenset(deleted))


def renames(base: Base, prefix: str = "", option: str = "--since") -> dict[str, str]:
    """Files renamed since the base commit (committed, staged or in the working tree, as
    git's rename detection finds them): old path → new path, relative to ``prefix`` (a
    folder of the repository, posix, "" for the top), both inside it."""
    where = [prefix] if prefix else []
    done = _git(
        ["diff", "--name-status", "-z", "--find-renames", "--diff-filter=R", base.commit, "--", *where],
        base.root,
        option,
    )
    if done.returncode != 0:
        return {}
    fields = [os.fsdecode(f) for f in done.stdout.split(b"\0")]
    found: dict[str, str] = {}
    lead = prefix.rstrip("/") + "/" if prefix else ""
    index = 0
    while index + 2 < len(fields):
        status, old, new = fields[index : index + 3]
        index += 3
        if status.startswith("R") and old.startswith(lead) and new.startswith(lead):
            found[old[len(lead) :]] = new[len(lead) :]
    return found


@dataclass(frozen=True)
class TreeEntry:
    """A file of a commit's tree: its path (below the listed folder), mode, object, size."""

    path: str
    mode: str
    sha: str
    size: int


def tree(base: Base, prefix: str = "", option: str = "--since") -> list[TreeEntry]:
    """Every entry of the commit's tree below ``prefix`` (recursively), paths relative to
    it; a folder the commit does not have lists nothing."""
    spec = f"{base.commit}:{prefix.strip('/')}" if prefix.strip("/") else base.commit
    # run at the top, the paths of ``COMMIT:prefix`` are relative to that folder
    done = _git(["ls-tree", "-r", "-z", "-l", "--end-of-options", spec], base.root, option)
    if done.returncode != 0:
        return []
    found: list[TreeEntry] = []
    for record in done.stdout.split(b"\0"):
        if not record:
            continue
        head, _, name = record.partition(b"\t")
        parts = head.split()
        if len(parts) != 4:
            continue
        mode, _kind, sha, size = (p.decode("ascii", "replace") for p in parts)
        found.append(TreeEntry(os.fsdecode(name), mode, sha, int(size) if size.isdigit() else -1))
    return found


def read_blobs(
    base: Base, shas: Sequence[str], sink: Callable[[str, bytes], None], option: str = "--since"
) -> None:
    """Each blob's bytes (``git cat-file --batch``, one process), given to ``sink(sha, data)``
    in order; the caller asks only for blobs small enough to hold."""
    if not shas:
        return
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    try:
        process = subprocess.Popen(
            ["git", "cat-file", "--batch"],
            cwd=base.root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
    except OSError:
        raise ConfigError(f"{option} needs git, and the `git` command was not found") from None
    assert process.stdin is not None
    assert process.stdout is not None
    stdin, stdout = process.stdin, process.stdout

    def feed() -> None:
        try:
            stdin.write(b"".join(sha.encode("ascii") + b"\n" for sha in shas))
            stdin.close()
        except OSError:
            pass  # git went away: the reader below sees the end

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        for sha in shas:
            header = stdout.readline()
            parts = header.split()
            if len(parts) != 3:
                break  # "<sha> missing" or the end
            size = int(parts[2])
            data = stdout.read(size)
            stdout.read(1)  # the newline after the object
            sink(sha, data)
    finally:
        stdout.close()
        try:
            process.wait(timeout=_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        writer.join(timeout=1)


def blob_head(base: Base, sha: str, limit: int) -> bytes:
    """The first ``limit`` bytes of a blob, without reading the rest."""
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    try:
        process = subprocess.Popen(
            ["git", "cat-file", "blob", sha],
            cwd=base.root,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
    except OSError:
        return b""
    assert process.stdout is not None
    try:
        return process.stdout.read(limit)
    finally:
        process.stdout.close()
        process.kill()
        process.wait()


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
