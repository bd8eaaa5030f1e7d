"""``epilint server`` driven as an editor drives it: a real subprocess, JSON-RPC over its pipes.

Each test starts ``python -m epilint server`` in a temporary site and speaks LSP to it
with the minimal client of ``client.py``: initialize, open, change, code actions, hover,
shutdown and exit. Positions are checked in UTF-16 code units (LSP's default) on lines
where Japanese text and an astral character (🎙, two UTF-16 units) come before the value.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from epilint import RULES_DOC_URL
from tests.conftest import BAD_EPISODE, GOOD_EPISODE, episode
from tests.editor.client import Client, apply, uri

POST = "_posts/2022-09-11-2.md"
#: A post with YT001 twice: after a Japanese key with an astral character, and on duration.
TEXT = episode(BAD_EPISODE, day="2022-09-11", number=2).replace(
    "description: The first episode.", "description: 日本語の説明🎙です\n収録🎙: 10:06"
)


@pytest.fixture
def site(make_site: Callable[..., Path]) -> Path:
    return make_site(
        {
            "_posts/2022-09-10-1.md": episode(GOOD_EPISODE, day="2022-09-10", number=1),
            POST: TEXT,
        }
    )


@pytest.fixture
def client(site: Path) -> Iterator[Client]:
    started = Client(site, env=dict(os.environ))
    try:
        yield started
    finally:
        started.close()


def _at(diagnostics: list[dict[str, Any]], code: str) -> list[dict[str, Any]]:
    return [d["range"] for d in diagnostics if d["code"] == code]


def _range(line: int, start: int, end: int) -> dict[str, Any]:
    return {"start": {"line": line, "character": start}, "end": {"line": line, "character": end}}


def _actions(client: Client, path: Path, where: dict[str, Any], only: list[str] | None = None) -> list[Any]:
    context: dict[str, Any] = {"diagnostics": []}
    if only is not None:
        context["only"] = only
    found = client.request(
        "textDocument/codeAction", {"textDocument": {"uri": uri(path)}, "range": where, "context": context}
    )
    return found or []


def test_diagnostics_quick_fix_and_shutdown(client: Client, site: Path) -> None:
    result = client.initialize(site)
    capabilities = result["capabilities"]
    assert capabilities["positionEncoding"] == "utf-16"
    assert capabilities["textDocumentSync"]["change"] == 1  # whole documents
    assert capabilities["hoverProvider"]
    assert "source.fixAll.epilint" in capabilities["codeActionProvider"]["codeActionKinds"]
    post = site / POST
    client.open(post, TEXT)
    found = client.diagnostics(post, version=1)
    assert sorted(d["code"] for d in found) == ["YT001", "YT001"]
    # `収録🎙: 10:06`: 収, 録 and ": " are one UTF-16 unit each, 🎙 two: the value starts at 6
    assert _at(found, "YT001") == [_range(6, 6, 11), _range(7, 10, 15)]
    first = found[0]
    assert first["severity"] == 1
    assert first["source"] == "epilint"
    assert first["codeDescription"]["href"] == f"{RULES_DOC_URL}#yt001-sexagesimal-number"
    assert "36360" in first["message"]

    actions = _actions(client, post, _range(7, 11, 11))
    titles = [a["title"] for a in actions]
    assert titles == [
        'Fix YT001: quote it: "45:30"',
        "Suppress YT001 on this line",
        "Fix all safe epilint problems",
    ]
    quick = actions[0]
    assert quick["kind"] == "quickfix"
    assert quick["isPreferred"] is True
    assert quick["diagnostics"][0]["code"] == "YT001"
    assert "isPreferred" not in actions[1] or not actions[1]["isPreferred"]
    fixed = apply(TEXT, quick["edit"]["changes"][uri(post)])
    assert 'duration: "45:30"' in fixed
    client.change(post, fixed, version=2)
    assert _at(client.diagnostics(post, version=2), "YT001") == [_range(6, 6, 11)]

    # the fix on the Japanese line: its edit range is in UTF-16 units too
    (japanese,) = [a for a in _actions(client, post, _range(6, 7, 7)) if a["title"].startswith("Fix YT001")]
    (edit,) = japanese["edit"]["changes"][uri(post)]
    assert edit["range"] == _range(6, 6, 11)
    done = apply(fixed, [edit])
    assert '収録🎙: "10:06"' in done
    client.change(post, done, version=3)
    assert client.diagnostics(post, version=3) == []  # cleared
    assert _actions(client, post, _range(6, 7, 7)) == []
    assert client.shutdown() == 0


def test_fix_all_and_suppress(client: Client, site: Path) -> None:
    client.initialize(site)
    post = site / POST
    crlf = TEXT.replace("\n", "\r\n")
    client.open(post, crlf)
    assert len(client.diagnostics(post, version=1)) == 2
    (fix_all,) = _actions(client, post, _range(0, 0, 0), only=["source.fixAll"])
    assert fix_all["kind"] == "source.fixAll.epilint"
    fixed = apply(crlf, fix_all["edit"]["changes"][uri(post)])
    assert fixed == crlf.replace("10:06", '"10:06"').replace("45:30", '"45:30"')  # CRLF kept
    client.change(post, fixed, version=2)
    assert client.diagnostics(post, version=2) == []

    client.change(post, crlf, version=3)
    assert len(client.diagnostics(post, version=3)) == 2
    (suppress,) = [a for a in _actions(client, post, _range(7, 11, 11)) if a["title"].startswith("Suppress")]
    quiet = apply(crlf, suppress["edit"]["changes"][uri(post)])
    assert "duration: 45:30  # epilint: disable=YT001\r\n" in quiet
    client.change(post, quiet, version=4)
    assert _at(client.diagnostics(post, version=4), "YT001") == [_range(6, 6, 11)]
    assert (site / POST).read_text(encoding="utf-8") == TEXT  # nothing is written
    assert client.shutdown() == 0


def test_hover_says_what_jekyll_reads(client: Client, site: Path) -> None:
    client.initialize(site)
    post = site / POST
    client.open(post, TEXT)
    client.diagnostics(post, version=1)

    def hover(line: int, character: int) -> Any:
        return client.request(
            "textDocument/hover",
            {"textDocument": {"uri": uri(post)}, "position": {"line": line, "character": character}},
        )

    duration = hover(7, 12)
    text = duration["contents"]["value"]
    assert duration["contents"]["kind"] == "markdown"
    assert "**What Jekyll reads**" in text
    assert "Psych reads the integer 163800 (45 h 30 min)." in text
    assert "<itunes:duration>163800</itunes:duration>" in text
    assert duration["range"] == _range(7, 10, 15)
    # on the key too; after the astral character, in UTF-16 units
    assert "the integer 36360 (10 h 06 min)" in hover(6, 0)["contents"]["value"]
    assert hover(6, 8)["range"] == _range(6, 6, 11)
    date = hover(4, 8)["contents"]["value"]
    assert "the time 2022-09-11 00:00:00 +0900" in date
    assert "As the post's date: 2022-09-11 00:00:00 +0900 (Asia/Tokyo)." in date
    assert hover(12, 2) is None  # the body
    assert client.shutdown() == 0


def test_hover_shows_the_feed_element_the_site_template_writes(client: Client, site: Path) -> None:
    """With a feed template in the site, the hover quotes the predicted element (the
    server runs the feed phase), and an unsaved edit of the value makes it unknown."""
    from tests.conftest import FIXTURES

    (site / "feed.xml").write_text(
        (FIXTURES / "site" / "feed.xml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    client.initialize(site)
    post = site / POST
    client.open(post, TEXT)
    client.diagnostics(post, version=1)
    where = {"textDocument": {"uri": uri(post)}, "position": {"line": 7, "character": 12}}
    text = client.request("textDocument/hover", where)["contents"]["value"]
    assert "**The feed item element**" in text
    assert "The feed writes `<itunes:duration>163800</itunes:duration>` (`feed.xml` line" in text
    client.change(post, TEXT.replace("45:30", '"45:30"'), version=2)
    client.diagnostics(post, version=2)
    text = client.request("textDocument/hover", where)["contents"]["value"]
    assert "The feed writes `<itunes:duration>(unknown:" in text
    assert client.shutdown() == 0


def test_unsaved_text_is_judged_against_the_site_on_disk(client: Client, site: Path) -> None:
    client.initialize(site, options={"debounceMs": 0})
    post = site / POST
    clean = TEXT.replace("10:06", '"10:06"').replace("45:30", '"45:30"')
    client.open(post, clean)
    assert client.diagnostics(post, version=1) == []
    # unsaved: the title now claims episode 1, which _posts/2022-09-10-1.md has on disk
    client.change(post, clean.replace("title: 2. Hello", "title: 1. Hello"), version=2)
    duplicate = client.diagnostics(post, version=2)
    assert sorted(d["code"] for d in duplicate) == ["CO005"]  # EP005: one other post shows no pattern
    assert _at(duplicate, "CO005") == [_range(9, 7, 15)]
    (co005,) = [d for d in duplicate if d["code"] == "CO005"]
    assert "2022-09-10-1.md" in co005["message"]
    client.change(post, clean, version=3)
    assert client.diagnostics(post, version=3) == []
    # the buffer's summary replaces the file's: on disk the post is episode 1 too
    (site / POST).write_text(clean.replace("title: 2. Hello", "title: 1. Hello"), encoding="utf-8")
    client.change(post, clean + "\nMore notes.\n", version=4)
    assert client.diagnostics(post, version=4) == []
    assert client.shutdown() == 0


def test_changes_are_debounced_and_stale_versions_never_published(client: Client, site: Path) -> None:
    client.initialize(site, options={"debounceMs": 1000})
    post = site / POST
    client.open(post, TEXT)
    client.diagnostics(post, version=1)
    for version in (2, 3, 4):
        client.change(post, TEXT.replace("45:30", f'"45:3{version}"'), version)
    published = client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")
    assert published["params"]["version"] == 4
    assert [d["code"] for d in published["params"]["diagnostics"]] == ["YT001"]
    assert client.shutdown() == 0


def test_files_that_check_would_not_lint_and_broken_configs(client: Client, site: Path) -> None:
    client.initialize(site, options={"debounceMs": 0})
    readme = site / "README.md"
    client.open(readme, "no front matter here\n")
    assert client.diagnostics(readme, version=1) == []
    (site / "epilint.toml").write_text('select = ["NOPE"]\n', encoding="utf-8")
    post = site / POST
    client.open(post, TEXT)
    (problem,) = client.diagnostics(post, version=1)
    assert problem["range"] == _range(0, 0, 0)
    assert "NOPE" in problem["message"]
    (site / "epilint.toml").write_text('ignore = ["YT001", "FM012"]\n', encoding="utf-8")
    client.change(post, TEXT, version=2)
    assert client.diagnostics(post, version=2) == []  # the new config is read
    client.notify("exit", None)  # without shutdown: exit code 1, as LSP asks
    assert client.process.wait(timeout=30) == 1


def test_client_position_encodings_are_honoured(site: Path) -> None:
    for encodings, japanese in ((["utf-8"], _range(6, 12, 17)), (["utf-32", "utf-16"], _range(6, 5, 10))):
        client = Client(site, env=dict(os.environ))
        try:
            capabilities = client.initialize(site, encodings=encodings)["capabilities"]
            assert capabilities["positionEncoding"] == encodings[0]
            post = site / POST
            client.open(post, TEXT)
            assert _at(client.diagnostics(post, version=1), "YT001")[0] == japanese
            assert client.shutdown() == 0
        finally:
            client.close()
