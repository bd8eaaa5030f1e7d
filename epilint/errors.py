"""Errors that end a run with exit code 2 (usage and configuration problems)."""


class ConfigError(Exception):
    """A bad flag, config file or schema: reported as one line, exit code 2."""
