"""What the workforce asks and where the playbook falls short, from the question log.

Trainers read this to decide what to write next: how many questions came in and from whom, how
many were answered, abstained on or refused, the questions asked most, the *content gaps* (the
questions the playbook could not answer or answered badly, grouped by meaning, each with the
playbook sections nearest to it), the documents behind thumbs-down answers, the documents
nobody's answer cited, and those past their review date. The grouping and counting are pure
functions; ``gather`` does the I/O.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage

from rag.interactions import Interaction, InteractionLog
from rag.text import normalize, sha256
from rag.types import Hit, Upkeep

# Average cosine within a group of questions that ask the same thing. With the shipped model, paraphrases of an
# unanswered question score 0.46-0.87 with each other and unrelated questions below 0.3 (tests/test_insights.py).
SAME_GAP = 0.45
TOP_QUESTIONS = 10
GAPS_SHOWN = 20
EXAMPLES_SHOWN = 3
NEAREST_SECTIONS = 3


@dataclass(frozen=True)
class Gap:
    """Questions the playbook did not answer well, asking the same thing in different words."""

    label: str  # the wording most like the others
    count: int
    examples: tuple[str, ...]  # distinct wordings, most typical first
    nearest: tuple[tuple[str, str], ...] = ()  # (document, section) the playbook holds closest to it
    first_asked: str = ""  # the wording asked first: the gap's name while new wordings join it and its label moves

    @property
    def key(self) -> str:
        """A name for the gap that holds while it is worked on: a trainer's half-written answer stays with it when
        another wording joins and the label, the count or the order of the gaps changes."""
        return sha256(self.first_asked or self.label)[:16]

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "count": self.count,
            "examples": list(self.examples),
            "nearest": [{"source": source, "section": section} for source, section in self.nearest],
        }


@dataclass(frozen=True)
class Insights:
    since: str  # ISO date of the period's first day (UTC)
    days: int
    questions: int
    by_audience: dict[str, int]
    per_day: dict[str, dict[str, int]]  # day -> audience -> questions
    answered: int
    abstained: int
    refused: int
    top_questions: tuple[tuple[str, int], ...]
    gaps: tuple[Gap, ...]
    thumbs_down_by_doc: tuple[tuple[str, int], ...]
    never_cited: tuple[str, ...]
    review_overdue: tuple[tuple[str, str, str], ...] = ()  # (document, review_by, owner), oldest first

    def to_dict(self) -> dict[str, Any]:
        return {
            "since": self.since,
            "days": self.days,
            "questions": self.questions,
            "by_audience": dict(self.by_audience),
            "per_day": {d: dict(a) for d, a in self.per_day.items()},
            "answered": self.answered,
            "abstained": self.abstained,
            "refused": self.refused,
            "top_questions": [{"question": q, "count": n} for q, n in self.top_questions],
            "gaps": [g.to_dict() for g in self.gaps],
            "thumbs_down_by_doc": [{"source": s, "count": n} for s, n in self.thumbs_down_by_doc],
            "never_cited": list(self.never_cited),
            "review_overdue": [
                {"source": source, "review_by": due, "owner": owner} for source, due, owner in self.review_overdue
            ],
        }


def top_questions(questions: Sequence[str], limit: int = TOP_QUESTIONS) -> list[tuple[str, int]]:
    """The questions asked most, each shown in its most common wording; ties by first asked."""
    wordings: dict[str, Counter[str]] = defaultdict(Counter)
    for question in questions:
        wordings[normalize(question)][question.strip()] += 1  # "What is OEE?" = "what is oee"
    counted = sorted(wordings.values(), key=lambda w: -sum(w.values()))  # stable: first seen first
    return [(w.most_common(1)[0][0], sum(w.values())) for w in counted[:limit]]


def needs_content(interaction: Interaction) -> bool:
    """The playbook did not serve this question: it abstained, or the asker gave a thumbs down."""
    return not interaction.refused and (interaction.abstained or interaction.rating == -1)


def group_by_meaning(vectors: np.ndarray, threshold: float = SAME_GAP) -> list[list[int]]:
    """Indices of the rows grouped so that each group's questions are, on average, at least
    ``threshold`` alike (average-linkage clustering on cosine distance); largest groups first."""
    if len(vectors) == 0:
        return []
    if len(vectors) == 1:
        return [[0]]
    labels = fcluster(linkage(vectors, method="average", metric="cosine"), t=1 - threshold, criterion="distance")
    groups: dict[int, list[int]] = defaultdict(list)
    for index, label in enumerate(labels):
        groups[int(label)].append(index)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))


def gaps(questions: Sequence[str], vectors: np.ndarray, threshold: float = SAME_GAP) -> list[Gap]:
    """The unanswered questions as gaps: one per group of questions that ask the same thing. The label is
    the question most like the rest of its group; examples are its distinct wordings, most typical first."""
    found = []
    for group in group_by_meaning(vectors, threshold):
        rows = vectors[group]
        typical = rows @ rows.mean(axis=0)
        order = [group[i] for i in np.argsort(-typical, kind="stable")]
        wordings = list(dict.fromkeys(questions[i].strip() for i in order))
        found.append(Gap(wordings[0], len(group), tuple(wordings[:EXAMPLES_SHOWN]), first_asked=questions[group[0]]))
    return found


def thumbs_down_by_doc(interactions: Sequence[Interaction]) -> list[tuple[str, int]]:
    """How many thumbs-down answers cited each document, most first."""
    counts: Counter[str] = Counter()
    for interaction in interactions:
        if interaction.rating == -1:
            counts.update({c.get("source", "") for c in interaction.citations} - {""})
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def never_cited(documents: Sequence[str], interactions: Sequence[Interaction]) -> list[str]:
    cited = {c.get("source") for i in interactions for c in i.citations}
    return sorted(d for d in documents if d not in cited)


CSV_COLUMNS = ("asked_at", "audience", "question", "outcome", "rating", "sources")


def questions_csv(interactions: Sequence[Interaction]) -> str:
    """The questions as CSV for a spreadsheet, oldest first: no conversation, no one's identity (the log holds
    none), and the outcome in words."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for i in sorted(interactions, key=lambda i: i.id):
        outcome = "refused" if i.refused else "abstained" if i.abstained else "answered"
        rating = {1: "up", -1: "down"}.get(i.rating or 0, "")
        sources = " ".join(dict.fromkeys(str(c.get("source", "")) for c in i.citations))
        writer.writerow((i.ts, i.audience, spreadsheet_safe(i.question), outcome, rating, sources))
    return out.getvalue()


def spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet shows as text: one starting with = + - @ would be read as a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def period_start(days: int, now: datetime | None = None) -> datetime:
    """Midnight UTC ``days - 1`` days before today: "the last 7 days" includes today."""
    today = (now or datetime.now(UTC)).astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today - timedelta(days=max(days, 1) - 1)


def review_overdue(documents: Mapping[str, Upkeep], today: date) -> list[tuple[str, str, str]]:
    """Documents past their review date, the longest overdue first."""
    late = [(path, u.review_by, u.owner) for path, u in documents.items() if u.overdue(today)]
    return sorted(late, key=lambda item: (item[1], item[0]))


def stamp(moment: datetime) -> str:
    """A moment as the question log stores and compares times (ISO 8601, UTC)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def summarize(
    interactions: Sequence[Interaction],
    documents: Mapping[str, Upkeep],
    start: datetime,
    days: int,
    gap_list: Sequence[Gap],
    today: date,
) -> Insights:
    """Counts over the period's interactions (any order), with the gaps already found; ``documents``: every
    document in the playbook with its upkeep."""
    by_audience: Counter[str] = Counter(i.audience for i in interactions)
    per_day: dict[str, Counter[str]] = defaultdict(Counter)
    for interaction in interactions:
        per_day[interaction.ts[:10]][interaction.audience] += 1
    refused = sum(i.refused for i in interactions)
    abstained = sum(i.abstained and not i.refused for i in interactions)
    asked = [i.question for i in sorted(interactions, key=lambda i: i.id) if not i.refused]
    return Insights(
        since=start.date().isoformat(),
        days=days,
        questions=len(interactions),
        by_audience=dict(by_audience),
        per_day={day: dict(per_day[day]) for day in sorted(per_day)},
        answered=len(interactions) - abstained - refused,
        abstained=abstained,
        refused=refused,
        top_questions=tuple(top_questions(asked)),
        gaps=tuple(gap_list[:GAPS_SHOWN]),
        thumbs_down_by_doc=tuple(thumbs_down_by_doc(interactions)),
        never_cited=tuple(never_cited(list(documents), interactions)),
        review_overdue=tuple(review_overdue(documents, today)),
    )


def gather(
    log: InteractionLog,
    documents: Mapping[str, Upkeep],
    embed: Callable[[list[str]], np.ndarray],
    retrieve: Callable[[str], Sequence[Hit]],
    days: int,
    now: datetime | None = None,
) -> Insights:
    """Insights over the last ``days`` days (today included). ``embed`` turns questions into normalized
    vectors; ``retrieve`` finds the playbook passages nearest a gap's label."""
    start = period_start(days, now)
    interactions = log.interactions(limit=None, since=stamp(start))
    unserved = [i.question for i in sorted(interactions, key=lambda i: i.id) if needs_content(i)]
    found = gaps(unserved, embed(unserved)) if unserved else []

    def nearest(label: str) -> tuple[tuple[str, str], ...]:
        return tuple(dict.fromkeys((h.chunk.doc_path, h.chunk.section) for h in retrieve(label)))[:NEAREST_SECTIONS]

    with_nearest = [replace(g, nearest=nearest(g.label)) for g in found[:GAPS_SHOWN]]
    return summarize(interactions, documents, start, days, with_nearest, (now or datetime.now(UTC)).date())
