"""The user's JSON Schema: loading it safely, and answering "is this front matter valid?".

The schema sees front matter as Jekyll reads it (see ``yaml11.to_json``); explaining an
invalid document is ``epilint/lint/schema_findings.py``'s job. Two custom annotations
make the schema the single source of field meaning:

* ``x-epilint-role`` names what a field is (``audio-path``, ``audio-size``,
  ``duration``, ``date``, ``title``, ``actors``, ``layout``, ``episode-number``…),
  so rules find "the duration field" whatever the theme calls it;
* ``x-epilint-feed`` says what the site renders from the field, with ``{value}``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from epilint import files
from epilint.errors import ConfigError
from epilint.site.posts import CANONICAL_DATE

if TYPE_CHECKING:
    import jsonschema

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
# Installed wheels carry the schemas inside the package; a source checkout keeps them at the top.
BUNDLED_DIR = (
    _PACKAGE_DIR / "schemas" if (_PACKAGE_DIR / "schemas").is_dir() else _PACKAGE_DIR.parent / "schemas"
)
DEFAULT_SCHEMA = "episode.schema.json"

ROLE_KEY = "x-epilint-role"
FEED_KEY = "x-epilint-feed"

DURATION = re.compile(r"(?:[0-9]+:[0-5][0-9]:[0-5][0-9]|[0-9]+:[0-5][0-9])\Z")


#: The roles epilint's rules look fields up by (``x-epilint-role`` values).
ROLES = (
    "actors",
    "audio-path",
    "audio-size",
    "date",
    "description",
    "duration",
    "episode-number",
    "layout",
    "title",
)
_SUFFIX = ".schema.json"


def bundled_schema(name: str = DEFAULT_SCHEMA) -> Path:
    """Path of a schema shipped with epilint (``schemas/`` at the top of the repository)."""
    return BUNDLED_DIR / name


def bundled_names() -> tuple[str, ...]:
    """The names of the bundled schemas (``episode``, ``mobileandbeer``), default first."""
    names = sorted(p.name.removesuffix(_SUFFIX) for p in BUNDLED_DIR.glob(f"*{_SUFFIX}"))
    default = DEFAULT_SCHEMA.removesuffix(_SUFFIX)
    return tuple(sorted(names, key=lambda n: n != default))


def bundled_by_name(name: str) -> Path | None:
    """The bundled schema called ``name`` (``mobileandbeer`` or its file name), if any."""
    stem = name.removesuffix(_SUFFIX)
    if stem in bundled_names() and "/" not in name and "\\" not in name:
        return BUNDLED_DIR / f"{stem}{_SUFFIX}"
    return None


def resolve(path: Path) -> Path:
    """The schema file ``--schema``/``schema =`` names: the path when it exists, else the
    bundled schema of that name; ConfigError (listing the bundled names) otherwise."""
    if path.exists():
        return path
    found = bundled_by_name(path.name)
    if found is not None:
        return found
    from epilint.similar import closest

    names = bundled_names()
    near = closest(path.name.removesuffix(_SUFFIX), names)
    hint = f"did you mean `{near}`? " if near else ""
    raise ConfigError(
        f"schema {path} does not exist and is not a bundled schema ({hint}bundled: {', '.join(names)}; "
        "see `epilint schema list`)"
    )


def is_duration(text: object) -> bool:
    """Format checker: only strings are judged (other types are the `type` keyword's job)."""
    return not isinstance(text, str) or bool(DURATION.match(text))


def is_jekyll_date(text: object) -> bool:
    """``YYYY-MM-DD HH:MM:SS +ZZZZ`` (offset optional: YT004 reports that) naming a real time."""
    if not isinstance(text, str):
        return True
    match = CANONICAL_DATE.match(text)
    if match is None:
        return False
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    # Ruby's Time holds year 0000 too (Python's datetime starts at 0001).
    if not (1 <= month <= 12 and 1 <= day <= days[month - 1]):
        return False
    if hour > 23 or minute > 59 or second > 59:
        return False
    if match.group(7) is not None:
        return int(match.group(8)) <= 23 and int(match.group(9)) <= 59
    return True


@dataclass(frozen=True)
class FieldInfo:
    name: str
    schema: Mapping[str, Any]

    @property
    def role(self) -> str | None:
        role = self.schema.get(ROLE_KEY)
        return role if isinstance(role, str) else None

    @property
    def types(self) -> tuple[str, ...]:
        kind = self.schema.get("type")
        if isinstance(kind, str):
            return (kind,)
        if isinstance(kind, list):
            return tuple(k for k in kind if isinstance(k, str))
        return ()

    def feed(self, value: str) -> str | None:
        template = self.schema.get(FEED_KEY)
        if not isinstance(template, str):
            return None
        return template.replace("{value}", value)


#: epilint's own format checkers, by ``format`` name.
FORMATS = {"duration": is_duration, "jekyll-date": is_jekyll_date}


@dataclass(frozen=True)
class EpisodeSchema:
    """A loaded and checked schema, compiled when first used.

    Validity is answered by ``schema_check`` when the schema keeps to its subset (no
    jsonschema import at all while every document is valid); jsonschema explains the
    invalid documents, and validates everything for schemas outside that subset.
    """

    path: Path
    raw: Mapping[str, Any]
    fields: Mapping[str, FieldInfo]
    required: tuple[str, ...]
    closed: bool
    #: Schemas that ``$ref`` names, by reference (see ``local_resources``).
    resources: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    _field_checks: dict[str, Callable[[object], bool]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def field_for(self, role: str) -> FieldInfo | None:
        """The field playing ``role`` (first in schema order), if the schema names one."""
        return self.roles.get(role)

    @cached_property
    def roles(self) -> dict[str, FieldInfo]:
        """Each role the schema names, and the field playing it (first in schema order)."""
        roles: dict[str, FieldInfo] = {}
        for info in self.fields.values():
            if info.role is not None:
                roles.setdefault(info.role, info)
        return roles

    def accepts(self, name: str, value: object) -> bool:
        """Whether the schema of field ``name`` accepts ``value`` (True for unknown fields)."""
        info = self.fields.get(name)
        if info is None:
            return True
        check = self._field_checks.get(name)
        if check is None:
            from epilint.schema import fast

            check = fast.compile(info.schema, FORMATS) if not self.resources else None
            if check is None:
                import jsonschema

                checker = jsonschema.FormatChecker()
                for format_name, format_check in FORMATS.items():
                    checker.checks(format_name)(format_check)
                validator = _bounded(jsonschema.Draft202012Validator)(info.schema, format_checker=checker)
                check = validator.is_valid
            self._field_checks[name] = check
        return bool(check(value))

    def is_valid(self, data: object) -> bool:
        fast = self._fast
        return fast(data) if fast is not None else bool(self._validator.is_valid(data))

    def iter_errors(self, data: object) -> Iterator[jsonschema.ValidationError]:
        yield from self._validator.iter_errors(data)

    @cached_property
    def _fast(self) -> Callable[[object], bool] | None:
        from epilint.schema import fast

        return None if self.resources else fast.compile(self.raw, FORMATS)

    @cached_property
    def _validator(self) -> Any:
        return _validator(self.path, self.raw, self.resources)


def load_schema(path: Path) -> EpisodeSchema:
    """Read, check and compile a schema; every problem is a ConfigError (exit 2)."""
    raw = _read_json(path, f"schema {path}")
    if not isinstance(raw, dict):
        raise ConfigError(f"schema {path} must be a JSON object")
    _check_depth(path, raw)
    resources = local_resources(path, raw)
    _check_ref_cycles(path, raw, resources)
    properties = raw.get("properties", {})
    fields: dict[str, FieldInfo] = {}
    if isinstance(properties, dict):
        for name, sub in properties.items():
            if isinstance(sub, dict):
                fields[name] = FieldInfo(name, _follow_local_ref(raw, sub))
    _check_roles(path, fields)
    required = tuple(r for r in raw.get("required", []) if isinstance(r, str))
    closed = raw.get("additionalProperties") is False or raw.get("unevaluatedProperties") is False
    loaded = EpisodeSchema(path, raw, fields, required, closed, resources)
    if not _trusted(path):
        loaded._validator  # noqa: B018 - meta-validates now: a ConfigError at start, not mid-run
    return loaded


def _check_roles(path: Path, fields: Mapping[str, FieldInfo]) -> None:
    """Every ``x-epilint-role`` names a role epilint knows (a misspelt one would make the
    rules silently ignore the field)."""
    for info in fields.values():
        role = info.schema.get(ROLE_KEY)
        if role is None:
            continue
        if not isinstance(role, str) or role not in ROLES:
            from epilint.similar import closest

            near = closest(role, ROLES) if isinstance(role, str) else None
            hint = f" (did you mean `{near}`?)" if near else ""
            raise ConfigError(
                f"schema {path}: field `{info.name}` has {ROLE_KEY} {json.dumps(role)}, which is not a "
                f"role epilint knows{hint}; the roles are: {', '.join(ROLES)}"
            )


def _trusted(path: Path) -> bool:
    """The schemas shipped with epilint are valid (``tests/test_schema.py`` checks them),
    so loading them needs no meta-validation, and no jsonschema import."""
    return path.resolve().parent == BUNDLED_DIR.resolve()


def _validator(path: Path, raw: Any, resources: Mapping[str, Any]) -> Any:
    """A jsonschema validator for ``raw`` with epilint's formats and only local references;
    a schema that is not a valid JSON Schema is a ConfigError."""
    import jsonschema
    import referencing
    import referencing.jsonschema
    from jsonschema.validators import validator_for

    cls = validator_for(raw, default=jsonschema.Draft202012Validator)
    try:
        cls.check_schema(raw)
    except jsonschema.SchemaError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(top level)"
        raise ConfigError(f"schema {path} is not a valid JSON Schema at {where}: {exc.message}") from None
    except RecursionError:
        raise ConfigError(f"schema {path} nests too deeply to be checked") from None
    cls = _bounded(cls)

    def refuse(uri: str) -> referencing.Resource[Any]:
        raise ConfigError(
            f"schema {path} refers to `{uri}`, outside the schema's folder; epilint never "
            "fetches schemas from the network or from other folders"
        )

    registry: referencing.Registry[Any] = referencing.Registry(retrieve=refuse)  # type: ignore[call-arg]
    default = referencing.jsonschema.specification_with(cls.META_SCHEMA["$schema"])
    for uri, contents in resources.items():
        resource = referencing.Resource.from_contents(contents, default_specification=default)
        registry = registry.with_resource(uri, resource)
    checker = jsonschema.FormatChecker()
    for name, check in FORMATS.items():
        checker.checks(name)(check)
    validator = cls(raw, registry=registry, format_checker=checker)
    _check_refs_resolve(path, validator, raw, resources)
    return validator


def _bounded(cls: Any) -> Any:
    """The validator class with the regular-expression keywords bounded in time
    (``epilint/schema/patterns.py``)."""
    from jsonschema.validators import extend

    from epilint.schema import patterns

    return extend(cls, patterns.keywords())  # type: ignore[no-untyped-call]


def _check_refs_resolve(path: Path, validator: Any, raw: Any, resources: Mapping[str, Any]) -> None:
    """Every ``$ref`` must resolve now, against the base URI jsonschema will use (an
    ``https://`` ``$id`` turns a relative ``other.json`` into a network address): a
    reference that cannot be resolved is a ConfigError at start, never a crash mid-run."""
    import referencing.exceptions

    resolver = validator._resolver
    documents: list[tuple[str, Any, Any]] = [(str(path.name), raw, resolver)]
    for target, contents in resources.items():
        try:
            documents.append((target, contents, resolver.lookup(target).resolver))
        except referencing.exceptions.Unresolvable:
            continue  # reported below, where a document names it
    for name, document, base in documents:
        for ref in _refs(document):
            try:
                base.lookup(ref)
            except (referencing.exceptions.Unresolvable, ConfigError):
                why = " (the `$id` makes it a network address, which epilint never fetches)"
                raise ConfigError(
                    f"schema {path}: `{ref}` in {name} cannot be resolved{why if _has_id(document) else ''}"
                ) from None


def _has_id(document: Any) -> bool:
    return isinstance(document, dict) and isinstance(document.get("$id"), str) and ":" in document["$id"]


#: Deeper schemas are refused: a real one nests a few levels, and validators recurse.
MAX_SCHEMA_DEPTH = 64


def _check_depth(path: Path, raw: Any) -> None:
    stack: list[tuple[Any, int]] = [(raw, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_SCHEMA_DEPTH:
            raise ConfigError(f"schema {path} nests deeper than {MAX_SCHEMA_DEPTH} levels")
        if isinstance(node, dict):
            stack.extend((value, depth + 1) for value in node.values())
        elif isinstance(node, list):
            stack.extend((value, depth + 1) for value in node)


#: Keywords that apply a subschema to the same instance (no step down into it): a cycle
#: through them and ``$ref`` alone recurses without end, whatever the document.
_IN_PLACE = (
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "$ref",
    "$dynamicRef",
)


def _check_ref_cycles(path: Path, raw: Any, resources: Mapping[str, Any]) -> None:
    """Refuse a ``$ref`` that leads back to itself without descending into the instance
    (``{"$ref": "#"}`` at the top, ``a → b → a``): jsonschema would recurse until Python's
    stack overflows, for every document."""
    documents: dict[str, Any] = {"": raw, **resources}

    def node(doc: str, pointer: str) -> Any:
        current = documents.get(doc)
        for raw_part in pointer.split("/")[1:] if pointer else ():
            part = raw_part.replace("~1", "/").replace("~0", "~")
            if isinstance(current, dict) and part in current:
                current = current[part]
            elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
                current = current[int(part)]
            else:
                return None
        return current

    def targets(doc: str, pointer: str) -> list[tuple[str, str]]:
        schema = node(doc, pointer)
        if not isinstance(schema, dict):
            return []
        found: list[tuple[str, str]] = []
        for keyword in _IN_PLACE:
            value = schema.get(keyword)
            if keyword in ("$ref", "$dynamicRef"):
                if isinstance(value, str):
                    target, _, fragment = value.partition("#")
                    if fragment == "" or fragment.startswith("/"):
                        found.append(
                            (target if target in documents else doc if not target else "?", fragment)
                        )
            elif isinstance(value, list):
                found.extend((doc, f"{pointer}/{keyword}/{i}") for i in range(len(value)))
            elif isinstance(value, dict):
                if keyword == "dependentSchemas":
                    found.extend((doc, f"{pointer}/{keyword}/{name}") for name in value)
                else:
                    found.append((doc, f"{pointer}/{keyword}"))
        return [t for t in found if t[0] != "?"]

    starts = [(doc, pointer) for doc, document in documents.items() for pointer in _pointers(document)]
    done: set[tuple[str, str]] = set()
    for start in starts:
        if start in done:
            continue
        # iterative depth-first search; ``path`` holds the nodes on the current chain
        on_chain: dict[tuple[str, str], int] = {start: 0}
        stack = [(start, iter(targets(*start)))]
        while stack:
            current, children = stack[-1]
            step = next(children, None)
            if step is None:
                stack.pop()
                on_chain.pop(current, None)
                done.add(current)
                continue
            if step in on_chain:
                where = f"{step[0] or path.name}#{step[1]}"
                raise ConfigError(
                    f"schema {path}: the `$ref` at {where} refers back to itself without "
                    "descending into the document (a reference cycle); validation would never end"
                )
            if step not in done:
                on_chain[step] = len(stack)
                stack.append((step, iter(targets(*step))))


def _pointers(document: Any) -> list[str]:
    """The JSON pointer of every object in ``document``."""
    found: list[str] = []
    stack: list[tuple[Any, str]] = [(document, "")]
    while stack:
        item, pointer = stack.pop()
        if isinstance(item, dict):
            found.append(pointer)
            stack.extend((v, f"{pointer}/{k.replace('~', '~0').replace('/', '~1')}") for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((v, f"{pointer}/{i}") for i, v in enumerate(item))
    return found


def _follow_local_ref(root: Mapping[str, Any], sub: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = sub.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        node: Any = root
        for part in ref[2:].split("/"):
            if not isinstance(node, dict) or part not in node:
                return sub
            node = node[part]
        if isinstance(node, dict):
            return {**node, **{k: v for k, v in sub.items() if k != "$ref"}}
    return sub


def local_resources(path: Path, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Schemas referenced by relative ``$ref`` inside the schema's folder, loaded from disk.

    Anything else that is not a same-document reference (``http:``, ``file:``, absolute
    paths, ``..``) is refused here, before jsonschema could try to retrieve it.
    """
    folder = path.resolve().parent
    found: dict[str, Any] = {}
    pending: list[tuple[Path, Any]] = [(path, raw)]
    seen: set[Path] = set()
    documents: dict[str, Any] = {}
    while pending:
        source, document = pending.pop()
        for ref in _refs(document):
            target, _, pointer = ref.partition("#")
            if not target:
                _check_pointer(source, document, ref, pointer)
                continue
            if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", target) or target.startswith(("/", "\\")):
                raise ConfigError(
                    f"schema {source} refers to `{ref}`; only references inside the schema's "
                    "folder are allowed (no network, no absolute paths)"
                )
            resolved = (source.resolve().parent / target).resolve()
            if folder not in resolved.parents and resolved != folder:
                raise ConfigError(f"schema {source} refers to `{ref}`, outside {folder}")
            if resolved not in seen:
                seen.add(resolved)
                contents = _read_json(resolved, f"schema {source}: `{ref}`")
                found[target] = contents
                documents[target] = contents
                pending.append((resolved, contents))
            _check_pointer(source, documents.get(target), ref, pointer)
    return found


#: Larger schema files are refused: a schema is a few kilobytes.
MAX_SCHEMA_BYTES = 4 * 1024 * 1024


def _read_json(path: Path, what: str) -> Any:
    """A schema file's JSON; every problem (unreadable, a FIFO or device, too large, not
    JSON, nested beyond what the parser allows) is a ConfigError."""
    try:
        text = files.read(path, MAX_SCHEMA_BYTES).decode("utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read {what}: {files.reason(exc)}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{what} is not valid JSON: {exc}") from None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ConfigError(f"{what} is not valid JSON: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{what} nests deeper than the JSON parser allows") from None


def _check_pointer(source: Path, document: Any, ref: str, pointer: str) -> None:
    """A ``#/a/b`` fragment must exist now, so a broken ``$ref`` is a config error, not a crash."""
    if not pointer.startswith("/"):
        return  # empty, or an anchor name: left to jsonschema
    node = document
    for raw_part in pointer[1:].split("/"):
        part = raw_part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise ConfigError(f"schema {source} has a reference `{ref}` that cannot be resolved")


def _refs(document: Any) -> Iterator[str]:
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key in ("$ref", "$dynamicRef") and isinstance(value, str):
                    yield value
                else:
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
