"""Strict validation of a config file's table with pydantic (imported only when a file exists).

A file may ``extend`` another (``extend = "../epilint.toml"``, relative to its folder):
the other file is read first, then this one's keys replace its values — except that
tables (``[links]``, ``[online]``, ``[severity]``, ``[per-file-ignores]``) are merged
entry by entry, and ``extend-select``/``extend-ignore`` add to whatever ``select`` and
``ignore`` are at that point. Paths and patterns stay relative to the folder of the file
that wrote them.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from epilint.config.settings import (
    SEVERITY_CHOICES,
    Codes,
    Globs,
    LinkSettings,
    OnlineSettings,
    Settings,
    split_codes,
)
from epilint.errors import ConfigError
from epilint.model import Severity


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, strict=True)


class _Links(_Strict):
    tracking_params: list[str] = Field(default_factory=list, alias="tracking-params")
    shorteners: list[str] = Field(default_factory=list)
    ignore_urls: list[str] = Field(default_factory=list, alias="ignore-urls")

    @field_validator("ignore_urls")
    @classmethod
    def _patterns_compile(cls, value: list[str]) -> list[str]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"`{pattern}` is not a valid regular expression: {exc}") from None
        return value


_ONLINE = OnlineSettings()


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
    """One file's table; a key left out keeps the value of the file it extends (or the default)."""

    extend: str | None = None
    include: list[str] | None = None
    exclude: list[str] | None = None
    force_exclude: bool | None = Field(default=None, alias="force-exclude")
    extensions: list[str] | None = None
    schema_: str | None = Field(default=None, alias="schema")
    select: list[str] | None = None
    extend_select: list[str] = Field(default_factory=list, alias="extend-select")
    ignore: list[str] | None = None
    extend_ignore: list[str] = Field(default_factory=list, alias="extend-ignore")
    severity: dict[str, str] = Field(default_factory=dict)
    fail_on: str | None = Field(default=None, alias="fail-on")
    site_root: str | None = Field(default=None, alias="site-root")
    baseline: str | None = None
    identity_base: str | None = Field(default=None, alias="identity-base")
    per_file_ignores: dict[str, list[str]] = Field(default_factory=dict, alias="per-file-ignores")
    links: _Links = Field(default_factory=_Links)
    online: _Online = Field(default_factory=_Online)

    @field_validator("severity")
    @classmethod
    def _levels(cls, value: dict[str, str]) -> dict[str, str]:
        for code, level in value.items():
            if level not in SEVERITY_CHOICES:
                choices = ", ".join(f'"{c}"' for c in SEVERITY_CHOICES)
                raise ValueError(f"`{code} = {level!r}`: a severity is one of {choices}")
        return value

    @field_validator("identity_base")
    @classmethod
    def _ref(cls, value: str | None) -> str | None:
        if value is not None and (
            not value.strip() or value.startswith("-") or any(c.isspace() for c in value)
        ):
            raise ValueError("`identity-base` is a git ref (`origin/main`, a branch, a tag, a commit id)")
        return value

    @field_validator("fail_on")
    @classmethod
    def _fail_on(cls, value: str | None) -> str | None:
        if value is not None and value not in (Severity.ERROR.value, Severity.WARNING.value):
            raise ValueError('`fail-on` is "error" or "warning"')
        return value


def parse(path: Path, data: dict[str, Any]) -> FileConfig:
    """The validated table of one file; every problem is a ConfigError naming file and key."""
    try:
        return FileConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        if first["type"] == "extra_forbidden":
            from epilint.similar import closest

            names = [f.alias or name for name, f in FileConfig.model_fields.items()]
            near = closest(str(first["loc"][-1]), names) if len(first["loc"]) == 1 else None
            hint = f" (did you mean `{near}`?)" if near else ""
            raise ConfigError(f"{path}: unknown key `{where}` in the epilint settings{hint}") from None
        raise ConfigError(f"{path}: `{where}`: {first['msg']}") from None


_DRIVE = re.compile(r"[A-Za-z]:[\\/]")


