"""``Path.resolve()`` for many files, resolving each folder once.

``resolve`` stats every component of a path; a run asks for the real path of thousands
of files (posts, their audio) in a few folders. One ``RealPaths`` serves a whole run:
discovery, the linter and the collection phase share its answers.
"""

from __future__ import annotations

import os
from pathlib import Path

StrPath = str | os.PathLike[str]


class RealPaths:
    """``Path.resolve()`` of files, each answered once and each folder resolved once.

    A file that is not a symlink itself resolves to its folder's real path plus its
    name, so a new file costs one ``lstat``. Answers are kept for the run (one linter):
    files and folders do not move while it runs. ``key`` gives the answer as a string,
    which is what identity checks (the same post reached by two paths) need.
    """

    def __init__(self) -> None:
        self._folders: dict[str, str] = {}
        self._files: dict[str, str] = {}

    def key(self, path: StrPath) -> str:
        """The real path of ``path`` as a string."""
        text = os.fspath(path)
        found = self._files.get(text)
        if found is None:
            found = self._files[text] = self._resolve(text)
        return found

    def folder(self, path: StrPath) -> str:
        """The real path of the folder holding ``path``."""
        return os.path.dirname(self.key(path))

    def _resolve(self, text: str) -> str:
        folder, name = os.path.split(text)
        if name in ("", ".", "..") or "\x00" in name or os.path.islink(text):  # resolve() decides
            return os.fspath(Path(text).resolve())
        real = self._folders.get(folder)
        if real is None:
            real = self._folders[folder] = os.fspath(Path(folder or ".").resolve())
        return os.path.join(real, name)


def escapes(path: StrPath, boundary: str) -> str | None:
    """Why the symbolic link ``path`` is not followed (its target is outside ``boundary``,
    a real path, usually the site's root), or None for anything else."""
    if not os.path.islink(path):
        return None
    target = os.path.realpath(path)
    if target == boundary or target.startswith(boundary.rstrip(os.sep) + os.sep):
        return None
    return (
        f"it is a symbolic link to `{os.readlink(path)}`, outside the site: epilint never follows "
        "a link out of the site (GitHub Pages skips it too), so it was not read"
    )
