"""A whole run: the one pipeline for check, --fix and --diff (``pipeline``), which files
(``discovery``, ``git``), both cores (``pool``), the store that keeps everything between
runs (``store``: one SQLite database), the results cache and its plain-data records
(``cache``, ``codec``), the whole-run memo (``memo``), the online phase and its cache
(``online``, ``link_cache``) and the collection phase (``collection``)."""
