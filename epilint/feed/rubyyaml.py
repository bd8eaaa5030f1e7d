"""YAML as the Ruby values Psych builds (for Liquid), from ``epilint.yaml11`` nodes.

``yaml11.to_json`` gives front matter as JSON for the schema (Times as their text); the
feed model needs the Ruby objects themselves: a Time prints ``2022-09-10 00:00:00 +0900``,
a Date ``2022-09-10``. Merge keys and aliases are applied as Psych applies them, with a
budget on values copied through aliases.
"""

from __future__ import annotations

import datetime as dt

from epilint.feed import rubytime
from epilint.feed.values import sanitize_input, unknown
from epilint.read import yaml11


class TooLarge(Exception):
    """Following aliases would copy more values than allowed."""


def ruby_value(node: yaml11.Node | None, zone: dt.tzinfo, limit: int = 100_000) -> object:
    """The Ruby value of ``node`` (None for an empty document)."""
    budget = [limit]

    def build(item: yaml11.Node, copied: bool, depth: int) -> object:
        if depth > 200:
            raise TooLarge("nested deeper than 200 levels")
        if copied:
            budget[0] -= 1
            if budget[0] < 0:
                raise TooLarge(f"expanding aliases builds more than {limit} values")
        if isinstance(item, yaml11.Alias):
            return build(item.target, True, depth + 1)
        if isinstance(item, yaml11.Scalar):
            value = item.value
            if isinstance(value, yaml11.PsychTime):
                time = rubytime.from_psych(value, zone)
                return time if time is not None else unknown(f"the time `{item.text}` (out of range)")
            if isinstance(value, yaml11.Unloadable):
                return unknown(f"`{item.text}`: {value.reason}")
            if isinstance(value, str):
                return sanitize_input(value)
            return value
        if isinstance(item, yaml11.Sequence):
            return [build(child, copied, depth + 1) for child in item.items]
        result: dict[str, object] = {}
        for pair in item.pairs:
            key = pair.key.target if isinstance(pair.key, yaml11.Alias) else pair.key
            if isinstance(key, yaml11.Scalar) and key.plain and key.text == "<<":
                merged = build(pair.value, copied, depth + 1)
                sources = merged if isinstance(merged, list) else [merged]
                if all(isinstance(source, dict) for source in sources):
                    for source in sources:
                        assert isinstance(source, dict)
                        result.update(source)  # Psych: hash.merge!(merged), like yaml11
                    continue
            result[sanitize_input(yaml11.key_text(pair.key))] = build(pair.value, copied, depth + 1)
        return result

    return None if node is None else build(node, False, 0)


def load(text: str, zone: dt.tzinfo) -> object:
    """``Psych.safe_load`` of a whole YAML text; raises yaml11.YamlError or TooLarge."""
    return ruby_value(yaml11.compose(text), zone)
