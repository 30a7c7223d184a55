"""Spaced review (learn.schedule), property-tested: SM-2's invariants hold for any history of answers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from learn.schedule import MIN_EASE, ReviewState, quality, review, todays_review

TODAY = date(2026, 12, 1)
answers = st.lists(st.booleans(), min_size=1, max_size=40)
grades = st.integers(min_value=0, max_value=5)


def replay(history: list[bool], start: date = TODAY) -> list[ReviewState]:
    """Answer on each due date in turn; the states after each answer."""
    state, states = ReviewState.new("item", start), []
    for correct in history:
        state = review(state, quality(correct), state.due)
        states.append(state)
    return states


@given(answers)
def test_the_next_review_is_always_at_least_a_day_away_and_ease_never_falls_below_its_floor(history):
    day = TODAY
    for state in replay(history):
        assert state.due >= day + timedelta(days=1)
        assert state.ease >= MIN_EASE
        day = state.due


@given(answers)
def test_a_miss_brings_the_item_back_tomorrow_and_counts_as_a_lapse(history):
    states = replay([*history, False])
    before, after = (states[-2] if len(states) > 1 else ReviewState.new("item", TODAY)), states[-1]
    assert after.interval == 1 and after.repetitions == 0
    assert after.lapses == before.lapses + 1
    assert after.ease <= before.ease


@given(st.integers(min_value=3, max_value=12))
def test_right_answers_in_a_row_space_the_item_out_further_each_time(n):
    intervals = [s.interval for s in replay([True] * n)]
    assert intervals[:2] == [1, 6]
    assert all(later > earlier for earlier, later in zip(intervals, intervals[1:], strict=False))


@given(answers)
def test_after_a_miss_the_same_answers_never_space_the_item_further_than_without_it(history):
    clean = replay([True, *history])[-1]
    missed = replay([False, *history])[-1]
    assert missed.ease <= clean.ease


@given(grades)
def test_any_quality_from_0_to_5_is_accepted_and_others_are_not(grade):
    assert review(ReviewState.new("x", TODAY), grade, TODAY).due > TODAY
    with pytest.raises(ValueError):
        review(ReviewState.new("x", TODAY), grade + 6, TODAY)


review_states = st.builds(
    ReviewState,
    item_id=st.text("abcdef", min_size=1, max_size=4),
    due=st.dates(min_value=TODAY - timedelta(days=30), max_value=TODAY + timedelta(days=30)),
    ease=st.floats(min_value=MIN_EASE, max_value=3.0),
    interval=st.integers(1, 60),
    repetitions=st.integers(0, 8),
    lapses=st.integers(0, 5),
)


@given(
    st.lists(review_states, max_size=20, unique_by=lambda s: s.item_id),
    st.lists(st.text("xyz", min_size=1, max_size=3), max_size=6, unique=True),
    st.integers(1, 8),
)
def test_todays_review_holds_due_items_first_then_fresh_ones_and_never_more_than_asked(states, fresh, size):
    picked = todays_review(states, fresh, TODAY, size=size, minimum=min(3, size))
    due = sorted((s for s in states if s.due <= TODAY), key=lambda s: (s.due, -s.lapses, s.ease, s.item_id))
    assert len(picked) == len(set(picked)) <= size
    assert picked[: min(len(due), size)] == [s.item_id for s in due[:size]]
    not_due = {s.item_id for s in states if s.due > TODAY} - set(fresh)
    assert not set(picked) & not_due
    assert len(picked) >= min(min(3, size), len(due) + len(set(fresh) - {s.item_id for s in due}))
    assert todays_review(states, fresh, TODAY, size=size) == todays_review(list(states), list(fresh), TODAY, size=size)
