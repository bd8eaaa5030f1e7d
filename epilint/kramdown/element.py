"""kramdown's element tree (``element.rb``), with what the link records need.

Types are kramdown's symbols as strings (``"p"``, ``"raw_text"``, ``"a"`` …). Text and
raw text hold an ``MStr`` value (with file offsets); an element made from source text
also records where it came from (``start``/``end``: file offsets), which the link
records report.
"""

from __future__ import annotations

from typing import Any

from epilint.kramdown.mapped import MStr


class Element:
    __slots__ = ("attr", "children", "end", "options", "start", "type", "value")

    def __init__(
        self,
        type: str,
        value: Any = None,
        attr: dict[str, str] | None = None,
        options: dict[str, Any] | None = None,
    ) -> None:
        self.type = type
        self.value = value
        self.attr: dict[str, str] = attr if attr is not None else {}
        self.options: dict[str, Any] = options if options is not None else {}
        self.children: list[Element] = []
        self.start = -1
        self.end = -1

    def __repr__(self) -> str:
        value = self.value.text if isinstance(self.value, MStr) else self.value
        inner = f" {self.children!r}" if self.children else ""
        return f"<{self.type} {value!r}{inner}>"

    @property
    def text(self) -> str:
        """The text of a text-like element's value (``""`` for others)."""
        value = self.value
        if isinstance(value, MStr):
            return value.text
        return value if isinstance(value, str) else ""
