"""The composition root: every long-lived part, built once from the settings and shared.

The app, the CLI, the evals, the benchmarks and the tests take what they need from here, so the
embedder, the vector store, the catalog and the question log are wired in one place, and the engine
and the ingestor share one copy of each (one model in memory per process).
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.audit import AuditLog
from ingest.manage import CorpusManager
from ingest.pipeline import Ingestor
from rag.catalog import Catalog
from rag.config import LLMBackend, Settings
from rag.embeddings import Embedder, SentenceTransformerEmbedder
from rag.engine import Engine
from rag.insights import Insights, gather, period_start, questions_csv, stamp
from rag.interactions import InteractionLog
from rag.llm import ChatModelAnswerer
from rag.retriever import RetrievalMode
from rag.snapshot import SnapshotCache
from rag.store import ChromaStore
from rag.types import Audience


@dataclass(frozen=True)
class Services:
    settings: Settings
    embedder: Embedder
    catalog: Catalog
    log: InteractionLog | None  # None: questions are not logged (evals, benchmarks)
    engine: Engine
    ingestor: Ingestor
    corpus: CorpusManager
    audit: AuditLog

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        log: bool = True,
        embedder: Embedder | None = None,
        llm: ChatModelAnswerer | None = None,
        unguarded: bool = False,
        mode: RetrievalMode = RetrievalMode.HYBRID,
    ) -> Services:
        """``embedder``: one already loaded (tests, benchmarks); the configured model otherwise, loaded
        when first needed. ``llm``: a language model answerer; by default the configured backend's, if
        any, shown ``unguarded`` only to measure the grounding guard."""
        settings.home.mkdir(parents=True, exist_ok=True)  # an unusable data home is reported as that, first
        embedder = embedder or SentenceTransformerEmbedder(
            settings.embedding_model, settings.embedding_batch_size, settings.embedding_backend
        )
        if llm is None and settings.llm_backend is not LLMBackend.OFFLINE:
            llm = ChatModelAnswerer.from_settings(settings.llm, checked=not unguarded)
        store = ChromaStore(settings)
        catalog = Catalog(settings.catalog_path)
        interactions = InteractionLog(settings.logs_path) if log else None
        if interactions is not None and settings.question_keep_days:
            interactions.forget_before(stamp(period_start(settings.question_keep_days)))
        snapshots = SnapshotCache(catalog, settings.lexical_path)
        engine = Engine(
            settings.retrieval, settings.answer, embedder, store, catalog, snapshots, interactions, llm, mode
        )
        ingestor = Ingestor(settings.ingest, catalog, store, lambda: embedder)
        audit = AuditLog(settings.audit_path)
        return cls(
            settings,
            embedder,
            catalog,
            interactions,
            engine,
            ingestor,
            CorpusManager(settings.console, ingestor, audit),
            audit,
        )

    def questions_csv(self, days: int) -> str:
        """The last ``days`` days' questions as CSV (see ``rag.insights.questions_csv``)."""
        if self.log is None:
            raise ValueError("the questions need the question log; these services were built without one")
        return questions_csv(self.log.interactions(limit=None, since=stamp(period_start(days))))

    def insights(self, days: int) -> Insights:
        """What was asked in the last ``days`` days and where the playbook fell short (needs the question log)."""
        if self.log is None:
            raise ValueError("insights need the question log; these services were built without one")
        documents = {path: record.upkeep for path, record in self.catalog.files().items()}
        return gather(
            self.log,
            documents,
            self.embedder.embed_queries,
            lambda question: self.engine.retrieve(question, Audience.ALL),
            days,
        )
