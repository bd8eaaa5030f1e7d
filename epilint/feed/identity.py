"""Published episodes keep their identity: a site's feed items at a base commit against now.

Podcast apps know an episode by its ``<guid>`` (without one, by its enclosure URL): a
published episode whose guid changes is a new episode to every subscriber. On a Jekyll
site the guid is usually made from the post's URL, so a renamed post file, an edited
``permalink:``, another ``url`` in ``_config.yml`` or an edited feed template gives
episodes a new identity without anyone touching a guid.

``snapshot`` reduces a feed prediction to what identity needs (per item its guid, link and
enclosure URL with the keys, site keys and template line behind each; the episodes' own
front-matter values, the configuration and the feed templates as fingerprints), a form
that is kept between runs (``to_data``/``from_data``). ``compare`` matches the episodes
published at the base with today's items and says, for each change, what caused it:

* ``key``: a front-matter key of the post (``permalink``, ``guid``, ``slug``, ``date``…);
* ``rename``: the post's file was renamed (its URL comes from the file name);
* ``config``: a ``_config.yml`` key (``url``, ``baseurl``, ``permalink``, ``defaults``…);
* ``template``: the template line that writes the value changed;
* ``deleted``, ``unpublished``, ``future``: the episode left the feed with its post;
* ``skipped``: the post is still published but the feed leaves it out now;
* ``unknown``: the value changed and none of the above explains it.

``reports`` turns the changes into findings-to-be: one per episode for causes in the
post, and ONE per cause for causes shared by many episodes (a config key, a template
line, posts deleted), with every episode it moves. Nothing here reads git, renders Liquid
or knows about the linter.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from epilint.feed.config import Config
from epilint.feed.files import read_text, split_front_matter
from epilint.feed.records import FeedElement, FeedItem, FeedPrediction, FeedValue
from epilint.feed.values import ruby_inspect, to_s
from epilint.model import Edit, Span
from epilint.read import yaml11
from epilint.read.document import Document

VERSION = 2
#: Codes of the findings (shared/spec/RULES.md).
GUID_CHANGED, URL_CHANGED, REMOVED = "FD100", "FD101", "FD102"
#: The elements compared, as messages name them.
GUID, LINK, ENCLOSURE = "guid", "link", "enclosure url"
#: Causes that sit in one shared file and may move many episodes at once.
SHARED_CAUSES = frozenset({"config", "template", "deleted", "unknown"})
#: Configuration keys behind a post's URL (``Document#url``: the collection's URL
#: template, the date in the site's zone, front-matter defaults).
URL_CONFIG = ("permalink", "collections", "timezone", "defaults", "collections_dir")
DATE_CONFIG = ("timezone", "defaults")
#: Configuration keys behind a ``site.KEY`` read besides KEY itself
#: (jekyll-github-metadata fills ``github``, ``url``, ``baseurl`` and ``title``).
RELATED_CONFIG: dict[str, tuple[str, ...]] = {
    "github": ("github", "repository", "plugins", "gems"),
    "url": ("url", "plugins", "gems"),
    "baseurl": ("baseurl", "plugins", "gems"),
}
_TOKEN = re.compile("\ue010[0-9]+\ue011")


def fingerprint(value: object) -> str:
    """A short digest of a Ruby value as Ruby inspects it (unknown parts alike)."""
    text = _TOKEN.sub("\ue010?\ue011", ruby_inspect(value))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


# -- records ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """A guid, link or enclosure URL as the feed holds it, and what made it."""

    #: The exact text (None when the model cannot know it).
    text: str | None
    #: Front-matter keys of the post it came from (``permalink`` behind ``post.url``...).
    keys: tuple[str, ...]
    #: Fields Jekyll computes that it read (``url``, ``date``, ``id``...).
    computed: tuple[str, ...]
    #: ``site.KEY`` keys it read.
    site_keys: tuple[str, ...]
    #: Keys of its own post it asked for, written or not (``post.guid`` → ``guid``).
    reads: tuple[str, ...]
    expressions: tuple[str, ...]
    template: str
    line: int
    #: The template's text at ``line`` (stripped): what tells an edited template line.
    source: str


@dataclass(frozen=True)
class Episode:
    """One ``<item>`` of one feed."""

    feed: str
    post: str | None
    #: The post's date (POSIX time), when known.
    date: float | None
    title: str | None
    guid: Value | None
    link: Value | None
    enclosure: Value | None
    template: str
    line: int

    def value(self, element: str) -> Value | None:
        return {GUID: self.guid, LINK: self.link, ENCLOSURE: self.enclosure}[element]

    @property
    def identity(self) -> tuple[str, str | None] | None:
        """What apps know the episode by: (``guid``, text) when it has a non-empty guid,
        else (``enclosure url``, text); None when it has neither."""
        if self.guid is not None and (self.guid.text is None or self.guid.text.strip()):
            return GUID, _strip(self.guid.text)
        if self.enclosure is not None:
            return ENCLOSURE, _strip(self.enclosure.text)
        return None

    @property
    def name(self) -> str:
        """How messages name the episode: its title, else its post."""
        return self.title or self.post or f"the item at {self.template} line {self.line}"


@dataclass(frozen=True)
class Snapshot:
    """What identity needs of a site's feeds at one point (a commit, the working tree)."""

    episodes: tuple[Episode, ...]
    #: The episodes' posts: each own front-matter key's fingerprint.
    posts: Mapping[str, Mapping[str, str]]
    #: ``_config.yml`` over Jekyll's defaults: each top-level key's fingerprint.
    config: Mapping[str, str]
    #: Each feed template file's digest (pages, layouts, includes).
    templates: Mapping[str, str]
    #: Documents Jekyll publishes, and posts it read but left out (why).
    documents: frozenset[str]
    left_out: Mapping[str, str]
    #: Feed pages that could not be rendered (then their items are not compared).
    failed: tuple[str, ...] = ()
    #: False when a document's date is unknown (the feeds' order, so their items, may not be).
    order_known: bool = True
    #: The configuration's short scalar values as Ruby prints them (what messages quote).
    config_shown: Mapping[str, str] = field(default_factory=dict)


