"""``Path.resolve()`` for many files, resolving each folder once.

``resolve`` stats every component of a path; a run asks for the real path of thousands
of files (posts, their audio) in a few folders.
"""

from __future__ import annotations

import os
from pathlib import Path


class RealPaths:
    """``Path.resolve()`` of files, each answered once and each folder resolved once.

    A file that is not a symlink itself resolves to its folder's real path plus its
    name, so a new file costs one ``lstat``. Answers are kept for the run (one linter):
    files and folders do not move while it runs.
    """

    def __init__(self) -> None:
        self._folders: dict[str, Path] = {}
        self._files: dict[str, Path] = {}

    def __call__(self, path: Path) -> Path:
        key = os.fspath(path)
        found = self._files.get(key)
        if found is None:
            found = self._files[key] = self._resolve(path)
        return found

    def _resolve(self, path: Path) -> Path:
        folder, name = os.path.split(path)
        if name in ("", ".", "..") or "\x00" in name or os.path.islink(path):  # resolve() decides
            return path.resolve()
        real = self._folders.get(folder)
        if real is None:
            real = self._folders[folder] = Path(folder or ".").resolve()
        return real / name
