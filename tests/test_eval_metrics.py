"""The eval metrics on hand-made cases whose right values are worked out in the comments."""

from __future__ import annotations

import math

import pytest

from evals.metrics import (
    Case,
    CitedPassage,
    Outcome,
    abstention_precision,
    abstention_recall,
    citation_precision,
    claims,
    dangling_references,
    fact_recall,
    groundedness,
    hit_at_k,
    latency_percentile,
    lead_accuracy,
    mrr,
    must_not_contain_violations,
    ndcg_at_10,
    normalize,
    per_case_metrics,
    repeated_pairs,
    summarize,
    uncited_sentences,
)

OEE_PASSAGE = (
    "OEE multiplies availability, performance and quality. Availability is run time divided by "
    "planned production time. Micro-stops of a few seconds lower performance, not availability."
)
BREAK_PASSAGE = "Take your break at the time agreed with your team leader."


def case(id="c", sources=("a.md",), facts=(), abstain=False, forbidden=()) -> Case:
    return Case(
        id=id,
        question="q?",
        expected_sources=tuple(sources),
        expected_facts=tuple(tuple(f) if isinstance(f, list) else (f,) for f in facts),
        must_abstain=abstain,
        must_not_contain=tuple(forbidden),
    )


def outcome(answer="", retrieved=(), citations=(), abstained=False, latency=0.0, lists=()) -> Outcome:
    return Outcome(answer, abstained, tuple(citations), tuple(retrieved), latency, tuple(lists))


def test_normalize_folds_case_punctuation_and_whitespace():
    assert normalize("  Micro-Stops,\n  AND   O.E.E.!  ") == "micro stops and o e e"
    assert normalize("ＯＥＥ") == "oee"  # NFKC: full-width letters


def test_retrieval_metrics_are_document_level_and_deduplicated():
    # Expected a.md; retrieved chunks b, b, a, c -> documents b, a, c: a is at document rank 2.
    cases = [case(sources=["a.md"])]
    outs = [outcome(retrieved=["b.md", "b.md", "a.md", "c.md"])]
    assert hit_at_k(cases, outs, 1) == (0.0, [0.0])
    assert hit_at_k(cases, outs, 3) == (1.0, [1.0])
    assert mrr(cases, outs) == (0.5, [0.5])
    score, _ = ndcg_at_10(cases, outs)
    assert score == pytest.approx(1 / math.log2(3))  # one relevant doc at rank 2, ideal at rank 1


def test_ndcg_with_two_expected_sources():
    # Relevant at ranks 1 and 3: DCG = 1 + 1/log2(4) = 1.5; ideal (ranks 1, 2) = 1 + 1/log2(3).
    score, _ = ndcg_at_10([case(sources=["a.md", "c.md"])], [outcome(retrieved=["a.md", "b.md", "c.md"])])
    assert score == pytest.approx(1.5 / (1 + 1 / math.log2(3)))
    perfect, _ = ndcg_at_10([case(sources=["a.md", "c.md"])], [outcome(retrieved=["c.md", "a.md"])])
    assert perfect == pytest.approx(1.0)


def test_retrieval_metrics_skip_cases_that_must_abstain_or_name_no_source():
    cases = [case(sources=["a.md"]), case(sources=[], abstain=True), case(sources=[])]
    outs = [outcome(retrieved=["x.md", "a.md"]), outcome(retrieved=["a.md"]), outcome(retrieved=["a.md"])]
    assert mrr(cases, outs) == (0.5, [0.5, None, None])
    assert hit_at_k([case(sources=[], abstain=True)], [outcome()], 5) == (None, [None])


def test_fact_recall_with_alternatives_and_normalization():
    answer = "Micro-stops lower PERFORMANCE [1]. Availability = run time / planned time [1]."
    cases = [case(facts=["performance", ["micro stops", "small stops"], "85%", "quality"])]
    score, per_case = fact_recall(cases, [outcome(answer)])
    assert score == 0.5 and per_case == [0.5]  # performance and micro stops found; 85% and quality missing


def test_fact_matching_is_whole_word_and_ignores_citation_markers():
    cases = [case(facts=["1"]), case(facts=["rate"])]
    outs = [outcome("Check the gauge [1]."), outcome("Keep the accelerated pace.")]
    assert fact_recall(cases, outs) == (0.0, [0.0, 0.0])  # the [1] marker and 'accelerated' do not count


