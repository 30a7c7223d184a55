"""How the project's modules depend on each other (``make lint`` checks the layers with import-linter)."""

from __future__ import annotations

import grimp

PACKAGES = ("rag", "ingest", "evals", "playbook_coach", "bench")


def test_no_module_is_imported_back_by_what_it_imports():
    graph = grimp.build_graph(*PACKAGES)  # imports inside functions count too
    cycles = [(module, imported) for module in sorted(graph.modules)
              for imported in sorted(graph.find_modules_directly_imported_by(module))
              if graph.chain_exists(importer=imported, imported=module)]
    assert cycles == []