def _strip(text: str | None) -> str | None:
    return None if text is None else text.strip()


def _value(value: FeedValue | None, post: str | None, line_text: Callable[[str, int], str]) -> Value | None:
    if value is None:
        return None
    text = None if value.unknown is not None or value.content is not None else value.text
    reads = tuple(sorted({r.key for r in value.reads if post is not None and r.document == post}))
    return Value(
        text,
        value.keys,
        value.computed,
        value.site_keys,
        reads,
        value.expressions,
        value.template,
        value.line,
        line_text(value.template, value.line),
    )


def _attr(element: FeedElement | None, name: str) -> FeedValue | None:
    return dict(element.attrs).get(name) if element is not None else None


def episode(feed: str, item: FeedItem, date: float | None, line_text: Callable[[str, int], str]) -> Episode:
    """The identity of one predicted (or built) item."""
    guid = item.element("guid")
    link = item.element("link")
    title = item.element("title")
    title_text = title.text.text if title is not None and title.text is not None else None
    return Episode(
        feed,
        item.post,
        date,
        title_text.strip() if title_text else None,
        _value(guid.text if guid is not None else None, item.post, line_text),
        _value(link.text if link is not None else None, item.post, line_text),
        _value(_attr(item.element("enclosure"), "url"), item.post, line_text),
        item.template,
        item.line,
    )


class LazyPosts(Mapping[str, Mapping[str, str]]):
    """Posts' key fingerprints read on first use: today's side reads only the posts whose
    items changed or left the feed. Iterating gives the episodes' posts (what is kept);
    any other post can be looked up too."""

    def __init__(self, paths: frozenset[str], read: Callable[[str], Mapping[str, str] | None]) -> None:
        self._paths = paths
        self._read = read
        self._done: dict[str, Mapping[str, str] | None] = {}

    def __getitem__(self, key: str) -> Mapping[str, str]:
        if key not in self._done:
            self._done[key] = self._read(key)
        found = self._done[key]
        if found is None:
            raise KeyError(key)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(p for p in self._paths if p in self))

    def __len__(self) -> int:
        return sum(1 for _ in self)


