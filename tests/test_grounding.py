"""The grounding rule shared by the evals and the guard on language-model answers (pure, no model)."""

from __future__ import annotations

from rag.grounding import guard, unbacked_facts

PASSAGES = ["CESMII was founded in 2016 and is funded by the U.S. Department of Energy.",
            "The SMEC was launched by CESMII and SME to speed up smart manufacturing adoption."]


def test_numbers_and_names_must_be_in_the_passage():
    assert unbacked_facts("CESMII was founded in 2016.", PASSAGES[0]) == []
    assert unbacked_facts("CESMII was founded in 2019 with $70 million.", PASSAGES[0]) == ["2019", "70"]
    assert unbacked_facts("It is funded by the DOE.", PASSAGES[0]) == ["DOE"]


def test_each_sentence_is_kept_with_a_passage_that_backs_it_or_dropped():
    checked = guard("CESMII was founded in 2016 [2]. The SMEC was launched by CESMII and SME. "
                    "The SMEC is a non-profit with 400 members [2].", PASSAGES)
    assert checked.kept == (("CESMII was founded in 2016", 1), ("The SMEC was launched by CESMII and SME.", 2))
    assert checked.dropped == ("The SMEC is a non-profit with 400 members",)
    assert checked.text == "CESMII was founded in 2016. [1] The SMEC was launched by CESMII and SME. [2]"
    assert not checked.trusted  # two in three backed: below KEPT_SHARE


def test_an_answer_is_trusted_only_when_three_in_four_of_its_sentences_are_backed():
    assert not guard("The SMEC has 400 members [1]. It meets in Ohio [2].", PASSAGES).trusted
    assert not guard("", PASSAGES).trusted
    assert not guard("CESMII was founded in 2016 [1]. It meets in Ohio [2].", PASSAGES).trusted
    assert guard("CESMII was founded in 2016 [1]. The SMEC was launched by CESMII and SME [2]. "
                 "SME helped launch the SMEC [2]. It meets in Ohio [2].", PASSAGES).trusted
