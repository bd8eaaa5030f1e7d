"""FM rules: the front matter block itself, and what the schema says about it."""

from __future__ import annotations

from collections.abc import Iterator

from epilint.lint.context import Context
from epilint.lint.registry import FixAvailability, rule
from epilint.lint.schema_findings import Problem, of_kind
from epilint.model import Finding, Fix, Severity
from epilint.read import yaml11


def _problem(ctx: Context, code: str, fix: Fix | None = None) -> Iterator[Finding]:
    """The document's own reading problem (``Document.problem``), when it is ``code``."""
    problem = ctx.doc.problem
    if problem is not None and problem.code == code:
        yield Finding(problem.message, problem.span, fix)


@rule("FM001", "missing-front-matter", Severity.ERROR, fix=FixAvailability.SUGGESTION)
def missing_front_matter(ctx: Context) -> Iterator[Finding]:
    """The file has no front matter block.

    Why: Jekyll reads an episode's fields from a YAML block between two `---` lines at the
    very top of the file. Without it (or with TOML `+++` front matter, or an opening `---`
    that is never closed) the file has no title, date or audio: it is not an episode.

    Example: a post that starts directly with `# 57. Stable Diffusion…`.

    Fix: suggestion only; epilint cannot invent the fields.
    """
    yield from _problem(
        ctx, "FM001", Fix.suggestion("start the file with a `---` line, the YAML fields, and a closing `---`")
    )


@rule("FM002", "invalid-yaml", Severity.ERROR)
def invalid_yaml(ctx: Context) -> Iterator[Finding]:
    """The front matter is not YAML that Jekyll can read.

    Why: Jekyll prints `YAML Exception reading …` and still publishes the post with no
    front matter at all (no title, no audio). Besides syntax errors this covers what
    Psych's safe loader refuses: Ruby object tags (`!ruby/object:…`), symbols (`:name`),
    a front matter that is a list instead of a mapping, and alias bombs.

    Example: `title: 57. Stable: Diffusion` is fine, but `title: [57` is not.

    Fix: none; the text must be corrected by hand.
    """
    yield from _problem(ctx, "FM002")


@rule("FM003", "duplicate-key", Severity.ERROR, fix=FixAvailability.SUGGESTION)
def duplicate_key(ctx: Context) -> Iterator[Finding]:
    """A key appears twice in the same mapping.

    Why: Psych (and so Jekyll) silently keeps the last value and drops the earlier one,
    so an edit to the first occurrence never reaches the site.

    Example: two `duration:` lines in one front matter.

    Fix: suggestion: delete the occurrence you do not mean.
    """
    root = ctx.doc.root
    if root is None:
        return
    lines = ctx.doc.lines
    stack: list[yaml11.Node] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml11.Mapping):
            seen: dict[str, yaml11.Node] = {}
            for pair in node.pairs:
                name = yaml11.key_text(pair.key)
                first = seen.get(name)
                if first is not None and not (isinstance(pair.key, yaml11.Scalar) and pair.key.text == "<<"):
                    line = lines.position(first.span.start)[0]
                    yield Finding(
                        f"`{name}` is defined again here (first on line {line}); Jekyll silently "
                        f"keeps this last value and ignores the one on line {line}",
                        pair.key.span,
                        Fix.suggestion(f"keep one `{name}` and delete the other"),
                    )
                seen.setdefault(name, pair.key)
                stack.append(pair.value)
        elif isinstance(node, yaml11.Sequence):
            stack.extend(node.items)


@rule("FM004", "unreadable-file", Severity.ERROR)
def unreadable_file(ctx: Context) -> Iterator[Finding]:
    """The file is not UTF-8 text, or cannot be read at all.

    Why: Jekyll reads posts as UTF-8; a UTF-16 file, binary data or NUL bytes produce
    garbage pages or a failed build. epilint reports such files and never rewrites them.

    Example: an image saved as `_posts/2022-09-10-57.md`; a post saved as UTF-16 by an editor.

    Fix: none; re-save the file as UTF-8.
    """
    yield from _problem(ctx, "FM004")


@rule(
    "FM010",
    "missing-field",
    Severity.ERROR,
    fix=FixAvailability.SUGGESTION,
    supersedes=("FD002", "FD005", "FD007", "FD009", "FD010"),
    episodes_only=True,
)
def missing_field(ctx: Context) -> Iterator[Finding]:
    """A field the schema requires is absent.

    Why: yattecast's layout and feed read the field unconditionally; when it is absent the
    page and the feed render an empty value (an `<enclosure>` with no length, no duration).
    When the site has a feed template, the message quotes the element it predicts, and a
    field the template takes from another key (`audio_file_url` when a post has one) or a
    default is not missing. Only episodes are checked (see FD051).

    Example: an episode without `duration:`.

    Fix: suggestion, with the value when epilint can compute it (audio size and duration).
    """
    return of_kind(ctx, Problem.MISSING)