def snapshot(
    prediction: FeedPrediction,
    *,
    post_keys: Callable[[str], Mapping[str, str] | None],
    config: Mapping[str, str],
    read_template: Callable[[str], str | None],
    config_shown: Mapping[str, str] | None = None,
) -> Snapshot:
    """The identity of every item of ``prediction``. ``post_keys(path)`` gives a post's
    own front-matter keys' fingerprints (read lazily); ``config`` the configuration's;
    ``read_template`` a template file's text (site-relative path)."""
    texts: dict[str, list[str] | None] = {}

    def lines(template: str) -> list[str] | None:
        if template not in texts:
            text = read_template(template)
            texts[template] = None if text is None else text.splitlines()
        return texts[template]

    def line_text(template: str, line: int) -> str:
        found = lines(template)
        return found[line - 1].strip() if found is not None and 0 < line <= len(found) else ""

    dates = dict(prediction.dates)
    episodes: list[Episode] = []
    failed: list[str] = []
    templates: dict[str, str] = {}
    for feed in prediction.feeds:
        for template in feed.templates:
            text = read_template(template)
            templates[template] = "" if text is None else _digest(text)
        if feed.error is not None:
            failed.append(f"{feed.output}: {feed.error}")
            continue
        for item in feed.items:
            date = dates.get(item.post) if item.post is not None else None
            episodes.append(episode(feed.output, item, date, line_text))
    paths = frozenset(e.post for e in episodes if e.post is not None)
    return Snapshot(
        tuple(episodes),
        LazyPosts(paths, post_keys),
        dict(config),
        templates,
        frozenset(prediction.documents),
        dict(prediction.left_out),
        tuple(failed),
        all(feed.order_known for feed in prediction.feeds),
        dict(config_shown or {}),
    )


#: Longest configuration value a snapshot keeps to quote.
SHOWN = 200


def _shown(value: object) -> str | None:
    """A scalar configuration value as Ruby prints it, when short."""
    if isinstance(value, (dict, list)) or value is None:
        return None
    text = to_s(value)
    return text if len(text) <= SHOWN and not _TOKEN.search(text) else None


def read_posts(root: Path, zone: dt.tzinfo) -> Callable[[str], Mapping[str, str] | None]:
    """A reader of posts' own front-matter key fingerprints (``post_keys``) below ``root``."""

    def post_keys(path: str) -> Mapping[str, str] | None:
        text = read_text(root / path)
        if text is None:
            return None
        data = split_front_matter(text, zone).data
        return {str(k): fingerprint(v) for k, v in (data or {}).items()}

    return post_keys


def read_snapshot(
    prediction: FeedPrediction, root: Path, config_files: tuple[Path, ...] | None = None
) -> Snapshot:
    """``snapshot`` of the site at ``root`` as its files are now: each post's front
    matter and the configuration read as Jekyll reads them (bounded, never through a
    symlink), templates as text."""
    config = Config.load(root, dt.timezone.utc, config_files)
    shown = {str(k): text for k, v in config.data.items() if (text := _shown(v)) is not None}
    return snapshot(
        prediction,
        post_keys=read_posts(root, config.zone),
        config={str(k): fingerprint(v) for k, v in config.data.items()},
        read_template=lambda relative: read_text(root / relative),
        config_shown=shown,
    )


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


# -- kept between runs ------------------------------------------------------------------


def _value_data(value: Value | None) -> list[Any] | None:
    if value is None:
        return None
    return [
        value.text, list(value.keys), list(value.computed), list(value.site_keys), list(value.reads),
        list(value.expressions), value.template, value.line, value.source,
    ]  # fmt: skip


def _value_from(data: Any) -> Value | None:
    if data is None:
        return None
    text, keys, computed, site_keys, reads, expressions, template, line, source = data
    return Value(
        None if text is None else str(text),
        tuple(map(str, keys)),
        tuple(map(str, computed)),
        tuple(map(str, site_keys)),
        tuple(map(str, reads)),
        tuple(map(str, expressions)),
        str(template),
        int(line),
        str(source),
    )


def to_data(shot: Snapshot, *, posts: bool = True) -> dict[str, Any]:
    """``shot`` as JSON data: every lazy post read, or (``posts`` False: today's side,
    whose posts are read from the working tree when compared) none."""
    return {
        "version": VERSION,
        "episodes": [
            [
                e.feed,
                e.post,
                e.date,
                e.title,
                _value_data(e.guid),
                _value_data(e.link),
                _value_data(e.enclosure),
                e.template,
                e.line,
            ]
            for e in shot.episodes
        ],
        "posts": {path: dict(keys) for path, keys in shot.posts.items()} if posts else None,
        "config": dict(shot.config),
        "templates": dict(shot.templates),
        "documents": sorted(shot.documents),
        "left_out": dict(shot.left_out),
        "failed": list(shot.failed),
        "order_known": shot.order_known,
        "config_shown": dict(shot.config_shown),
    }


