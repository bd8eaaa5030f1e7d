"""A minimal LSP client for the tests: JSON-RPC with Content-Length framing over the pipes
of a real ``python -m epilint server`` subprocess.

A reader thread parses every message the server writes into a queue; ``request`` waits for
the response with the same id, ``wait`` for a notification matching a test. Every wait is
bounded; a server request (``client/registerCapability`` …) is answered with ``null``.
"""

from __future__ import annotations

import json
import queue
import re
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

TIMEOUT = 30.0

Message = dict[str, Any]


def uri(path: Path) -> str:
    return path.resolve().as_uri()


class Client:
    def __init__(self, cwd: Path, env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "epilint", "server"],
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        assert self.process.stdin is not None
        self._out: IO[bytes] = self.process.stdin
        self._messages: queue.Queue[Message | None] = queue.Queue()
        self._seen: list[Message] = []
        self._next_id = 0
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    # -- the wire ------------------------------------------------------------------

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    self._messages.put(None)
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value.strip())
            assert length is not None, "a message without Content-Length"
            self._messages.put(json.loads(stream.read(length)))

    def send(self, message: Message) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self._out.write(f"Content-Length: {len(body)}\r\n\r\n".encode("ascii") + body)
        self._out.flush()

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any) -> Any:
        self._next_id += 1
        ident = self._next_id
        self.send({"id": ident, "method": method, "params": params})
        reply = self.wait(lambda m: m.get("id") == ident and "method" not in m)
        assert "error" not in reply, reply
        return reply.get("result")

    def wait(self, match: Callable[[Message], bool], timeout: float = TIMEOUT) -> Message:
        """The first message (already received or still to come) that ``match`` accepts."""
        for index, message in enumerate(self._seen):
            if match(message):
                return self._seen.pop(index)
        import time

        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no matching message within {timeout} s; stderr: {self._stderr()}")
            try:
                received = self._messages.get(timeout=left)
            except queue.Empty:
                continue
            if received is None:
                raise EOFError(f"the server closed its output; stderr: {self._stderr()}")
            message = received
            if "method" in message and "id" in message:  # a request from the server
                self.send({"id": message["id"], "result": None})
                continue
            if match(message):
                return message
            self._seen.append(message)

    def _stderr(self) -> str:
        if self.process.poll() is None or self.process.stderr is None:
            return "(server still running)"
        return self.process.stderr.read().decode("utf-8", "replace")[-2000:]

    # -- LSP -----------------------------------------------------------------------

    def initialize(self, root: Path, options: Any = None, encodings: list[str] | None = None) -> Any:
        capabilities: dict[str, Any] = {
            "textDocument": {
                "publishDiagnostics": {"versionSupport": True},
                "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix"]}}},
                "hover": {"contentFormat": ["markdown", "plaintext"]},
            }
        }
        if encodings is not None:
            capabilities["general"] = {"positionEncodings": encodings}
        result = self.request(
            "initialize",
            {
                "processId": None,
                "rootUri": uri(root),
                "capabilities": capabilities,
                "initializationOptions": options,
            },
        )
        self.notify("initialized", {})
        return result

    def diagnostics(self, path: Path, version: int | None = None) -> list[dict[str, Any]]:
        """The next diagnostics published for ``path`` (for ``version``, when given)."""
        target = uri(path)

        def match(m: Message) -> bool:
            if m.get("method") != "textDocument/publishDiagnostics" or m["params"]["uri"] != target:
                return False
            return version is None or m["params"].get("version") == version

        found: list[dict[str, Any]] = self.wait(match)["params"]["diagnostics"]
        return found

    def open(self, path: Path, text: str, version: int = 1) -> None:
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri(path), "languageId": "markdown", "version": version, "text": text}},
        )

    def change(self, path: Path, text: str, version: int) -> None:
        self.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri(path), "version": version}, "contentChanges": [{"text": text}]},
        )

    def shutdown(self) -> int:
        """shutdown, exit, and the server's exit code."""
        assert self.request("shutdown", None) is None
        self.notify("exit", None)
        return self.process.wait(timeout=TIMEOUT)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=TIMEOUT)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


def apply(text: str, edits: list[dict[str, Any]]) -> str:
    """``text`` with LSP ``TextEdit``s applied, positions counted in UTF-16 code units."""
    lines = re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z", text) or [""]

    def offset(position: dict[str, int]) -> int:
        line, character = position["line"], position["character"]
        before = sum(len(item) for item in lines[:line])
        units = 0
        index = 0
        current = lines[line] if line < len(lines) else ""
        while index < len(current) and units < character:
            units += 2 if ord(current[index]) > 0xFFFF else 1
            index += 1
        return before + index

    spans = sorted((offset(e["range"]["start"]), offset(e["range"]["end"]), e["newText"]) for e in edits)
    out, position = [], 0
    for start, end, new in spans:
        out.append(text[position:start])
        out.append(new)
        position = end
    out.append(text[position:])
    return "".join(out)
