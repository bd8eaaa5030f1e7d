"""epilint: a linter for podcast episode pages of static sites (Jekyll first)."""

__version__ = "0.1.0"
