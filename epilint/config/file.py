"""Strict validation of a config file's table with pydantic (imported only when a file exists)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from epilint.config.settings import DEFAULT_EXTENSIONS, LinkSettings, OnlineSettings, Settings, split_codes
from epilint.errors import ConfigError

_ONLINE = OnlineSettings()


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, strict=True)


class _Links(_Strict):
    tracking_params: list[str] = Field(default_factory=list, alias="tracking-params")
    shorteners: list[str] = Field(default_factory=list)
    ignore_urls: list[str] = Field(default_factory=list, alias="ignore-urls")

    @field_validator("ignore_urls")
    @classmethod
    def _patterns_compile(cls, value: list[str]) -> list[str]:
        import re

        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"`{pattern}` is not a valid regular expression: {exc}") from None
        return value


class _Online(_Strict):
    timeout: float = Field(default=_ONLINE.timeout, gt=0, le=300)
    concurrency: int = Field(default=_ONLINE.concurrency, ge=1, le=256)
    cache_ttl: int = Field(default=_ONLINE.cache_ttl, ge=0, alias="cache-ttl")
    allow_private: bool = Field(default=_ONLINE.allow_private, alias="allow-private")
    time_budget: float = Field(default=_ONLINE.time_budget, gt=0, le=86400, alias="time-budget")

    @field_validator("timeout", "time_budget", mode="before")
    @classmethod
    def _int_is_float(cls, value: Any) -> Any:
        return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


class FileConfig(_Strict):
    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    extensions: list[str] = Field(default_factory=lambda: list(DEFAULT_EXTENSIONS))
    schema_: str | None = Field(default=None, alias="schema")
    select: list[str] | None = None
    ignore: list[str] = Field(default_factory=list)
    site_root: str | None = Field(default=None, alias="site-root")
    per_file_ignores: dict[str, list[str]] = Field(default_factory=dict, alias="per-file-ignores")
    links: _Links = Field(default_factory=_Links)
    online: _Online = Field(default_factory=_Online)


def _check_codes(path: Path, key: str, codes: tuple[str, ...], known: Callable[[str], bool]) -> None:
    for code in codes:
        if code and not known(code):
            raise ConfigError(f"{path}: `{key}` names `{code}`, which matches no rule")


def parse_file(path: Path, data: dict[str, Any], known: Callable[[str], bool]) -> Settings:
    """The settings of one config file's table; ``known`` tells which rule codes exist."""
    try:
        parsed = FileConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        if first["type"] == "extra_forbidden":
            raise ConfigError(f"{path}: unknown key `{where}` in the epilint settings") from None
        raise ConfigError(f"{path}: `{where}`: {first['msg']}") from None
    base = path.parent
    select = split_codes(parsed.select)
    ignore = split_codes(parsed.ignore) or ()
    _check_codes(path, "select", select or (), known)
    _check_codes(path, "ignore", ignore, known)
    per_file: list[tuple[str, tuple[str, ...]]] = []
    for pattern, codes in parsed.per_file_ignores.items():
        normalised = split_codes(codes) or ()
        _check_codes(path, f"per-file-ignores.{pattern}", normalised, known)
        per_file.append((pattern, normalised))
    defaults = Settings()
    return Settings(
        config_path=path,
        include=tuple(parsed.include),
        exclude=tuple(parsed.exclude),
        extensions=tuple(e if e.startswith(".") else f".{e}" for e in parsed.extensions),
        schema=(base / parsed.schema_) if parsed.schema_ else None,
        select=select if select is not None else defaults.select,
        ignore=ignore,
        site_root=(base / parsed.site_root) if parsed.site_root else None,
        per_file_ignores=tuple(per_file),
        links=LinkSettings(
            tuple(parsed.links.tracking_params),
            tuple(parsed.links.shorteners),
            tuple(parsed.links.ignore_urls),
        ),
        online_settings=OnlineSettings(
            parsed.online.timeout,
            parsed.online.concurrency,
            parsed.online.cache_ttl,
            parsed.online.allow_private,
            parsed.online.time_budget,
        ),
    )
