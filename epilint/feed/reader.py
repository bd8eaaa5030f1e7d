"""Jekyll's reader for what feeds need (jekyll-4.3.1): ``Reader#read_directories`` and
``get_entries`` (reader.rb), ``EntryFilter#filter`` (entry_filter.rb),
``PostReader#read_publishable`` and ``Publisher`` (readers/post_reader.rb, publisher.rb),
``PageReader``, ``Collection#read`` (collection.rb), ``Document#read`` with its
``merge_data!``, ``merge_date!``, ``categories_from_path``, ``populate_title``,
``populate_categories``, ``populate_tags`` (document.rb), ``Site#limit_posts!``."""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
import re
import stat
from pathlib import Path

from epilint.feed import rubytime
from epilint.feed.config import Config, deep_merge
from epilint.feed.files import looked, read_text, split_front_matter
from epilint.feed.jekyll_site import MAX_FILES, Document, Layout, Page, Site, _as_array, _walk
from epilint.feed.values import RubyTime, to_s

_YAML_HEADER = re.compile(rb"\A---\s*\r?\n")
_SPECIAL = (".", "_", "#", "~")
#: document.rb: DATE_FILENAME_MATCHER (on the base name: see epilint.posts).
_DATE_NAME = re.compile(r"(?:.+/)*?([0-9]{2,4}-[0-9]{1,2}-[0-9]{1,2})-([^/]*)(\.[^.]+)\Z")
_DATELESS_NAME = re.compile(r"(?:.+/)*?([^/]*)(\.[^.]+)\Z")
#: The destination folder of a default build.
_ALWAYS_EXCLUDED = ("_site",)


