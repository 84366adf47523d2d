"""The package is laid out by pipeline stage, and imports only go down the stages."""

from __future__ import annotations

import grimp

LAYERS = ("cli", "web", "batch", "authoring", "update", "pack", "write", "render", "inputs", "model", "errors",
          "i18n")
"""packbuilder's stages, the highest first: a module may import only from its own stage or
the stages below it (inputs and render are side by side in the pipeline, never import each
other, and so may sit in either order)."""


def test_imports_only_go_down_the_stages():
    graph = grimp.build_graph("packbuilder")
    illegal = graph.find_illegal_dependencies_for_layers(layers=LAYERS, containers={"packbuilder"})
    found = sorted(f"{d.importer} imports {d.imported}: "
                   + "; ".join(f"{sorted(r.heads)} -> {list(r.middle)} -> {sorted(r.tails)}" for r in d.routes)
                   for d in illegal)
    assert found == []


def test_every_module_belongs_to_a_stage():
    graph = grimp.build_graph("packbuilder")
    top = {m.split(".")[1] for m in graph.modules if m.count(".") >= 1}
    assert top <= set(LAYERS) | {"__main__"}, sorted(top - set(LAYERS))
