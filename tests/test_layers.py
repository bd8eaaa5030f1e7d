"""The package's structure: no import cycles, and imports point down the layers.

The graph is read from the source by ``bench/imports.py`` (every import counts, also
inside functions and under ``TYPE_CHECKING``); run it to see the figures.
"""

from __future__ import annotations

from types import ModuleType

from tests.conftest import bench_module


def _imports() -> ModuleType:
    return bench_module("imports")


def test_no_import_cycles() -> None:
    imports = _imports()
    assert imports.cycles(imports.graph()) == []


def test_only_rule_discovery_imports_upward() -> None:
    imports = _imports()
    assert imports.upward(imports.graph()) == [("epilint.lint.registry", "epilint.rules")]


def test_every_module_is_in_a_layer_and_the_checker_sees_real_edges() -> None:
    imports = _imports()
    edges = imports.graph()
    assert "epilint.cli" in edges
    assert "epilint.run.pipeline" in edges["epilint.cli"]
    assert "epilint.lint.context" in edges["epilint.lint.facts"]
    # a made-up upward edge is reported
    fake = {**edges, "epilint.read.document": {*edges["epilint.read.document"], "epilint.run.pipeline"}}
    assert ("epilint.read.document", "epilint.run.pipeline") in imports.upward(fake)
    fake["epilint.run.pipeline"] = {*edges["epilint.run.pipeline"], "epilint.read.document"}
    assert imports.cycles(fake)


def test_config_does_not_import_the_rules() -> None:
    imports = _imports()
    edges = imports.graph()
    for module in (m for m in edges if m.startswith("epilint.config")):
        assert not any(t.startswith(("epilint.lint", "epilint.rules")) for t in edges[module]), module
