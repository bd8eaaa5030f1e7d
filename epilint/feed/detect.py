"""Whether a site has a feed template, found without rendering anything.

The site's configuration, pages and layouts are read as Jekyll reads them (posts and
collections are not), and ``templates.find_feed_templates`` names the pages whose own
text, layouts or includes can write ``<rss``, ``<enclosure`` or ``<item``: none means no
feed, so the renderer (python-liquid) is never imported for such a site. A page named
here may still render no feed; the prediction decides.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from epilint.feed.reader import read_site
from epilint.feed.templates import find_feed_templates


def feed_pages(
    root: Path,
    machine_zone: dt.tzinfo = dt.timezone.utc,
    config_files: tuple[Path, ...] | None = None,
) -> tuple[str, ...]:
    """The pages of the site at ``root`` that may render a feed (site-relative paths)."""
    now = dt.datetime.now(dt.timezone.utc)  # pages do not depend on it: no post is read
    site = read_site(root, now, machine_zone, config_files, documents=False)
    return tuple(template.page.relative_path for template in find_feed_templates(site))
