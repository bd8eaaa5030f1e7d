"""The Liquid drops Jekyll renders with: ``site``, ``page``, each post, ``jekyll``.

Ported from Jekyll 4.3.1 ``Drops::SiteDrop`` (site ``[]``: collections by label, else the
config), ``Drops::DocumentDrop`` (``content``, ``excerpt``, ``url``, ``id``, ``date``,
``path``, ``collection``, ``name``, ``next``/``previous``, else the document's data),
``Site#post_attr_hash`` (``site.categories``/``site.tags``) and ``Convertible#to_liquid``
(pages). Every document lookup is recorded in the trace (``tracing``), so each value
knows the front-matter keys it came from.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from epilint.feed import permalink
from epilint.feed.tracing import current_trace
from epilint.feed.values import ContentPiece, current_tape, unknown

if TYPE_CHECKING:
    from epilint.feed.github import GitHubModel
    from epilint.feed.jekyll_site import Document, Page, Site

JEKYLL_VERSION = "4.3.1"


class DocumentDrop:
    """A post (or collection document) as ``{{ post.KEY }}`` sees it."""

    def __init__(self, doc: Document, universe: SiteDrop) -> None:
        self.doc = doc
        self.universe = universe

    @property
    def key(self) -> str:
        return self.doc.relative_path

    def __getitem__(self, key: object) -> object:
        if not isinstance(key, str):
            return None
        current_trace().read(self.key, key)
        return self._value(key)

    def _value(self, key: str) -> object:
        doc = self.doc
        if key == "content":
            return current_tape().token(ContentPiece(self.key, "content"))
        if key == "excerpt":
            own = doc.data.get("excerpt") if "excerpt" in doc.own_keys else None
            if isinstance(own, str):
                return own
            if not doc.site.config.get("excerpt_separator"):
                return ""
            return current_tape().token(ContentPiece(self.key, "excerpt"))
        if key == "output":
            return unknown("a post's `output` (rendered with its layout)")
        if key == "url":
            try:
                return doc.url
            except permalink.PermalinkError as exc:
                return unknown(f"the URL of {self.key}: {exc}")
        if key == "id":
            try:
                return doc.id
            except permalink.PermalinkError as exc:
                return unknown(f"the id of {self.key}: {exc}")
        if key == "date":
            if doc.date_unknown:
                return unknown(doc.date_unknown)
            return doc.date
        if key in ("path", "relative_path"):
            return doc.relative_path
        if key == "collection":
            return doc.collection
        if key == "name":
            name = doc.data.get("name")
            return name if name is not None else doc.basename
        if key in ("next", "previous"):
            return self.universe.neighbour(doc, key)
        return doc.data.get(key)

    def liquid_to_s(self) -> str:
        """``Document#to_s``: its output, else its content."""
        return current_tape().token(ContentPiece(self.key, "content"))

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and (key in self.doc.data or key in _DOCUMENT_METHODS)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DocumentDrop) and other.doc is self.doc

    def __hash__(self) -> int:
        return hash(self.doc.relative_path)


_DOCUMENT_METHODS = frozenset(
    {"content", "excerpt", "output", "url", "id", "date", "path", "relative_path", "collection", "name"}
)


class PageDrop:
    """A page as ``{{ page.KEY }}`` sees it (``Convertible#to_liquid``)."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def __getitem__(self, key: object) -> object:
        if not isinstance(key, str):
            return None
        page = self.page
        if key == "url":
            return page.url
        if key == "content":
            return unknown("a page's `content`")
        if key == "path":
            value = page.data.get("path")
            return value if value is not None else page.relative_path
        if key == "name":
            return page.name
        if key == "dir":
            folder = page.url.rsplit("/", 1)[0] + "/" if not page.url.endswith("/") else page.url
            return folder
        return page.data.get(key)

    def liquid_to_s(self) -> str:
        return unknown("a page printed whole")


class SiteDrop:
    """``site``: the configuration, ``posts``, collections, ``time``, ``data``, ``github``."""

    def __init__(self, site: Site, github: GitHubModel) -> None:
        self.site = site
        self.github = github
        self._docs: dict[str, list[DocumentDrop]] = {}
        self._drops: dict[int, DocumentDrop] = {}
        self._data: object = None

    def drop(self, doc: Document) -> DocumentDrop:
        found = self._drops.get(id(doc))
        if found is None:
            found = DocumentDrop(doc, self)
            self._drops[id(doc)] = found
        return found

    def documents(self, label: str) -> list[DocumentDrop]:
        if label not in self._docs:
            self._docs[label] = [self.drop(doc) for doc in self.site.collections.get(label, [])]
        return self._docs[label]

    def neighbour(self, doc: Document, which: str) -> object:
        """``Document#next_doc`` / ``previous_doc`` in the collection's (ascending) order."""
        docs = list(self.site.collections.get(doc.collection, []))
        if doc.collection == "posts":
            docs.reverse()
        for index, other in enumerate(docs):
            if other is doc:
                target = index + 1 if which == "next" else index - 1
                if 0 <= target < len(docs):
                    return self.drop(docs[target])
                return None
        return None

    def __getitem__(self, key: object) -> object:
        if not isinstance(key, str):
            return None
        current_trace().read("_config.yml", key)
        site = self.site
        if key != "posts" and key in site.collections:
            return self.documents(key)
        if key == "posts":
            return self.documents("posts")
        if key == "time":
            current_trace().clock()
            return site.time
        if key == "pages":
            return [PageDrop(page) for page in site.pages]
        if key in ("categories", "tags"):
            return self._post_attr_hash(key)
        if key == "data":
            return self._site_data()
        if key == "github":
            return self.github.namespace()
        if key == "config":
            return None  # SiteDrop#config is defined empty
        if key in ("static_files", "html_pages", "documents", "collections", "related_posts"):
            return unknown(f"site.{key}")
        found, value = self.github.config_fallback(key, site.config.data)
        if found:
            return value
        return site.config.data.get(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self.site.config.data)

    def _post_attr_hash(self, attr: str) -> dict[str, list[DocumentDrop]]:
        """``Site#post_attr_hash``: name → its posts, newest first."""
        found: dict[str, list[DocumentDrop]] = {}
        for drop in reversed(self.documents("posts")):
            values = drop.doc.data.get(attr)
            for value in values if isinstance(values, list) else []:
                found.setdefault(str(value), []).append(drop)
        return {name: list(reversed(posts)) for name, posts in found.items()}

    def _site_data(self) -> object:
        if self._data is None:
            from epilint.feed.site_data import read_data

            self._data = read_data(self.site)
        return self._data

    def liquid_to_s(self) -> str:
        return unknown("site printed whole")


def jekyll_drop() -> dict[str, object]:
    """``jekyll``: version and environment (``JEKYLL_ENV``, ``development`` by default)."""
    return {"version": JEKYLL_VERSION, "environment": "development"}
