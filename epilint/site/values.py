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
    if isinstance(value, list):
        return "".join(rendered(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
