"""``epilint server``: a Language Server over stdio (pygls), for editors.

Documents are synced whole (``TextDocumentSyncKind.Full``: a post is a few KB, and the
server never applies partial edits of its own). On open and save a document is linted at
once; on change after ``debounce`` seconds without a newer change (``initializationOptions``
``{"debounceMs": 50}``), always the newest text. Diagnostics carry the document version
they were computed for. Code actions and hovers use the newest text's lint (re-linted first
when a change is still waiting for its debounce). Positions are converted in the encoding
agreed at ``initialize`` (``positions.py``).

One document's failure stays with it: a broken config or schema becomes one diagnostic at
the top of the file, an internal error one diagnostic and a log message; the server goes on.
"""

from __future__ import annotations

import asyncio
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from epilint import __version__
from epilint.editor import actions, diagnostics, hover
from epilint.editor.positions import TextPositions
from epilint.editor.workspace import Linted, Workspace
from epilint.errors import ConfigError

#: Seconds without a newer change before a changed document is linted.
DEBOUNCE = 0.05


@dataclass(frozen=True)
class Latest:
    """The newest lint of one open document."""

    version: int | None
    #: None: not an episode file (or it could not be linted): no actions, no hovers.
    linted: Linted | None
    positions: TextPositions


class Session:
    """The server's state: the workspace, each open document's newest lint, the timers."""

    def __init__(self, server: LanguageServer, debounce: float = DEBOUNCE) -> None:
        self.server = server
        self.debounce = debounce
        self.lints = Workspace()
        self.latest: dict[str, Latest] = {}
        self._timers: dict[str, asyncio.TimerHandle] = {}

    # -- linting -------------------------------------------------------------------

    def lint(self, uri: str) -> Latest | None:
        """Lint the document's newest text now and publish its diagnostics."""
        self._cancel(uri)
        document = self.server.workspace.get_text_document(uri)
        path = to_fs_path(uri) if uri.startswith("file:") else None
        positions = TextPositions(document.source, str(self.server.workspace.position_encoding or "utf-16"))
        if path is None:
            return None
        found: list[types.Diagnostic] = []
        linted: Linted | None = None
        try:
            linted = self.lints.lint(Path(path), document.source)
        except ConfigError as exc:
            found = [diagnostics.problem(f"epilint: {exc}")]
        except Exception as exc:  # a bug in epilint: report it, keep serving
            self._log(f"epilint failed on {path}:\n{traceback.format_exc()}")
            found = [diagnostics.problem(f"epilint could not lint this file (internal error: {exc!r})")]
        if linted is not None:
            violations = linted.checked.result.violations
            found = [diagnostics.diagnostic(v, positions, linted.shift) for v in violations]
        latest = self.latest[uri] = Latest(document.version, linted, positions)
        self.server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=found, version=document.version)
        )
        return latest

    def changed(self, uri: str) -> None:
        """A change: lint once no newer change came for ``debounce`` seconds."""
        self._cancel(uri)
        if self.debounce <= 0:
            self.lint(uri)
            return
        loop = asyncio.get_running_loop()
        self._timers[uri] = loop.call_later(self.debounce, self.lint, uri)

    def saved(self, uri: str) -> None:
        """A save: this document now, the other open ones soon (their collection rules
        read this post from disk)."""
        self.lint(uri)
        for other in list(self.latest):
            if other != uri:
                self.changed(other)

    def closed(self, uri: str) -> None:
        self._cancel(uri)
        self.latest.pop(uri, None)
        self.server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def current(self, uri: str) -> Latest | None:
        """The lint of the document's newest text (linting it now when it is not)."""
        latest = self.latest.get(uri)
        version = self.server.workspace.get_text_document(uri).version
        if latest is None or latest.version != version or uri in self._timers:
            latest = self.lint(uri)
        return latest

    def _cancel(self, uri: str) -> None:
        timer = self._timers.pop(uri, None)
        if timer is not None:
            timer.cancel()

    def _log(self, message: str) -> None:
        self.server.window_log_message(types.LogMessageParams(type=types.MessageType.Error, message=message))

    # -- requests ------------------------------------------------------------------

    def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        uri = params.text_document.uri
        latest = self.current(uri)
        if latest is None or latest.linted is None:
            return None
        return actions.code_actions(latest.linted, latest.positions, uri, params.range, params.context.only)

    def hover(self, params: types.HoverParams) -> types.Hover | None:
        latest = self.current(params.text_document.uri)
        if latest is None or latest.linted is None:
            return None
        linted = latest.linted
        offset = latest.positions.offset(params.position.line, params.position.character) - linted.shift
        target = hover.target_at(linted.linter.context(linted.checked.document), offset)
        text = hover.hover_text(target) if target is not None else None
        if target is None or text is None:
            return None
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
            range=diagnostics.lsp_range(latest.positions, target.span, linted.shift),
        )


def create(debounce: float = DEBOUNCE) -> tuple[LanguageServer, Session]:
    """The server with every feature registered, and its session."""
    server = LanguageServer("epilint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
    session = Session(server, debounce)

    @server.feature(types.INITIALIZE)
    def initialize(params: types.InitializeParams) -> None:
        options: Any = params.initialization_options
        if isinstance(options, dict) and isinstance(options.get("debounceMs"), (int, float)):
            session.debounce = max(0.0, float(options["debounceMs"]) / 1000)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        session.lint(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        session.changed(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        session.saved(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        session.closed(params.text_document.uri)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, actions.FIX_ALL]),
    )
    def code_action(params: types.CodeActionParams) -> list[types.CodeAction] | None:
        return session.code_actions(params)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def on_hover(params: types.HoverParams) -> types.Hover | None:
        return session.hover(params)

    return server, session


def main() -> int:
    """Serve over stdin/stdout until the client says exit: 0 after a shutdown request,
    1 when the client exits without one (or the connection is lost), as LSP asks."""
    server, _ = create()
    server.start_io()
    return 0 if getattr(server.protocol, "_shutdown", False) else 1
