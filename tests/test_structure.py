"""How the project's modules depend on each other (``make lint`` checks the layers with import-linter)."""

from __future__ import annotations

import re
from pathlib import Path

import grimp

PACKAGES = ("rag", "ingest", "evals", "playbook_coach", "bench")
ROOT = Path(__file__).resolve().parent.parent


def test_no_module_is_imported_back_by_what_it_imports():
    graph = grimp.build_graph(*PACKAGES)  # imports inside functions count too
    cycles = [
        (module, imported)
        for module in sorted(graph.modules)
        for imported in sorted(graph.find_modules_directly_imported_by(module))
        if graph.chain_exists(importer=imported, imported=module)
    ]
    assert cycles == []


def test_nobody_reaches_into_the_engine_for_its_parts():
    """The app, CLI, evals and benchmarks call the engine (ask, ask_stream, retrieve, warm_up) and take the
    catalog, log and corpus manager from ``ingest.services.Services``, which wired them."""
    parts = re.compile(r"\bengine\.(?:catalog|store|embedder|snapshots|retriever|log|offline|answerer|llm)\b")
    sources = [p for package in (*PACKAGES, "scripts", "pages") for p in (ROOT / package).rglob("*.py")]
    reaching = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in [*sources, ROOT / "app.py"]
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if parts.search(line)
    ]
    assert reaching == []
