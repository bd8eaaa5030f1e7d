"""Finding and reading the config file.

``[tool.epilint]`` in pyproject.toml, or the same keys at the top level of
``epilint.toml`` / ``.epilint.toml``, found by walking up from the current folder. The
file is validated with pydantic (``config/file.py``) only when one exists, so a plain run
starts fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from epilint import files
from epilint.config.settings import Codes, Settings
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


#: ``extend`` chains longer than this are a mistake (or a loop through symlinks).
MAX_EXTEND = 32


def _table(path: Path, *, explicit: bool) -> dict[str, Any] | None:
    """The epilint table of a config file (None: a pyproject.toml without one)."""
    data = _toml_load(path)
    if path.name != "pyproject.toml":
        return data
    tool = data.get("tool", {})
    table = tool.get("epilint") if isinstance(tool, dict) else None
    if table is None:
        if explicit:
            raise ConfigError(f"{path} has no [tool.epilint] table")
        return None
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.epilint] must be a table")
    return table


def load(path: Path | None, *, explicit: bool = False, codes: Codes | None = None) -> Settings:
    """Settings from ``path`` (or defaults when None), following its ``extend`` chain. Bad
    files raise ConfigError, and so do rule codes ``codes`` does not know (the caller
    knows the rules; config does not)."""
    if path is None:
        return Settings()
    from epilint.config.file import apply, parse

    chain: list[tuple[Path, Any]] = []
    seen: list[Path] = []
    current: Path | None = path
    strict = explicit
    while current is not None:
        real = current.resolve()
        if real in seen:
            loop = " → ".join(str(p) for p in (*seen, real))
            raise ConfigError(f"{path}: `extend` goes round in a circle: {loop}")
        if len(seen) >= MAX_EXTEND:
            raise ConfigError(f"{path}: `extend` chain is longer than {MAX_EXTEND} files")
        seen.append(real)
        table = _table(current, explicit=strict)
        if table is None:
            if current == path:
                return Settings()
            raise ConfigError(f"{current} has no [tool.epilint] table (named by `extend`)")
        parsed = parse(current, table)
        chain.append((current, parsed))
        strict = True
        if parsed.extend is None:
            break
        if not parsed.extend.strip():
            raise ConfigError(f"{current}: `extend` is empty")
        parent = current.parent / parsed.extend
        if not parent.is_file():
            raise ConfigError(f"{current}: `extend` names {parent}, which does not exist")
        current = parent
    settings = Settings()
    for file, parsed in reversed(chain):
        settings = apply(file, parsed, codes or Codes(), settings)
    return settings
