"""Fixing: choose, apply and re-lint fixes in passes (``engine``), check the fixed text
(``verify``), write it safely (``writer``), or render it as a diff (``textdiff``)."""
