"""Spaced review by SM-2 (as EdApp's Brain Boost and Anki's ancestor use): pure, no clock of its own.

An item answered right comes back after 1 day, then 6, then at growing intervals scaled by its ease;
an item answered wrong starts again tomorrow and gets a little harder (lower ease) for good.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

MIN_EASE = 1.3
START_EASE = 2.5
RIGHT, WRONG = 4, 1  # SM-2 quality (0-5) of a knowledge-check answer: right with some thought, or wrong


@dataclass(frozen=True)
class ReviewState:
    item_id: str
    due: date
    ease: float = START_EASE
    interval: int = 0  # days until the next review, as last scheduled
    repetitions: int = 0  # right answers in a row
    lapses: int = 0  # wrong answers, ever

    @classmethod
    def new(cls, item_id: str, today: date) -> ReviewState:
        return cls(item_id, today)


def quality(correct: bool) -> int:
    return RIGHT if correct else WRONG


def review(state: ReviewState, grade: int, today: date) -> ReviewState:
    """The state after answering on ``today`` with SM-2 quality ``grade`` (0-5; 3 or more is right)."""
    if not 0 <= grade <= 5:
        raise ValueError(f"quality must be 0-5, got {grade}")
    ease = max(MIN_EASE, state.ease + 0.1 - (5 - grade) * (0.08 + (5 - grade) * 0.02))
    if grade < 3:
        return replace(
            state, due=today + timedelta(days=1), ease=ease, interval=1, repetitions=0, lapses=state.lapses + 1
        )
    if state.repetitions == 0:
        interval = 1
    elif state.repetitions == 1:
        interval = 6
    else:  # at least a day longer than the last, whatever rounding does to a small interval
        interval = max(state.interval + 1, round(state.interval * state.ease))
    return replace(
        state, due=today + timedelta(days=interval), ease=ease, interval=interval, repetitions=state.repetitions + 1
    )


def todays_review(
    states: Iterable[ReviewState], fresh: Sequence[str], today: date, size: int = 5, minimum: int = 3
) -> list[str]:
    """Up to ``size`` item ids for today: the due ones, most overdue and most missed first; topped up to
    ``minimum`` with ``fresh`` items (never yet reviewed) so a short habit is there on a quiet day."""
    due = sorted((s for s in states if s.due <= today), key=lambda s: (s.due, -s.lapses, s.ease, s.item_id))
    picked = [s.item_id for s in due[:size]]
    for item_id in fresh:
        if len(picked) >= minimum:
            break
        if item_id not in picked:
            picked.append(item_id)
    return picked
