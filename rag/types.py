"""Plain typed data that flows through ingest, retrieval and answering."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any


class Audience(str, Enum):
    WORKER = "worker"
    MANAGER = "manager"
    ALL = "all"

    def addresses(self, asker: Audience) -> bool:
        """A document written for this audience addresses the asker: written for the asker's own role or for
        everyone. An asker of no particular role has no role of their own to be addressed in."""
        return asker is not Audience.ALL and self in (asker, Audience.ALL)

    @classmethod
    def parse(cls, value: str | None, default: Audience | None = None) -> Audience:
        if value is None or str(value).strip() == "":
            if default is None:
                raise ValueError("audience is required: one of worker, manager, all")
            return default
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            raise ValueError(f"unknown audience {value!r}: use one of {', '.join(a.value for a in cls)}") from None


@dataclass(frozen=True)
class Upkeep:
    """Who keeps a document right, and until when: optional fields of its front matter or sidecar."""

    owner: str = ""
    review_by: str = ""  # ISO date: the document is due for review then
    verified_by: str = ""  # a verified answer: the trainer who wrote it ...
    verified_on: str = ""  # ... and the ISO date they did

    @property
    def verified(self) -> bool:
        return bool(self.verified_by and self.verified_on)

    def overdue(self, today: date) -> bool:
        """Its review date has passed."""
        due = iso_date(self.review_by)
        return due is not None and due < today


def iso_date(value: str) -> date | None:
    """A YYYY-MM-DD date; None for anything else."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


@dataclass(frozen=True)
class Verification:
    """A trainer wrote and checked this answer."""

    by: str
    on: str  # ISO date

    def to_dict(self) -> dict[str, str]:
        return {"by": self.by, "on": self.on}


@dataclass(frozen=True)
class Heading:
    """A heading found in a document's text: ``text[start:end]``, at ``level`` (1 is the title)."""

    start: int
    end: int
    level: int
    text: str


@dataclass(frozen=True)
class SourceDocument:
    """One loaded file (or one PDF page range) before chunking."""

    path: str  # relative to the corpus directory, with forward slashes
    text: str
    title: str
    audience: Audience
    topic: str = ""
    tags: tuple[str, ...] = ()
    summary: str = ""
    format: str = "md"  # md | txt | html | pdf
    pages: tuple[tuple[int, int], ...] = ()  # (start offset in text, page number) for PDFs
    headings: tuple[Heading, ...] = ()  # a PDF's headings, read from its type; other formats mark theirs up
    upkeep: Upkeep = Upkeep()


ASKERS = (Audience.WORKER, Audience.MANAGER)  # the roles a person asks as; ALL is for documents only
HEADING_SEPARATOR = " > "  # between the headings of a section path, and after the title


@dataclass(frozen=True)
class Chunk:
    id: str
    doc_path: str
    ordinal: int
    text: str
    title: str
    section: str  # heading path, HEADING_SEPARATOR between headings
    audience: Audience
    topic: str = ""
    tags: tuple[str, ...] = ()
    page: int | None = None
    content_hash: str = ""
    flagged: str = ""  # non-empty: the reason the passage is quarantined as a likely injection

    @property
    def heading(self) -> str:
        return self.title if not self.section else f"{self.title}{HEADING_SEPARATOR}{self.section}"

    @property
    def own_heading(self) -> str:
        """The innermost heading of the section ("" outside any section)."""
        return self.section.split(HEADING_SEPARATOR)[-1]

    @property
    def indexed_text(self) -> str:
        """What is embedded and indexed: the passage with its title and section as context."""
        return f"{self.heading}\n\n{self.text}"


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float
    dense_score: float | None = None  # cosine similarity, when the dense retriever found it
    lexical_score: float | None = None


@dataclass(frozen=True)
class Turn:
    role: str  # "user" | "assistant"
    content: str


@dataclass(frozen=True)
class Citation:
    n: int
    chunk_ids: tuple[str, ...]  # the passages cited: one, or more of one section and page
    source: str
    title: str
    section: str
    page: int | None
    snippet: str
    verified: Verification | None = None  # the passage is a trainer's verified answer

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "source": self.source,
            "title": self.title,
            "section": self.section,
            "page": self.page,
            "snippet": self.snippet,
            "chunk_ids": list(self.chunk_ids),
            "verified": self.verified.to_dict() if self.verified else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Citation:
        verified = data.get("verified")
        return cls(
            data["n"],
            tuple(data["chunk_ids"]) if "chunk_ids" in data else (data["chunk_id"],),  # logged before 2026-12-05
            data["source"],
            data["title"],
            data["section"],
            data["page"],
            data["snippet"],
            Verification(verified["by"], verified["on"]) if verified else None,
        )


class BlockKind(str, Enum):
    PARAGRAPH = "paragraph"
    STEPS = "steps"  # a procedure's items, in order: shown numbered
    BULLETS = "bullets"  # a list's items


@dataclass(frozen=True)
class Block:
    """A part of an answer as it is laid out: prose, numbered steps or bullets."""

    kind: BlockKind
    lines: tuple[str, ...]  # cited sentences as in the answer's text ("Check the guard. [1]")
    lead_in: str = ""  # a list's own introduction ("When an alert fires:"), shown above its items

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "lead_in": self.lead_in, "lines": list(self.lines)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Block:
        return cls(BlockKind(data["kind"]), tuple(data["lines"]), data.get("lead_in", ""))


@dataclass(frozen=True)
class Answer:
    text: str
    citations: tuple[Citation, ...]
    abstained: bool
    backend: str
    latency_ms: float = 0.0
    suggestions: tuple[str, ...] = ()
    notice: str = ""  # e.g. "the LLM server did not answer; this is the offline answer"
    hits: tuple[Hit, ...] = field(default=(), compare=False, repr=False)
    interaction_id: int | None = None
    # Every passage the answer was composed from: the hits, and section openings read beside them.
    passages: tuple[Hit, ...] = field(default=(), compare=False, repr=False)
    intent: str = ""  # what kind of answer the question asked for (rag.question.Intent), when known
    blocks: tuple[Block, ...] = ()  # its layout, when the answerer knows it (the text is always complete)

    @property
    def verified(self) -> Verification | None:
        """Set when the answer leads with a trainer's verified answer (citation [1] is the lead's source)."""
        return self.citations[0].verified if self.citations and not self.abstained else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "answer": self.text,
            "verified": self.verified.to_dict() if self.verified else None,
            "abstained": self.abstained,
            "citations": [c.to_dict() for c in self.citations],
            "backend": self.backend,
            "latency_ms": round(self.latency_ms, 1),
            "suggestions": list(self.suggestions),
            "notice": self.notice,
            "intent": self.intent,
            "blocks": [b.to_dict() for b in self.blocks],
            "interaction_id": self.interaction_id,
            "retrieved": [h.chunk.doc_path for h in self.hits],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Answer:
        """An answer as ``to_dict`` wrote it, to show again (the passages it was read from are not kept)."""
        return cls(
            data["answer"],
            tuple(Citation.from_dict(c) for c in data["citations"]),
            data["abstained"],
            data["backend"],
            data.get("latency_ms", 0.0),
            tuple(data.get("suggestions", ())),
            data.get("notice", ""),
            interaction_id=data.get("interaction_id"),
            intent=data.get("intent", ""),
            blocks=tuple(Block.from_dict(b) for b in data.get("blocks", ())),
        )
