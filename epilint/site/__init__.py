"""The Jekyll site around the linted files, as plain data and pure functions (no lint
context): ``_config.yml`` and the site's folders (``jekyll``), one run's sites
(``sites``), posts and their dates (``posts``), audio files (``audio``), episode numbers
(``episodes``), collection summaries (``collection``), real paths (``realpaths``) and how
Liquid prints values (``values``)."""