class Reader:
    """``Reader#read`` for what feeds need: pages, posts, collections, layouts."""

    def __init__(self, site: Site, documents: bool = True) -> None:
        self.site = site
        #: False: pages and layouts only (which pages are feeds, without reading posts).
        self.documents = documents
        self.config = site.config
        self.include = self.config.strings("include")
        self.exclude = tuple(e for e in self.config.strings("exclude") if e not in self.include)
        self.budget = MAX_FILES

    def read(self) -> None:
        posts: list[Document] = []
        if self.config.get("show_drafts"):
            self.site.problems.append("show_drafts: drafts (dated by file times) are not modelled")
        self._read_directories("", posts)
        posts = [doc for doc in posts if self._publishable_post(doc)]
        posts.sort(key=_order_key, reverse=True)
        limit = self.config.get("limit_posts")
        if isinstance(limit, int) and not isinstance(limit, bool) and limit > 0:
            posts = posts[:limit]
        self.site.collections["posts"] = posts
        for label, meta in self.config.collections.items():
            if label == "posts" or not self.documents:
                continue
            self.site.collections[label] = self._read_collection(label, meta)
        self._read_layouts()

    # --- EntryFilter --------------------------------------------------------------------

    def _glob_include(self, patterns: tuple[str, ...], entry: str, is_dir: bool) -> bool:
        for pattern in patterns:
            pat = pattern.lstrip("/") if pattern.startswith("/") else pattern
            if fnmatch.fnmatchcase(entry, pat):  # File.fnmatch? without flags: `*` crosses `/`
                return True
            if entry.startswith(pat):
                return True
            if is_dir and pat == entry + "/":
                return True
        return False

    def _keep(self, relative: str, is_dir: bool) -> bool:
        """``EntryFilter#filter`` for one entry (its path relative to the source)."""
        base = relative.rsplit("/", 1)[-1]
        if base.endswith("."):
            return False
        included = self._glob_include(self.include, relative, is_dir) or self._glob_include(
            self.include, base, is_dir
        )
        excluded = self._glob_include(self.exclude, relative, is_dir)
        if excluded and not included:
            return False
        if included:
            return True
        return not (base.startswith(_SPECIAL) or base.endswith("~"))

    def _entries(self, folder: str) -> list[tuple[str, bool]]:
        path = self.site.root / folder if folder else self.site.root
        looked(path)
        try:
            names = sorted(os.listdir(path))
        except OSError:
            return []
        found: list[tuple[str, bool]] = []
        for name in names:
            self.budget -= 1
            if self.budget < 0:
                self.site.problems.append(f"more than {MAX_FILES} files: the rest were not read")
                return found
            full = path / name
            if full.is_symlink():
                continue  # never followed (Jekyll reads links inside the site; the model does not)
            found.append((name, full.is_dir()))
        return found

    # --- Reader#read_directories --------------------------------------------------------

    def _read_directories(self, folder: str, posts: list[Document]) -> None:
        entries = self._entries(folder)
        dirs: list[str] = []
        for name, is_dir in entries:
            relative = f"{folder}/{name}" if folder else name
            if relative in _ALWAYS_EXCLUDED or not self._keep(relative, is_dir):
                continue
            if is_dir:
                dirs.append(relative)
            elif _has_yaml_header(self.site.root / relative):
                self._read_page(relative)
            else:
                self.site.static_files.append(relative)
        if self.documents:
            self._read_posts(folder, posts)
        for sub in dirs:
            self._read_directories(sub, posts)

    def _read_page(self, relative: str) -> None:
        text = read_text(self.site.root / relative)
        if text is None:
            self.site.problems.append(f"{relative}: not read (unreadable, not UTF-8 or too large)")
            return
        split = split_front_matter(text, self.site.zone)
        data = split.data if split.data is not None else {}
        defaults = self.site.defaults_for(relative, "pages")
        merged = deep_merge(defaults, data)
        # PageReader#read keeps the pages Publisher#publish? accepts: `published` absent
        # is true; nil or false is not written
        if merged.get("published", True) in (None, False) and not self.config.get("unpublished"):
            return
        page = Page(self.site, relative, merged, split.body, split.body_line, split.problem)
        self.site.pages.append(page)

    def _read_posts(self, folder: str, posts: list[Document]) -> None:
        """``Reader#retrieve_posts``: ``_posts`` of this folder, unless a ``collections_dir``
        is set and the folder is outside it (``outside_configured_directory?``)."""
        collections_dir = to_s(self.config.get("collections_dir")).strip("/")
        if collections_dir and not (folder + "/").startswith(collections_dir + "/"):
            return
        magic = f"{folder}/_posts" if folder else "_posts"
        base = self.site.root / magic
        if not base.is_dir() or base.is_symlink():
            return
        for entry in self._all_files(magic):
            if not _DATE_NAME.match(entry):
                continue
            relative = f"{magic}/{entry}"
            doc = self._read_document(relative, "posts", categories_from=folder)
            if doc is not None:
                posts.append(doc)

    def _all_files(self, folder: str) -> list[str]:
        """``Reader#get_entries``: files below ``folder``, filtered per entry."""
        found: list[str] = []
        stack = [""]
        while stack:
            sub = stack.pop()
            here = f"{folder}/{sub}" if sub else folder
            for name, is_dir in self._entries(here):
                entry = f"{sub}/{name}" if sub else name
                if not self._keep_inner(folder, entry, is_dir):
                    continue
                if is_dir:
                    stack.append(entry)
                else:
                    found.append(entry)
        return sorted(found)

    def _keep_inner(self, folder: str, entry: str, is_dir: bool) -> bool:
        """EntryFilter with the entry relative to ``folder`` (its base directory)."""
        base = entry.rsplit("/", 1)[-1]
        if base.endswith("."):
            return False
        included = self._glob_include(self.include, entry, is_dir) or self._glob_include(
            self.include, base, is_dir
        )
        if self._glob_include(self.exclude, f"{folder}/{entry}", is_dir) and not included:
            return False
        if included:
            return True
        special = entry.startswith(_SPECIAL) or base.startswith(_SPECIAL)
        return not (special or base.endswith("~"))

    def _read_document(self, relative: str, label: str, categories_from: str | None) -> Document | None:
        """``Document.new`` + ``Document#read`` (+ ``categories_from_path`` for posts)."""
        site = self.site
        path = site.root / relative
        text = read_text(path)
        if text is None:
            site.problems.append(f"{relative}: not read (unreadable, not UTF-8 or too large)")
            return None
        doc = Document(site, relative, label, {}, "", 1)
        if categories_from is not None:
            superdirs = [c for c in categories_from.split("/") if c and c != "_posts"]
            self._merge(doc, {"categories": superdirs})
        defaults = site.defaults_for(relative, label)
        if defaults:
            self._merge(doc, defaults, "front matter defaults")
        doc.default_keys = frozenset(defaults)
        split = split_front_matter(text, site.zone)
        doc.body, doc.body_line = split.body, split.body_line
        if split.data is None:
            doc.problem = split.problem
            return doc  # Document#read rescued the error: no post data populated
        self._merge(doc, split.data)
        doc.own_keys = frozenset(split.data)
        self._populate_title(doc)
        self._populate_categories(doc)
        tags = _pluralized(doc.data, "tag", "tags")
        doc.data["tags"] = _flatten(tags)
        return doc

    def _merge(self, doc: Document, other: dict[str, object], source: str = "YAML front matter") -> None:
        """``Document#merge_data!``: categories merged, deep merge, date re-parsed."""
        other = dict(other)
        if other.get("categories") is not None:
            categories = other["categories"]
            if isinstance(categories, str):
                categories = categories.split()
            current = doc.data.get("categories")
            if isinstance(current, list) and isinstance(categories, list):
                categories = current + [c for c in categories if c not in current]
            other["categories"] = categories
        doc.data = deep_merge(doc.data, other)
        if "date" in doc.data:
            self._parse_date(doc, source)

    def _parse_date(self, doc: Document, source: str) -> None:
        """``Utils.parse_date(data["date"].to_s)``: ``Time.parse(...).localtime``; a date
        Ruby refuses raises ``InvalidDateError``, which stops the build."""
        value = doc.data["date"]
        text = to_s(value)
        try:
            parsed = rubytime.parse(text, self.site.zone)
        except rubytime.InvalidTime:
            if self.site.fatal is None:
                self.site.fatal = (
                    f"Invalid date '{text}': Document '{doc.relative_path}' does not have a valid date "
                    f"in the {source}."
                )
            doc.data["date"] = None
            doc.date_unknown = f"the date `{text}` is invalid"
            return
        if parsed is None:
            doc.date_unknown = f"the date `{text}` (Time.parse of this shape is not modelled)"
            doc.data["date"] = None
            return
        doc.data["date"] = parsed.localtime(self.site.zone)
        doc.date_unknown = None

    def _populate_title(self, doc: Document) -> None:
        match = _DATE_NAME.match(doc.relative_path)
        slug: str | None = None
        ext: str | None = None
        if match is not None:
            day, slug, ext = match.groups()
            date = doc.data.get("date")
            same_as_now = isinstance(date, RubyTime) and date.epoch == self.site.time.epoch
            if (not date or same_as_now) and doc.date_unknown is None:
                self._merge(doc, {"date": day}, "filename")
        else:
            plain = _DATELESS_NAME.match(doc.relative_path)
            if plain is not None:
                slug, ext = plain.groups()
        if slug is None:
            slug = doc.basename_without_ext
        slug = slug.rstrip(".")
        # `||=`: only nil and false are replaced (an empty string stays)
        if doc.data.get("title") in (None, False):
            doc.data["title"] = " ".join(part.capitalize() for part in slug.split("-"))
        if doc.data.get("slug") in (None, False):
            doc.data["slug"] = slug
        if doc.data.get("ext") in (None, False):
            doc.data["ext"] = ext

    def _populate_categories(self, doc: Document) -> None:
        categories = _as_array(doc.data.get("categories")) + _pluralized(doc.data, "category", "categories")
        flat = _flatten([c if isinstance(c, list) else to_s(c) for c in categories])
        unique: list[object] = []
        for item in flat:
            if item not in unique:
                unique.append(item)
        doc.data = deep_merge(doc.data, {"categories": unique})

    def _publishable_post(self, doc: Document) -> bool:
        """``Publisher#publish?``: ``published`` truthy (absent = true), not in the future."""
        published = doc.data.get("published", True)
        if (published is None or published is False) and not self.config.get("unpublished"):
            return False
        if self.config.get("future") is True:
            return True
        if doc.date_unknown is not None or doc.date.epoch <= self.site.time.epoch:
            return True
        when = doc.date.instant.timestamp()
        site = self.site
        site.next_change = when if site.next_change is None else min(site.next_change, when)
        return False

    def _read_collection(self, label: str, meta: dict[str, object]) -> list[Document]:
        """``Collection#read``: documents (files with front matter), sorted ascending."""
        folder = self.site.collection_folder(label)
        base = self.site.root / folder
        if not base.is_dir() or base.is_symlink():
            return []
        docs: list[Document] = []
        for entry in self._all_files(folder):
            relative = f"{folder}/{entry}"
            if not _has_yaml_header(self.site.root / relative):
                continue
            doc = self._read_document(relative, label, None)
            if doc is None:
                continue
            if self.config.get("unpublished") or doc.data.get("published", True) is not False:
                docs.append(doc)
        sort_by = meta.get("sort_by")
        if isinstance(sort_by, str):
            self.site.problems.append(f"collection `{label}` sorted by `{sort_by}`: order not modelled")
        docs.sort(key=_order_key)
        return docs

    def _read_layouts(self) -> None:
        folder = to_s(self.config.get("layouts_dir")) or "_layouts"
        base = self.site.inside(folder)
        if base is None or not base.is_dir():
            return
        for entry in self._all_layout_files(folder):
            relative = f"{folder}/{entry}"
            text = read_text(self.site.root / relative)
            if text is None:
                continue
            split = split_front_matter(text, self.site.zone)
            stem = entry.rsplit(".", 1)[0] if "." in entry.rsplit("/", 1)[-1] else entry
            self.site.layouts[stem] = Layout(stem, relative, split.data or {}, split.body, split.body_line)

    def _all_layout_files(self, folder: str) -> list[str]:
        found: list[str] = []
        for relative in _walk(self.site.root / folder, limit=MAX_FILES):
            found.append(relative)
        return found


