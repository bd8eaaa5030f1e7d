"""The site Jekyll builds from: its documents (posts and other collections), pages,
layouts, and the front-matter defaults.

Ported from Jekyll 4.3.1: ``Document#url``, ``id``, ``date`` and ``Drops::UrlDrop``
(document.rb, drops/url_drop.rb), ``Page#url`` (page.rb), ``Collection#url_template``
(collection.rb), ``FrontmatterDefaults#all`` (frontmatter_defaults.rb). Reading the site is
``epilint.feed.reader``; its configuration ``epilint.feed.config``.

Reading is bounded: files over ``MAX_FILE`` bytes or beyond ``MAX_FILES`` are not read,
symlinks are not followed, and nothing outside the site root is opened.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from epilint.feed import permalink, rubytime
from epilint.feed.config import Config, deep_merge
from epilint.feed.files import looked
from epilint.feed.values import RubyTime, to_s

MAX_FILES = 50_000
_HTML_EXTENSIONS = (".html", ".xhtml", ".htm")


@dataclass
class Document:
    """A post or another collection's document (Jekyll's ``Document``)."""

    site: Site
    relative_path: str
    collection: str
    data: dict[str, object]
    body: str
    body_line: int
    #: Front-matter keys written in the file itself (not defaults, not computed).
    own_keys: frozenset[str] = frozenset()
    default_keys: frozenset[str] = frozenset()
    problem: str | None = None
    #: The date could not be worked out (``Time.parse`` of a shape the model lacks).
    date_unknown: str | None = None

    @property
    def path(self) -> Path:
        return self.site.root / self.relative_path

    @property
    def basename(self) -> str:
        return self.relative_path.rsplit("/", 1)[-1]

    @property
    def extname(self) -> str:
        base = self.basename
        index = base.rfind(".")
        return base[index:] if index > 0 else ""

    @property
    def basename_without_ext(self) -> str:
        ext = self.extname
        return self.basename[: -len(ext)] if ext else self.basename

    @property
    def date(self) -> RubyTime:
        """``Document#date``: ``data["date"] ||= site.time``."""
        value = self.data.get("date")
        return value if isinstance(value, RubyTime) else self.site.time

    @property
    def output_ext(self) -> str:
        return self.site.output_ext(self.extname)

    @cached_property
    def url(self) -> str:
        """``Document#url``: the collection's URL template (or the front-matter permalink)
        filled from ``Drops::UrlDrop``. Raises permalink.PermalinkError."""
        link = self.data.get("permalink")
        template = self.site.url_template(self.collection)
        given = link if isinstance(link, str) else None
        if link not in (None, False) and given is None:
            raise permalink.PermalinkError(f"permalink is not a string: {to_s(link)}")
        return permalink.to_url(template, given, self.placeholders())

    def url_keys(self) -> tuple[str, ...]:
        """Front-matter keys the URL comes from: ``permalink`` when set, and the keys
        behind the placeholders of the template in use (``:title`` ← ``slug``, ``:year``
        ← ``date``, ``:categories`` ← ``category``/``categories``)."""
        written = self.own_keys | self.default_keys
        link = self.data.get("permalink")
        template = link if isinstance(link, str) else self.site.url_template(self.collection)
        found: set[str] = {"permalink"} if isinstance(link, str) and "permalink" in written else set()
        for name in re.findall(r":([a-z_]+)", template):
            if name in ("title", "slug"):
                found.add("slug")
            elif name in ("categories", "slugified_categories"):
                found.update(("category", "categories"))
            elif name not in ("output_ext", "path", "collection", "name"):
                found.add("date")
        return tuple(sorted(k for k in found if k in written))

    @property
    def id(self) -> str:
        """``Document#id``: ``File.join(File.dirname(url), slug)``."""
        url = self.url.rstrip("/") or "/"
        folder = url.rsplit("/", 1)[0] if "/" in url.lstrip("/") else "/"
        slug = self.data.get("slug")
        name = to_s(slug) if slug is not None else self.basename_without_ext
        return folder.rstrip("/") + "/" + name.lstrip("/")

    @property
    def cleaned_relative_path(self) -> str:
        ext = self.extname
        stem = self.relative_path[: -len(ext)] if ext else self.relative_path
        folder = self.site.collection_folder(self.collection)
        stem = stem.replace(folder, "", 1)
        return stem.rstrip(".")

    def placeholders(self) -> dict[str, Callable[[], str | None]]:
        """``Drops::UrlDrop`` (drops/url_drop.rb)."""
        data = self.data

        def strf(fmt: str) -> Callable[[], str | None]:
            return lambda: rubytime.strftime(self.date, fmt)

        def slug_value() -> str | None:
            slug = data.get("slug")
            if slug is not None and not isinstance(slug, str):
                raise permalink.PermalinkError("slug is not a string")
            return permalink.slugify(slug) or permalink.slugify(self.basename_without_ext)

        def title_value() -> str | None:
            slug = data.get("slug")
            if slug is not None and not isinstance(slug, str):
                raise permalink.PermalinkError("slug is not a string")
            return permalink.slugify(slug, "pretty", True) or permalink.slugify(
                self.basename_without_ext, "pretty", True
            )

        def categories() -> str:
            seen: list[str] = []
            for category in _as_array(data.get("categories")):
                text = to_s(category).lower()
                if text not in seen:
                    seen.append(text)
            return "/".join(seen)

        def slugified_categories() -> str:
            seen: list[str] = []
            for category in _as_array(data.get("categories")):
                text = permalink.slugify(to_s(category)) or ""
                if text not in seen:
                    seen.append(text)
            return "/".join(seen)

        return {
            "output_ext": lambda: self.output_ext,
            "path": lambda: self.cleaned_relative_path,
            "collection": lambda: self.collection,
            "name": lambda: permalink.slugify(self.basename_without_ext),
            "title": title_value,
            "slug": slug_value,
            "categories": categories,
            "slugified_categories": slugified_categories,
            "year": strf("%Y"),
            "month": strf("%m"),
            "day": strf("%d"),
            "hour": strf("%H"),
            "minute": strf("%M"),
            "second": strf("%S"),
            "i_day": strf("%-d"),
            "i_month": strf("%-m"),
            "short_month": strf("%b"),
            "long_month": strf("%B"),
            "short_year": strf("%y"),
            "w_year": strf("%G"),
            "week": strf("%V"),
            "w_day": strf("%u"),
            "short_day": strf("%a"),
            "long_day": strf("%A"),
            "y_day": strf("%j"),
        }