def test_citation_precision_counts_expected_sources_and_passages_holding_a_fact():
    cases = [case(sources=["oee.md"], facts=["availability"])]
    cited = [
        CitedPassage(1, "oee.md", OEE_PASSAGE),
        CitedPassage(2, "other.md", "Availability drops when the machine is down."),  # holds a fact
        CitedPassage(3, "breaks.md", BREAK_PASSAGE),
    ]  # neither
    score, _ = citation_precision(cases, [outcome("x [1] [2] [3].", citations=cited)])
    assert score == pytest.approx(2 / 3)
    assert citation_precision(cases, [outcome("", abstained=True)]) == (None, [None])


def test_claims_split_sentences_and_attach_markers_both_citation_styles():
    offline = "OEE multiplies three factors. [1] Take your break on time. [2]"
    assert claims(offline) == [("OEE multiplies three factors.", (1,)), ("Take your break on time.", (2,))]
    llm = "Micro-stops lower performance [1]. They are short. Availability is separate [1, 2]."
    assert claims(llm) == [
        ("Micro-stops lower performance", (1,)),
        ("They are short.", (1, 2)),
        ("Availability is separate", (1, 2)),
    ]


def test_groundedness_checks_each_sentence_against_the_passage_it_cites():
    cited = [CitedPassage(1, "oee.md", OEE_PASSAGE), CitedPassage(2, "breaks.md", BREAK_PASSAGE)]
    supported = "Micro-stops of a few seconds lower performance. [1]"
    miscited = "Availability is run time divided by planned production time. [2]"  # true, but not in [2]
    invented = "OEE was invented in Japan by a famous consultant. [1]"  # mostly not in [1]
    score, per_case = groundedness(
        [case()] * 3,
        [
            outcome(f"{supported} {miscited}", citations=cited),
            outcome(f"{supported} {invented}", citations=cited),
            outcome(supported, citations=cited),
        ],
    )
    assert per_case == [0.5, 0.5, 1.0]
    assert score == pytest.approx(2 / 3)


def test_a_sentence_with_no_citation_after_it_is_unsupported():
    cited = [CitedPassage(1, "oee.md", OEE_PASSAGE)]
    _, per_case = groundedness(
        [case()], [outcome("Availability is run time divided by planned production time.", citations=cited)]
    )
    assert per_case == [0.0]


def test_uncited_sentences_are_counted_on_answers_only():
    answers = [
        outcome("OEE is a score. [1] It has three factors."),  # the second names no passage
        outcome("Made up. Also made up."),
        outcome("I don't know.", abstained=True),
        outcome("Availability, performance and quality. [1][2]"),
    ]
    total, per_case = uncited_sentences([case()] * 4, answers)
    assert per_case == [1.0, 2.0, None, 0.0]
    assert total == 3.0


def test_groundedness_skips_abstentions():
    assert groundedness([case()], [outcome("The playbook doesn't cover that.", abstained=True)]) == (None, [None])


def test_abstention_precision_and_recall():
    cases = [case(abstain=True), case(abstain=True), case(), case()]
    outs = [outcome(abstained=True), outcome(abstained=False), outcome(abstained=True), outcome(abstained=False)]
    assert abstention_precision(cases, outs) == (0.5, [1.0, None, 0.0, None])  # 2 abstentions, 1 right
    assert abstention_recall(cases, outs) == (0.5, [1.0, 0.0, None, None])  # 2 must-abstain, 1 caught
    assert abstention_precision([case()], [outcome()]) == (None, [None])  # never abstained: undefined


def test_must_not_contain_counts_violations_case_insensitively_keeping_punctuation():
    cases = [case(forbidden=["<script", "Ignore previous instructions"]), case(forbidden=["<script"]), case()]
    outs = [
        outcome("Sure: IGNORE   previous instructions and <SCRIPT>alert(1)</script>"),
        outcome("The script language is plain; no tags here."),
        outcome("<script>"),
    ]
    assert must_not_contain_violations(cases, outs) == (2.0, [2.0, 0.0, None])


