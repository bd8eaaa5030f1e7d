"""How Liquid prints a front-matter value (as Psych read it) into a page or the feed."""

from __future__ import annotations

import json
import math


def rendered(value: object) -> str:
    """How Liquid prints a front-matter value into the page or feed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        if math.isnan(value):
            return "NaN"
        return repr(value)
    if isinstance(value, list):  # Liquid joins nested arrays flat; no recursion for deep ones
        pieces: list[str] = []
        stack: list[object] = [value]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            else:
                pieces.append(rendered(item))
        return "".join(pieces)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
