"""Runs a golden set through the product and writes results.jsonl, summary.json and report.html.

Every case is answered by ``Engine.ask``, the code path the app and ``playbook-coach ask`` use,
with the case's audience and earlier turns. Only the interaction log is left out: eval questions
are not people's questions, and the trainer pages read that log.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from evals.metrics import (
    Case,
    CitedPassage,
    Outcome,
    forbidden_found,
    missing_facts,
    per_case_metrics,
    ranked_documents,
    strip_markers,
    summarize,
)
from rag.config import Settings
from rag.engine import Engine, QuestionRejected
from rag.jsonl import JsonLineError, json_lines
from rag.question import intent_of
from rag.types import Answer, Audience, BlockKind, Citation, Turn

HOLDOUT_TAG = "holdout"  # written with the tuning split, kept out of tuning
BLIND_TAG = "blind"  # written later by someone who had not read the answerer, never tuned on
CaseProgress = Callable[[int, int, str], None]  # (cases done, cases total, current id)


class DatasetError(ValueError):
    """The golden set cannot be read; the message names the line and the field."""


def _strings(value, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DatasetError(f"{what} must be a list of strings")
    return tuple(value)


def _facts(value) -> tuple[tuple[str, ...], ...]:
    if not isinstance(value, list):
        raise DatasetError("expected_facts must be a list")
    facts = []
    for item in value:
        alternatives = (item,) if isinstance(item, str) else _strings(item, "each expected_facts item")
        if not alternatives or not any(a.strip() for a in alternatives):
            raise DatasetError("an expected_facts item is empty")
        facts.append(alternatives)
    return tuple(facts)


def _history(value) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, list):
        raise DatasetError("history must be a list of {role, content}")
    turns = []
    for turn in value:
        if (
            not isinstance(turn, dict)
            or turn.get("role") not in ("user", "assistant")
            or not isinstance(turn.get("content"), str)
        ):
            raise DatasetError('each history turn needs "role" (user or assistant) and "content"')
        turns.append((turn["role"], turn["content"]))
    return tuple(turns)


def parse_case(data: dict) -> Case:
    if not isinstance(data, dict):
        raise DatasetError("each line must be a JSON object")
    case_id, question = data.get("id"), data.get("question")
    if not isinstance(case_id, str) or not case_id.strip():
        raise DatasetError('"id" must be a non-empty string')
    if not isinstance(question, str):
        raise DatasetError('"question" must be a string')
    try:
        audience = Audience.parse(data.get("audience"), default=Audience.WORKER).value
    except ValueError as exc:
        raise DatasetError(str(exc)) from None
    must_abstain = data.get("must_abstain", False)
    if not isinstance(must_abstain, bool):
        raise DatasetError('"must_abstain" must be true or false')
    return Case(
        id=case_id,
        question=question,
        audience=audience,
        history=_history(data.get("history", [])),
        expected_sources=_strings(data.get("expected_sources", []), "expected_sources"),
        expected_facts=_facts(data.get("expected_facts", [])),
        must_abstain=must_abstain,
        must_not_contain=_strings(data.get("must_not_contain", []), "must_not_contain"),
        tags=_strings(data.get("tags", []), "tags"),
    )


def load_cases(path: Path) -> list[Case]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(f"cannot read {path}: {exc}") from None
    cases: list[Case] = []
    seen: set[str] = set()
    try:
        for number, data in json_lines(lines):
            try:
                case = parse_case(data)
            except DatasetError as exc:
                raise DatasetError(f"{path.name} line {number}: {exc}") from None
            if case.id in seen:
                raise DatasetError(f"{path.name} line {number}: duplicate id {case.id!r}")
            seen.add(case.id)
            cases.append(case)
    except JsonLineError as exc:
        raise DatasetError(f"{path.name} {exc}") from None
    if not cases:
        raise DatasetError(f"{path} holds no cases")
    return cases


@dataclass
class CaseResult:
    case: Case
    outcome: Outcome
    citations: list[dict]
    backend: str
    error: str = ""  # the engine refused the question (counted as an abstention)
    metrics: dict = field(default_factory=dict)

    @property
    def problems(self) -> list[str]:
        """Why this case fails, in words; empty when it passes."""
        case, out, found = self.case, self.outcome, []
        if case.must_abstain and not out.abstained:
            found.append("answered, but the playbook does not cover this: it should have abstained")
        if case.answerable and out.abstained:
            found.append("abstained, but the playbook covers this")
        if self.metrics.get("hit@5") == 0.0:
            found.append("no expected source among the top 5 documents retrieved")
        missing = missing_facts(case, out) if case.answerable and not out.abstained else []
        if missing:
            found.append("missing facts: " + "; ".join(" | ".join(alt) for alt in missing))
        if self.metrics.get("groundedness", 1.0) < 1.0:
            found.append(f"only {self.metrics['groundedness']:.0%} of sentences supported by their citations")
        forbidden = forbidden_found(case, out)
        if forbidden:
            found.append("contains forbidden text: " + "; ".join(forbidden))
        return found

    def to_dict(self) -> dict:
        case, out = self.case, self.outcome
        data = {
            "id": case.id,
            "question": case.question,
            "audience": case.audience,
            "tags": list(case.tags),
            "answer": out.answer,
            "abstained": out.abstained,
            "citations": self.citations,
            "lists": [list(items) for items in out.lists],
            "retrieved": list(out.retrieved),
            "expected_sources": list(case.expected_sources),
            "expected_facts": [list(f) for f in case.expected_facts],
            "must_abstain": case.must_abstain,
            "metrics": {k: round(v, 4) for k, v in self.metrics.items()},
            "problems": self.problems,
            "latency_ms": round(out.latency_ms, 1),
            "backend": self.backend,
        }
        if self.error:
            data["error"] = self.error
        return data


def outcome_of(answer: Answer) -> tuple[Outcome, list[dict]]:
    """The answer as the metrics see it: each citation with the whole passage it points to."""
    # A citation may point at a section's opening read beside the hits (Answer.passages).
    passages = {h.chunk.id: h.chunk.indexed_text for h in (*answer.hits, *answer.passages)}

    def passage(c: Citation) -> str:
        return "\n".join(passages[i] for i in c.chunk_ids if i in passages) or c.snippet

    cited = tuple(CitedPassage(c.n, c.source, passage(c)) for c in answer.citations)
    citations = [{**c.to_dict(), "passage": passage(c)} for c in answer.citations]
    retrieved = tuple(ranked_documents([h.chunk.doc_path for h in answer.hits]))
    lists = tuple(
        tuple(strip_markers(line) for line in block.lines)
        for block in answer.blocks
        if block.kind is not BlockKind.PARAGRAPH
    )
    return Outcome(answer.text, answer.abstained, cited, retrieved, answer.latency_ms, lists), citations


def answer_case(engine: Engine, case: Case) -> CaseResult:
    history = [Turn(role, content) for role, content in case.history]
    try:
        answer = engine.ask(case.question, Audience(case.audience), history, logged=False)  # nobody's question
    except QuestionRejected as exc:
        return CaseResult(case, Outcome(str(exc), True), [], "refused", error=str(exc))
    outcome, citations = outcome_of(answer)
    return CaseResult(case, outcome, citations, answer.backend)


def run_cases(engine: Engine, cases: Sequence[Case], progress: CaseProgress | None = None) -> list[CaseResult]:
    engine.warm_up()  # the model and the corpus snapshot load before the clock starts: latency is per question
    results = []
    for done, case in enumerate(cases):
        if progress:
            progress(done, len(cases), case.id)
        results.append(answer_case(engine, case))
    if progress:
        progress(len(cases), len(cases), "")
    for result, metrics in zip(results, per_case_metrics(cases, [r.outcome for r in results]), strict=True):
        result.metrics = metrics
    return results


GOLDEN_SPLITS = ("tuning", "holdout", "blind")


def in_split(case: Case, split: str) -> bool:
    """Whether the case is in the split: holdout and blind by their tags, tuning when it has neither."""
    if split == "tuning":
        return HOLDOUT_TAG not in case.tags and BLIND_TAG not in case.tags
    return {"holdout": HOLDOUT_TAG, "blind": BLIND_TAG}[split] in case.tags


def _summarize(results: Sequence[CaseResult]) -> dict:
    return summarize([r.case for r in results], [r.outcome for r in results])


def summary_of(results: Sequence[CaseResult], settings: Settings, dataset: Path) -> dict:
    """Metrics overall, on the tuning part, on the holdout and blind parts (never tuned on), per tag
    and per intent of the question (``rag.question``)."""
    tags = sorted({t for r in results for t in r.case.tags})
    parts = {split: [r for r in results if in_split(r.case, split)] for split in GOLDEN_SPLITS}
    intents: dict[str, list[CaseResult]] = {}
    for r in results:
        intents.setdefault(intent_of(r.case.question).value, []).append(r)
    return {
        "dataset": str(dataset),
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "settings": settings_snapshot(settings),
        "backend": sorted({r.backend for r in results}),
        "overall": _summarize(results),
        **{split: _summarize(part) if part else {} for split, part in parts.items()},
        "intents": {intent: _summarize(part) for intent, part in sorted(intents.items())},
        "tags": {tag: _summarize([r for r in results if tag in r.case.tags]) for tag in tags},
        "failing_cases": [r.case.id for r in results if r.problems],
    }


def settings_snapshot(settings: Settings) -> dict:
    """The knobs that change answers, so a report says what it measured."""
    keys = (
        "fusion",
        "rrf_k",
        "dense_weight",
        "lexical_weight",
        "audience_boost",
        "top_k",
        "candidates",
        "abstain_threshold",
        "worker_sentences",
        "manager_sentences",
        "cross_encoder_model",
        "embedding_model",
        "llm_backend",
        "llm_model",
        "llm_max_tokens",
        "llm_timeout",
        "chunk_size",
        "chunk_overlap",
    )
    data = settings.model_dump(include=set(keys), mode="json")
    return {key: data[key] for key in keys}


def write_results(out_dir: Path, results: Sequence[CaseResult], summary: dict) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / "results.jsonl").open("w", encoding="utf-8") as handle:
        for result in results:
            handle.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
