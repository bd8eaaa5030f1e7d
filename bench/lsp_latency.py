#!/usr/bin/env python3
"""The didChange → publishDiagnostics round trip of ``epilint server``, and the work per change.

    python3 bench/lsp_latency.py [--count 1000] [--changes 40] [--work DIR]

Generates a site of COUNT posts (``bench/gen_corpus.py``, cached in ``--work``) with the
stock yattecast ``feed.xml`` (so the feed phase runs as on a real site), starts
``python -m epilint server`` in it with pygls' own client, opens one post in the middle and
sends CHANGES whole-document changes (each one toggling the quoting of its duration, so the
diagnostics differ every time), timing each from sending the change to receiving the
diagnostics of that version. It prints the time of the first open (the setup: config,
schema, site, every other post's summary) and the median and 90th percentile of the round
trips, with the debounce set to 0 (the work alone) and at its default (what an editor sees).

Times on a shared machine are noisy, so it also counts the work per change in-process,
with the same ``Workspace`` the server uses: documents parsed, files read, and summaries
of the other posts reused, taken from the results cache or parsed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def corpus(count: int, work: Path) -> Path:
    site = work / f"lsp-{count}"
    if not (site / "_posts").is_dir():
        generator = str(ROOT / "bench" / "gen_corpus.py")
        subprocess.run([sys.executable, generator, "--count", str(count), "--out", str(site)], check=True)
    # the stock yattecast feed template, as the sites epilint serves have: the server's
    # feed phase predicts it (once, then from its cache) and its hovers quote the items
    template = (ROOT / "tests" / "fixtures" / "site" / "feed.xml").read_text(encoding="utf-8")
    if not (site / "feed.xml").is_file() or (site / "feed.xml").read_text(encoding="utf-8") != template:
        (site / "feed.xml").write_text(template, encoding="utf-8")
    return site


def variants(text: str) -> tuple[str, str]:
    """The post with its duration unquoted (YT001) and quoted (no YT001)."""
    for line in text.splitlines():
        if line.startswith("duration:"):
            value = line.split(":", 1)[1].strip().strip('"')
            return (
                text.replace(line, f"duration: {value}", 1),
                text.replace(line, f'duration: "{value}"', 1),
            )
    raise SystemExit("the post has no duration line")


async def round_trips(
    site: Path, post: Path, changes: int, debounce_ms: float | None
) -> tuple[float, list[float]]:
    from lsprotocol import types
    from pygls.lsp.client import LanguageClient

    client = LanguageClient("lsp-latency", "1")
    arrived: dict[int, asyncio.Future[float]] = {}

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: types.PublishDiagnosticsParams) -> None:
        waiting = arrived.get(params.version or -1)
        if waiting is not None and not waiting.done():
            waiting.set_result(time.perf_counter())

    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path}
    await client.start_io(sys.executable, "-m", "epilint", "server", cwd=site, env=env)
    options = None if debounce_ms is None else {"debounceMs": debounce_ms}
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            root_uri=site.as_uri(),
            initialization_options=options,
        )
    )
    client.initialized(types.InitializedParams())
    uri = post.resolve().as_uri()
    loop = asyncio.get_running_loop()
    unquoted, quoted = variants(post.read_text(encoding="utf-8"))

    arrived[1] = loop.create_future()
    sent = time.perf_counter()
    opened = types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=unquoted)
    client.text_document_did_open(types.DidOpenTextDocumentParams(opened))
    first = (await asyncio.wait_for(arrived[1], timeout=300)) - sent
    times = []
    for version in range(2, changes + 2):
        arrived[version] = loop.create_future()
        text = quoted if version % 2 == 0 else unquoted
        sent = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(version=version, uri=uri),
                [types.TextDocumentContentChangeWholeDocument(text)],
            )
        )
        times.append((await asyncio.wait_for(arrived[version], timeout=120)) - sent)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return first, times


def work_per_change(site: Path, post: Path, changes: int) -> dict[str, float]:
    """Documents parsed, files read and summaries used per lint, counted in-process."""
    sys.path.insert(0, str(ROOT))
    from typing import Any

    from epilint.editor.workspace import Workspace
    from epilint.read import document

    counts = {"parsed": 0, "read": 0}
    parse, opener = document.Document.parse, Path.open

    def counting_parse(path: Path, text: str, *, bom: bool = False) -> document.Document:
        counts["parsed"] += 1
        return parse(path, text, bom=bom)

    def counting_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        counts["read"] += 1
        return opener(self, *args, **kwargs)

    def counting_builtin(*args: Any, **kwargs: Any) -> Any:
        counts["read"] += 1
        return builtin(*args, **kwargs)

    import builtins

    builtin = builtins.open
    document.Document.parse = counting_parse  # type: ignore[method-assign,assignment]
    Path.open = counting_open  # type: ignore[method-assign]
    builtins.open = counting_builtin
    try:
        workspace = Workspace()
        unquoted, quoted = variants(post.read_text(encoding="utf-8"))
        workspace.lint(post, unquoted)  # the first open: builds the setup
        work = workspace.setup_for(post).summaries.work
        before = dict(counts, kept=work.kept, cached=work.cached, summaries_parsed=work.parsed)
        for index in range(changes):
            workspace.lint(post, quoted if index % 2 == 0 else unquoted)
        after = dict(counts, kept=work.kept, cached=work.cached, summaries_parsed=work.parsed)
    finally:
        document.Document.parse = parse  # type: ignore[method-assign]
        Path.open = opener  # type: ignore[method-assign]
        builtins.open = builtin
    return {name: (after[name] - before[name]) / changes for name in after}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--changes", type=int, default=40)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "epilint-bench")
    args = parser.parse_args(argv)
    site = corpus(args.count, args.work)
    posts = sorted((site / "_posts").glob("*.md"))
    post = posts[len(posts) // 2]
    os.environ.setdefault("EPILINT_CACHE_DIR", str(args.work / f"lsp-{args.count}-cache"))
    print(f"site: {args.count} posts ({site}); the post: {post.name}; load average {os.getloadavg()}")
    for label, debounce in (("debounce 0", 0.0), ("default debounce", None)):
        first, times = asyncio.run(round_trips(site, post, args.changes, debounce))
        times.sort()
        p90 = times[int(len(times) * 0.9) - 1]
        print(
            f"{label}: first open {first * 1000:.0f} ms; didChange → publishDiagnostics over "
            f"{len(times)} changes: median {statistics.median(times) * 1000:.1f} ms, "
            f"p90 {p90 * 1000:.1f} ms, min {times[0] * 1000:.1f} ms"
        )
    work = work_per_change(site, post, args.changes)
    print(
        "work per change (in-process, the server's Workspace): "
        f"{work['parsed']:g} document parsed, {work['read']:g} files opened, "
        f"{work['kept']:g} summaries of other posts reused, {work['cached']:g} from the results cache, "
        f"{work['summaries_parsed']:g} parsed again"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
