"""Values epilint can compute for a field instead of asking the author.

The episode rules plug audio measurement in here; without a site or an audio
file there is nothing to compute and every fix stays a suggestion.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from epilint.context import Context, Measured


def value_for(ctx: Context, role: str) -> Measured | None:
    """The computed YAML value for the field with ``role``, or None when unknown."""
    del ctx, role
    return None