def from_data(data: Any, posts: Mapping[str, Mapping[str, str]] | None = None) -> Snapshot:
    """The snapshot ``to_data`` made; ``posts`` when it was made without them (a
    ``LazyPosts`` over the working tree). ValueError/TypeError/KeyError on damaged data."""
    if data.get("version") != VERSION:
        raise ValueError("another version of the snapshot")
    episodes = []
    for feed, post, date, title, guid, link, enclosure, template, line in data["episodes"]:
        episodes.append(
            Episode(
                str(feed),
                None if post is None else str(post),
                None if date is None else float(date),
                None if title is None else str(title),
                _value_from(guid),
                _value_from(link),
                _value_from(enclosure),
                str(template),
                int(line),
            )
        )
    if data["posts"] is not None:
        posts = {str(p): {str(k): str(v) for k, v in keys.items()} for p, keys in data["posts"].items()}
    elif posts is None:
        raise ValueError("a snapshot without its posts")
    return Snapshot(
        tuple(episodes),
        posts,
        {str(k): str(v) for k, v in data["config"].items()},
        {str(k): str(v) for k, v in data["templates"].items()},
        frozenset(map(str, data["documents"])),
        {str(k): str(v) for k, v in data["left_out"].items()},
        tuple(map(str, data["failed"])),
        bool(data["order_known"]),
        {str(k): str(v) for k, v in data["config_shown"].items()},
    )


# -- comparing --------------------------------------------------------------------------


@dataclass(frozen=True)
class Cause:
    """What made a change, and where it is reported."""

    kind: str
    #: The site-relative file that holds the cause: the post (today's path), ``_config.yml``,
    #: the template, the feed page.
    path: str
    #: The front-matter or configuration key, when the cause is one.
    key: str | None = None
    #: The template line (``template``, ``deleted``, ``unknown``: the feed's item line).
    line: int = 0
    #: ``rename``: the post's path at the base.
    old_path: str | None = None

    @property
    def shared(self) -> bool:
        return self.kind in SHARED_CAUSES


@dataclass(frozen=True)
class Change:
    """One element of one episode published at the base that is not what it was."""

    #: ``guid``, ``link``, ``enclosure url``; ``removed`` for an episode gone from the feed.
    element: str
    base: Episode
    current: Episode | None
    old: str | None
    new: str | None
    cause: Cause
    #: The element is (or was) what apps know the episode by, and that changed.
    identity: bool = False


@dataclass(frozen=True)
class Report:
    """A finding-to-be: one cause and the episodes it changes.

    ``changes`` holds, per episode, every element the cause changed (the identity one
    first); a shared cause holds all its episodes, a cause in a post that post's."""

    code: str
    cause: Cause
    changes: tuple[Change, ...]

    @property
    def episodes(self) -> tuple[Episode, ...]:
        """The base episodes, each once, in order."""
        seen: dict[tuple[str, str | None, int], Episode] = {}
        for change in self.changes:
            key = (change.base.feed, change.base.post, change.base.line)
            seen.setdefault(key, change.base)
        return tuple(seen.values())

    @property
    def count(self) -> int:
        return len({(c.base.post or c.base.name) for c in self.changes})


@dataclass(frozen=True)
class Outcome:
    """What ``compare`` found, and what it could not compare."""

    changes: tuple[Change, ...]
    #: Why some or all items were not compared (a feed that could not be predicted...).
    problems: tuple[str, ...] = ()
    #: How many episodes were published at the base, and how many of them were compared.
    published: int = 0
    matched: int = 0
    renamed: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def published(shot: Snapshot, now: float) -> list[Episode]:
    """The base's episodes that listeners have: items dated at or before ``now``."""
    return [e for e in shot.episodes if e.date is None or e.date <= now]


