"""The service the app, the CLI, the evals and the benchmarks all call: question in, Answer out."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import replace

from rag.answer import ExtractiveAnswerer
from rag.answering import Answerer, AnswerRequest, FallbackAnswerer, final_answer, with_verification
from rag.catalog import Catalog
from rag.config import AnswerSettings, RetrievalSettings
from rag.embeddings import Embedder
from rag.fusion import interleaved
from rag.interactions import InteractionLog
from rag.llm import ChatModelAnswerer
from rag.query import (
    is_english,
    last_said,
    may_stand_alone,
    resolve_followup,
    share_topic,
    with_item_named,
    without_meanwhile,
    without_playbook,
)
from rag.question import without_guess
from rag.retriever import HybridRetriever, RetrievalMode, Retriever
from rag.safety import injection_reason
from rag.snapshot import Snapshot, SnapshotCache
from rag.store import VectorStore
from rag.text import clean_text, plain_text, searched_as_named, spelled_out, split_sentences, unstressed
from rag.types import Answer, Audience, Hit, Turn


class QuestionRejected(ValueError):
    """The question cannot be answered as typed; the message tells the person why."""


class QuestionRefused(QuestionRejected):
    """The question only instructs the assistant: a well-formed question it declines, not an error."""


def searched_for(question: str, history: Sequence[Turn], snapshot: Snapshot) -> str:
    """What a question searches for: a follow-up read with the conversation before it, without the asker's
    own names ("on the Mazak"), which no passage uses, with the shop floor's short forms written out, and with the
    playbook's name for what it tells in other words ("nobody got hurt": a near miss)."""
    read = without_guess(without_meanwhile(without_playbook(resolve_followup(question, history))))
    return searched_as_named(spelled_out(snapshot.vocabulary.without_own_names(read)))


