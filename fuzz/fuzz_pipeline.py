"""Coverage-guided fuzzing of the whole pipeline with atheris (optional, for long runs).

    pip install atheris
    python fuzz/fuzz_pipeline.py -max_total_time=600 fuzz/corpus/

Any bytes become a file: decode → Document → every rule → the fix engine (unsafe fixes
included). A crash, or a fixed text that fixes differently a second time, is a finding.
The CI runs the bounded hypothesis version in tests/robustness/test_fuzz.py instead.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from epilint.config.settings import Settings
    from epilint.fix import engine
    from epilint.lint.linter import Linter
    from epilint.lint.results import FileResult
    from epilint.read.document import Document
    from epilint.read.source import decode_document
    from epilint.schema import load

LINTER = Linter.create(Settings(select=("",)), load.load_schema(load.bundled_schema()))
PATH = Path("fuzz.md")


def _lint(doc: Document, display: str) -> FileResult:
    return LINTER.lint(doc, display).result


def one_input(data: bytes) -> None:
    doc = decode_document(PATH, data)
    planned = engine.plan_file(_lint, engine.Checked(doc, _lint(doc, "fuzz.md")), unsafe=True)
    if planned.changed:
        again = decode_document(PATH, planned.after.encode("utf-8", "surrogatepass"))
        second = engine.plan_file(_lint, engine.Checked(again, _lint(again, "fuzz.md")), unsafe=True)
        if second.changed:
            raise AssertionError("fixing is not idempotent")


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