def check_pattern(path: Path, key: str, pattern: str) -> str:
    """A glob of ``include``/``exclude``/``per-file-ignores``: relative, not empty."""
    text = pattern.strip()
    body = text[1:] if text.startswith("!") else text
    if not body:
        raise ConfigError(f"{path}: `{key}` has an empty pattern; remove it or write a glob")
    if body.startswith(("/", "\\", "~")) or _DRIVE.match(body):
        raise ConfigError(
            f"{path}: `{key}` pattern `{pattern}` is absolute; patterns are relative to the config "
            f"file's folder ({path.parent}), gitignore-style (e.g. `_posts/**/*.md`)"
        )
    if ".." in re.split(r"[\\/]", body):
        raise ConfigError(
            f"{path}: `{key}` pattern `{pattern}` climbs out of the config file's folder "
            f"({path.parent}); put the setting in a config file above the files it names"
        )
    return text


def apply(path: Path, parsed: FileConfig, codes: Codes, parent: Settings) -> Settings:
    """``parent`` (the extended file's settings, or the defaults) with this file's keys applied."""
    base = path.parent
    given = parsed.model_fields_set
    changes: dict[str, Any] = {"config_path": path, "config_files": (path, *parent.config_files)}
    for key, name in (("include", "include"), ("exclude", "exclude")):
        values = getattr(parsed, name)
        if values is not None:
            changes[name] = Globs(base, tuple(check_pattern(path, key, p) for p in values))
    if parsed.force_exclude is not None:
        changes["force_exclude"] = parsed.force_exclude
    if parsed.extensions is not None:
        changes["extensions"] = tuple(e if e.startswith(".") else f".{e}" for e in parsed.extensions)
    if parsed.schema_:
        changes["schema"] = base / parsed.schema_
    if parsed.site_root:
        changes["site_root"] = base / parsed.site_root
    if parsed.baseline:
        changes["baseline"] = base / parsed.baseline
    if parsed.identity_base is not None:
        changes["identity_base"] = parsed.identity_base
    if parsed.fail_on is not None:
        changes["fail_on"] = Severity(parsed.fail_on)
    select = split_codes(parsed.select) if parsed.select is not None else parent.select
    extra_select = split_codes(parsed.extend_select) or ()
    ignore = split_codes(parsed.ignore) if parsed.ignore is not None else parent.ignore
    extra_ignore = split_codes(parsed.extend_ignore) or ()
    for key, named in (
        ("select", select if parsed.select is not None else ()),
        ("extend-select", extra_select),
        ("ignore", ignore if parsed.ignore is not None else ()),
        ("extend-ignore", extra_ignore),
    ):
        codes.check(path, key, named or ())
    changes["select"] = (*(select or ()), *extra_select)
    changes["ignore"] = (*(ignore or ()), *extra_ignore)
    if parsed.severity:
        levels = dict(parent.severity)
        for code, level in parsed.severity.items():
            (normal,) = split_codes([code]) or ("",)
            codes.check(path, f"severity.{code}", (normal,))
            levels[normal] = level
        changes["severity"] = tuple(levels.items())
    if parsed.per_file_ignores:
        per_file = list(parent.per_file_ignores)
        for pattern, listed in parsed.per_file_ignores.items():
            normalised = split_codes(listed) or ()
            codes.check(path, f"per-file-ignores.{pattern}", normalised)
            key = f"per-file-ignores.{pattern}"
            per_file.append((Globs(base, (check_pattern(path, key, pattern),)), normalised))
        changes["per_file_ignores"] = tuple(per_file)
    if "links" in given:
        links, old = parsed.links, parent.links
        chosen = links.model_fields_set
        changes["links"] = LinkSettings(
            tuple(links.tracking_params) if "tracking_params" in chosen else old.tracking_params,
            tuple(links.shorteners) if "shorteners" in chosen else old.shorteners,
            tuple(links.ignore_urls) if "ignore_urls" in chosen else old.ignore_urls,
        )
    if "online" in given:
        online, was = parsed.online, parent.online_settings
        chosen = online.model_fields_set
        changes["online_settings"] = OnlineSettings(
            online.timeout if "timeout" in chosen else was.timeout,
            online.concurrency if "concurrency" in chosen else was.concurrency,
            online.cache_ttl if "cache_ttl" in chosen else was.cache_ttl,
            online.allow_private if "allow_private" in chosen else was.allow_private,
            online.time_budget if "time_budget" in chosen else was.time_budget,
        )
    return replace(parent, **changes)


def parse_file(path: Path, data: dict[str, Any], codes: Codes | None = None) -> Settings:
    """The settings of one config file's table alone (its ``extend`` is not followed)."""
    return apply(path, parse(path, data), codes or Codes(), Settings())
