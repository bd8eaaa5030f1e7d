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
    from epilint import fixer, schema
    from epilint.config import Settings
    from epilint.runner import FileResult, Linter, decode_document

LINTER = Linter(Settings(select=("",)), schema.load_schema(schema.bundled_schema()))
PATH = Path("fuzz.md")


def one_input(data: bytes) -> None:
    doc = decode_document(PATH, data)
    result = FileResult(PATH, "fuzz.md", doc, LINTER.check(doc, "fuzz.md"))
    planned = fixer.plan_result(LINTER, result, unsafe=True)
    if planned.changed:
        again = decode_document(PATH, planned.after.encode("utf-8", "surrogatepass"))
        second = fixer.plan_result(
            LINTER, FileResult(PATH, "fuzz.md", again, LINTER.check(again, "fuzz.md")), unsafe=True
        )
        if second.changed:
            raise AssertionError("fixing is not idempotent")


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
