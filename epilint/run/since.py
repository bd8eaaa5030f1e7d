"""``--since REF``: which files a run lints, given what changed since REF.

A post is linted when it changed, and also when a site-wide input it depends on
changed (added, edited or deleted): then every post of that site is linted, because
any of them may read differently now. Site-wide inputs are the site's
``_config.yml``, ``_data/``, ``_layouts/``, ``_includes/``, the ``_actors/``
collection, the folders the selected rules declare (``Rule.site_inputs``), and any
page whose output is a feed (a page with front matter holding ``<rss`` or
``<enclosure``); run-wide inputs — the epilint config files, the schema and the
files it references, the baseline — make every file of the run count. Each reason is
reported once (``Selection.reasons``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from epilint.config.settings import SKIP_DIRS
from epilint.run.git import Changes
from epilint.site.jekyll import CONFIG_NAME, Site

#: Folders of a site whose files every post may depend on.
SITE_FOLDERS = ("_data", "_layouts", "_includes", "_actors")
#: What marks a page as the site's feed template.
FEED_MARKERS = (b"<rss", b"<enclosure")
#: How much of a changed page is read to tell whether it is a feed template.
_FEED_SCAN = 1024 * 1024


@dataclass(frozen=True)
class Selection:
    files: tuple[Path, ...]
    #: Why more than the changed files are linted (one line per reason).
    reasons: tuple[str, ...] = ()


def select(
    files: Sequence[Path],
    ref: str,
    changes: Changes,
    site_of: Callable[[Path], Site | None],
    *,
    run_inputs: Iterable[Path],
    site_inputs: Iterable[str] = (),
) -> Selection:
    """The ``files`` (in order) that changed, or whose site or run inputs changed."""
    touched = changes.changed | changes.deleted
    real = {Path(os.path.realpath(p)) for p in run_inputs}
    global_change = sorted(p for p in real if p in touched)
    if global_change:
        names = ", ".join(f"`{_shown(p, changes.root)}`" for p in global_change)
        count = f"{len(files)} file{_s(len(files))}"
        return Selection(
            tuple(files),
            (f"{names} changed since {ref}: every file of the run is linted ({count})",),
        )
    folders = (*SITE_FOLDERS, *(s for s in site_inputs if s not in SITE_FOLDERS))
    kept: list[Path] = []
    reasons: list[str] = []
    by_site: dict[Path, str | None] = {}
    changed = _changed_names(files, changes.changed)
    for file, is_changed in zip(files, changed, strict=True):
        site = site_of(file)
        reason: str | None = None
        if site is not None:
            if site.real_root not in by_site:
                by_site[site.real_root] = _site_reason(site, changes, touched, folders)
            reason = by_site[site.real_root]
        if is_changed or reason is not None:
            kept.append(file)
    for root, why in by_site.items():
        if why is not None:
            posts = sum(1 for f in files if (s := site_of(f)) is not None and s.real_root == root)
            where = _shown(root, changes.root)
            named = "the site" if where == "." else f"the site in {where}/"
            reasons.append(f"{why} since {ref}: every post of {named} is linted ({posts} file{_s(posts)})")
    return Selection(tuple(kept), tuple(reasons))


def _changed_names(files: Sequence[Path], changed: frozenset[Path]) -> list[bool]:
    """For each file, whether it is in ``changed`` (comparing real folder paths)."""
    folders: dict[str, str] = {}
    out: list[bool] = []
    for file in files:
        parent, name = os.path.split(os.path.abspath(file))
        real = folders.get(parent)
        if real is None:
            real = folders[parent] = os.path.realpath(parent)
        out.append(Path(real, name) in changed)
    return out


def _site_reason(
    site: Site, changes: Changes, touched: frozenset[Path], folders: Sequence[str]
) -> str | None:
    """What site-wide input of ``site`` changed (one phrase), or None."""
    root = site.real_root
    found: list[str] = []
    feeds: list[str] = []
    for path in sorted(touched):
        try:
            parts = path.relative_to(root).parts
        except ValueError:
            continue
        if not parts or any(part in SKIP_DIRS for part in parts[:-1]):
            continue
        relative = "/".join(parts)
        if relative == CONFIG_NAME:
            found.append(CONFIG_NAME)
        elif parts[0] in folders or _in_collections_dir(site, parts, folders):
            found.append(f"{parts[0]}/")
        elif "_posts" not in parts and _is_feed(path, changes):
            feeds.append(relative)
    names = [f"`{name}`" for name in dict.fromkeys(found)] + [f"the feed template `{n}`" for n in feeds]
    return f"{', '.join(names)} changed" if names else None


def _in_collections_dir(site: Site, parts: tuple[str, ...], folders: Sequence[str]) -> bool:
    """``collections_dir/_actors/…`` when the site keeps its collections in a folder."""
    base = site.config.get("collections_dir")
    if not isinstance(base, str) or not base.strip("/"):
        return False
    prefix = tuple(p for p in base.strip("/").split("/") if p)
    return len(parts) > len(prefix) and parts[: len(prefix)] == prefix and parts[len(prefix)] in folders


def _is_feed(path: Path, changes: Changes) -> bool:
    """A page with front matter whose text (now, or before it was deleted) holds a feed."""
    texts: list[bytes] = []
    try:
        if path.is_file():  # never a FIFO or a device: reading one could block or never end
            with path.open("rb") as handle:
                texts.append(handle.read(_FEED_SCAN))
    except OSError:
        pass
    if not texts:
        old = changes.old_text(path, _FEED_SCAN)
        if old is not None:
            texts.append(old)
    return any(
        text.lstrip(b"\xef\xbb\xbf").startswith(b"---") and any(m in text for m in FEED_MARKERS)
        for text in texts
    )


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix() or "."
    except ValueError:
        return str(path)


def _s(count: int) -> str:
    return "" if count == 1 else "s"
