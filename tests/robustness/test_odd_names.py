"""File names with spaces, Japanese and newlines come out right in every format."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.conftest import BAD_EPISODE, run_cli

NAMES = ["2022-09-10-with space.md", "2022-09-10-日本語.md", "2022-09-10-new\nline.md"]


@pytest.fixture
def odd_site(make_site) -> Path:  # type: ignore[no-untyped-def]
    return make_site({f"_posts/{name}": BAD_EPISODE for name in NAMES})  # type: ignore[no-any-return]


def run(site: Path, fmt: str) -> str:
    result = run_cli("check", "--select", "YT001", "--format", fmt, "_posts", cwd=site)
    assert result.code == 1, result.err
    return result.out


def test_json_keeps_the_exact_names(odd_site: Path) -> None:
    paths = sorted(v["path"] for v in json.loads(run(odd_site, "json")))
    assert paths == sorted(f"_posts/{n}" for n in NAMES)


def test_text_keeps_one_line_per_violation(odd_site: Path) -> None:
    lines = run(odd_site, "text").splitlines()
    findings = [line for line in lines if " YT001 " in line]
    assert len(findings) == 3
    assert any("_posts/2022-09-10-with space.md:7:11:" in line for line in findings)
    assert any("_posts/2022-09-10-日本語.md:7:11:" in line for line in findings)
    assert any("_posts/2022-09-10-new\\nline.md:7:11:" in line for line in findings)


def test_github_annotations_escape_the_newline(odd_site: Path) -> None:
    out = run(odd_site, "github")
    assert len(out.splitlines()) == 3
    assert "file=_posts/2022-09-10-new%0Aline.md," in out
    assert "file=_posts/2022-09-10-日本語.md," in out


def test_junit_round_trips_the_names(odd_site: Path) -> None:
    root = ET.fromstring(run(odd_site, "junit"))
    names = sorted(case.get("name") or "" for case in root.iter("testcase"))
    assert names == sorted(f"_posts/{n}" for n in NAMES)


def test_sarif_uris_decode_to_the_names(odd_site: Path) -> None:
    sarif = json.loads(run(odd_site, "sarif"))
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]
    ]
    assert sorted(unquote(u) for u in uris) == sorted(f"_posts/{n}" for n in NAMES)
    assert all("\n" not in u and " " not in u for u in uris)
