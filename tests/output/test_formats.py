"""The report formats: github, junit and sarif (golden files, escaping, real validators).

Regenerate the golden files after a deliberate change of messages or formats with
``EPILINT_UPDATE_GOLDEN=1 python3 -m pytest tests/test_formats.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from epilint.lint.linter import file_result
from epilint.lint.results import RunResult
from epilint.model import Applicability, Edit, Fix, Severity, Span, Violation
from epilint.output import Report, formatter
from epilint.read.document import Document
from tests.conftest import ROOT, run_cli

GOLDEN = Path(__file__).resolve().parent / "golden"
TOOLS = ROOT / ".ci" / "tools" / "node_modules"

# A post whose file name needs escaping everywhere: a comma, a colon, a percent sign,
# Japanese text and a space.
ODD_NAME = "_posts/2024-07-01-4,a:b%c 日本.md"
ODD_POST = """\
---
actor_ids: [hana]
audio_file_path: /audio/004.mp3
audio_file_size: 010
date: 2024-07-01 20:00:00 +0900
description: "A & B <c>"
duration: 1:02:03
layout: article
title: 4. Odd names
---

Body.
"""


@pytest.fixture
def example_site(tmp_path: Path) -> Path:
    """A copy of examples/ plus a post with an awkward file name (golden inputs)."""
    site = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", site, ignore=shutil.ignore_patterns(".epilint_cache"))
    (site / ODD_NAME).write_text(ODD_POST, encoding="utf-8")
    return site


def _golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("EPILINT_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="")
    assert path.is_file(), f"{path} is missing; regenerate with EPILINT_UPDATE_GOLDEN=1"
    assert actual == path.read_bytes().decode("utf-8")


def _report(message: str, *, display: str = "a.md", text: str = "abc\ndef\n") -> Report:
    doc = Document(Path(display), text)
    fix = Fix("replace it", (Edit(Span(4, 7), "xyz"),), Applicability.SAFE)
    violation = Violation("FM011", "empty-field", message, Span(4, 6), Severity.WARNING, fix)
    return Report(RunResult((file_result(doc, display, (violation,)),)))


# -- text -----------------------------------------------------------------------------


def test_text_colors_wrap_whole_pieces() -> None:
    """Colour adds escape codes and nothing else; every painted piece is closed."""
    import re

    doc = Document(Path("a.md"), "abc\ndef\n")
    error = Violation("FM010", "schema", "bad", Span(0, 1), Severity.ERROR)
    for report in (_report("empty"), Report(RunResult((file_result(doc, "a.md", (error,)),)))):
        plain = formatter("text")(report)
        painted = formatter("text")(Report(report.result, color=True))
        assert re.sub(r"\033\[[0-9;]*m", "", painted) == plain
        for line in painted.splitlines()[:-1]:  # the summary line is not painted
            assert re.findall(r"\033\[[0-9;]*m", line)[-1] == "\033[0m", line
    painted = formatter("text")(Report(_report("empty").result, color=True))
    assert "\033[36m  fix (safe): replace it\033[0m\n" in painted


# -- github ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["github", "junit"])
def test_golden(example_site: Path, fmt: str) -> None:
    result = run_cli("check", "--no-cache", "--format", fmt, ".", cwd=example_site)
    assert result.code == 1, result.err
    suffix = "xml" if fmt == "junit" else "txt"
    _golden(f"examples.{fmt}.{suffix}", result.out)


def test_github_escapes_data_and_properties() -> None:
    report = _report("50% done\r\nnext: a, b", display="_posts/a,b:c%d.md")
    out = formatter("github")(report)
    assert out == (
        "::warning file=_posts/a%2Cb%3Ac%25d.md,line=2,col=1,endLine=2,endColumn=3,"
        "title=FM011 empty-field::50%25 done%0D%0Anext: a, b\n"
    )


def test_github_is_the_default_in_github_actions(example_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    auto = run_cli("check", "--no-cache", ".", cwd=example_site)
    assert auto.out.startswith("::error file=_posts/")
    assert auto.out == run_cli("check", "--no-cache", "--format", "github", ".", cwd=example_site).out
    explicit = run_cli("check", "--no-cache", "--format", "text", ".", cwd=example_site)
    assert "::error" not in explicit.out
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    assert "::error" not in run_cli("check", "--no-cache", ".", cwd=example_site).out


# -- junit ----------------------------------------------------------------------------


def test_junit_parses_back(example_site: Path) -> None:
    result = run_cli("check", "--no-cache", "--format", "junit", ".", cwd=example_site)
    listing = run_cli("check", "--no-cache", "--format", "json", ".", cwd=example_site).json()
    root = ET.fromstring(result.out.encode("utf-8"))
    suites = root.findall("testsuite")
    assert len(suites) == 1
    cases = suites[0].findall("testcase")
    assert sorted(c.get("name") or "" for c in cases) == sorted(
        p.relative_to(example_site).as_posix() for p in (example_site / "_posts").glob("*.md")
    )
    failures = [(c.get("name"), f) for c in cases for f in c.findall("failure")]
    assert len(failures) == len(listing)
    for (name, failure), item in zip(failures, listing, strict=True):
        assert name == item["path"]
        assert failure.get("type") == f"{item['code']} {item['rule']}"
        assert failure.get("message") == f"{item['line']}:{item['column']}: {item['message']}"
        assert (failure.text or "").startswith(
            f"{item['path']}:{item['line']}:{item['column']}: {item['code']} [{item['severity']}] "
            f"{item['message']}"
        )
    failed = sum(1 for c in cases if c.findall("failure"))
    assert suites[0].get("failures") == str(failed)
    assert suites[0].get("tests") == str(len(cases))


def test_junit_escapes_markup_and_control_characters() -> None:
    message = 'a <b> & "c"\x00\x1b\x7f\ufffe\r\n\tend'
    out = formatter("junit")(_report(message, display='x&"<y>.md'))
    root = ET.fromstring(out.encode("utf-8"))  # valid XML despite the control characters
    case = root.find("testsuite/testcase")
    assert case is not None
    assert case.get("name") == 'x&"<y>.md'
    failure = case.find("failure")
    assert failure is not None
    shown = 'a <b> & "c"\\x00\\x1b\x7f\\xfffe\r\n\tend'  # XML cannot carry NUL, ESC, U+FFFE
    assert failure.get("message") == f"2:1: {shown}"
    assert (failure.text or "").startswith(f'x&"<y>.md:2:1: FM011 [warning] {shown}')


# -- sarif ----------------------------------------------------------------------------


def _sarif(site: Path) -> dict[str, object]:
    result = run_cli("check", "--no-cache", "--format", "sarif", ".", cwd=site)
    assert result.code == 1, result.err
    data = json.loads(result.out)
    assert isinstance(data, dict)
    return data


def test_sarif_content(example_site: Path) -> None:
    data = _sarif(example_site)
    listing = run_cli("check", "--no-cache", "--format", "json", ".", cwd=example_site).json()
    assert data["version"] == "2.1.0"
    (run,) = data["runs"]  # type: ignore[misc]
    driver = run["tool"]["driver"]
    assert driver["name"] == "epilint"
    assert driver["version"]
    assert driver["informationUri"].startswith("https://")
    rules_doc = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    ids = [r["id"] for r in driver["rules"]]
    assert ids == sorted({item["code"] for item in listing})
    for rule in driver["rules"]:
        assert rule["name"]
        assert rule["shortDescription"]["text"].endswith(".")
        assert rule["fullDescription"]["text"]
        anchor = rule["helpUri"].split("#", 1)[1]
        assert f"(#{anchor})" in rules_doc  # the anchor exists on the generated page
    assert len(run["results"]) == len(listing)
    for result, item in zip(run["results"], listing, strict=True):
        assert result["ruleId"] == item["code"]
        assert ids[result["ruleIndex"]] == item["code"]
        assert result["level"] == item["severity"]
        location = result["locations"][0]["physicalLocation"]
        region = location["region"]
        assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (
            item["line"],
            item["column"],
            item["end_line"],
            item["end_column"],
        )
        fix = item["fix"]
        if fix is not None and fix["edits"]:
            (change,) = result["fixes"][0]["artifactChanges"]
            inserted = [r["insertedContent"]["text"] for r in change["replacements"]]
            assert inserted == [e["content"] for e in fix["edits"]]
        else:
            assert "fixes" not in result
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert "_posts/2024-07-01-4%2Ca%3Ab%25c%20%E6%97%A5%E6%9C%AC.md" in uris
    assert run["columnKind"] == "unicodeCodePoints"


def _multitool() -> Path:
    local = TOOLS / ".bin" / "sarif-multitool"
    if local.is_file():
        return local
    from tests.conftest import require

    return Path(require("sarif-multitool"))


def _validate(tool: Path, log: Path, tmp_path: Path) -> list[dict[str, object]]:
    out = tmp_path / f"{log.stem}.validation.sarif"
    env = {**os.environ, "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT": "1"}
    done = subprocess.run(
        [str(tool), "validate", str(log), "--output", str(out), "--log", "ForceOverwrite"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads(out.read_text(encoding="utf-8-sig"))["runs"][0]["results"]
    assert isinstance(results, list)
    return results


def test_sarif_passes_microsofts_validator(example_site: Path, tmp_path: Path) -> None:
    tool = _multitool()
    log = tmp_path / "epilint.sarif"
    result = run_cli("check", "--no-cache", "--format", "sarif", "--output", log, ".", cwd=example_site)
    assert result.code == 1, result.err
    findings = _validate(tool, log, tmp_path)
    problems = [(r.get("ruleId"), r.get("level"), r.get("message")) for r in findings]
    assert [p for p in problems if p[1] == "error"] == []
    assert problems == []  # no warnings either
    # Files outside the current folder are absolute file: URIs; also valid.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    outside = tmp_path / "outside.sarif"
    run_cli("check", "--no-cache", "--format", "sarif", "--output", outside, example_site, cwd=elsewhere)
    assert '"uri": "file:///' in outside.read_text(encoding="utf-8")
    assert _validate(tool, outside, tmp_path) == []
    # The validator does catch a broken log (so the check above can fail).
    data = json.loads(log.read_text(encoding="utf-8"))
    data["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["endLine"] = 0
    broken = tmp_path / "broken.sarif"
    broken.write_text(json.dumps(data), encoding="utf-8")
    assert any(r.get("level") == "error" for r in _validate(tool, broken, tmp_path))


def test_sarif_matches_the_official_schema(example_site: Path) -> None:
    schema_file = TOOLS / "@microsoft" / "sarif-multitool-linux" / "sarif-2.1.0.json"
    if not schema_file.is_file():
        _multitool()  # fails in CI, skips locally when the validator is not installed
        pytest.skip(f"{schema_file} is not installed")
    import jsonschema

    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    assert [e.message for e in validator.iter_errors(_sarif(example_site))] == []
