"""FD100–FD102: published episodes keep their identity.

With a base ref (``--since REF``, or ``identity-base`` in the config) the run compares the
feed items of the base commit with today's (``epilint/run/identity.py``): every episode
published at the base — an item of its feed, dated in the past — keeps its guid, its link
and its enclosure URL, and stays in the feed. Each change is reported where it was made
(``ctx.identity``): the renamed post file (at its first line), the front-matter key
(``permalink:``, ``guid:``, ``published:``, ``date:``), the ``_config.yml`` key, the
template line. A change in a shared file (a config key, a template line, posts deleted) is
one finding that counts the episodes it moves and names three.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from epilint.feed.identity import ENCLOSURE, GUID, LINK, Change, FileIdentity, Report, pin_edit
from epilint.lint.context import Context
from epilint.lint.registry import FixAvailability, rule
from epilint.model import Applicability, Finding, Fix, Severity, Span
from epilint.read import yaml11

#: Episodes a shared finding names.
EXAMPLES = 3
_NAMES = {GUID: "guid", LINK: "link", ENCLOSURE: "enclosure URL"}
_PLURAL = {GUID: "guids", LINK: "links", ENCLOSURE: "enclosure URLs"}
#: Liquid's global variables in a Jekyll page (not an item's loop variable).
_GLOBALS = frozenset({"site", "page", "jekyll", "layout", "content", "paginator", "forloop"})


def _reports(ctx: Context, code: str) -> tuple[Report, ...]:
    found = ctx.identity
    return tuple(r for r in found.reports if r.code == code) if found is not None else ()


def _quoted(text: str | None, limit: int = 100) -> str:
    if text is None:
        return "(none)"
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return "`" + shown.replace("`", "'").replace("\n", "\\n") + "`"


def _title(change: Change) -> str:
    name = change.base.name
    return f'"{name}"' if change.base.title else f"`{name}`"


# -- where ------------------------------------------------------------------------------


def _line_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    return end - 1 if end > start and text[end - 1] == "\r" else end


def _line_span(ctx: Context, line: int) -> Span:
    """The text of 1-based ``line`` (without its indentation)."""
    text = ctx.doc.text
    start = ctx.doc.lines.offset(line)
    end = _line_end(text, start)
    while start < end and text[start] in " \t":
        start += 1
    return Span(start, end)


def _opening(ctx: Context) -> Span:
    """The file's first line: where a finding about the file itself sits."""
    return Span(0, _line_end(ctx.doc.text, 0))


def _config_span(ctx: Context, key: str) -> Span | None:
    """The top-level ``key`` of a YAML file (``_config.yml``) as written."""
    try:
        root = yaml11.compose(ctx.doc.text)
    except yaml11.YamlError:
        return None
    if not isinstance(root, yaml11.Mapping):
        return None
    pair = next((p for p in reversed(root.pairs) if yaml11.key_text(p.key) == key), None)
    return None if pair is None else Span(pair.key.span.start, pair.value.span.end)


def _key_span(ctx: Context, key: str) -> Span | None:
    pair = ctx.doc.fields.get(key)
    return None if pair is None else Span(pair.key.span.start, max(pair.value.span.end, pair.key.span.end))


def where(ctx: Context, report: Report) -> Span:
    """Where ``report`` is made in ``ctx.doc``."""
    cause = report.cause
    if cause.kind == "config" and cause.key is not None and ctx.site_path == cause.path:
        found = _config_span(ctx, cause.key)
        if found is not None:
            return found
    if cause.key is not None and cause.kind in ("key", "unpublished", "future", "skipped"):
        found = _key_span(ctx, cause.key)
        if found is not None:
            return found
        if ctx.doc.yaml_span is not None and cause.kind == "key":
            return Span(ctx.doc.yaml_span.end, ctx.doc.yaml_span.end)  # the key was removed
    if cause.line and cause.kind in ("template", "deleted", "unknown"):
        return _line_span(ctx, cause.line)
    return _opening(ctx)


# -- what -------------------------------------------------------------------------------


def _first(report: Report, element: str | None = None) -> list[Change]:
    """Per episode, its change of ``element`` (else its first change), in order."""
    seen: set[tuple[str, str | None, int]] = set()
    found: list[Change] = []
    for change in report.changes:
        key = (change.base.feed, change.base.post, change.base.line)
        if key in seen or (element is not None and change.element != element):
            continue
        seen.add(key)
        found.append(change)
    return found


