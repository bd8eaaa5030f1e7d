"""The identity phase: for each site, its episodes published at the base commit against
today's feed (``epilint.feed.identity``), with what caused each change.

The base is ``--since REF`` or the configured ``identity-base``, compared as ``--since``
compares: from the merge-base of REF and HEAD. The base's feeds come from
``epilint/run/baseref.py`` (the commit's tree, predicted in a temporary folder, cached by
commit id); today's from the working tree. Git's rename detection pairs renamed posts
(committed, staged or not); a post not yet known to git is paired by its audio file, or
its title and date.

A guid pinned in the post (``guid: "<old>"``) is offered as a safe fix only where it is
proven: the site is copied to a temporary folder with every such pin written as the fix
would write it, predicted again, and a pin counts when that post's item then has its old
guid back (``SiteIdentity.pins``). The guard costs nothing when no base is set: this module
is not even imported.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

from epilint.errors import ConfigError
from epilint.feed import identity
from epilint.feed.files import read_text
from epilint.feed.records import FeedItem, FeedPrediction
from epilint.model import Edit
from epilint.read.document import Document
from epilint.run import baseref, git

SiteIdentity = identity.SiteReport


class Phase:
    """One run's identity guard. ``option`` names where the base came from in messages
    (``--since``, ``identity-base``); ``strict`` makes git problems a ConfigError (an
    explicit ``--since``) instead of a note (a configured base in a folder without it)."""

    def __init__(
        self, cache_folder: Path | None, now: float, ref: str, *, option: str = "--since", strict: bool = True
    ) -> None:
        self.cache = baseref.SnapshotCache.open(cache_folder)
        self.predictor = baseref.Predictor(self.cache, now, option)
        self.now = now
        self.ref = ref
        self.option = option
        self.strict = strict
        self.counts: Counter[str] = self.predictor.counts

    def __call__(
        self, roots: list[Path], todays: Mapping[Path, Mapping[str, object]] | None = None
    ) -> dict[Path, SiteIdentity]:
        """Each site's report; ``todays`` holds today's snapshots the feed phase made
        (JSON data without posts), by site root: a site without one is predicted here."""
        found: dict[Path, SiteIdentity] = {}
        for root in dict.fromkeys(roots):
            data = (todays or {}).get(root)
            today = None
            if data is not None:
                try:
                    today = today_snapshot(root, data)
                except (TypeError, ValueError, KeyError, IndexError, AttributeError):
                    today = None
            found[root] = self.site(root, today=today)
        self.cache.save()
        return found

    def site(
        self, root: Path, current: FeedPrediction | None = None, *, today: identity.Snapshot | None = None
    ) -> SiteIdentity:
        try:
            base = git.resolve(self.ref, root, self.option)
        except ConfigError as exc:
            if self.strict:
                raise
            return SiteIdentity(root, self.ref, None, problems=(str(exc),))
        prefix = baseref.prefix_of(root, base.root)
        if prefix is None:
            return SiteIdentity(root, self.ref, base.commit, problems=("the site is outside its repository",))
        feeds = self.predictor.site(base, prefix)
        if feeds.snapshot is None:
            return SiteIdentity(root, self.ref, base.commit, problems=(feeds.problem or "no base",))
        if today is None:
            today = identity.read_snapshot(current or self._predict(root), root)
        renames = {
            old: new
            for old, new in git.renames(base, prefix, self.option).items()
            if "_posts/" in f"/{old}" or old in feeds.snapshot.posts
        }

        def exists(path: str) -> bool:
            return os.path.isfile(root / path) and not os.path.islink(root / path)

        outcome = identity.compare(feeds.snapshot, today, self.now, renames, exists)
        reports = identity.reports(outcome)
        pins = self._prove(root, reports)
        return SiteIdentity(
            root, self.ref, base.commit, reports, outcome.problems, outcome, pins, feeds.cached,
            feeds.snapshot.config_shown,
        )  # fmt: skip

    def _predict(self, root: Path) -> FeedPrediction:
        from epilint.feed.predict import predict_site

        self.counts["current predictions"] += 1
        return predict_site(root, dt.datetime.fromtimestamp(self.now, dt.timezone.utc))

    def _prove(self, root: Path, reports: tuple[identity.Report, ...]) -> dict[str, str]:
        """The pins (post → old guid) that give each post's item its old guid back."""
        wanted = candidates(reports)
        if not wanted:
            return {}
        scratch = baseref.scratch()
        try:
            if baseref.copy_site(root, scratch) is not None:
                return {}
            for post, old in wanted.items():
                text = read_text(scratch / post)
                edit = pin_for(scratch / post, text, old) if text is not None else None
                if text is None or edit is None:
                    continue
                fixed = text[: edit.span.start] + edit.content + text[edit.span.end :]
                (scratch / post).write_text(fixed, encoding="utf-8", newline="")
            from epilint.feed.predict import predict_site

            self.counts["pin proofs"] += 1
            prediction = predict_site(scratch, dt.datetime.fromtimestamp(self.now, dt.timezone.utc))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        proven: dict[str, str] = {}
        for post, old in wanted.items():
            items = prediction.items_for(post)
            guids = {_guid(item) for _, item in items}
            if items and guids == {old}:
                proven[post] = old
        return proven


def today_snapshot(root: Path, data: Mapping[str, object]) -> identity.Snapshot:
    """Today's snapshot from the feed phase's data, its posts read from the working tree
    when compared."""
    from epilint.feed.config import Config

    zone = Config.load(root).zone
    return identity.from_data(data, identity.LazyPosts(frozenset(), identity.read_posts(root, zone)))


def candidates(reports: tuple[identity.Report, ...]) -> dict[str, str]:
    """Posts whose guid changed for a cause in the post: post → the old guid. Whether
    pinning it gives it back is for the proof to say (the template may read the key in
    a condition, print it with a prefix, or not read it at all)."""
    found: dict[str, str] = {}
    for report in reports:
        if report.code != identity.GUID_CHANGED or report.cause.shared:
            continue
        for change in report.changes:
            post = change.current.post if change.current is not None else None
            if change.element == identity.GUID and change.old and post is not None:
                found.setdefault(post, change.old)
    return found


def pin_for(path: Path, text: str, old: str) -> Edit | None:
    return identity.pin_edit(Document.parse(path, text), "guid", old)


def _guid(item: FeedItem) -> str | None:
    element = item.element("guid")
    if element is None or element.text is None or element.text.text is None:
        return None
    return element.text.text.strip()
