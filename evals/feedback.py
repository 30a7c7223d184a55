"""Thumbs-down answers become draft golden cases; a trainer completes and accepts them, and every eval runs them.

Drafts wait in a JSON Lines file in the data home (``evals/drafts.jsonl``). Accepting one checks it as a
golden case (expected facts or sources, or "must abstain") and moves it to the trainer's own cases
(``evals/trainer-cases.jsonl``), which ``playbook-coach eval`` asks beside the golden set and gates on.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from pathlib import Path
from typing import Any

from evals.runner import Case, DatasetError, load_cases, parse_case
from rag.interactions import Interaction, InteractionLog
from rag.types import ASKERS

_LOCK = threading.Lock()  # one writer at a time in this process; each file is replaced whole


def case_id(interaction: Interaction) -> str:
    """The id of the eval case drafted from the interaction, drafted or accepted."""
    return f"feedback-{interaction.id}"


def draft_case(interaction: Interaction) -> dict:
    """A golden-set line with what the log knows; the trainer fills in the expectations."""
    return {
        "id": case_id(interaction),
        "question": interaction.question,
        "audience": interaction.audience if interaction.audience in {a.value for a in ASKERS} else "worker",
        "history": interaction.history,
        "expected_sources": [],
        "expected_facts": [],
        "must_abstain": False,
        "must_not_contain": [],
        "tags": ["from-feedback", "draft"],
        "notes": {
            "answer_given": interaction.answer,
            "comment": interaction.comment,
            "cited": [c.get("source") for c in interaction.citations],
        },
    }


def thumbs_down_drafts(log: InteractionLog, limit: int = 500) -> list[dict]:
    return [draft_case(i) for i in log.interactions(rating=-1, limit=limit)]


def _read(path: Path) -> list[dict]:
    """The file's cases; a line a person broke by hand is skipped, not fatal."""
    if not path.exists():
        return []
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            value = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict) and "id" in value:
            found.append(value)
    return found


def _write(path: Path, cases: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    partial.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases), encoding="utf-8")
    os.replace(partial, path)


class DraftCases:
    def __init__(self, drafts: Path, accepted: Path) -> None:
        self.drafts_path = drafts
        self.accepted_path = accepted

    def drafts(self) -> list[dict]:
        return _read(self.drafts_path)

    def accepted_ids(self) -> set[str]:
        return {c["id"] for c in _read(self.accepted_path)}

    def add(self, interaction: Interaction) -> bool:
        """Draft the interaction's case; False when it is drafted or accepted already."""
        case = draft_case(interaction)
        with _LOCK:
            drafts = self.drafts()
            if case["id"] in {c["id"] for c in drafts} | self.accepted_ids():
                return False
            _write(self.drafts_path, [*drafts, case])
        return True

    def accept(self, draft_id: str, facts: list[str], sources: list[str], must_abstain: bool) -> Case:
        """The completed draft, checked as a golden case and moved to the trainer's cases. ValueError says
        what is missing."""
        facts = [f.strip() for f in facts if f.strip()]
        sources = [s.strip() for s in sources if s.strip()]
        if not must_abstain and not facts and not sources:
            raise ValueError("give at least one expected fact or source, or say the playbook must abstain")
        with _LOCK:
            drafts = self.drafts()
            found = [d for d in drafts if d["id"] == draft_id]
            if not found:
                raise ValueError(f"no draft {draft_id!r} (accepted or discarded meanwhile?)")
            line: dict[str, Any] = {
                **found[0],
                "expected_facts": facts,
                "expected_sources": sources,
                "must_abstain": must_abstain,
                "tags": ["from-feedback"],
            }
            line.pop("notes", None)
            try:
                case = parse_case(line)
            except DatasetError as exc:
                raise ValueError(str(exc)) from None
            _write(self.accepted_path, [*_read(self.accepted_path), line])
            _write(self.drafts_path, [d for d in drafts if d["id"] != draft_id])
        return case

    def discard(self, draft_id: str) -> None:
        with _LOCK:
            _write(self.drafts_path, [d for d in self.drafts() if d["id"] != draft_id])

    def accepted(self) -> list[Case]:
        """The trainer's accepted cases, as ``playbook-coach eval`` runs them."""
        return load_cases(self.accepted_path) if _read(self.accepted_path) else []