def _as_array(value: object) -> list[object]:
    """Ruby's ``Array(value)``."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return [[k, v] for k, v in value.items()]
    return [value]


@dataclass
class Page:
    """A page: a file outside underscore folders with front matter (``Jekyll::Page``)."""

    site: Site
    relative_path: str
    data: dict[str, object]
    body: str
    body_line: int
    problem: str | None = None

    @property
    def dir(self) -> str:
        return self.relative_path.rsplit("/", 1)[0] if "/" in self.relative_path else ""

    @property
    def name(self) -> str:
        return self.relative_path.rsplit("/", 1)[-1]

    @property
    def ext(self) -> str:
        index = self.name.rfind(".")
        return self.name[index:] if index >= 0 else ""

    @property
    def basename(self) -> str:
        ext = self.ext
        return (self.name[: -len(ext)] if ext else self.name).rstrip(".")

    @property
    def output_ext(self) -> str:
        return self.site.output_ext(self.ext)

    @cached_property
    def url(self) -> str:
        """``Page#url`` with ``URL#generate_url_from_hash``."""
        output_ext = self.output_ext
        if output_ext not in _HTML_EXTENSIONS:
            template = "/:path/:basename:output_ext"
        elif self.basename == "index":
            template = "/:path/"
        else:
            template = permalink.add_permalink_suffix("/:path/:basename", self.site.config.get("permalink"))
        link = self.data.get("permalink")
        chosen = link if isinstance(link, str) else template
        result = chosen
        for key, value in (("path", self.dir), ("basename", self.basename), ("output_ext", output_ext)):
            if ":" not in result:
                break
            result = result.replace(f":{key}", permalink.escape_path(value))
        return permalink.sanitize(result)

    @property
    def destination(self) -> str:
        """Where ``jekyll build`` writes it, relative to the destination folder."""
        url = self.url
        path = url.lstrip("/")
        if url.endswith("/"):
            return path + "index.html"
        return path if path.endswith(self.output_ext) else path + self.output_ext