@rule(
    "FM011",
    "empty-field",
    Severity.ERROR,
    fix=FixAvailability.SAFE,
    supersedes=("FD002", "FD005", "FD007", "FD009", "FD010"),
    episodes_only=True,
)
def empty_field(ctx: Context) -> Iterator[Finding]:
    """A schema field is present but empty (null, blank text or an empty list).

    Why: Jekyll renders an empty value: `audio_file_size:` gives the feed
    `<enclosure length="">` and `duration:` gives `<itunes:duration></itunes:duration>`,
    which podcast apps treat as unknown or reject. Only values the field's schema does
    not accept count: a field the schema allows to be null or empty (`"type": ["string",
    "null"]`, no `minLength`) is valid when empty.

    Example: `audio_file_size: ` with nothing after the colon.

    Fix: safe when the value can be measured from the audio file, else a suggestion.
    """
    return of_kind(ctx, Problem.EMPTY)


@rule(
    "FM012",
    "wrong-type",
    Severity.ERROR,
    fix=FixAvailability.SAFE,
    supersedes=("FD002", "FD007", "FD009"),
    episodes_only=True,
)
def wrong_type(ctx: Context) -> Iterator[Finding]:
    """A value has the wrong type as Jekyll reads it.

    Why: the feed prints the value as it is: `audio_file_size: 19.5 MB` gives
    `<enclosure length="19.5 MB">`, which podcast apps cannot use as a byte count.

    Example: `audio_file_size: 19.5 MB`.

    Fix: safe when the right value can be measured from the audio file, else a suggestion.
    """
    return of_kind(ctx, Problem.WRONG_TYPE)


@rule(
    "FM013",
    "invalid-value",
    Severity.ERROR,
    fix=FixAvailability.SAFE,
    supersedes=("FD002", "FD006", "FD007", "FD009"),
    episodes_only=True,
)
def invalid_value(ctx: Context) -> Iterator[Finding]:
    """A value breaks the schema's `format`, `pattern`, `enum`, `minimum` or similar.

    Why: depends on the field. An impossible date such as `2022-13-45 10:00:00 +0900` makes
    the whole site fail to build ("does not have a valid date"); a duration that is not
    `HH:MM:SS`/`MM:SS` is shown as-is by podcast apps, or dropped.

    Example: `date: 2022-13-45 10:00:00 +0900`; `duration: 1h 2m`.

    Fix: safe for unambiguous re-formatting (a valid time written another way becomes
    `YYYY-MM-DD HH:MM:SS +ZZZZ`; a measured duration), else a suggestion.
    """
    return of_kind(ctx, Problem.INVALID)


@rule("FM015", "noncanonical-date", Severity.WARNING, fix=FixAvailability.SAFE)
def noncanonical_date(ctx: Context) -> Iterator[Finding]:
    """A date Jekyll reads as the author meant it, written in another shape.

    Why: Jekyll turns the date into text and hands it to Ruby's `Time.parse`
    (`Document#merge_date!`): `2019-6-1`, `2022-9-1T09:00:00+09:00`, `9:44:00` with one
    digit, or an RFC 2822 text `Thu, 22 Feb 2018 13:55:42 +0000` are published at the
    instant they name (a date without a time at midnight in the site's time zone). Nothing
    on the site changes, so this is about style: other tools (and the schema) expect
    `YYYY-MM-DD HH:MM:SS +ZZZZ`, and some shapes are read differently by other YAML
    readers. Dates that change what is published are FM013 (a day the month does not have,
    a date Ruby rejects) and YT004 (no offset). A shape whose reading epilint does not know
    is reported here too, as a warning, with no guess at the instant.

    Example: `date: Thu, 22 Feb 2018 13:55:42 +0000`.

    Fix: safe: the same instant written `YYYY-MM-DD HH:MM:SS +ZZZZ` (with the site's offset
    when the text has none and the site has a `timezone`); a suggestion otherwise.
    """
    return of_kind(ctx, Problem.STYLE)


@rule("FM014", "unknown-field", Severity.WARNING, fix=FixAvailability.UNSAFE, episodes_only=True)
def unknown_field(ctx: Context) -> Iterator[Finding]:
    """A key the schema does not allow, or a likely misspelling of a schema field.

    Why: Jekyll keeps every key but the layout only reads the ones it knows; a misspelt
    `durations:` means the real `duration` is missing from the page and the feed. Extra keys
    are allowed by default; with `additionalProperties: false` every unknown key is reported.

    Example: `durations: "01:02:03"` → did you mean `duration`?

    Fix: unsafe: rename the key to the closest schema field (a person should confirm).
    """
    return of_kind(ctx, Problem.UNKNOWN)