def _cause_phrase(ctx: Context, report: Report, ref: str) -> str:
    cause = report.cause
    identity = ctx.identity
    if cause.kind == "rename":
        return f"renamed from `{cause.old_path}` since {ref}"
    if cause.kind == "key":
        if cause.key not in ctx.doc.fields:
            return f"`{cause.key}` was removed since {ref}"
        return f"`{cause.key}` changed since {ref}"
    if cause.kind == "config":
        old = identity.config_shown.get(cause.key or "") if identity is not None else None
        was = f" (it was {_quoted(old)})" if old is not None else ""
        return f"`{cause.key}` changed since {ref}{was}"
    if cause.kind == "template":
        return f"this line of the feed template changed since {ref}"
    return f"since {ref} (the change could not be traced to one file)"


def _others(changes: list[Change], element: str, count: int) -> str:
    """``; its link changes too`` for the other elements the cause moved."""
    names = [e for e in (GUID, ENCLOSURE, LINK) if e != element and any(c.element == e for c in changes)]
    if not names:
        return ""
    if count == 1:
        verb = "changes" if len(names) == 1 else "change"
        return f"; its {' and '.join(_NAMES[e] for e in names)} {verb} too"
    return f"; their {' and '.join(_PLURAL[e] for e in names)} change too"


def _moved(report: Report, element: str, what: str, ref: str) -> str:
    """``the published episode "A" gets a new guid (`x` → `y`)`` or ``3 published
    episodes get new guids, e.g. …``."""
    changes = _first(report, element)
    count = report.count
    if count == 1 and changes:
        change = changes[0]
        return (
            f"the published episode {_title(change)} gets a new {what} "
            f"({_quoted(change.old)} → {_quoted(change.new)}{_others(list(report.changes), element, 1)})"
        )
    shown = ", ".join(
        f"{_title(c)} ({_quoted(c.old, 60)} → {_quoted(c.new, 60)})" for c in changes[:EXAMPLES]
    )
    more = f" and {count - EXAMPLES} more" if count > EXAMPLES else ""
    plural = _PLURAL.get(element, what) if what == _NAMES.get(element) else what
    others = _others(list(report.changes), element, count)
    return f"{count} published episodes get new {plural}, e.g. {shown}{more}{others}"


def _identity_element(report: Report) -> str:
    return next((c.element for c in report.changes if c.identity), GUID)


# -- fixes ------------------------------------------------------------------------------


def _old_address(report: Report) -> str | None:
    """The page's path at the base (for ``permalink:``), from its old link, else guid."""
    for element in (LINK, GUID):
        change = next((c for c in report.changes if c.element == element and c.old), None)
        if change is None or change.old is None:
            continue
        path = urlsplit(change.old).path
        if path.startswith("/"):
            return path
    return None


def _template_change(report: Report) -> str | None:
    """The template line with the guid read from the post first (one line of Liquid)."""
    change = next((c for c in report.changes if c.element == GUID and c.current is not None), None)
    value = change.current.guid if change is not None and change.current is not None else None
    if value is None or not value.source:
        return None
    source = value.source
    start, end = source.find(">"), source.rfind("</")
    if not source.startswith("<guid") or start < 0 or end <= start:
        return None
    inner = source[start + 1 : end]
    roots = [e.split("|")[0].strip().split(".", 1)[0] for e in value.expressions if "." in e.split("|")[0]]
    variable = next((r for r in roots if r not in _GLOBALS), "post")  # the loop's variable
    expressions = [e.strip() for e in value.expressions]
    if (
        len(expressions) == 1
        and "|" not in expressions[0]
        and inner.strip() == "{{ " + expressions[0] + " }}"
    ):
        new_inner = f"{{{{ {variable}.guid | default: {expressions[0]} }}}}"
    else:
        new_inner = f"{{% if {variable}.guid %}}{{{{ {variable}.guid }}}}{{% else %}}{inner}{{% endif %}}"
    return source[: start + 1] + new_inner + source[end:]


