"""Dates at the ends of the calendar, seen from sites on either side of UTC, never crash.

``9999-12-31 23:00:00`` (UTC) is already year 10000 in Tokyo and ``0001-01-01 01:00:00``
is year 0 in New York: Python's datetime cannot hold either, Ruby's Time can. Every rule
that shows a date on the site's clock (YT004, EP002, EP004, EP005, CO rules) and the
fixer must report such a post, not crash on it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import run_cli

DATES = [
    "9999-12-31 23:00:00",
    "9999-12-31 23:00:00 +0000",
    "9999-12-31 23:59:59 -1200",
    "0001-01-01 00:00:00 +1400",
    "0001-01-01 01:00:00",
    "9999-12-31",
    "0001-01-01",
    '"9999-12-31 23:00:00"',
    '"0001-01-01 00:00:00 +1400"',
]
ZONES = ["Asia/Tokyo", "America/New_York", "Pacific/Kiritimati", "Etc/GMT+12"]


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("date", DATES)
def test_extreme_dates_are_reported_not_crashed_on(
    make_site: Callable[..., Path], zone: str, date: str
) -> None:
    site = make_site(
        {
            # numbered 2 but dated before 1 (or after it): the collection rules compare them
            "_posts/2020-01-01-x.md": f"---\ntitle: 2. x\ndate: {date}\n---\nbody\n",
            "_posts/2020-01-02-y.md": "---\ntitle: 1. y\ndate: 2020-01-02 00:00:00 +0900\n---\nbody\n",
        },
        config=f"timezone: {zone}\n",
    )
    for args in (("--no-cache",), ("--no-cache", "--fix", "--unsafe-fixes")):
        result = run_cli("check", *args, "_posts", cwd=site)
        assert result.code in (0, 1), result.err
        assert "_posts/2020-01-01-x.md" in result.out
