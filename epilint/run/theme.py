"""Sites of another theme: one hint instead of an FM010 for every field of every post.

The bundled schema describes yattecast episodes. When no schema was chosen (no
``--schema``, no ``schema =``) and a site's posts do not look like yattecast posts, its
FM010 findings (missing fields) say nothing about the site but that: they are replaced
by one FM010 that names the schema options.

Precisely: a post *does not follow* the schema when its front matter is a mapping that
lacks more than a quarter of the schema's required fields (3 of yattecast's 8); a site
gets the hint when more than half of its posts do not follow it. The posts judged are
the site's ``_posts`` (an evenly spread sample of at most ``SAMPLE`` of them, so a
pre-commit run over one post judges the site, not the post), else the run's own files
of that site.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from epilint.lint.results import FileResult
from epilint.model import Fix, Violation
from epilint.read.source import read_document
from epilint.schema.load import EpisodeSchema, bundled_names
from epilint.site.jekyll import Site

SAMPLE = 25
CODE = "FM010"


def follows(data: object, required: Sequence[str]) -> bool:
    """Whether front matter ``data`` has at least three quarters of the required fields."""
    if not isinstance(data, dict) or not required:
        return True
    missing = sum(1 for name in required if name not in data)
    return missing * 4 <= len(required)


def _sample(paths: Sequence[Path]) -> list[Path]:
    if len(paths) <= SAMPLE:
        return list(paths)
    step = len(paths) / SAMPLE
    return [paths[int(i * step)] for i in range(SAMPLE)]


def foreign(posts: Sequence[Path], required: Sequence[str]) -> bool:
    """Whether most of ``posts`` (a sample) do not follow a schema requiring ``required``."""
    judged = not_following = 0
    for path in _sample(posts):
        doc = read_document(path)
        if doc.front_matter is None or doc.problem is not None:
            continue
        judged += 1
        not_following += not follows(doc.data, required)
    return judged > 0 and not_following * 2 > judged


def hint(
    files: Sequence[FileResult],
    schema: EpisodeSchema,
    site_of: Callable[[Path], Site | None],
    posts_of: Callable[[Site], Sequence[Path]],
) -> tuple[tuple[FileResult, ...], tuple[str, ...]]:
    """``files`` with the FM010 findings of other themes' sites replaced by one hint each;
    and the roots of the sites that got one."""
    sites: dict[Path, tuple[Site, list[int]]] = {}
    for index, file in enumerate(files):
        if any(v.code == CODE for v in file.violations):
            site = site_of(file.path)
            if site is not None:
                sites.setdefault(site.real_root, (site, []))[1].append(index)
    if not sites:
        return tuple(files), ()
    out = list(files)
    hinted: list[str] = []
    for site, indices in sites.values():
        own = posts_of(site) or [files[i].path for i in indices]
        if not foreign(own, schema.required):
            continue
        hinted.append(str(site.root))
        dropped = sum(1 for i in indices for v in files[i].violations if v.code == CODE)
        first = True
        for i in indices:
            kept = tuple(v for v in files[i].violations if v.code != CODE)
            if first:
                sample = next(v for v in files[i].violations if v.code == CODE)
                kept = tuple(sorted((*kept, _hint(sample, schema, dropped, len(indices))), key=_order))
                first = False
            out[i] = replace(files[i], violations=kept)
    return tuple(out), tuple(hinted)


def _order(v: Violation) -> tuple[int, str, int]:
    return (v.span.start, v.code, v.span.end)


def _hint(sample: Violation, schema: EpisodeSchema, dropped: int, files: int) -> Violation:
    fields = ", ".join(f"`{name}`" for name in schema.required)
    names = ", ".join(f"`{name}`" for name in bundled_names())
    message = (
        f"the posts of this site lack many of the fields the bundled yattecast schema requires "
        f"({fields}), so it is probably another theme: {dropped} missing-field finding"
        f"{'' if dropped == 1 else 's'} in {files} file{'' if files == 1 else 's'} are not shown. Choose "
        f"the schema that fits with `--schema NAME` or `schema =` in the config: bundled {names} "
        "(`epilint schema list`), or a copy edited for the theme"
    )
    return replace(sample, message=message, fix=Fix.suggestion("choose a schema: `epilint schema list`"))
