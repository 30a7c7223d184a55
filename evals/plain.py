"""An eval run in plain words, for the trainers and managers who read the Evals page: how many of
which questions were answered well, counted from the per-case results (results.jsonl records)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from evals.runner import BLIND_TAG
from rag.types import ASKERS


@dataclass(frozen=True)
class PlainFigure:
    count: int
    total: int
    what: str  # completes "<count> of <total> ..."

    def sentence(self) -> str:
        return f"{self.count} of {self.total} {self.what}"


def plain_figures(results: Sequence[dict]) -> list[PlainFigure]:
    """The headline of a run: questions answered with every key fact (by role, and those nobody tuned on),
    answers that open with a key fact, and questions the playbook cannot answer that were declined."""
    answerable = [r for r in results if not r.get("must_abstain") and r.get("expected_facts")]
    unanswerable = [r for r in results if r.get("must_abstain")]
    figures = [
        *(
            PlainFigure(sum(map(_complete, asked)), len(asked), f"{role} questions answered with every key fact")
            for role in (a.value for a in ASKERS)
            if (asked := [r for r in answerable if r.get("audience") == role])
        ),
        PlainFigure(
            sum(map(_complete, blind := [r for r in answerable if BLIND_TAG in (r.get("tags") or [])])),
            len(blind),
            "questions written by someone who never saw the answerer's code, answered with every key fact",
        ),
        PlainFigure(
            sum(_metric(r, "lead_accuracy") == 1.0 for r in answerable),
            len(answerable),
            "answers whose first sentence states a key fact",
        ),
        PlainFigure(
            sum(bool(r.get("abstained")) for r in unanswerable),
            len(unanswerable),
            "questions the playbook cannot answer were declined instead of guessed",
        ),
    ]
    return [f for f in figures if f.total]


def _metric(result: dict, name: str) -> float | None:
    return (result.get("metrics") or {}).get(name)


def _complete(result: dict) -> bool:
    return not result.get("abstained") and _metric(result, "fact_recall") == 1.0
