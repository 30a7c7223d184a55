"""The offline answerer: an answer made only of the playbook's own sentences, each cited.

Sentences of the retrieved passages are scored by similarity to the question (their vectors
were computed at ingest) plus the share of the question's terms they contain. The best few,
with near-duplicates removed, are put back in reading order and cited ``[n]``. When even the
best sentence is a weak match, it abstains and suggests questions the playbook can answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rag.catalog import Catalog
from rag.config import Settings
from rag.embeddings import Embedder
from rag.text import sentence_text, term_overlap, terms
from rag.types import Answer, Audience, Citation, Hit

OVERLAP_WEIGHT = 0.3  # term overlap next to cosine similarity (both 0..1)
RANK_WEIGHT = 0.05  # a slight preference for sentences from better-ranked passages
SELECTION_MARGIN = 0.15  # a sentence joins the answer only if this close to the best one
DUPLICATE_COSINE = 0.9
PASSAGES_READ = 5
MIN_WORDS = 4
ALIAS_LINE = "also called:"  # glossary alias lists feed query expansion, not answers

ABSTAIN_TEXT = ("The playbook doesn't cover that, so I can't give you a reliable answer. "
                "Your supervisor or Smart Manufacturing champion may know.")


@dataclass(frozen=True)
class ScoredSentence:
    hit_rank: int
    index: int  # position within its passage
    text: str
    score: float
    vector: np.ndarray


def confidence(scored: Sequence[ScoredSentence]) -> float:
    return max((s.score for s in scored), default=0.0)


def select(scored: Sequence[ScoredSentence], limit: int) -> list[ScoredSentence]:
    """Best sentences within the margin of the best one, without near-duplicates, in reading order."""
    ranked = sorted(scored, key=lambda s: -s.score)
    if not ranked:
        return []
    floor = ranked[0].score - SELECTION_MARGIN
    chosen: list[ScoredSentence] = []
    for candidate in ranked:
        if len(chosen) >= limit or candidate.score < floor:
            break
        if any(float(candidate.vector @ c.vector) > DUPLICATE_COSINE or candidate.text == c.text for c in chosen):
            continue
        chosen.append(candidate)
    return sorted(chosen, key=lambda s: (s.hit_rank, s.index))


def suggestions(hits: Sequence[Hit], limit: int = 3) -> tuple[str, ...]:
    """Questions the playbook can answer, taken from the headings nearest to what was asked."""
    found: list[str] = []
    for hit in sorted(hits, key=lambda h: -(h.dense_score or 0.0)):
        heading = hit.chunk.section.split(" > ")[-1] if hit.chunk.section else hit.chunk.title
        if not heading or hit.chunk.topic == "glossary":
            heading = heading and f"What is {heading}?"
        elif not heading.endswith("?"):
            heading = f"{hit.chunk.title}: {heading}"
        if heading and heading not in found:
            found.append(heading)
        if len(found) == limit:
            break
    return tuple(found)


class ExtractiveAnswerer:
    name = "offline"

    def __init__(self, settings: Settings, embedder: Embedder, catalog: Catalog) -> None:
        self.settings = settings
        self.embedder = embedder
        self.catalog = catalog

    def score(self, question: str, hits: Sequence[Hit]) -> list[ScoredSentence]:
        hits = list(hits[:PASSAGES_READ])
        if not hits:
            return []
        query_vector = self.embedder.embed_queries([question])[0]
        query_terms = set(terms(question))
        vectors = self.catalog.sentence_vectors([h.chunk.id for h in hits])
        scored: list[ScoredSentence] = []
        for rank, hit in enumerate(hits):
            sv = vectors.get(hit.chunk.id)
            if sv is None or not len(sv.spans):
                continue
            similarity = sv.vectors @ query_vector
            for index, ((start, end), sim) in enumerate(zip(sv.spans, similarity)):
                text = sentence_text(hit.chunk.text[start:end])
                if len(text.split()) < MIN_WORDS or text.endswith(":") or text.lower().startswith(ALIAS_LINE):
                    continue
                score = float(sim) + OVERLAP_WEIGHT * term_overlap(query_terms, text) - RANK_WEIGHT * rank
                scored.append(ScoredSentence(rank, index, text, score, sv.vectors[index]))
        return scored

    def answer(self, question: str, hits: Sequence[Hit], audience: Audience) -> Answer:
        scored = self.score(question, hits)
        if confidence(scored) < self.settings.abstain_threshold:
            return Answer(ABSTAIN_TEXT, (), True, self.name, suggestions=suggestions(hits), hits=tuple(hits))
        limit = self.settings.manager_sentences if audience is Audience.MANAGER else self.settings.worker_sentences
        chosen = select(scored, limit)
        numbers: dict[int, int] = {}
        parts: list[str] = []
        cited: dict[int, list[str]] = {}
        for sentence in chosen:
            n = numbers.setdefault(sentence.hit_rank, len(numbers) + 1)
            cited.setdefault(n, []).append(sentence.text)
            parts.append(f"{sentence.text} [{n}]")
        citations = tuple(
            citation_for(n, hits[rank], " ".join(cited[n])) for rank, n in numbers.items()
        )
        return Answer(" ".join(parts), citations, False, self.name, hits=tuple(hits))


def citation_for(n: int, hit: Hit, snippet: str) -> Citation:
    chunk = hit.chunk
    return Citation(n=n, chunk_id=chunk.id, source=chunk.doc_path, title=chunk.title,
                    section=chunk.section, page=chunk.page, snippet=snippet)