def _has_yaml_header(path: Path) -> bool:
    """``Utils.has_yaml_header?``: the first line is ``---`` (trailing space allowed).
    Only regular files are opened (never a FIFO or a device)."""
    looked(path)
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return False
        with open(path, "rb") as handle:
            return bool(_YAML_HEADER.match(handle.read(512)))
    except OSError:
        return False


def _pluralized(data: dict[str, object], singular: str, plural: str) -> list[object]:
    """``Utils.pluralized_array_from_hash``."""
    value: object = data.get(singular) if singular in data else None
    if value is None and plural in data:
        found = data[plural]
        if isinstance(found, str):
            value = found.split()
        elif isinstance(found, list):
            value = [v for v in found if v is not None]
    return [v for v in _flatten([value]) if v is not None]


def _flatten(items: list[object]) -> list[object]:
    out: list[object] = []
    for item in items:
        if isinstance(item, list):
            out.extend(_flatten(item))
        else:
            out.append(item)
    return out


def _order_key(doc: Document) -> tuple[float, str]:
    """``Document#<=>``: date, then absolute path."""
    date = doc.data.get("date")
    when = date.instant.timestamp() if isinstance(date, RubyTime) else doc.site.time.instant.timestamp()
    return (when, str(doc.path))


def read_site(
    root: Path,
    now: dt.datetime,
    machine_zone: dt.tzinfo = dt.timezone.utc,
    config_files: tuple[Path, ...] | None = None,
    *,
    documents: bool = True,
) -> Site:
    """Read the site at ``root`` as ``jekyll build`` would at the instant ``now``
    (``documents`` False: without posts and collections)."""
    config = Config.load(root, machine_zone, config_files)
    site = Site(root, config, RubyTime(now.astimezone(config.zone)))
    if config.problem:
        site.problems.append(config.problem)
    config_time = config.get("time")
    if config_time is not None:
        try:
            parsed = rubytime.parse(to_s(config_time), config.zone)
        except rubytime.InvalidTime:
            site.fatal = f"Invalid date '{to_s(config_time)}' for `time` in _config.yml"
            parsed = None
        if parsed is not None:
            site.time = parsed.localtime(config.zone)
        elif site.fatal is None:
            site.problems.append(f"`time: {to_s(config_time)}`: Time.parse of this shape is not modelled")
    Reader(site, documents).read()
    return site