def compare(
    base: Snapshot,
    current: Snapshot,
    now: float,
    renames: Mapping[str, str] | None = None,
    exists: Callable[[str], bool] | None = None,
) -> Outcome:
    """Every change to an episode published at ``base`` (its guid, link, enclosure URL,
    or its presence) in ``current``. ``renames`` maps base post paths to today's (git's
    rename detection); ``exists(path)`` tells whether a post file exists today."""
    renames = dict(renames or {})
    exists = exists or (lambda path: path in current.documents or path in current.left_out)
    problems = [f"at the base: {p}" for p in base.failed] + [f"now: {p}" for p in current.failed]
    failed_now = {p.split(":", 1)[0] for p in current.failed}
    failed_base = {p.split(":", 1)[0] for p in base.failed}
    feeds_now = {e.feed for e in current.episodes} | failed_now
    by_post: dict[tuple[str, str], Episode] = {}
    for item in current.episodes:
        if item.post is not None:
            by_post.setdefault((item.feed, item.post), item)
    base_posts = {e.post for e in base.episodes if e.post is not None}
    claimed: set[tuple[str, str | None, int]] = set()
    pairs: list[tuple[Episode, Episode | None]] = []
    listened = published(base, now)
    for old in listened:
        if old.feed in failed_base:
            continue
        found: Episode | None = None
        if old.post is not None:
            target = renames.get(old.post, old.post)
            found = by_post.get((old.feed, target))
        if found is None:
            found = next(
                (
                    c
                    for c in current.episodes
                    if c.feed == old.feed
                    and (c.feed, c.post, c.line) not in claimed
                    and (c.post is None or c.post not in base_posts)
                    and _same_episode(old, c)
                ),
                None,
            )
            if found is not None and old.post is not None and found.post is not None:
                renames.setdefault(old.post, found.post)
        if found is not None:
            claimed.add((found.feed, found.post, found.line))
        pairs.append((old, found))
    changes: list[Change] = []
    matched = 0
    # where today's feed writes its items (deleted posts are reported there)
    sites: dict[str, tuple[str, int]] = {}
    for item in current.episodes:
        sites.setdefault(item.feed, (item.template, item.line))
    for old, new in pairs:
        if new is None:
            if old.feed in failed_now or (old.feed not in feeds_now and current.failed):
                continue  # today's feed could not be predicted: nothing to compare with
            site = sites.get(old.feed, (old.template, old.line))
            removed = _removed(base, current, old, renames, exists, site=site)
            if removed is not None:
                changes.append(removed)
            continue
        matched += 1
        changes.extend(_changed(base, current, old, new))
    renamed = tuple(sorted((a, b) for a, b in renames.items() if a != b and a in base_posts))
    return Outcome(tuple(changes), tuple(problems), len(listened), matched, renamed)


def _same_episode(old: Episode, new: Episode) -> bool:
    """An item of a post that was not there at the base is the base's episode moved: the
    same audio file, or the same title and date."""
    if old.enclosure is not None and new.enclosure is not None:
        a, b = _strip(old.enclosure.text), _strip(new.enclosure.text)
        if a and a == b:
            return True
    return bool(old.title and old.title == new.title and old.date is not None and old.date == new.date)


def _changed(base: Snapshot, current: Snapshot, old: Episode, new: Episode) -> list[Change]:
    was, now = old.identity, new.identity
    # an unknown identity on either side tells nothing; a guid that appears or goes, or
    # another text, is a new identity
    unknown = (was is not None and was[1] is None) or (now is not None and now[1] is None)
    moved = was != now and not unknown
    kinds = {x[0] for x in (was, now) if x is not None} if moved else set()
    found: list[Change] = []
    for element in (GUID, LINK, ENCLOSURE):
        before, after = old.value(element), new.value(element)
        a = _strip(before.text) if before is not None else None
        b = _strip(after.text) if after is not None else None
        if before is not None and after is not None and (a is None or b is None):
            continue  # unknown on one side: nothing can be told
        if (a or "") == (b or ""):
            continue  # an element with nothing in it is no value (an empty <guid/> is none)
        cause = _cause(base, current, old, new, element)
        found.append(Change(element, old, new, a, b, cause, element in kinds))
    return found


def _post_keys(shot: Snapshot, post: str | None) -> Mapping[str, str] | None:
    if post is None:
        return None
    try:
        return shot.posts[post]
    except KeyError:
        return None