@dataclass(frozen=True)
class Layout:
    name: str
    relative_path: str
    data: dict[str, object]
    body: str
    body_line: int


@dataclass
class Site:
    """Everything the feed templates can see of one site."""

    root: Path
    config: Config
    #: ``site.time``: the build's "now" (a parameter: the model never reads the clock).
    time: RubyTime
    pages: list[Page] = field(default_factory=list)
    #: Documents by collection label (``posts`` included), in Jekyll's order.
    collections: dict[str, list[Document]] = field(default_factory=dict)
    layouts: dict[str, Layout] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    #: Why ``jekyll build`` stops while reading (an invalid date...), when it does.
    fatal: str | None = None
    #: The earliest date (POSIX time) of a post left out for being in the future.
    next_change: float | None = None
    #: Files without front matter that Jekyll copies as they are (site-relative paths).
    static_files: list[str] = field(default_factory=list)
    #: Posts read but not published, and why: ``unpublished`` (``published: false``) or
    #: ``future`` (dated after ``site.time``).
    left_out: dict[str, str] = field(default_factory=dict)
    _globs: dict[str, list[str]] = field(default_factory=dict, repr=False)

    @property
    def zone(self) -> dt.tzinfo:
        return self.config.zone

    @property
    def posts(self) -> list[Document]:
        """``site.posts``: newest first (``b <=> a``: date, then path)."""
        return self.collections.get("posts", [])

    def addresses(self) -> tuple[dict[str, str], list[str]]:
        """Each written document's URL (by site-relative path), and every URL path the
        build writes: documents of the collections that output (``posts`` always), pages,
        static files."""
        urls: dict[str, str] = {}
        outputs: list[str] = []
        meta = self.config.collections
        for label, docs in self.collections.items():
            if label != "posts" and not meta.get(label, {}).get("output"):
                continue
            for doc in docs:
                try:
                    urls[doc.relative_path] = doc.url
                except permalink.PermalinkError:
                    continue
        outputs.extend(urls.values())
        maps = _sass_source_maps(self.config.get("sass"))
        for page in self.pages:
            try:
                outputs.append(page.url)
            except permalink.PermalinkError:
                continue
            if maps and page.ext.lower() in _SASS_EXTENSIONS:
                outputs.append(page.url + ".map")  # the converter's source map page
        outputs.extend("/" + path for path in self.static_files)
        outputs.extend(self._gem_outputs())
        return urls, sorted(set(outputs))

    def _gem_outputs(self) -> list[str]:
        """What the modelled gems' generators write: jekyll-feed's feed, jekyll-sitemap's
        sitemap and robots.txt, jekyll-paginate's pages 2…n."""
        config = self.config
        found: list[str] = []
        if "jekyll-feed" in config.plugins:
            feed = config.get("feed")
            path = feed.get("path") if isinstance(feed, dict) else None
            found.append("/" + (path if isinstance(path, str) else "feed.xml").lstrip("/"))
        if "jekyll-sitemap" in config.plugins:
            found.extend(("/sitemap.xml", "/robots.txt"))
        per_page = config.get("paginate")
        if "jekyll-paginate" in config.plugins and isinstance(per_page, int) and per_page > 0:
            pattern = config.get("paginate_path")
            pattern = pattern if isinstance(pattern, str) else "/page:num"
            pages = -(-len(self.posts) // per_page)
            found.extend("/" + pattern.replace(":num", str(n)).strip("/") + "/" for n in range(2, pages + 1))
        return found

    def output_ext(self, ext: str) -> str:
        """``Renderer#output_ext``: Markdown → ``.html``, Sass (jekyll-sass-converter,
        which Jekyll always loads) → ``.css``, else the extension itself."""
        if ext.lower() in self.config.markdown_exts:
            return ".html"
        if ext.lower() in _SASS_EXTENSIONS:
            return ".css"
        return ext

    def collection_folder(self, label: str) -> str:
        base = to_s(self.config.get("collections_dir")).strip("/")
        folder = f"_{label}"
        return f"{base}/{folder}" if base else folder

    def url_template(self, label: str) -> str:
        """``Collection#url_template``."""
        meta = self.config.collections.get(label, {})
        given = meta.get("permalink")
        if isinstance(given, str):
            return given
        return permalink.add_permalink_suffix("/:collection/:path", self.config.get("permalink"))

    def inside(self, relative: str) -> Path | None:
        """``relative`` resolved inside the site root (no ``..`` out, no symlink out)."""
        root = self.root.resolve()
        candidate = (root / relative).resolve()
        try:
            candidate.relative_to(root)
        except ValueError:
            return None
        return candidate

    # --- front matter defaults -----------------------------------------------------------

    def defaults_for(self, relative_path: str, kind: str) -> dict[str, object]:
        """``FrontmatterDefaults#all``."""
        sets = self.config.get("defaults")
        result: dict[str, object] = {}
        old_scope: dict[str, object] | None = None
        if not isinstance(sets, list):
            return result
        for entry in sets:
            if not isinstance(entry, dict) or not isinstance(entry.get("values"), dict):
                continue
            scope = entry.get("scope")
            if "scope" in entry and not isinstance(scope, dict):
                continue
            scope_map = scope if isinstance(scope, dict) else {}
            if "scope" in entry and not self._applies(scope_map, relative_path, kind):
                continue
            values = entry["values"]
            assert isinstance(values, dict)
            if _has_precedence(old_scope, scope_map):
                result = deep_merge(result, values)
                old_scope = scope_map
            else:
                result = deep_merge(values, result)
        return result

    def _applies(self, scope: dict[str, object], relative_path: str, kind: str) -> bool:
        if "type" in scope and to_s(scope.get("type")) != kind:
            return False
        scope_path = scope.get("path")
        if not isinstance(scope_path, str) or not scope_path:
            return True
        path = _sanitize_scope(relative_path)
        if "*" in scope_path:
            return any(path.startswith(hit) for hit in self._glob(scope_path))
        return path.startswith(_strip_collections_dir(scope_path, self.config))

    def _glob(self, pattern: str) -> list[str]:
        """``glob_scope``'s ``Dir.glob`` of a scope path (files and folders), once per pattern."""
        cached = self._globs.get(pattern)
        if cached is None:
            cached = [
                _strip_collections_dir(relative, self.config)
                for relative in _walk(self.root, limit=MAX_FILES, include_dirs=True)
                if fnmatch.fnmatchcase(relative, pattern)
            ]
            self._globs[pattern] = cached
        return cached


def _sanitize_scope(path: str | None) -> str:
    if not path:
        return ""
    if path.startswith("/"):
        return path.lstrip("/")
    return path


def _strip_collections_dir(path: str, config: Config) -> str:
    base = to_s(config.get("collections_dir"))
    if not base or not path.startswith(base + "/"):
        return path
    return path.replace(base + "/", "", 1)


def _has_precedence(old: dict[str, object] | None, new: dict[str, object]) -> bool:
    if old is None:
        return True
    new_path = _sanitize_scope(to_s(new.get("path")) if new.get("path") is not None else None)
    old_path = _sanitize_scope(to_s(old.get("path")) if old.get("path") is not None else None)
    if len(new_path) != len(old_path):
        return len(new_path) >= len(old_path)
    if "type" in new:
        return True
    return "type" not in old


def _walk(root: Path, limit: int, include_dirs: bool = False) -> Iterator[str]:
    """Paths below ``root`` (posix, relative), sorted, symlinks not followed."""
    count = 0
    looked(root)
    for current, dirs, files in os.walk(root, followlinks=False):
        looked(current)
        dirs.sort()
        rel = os.path.relpath(current, root)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        names = sorted(files + (dirs if include_dirs else []))
        for name in names:
            count += 1
            if count > limit:
                return
            yield prefix + name


__all__ = ["MAX_FILES", "Document", "Layout", "Page", "Site"]


#: The extensions jekyll-sass-converter converts (``/^\.s[ac]ss$/i``).
_SASS_EXTENSIONS = frozenset({".scss", ".sass"})


def _sass_source_maps(sass: object) -> bool:
    """Whether jekyll-sass-converter 2.2 writes a ``.css.map`` beside each converted page:
    its ``sourcemap`` option (default ``always``; ``development`` is the default
    ``JEKYLL_ENV``; ``never``)."""
    option = sass.get("sourcemap", "always") if isinstance(sass, dict) else "always"
    return str(option).lstrip(":") != "never"
