"""Finding and reading the config file.

``[tool.epilint]`` in pyproject.toml, or the same keys at the top level of
``epilint.toml`` / ``.epilint.toml``, found by walking up from the current folder. The
file is validated with pydantic (``config/file.py``) only when one exists, so a plain run
starts fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from epilint import files
from epilint.config.settings import Settings
from epilint.errors import ConfigError

CONFIG_FILES = (".epilint.toml", "epilint.toml", "pyproject.toml")
#: Larger config files are refused (a pyproject.toml is a few kilobytes).
MAX_CONFIG_BYTES = 4 * 1024 * 1024


def find_config(start: Path) -> Path | None:
    """The nearest config file walking up from ``start`` (pyproject.toml only with the table)."""
    for folder in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if name != "pyproject.toml" or _has_tool_table(candidate):
                return candidate
    return None


def _toml_load(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    try:
        return tomllib.loads(files.read(path, MAX_CONFIG_BYTES).decode("utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read config {path}: {files.reason(exc)}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise ConfigError(f"config {path} is not valid TOML: {exc}") from None


def _has_tool_table(path: Path) -> bool:
    try:
        data = _toml_load(path)
    except ConfigError:
        return False
    tool = data.get("tool")
    return isinstance(tool, dict) and "epilint" in tool


def load(
    path: Path | None, *, explicit: bool = False, known: Callable[[str], bool] = lambda code: True
) -> Settings:
    """Settings from ``path`` (or defaults when None). Bad files raise ConfigError, and so
    do rule codes for which ``known`` is False (the caller knows the rules; config does not)."""
    if path is None:
        return Settings()
    data = _toml_load(path)
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("epilint") if isinstance(tool, dict) else None
        if table is None:
            if explicit:
                raise ConfigError(f"{path} has no [tool.epilint] table")
            return Settings()
        data = table
    from epilint.config.file import parse_file

    return parse_file(path, data, known)
