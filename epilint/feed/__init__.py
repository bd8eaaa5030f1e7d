"""The feed model: a Jekyll site's own feed templates rendered the way Jekyll 4.3.1 would.

Nothing here runs Ruby or the site's plugins. ``predict.predict_site(root, now)`` reads the site as
``jekyll build`` reads it at the instant ``now`` and returns, for each feed page, the
channel elements and the ``<item>`` elements with their values, the front-matter keys
each value came from and the template line that emitted it.

Modules, one job each:

* ``files``, ``config``, ``reader``, ``jekyll_site``: reading the site (bounded; never
  outside the root, never through a symlink, regular files only), ``_config.yml`` over
  Jekyll's defaults, posts / collections / pages / layouts, permalinks (``permalink``),
  front matter as Ruby values (``rubyyaml`` over ``epilint.yaml11``), ``site.data``
  (``site_data``), ``site.github`` offline (``github``).
* ``liquid_env``, ``filters``, ``filter_numbers``, ``filter_dates``, ``filter_urls``,
  ``drops``: python-liquid set up with Jekyll's tags and filters and Ruby semantics;
  ``values`` and ``rubytime`` print Ruby values as Liquid does.
* ``tracing``, ``templates``, ``xmlscan``, ``predict``: which keys and lines made each
  value, which pages are feeds, reading the rendered XML, the typed result.

Never guessed, typed "unknown" instead (``FeedValue.unknown`` says why): a filter or tag
from ``_plugins`` or an unmodelled gem, a theme gem's layouts and includes, ``Time.parse``
of shapes other than ISO 8601 / ``Time#to_s`` / RFC 2822, ``markdownify``/``smartify``
beyond plain text, ``link``/``post_url``/``highlight``, ``site.static_files`` and friends,
and any ``if``/``for`` on such a value. A post's rendered HTML (``content``, ``excerpt``:
kramdown is not ported here) is a ``ContentValue``: which post, how it is inserted
(escaped, CDATA, raw) and the exact text around it.
"""