def _pin_fix(ctx: Context, report: Report, identity: FileIdentity, ref: str) -> Fix | None:
    """Pin the old guid in the post: safe where proven, unsafe with the template change
    where the template does not read ``guid``, else a suggestion."""
    change = next((c for c in report.changes if c.element == GUID and c.identity and c.old), None)
    if change is None or change.old is None or change.current is None:
        return None
    old = change.old
    line = f'guid: "{old}"' if '"' not in old and "\\" not in old else f"guid: {yaml11.double_quoted(old)}"
    edit = pin_edit(ctx.doc, "guid", old)
    proven = identity.pins.get(ctx.site_path) == old
    after = change.current.guid
    # the template asks for the post's `guid` (in the output, or a condition on its line)
    reads = after is not None and ("guid" in after.reads or ".guid" in after.source)
    rename = ""
    if report.cause.kind == "rename":
        address = _old_address(report)
        permalink = f", or add `permalink: {address}`" if address else ""
        rename = f" (or keep the old name `{report.cause.old_path}`{permalink})"
    if proven and edit is not None:
        return Fix(f"pin `{line}`, its guid at {ref}{rename}", (edit,), Applicability.SAFE)
    template = _template_change(report) if not reads else None
    if template is not None and after is not None:
        where = f"{after.template} line {after.line}"
        title = f"add `{line}` and make the template read it: change {where} to `{template}`{rename}"
        if edit is not None and ctx.doc.data.get("guid") != old:
            return Fix(title, (edit,), Applicability.UNSAFE)
        return Fix.suggestion(title)
    if reads:
        return Fix.suggestion(
            f"keep the episode's guid {_quoted(old)}: the template reads `guid`, but a pinned "
            f"`{line}` does not give it back as it is; make the template print the key as it is{rename}"
        )
    return Fix.suggestion(
        f"keep the episode's guid {_quoted(old)}: write it in the post and make the template print it{rename}"
    )


def _shared_fix(ctx: Context, report: Report, ref: str, what: str) -> Fix:
    cause = report.cause
    identity = ctx.identity
    if cause.kind == "config":
        old = identity.config_shown.get(cause.key or "") if identity is not None else None
        keep = (
            f"keep `{cause.key}: {old}` (its value at {ref})"
            if old is not None
            else f"keep `{cause.key}` as it was at {ref}"
        )
        return Fix.suggestion(
            f"{keep}, or pin each episode's {what} in its post and make the template read it"
        )
    if cause.kind == "template":
        change = next((c for c in report.changes if c.base.value(c.element) is not None), None)
        before = change.base.value(change.element) if change is not None else None
        if before is not None and before.source:
            return Fix.suggestion(f"write the line as it was at {ref}: `{before.source}`")
    return Fix.suggestion(f"pin each episode's {what} in its post (`guid:`) and make the template read it")


def _pinned(ctx: Context, report: Report) -> bool:
    """The text pins the guid the report says changed, and the pin is proven."""
    identity = ctx.identity
    change = next((c for c in report.changes if c.element == GUID and c.identity and c.old), None)
    if identity is None or change is None or change.old is None:
        return False
    return identity.pins.get(ctx.site_path) == change.old and ctx.doc.data.get("guid") == change.old


# -- the rules --------------------------------------------------------------------------


@rule("FD100", "guid-changed", Severity.ERROR, fix=FixAvailability.SAFE, reads_identity=True)
def guid_changed(ctx: Context) -> Iterator[Finding]:
    """An episode published at the base ref gets a different guid now.

    Why: podcast apps know an episode by its `<guid>` (without one, by its enclosure URL);
    Apple asks that it never change. A new guid is a new episode: subscribers see it twice
    and download it again. On a Jekyll site the guid is usually made from the post's URL, so
    renaming a post file, editing `permalink:`, changing `url`/`baseurl` in `_config.yml`
    or the feed template moves it without anyone touching a guid. The guard compares the
    feed items of the base ref (`--since REF`, or `identity-base` in the config) with
    today's, as the site's own template renders them, and reports the change where it was
    made: the renamed file, the key, the config key or the template line (one finding for
    all the episodes a shared change moves).

    Example: `_posts/2024-01-01-ep1.md` renamed to `_posts/2024-01-01-episode-one.md` with
    yattecast's `<guid>{{ site.github.url }}{{ post.url }}</guid>`.

    Fix: safe where the template reads the post's `guid` key
    (`{{ post.guid | default: post.url }}`): `guid: "<the old guid>"` is pinned in the
    post (proven by rendering the feed with it); unsafe where it does not: the key is
    added and the message shows the one-line template change. For a shared change, a
    suggestion: keep the old value, or pin each episode's guid.
    """
    identity = ctx.identity
    if identity is None:
        return
    ref = identity.ref
    for report in _reports(ctx, "FD100"):
        if not report.cause.shared and _pinned(ctx, report):
            continue  # the text pins the old guid (a fixed text)
        element = _identity_element(report)
        what = "guid" if element == GUID else "enclosure URL (its identity: the items have no <guid>)"
        consequence = (
            "podcast apps take it for a new episode and subscribers get it twice"
            if report.count == 1
            else "podcast apps take them for new episodes and subscribers get them twice"
        )
        message = f"{_cause_phrase(ctx, report, ref)}: {_moved(report, element, what, ref)}: {consequence}"
        if report.cause.shared:
            fix: Fix | None = _shared_fix(ctx, report, ref, "guid")
        else:
            fix = _pin_fix(ctx, report, identity, ref)
        yield Finding(message, where(ctx, report), fix)


