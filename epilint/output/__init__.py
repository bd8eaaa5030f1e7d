"""Report formats. ``FORMATTERS`` maps each ``--format`` choice to its module.

Each module has ``render(report: Report) -> str``. Modules are imported only when
chosen, so an unused format costs nothing at start-up.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from epilint.config.settings import DEFAULT_LAYOUT
from epilint.lint.results import FileResult, RunResult
from epilint.model import Span
from epilint.output.escape import printable

__all__ = ["FORMATTERS", "Region", "Report", "formatter", "printable", "region", "write"]

FORMATTERS: dict[str, str] = {
    "text": "epilint.output.text",
    "json": "epilint.output.json_format",
    "sarif": "epilint.output.sarif",
    "github": "epilint.output.github",
    "junit": "epilint.output.junit",
}


@dataclass(frozen=True)
class Report:
    result: RunResult
    color: bool = False
    statistics: bool = False
    #: After ``--fix``: how many violations were fixed, in how many files.
    fixed: tuple[int, int] | None = None
    #: The text layout: ``concise``, ``grouped`` or ``full`` (``--output-format``).
    layout: str = DEFAULT_LAYOUT
    #: ``--quiet``: the findings and nothing else (no summary).
    quiet: bool = False
    #: Lines about what the run covered (``--since`` widened, baseline, …), before the summary.
    scope: tuple[str, ...] = ()
    #: ``--show-fixes``: (displayed path, code, fix title) of each fix applied.
    applied: tuple[tuple[str, str, str], ...] = ()
    show_fixes: bool = False


@dataclass(frozen=True, slots=True)
class Region:
    line: int
    column: int
    end_line: int
    end_column: int


def region(file: FileResult, span: Span) -> Region:
    """1-based line/column (code points) of a span, converted at the output edge."""
    positions = file.positions
    line, column = positions.position(span.start)
    end_line, end_column = positions.position(span.end)
    return Region(line, column, end_line, end_column)


def write(name: str, report: Report, out: TextIO) -> None:
    """Render ``report`` in format ``name`` into ``out``, in pieces when the format can
    stream (``stream(report)``), so a large run never holds its whole report twice."""
    module = importlib.import_module(FORMATTERS[name])
    pieces = getattr(module, "stream", None)
    if pieces is None:
        out.write(module.render(report))
        return
    for piece in pieces(report):
        out.write(piece)


def formatter(name: str) -> Callable[[Report], str]:
    module = importlib.import_module(FORMATTERS[name])
    render: Callable[[Report], str] = module.render
    return render
