"""Jekyll's URL rules: permalink styles, URL templates and their placeholders, slugify.

Ported from Jekyll 4.3.1: ``Configuration::STYLE_TO_PERMALINK`` and
``Configuration#add_default_collections`` (configuration.rb), ``Utils.add_permalink_suffix``
and ``Utils.slugify`` (utils.rb), ``URL#generate_url_from_drop``, ``URL#sanitize_url`` and
``URL.escape_path`` (url.rb), ``Drops::UrlDrop`` (drops/url_drop.rb).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping

#: configuration.rb: STYLE_TO_PERMALINK
STYLES = {
    "none": "/:categories/:title:output_ext",
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
}

_SLUG_MODES = ("raw", "default", "pretty", "ascii", "latin")
_PRETTY_KEEP = set("._~!$&'()+,;=@")
#: Addressable's CharacterClasses::PATH (unreserved, sub-delims, ``:@/``).
_PATH_SAFE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/")
_PLAIN_PATH = re.compile(r"[a-zA-Z0-9./-]+\Z")
_PLACEHOLDER = re.compile(r":([a-z_]+)")


class PermalinkError(ValueError):
    """A URL template names a placeholder Jekyll does not have (``NoMethodError``)."""


def style_to_permalink(style: object) -> str:
    """``Configuration#style_to_permalink``: a named style, else the text itself."""
    text = "" if style is None else str(style)
    return STYLES.get(text, text)


def add_permalink_suffix(template: str, style: object) -> str:
    """``Utils.add_permalink_suffix``: how a collection's default template ends."""
    text = "" if style is None else str(style)
    if text == "pretty":
        return template + "/"
    if text in ("date", "ordinal", "none"):
        return template + ":output_ext"
    if text.endswith("/"):
        template += "/"
    if text.endswith(":output_ext"):
        template += ":output_ext"
    return template


def _is_slug_char(char: str, mode: str) -> bool:
    category = unicodedata.category(char)
    if mode == "ascii":
        return char.isascii() and char.isalnum()
    if category[0] in ("M", "L") or category == "Nd":
        return True
    return mode == "pretty" and char in _PRETTY_KEEP


def slugify(text: str | None, mode: str | None = None, cased: bool = False) -> str | None:
    """``Utils.slugify``: runs of characters outside ``\\p{M}\\p{L}\\p{Nd}`` (plus
    ``._~!$&'()+,;=@`` for ``pretty``; ASCII letters and digits for ``ascii``; whitespace for
    ``raw``) become ``-``, leading/trailing ``-`` go, downcased unless ``cased``. ``latin``
    transliterates with I18n first, which the model does not port: it is treated as
    ``default`` only for ASCII text (else None)."""
    if text is None:
        return None
    mode = mode or "default"
    if mode not in _SLUG_MODES:
        return text if cased else text.lower()
    if mode == "latin":
        if not text.isascii():
            return None
        mode = "default"
    if mode == "raw":
        slug = re.sub(r"\s+", "-", text)
    else:
        out: list[str] = []
        for char in text:
            if _is_slug_char(char, mode):
                out.append(char)
            elif not out or out[-1] != "\0":
                out.append("\0")
        slug = "".join(out).replace("\0", "-")
    # gsub(/^-|-$/i, ""): one hyphen at the start and end of each line
    slug = re.sub(r"(?m)^-|-$", "", slug)
    return slug if cased else slug.lower()


def escape_path(value: str) -> str:
    """``URL.escape_path``: unchanged when empty or only ``[a-zA-Z0-9./-]``; else
    ``Addressable::URI.encode`` (the text read as path, ``?query`` and ``#fragment``, each
    percent-encoded as UTF-8 outside its characters: ``#`` inside the fragment too), then
    the first ``#`` as ``%23``."""
    if not value or _PLAIN_PATH.match(value):
        return value
    head, hash_mark, fragment = value.partition("#")
    path, question, query = head.partition("?")
    text = percent_encode(path, _PATH_SAFE)
    if question:
        text += "?" + percent_encode(query, _PATH_SAFE | {"?"})
    if hash_mark:
        text += "#" + percent_encode(fragment, _PATH_SAFE | {"?"})
    return text.replace("#", "%23", 1)


def percent_encode(text: str, safe: set[str]) -> str:
    """``text`` with every character outside ``safe`` percent-encoded as UTF-8 bytes."""
    out: list[str] = []
    for char in text:
        if char in safe:
            out.append(char)
        else:
            out.extend(f"%{byte:02X}" for byte in char.encode("utf-8"))
    return "".join(out)


def generate(template: str, placeholders: Mapping[str, Callable[[], str | None]]) -> str:
    """``URL#generate_url_from_drop``: each ``:name`` (or ``:name_`` falling back to
    ``:name``) replaced by its escaped value; an unknown placeholder raises PermalinkError."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        pool = [name, name[:-1]] if name.endswith("_") else [name]
        winner = next((key for key in pool if key in placeholders), None)
        if winner is None:
            raise PermalinkError(f"the URL template has no `:{' or :'.join(pool)}` placeholder")
        value = placeholders[winner]() or ""
        whole = match.group(0)
        return whole.replace(f":{winner}", escape_path(value), 1)

    return _PLACEHOLDER.sub(one, template)


def sanitize(url: str) -> str:
    """``URL#sanitize_url``: a leading ``/``, ``..`` → ``/``, no ``./``, no ``//``."""
    text = ("/" + url).replace("..", "/").replace("./", "")
    return re.sub("/+", "/", text)


def to_url(template: str, permalink: str | None, placeholders: Mapping[str, Callable[[], str | None]]) -> str:
    """``URL#to_s``: the front-matter permalink when set, else the template."""
    return sanitize(generate(permalink if permalink else template, placeholders))
