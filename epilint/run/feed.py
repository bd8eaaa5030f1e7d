"""The feed phase: each involved site's feeds, as its own feed template renders them.

Run before linting, when a selected rule reads the feed (``Rule.reads_feed``); its answer
(``epilint.feed.view.SiteFeed`` per site root) becomes an input of every document's
context, as the online phase's does. Per site, in this order:

1. the prediction cache (``feed_cache``): a view whose inputs are all unchanged is used
   as it is — nothing is rendered, python-liquid is not imported;
2. a site whose pages, layouts and includes cannot write a feed (``feed.detect``: the
   posts are not even read) has no feed template: today's behaviour, and that answer is
   cached with what it read;
3. else one ``predict_site`` at the run's clock (the renderer is imported here, lazily),
   reduced to the view (``feed.view.site_data``) and cached.

The view is always read back from its JSON data, so a run that predicts and a run that
reads the cache see the same thing. Sites without a ``timezone`` are predicted in UTC,
as the rest of epilint reads them. ``Phase.counts`` says how much work was done (cache
hits, detections, renders), for tests and ``bench/feed.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from epilint.feed import files
from epilint.feed.view import SiteFeed, failed
from epilint.run.feed_cache import FeedCache


class Phase:
    """One run's feed phase (``cache_folder`` None: no prediction cache)."""

    def __init__(self, cache_folder: Path | None, now: float) -> None:
        self.cache = FeedCache.open(cache_folder)
        self.now = now
        self.counts: Counter[str] = Counter()
        self.views: dict[Path, SiteFeed] = {}

    def __call__(self, roots: Iterable[Path]) -> dict[Path, SiteFeed]:
        """The view of each site (each predicted or read at most once per phase)."""
        views: dict[Path, SiteFeed] = {}
        for root in roots:
            if root not in views:
                found = self.views.get(root)
                views[root] = self.views[root] = found if found is not None else self.site(root)
        self.cache.save()
        return views

    def site(self, root: Path) -> SiteFeed:
        stored = self.cache.lookup(root, self.now)
        if stored is not None:
            try:
                view = SiteFeed.empty(root) if not stored else SiteFeed.from_data(root, stored)
                self.counts["cache hits"] += 1
                return view
            except (TypeError, ValueError, KeyError, IndexError, AttributeError):
                pass  # damaged: predicted again
        from epilint.feed.detect import feed_pages

        self.counts["detections"] += 1
        with files.recording() as inputs:
            pages = feed_pages(root)
        if not pages:
            self.cache.store(root, {}, inputs, None, None)
            return SiteFeed.empty(root)
        try:
            data, inputs, expires, clock = self._predict(root)
        except Exception as exc:  # a fault of the model: the site's feeds are unknown, the run goes on
            return SiteFeed.from_data(root, failed(pages, f"not modelled: {type(exc).__name__}: {exc}"))
        self.cache.store(root, data, inputs, expires, self.now if clock else None)
        # what a cached view would give (the same JSON round trip)
        return SiteFeed.from_data(root, json.loads(json.dumps(data)))

    def _predict(self, root: Path) -> tuple[dict[str, object], files.Inputs, float | None, bool]:
        from epilint.feed.predict import predict_site
        from epilint.feed.view import site_data

        self.counts["renders"] += 1
        moment = dt.datetime.fromtimestamp(self.now, dt.timezone.utc)
        with files.recording() as inputs:
            prediction = predict_site(root, moment)

            def template(relative: str) -> str | None:
                return files.read_text(root / relative)

            data = site_data(prediction, inputs.read, template)
        return data, inputs, prediction.next_change, prediction.clock


class LiveFeeds(Mapping[Path, SiteFeed]):
    """The sites' feeds for a long-lived linter (the editor): each site's view is taken
    from the phase when first asked for, and looked up again (the prediction cache checks
    every input it read; a changed site is predicted again) once ``recheck`` seconds have
    passed since, so a saved post or template shows in the next lint."""

    def __init__(self, phase: Phase, recheck: float = 2.0) -> None:
        self.phase = phase
        self.recheck = recheck
        self._seen: dict[Path, tuple[float, SiteFeed]] = {}

    def __getitem__(self, root: Path) -> SiteFeed:
        now = time.time()
        seen = self._seen.get(root)
        if seen is not None and now - seen[0] < self.recheck:
            return seen[1]
        self.phase.now = now
        view = self.phase.site(root)
        self.phase.cache.save()
        self._seen[root] = (now, view)
        return view

    def __iter__(self) -> Iterator[Path]:
        return iter(self._seen)

    def __len__(self) -> int:
        return len(self._seen)
