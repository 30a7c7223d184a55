"""The grounding rule shared by the evals and the guard on language-model answers (pure, no model)."""

from __future__ import annotations

from rag.grounding import guard, unbacked_facts

PASSAGES = [
    "CESMII was founded in 2016 and is funded by the U.S. Department of Energy.",
    "The SMEC was launched by CESMII and SME to speed up smart manufacturing adoption.",
]


def test_numbers_and_names_must_be_in_the_passage():
    assert unbacked_facts("CESMII was founded in 2016.", PASSAGES[0]) == []
    assert unbacked_facts("CESMII was founded in 2019 with $70 million.", PASSAGES[0]) == ["2019", "70"]
    assert unbacked_facts("It is funded by the DOE.", PASSAGES[0]) == ["DOE"]
    assert unbacked_facts("Its MTBF is 20 hours.", "The press's MTBF is 200 hours.") == ["20"]  # whole numbers only
    assert unbacked_facts("It ran 1,200 hours.", "The press ran 1,200 operating hours.") == []


def test_each_sentence_is_kept_with_a_passage_that_backs_it_or_dropped():
    checked = guard(
        "CESMII was founded in 2016 [2]. The SMEC was launched by CESMII and SME. "
        "The SMEC is a non-profit with 400 members [2].",
        PASSAGES,
    )
    assert checked.kept == (("CESMII was founded in 2016", 1), ("The SMEC was launched by CESMII and SME.", 2))
    assert checked.dropped == ("The SMEC is a non-profit with 400 members",)
    assert checked.text == "CESMII was founded in 2016. [1] The SMEC was launched by CESMII and SME. [2]"
    assert not checked.trusted  # two in three backed: below KEPT_SHARE


def test_an_answer_is_trusted_only_when_three_in_four_of_its_sentences_are_backed():
    assert not guard("The SMEC has 400 members [1]. It meets in Ohio [2].", PASSAGES).trusted
    assert not guard("", PASSAGES).trusted
    assert not guard("CESMII was founded in 2016 [1]. It meets in Ohio [2].", PASSAGES).trusted
    assert guard(
        "CESMII was founded in 2016 [1]. It is funded by the U.S. Department of Energy [1]. "
        "The SMEC was launched by CESMII and SME [2]. It meets in Ohio [2].",
        PASSAGES,
    ).trusted


def test_a_question_or_a_sentence_that_says_the_opposite_is_not_backed():
    checked = guard(
        "What is the SMEC? [2] The SMEC was not launched by CESMII and SME [2]. CESMII was founded in 2016 [1].",
        PASSAGES,
    )
    assert checked.kept == (("CESMII was founded in 2016", 1),)
    assert checked.dropped == ("What is the SMEC?", "The SMEC was not launched by CESMII and SME")


def test_a_sentence_that_only_says_the_question_again_is_not_kept():
    checked = guard(
        "The SMEC was launched by CESMII. [2] The SMEC was launched by CESMII and SME to speed up adoption [2].",
        PASSAGES,
        question="Who launched the SMEC? Was it CESMII?",
    )
    assert checked.kept == (("The SMEC was launched by CESMII and SME to speed up adoption", 2),)


def test_kept_sentences_read_on_their_own_and_say_each_thing_once():
    checked = guard(
        "It was founded in 2016 [1]. The SMEC meets in Ohio [2]. It was launched by CESMII and SME [2]. "
        "The SMEC was launched by CESMII and SME [2]. SME and CESMII launched the SMEC [2].",
        PASSAGES,
    )
    assert checked.kept == (("The SMEC was launched by CESMII and SME", 2),)
    assert checked.dropped == (
        "It was founded in 2016",  # points back to nothing
        "The SMEC meets in Ohio",  # not in the passage
        "It was launched by CESMII and SME",  # its sentence was left out
        "SME and CESMII launched the SMEC",
    )  # says it again
