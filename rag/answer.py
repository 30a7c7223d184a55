"""The offline answerer: an answer made only of the playbook's own sentences, each cited.

Sentences of the retrieved passages are scored by similarity to the question (their vectors
were computed at ingest) plus the share of the question's terms they contain. The best few,
with near-duplicates removed, are topped up with the sentences that follow them, put back in
reading order and cited ``[n]``. When even the best sentence is a weak match, it abstains and
suggests questions the playbook can answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rag.catalog import Catalog
from rag.config import Settings
from rag.embeddings import Embedder
from rag.query import Vocabulary
from rag.text import sentence_text, term_overlap, terms
from rag.types import Answer, Audience, Citation, Hit

OVERLAP_WEIGHT = 0.3  # term overlap next to cosine similarity (both 0..1)
RANK_WEIGHT = 0.05  # a slight preference for sentences from better-ranked passages
SELECTION_MARGIN = 0.15  # a sentence joins the answer only if this close to the best one
DUPLICATE_COSINE = 0.9
LOOKAHEAD = 3  # how far past skipped lines (short, lead-ins, headings) a "next sentence" may be
UNKNOWN_PENALTY = 0.35  # confidence lost when every question term is one the playbook never uses
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
    place: tuple[int, int, int] = (0, 0, 0)  # (document's best rank, passage ordinal, index): reading order


def confidence(scored: Sequence[ScoredSentence]) -> float:
    return max((s.score for s in scored), default=0.0)


def _repeats(candidate: ScoredSentence, chosen: Sequence[ScoredSentence]) -> bool:
    """Same words, or nearly the same meaning in another passage. Neighbours in one passage share
    their context, so their (contextual) vectors are close without saying the same thing."""
    return any(candidate.text == c.text or (candidate.hit_rank != c.hit_rank
                                            and float(candidate.vector @ c.vector) > DUPLICATE_COSINE)
               for c in chosen)


def select(scored: Sequence[ScoredSentence], limit: int) -> list[ScoredSentence]:
    """Best sentences within the margin of the best one, topped up to ``limit`` with the sentences
    that follow them, without near-duplicates, in reading order.

    The best match is often a topic sentence ("A common escalation plan has levels.") whose
    substance is in the next sentences; those read on from it, where weaker matches from
    elsewhere would not.
    """
    ranked = sorted(scored, key=lambda s: -s.score)
    if not ranked:
        return []
    floor = ranked[0].score - SELECTION_MARGIN
    chosen: list[ScoredSentence] = []
    for candidate in ranked:
        if len(chosen) >= limit or candidate.score < floor:
            break
        if not _repeats(candidate, chosen):
            chosen.append(candidate)
    by_position = {(s.hit_rank, s.index): s for s in scored}
    anchors = list(chosen)
    while anchors and len(chosen) < limit:
        added = []
        for anchor in anchors:
            after = range(anchor.index + 1, anchor.index + 1 + LOOKAHEAD)
            following = next((by_position[(anchor.hit_rank, i)] for i in after
                              if (anchor.hit_rank, i) in by_position
                              and not _repeats(by_position[(anchor.hit_rank, i)], chosen)), None)
            if following is not None and len(chosen) < limit:
                chosen.append(following)
                added.append(following)
        anchors = added
    return sorted(chosen, key=lambda s: s.place)


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

    def score(self, question: str, hits: Sequence[Hit], focus: str = "") -> list[ScoredSentence]:
        """Scores the passages' sentences against ``question``; a follow-up's own words (``focus``)
        count as much for term overlap as the whole resolved question."""
        hits = list(hits[:PASSAGES_READ])
        if not hits:
            return []
        query_vector = self.embedder.embed_queries([question])[0]
        query_terms = set(terms(question))
        focus_terms = set(terms(focus)) if focus else query_terms
        vectors = self.catalog.sentence_vectors([h.chunk.id for h in hits])
        doc_rank: dict[str, int] = {}
        for rank, hit in enumerate(hits):
            doc_rank.setdefault(hit.chunk.doc_path, rank)
        scored: list[ScoredSentence] = []
        for rank, hit in enumerate(hits):
            sv = vectors.get(hit.chunk.id)
            if sv is None or not len(sv.spans):
                continue
            similarity = sv.vectors @ query_vector
            heading_score: float | None = None
            for index, ((start, end), sim) in enumerate(zip(sv.spans, similarity)):
                text = sentence_text(hit.chunk.text[start:end])
                overlap = (term_overlap(query_terms, text) + term_overlap(focus_terms, text)) / 2
                score = float(sim) + OVERLAP_WEIGHT * overlap - RANK_WEIGHT * rank
                if text.endswith("?"):
                    # A question line is a heading (PDF and HTML keep them): it answers nothing itself,
                    # but how well it matches counts for the statement that follows it.
                    heading_score = score
                    continue
                if len(text.split()) < MIN_WORDS or text.endswith(":") or text.lower().startswith(ALIAS_LINE):
                    continue
                if heading_score is not None:
                    score, heading_score = max(score, heading_score), None
                place = (doc_rank[hit.chunk.doc_path], hit.chunk.ordinal, index)
                scored.append(ScoredSentence(rank, index, text, score, sv.vectors[index], place))
        return scored

    def answer(self, question: str, hits: Sequence[Hit], audience: Audience, focus: str = "",
               vocabulary: Vocabulary | None = None) -> Answer:
        """``question`` is what retrieval used; ``focus`` the words just typed, when they differ."""
        scored = self.score(question, hits, focus)
        unknown = vocabulary.unknown_share(focus or question) if vocabulary is not None else 0.0
        if confidence(scored) - UNKNOWN_PENALTY * unknown < self.settings.abstain_threshold:
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
