"""The Evals page's plain-words headline, counted from per-case results."""

from __future__ import annotations

from evals.plain import plain_figures


def result(audience="worker", recall=1.0, lead=1.0, abstained=False, must_abstain=False, tags=()) -> dict:
    metrics = {} if must_abstain else {"fact_recall": recall, "lead_accuracy": lead}
    return {
        "audience": audience,
        "abstained": abstained,
        "must_abstain": must_abstain,
        "tags": list(tags),
        "expected_facts": [] if must_abstain else [["a fact"]],
        "metrics": metrics,
    }


def test_questions_are_counted_in_words_by_role_blindness_lead_and_declining():
    results = [
        result(),
        result(recall=0.5, lead=0.0),
        result("manager", tags=["blind"]),
        result("manager", recall=1.0, lead=0.0, abstained=True, tags=["blind"]),
        result(must_abstain=True, abstained=True),
        result(must_abstain=True),
    ]
    assert [f.sentence() for f in plain_figures(results)] == [
        "1 of 2 worker questions answered with every key fact",
        "1 of 2 manager questions answered with every key fact",
        "1 of 2 questions written by someone who never saw the answerer's code, answered with every key fact",
        "2 of 4 answers whose first sentence states a key fact",
        "1 of 2 questions the playbook cannot answer were declined instead of guessed",
    ]


def test_kinds_of_question_a_run_does_not_have_are_left_out():
    assert [f.what for f in plain_figures([result()])] == [
        "worker questions answered with every key fact",
        "answers whose first sentence states a key fact",
    ]
    assert plain_figures([]) == []
