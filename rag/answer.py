"""The offline answerer: an answer made only of the playbook's own sentences, each cited.

Sentences of the retrieved passages are scored by similarity to the question (their vectors
were computed at ingest) plus the share of the question's terms they contain. The best few,
with near-duplicates removed, are topped up with the sentences that follow them, put back in
reading order and cited ``[n]``. When even the best sentence is a weak match, it abstains and
suggests questions the playbook can answer.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

import numpy as np

from rag.catalog import Catalog
from rag.config import Settings
from rag.embeddings import Embedder
from rag.snapshot import Snapshot
from rag.text import sentence_text, terms
from rag.types import Answer, Audience, Chunk, Citation, Hit

OVERLAP_WEIGHT = 0.3  # term overlap next to cosine similarity (both 0..1)
RANK_WEIGHT = 0.05  # a slight preference for sentences from better-ranked passages
SELECTION_MARGIN = 0.15  # a sentence joins the answer only if this close to the best one
DUPLICATE_COSINE = 0.9
LOOKAHEAD = 3  # how far past skipped lines (short, lead-ins, headings) a "next sentence" may be
UNKNOWN_PENALTY = 0.35  # confidence lost when every question term is one the playbook never uses
PASSAGES_READ = 5
MIN_WORDS = 4
CACHED_PASSAGES = 4096  # passages whose sentences stay read (~10 KB each; popular ones come up again and again)
ALIAS_LINE = "also called:"  # glossary alias lists feed query expansion, not answers

ABSTAIN_TEXT = ("The playbook doesn't cover that, so I can't give you a reliable answer. "
                "Your supervisor or Smart Manufacturing champion may know.")


class Role(Enum):
    STATEMENT = "statement"  # may be part of an answer
    HEADING = "heading"  # a question line (PDF and HTML keep headings): its match counts for what follows
    SKIPPED = "skipped"  # too short, a lead-in ending in ":", or a glossary alias list


@dataclass(frozen=True)
class Sentence:
    text: str  # as it reads in an answer
    terms: frozenset[str]
    role: Role


@dataclass(frozen=True)
class PassageSentences:
    sentences: tuple[Sentence, ...]
    vectors: np.ndarray  # one normalized row per sentence, computed at ingest


def read_sentence(text: str) -> Sentence:
    text = sentence_text(text)
    if text.endswith("?"):
        role = Role.HEADING
    elif len(text.split()) < MIN_WORDS or text.endswith(":") or text.lower().startswith(ALIAS_LINE):
        role = Role.SKIPPED
    else:
        role = Role.STATEMENT
    return Sentence(text, frozenset(terms(text)), role)


class SentenceCache:
    """Passages' sentences as the answerer reads them, read from the catalog on first use.

    Reading them (SQLite rows, markup stripped, terms stemmed) cost more than all the scoring, and
    it held the interpreter lock that concurrent questions share; a passage read once is kept,
    least recently used out first. A new catalog generation empties it: an ingest may have
    re-embedded a passage whose id (its text and metadata) did not change.
    """

    def __init__(self, catalog: Catalog, size: int = CACHED_PASSAGES) -> None:
        self.catalog = catalog
        self.size = size
        self._generation: int | None = None
        self._passages: OrderedDict[str, PassageSentences] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, chunks: Sequence[Chunk], generation: int) -> dict[str, PassageSentences]:
        with self._lock:
            if generation != self._generation:
                self._passages.clear()
                self._generation = generation
            found = {c.id: self._passages[c.id] for c in chunks if c.id in self._passages}
            for chunk_id in found:
                self._passages.move_to_end(chunk_id)
        missing = [c for c in chunks if c.id not in found]
        if missing:
            vectors = self.catalog.sentence_vectors([c.id for c in missing])
            read = {c.id: PassageSentences(tuple(read_sentence(c.text[a:b]) for a, b in sv.spans), sv.vectors)
                    for c in missing if (sv := vectors.get(c.id)) is not None and len(sv.spans)}
            with self._lock:
                if generation == self._generation:
                    self._passages.update(read)
                    while len(self._passages) > self.size:
                        self._passages.popitem(last=False)
            found.update(read)
        return found


def overlap(query_terms: set[str], sentence: Sentence) -> float:
    """Share of the query's content terms found in the sentence (0..1)."""
    return len(query_terms & sentence.terms) / len(query_terms) if query_terms else 0.0


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
        self.sentences = SentenceCache(catalog)

    def score(self, question: str, hits: Sequence[Hit], generation: int, focus: str = "") -> list[ScoredSentence]:
        """Scores the passages' sentences against ``question``; a follow-up's own words (``focus``)
        count as much for term overlap as the whole resolved question."""
        hits = list(hits[:PASSAGES_READ])
        if not hits:
            return []
        query_vector = self.embedder.embed_queries([question])[0]
        query_terms = set(terms(question))
        focus_terms = set(terms(focus)) if focus else query_terms
        passages = self.sentences.get([h.chunk for h in hits], generation)
        doc_rank: dict[str, int] = {}
        for rank, hit in enumerate(hits):
            doc_rank.setdefault(hit.chunk.doc_path, rank)
        scored: list[ScoredSentence] = []
        for rank, hit in enumerate(hits):
            passage = passages.get(hit.chunk.id)
            if passage is None:
                continue
            similarity = passage.vectors @ query_vector
            heading_score: float | None = None
            for index, (sentence, sim) in enumerate(zip(passage.sentences, similarity)):
                if sentence.role is Role.SKIPPED:
                    continue
                shared = (overlap(query_terms, sentence) + overlap(focus_terms, sentence)) / 2
                score = float(sim) + OVERLAP_WEIGHT * shared - RANK_WEIGHT * rank
                if sentence.role is Role.HEADING:
                    heading_score = score  # answers nothing itself; counts for the statement after it
                    continue
                if heading_score is not None:
                    score, heading_score = max(score, heading_score), None
                place = (doc_rank[hit.chunk.doc_path], hit.chunk.ordinal, index)
                scored.append(ScoredSentence(rank, index, sentence.text, score, passage.vectors[index], place))
        return scored

    def answer(self, question: str, hits: Sequence[Hit], audience: Audience, snapshot: Snapshot,
               focus: str = "") -> Answer:
        """``question`` is what retrieval used; ``focus`` the words just typed, when they differ;
        ``snapshot`` the corpus as it is now (its vocabulary tells which words it never uses)."""
        scored = self.score(question, hits, snapshot.generation, focus)
        unknown = snapshot.vocabulary.unknown_share(focus or question)
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