def test_latency_percentiles():
    outs = [outcome(latency=ms) for ms in (10, 20, 30, 40, 1000)]
    assert latency_percentile(outs, 50)[0] == 30
    assert latency_percentile(outs, 95)[0] == pytest.approx(40 + 0.8 * 960)
    assert latency_percentile([], 50) == (None, [])


def test_mismatched_lengths_are_an_error():
    with pytest.raises(ValueError, match="2 cases but 1 outcomes"):
        mrr([case(), case()], [outcome()])


def test_summary_and_per_case_rows():
    cases = [case(id="a", sources=["a.md"], facts=["availability"]), case(id="b", sources=[], abstain=True)]
    outs = [
        outcome(
            "Availability is run time divided by planned production time. [1]",
            retrieved=["a.md"],
            citations=[CitedPassage(1, "a.md", OEE_PASSAGE)],
            latency=12.0,
        ),
        outcome("The playbook doesn't cover that.", abstained=True, latency=8.0),
    ]
    summary = summarize(cases, outs)
    assert summary["cases"] == 2
    assert summary["hit@1"] == summary["fact_recall"] == summary["groundedness"] == 1.0
    assert summary["abstention_precision"] == summary["abstention_recall"] == 1.0
    assert summary["latency_p50_ms"] == 10.0
    rows = per_case_metrics(cases, outs)
    assert rows[0]["mrr"] == 1.0 and "latency_p50_ms" not in rows[0]
    assert rows[1] == {"abstention_precision": 1.0, "abstention_recall": 1.0}


def test_lead_accuracy_asks_whether_the_first_sentence_holds_an_expected_fact():
    cases = [case(facts=["availability"])] * 2
    leads = [
        outcome("OEE multiplies availability, performance and quality. [1]"),
        outcome("OEE is a score. [1] OEE multiplies availability, performance and quality. [1]"),
    ]
    value, per_case = lead_accuracy(cases, leads)
    assert per_case == [1.0, 0.0] and value == 0.5


def test_a_sentence_pointing_back_dangles_unless_the_one_it_points_to_is_shown_just_before():
    passage = CitedPassage(1, "oee.md", "OEE multiplies three factors. This makes one weak factor drag the score down.")
    anchored = outcome(
        "OEE multiplies three factors. [1] This makes one weak factor drag the score down. [1]", citations=[passage]
    )
    dangling = outcome("This makes one weak factor drag the score down. [1]", citations=[passage])
    assert dangling_references([case(), case()], [anchored, dangling])[0] == 1.0


def test_an_item_of_a_list_shown_under_its_lead_in_leans_on_nothing_else():
    passage = CitedPassage(1, "pdm.md", "Tell them: Which job was running. Whether it cleared on its own.")
    items = ("Whether it cleared on its own.", "Which job was running.")
    shown = "Tell them: Whether it cleared on its own. [1] Which job was running. [1]"
    assert dangling_references([case()], [outcome(shown, citations=[passage], lists=[items])])[0] == 0.0
    assert dangling_references([case()], [outcome(shown, citations=[passage])])[0] == 1.0  # read as prose


def test_two_sentences_saying_the_same_count_once_unless_they_are_items_of_one_list():
    said_twice = "Shut the machine down the normal way. [1] The machine is shut down the normal way. [2]"
    steps = "Steps: Tell people the machine is being shut down. [1] Shut the machine down the normal way. [1]"
    lists = [("Tell people the machine is being shut down.", "Shut the machine down the normal way.")]
    assert repeated_pairs([case()], [outcome(said_twice)])[0] == 1.0
    assert repeated_pairs([case()], [outcome(steps)])[0] == 1.0  # laid out as prose, they repeat
    assert repeated_pairs([case()], [outcome(steps, lists=lists)])[0] == 0.0
    # Across the glossary and a document, in other words: one definition twice, one dated fact twice.
    defined_twice = (
        "Pilot purgatory is the state of a company that runs one pilot after another. [1] Pilot "
        "purgatory is the situation in which a pilot never scales across the plant. [2]"
    )
    dated_twice = (
        "President Barack Obama announced CESMII on 20 June 2016 at the SelectUSA Summit. [1] "
        "President Obama announced the institute on 20 June 2016, backed by a $70 million award. [2]"
    )
    assert repeated_pairs([case(), case()], [outcome(defined_twice), outcome(dated_twice)])[0] == 2.0
