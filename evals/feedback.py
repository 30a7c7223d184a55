"""Thumbs-down answers become draft golden cases for a trainer to complete."""

from __future__ import annotations

from rag.interactions import Interaction, InteractionLog
from rag.types import ASKERS


def draft_case(interaction: Interaction) -> dict:
    """A golden-set line with what the log knows; the trainer fills in the expectations."""
    return {
        "id": f"feedback-{interaction.id}",
        "question": interaction.question,
        "audience": interaction.audience if interaction.audience in {a.value for a in ASKERS} else "worker",
        "history": interaction.history,
        "expected_sources": [],
        "expected_facts": [],
        "must_abstain": False,
        "must_not_contain": [],
        "tags": ["from-feedback", "draft"],
        "notes": {"answer_given": interaction.answer, "comment": interaction.comment,
                  "cited": [c.get("source") for c in interaction.citations]},
    }


def thumbs_down_drafts(log: InteractionLog, limit: int = 500) -> list[dict]:
    return [draft_case(i) for i in log.interactions(rating=-1, limit=limit)]
