"""What checking one URL over the network found: a record shared by the online phase,
its cache and the LN rules that report it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LinkStatus:
    """What checking one URL over the network found (``epilint/run/online.py``)."""

    url: str
    #: ``ok``, ``dead`` (LN100), ``moved`` (LN101) or ``unverifiable`` (LN102).
    outcome: str
    #: Why, for people: ``404 Not Found``, ``DNS lookup failed``, ``timed out after 10 s``.
    reason: str = ""
    #: Where the permanent (301/308) redirects lead, for ``moved``.
    moved_to: str | None = None
    #: The end of the whole redirect chain (expands shortened URLs).
    final_url: str | None = None

    def to_json(self) -> dict[str, str | None]:
        return {
            "url": self.url,
            "outcome": self.outcome,
            "reason": self.reason,
            "moved_to": self.moved_to,
            "final_url": self.final_url,
        }

    @staticmethod
    def from_json(data: object) -> LinkStatus | None:
        """A status read back from the cache; None for anything malformed."""
        if not isinstance(data, dict):
            return None
        fields = ("url", "outcome", "reason", "moved_to", "final_url")
        values = [data.get(name) for name in fields]
        if not all(v is None or isinstance(v, str) for v in values):
            return None
        url, outcome, reason, moved_to, final_url = values
        if not isinstance(url, str) or outcome not in OUTCOMES:
            return None
        return LinkStatus(url, outcome, reason or "", moved_to, final_url)


OUTCOMES = frozenset({"ok", "dead", "moved", "unverifiable"})
