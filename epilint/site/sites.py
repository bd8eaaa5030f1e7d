"""The sites of one run: each file's Jekyll site, found and loaded once.

A run may cover several sites (a folder of sites, or files from two sites on one command
line): each file belongs to the nearest folder above it holding ``_config.yml``, unless
the run names one site root for everything (``--site-root``).
"""

from __future__ import annotations

from pathlib import Path

from epilint.site.jekyll import Site, find_site_root
from epilint.site.realpaths import RealPaths


class Sites:
    """Site lookup for a run, sharing one ``RealPaths`` with discovery and the phases."""

    def __init__(self, site_root: Path | None = None, real: RealPaths | None = None) -> None:
        self.site_root = site_root
        self.real = real or RealPaths()
        self._sites: dict[Path, Site] = {}
        self._folders: dict[str, Site | None] = {}

    def site_for(self, path: Path) -> Site | None:
        """The site ``path`` belongs to, or None outside any site."""
        if self.site_root is not None:
            return self.load(self.site_root)
        folder = self.real.folder(path)
        try:
            return self._folders[folder]
        except KeyError:
            found = find_site_root(Path(folder))
            site = self._folders[folder] = self.load(found) if found else None
            return site

    def load(self, root: Path) -> Site:
        """The site at ``root``, read once per run."""
        site = self._sites.get(root)
        if site is None:
            site = Site.load(root.resolve())
            self._sites[root] = self._sites[site.root] = site
        return site

    def site_path(self, path: Path, site: Site | None) -> str:
        """``path`` relative to its site's root (posix), or its name outside a site."""
        if site is not None:
            real = self.real.key(path)
            root = site.root_prefix
            if real.startswith(root):
                return real[len(root) :].replace("\\", "/")
        return path.name
