"""The error a Ruby filter raises (the build stops)."""

from __future__ import annotations

from liquid.exceptions import LiquidError


class FilterError(LiquidError):
    """A filter raised in Ruby (``ArgumentError``, ``ZeroDivisionError``...): the build fails."""

    def __init__(self, message: str) -> None:
        super().__init__(message, token=None)