class Engine:
    def __init__(
        self,
        retrieval: RetrievalSettings,
        answer: AnswerSettings,
        embedder: Embedder,
        store: VectorStore,
        catalog: Catalog,
        snapshots: SnapshotCache,
        log: InteractionLog | None = None,
        llm: ChatModelAnswerer | None = None,
        mode: RetrievalMode = RetrievalMode.HYBRID,
    ) -> None:
        self.answer_settings = answer
        self.embedder = embedder
        self.store = store
        self.catalog = catalog
        self.log = log
        self.llm = llm
        self.snapshots = snapshots
        self.retriever: Retriever = HybridRetriever(retrieval, embedder, store, self.snapshots.get, mode)
        self.offline = ExtractiveAnswerer(answer, embedder, catalog)
        self.answerer: Answerer = self.offline
        if llm is not None:
            self.answerer = FallbackAnswerer(llm, self.offline, abstention_decides=llm.checked)

    def warm_up(self) -> None:
        """Load the corpus snapshot and the query model now, so the first question is as quick as the rest."""
        self.snapshots.get()
        self.embedder.embed_queries(["warm up"])
        is_english("warm")  # the English word list that tells a misspelling from a word of the asker's own

    def retrieve(self, question: str, audience: Audience = Audience.WORKER, history: Sequence[Turn] = ()) -> list[Hit]:
        """The passages a question retrieves, as the answer would see them."""
        snapshot = self.snapshots.get()
        return self._search(snapshot.vocabulary.corrected(self.validate(question)), history, audience, snapshot)[1]

    def _search(
        self,
        cleaned: str,
        history: Sequence[Turn],
        audience: Audience,
        snapshot: Snapshot,
        prefer: frozenset[str] = frozenset(),
    ) -> tuple[str, list[Hit], bool]:
        """What a question searches for (``searched_for``), the passages found, and whether it borrowed the
        conversation. A follow-up searches with
        the conversation it leans on, and on its own too, taken in turns: "and how do I lock it out?" after a
        question about a robot wants lockout/tagout, which the robot question's words alone never find. One
        whose own strong passages share no section with the earlier question's has changed the topic: "and
        who do I tell if a guard is missing?" after a pilot question searches alone."""
        alone = searched_for(cleaned, (), snapshot)
        own = self.retriever.retrieve(alone, audience, snapshot=snapshot, prefer=prefer)
        query = searched_for(cleaned, history, snapshot)
        if query == alone:
            return alone, own, False
        if may_stand_alone(cleaned, own):
            earlier = searched_for(last_said(history, "user"), (), snapshot)
            if not share_topic(own, self.retriever.retrieve(earlier, audience, snapshot=snapshot, prefer=prefer)):
                return alone, own, False
        hits = self.retriever.retrieve(query, audience, snapshot=snapshot, prefer=prefer)
        return query, interleaved((hits, own), key=lambda hit: hit.chunk.id, limit=len(hits)), True

    def validate(self, question: str) -> str:
        cleaned = clean_text(question or "")
        if not cleaned:
            raise QuestionRejected("Please type a question first.")
        if len(cleaned) > self.answer_settings.max_question_chars:
            raise QuestionRejected(
                f"That question is {len(cleaned):,} characters long; please keep it under "
                f"{self.answer_settings.max_question_chars:,} characters and ask one thing at a time."
            )
        cleaned = plain_text(cleaned)  # markup in a question is noise to retrieval and never rendered
        if not any(ch.isalnum() for ch in cleaned):
            raise QuestionRejected("That doesn't look like a question. Please ask in words.")
        # Sentences that instruct the assistant are dropped (the same rule that quarantines such
        # passages in documents); whatever real question remains is answered.
        kept = [cleaned[a:b] for a, b in split_sentences(cleaned) if not injection_reason(cleaned[a:b])]
        if not kept:
            raise QuestionRefused(
                "I only answer questions from the playbook, and instructions to the "
                "assistant are ignored. What would you like to know?"
            )
        return unstressed(" ".join(kept))

    def ask(
        self,
        question: str,
        audience: Audience = Audience.WORKER,
        history: Sequence[Turn] = (),
        *,
        logged: bool = True,
        prefer: frozenset[str] = frozenset(),
    ) -> Answer:
        return final_answer(self.ask_stream(question, audience, history, logged=logged, prefer=prefer))

    def ask_stream(
        self,
        question: str,
        audience: Audience = Audience.WORKER,
        history: Sequence[Turn] = (),
        *,
        logged: bool = True,
        prefer: frozenset[str] = frozenset(),
    ) -> Iterator[str | Answer]:
        """Yields pieces of answer text as they are ready, then the final Answer. ``logged=False``: a trainer
        checking a fix asks as the worker did, and is kept out of the question log. ``prefer``: documents
        raised in retrieval (a lesson's, when a learner asks about it)."""
        started = time.perf_counter()
        try:
            cleaned = self.validate(question)
        except QuestionRefused as refused:  # counted for trainers; other rejections are typing slips
            if self.log is not None and logged:
                self.log.record_refusal(audience.value, plain_text(clean_text(question)), str(refused))
            raise
        snapshot = self.snapshots.get()  # one view of the corpus for retrieval and answer alike
        # read as meant ("the third one you said": the thing the last answer listed third); logged as typed
        asked = with_item_named(snapshot.vocabulary.corrected(cleaned), history)
        query, hits, followup = self._search(asked, history, audience, snapshot, prefer)
        request = AnswerRequest(asked, query, audience, tuple(hits), snapshot, tuple(history), followup)
        answer: Answer | None = None
        for event in self.answerer.stream(request):
            if isinstance(event, Answer):
                answer = event
            else:
                yield event
        if answer is None:
            raise RuntimeError(f"the {self.answerer.name} answerer ended without an answer")
        answer = replace(with_verification(answer, snapshot), latency_ms=(time.perf_counter() - started) * 1000)
        if self.log is not None and logged:
            history_dicts = [{"role": t.role, "content": t.content} for t in history]
            answer = replace(answer, interaction_id=self.log.record(audience.value, cleaned, answer, history_dicts))
        yield answer