@rule("FD101", "episode-url-changed", Severity.WARNING, fix=FixAvailability.SUGGESTION, reads_identity=True)
def episode_url_changed(ctx: Context) -> Iterator[Finding]:
    """The link or enclosure URL of an episode published at the base ref changed.

    Why: the guid still says it is the same episode, but links to its page (shared,
    bookmarked, in other episodes' notes) now lead nowhere, and a changed enclosure URL
    makes apps fetch the audio again (Apple ignores an enclosure URL another item used).
    Reported where the change was made, like FD100.

    Example: `url: https://example.org` changed to `https://podcast.example.org` in
    `_config.yml`, with a guid the post pins.

    Fix: suggestion: keep the old address (`permalink:` with the old path, the old config
    value, the template line as it was), or redirect it.
    """
    identity = ctx.identity
    if identity is None:
        return
    ref = identity.ref
    for report in _reports(ctx, "FD101"):
        element = LINK if any(c.element == LINK for c in report.changes) else ENCLOSURE
        what = _NAMES[element]
        consequence = "links to the episode's page break" if element == LINK else "apps fetch the audio again"
        message = f"{_cause_phrase(ctx, report, ref)}: {_moved(report, element, what, ref)}: {consequence}"
        if report.cause.shared:
            fix = _shared_fix(ctx, report, ref, what)
        else:
            address = _old_address(report) if element == LINK else None
            keep = f"keep the old address: add `permalink: {address}`" if address else "keep the old address"
            if report.cause.kind == "rename":
                keep += f", or the old name `{report.cause.old_path}`"
            fix = Fix.suggestion(f"{keep} (or redirect the old one)")
        yield Finding(message, where(ctx, report), fix)


@rule("FD102", "episode-removed", Severity.WARNING, reads_identity=True)
def episode_removed(ctx: Context) -> Iterator[Finding]:
    """An episode published at the base ref is gone from the feed.

    Why: listeners have it; podcast apps drop an episode the feed no longer lists (Apple
    removes it from the show). Deleting the post, `published: false`, a date moved into
    the future (Jekyll leaves future posts out until then) or a template or config change
    that makes the feed skip it all take it away. An episode that falls out of a feed that
    keeps only the newest items, because newer ones came, is not reported.

    Example: `published: false` added to an episode's front matter.

    Fix: none: say whether the episode should go.
    """
    identity = ctx.identity
    if identity is None:
        return
    ref = identity.ref
    for report in _reports(ctx, "FD102"):
        cause = report.cause
        changes = _first(report)
        names = ", ".join(
            f"{_title(c)}" + (f" (`{c.base.post}`)" if c.base.post and c.base.title else "")
            for c in changes[:EXAMPLES]
        )
        more = f" and {report.count - EXAMPLES} more" if report.count > EXAMPLES else ""
        one = report.count == 1
        subject = (
            f"the published episode {names}" if one else f"{report.count} published episodes ({names}{more})"
        )
        verb = "leaves" if one else "leave"
        if cause.kind == "unpublished":
            message = f"`published: false` takes {subject} out of the feed (it was published at {ref})"
        elif cause.kind == "future":
            message = (
                f"the date moves {subject} into the future: it {verb} the feed until then "
                f"(it was published at {ref})"
            )
        elif cause.kind == "deleted":
            gone = (
                "is gone from the feed: the post was deleted" if one else "are gone: their posts were deleted"
            )
            message = f"{subject} published at {ref} {gone}"
        elif cause.kind == "skipped":
            because = f" (`{cause.key}` changed since {ref})" if cause.key else f" (since {ref})"
            message = f"the feed no longer has an item for {subject}{because}"
        elif cause.kind == "config":
            message = f"`{cause.key}` changed since {ref}: the feed no longer has {subject}"
        elif cause.kind == "template":
            message = f"the feed template changed since {ref}: it no longer has {subject}"
        else:
            message = f"{subject} published at {ref} {'is' if one else 'are'} gone from the feed"
        yield Finding(message + ": listeners' apps drop " + ("it" if one else "them"), where(ctx, report))
