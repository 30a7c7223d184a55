"""What a change to the playbook did to the golden questions: the cases whose answer or cited sources moved.

A trainer who uploads or replaces a document sees which golden questions it displaced, before and after,
although the gate may still pass (a small upload once changed the results of six golden questions).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from evals.runner import CaseResult


@dataclass(frozen=True)
class CaseView:
    """What a reader gets for one golden question."""

    sources: tuple[str, ...]  # the documents its answer cites, in citation order
    answer: str


@dataclass(frozen=True)
class CaseChange:
    id: str
    question: str
    before: CaseView
    after: CaseView


def views(results: Sequence[CaseResult]) -> dict[str, CaseView]:
    return {
        r.case.id: CaseView(tuple(dict.fromkeys(c.source for c in r.outcome.citations)), r.outcome.answer)
        for r in results
    }


def changes(before: Sequence[CaseResult], after: Sequence[CaseResult]) -> list[CaseChange]:
    """The cases asked in both runs whose cited documents or answer differ, in the golden set's order (a change in
    retrieval that leaves the answer and its sources as they were is nothing a reader sees)."""
    then, now = views(before), views(after)
    return [
        CaseChange(r.case.id, r.case.question, then[r.case.id], now[r.case.id])
        for r in after
        if r.case.id in then and then[r.case.id] != now[r.case.id]
    ]