def _key_order(key: str) -> tuple[int, str]:
    first = ("guid", "permalink", "slug", "date", "categories", "category", "title")
    return (first.index(key) if key in first else len(first), key)


def _cause(base: Snapshot, current: Snapshot, old: Episode, new: Episode, element: str) -> Cause:
    before, after = old.value(element), new.value(element)
    values = [v for v in (before, after) if v is not None]
    post = new.post or old.post
    keys = {k for v in values for k in (*v.keys, *v.reads)}
    old_keys = _post_keys(base, old.post) or {}
    new_keys = _post_keys(current, new.post) or {}
    # 1. a key written in the post
    if post is not None and new.post is not None:
        for key in sorted(keys, key=_key_order):
            if (key in old_keys or key in new_keys) and old_keys.get(key) != new_keys.get(key):
                return Cause("key", new.post, key)
    # 2. the post's file was renamed
    if old.post is not None and new.post is not None and old.post != new.post:
        return Cause("rename", new.post, old_path=old.post)
    # 3. a configuration key
    config = _config_keys(values, keys - set(old_keys) - set(new_keys))
    for key in config:
        if base.config.get(key) != current.config.get(key):
            return Cause("config", "_config.yml", key)
    # 4. the template line that writes it
    if after is not None and (
        before is None
        or before.source != after.source
        or before.expressions != after.expressions
        or before.template != after.template
    ):
        return Cause("template", after.template, line=after.line)
    if after is None and before is not None:
        return Cause("template", new.template, line=new.line)
    return Cause("unknown", new.template, line=new.line)


def _config_keys(values: list[Value], defaulted: set[str]) -> list[str]:
    """The configuration keys that can make these values, most likely first."""
    found: list[str] = []
    for value in values:
        for key in value.site_keys:
            found.extend(RELATED_CONFIG.get(key, (key,)))
        if {"url", "id"} & set(value.computed):
            found.extend(URL_CONFIG)
        if "date" in value.computed:
            found.extend(DATE_CONFIG)
    if defaulted:
        found.append("defaults")  # keys the post does not write come from defaults
    return list(dict.fromkeys(found))


def _removed(
    base: Snapshot,
    current: Snapshot,
    old: Episode,
    renames: Mapping[str, str],
    exists: Callable[[str], bool],
    *,
    site: tuple[str, int],
) -> Change | None:
    """Why a published episode has no item today; None when nothing changed that says
    why (it fell out of a feed that keeps only the newest posts)."""
    text = old.identity[1] if old.identity else None
    if old.post is None:
        return Change("removed", old, None, text, None, Cause("unknown", site[0], line=site[1]))
    post = renames.get(old.post, old.post)
    reason = current.left_out.get(post)
    if reason == "unpublished":
        return Change("removed", old, None, text, None, Cause("unpublished", post, "published"))
    if reason == "future":
        return Change("removed", old, None, text, None, Cause("future", post, "date"))
    if not exists(post):
        return Change("removed", old, None, text, None, Cause("deleted", site[0], line=site[1]))
    if post not in current.documents:
        return Change("removed", old, None, text, None, Cause("unknown", post))
    # still published: the feed leaves it out now
    old_keys = _post_keys(base, old.post) or {}
    new_keys = _post_keys(current, post) or {}
    for key in sorted(set(old_keys) | set(new_keys), key=_skip_order):
        if old_keys.get(key) != new_keys.get(key):
            return Change("removed", old, None, text, None, Cause("skipped", post, key))
    for key in sorted(set(base.config) | set(current.config)):
        if base.config.get(key) != current.config.get(key):
            return Change("removed", old, None, text, None, Cause("config", "_config.yml", key))
    for template in sorted(set(base.templates) | set(current.templates)):
        if base.templates.get(template) != current.templates.get(template):
            line = site[1] if template == site[0] else 0
            return Change("removed", old, None, text, None, Cause("template", template, line=line))
    if old_keys != new_keys or post != old.post:
        return Change("removed", old, None, text, None, Cause("skipped", post))
    return None


def _skip_order(key: str) -> tuple[int, str]:
    first = ("published", "categories", "category", "tags", "tag", "date", "layout")
    return (first.index(key) if key in first else len(first), key)


# -- findings ---------------------------------------------------------------------------


def reports(outcome: Outcome) -> tuple[Report, ...]:
    """The changes as findings-to-be: FD100 for an episode whose identity (guid, else
    enclosure URL) changed, FD101 for its link or enclosure URL (each for its cause), FD102
    for an episode gone. A cause in a post is one report per post (its items in every
    feed); a shared cause (a config key, a template line, deleted posts) is one report
    with all the episodes it moves."""
    merged: dict[tuple[str, Cause], list[Change]] = {}
    for change in outcome.changes:
        if change.element == "removed":
            code = REMOVED
        elif change.identity:
            code = GUID_CHANGED
        else:
            code = URL_CHANGED
        merged.setdefault((code, _place(change.cause)), []).append(change)
    out = [
        Report(code, cause, tuple(sorted(changes, key=_change_order)))
        for (code, cause), changes in merged.items()
    ]
    return tuple(sorted(out, key=lambda r: (r.code, r.cause.path, r.cause.line, r.cause.key or "")))


def _change_order(change: Change) -> int:
    """Changes of one report: per episode in feed order, the guid before the link."""
    elements = (GUID, ENCLOSURE, LINK)
    return elements.index(change.element) if change.element in elements else 3


def _place(cause: Cause) -> Cause:
    """A shared cause as one place: deleted posts of one feed are one finding."""
    if cause.kind in ("deleted", "unknown") and cause.line:
        return Cause(cause.kind, cause.path, line=cause.line)
    return cause


# -- what a run hands the rules ---------------------------------------------------------


@dataclass(frozen=True)
class FileIdentity:
    """The guard's reports made at one file of a site (``ctx.identity``)."""

    #: The base as given (``origin/main``) and the commit compared with.
    ref: str
    commit: str
    #: The file (site-relative): a post, ``_config.yml``, a template.
    path: str
    reports: tuple[Report, ...]
    #: Posts (site-relative) whose old guid a pinned ``guid:`` is proven to give back.
    pins: Mapping[str, str]
    #: The base's configuration values, as Ruby prints them (messages quote them).
    config_shown: Mapping[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """A digest of what the file's results read (the results cache keys on it)."""
        parts = [self.ref, self.commit, self.path, repr(self.reports), sorted(self.pins.items())]
        return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


@dataclass(frozen=True)
class SiteReport:
    """What the guard found for one site (``epilint/run/identity.py`` makes it)."""

    root: Path
    ref: str
    #: The commit compared with (None when there is none: ``problems`` says why).
    commit: str | None
    reports: tuple[Report, ...] = ()
    problems: tuple[str, ...] = ()
    outcome: Outcome | None = None
    pins: Mapping[str, str] = field(default_factory=dict)
    #: Whether the base's snapshot came from the cache.
    cached: bool = False
    config_shown: Mapping[str, str] = field(default_factory=dict)

    def paths(self) -> tuple[str, ...]:
        """The files reports are made at, each once."""
        return tuple(dict.fromkeys(r.cause.path for r in self.reports))

    def for_file(self, path: str) -> FileIdentity | None:
        """The reports at ``path`` (site-relative), None when the guard did not compare."""
        if self.commit is None:
            return None
        found = tuple(r for r in self.reports if r.cause.path == path)
        return FileIdentity(self.ref, self.commit, path, found, self.pins, self.config_shown)


# -- pinning ----------------------------------------------------------------------------


def pin_edit(doc: Document, key: str, value: str) -> Edit | None:
    """The edit that makes the front matter say ``key: "value"`` (its value replaced,
    else a line added at the end of the front matter), or None when the result would not
    read back as exactly ``value`` (the front matter is unusable, the key is nested...)."""
    if doc.yaml_span is None or not doc.readable:
        return None
    quoted = yaml11.double_quoted(value)
    pair = doc.fields.get(key)
    if pair is not None:
        edit = Edit(pair.value.span, quoted)
    else:
        head = doc.text[: doc.yaml_span.end]
        newline = "\r\n" if head.endswith("\r\n") else "\n"
        if not head.endswith("\n"):
            return None
        edit = Edit(Span(doc.yaml_span.end, doc.yaml_span.end), f"{key}: {quoted}{newline}")
    text = doc.text[: edit.span.start] + edit.content + doc.text[edit.span.end :]
    data = split_front_matter(text, dt.timezone.utc).data
    return edit if data is not None and data.get(key) == value else None
