"""Composing an answer from candidate sentences: lead, reading on, no dangling or repeated sentences."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from rag.compose import (
    Candidate,
    answer_text,
    answered_no,
    answers_too,
    as_read,
    compose,
    condition_met,
    cut_list,
    defined_names,
    defines,
    denies,
    directs,
    figures,
    figures_weight,
    holds_fact,
    last_figure,
    layout,
    names_focus,
    own_figures,
    points_back,
    points_by_position,
    prices,
    refers_elsewhere,
    restates,
    says_how_often,
    says_no,
    says_same,
    score,
    sets_apart,
    signposts,
    speaks_of_money,
    stated_absence,
    teases,
    tells_scene_back,
    tells_what_to_do,
    type_match,
    without_cut_counts,
    without_lone_items,
    worked_cases,
    works_what_is_asked,
)
from rag.question import Intent, analyze
from rag.text import terms
from rag.types import BlockKind


def candidate(
    passage: int,
    index: int,
    text: str,
    similarity: float,
    previous: int | None = None,
    heading_match: float = 0.0,
    opening: bool = False,
    lead_in: str = "",
) -> Candidate:
    vector = np.zeros(64, dtype=np.float32)
    vector[passage * 16 + index] = 1.0  # orthogonal: never near-duplicates by meaning
    return Candidate(
        passage,
        index,
        text,
        frozenset(terms(text)),
        vector,
        similarity,
        passage,
        heading_match,
        opening,
        (passage, 0, index),
        previous,
        item=bool(lead_in),
        lead_in=lead_in,
        section=("doc.md", f"section {passage}"),
    )


LOTO_STEPS = [
    "Tell the people affected that the machine is being shut down.",
    "Shut the machine down the normal way.",
    "Isolate every energy source, such as power, air and hydraulics.",
    "Put your personal lock and tag on each isolation point.",
    "Try to start the machine to prove it is dead.",
]


def loto(similarities: list[float]) -> list[Candidate]:
    """A section that defines lockout/tagout, then lists its steps under a lead-in."""
    opening = candidate(
        0,
        0,
        "Lockout/tagout is the set of steps that keeps a machine from starting up.",
        0.7,
        heading_match=1.0,
        opening=True,
    )
    steps = [
        candidate(0, n + 2, step, sim, previous=n + 1 if n else 0, lead_in="The basic steps are:")
        for n, (step, sim) in enumerate(zip(LOTO_STEPS, similarities, strict=True))
    ]
    return [opening, *steps]


def answer(question: str, candidates: list[Candidate], limit: int) -> list[Candidate]:
    """The composed answer to ``question`` asked on its own (no follow-up)."""
    asked = analyze(question)
    return compose(candidates, asked, frozenset(terms(question)), limit)


def test_a_sentence_that_points_back_comes_right_after_the_one_it_points_to_or_not_at_all():
    question = "What do alerts do?"
    antecedent = candidate(1, 0, "Some pumps vibrate before they fail in the plant.", 0.2)
    pointing = candidate(1, 1, "This gives the team days to plan a repair.", 0.9, previous=0)
    weak = candidate(0, 0, "Alerts warn the team about a machine problem early.", 0.0)
    assert answer(question, [weak, antecedent, pointing], limit=2) == [antecedent, pointing]
    strong = candidate(0, 0, "Alerts warn the team about a machine problem early.", 0.4)
    assert answer(question, [strong, antecedent, pointing], limit=3) == [strong]


def test_a_last_step_goes_only_after_a_step():
    question = "Why did OEE drop when the new dashboard went live?"
    caution = candidate(
        0, 0, "A new dashboard can make OEE look worse on the first day, as it counts short stops.", 0.9
    )
    last_step = candidate(
        0, 1, "Finally, record the baseline on a one-page sheet that the OEE owners sign.", 0.8, previous=0
    )
    assert answer(question, [caution, last_step], limit=3) == [caution]
    rule = candidate(0, 0, "If the dashboard counts short stops, count them in the OEE baseline too.", 0.9)
    assert answer(question, [rule, last_step], limit=3) == [rule, last_step]  # the last of the rules said


def test_the_opening_of_a_section_whose_heading_asks_the_question_leads():
    question = "What is CESMII?"
    candidates = [
        candidate(0, 0, "CESMII is a co-founder of the council with SME.", 0.9),
        candidate(
            1,
            0,
            "CESMII is the Clean Energy Smart Manufacturing Innovation Institute.",
            0.7,
            heading_match=1.0,
            opening=True,
        ),
    ]
    chosen = answer(question, candidates, limit=2)
    assert chosen[0].text.startswith("CESMII is the Clean Energy")


def test_asked_for_a_kind_of_fact_a_section_answers_with_the_sentence_holding_one():
    huddle = [
        candidate(
            0,
            0,
            "A shift huddle is a short stand-up meeting where the team looks at the board.",
            0.66,
            heading_match=0.7,
            opening=True,
        ),
        candidate(0, 1, "Everyone on the line joins it, standing by the board.", 0.6, previous=0, heading_match=0.7),
        candidate(0, 2, "A good huddle takes about ten minutes.", 0.6, previous=1, heading_match=0.7),
    ]
    assert answer("How long should a shift huddle take?", huddle, limit=1)[0].text.startswith("A good huddle")
    assert answer("What is a shift huddle?", huddle, limit=1)[0].text.startswith("A shift huddle")
    sensors = [
        candidate(
            0, 0, "Most sensors on a machine measure its health and its output.", 0.7, heading_match=1.0, opening=True
        ),
        candidate(
            0,
            1,
            "Common sensors measure vibration, temperature, power and pressure.",
            0.65,
            previous=0,
            heading_match=1.0,
        ),
    ]
    assert answer("What do the sensors on my machine measure?", sensors, limit=1)[0].text.startswith("Common")


def test_a_section_opening_that_holds_the_fact_and_says_what_the_best_match_says_leads_alone():
    section = [
        candidate(
            0,
            0,
            "Report a broken guard to your supervisor at once, and never run the machine until it is fixed.",
            0.5,
            opening=True,
        ),
        candidate(
            0,
            3,
            "Report a broken guard at once, and never run the machine until it is fixed.",
            0.9,
            previous=2,
            lead_in="Habits:",
        ),
    ]
    chosen = answer("who do i tell about a broken guard?", section, limit=3)
    assert chosen == [section[0]]


def test_asked_how_many_the_sentence_of_the_section_holding_the_number_leads_wherever_it_sits():
    question = "how many smart manufacturing innovation centers does cesmii have"
    section = ("ecosystem/cesmii.md", "What are Smart Manufacturing Innovation Centers?")
    defined = replace(
        candidate(
            0, 0, "Smart Manufacturing Innovation Centers are local sites run by CESMII partners.", 0.8, None, 0.8, True
        ),
        section=section,
    )
    counted = replace(candidate(0, 1, "CESMII reported seven centers by 2023.", 0.5, 0, 0.8), section=section)
    assert answer(question, [defined, counted], limit=2) == [counted, defined]


def test_a_yes_or_no_opening_says_yes_or_no_only_to_its_own_heading_and_its_rule_to_any_question():
    # a trainer's verified answer: "Can I wear earbuds with music while running the lathe?" asked in fewer words
    verified = replace(
        candidate(0, 0, "No: do not wear earbuds at the lathe, because you must hear alarms.", 0.6, None, 0.4, True),
        section=("answers/earbuds.md", "Can I wear earbuds with music while running the lathe?"),
    )
    elsewhere = candidate(1, 0, "Lean thinking helps a plant avoid putting technology on a wasteful process.", 0.2)
    named = replace(verified, heading_names_all=True)
    assert answer("are earbuds ok at the lathe?", [named, elsewhere], limit=2)[0] == named
    # asked in other words ("my machine"), the heading's "No" is not said to this question, but the rule is
    lead = answer("can i listen to music with earbuds at my machine?", [verified, elsewhere], limit=2)[0]
    assert lead.text == "Do not wear earbuds at the lathe, because you must hear alarms."


def test_asked_what_it_costs_a_sentence_on_paying_leads_not_one_counting_something_else():
    question = "what would the MEP center charge us for a readiness review?"
    counted = candidate(0, 0, "The network includes 51 centers covering all 50 states.", 0.6)
    paid = candidate(0, 1, "Federal funds pay for about half of the program, so many services carry a cost share.", 0.6)
    assert answer(question, [counted, paid], limit=2)[0] == paid
    assert answer("how many MEP centers are there?", [counted, paid], limit=2)[0] == counted


def test_asked_who_the_sentence_of_the_section_naming_someone_leads_wherever_it_sits():
    question = "press 3 shows down on the board but its running. who do i tell"
    section = ("worker/dashboards.md", "Why does the dashboard say my line is down when it is running?")
    cause = replace(
        candidate(0, 0, "The data feed may be delayed, so the screen shows an old state.", 0.6), section=section
    )
    who = replace(candidate(0, 3, "Tell your lead and note the time and the machine.", 0.4), section=section)
    assert answer(question, [cause, who], limit=2)[0] is who


def test_a_section_that_names_nobody_answers_no_who_question():
    definition = candidate(
        0,
        0,
        "Digital work instructions are step-by-step job instructions on a tablet.",
        0.41,
        heading_match=0.4,
        opening=True,
    )
    tell = candidate(
        1,
        2,
        "Tell your lead right away if the wrong instruction could cause a bad part.",
        0.5,
        previous=1,
        heading_match=0.4,
    )
    chosen = answer("Who do I tell if the work instructions on the tablet are wrong?", [definition, tell], limit=1)
    assert chosen == [tell]


def test_a_sentence_that_matches_but_lacks_the_fact_asked_for_follows_its_section_opening_that_holds_it():
    section = [
        candidate(0, 0, "Go to quality for anything about whether parts are good.", 0.26, opening=True),
        candidate(
            0,
            1,
            "A gauge or measuring tool that seems off, or that is overdue for calibration.",
            0.45,
            previous=0,
            lead_in="Good reasons to contact quality include:",
        ),
    ]
    chosen = answer("gauge looks off to me, who do i tell", section, limit=2)
    assert [c.index for c in chosen] == [0, 1]


def test_asked_who_an_item_under_a_lead_in_naming_someone_outranks_a_definition_of_the_scene():
    definition = replace(
        candidate(0, 0, "Scrap is material or parts that are defective and cannot be used.", 0.32, opening=True),
        section=("glossary.md", "Scrap"),
    )
    quality = [
        replace(c, passage=1, rank=1, section=("help.md", "When should I go to quality?"))
        for c in (
            candidate(1, 0, "Go to quality for anything about whether parts are good.", 0.2, opening=True),
            candidate(
                1, 1, "Scrap that is suddenly higher than normal.", 0.3, previous=0, lead_in="Contact quality about:"
            ),
        )
    ]
    chosen = answer("scrap on my press is double normal today. who do i tell", [definition, *quality], limit=2)
    assert [c.text for c in chosen] == [quality[0].text, quality[1].text]


def test_asked_who_a_sentence_naming_whom_to_tell_joins_a_lead_that_names_nobody():
    section = [
        replace(c, section=("cyber.md", "How do I spot a phishing message?"))
        for c in (
            candidate(0, 0, "Phishing is a fake message that tries to trick you into clicking a link.", 0.5),
            candidate(0, 1, "If you already clicked, report that right away.", 0.35, previous=0),
            candidate(0, 2, "Report the message to IT using your plant's reporting method.", 0.3, previous=1),
        )
    ]
    chosen = answer("i clicked a link in a weird email. who do i tell?", section, limit=2)
    assert chosen[0].text == section[2].text  # "report that" tells no one whom


def test_asked_who_takes_part_a_sentence_naming_the_roles_leads_without_telling_anyone_anything():
    section = [
        replace(c, section=("readiness.md", "What is a readiness self-assessment?"))
        for c in (
            candidate(0, 0, "A readiness self-assessment is a structured review of a company's starting point.", 0.6),
            candidate(0, 1, "When the plant manager and the finance lead score the same questions, gaps show.", 0.5),
        )
    ]
    who_takes_part = "Who should we pull into the session when we score our readiness?"
    assert answer(who_takes_part, section, limit=2)[0].text == section[1].text
    # asked whom to tell, the roles alone are not enough: whom to go to is said with the telling
    whom = analyze("who do i tell about our readiness score?")
    assert holds_fact(analyze(who_takes_part), section[1], section[0])
    assert not holds_fact(whom, section[1], section[0])


def test_asked_who_a_lead_naming_someone_stands_even_at_the_start_of_its_sentence():
    assert type_match(Intent.WHO, "Managers may see weekly totals.") == 0.5
    assert type_match(Intent.WHO, "It is fine to ask.") == 0.5  # "it" is no department
    section = [
        replace(c, section=("data.md", "Who can see my data?"))
        for c in (
            candidate(0, 0, "Managers may see weekly or monthly totals for the whole plant.", 0.5),
            candidate(0, 1, "Rules differ by country, so ask HR for the rules that apply to you.", 0.3, previous=0),
        )
    ]
    chosen = answer("who gets to see my machine data, is the plant manager watching me live?", section, limit=2)
    assert chosen[0].text == section[0].text


def test_a_how_to_is_answered_by_the_steps_under_a_question_heading_not_by_a_glossary_entry():
    entry = Candidate(
        0,
        0,
        "Lockout/tagout is the safety procedure that isolates every energy source on a machine.",
        frozenset(terms("Lockout/tagout is the safety procedure that isolates every energy source.")),
        np.eye(64, dtype=np.float32)[0],
        0.5,
        0,
        1.0,
        True,
        (0, 0, 0),
        section=("glossary.md", "Lockout/tagout"),
    )
    steps = [
        replace(
            c, section=("safety.md", "What are the basics of lockout/tagout?"), passage=1, rank=1, heading_match=1.0
        )
        for c in loto([0.47, 0.5, 0.39, 0.62, 0.44])[1:]
    ]
    asked = analyze("How do I do lockout/tagout?", lexicon=["lockout/tagout"])
    chosen = compose([entry, *steps], asked, frozenset(terms(asked.text)), 3)
    assert chosen[0].text == LOTO_STEPS[0] and [c.text for c in chosen[:5]] == LOTO_STEPS
    what = analyze("What is lockout/tagout?", lexicon=["lockout/tagout"])
    assert compose([entry, *steps], what, frozenset(terms(what.text)), 3)[0] is entry


def test_a_section_opening_that_sums_up_gives_the_lead_to_its_list_when_several_things_are_asked_for():
    tasks = "By the end of week 2 the team should have completed these tasks:"
    section = [
        candidate(
            0, 0, "The first two weeks turn an idea into an agreed plan and a measured start.", 0.6, 0, 0.5, True
        ),
        candidate(0, 1, "The team writes a one-page pilot charter.", 0.5, previous=0, heading_match=0.5, lead_in=tasks),
        candidate(
            0, 2, "The team builds a baseline from old records.", 0.4, previous=1, heading_match=0.5, lead_in=tasks
        ),
    ]
    chosen = answer("What should we get done in the first two weeks of the pilot?", section, limit=3)
    assert chosen[:2] == section[1:] and as_read(chosen)[0].startswith(tasks)
    asked_why = answer("Why do the first two weeks of the pilot matter?", section, limit=3)
    assert asked_why[0] is section[0]  # not asked for several things: the opening still leads


def test_a_summing_up_opening_gives_the_lead_to_its_list_from_the_start_when_the_section_runs_over_two_passages():
    tasks = "By the end of week 2 the team should have completed these tasks:"
    in_section = {"section": ("plan.md", "What happens in weeks 1-2?"), "heading_match": 0.5}
    opening = replace(
        candidate(0, 0, "The first two weeks turn an idea into an agreed plan and a measured start.", 0.6),
        opening=True,
        **in_section,
    )
    first = replace(candidate(0, 1, "The team writes a one-page pilot charter.", 0.2, 0, lead_in=tasks), **in_section)
    second = replace(candidate(0, 2, "The team builds a baseline.", 0.2, 1, lead_in=tasks), **in_section)
    # the next passage of the section repeats the list's last item and matches a little better
    last = replace(
        candidate(1, 0, "The team confirms the purchase of the sensors.", 0.3, lead_in=tasks),
        place=(0, 1, 0),
        **in_section,
    )
    chosen = answer("What should be done in the first two weeks?", [opening, first, second, last], limit=3)
    assert chosen[:2] == [first, second]


def test_a_list_item_leans_on_its_lead_in_not_on_the_sentence_before_it():
    tell = "When you call maintenance about an alert, tell them:"
    section = [
        candidate(0, 0, "The alert gives a number, but you know what the machine was doing.", 0.3),
        candidate(0, 1, "Which job and part were running when the alert fired.", 0.7, previous=0, lead_in=tell),
        candidate(0, 2, "Whether anything changed just before.", 0.6, previous=1, lead_in=tell),
    ]
    chosen = answer("What should I tell maintenance about the alert?", section, limit=3)
    assert chosen[:2] == section[1:]


def test_advice_for_the_askers_own_case_leads():
    question = "the robot in the weld cell moved when i thought it was stopped. who do i tell"
    candidates = [
        candidate(0, 0, "Traditional robots move fast, so they work inside fenced cells with safeguards.", 0.5),
        candidate(1, 0, "If a robot moves in a way that surprises you, step back and report it.", 0.5),
    ]
    assert answer(question, candidates, limit=2)[0] is candidates[1]
    asked = "What's the difference between a robot and a cobot?"  # no case of the asker's own: no advice for it
    assert answer(asked, candidates, limit=2)[0] is candidates[0]


def test_an_answer_about_the_askers_own_case_says_what_to_do():
    question = "my buddy on nights wants to borrow my login for the press screen. is that ok"
    section = [
        candidate(0, 0, "If you use someone else's login, the record shows their name, not yours.", 0.6),
        candidate(0, 1, "A borrowed login can cause trouble for both of you later.", 0.55, previous=0),
        candidate(0, 2, "Shared logins hide who changed a setting on the line.", 0.5, previous=1),
        candidate(0, 3, "Tell your supervisor when your account fails, so it gets fixed.", 0.25, previous=2),
    ]
    elsewhere = candidate(1, 0, "Ask your trainer when a new screen confuses you.", 0.45)
    shown = answer(question, [*section, elsewhere], limit=3)
    assert section[3] in shown and elsewhere not in shown, "what to do, from the section that answers first"


@pytest.mark.parametrize(
    ("text", "does"),
    [
        ("Tell your supervisor if your login does not work.", True),
        ("If a safeguard is in the way of the work, tell your supervisor and the safety team.", True),
        ("Never share your password, even with a friend on the same crew.", True),
        ("Hand guiding means a person moves the robot by hand.", False),
        ("Walker Reynolds of 4.0 Solutions popularized the term.", False),
        ("If the score is used to punish, people start hiding stops.", False),
    ],
)
def test_a_sentence_telling_the_reader_what_to_do_is_recognized(text, does):
    assert directs(text) is does


def test_a_rule_about_what_the_asker_asks_to_do_leads_over_the_scene_they_describe():
    question = "tablet at my station is frozen and the network is down. can i just run the job from memory"
    scene = candidate(0, 0, "A frozen screen, a dead tablet or a network outage can stop a job cold.", 0.55)
    rule = candidate(0, 1, "Do not run a job from memory if the plant requires instructions at the station.", 0.5, 0)
    assert answer(question, [scene, rule], limit=2)[0] is rule


def test_a_sentence_telling_the_askers_situation_back_does_not_lead_over_one_saying_who():
    question = "found a usb stick in the parking lot, who do i hand it to"
    scene = candidate(0, 0, "A lost USB stick in the parking lot is a classic trick.", 0.7)
    who = candidate(1, 0, "If you find an unknown USB stick, hand it to your supervisor or IT.", 0.55)
    assert answer(question, [scene, who], limit=2)[0] is who


def test_an_item_saying_what_to_do_is_no_scene_told_back_whatever_its_lead_in():
    question = "i typed scrap as 40 instead of 4 and it already went into the handoff report. how do i fix it"
    lead_in = "Here is how to fix an entry well:"
    step = candidate(
        0, 1, "Tell your lead if the mistake already showed up in a report or shift handoff.", 0.3, 0, lead_in=lead_in
    )
    assert tells_scene_back(step, analyze(question)) == 0.0
    told = candidate(0, 2, "A mistake that already showed up in a handoff report is common.", 0.3, 1, lead_in=lead_in)
    assert tells_scene_back(told, analyze(question)) > 0.0


def test_an_item_telling_the_askers_situation_answers_who_under_a_lead_in_that_names_someone():
    question = "height gauge is reading weird and the sticker says its overdue for calibration. who handles that"
    item = candidate(
        0,
        1,
        "A gauge or measuring tool that seems off, or that is overdue for calibration.",
        0.6,
        lead_in="Good reasons to contact quality include:",
    )
    other = candidate(1, 0, "If an instruction has a wrong value, flag it on the screen and tell quality.", 0.5)
    assert answer(question, [item, other], limit=2)[0] is item


def test_asked_how_many_a_sentence_announcing_what_follows_does_not_lead():
    question = "How many floor champions do we need for the rollout?"
    section = ("manager/scaling.md", "How should a rollout be governed?")
    opening = replace(
        candidate(0, 0, "Governance keeps a rollout consistent, funded and on track.", 0.6, None, 0.2, True),
        section=section,
    )
    teaser = replace(candidate(0, 1, "A practical structure has four parts.", 0.5, 0, 0.2), section=section)
    assert answer(question, [opening, teaser], limit=2)[0] is opening


def test_a_sentence_that_needs_the_one_before_it_does_not_lead_over_one_about_as_good_that_stands_alone():
    scene = candidate(0, 0, "In 2023 CESMII set a target for 2030.", 0.3)
    leaning = candidate(0, 1, "Its 2023 review also counted seven innovation centers.", 0.8, previous=0)
    alone = candidate(1, 0, "By 2023, CESMII reported seven innovation centers.", 0.75)
    chosen = answer("How many innovation centers did CESMII report?", [scene, leaning, alone], limit=1)
    assert chosen == [alone]


def test_a_sentence_pointing_to_one_nobody_retrieved_does_not_lead():
    orphan = candidate(0, 3, "Walk the line with those team members before choosing sensors.", 0.8, previous=None)
    plain = candidate(1, 0, "Explain what each sensor measures and who can see its data.", 0.6)
    assert answer("How should we respond to worries about sensors?", [orphan, plain], limit=1)[0] is plain


def test_a_sentence_announcing_what_follows_joins_only_with_all_it_announces():
    teaser = candidate(1, 0, "Two habits keep a pilot out of purgatory.", 0.85)
    first = candidate(1, 1, "First, set a decision date in week one and keep to it.", 0.3, previous=0)
    second = candidate(1, 2, "Second, reserve a rollout budget before the pilot ends.", 0.2, previous=1)
    lead = candidate(0, 0, "Plan for scale before the pilot starts to avoid pilot purgatory.", 0.9)
    asked = "How do we avoid pilot purgatory?"
    # counted out in prose, the points are a list: shown whole, beyond the limit
    assert answer(asked, [lead, teaser, first, second], limit=2) == [lead, teaser, first, second]
    assert answer(asked, [lead, teaser, first, second], limit=1) == [lead]  # no room for the announcement
    # "Two points deserve attention." then "First, ..." alone reads as cut short
    assert teaser not in answer(asked, [lead, teaser, first], limit=4)


def test_a_sentence_announcing_what_follows_without_a_count_joins_with_the_rest_of_its_paragraph():
    lead = candidate(0, 0, "Flag a wrong step with the feedback button on the screen.", 0.9)
    teaser = candidate(1, 0, "What happens after a flag differs by plant, but a common path looks like this.", 0.85)
    path = [
        candidate(1, 1, "Your report goes to the engineer who owns that instruction.", 0.3, previous=0),
        candidate(1, 2, "The owner checks the problem and updates the instruction.", 0.2, previous=1),
        candidate(
            1, 3, "The new version is approved, often by quality, and released to the stations.", 0.2, previous=2
        ),
    ]
    path[2] = replace(path[2], ends_paragraph=True)
    asked = "What happens after I flag a wrong step?"
    # "a common path looks like this." then only the report going to the engineer read as the whole path
    assert answer(asked, [lead, teaser, *path], limit=2) == [lead, teaser, *path]


def test_a_sentence_announcing_the_next_without_a_count_lends_it_how_well_it_matches():
    teaser = candidate(0, 0, "A useful test for any alert is simple.", 0.8)
    test = candidate(0, 1, "An alert should tell a specific person to take a specific action.", 0.4, previous=0)
    fatigue = candidate(1, 0, "Alert fatigue is when people get so many alerts that they ignore them.", 0.6)
    asked = "whats the test for whether an alert deserves to exist at all"
    # the announcement matched best and was led with, the test it announces left to follow or cut
    assert answer(asked, [teaser, test, fatigue], limit=2)[0] is test
    assert teases("A useful test for any alert is simple.") and teases("The key point is simple.")


@pytest.mark.parametrize(
    "asked",
    [
        "line 4 OEE jumped from 58 to 67 in one month and nothing changed on the floor. what should I check first?",
        "robot arm jerked toward me out of nowhere mid cycle. what am i supposed to do right when a robot moves?",
    ],
)
def test_asked_what_to_do_a_step_under_the_askers_own_case_holds_the_answer(asked):
    steps = [
        candidate(0, 0, "When OEE or another KPI jumps suddenly, ask what changed on the floor first.", 0.3),
        candidate(1, 0, "If a robot moves in a way that surprises you, step back and report it.", 0.3),
    ]
    near = candidate(
        2, 0, "Automated data shows short stops that manual logs missed, so OEE can jump or a robot seem odd.", 0.55
    )
    chosen = answer(asked, [*steps, near], limit=2)
    assert chosen[0] is steps[0 if "OEE" in asked else 1]


def test_a_list_item_read_twice_where_passages_overlap_counts_where_its_list_is():
    steps = "When an alert fires, a simple order of steps helps:"
    texts = ["Make sure everyone is safe.", "Check the machine by eye.", "Log what the alert said and what you did."]
    listed = [candidate(0, n + 1, t, 0.5, n or None, lead_in=steps) for n, t in enumerate(texts)]
    # the next passage opens with the list's last step, its lead-in left behind, and matches better alone
    again = replace(candidate(1, 0, texts[2], 0.7), item=True)
    chosen = answer("What should I do when an alert fires?", [*listed, again], limit=3)
    assert [c.text for c in chosen][:3] == texts and again not in chosen


def test_a_list_read_on_from_a_passage_that_starts_inside_it_takes_its_lead_in():
    covers = "A useful scorecard covers the following questions:"
    texts = ["Value asks whether savings meet the business case.", "Speed asks how long projects take."]
    head = candidate(0, 1, texts[0], 0.5, lead_in=covers)  # the passage ends after the first item
    whole = [replace(candidate(1, n, t, 0.5, n - 1 if n else None), item=True) for n, t in enumerate(texts)]
    chosen = answer("What should be on the scorecard?", [head, *whole], limit=3)
    assert [c.text for c in chosen] == texts and head not in chosen
    assert as_read(chosen)[0] == f"{covers} {texts[0]}"


def test_steps_are_shown_in_their_order_whichever_matched_best():
    steps = "When an alert fires, a simple order of steps helps:"
    texts = ["Make sure everyone is safe.", "Read the whole alert.", "Pull the andon if you are not sure."]
    listed = [
        candidate(0, n, t, 0.5 + 0.1 * (n == 2), n - 1 if n else None, lead_in=steps) for n, t in enumerate(texts)
    ]
    chosen = answer("alarm at my station, where does the andon come in", listed, limit=3)
    assert [c.text for c in chosen] == texts
    points = "Good practice includes:"  # points, not steps: the one that answers stays first
    chosen = answer(
        "alarm at my station, where does the andon come in", [replace(c, lead_in=points) for c in listed], 3
    )
    assert chosen[0].text == texts[2]


def test_a_yes_or_no_opening_answers_only_its_own_heading():
    example = "Yes: one 480-minute shift with 85% availability gives an OEE of about 73.5%."
    opening = candidate(0, 0, example, 0.8, opening=True, heading_match=0.1)  # "Can you show me an example?"
    planned = candidate(1, 0, "Planned stops such as lunch do not count against availability.", 0.6)
    assert answer("does lunch count as downtime in our oee?", [opening, planned], limit=2) == [planned]
    asked = replace(opening, heading_match=1.0)  # its heading is the question: it answers it
    assert answer("can you show me an oee example?", [asked, planned], limit=2)[0] is asked


def test_one_item_of_a_list_announced_whole_is_not_shown_under_its_lead_in():
    tasks = "By the end of week 2 the team should have completed the following tasks:"
    lead = candidate(0, 0, "A pilot stalls when nobody set a date to decide on it.", 0.9)
    charter = candidate(1, 3, "The team writes a one-page pilot charter with a decision date.", 0.8, 2, lead_in=tasks)
    chosen = answer("Why do pilots stall?", [lead, charter], limit=3)
    assert [c.text for c in chosen] == [lead.text, charter.text] and as_read(chosen)[1] == charter.text  # a sentence
    steps = "The basic LOTO steps look like this:"
    step = candidate(1, 3, "Tell the people affected that the machine is being shut down.", 0.8, 2, lead_in=steps)
    assert answer("Why do pilots stall?", [lead, step], limit=3) == [lead]  # one step is no procedure
    signs = "Watch for these warning signs:"
    sign = candidate(1, 3, "A link points to a web address that does not match the sender.", 0.95, 2, lead_in=signs)
    assert as_read(answer("Why do pilots stall?", [lead, sign], limit=3))[1] == f"{signs} {sign.text}"  # one of some


def test_a_yes_no_question_led_by_a_list_item_does_not_read_the_whole_list():
    check = "Before the pilot starts, check:"
    items = [
        candidate(0, n, text, sim, previous=n - 1 if n else None, lead_in=check)
        for n, (text, sim) in enumerate(
            [
                ("State in writing that pilot data will not be used to punish anyone.", 0.8),
                ("Do not rely on a single firewall between office and plant.", 0.2),
                ("Keep safety logic in the machine's own controllers.", 0.2),
            ]
        )
    ]
    assert answer("Can pilot data be used to discipline an operator?", items, limit=1) == [items[0]]


def test_the_lead_reads_on_into_the_sentence_after_it():
    question = "What is OEE?"
    candidates = [
        candidate(0, 0, "OEE is a score for how well planned time became good parts.", 0.8),
        candidate(0, 1, "It multiplies availability, performance and quality together.", 0.3, previous=0),
        candidate(1, 0, "OEE dashboards show the score of each line every hour.", 0.55),
    ]
    chosen = answer(question, candidates, limit=2)
    assert [c.text[:8] for c in chosen] == ["OEE is a", "It multi"]


def test_nothing_is_said_twice():
    question = "What is a unified namespace?"
    twin = "A unified namespace is one shared hub where every system publishes its data."
    candidates = [
        candidate(0, 0, twin, 0.9),
        candidate(1, 0, twin.replace("one shared", "a single shared"), 0.88),
        candidate(2, 0, "A unified namespace hub is often an MQTT broker on the plant network.", 0.85),
    ]
    chosen = answer(question, candidates, limit=3)
    assert len(chosen) == 2 and chosen[1].passage == 2


def test_a_time_question_leads_with_the_sentence_holding_a_time_span():
    question = "How much of their week does a pilot lead need?"
    candidates = [
        candidate(0, 0, "A pilot lead owns the plan and keeps the pilot on track.", 0.7),
        candidate(1, 0, "Plan for the pilot lead to spend a fifth or more of each week on it.", 0.62),
    ]
    assert answer(question, candidates, limit=1)[0].passage == 1


def test_asked_what_a_part_of_a_thing_means_the_sentence_on_that_part_leads_not_what_the_thing_is():
    heading = "What are andon lights and what do the colors mean?"
    section = [
        candidate(0, 0, "Andon is a Japanese word for a lamp.", 0.65, heading_match=0.5, opening=True),
        candidate(0, 1, "An andon light is often a stack of colored lights on a machine.", 0.69, previous=0),
        candidate(0, 2, "A common setup uses green for running, yellow for needs attention and red for stopped.", 0.57),
    ]
    section = [replace(c, section=("andon.md", heading)) for c in section]
    question = "what does the red light on the andon mean"
    chosen = compose(section, analyze(question, lexicon={"andon"}), frozenset(terms(question)), 2)
    assert chosen[0].text.startswith("A common setup")
    question = "what is an andon"
    chosen = compose(section, analyze(question, lexicon={"andon"}), frozenset(terms(question)), 2)
    assert chosen[0].text.startswith("Andon is")


def test_a_comparison_brings_in_each_side():
    question = "What is the difference between preventive and predictive maintenance?"
    candidates = [
        candidate(0, 0, "Preventive maintenance is done on a fixed schedule.", 0.8),
        candidate(0, 1, "Preventive maintenance can waste effort on good parts.", 0.75, previous=0),
        candidate(1, 0, "Predictive maintenance acts on the condition of the machine.", 0.5),
    ]
    chosen = answer(question, candidates, limit=2)
    assert any(c.text.startswith("Predictive") for c in chosen)


def test_a_comparison_reads_on_from_its_lead_before_the_other_side():
    question = "whats the difference between planned and unplanned downtime"
    planned = candidate(0, 0, "Planned downtime is time the machine is scheduled to be stopped.", 0.8)
    examples = candidate(0, 1, "Lunch, breaks and shift meetings are common examples.", 0.4, previous=0)
    unplanned = candidate(0, 2, "Unplanned downtime is any stop that was not on the schedule.", 0.7, previous=1)
    assert answer(question, [planned, examples, unplanned], limit=3) == [planned, examples, unplanned]
    assert answer(question, [planned, examples, unplanned], limit=2) == [planned, unplanned]


def test_a_comparison_says_what_each_side_is_where_the_playbook_does_not_only_name_it():
    question = "What's the difference between leading and lagging indicators?"
    candidates = [
        candidate(0, 0, "A lagging indicator is a measure of a result that has already happened.", 0.95),
        candidate(1, 0, "If the leading indicators improve but the lagging one does not, rethink.", 0.6),
        candidate(2, 0, "A leading indicator is a measure of an activity that comes before a result.", 0.4),
    ]
    chosen = answer(question, candidates, limit=2)
    assert [c.text[:22] for c in chosen] == ["A lagging indicator is", "A leading indicator is"]
    contrast = candidate(0, 0, "The sponsor owns the outcome, while the champion drives the work.", 0.9)
    champion = candidate(1, 0, "A champion who carries the role on top of a full-time job will struggle.", 0.3)
    asked = "What's the difference between the sponsor and the champion?"
    assert answer(asked, [contrast, champion], limit=2) == [contrast]  # the contrast says it of both


def test_a_second_question_asked_yes_or_no_is_answered_from_anywhere_by_most_of_its_terms():
    question = "chute jams every 15 min. do i gotta log every one?? and does it even count against oee"
    log = candidate(0, 0, "Many plants do not ask you to log every micro-stop, so tell someone instead.", 0.7)
    fix = candidate(0, 1, "A short note gives the team a clear target.", 0.6, previous=0)
    counts = candidate(1, 0, "Minor stops count against OEE performance rather than availability.", 0.2)
    scrap = candidate(2, 0, "Scrap counts feed the plant's cost reports.", 0.3)  # one word in common: no answer
    assert counts in answer(question, [log, fix, counts, scrap], limit=3)
    # ... beyond the sentence limit: the first question's answer stays whole
    assert answer(question, [log, fix, counts, scrap], limit=2) == [log, fix, counts]
    assert answer("do i gotta log every one??", [log, fix, counts, scrap], limit=3) == [log, fix]
    assert answer("do i gotta log every one?? and does it cost a lot", [log, fix, scrap], limit=3) == [log, fix]


def test_what_a_thing_named_is_does_not_answer_whether_to_do_something_with_it():
    question = "found a usb stick by line 2. who do i hand it to? can i just plug it into the hmi real quick to see"
    hand = candidate(0, 0, "If you find an unknown USB stick, do not plug it in; hand it to your supervisor.", 0.7)
    hmi = candidate(1, 0, "A human-machine interface (HMI) is the screen that lets you see what a machine does.", 0.3)
    asked = analyze(question, lexicon=["usb stick", "hmi"])
    assert compose([hand, hmi], asked, frozenset(terms(question)), 3) == [hand]


def test_one_name_told_before_a_comparison_is_no_side_of_it():
    question = "CEO just told me I'm the 'champion' and he'll be the 'sponsor'. whats the difference?"
    contrast = candidate(0, 0, "The sponsor owns the outcome, while the champion drives the work.", 0.9)
    ceo = candidate(1, 0, "John Dyck, who took over as CEO in mid-2018, made democratization a theme.", 0.3)
    assert answer(question, [contrast, ceo], limit=3) == [contrast]


def test_a_contrast_answers_a_comparison_when_it_sets_the_two_asked_side_by_side():
    question = "How is OT security different from IT security?"
    both = candidate(0, 0, "OT security puts availability first, while IT security puts confidentiality first.", 0.6)
    one = candidate(1, 0, "OT security differs in practice, while plant equipment runs for decades.", 0.65)
    assert answer(question, [one, both], limit=1) == [both]


@pytest.mark.parametrize(
    "text, step",
    [
        ("Bring the part number and the time it started.", True),
        ("Press the andon button.", True),
        ("Discuss the top losses.", True),
        ("Never plug a found USB stick into a machine.", True),
        ("Traditional industrial robots move fast and with high force.", False),
        ("Sensors track how close a person is.", False),
        ("Only people who are trained should perform lockout.", False),
        ("Starting a pilot takes a sponsor.", False),
        ("People stay out of the cell while the robot runs.", False),
        ("Network segmentation is the practice of splitting a network into sections.", False),  # names, not tells
        ("Start by separating the plant from the office.", True),
        ("Remote access lets vendors reach plant equipment from outside the plant.", False),  # a subject and its verb
        ("Route all remote access through a single managed gateway.", True),
        ("You get a message that might be phishing, or you clicked one by mistake.", False),  # a case, told of you
        ("We pick one line for the pilot.", False),
        ("You should report it.", True),  # what you should do is a step
    ],
)
def test_a_step_is_told_from_a_statement_by_its_first_word(text, step):
    assert type_match(Intent.PROCEDURE, text) == float(step)


@pytest.mark.parametrize(
    "text, elsewhere",
    [
        ("Contact CESMII directly for current membership terms.", True),
        ("Readers who need a precise launch date should check the records of CESMII or SME directly.", True),
        ("Product details of the SMIP, such as pricing, are not covered in the sources for this document.", True),
        ("The sources used for this document do not list individual council members.", True),
        ("Publishers and subscribers never connect to each other directly.", False),
        ("Ask your supervisor which code to use.", False),
    ],
)
def test_a_sentence_saying_the_playbook_does_not_hold_something_is_recognized(text, elsewhere):
    assert refers_elsewhere(text) == elsewhere


def test_the_playbooks_statement_that_it_lacks_what_is_asked_answers_when_it_matches_as_well_as_the_lead():
    asked = "Which companies are members of the council?"
    question, words = analyze(asked), frozenset(terms(asked))
    lead = candidate(0, 0, "CESMII and SME created the council together.", 0.62)
    absent = candidate(
        0, 1, "The sources used for this document do not list individual council members or companies.", 0.70
    )
    assert stated_absence([lead, absent], lead, question, words) is absent
    weaker = replace(absent, similarity=0.05)  # a neighbouring gap, matching far less than what is known
    assert stated_absence([lead, weaker], lead, question, words) is None
    # a yes or no is answered by what is known, not by the details that are not
    yes_no = analyze("Is the council writing a playbook?")
    assert stated_absence([lead, absent], lead, yes_no, words) is None
    leaning = replace(absent, text="Its member list is not covered in the sources.", previous=0)
    assert stated_absence([lead, leaning], lead, question, words) is None
    # ... unless it asks whether there is the kind of thing the playbook says it lacks
    listed = analyze("is there a member list? is GE on it?")
    assert listed.intent is Intent.YESNO
    assert stated_absence([lead, absent], lead, listed, words) is absent


def test_a_lead_under_a_heading_asking_what_was_asked_is_not_outdone_by_a_gap_matching_only_its_words():
    asked = "We're a job shop still on paper. Where do we actually start with smart manufacturing?"
    question, words = analyze(asked), frozenset(terms(asked))
    start = "Start by rating where the plant stands with a short readiness self-assessment."
    lead = candidate(0, 0, start, 0.40, heading_match=0.5, opening=True)
    gap = "The contents of the smart manufacturing playbook are not described in the sources used here."
    absent = candidate(0, 1, gap, 0.45)
    assert stated_absence([lead, absent], lead, question, words) is None
    unmatched = replace(lead, heading_match=0.0)  # matched by its words alone, the gap matching better wins
    assert stated_absence([unmatched, absent], unmatched, question, words) is absent


def test_a_statement_that_the_playbook_lacks_the_kind_of_thing_asked_answers_when_nearly_as_well_matched():
    lead = candidate(0, 0, "CESMII and SME created the council together.", 0.70)
    lacks = "The sources used for this document do not list council members, so no member companies appear here."
    absent = candidate(0, 1, lacks, 0.5)
    asked = "Which companies sit on the council?"  # companies, which the lead never names
    assert stated_absence([lead, absent], lead, analyze(asked), frozenset(terms(asked))) is absent
    asked = "Which people founded the council?"
    assert stated_absence([lead, absent], lead, analyze(asked), frozenset(terms(asked))) is None
    outcome = candidate(1, 0, "The outcome of that negotiation is not covered in the sources for this document.", 0.65)
    funds = candidate(1, 1, "A further $61 million was under negotiation at that time.", 0.75)
    asked = "Did CESMII end up getting the extra $61 million?"  # a yes or no, but how it turned out is not known
    assert stated_absence([funds, outcome], funds, analyze(asked), frozenset(terms(asked))) is outcome
    asked = "Did CESMII negotiate an extra $61 million?"
    assert stated_absence([funds, outcome], funds, analyze(asked), frozenset(terms(asked))) is None


def test_a_time_asked_for_leads_from_another_section_when_nearly_as_good_a_lead():
    asked = "andon went red by itself, how long before it does that"
    question, words = analyze(asked), frozenset(terms(asked))
    pulling = candidate(0, 0, "Pulling the andon by pressing a button is not a sign of failure.", 0.75, opening=True)
    early = candidate(0, 1, "Pulling the andon is how a good team catches problems early.", 0.55, previous=0)
    red = candidate(1, 0, "A yellow light that is not cleared in ten minutes may turn red.", 0.55, opening=True)
    chosen = compose([pulling, early, red], question, words, limit=3)
    assert chosen[0] is red and pulling in chosen
    far = replace(red, similarity=0.10)  # far below the lead: no answer to how long, and it leads nothing
    assert compose([pulling, early, far], question, words, limit=3)[0] is pulling


@pytest.mark.parametrize(
    "text, holds",
    [
        ("A small shop can start with a readiness review, since much of that help comes with a cost share.", 1.0),
        ("SME has worked to advance manufacturing in North America since 1932.", 0.0),  # a time, not a reason
        ("John Dyck has been CEO since mid-2018.", 0.0),
        ("The figure has since spread widely.", 0.0),
    ],
)
def test_since_gives_a_reason_only_when_no_time_follows(text, holds):
    assert type_match(Intent.WHY, text) == holds


@pytest.mark.parametrize(
    "text, holds",
    [
        ("Go to quality for a gauge that seems off.", 1.0),  # a role, and whom to tell
        ("CESMII and SME announced the council in late 2021.", 0.5),  # who set it up
        ("The timing of the launch is still meaningful.", 0.0),
        ("Contact safety when a guard is missing.", 1.0),  # the safety team
        ("In the worst case, changes to a controller could create a safety risk.", 0.0),  # a risk names no one
    ],
)
def test_a_who_question_is_answered_by_a_role_an_organization_or_whom_to_tell(text, holds):
    assert type_match(Intent.WHO, text) == holds


@pytest.mark.parametrize(
    "text, holds",
    [
        ("A pilot lead may need a fifth or more of each week for three months.", 1.0),
        ("The pilot can show a result within about 90 days.", 1.0),
        ("Write the team list with each person's expected hours per week.", 0.0),  # a rate, not how long
        ("Check the gauge every shift.", 1.0),
        ("Review the list of remote users every quarter.", 1.0),
        ("An operator from each shift reports what the data misses.", 0.0),  # who, not how often
    ],
)
def test_a_time_question_is_answered_by_a_span_of_time(text, holds):
    assert type_match(Intent.TIME, text) == holds


@pytest.mark.parametrize(
    "text, holds",
    [
        ("About 85% is often called world class.", 1.0),
        ("Choose at least one champion per shift.", 1.0),
        ("The safety guidance for cobots is ISO/TS 15066, which builds on ISO 10218.", 0.0),  # names, not amounts
        ("Robots are covered by ISO 10218-1 (ANSI/RIA R15.06 in the United States).", 0.0),
        ("Brokers speak MQTT 3.1.1 or MQTT 5.", 0.0),
        ("In 2023 CESMII set a target for 2030.", 0.0),
    ],
)
def test_an_amount_question_is_answered_by_a_count_or_a_share_not_by_a_code(text, holds):
    assert type_match(Intent.AMOUNT, text) == holds


def test_pointing_and_teasing_sentences_are_recognized():
    assert points_back("This means the score drops.") and points_back("Also, check the guard.")
    assert not points_back("There are three levels of escalation.")
    assert points_back("Each of those is a real problem, but the fix is to report it.")
    assert points_back("Each one is good for a set time.") and points_back("Each is renewed yearly.")  # each named
    assert points_back("Each kind of fault tends to show up at particular frequencies.")  # each of the faults named
    assert not points_back("Each action needs one owner and a due date.")
    assert points_back("After that, you must renew it to keep it current.")  # after the time just told
    assert not points_back("After the pilot, decide whether to scale.")
    assert points_back("Second, assess readiness across data and people.")
    assert points_back("Sixth, review the results with the steering group.")  # any ordinal past the first
    assert points_back("A single firewall between the office and the plant is also not enough.")
    assert points_back("Roll up long sleeves too.") and points_back("Look at the time stamp as well.")  # one more
    assert points_back("In this shift, only about 294 of the 400 planned minutes turned into good parts.")
    assert not points_back("IT staff focus on data protection.") and points_back("It can restart.")  # the department
    assert not points_back("In the example, 588 good parts take 294 minutes.")  # names what it is of
    assert not points_back("Report safety devices to safety as well as maintenance.")
    assert not points_back("A press that runs too fast makes scrap.")
    assert points_back("Walk the line with those team members before choosing sensors.")
    assert points_back("Many plants score well below that when they first measure.")
    assert not points_back("Use these three checks: the gauge, the drawing and the label.")  # the colon names them
    # after an opening phrase, "these" still points back; "those who" says which
    assert points_back("From a strict lean view, every one of these outcomes looks like waste.")
    assert not points_back("In a small plant, those who run the machine know it best.")
    # a thing named before: "this workforce focus", "a scorecard like this", "a pilot built this way"
    assert points_back("SME's role in the council extends this workforce focus to smart manufacturing.")
    assert points_back("A scorecard like this keeps attention on results.")
    assert points_back("Expect the first weeks of this phase to feel untidy.")
    assert points_back("A dashboard nobody acts on saves nothing, so this phase focuses on the response to alerts.")
    assert not points_back("Plan the pilot in week 1, and this month run it.")
    assert not points_back("Leading indicators tell teams what to do this week.")
    assert not points_back("Speed and separation monitoring works like this.")  # it announces what follows
    assert points_back("In the example above, a pilot costing $45,000 pays back in about twelve months.")
    assert points_back("As shown above, the score drops.") and not points_back("The example shows the score.")
    # counted off a list before it, unless it names what it counts
    assert points_back("Managers often underestimate the last three, because those costs do not appear on a quote.")
    assert points_back("The latter is cheaper to run.")
    assert not points_back("The first two weeks turn an idea into an agreed plan.")
    # one of several counted off before it ("Performance drops for two main reasons.")
    assert points_back("The first reason is slow cycles, where the machine runs but slower than it should.")
    assert points_back("The last step is easy to skip, but it matters.")
    assert points_back("Present all three cases side by side.")
    assert points_back("If the records are poor, spend these two weeks on a manual tally.")
    assert not points_back("The first step is to rate where the plant stands.")
    assert not points_back("The last step in lockout is to try to start the machine.")
    # said after something else: "Worse, ...", "at the same time.", "point the same way", "Track both,"
    assert points_back("Worse, repeated pilots teach people that change comes and goes.")
    assert points_back("Tell your supervisor at the same time.")
    assert not points_back("Approve a rollout budget at the same time as the pilot.")
    assert points_back("Government statistics point the same way.")
    assert points_back("Track both, and express scrap in money as well as percent.")
    assert not points_back("Involve both operations and IT staff in the network design.")
    # "also" past the first clause leans on nothing before the sentence
    assert not points_back("Secondary sensors matter, and a firewall can also log traffic.")
    assert teases("Speed and separation monitoring works like this.")
    assert teases("A structure that works for most companies has three layers.")
    assert not teases("A good huddle takes about ten minutes.")
    assert teases("Each factor answers one simple question.")  # ... one each, said next
    assert not teases("Each worker who is covered by the lockout puts their own lock on the energy source.")
    assert not teases(
        "A pilot should track one main business metric, two or three supporting metrics and a few adoption metrics."
    )


def test_a_procedure_shows_its_whole_list_in_order_beyond_the_sentence_limit():
    chosen = answer("What are the steps for lockout/tagout?", loto([0.3, 0.2, 0.5, 0.4, 0.1]), limit=2)
    # All five, in the author's order: "Shut the machine down" is a step of its own, not a repeat of the
    # first step's "being shut down".
    assert [c.text for c in chosen if c.item] == LOTO_STEPS
    assert chosen[0].text == LOTO_STEPS[0]  # asked for the steps: they lead, not the opening that sums them up


def test_a_list_item_that_leads_brings_the_rest_of_its_list_not_the_items_before_it():
    candidates = loto([0.1, 0.1, 0.1, 0.9, 0.2])[1:]  # no opening: the fourth step matches best
    chosen = answer("Where does my personal lock go?", candidates, limit=1)
    assert [c.text for c in chosen] == LOTO_STEPS[3:]


def test_a_list_read_whole_is_followed_by_what_the_playbook_says_after_it_even_in_the_next_passage():
    steps = loto([0.3, 0.2, 0.5, 0.4, 0.1])
    section = steps[0].section
    # passages overlap: the next one repeats the last step, then goes on after the list
    repeated = replace(candidate(1, 0, LOTO_STEPS[-1], 0.1, lead_in="The basic steps are:"), section=section)
    after = replace(candidate(1, 1, "Only people who are trained should perform lockout.", 0.2, 0), section=section)
    chosen = answer("What are the steps for lockout/tagout?", [*steps, repeated, after], limit=1)
    assert [c.text for c in chosen] == [*LOTO_STEPS, after.text]  # beyond the limit, as part of the list
    # A list read from partway is shown from there and then from its start: nothing follows "after" it.
    midway = answer("Where does my personal lock go?", [*loto([0.1, 0.1, 0.1, 0.9, 0.2])[1:], repeated, after], 1)
    assert [c.text for c in midway] == LOTO_STEPS[3:]


def test_asked_about_their_own_case_a_reader_told_what_not_to_do_is_told_what_to_do_instead():
    never = candidate(0, 0, "Never bypass, tape over or block a safety device.", 0.8)
    why = candidate(0, 1, "A taped light curtain cannot stop the machine when you reach in.", 0.5, previous=0)
    said_later = candidate(1, 0, "If a safeguard is in the way, tell your supervisor and the safety team.", 0.2)
    instead = replace(said_later, section=never.section)  # further on in the section, in the next passage
    chosen = answer("the light curtain keeps tripping. can i just tape it over?", [never, why, instead], limit=3)
    assert chosen == [never, why, instead]


def test_a_sentence_written_for_the_other_role_leads_only_when_clearly_better():
    question = "Did our machines get worse when OEE dropped after we automated the logs?"
    operators = replace(candidate(0, 0, "Small stops are short jams that often go unlogged.", 0.55), for_other=True)
    managers = candidate(1, 0, "Automated data reveals short stops that manual logs never recorded.", 0.5)
    assert answer(question, [operators, managers], limit=1) == [managers]
    assert answer(question, [replace(operators, similarity=0.9), managers], limit=1)[0].passage == 0


def test_answered_from_the_askers_own_documents_the_other_roles_sentences_do_not_join():
    question = "We are a small job shop with no data systems. Where do we start?"
    start = candidate(0, 0, "A small shop can start with the records it already has.", 0.6)
    narrow = candidate(1, 0, "A limited budget calls for a narrow start that proves value quickly.", 0.55)
    operators = replace(candidate(2, 0, "Ask your supervisor what is changing and why.", 0.58), for_other=True)
    assert answer(question, [start, narrow, operators], limit=3) == [start, narrow]
    # led from the other role's documents (nothing of the asker's answers), the rest of them may follow
    also_other = replace(narrow, for_other=True)
    assert set(answer(question, [operators, also_other], limit=3)) == {also_other, operators}


def test_an_answer_never_reads_on_into_a_pointer_to_elsewhere_in_its_document():
    text = "If you think data is used against you, you have every right to ask."
    right = candidate(0, 0, text, 0.6, opening=True)
    # passages overlap: the next one repeats the sentence, then points elsewhere ("See the section below")
    again = replace(candidate(1, 0, text, 0.6), section=right.section)
    pointer = replace(
        candidate(1, 1, "See the section below on your rights to ask.", 0.3, previous=0), section=right.section
    )
    chosen = answer("who can i talk to if my machine data is used against me?", [right, again, pointer], limit=3)
    assert pointer.text not in [c.text for c in chosen]


def test_asked_whom_to_tell_as_well_the_answer_says_whom():
    question = "the cobot bumped my arm, nobody got hurt. do i really need to report that and who do i tell"
    report = candidate(0, 0, "Report every near miss, even if nobody was hurt.", 0.6, heading_match=0.5, opening=True)
    why = candidate(0, 1, "Near misses are free warnings.", 0.5, previous=0)
    because = candidate(0, 2, "The same conditions can cause an injury tomorrow.", 0.45, previous=1)
    whom = candidate(0, 3, "Tell your supervisor or the safety team what happened.", 0.3, previous=2)
    assert whom in answer(question, [report, why, because, whom], limit=3)
    assert whom not in answer("do i really need to report that?", [report, why, because, whom], limit=3)


def test_asked_how_long_as_well_the_answer_says_how_long():
    question = "who shows up when the andon goes red, and how long should i try fixing it myself first?"
    who = candidate(0, 0, "The team lead comes first, then maintenance or the supervisor.", 0.6, opening=True)
    why = candidate(0, 1, "Escalation calls in more help over time.", 0.5, previous=0)
    because = candidate(0, 2, "Pulling the andon is not a sign of failure.", 0.45, previous=1)
    how_long = candidate(0, 3, "A yellow light not cleared in ten minutes may turn red.", 0.3, previous=2)
    pool = [who, why, because, how_long]
    assert how_long in answer(question, pool, limit=3)
    assert how_long not in answer("who shows up when the andon goes red?", pool, limit=3)


def test_told_it_already_happened_the_step_for_that_case_leads_without_the_whole_list():
    signs = "Watch for these warning signs:"
    items = [
        candidate(0, n, text, 0.6, previous=n - 1 if n else None, lead_in=signs)
        for n, text in enumerate(["The message asks for your password or badge number.", "A link does not match."])
    ]
    odd = candidate(1, 0, "If a message seems strange, do not click anything.", 0.4)
    clicked = candidate(1, 1, "If you already clicked, report that right away.", 0.4, previous=0)
    fast = candidate(1, 2, "Quick reporting can stop an attack from spreading.", 0.35, previous=1)
    pool = [*items, odd, clicked, fast]
    chosen = answer("i already clicked the link and typed my password. now what?", pool, limit=3)
    assert chosen[:2] == [clicked, fast]  # the signs it was phishing, telling the asker's story back, come after
    assert not set(items) <= set(chosen)  # and are not read out whole
    # asked ahead of time how to tell, the warning signs answer
    assert answer("how do i tell if an email asking for my password is phishing?", pool, limit=3)[0] == items[0]


def test_told_it_already_happened_no_step_of_the_procedure_for_before_is_support():
    steps = [
        replace(candidate(0, n, text, 0.55, previous=n - 1 if n else None), item=True)
        for n, text in enumerate(["Run the first part with the normal settings.", "Measure the key features."])
    ]
    fails = candidate(1, 0, "If the part fails, stop and fix the cause first.", 0.5)
    hope = candidate(1, 1, "Do not run the batch and hope the next parts come out fine.", 0.45, previous=0)
    check = candidate(2, 0, "A first-piece check is a careful check of the first good part.", 0.4)
    chosen = answer("the first piece failed and i already ran 20 parts. what do i do", [*steps, fails, hope, check], 3)
    assert chosen == [fails, hope, check]


def test_one_step_of_a_list_shown_as_support_reads_as_a_sentence_and_a_statement_keeps_its_lead_in():
    rule = candidate(0, 0, "If the feeder ran out of stock, the cause is material.", 0.7, opening=True)
    habits = "Here are some simple habits for picking the right code:"
    log = candidate(1, 0, "Log the stop as soon as you safely can.", 0.72, lead_in=habits)
    reasons = "Good reasons to call maintenance include:"
    jam = candidate(2, 0, "A breakdown or jam that you are not trained to clear.", 0.72, lead_in=reasons)
    shown = as_read(answer("bar feeder ran out, is that material or changeover?", [rule, log, jam], limit=3))
    assert shown[0] == rule.text
    assert "Log the stop as soon as you safely can." in shown  # a step needs no "Here are some habits:" over it
    assert f"{reasons} {jam.text}" in shown  # a noun phrase is no sentence without its lead-in
    assert type_match(Intent.PROCEDURE, "Any alert text or error code.") == 0  # "Any" begins no step


def test_a_follow_ups_support_leaves_out_what_the_last_answer_said():
    said = (
        "If you already clicked, report that right away.",
        "Phishing is a cyberattack in which someone sends a fake email to trick people.",
    )
    report = candidate(0, 0, "If a message seems odd, report it to IT.", 0.7, opening=True)
    again = candidate(1, 0, "Phishing is a fake message that tries to trick you into clicking a link.", 0.6)
    quick = candidate(2, 0, "Quick reporting can stop an attack from spreading.", 0.55)
    question, question_terms = analyze("who do i tell?"), frozenset(terms("who do i tell?"))
    assert again in compose([report, again, quick], question, question_terms, 3)
    chosen = compose([report, again, quick], question, question_terms, 3, said)
    assert again not in chosen and chosen[0] == report  # phishing was defined a moment ago


def test_a_follow_up_is_not_led_by_what_the_last_answer_said():
    target = "A good first target is a critical machine that breaks down without warning."
    first = candidate(0, 0, target, 0.6, opening=True)
    roles = candidate(1, 0, "A typical first pilot needs an executive sponsor, a pilot lead and an operator.", 0.55)
    question = analyze("who do i need on the team for it?")
    question_terms = frozenset(terms("which machine should we pick? who do i need on the team for it?"))
    assert compose([first, roles], question, question_terms, 1) == [first]
    assert compose([first, roles], question, question_terms, 1, said=(target,)) == [roles]


def test_the_other_roles_steps_take_no_list_bonus():
    question = "We're a 40 person job shop, where do we even start?"
    ready = "You can take a few simple steps to get ready:"
    operators = [
        replace(candidate(0, n, step, 0.6, previous=n - 1 if n else None, lead_in=ready), for_other=True)
        for n, step in enumerate(["Ask your supervisor what is changing.", "Learn the reason codes at your station."])
    ]
    start = candidate(1, 0, "Start by rating where the plant stands with a short readiness self-assessment.", 0.55)
    assert answer(question, [*operators, start], limit=3)[0] == start


def test_a_list_is_shown_as_one_run_with_its_lead_in_read_once():
    bring = "When you ask for help, bring:"
    items = [
        candidate(1, 1, "The machine or station name and the part number.", 0.75, lead_in=bring),
        candidate(1, 2, "What you saw, heard or smelled before the problem.", 0.9, previous=1, lead_in=bring),
        candidate(1, 3, "What you already tried, and what happened.", 0.3, previous=2, lead_in=bring),
    ]
    elsewhere = candidate(0, 0, "Good facts about a problem help the team fix it faster.", 0.75)
    chosen = answer("Does it help if I say what I saw before the problem?", [elsewhere, *items], limit=4)
    assert [c.text for c in chosen] == [items[1].text, items[2].text, items[0].text, elsewhere.text]
    assert sum(line.startswith(bring) for line in as_read(chosen)) == 1
    listed = answer("What should I bring when I ask someone for help?", [elsewhere, *items], limit=3)
    assert [c.text for c in listed][:3] == [item.text for item in items]  # asked for several things: from the start


def test_a_list_running_over_two_passages_is_read_from_its_start_under_its_lead_in():
    covers = "A good policy covers the following points:"
    points = [
        "The policy lists what data is collected.",
        "The policy states uses that are not allowed, such as ranking operators.",
        "The policy names who can access which data.",
        "The policy explains how personal data is handled.",
        "The policy commits to telling workers before any new data collection begins.",
    ]
    section = ("change.md", "What should a data-use policy say?")

    def point(passage: int, index: int, n: int, similarity: float, lead_in: str) -> Candidate:
        at = candidate(passage, index, points[n], similarity, previous=index - 1 if index else None, lead_in=lead_in)
        return replace(at, item=True, section=section, place=(0, 1 - passage, index))

    # the best-ranked passage starts inside the list (its third point); the passage before it holds the lead-in
    inside = [point(0, i, n, 0.7, "") for i, n in enumerate((2, 3, 4))]
    opening = [point(1, i, n, 0.4, covers) for i, n in enumerate((0, 1, 2))]
    after = candidate(0, 3, "Leaders should sign the policy.", 0.5, previous=2)
    after = replace(after, section=section, place=(0, 1, 3))
    chosen = answer("What should our data-use policy say?", [*inside, after, *opening], limit=3)
    assert [c.text for c in chosen] == [*points, after.text]
    assert as_read(chosen)[0] == f"{covers} {points[0]}"
    blocks = layout(chosen, {0: 1, 1: 1}, steps=False)
    assert [b.lead_in for b in blocks] == [covers, ""] and len(blocks[0].lines) == len(points)


def test_two_lists_announced_alike_show_their_shared_lead_in_once():
    tasks = "The main tasks are the following:"
    setup = [
        candidate(0, i, text, 0.6, previous=i - 1 if i else None, lead_in=tasks)
        for i, text in enumerate(
            ["Set initial alert thresholds with the technician.", "Build one simple view for the sponsor."]
        )
    ]
    tuning = [
        candidate(1, i, text, 0.5, previous=i - 1 if i else None, lead_in=tasks)
        for i, text in enumerate(
            ["Tune thresholds weekly to cut false alarms.", "Record every alert and the action taken."]
        )
    ]
    chosen = [*setup, *tuning]
    assert [line.startswith(tasks) for line in as_read(chosen)] == [True, False, False, False]
    blocks = layout(chosen, {0: 1, 1: 2}, steps=False)
    assert [b.lead_in for b in blocks] == [tasks, ""] and [len(b.lines) for b in blocks] == [2, 2]


def test_a_definition_question_does_not_pull_in_a_list():
    chosen = answer("What is lockout/tagout?", loto([0.3, 0.2, 0.5, 0.4, 0.1]), limit=1)
    assert [c.index for c in chosen] == [0]


def test_layout_numbers_a_procedure_under_its_lead_in_and_keeps_prose_apart():
    candidates = loto([0.3, 0.2, 0.5, 0.4, 0.1])
    prose = candidate(1, 0, "Each worker keeps the key to their own lock.", 0.6)
    blocks = layout([candidates[0], *candidates[1:3], prose], {0: 1, 1: 2}, steps=True)
    assert [b.kind for b in blocks] == [BlockKind.PARAGRAPH, BlockKind.STEPS, BlockKind.PARAGRAPH]
    assert blocks[1].lead_in == "The basic steps are:"
    assert blocks[1].lines == (f"{LOTO_STEPS[0]} [1]", f"{LOTO_STEPS[1]} [1]")
    assert answer_text(blocks).startswith(f"{candidates[0].text} [1] The basic steps are: {LOTO_STEPS[0]} [1] ")
    # A list whose lead-in introduces steps is numbered whatever was asked; other lists are bulleted.
    assert layout(candidates[1:3], {0: 1}, steps=False)[0].kind is BlockKind.STEPS
    points = [replace(c, lead_in="Good reasons include:") for c in candidates[1:3]]
    assert layout(points, {0: 1}, steps=False)[0].kind is BlockKind.BULLETS
    # An item of another list, alone and without its lead-in, is no point of the list above it.
    stray = replace(candidate(2, 5, "Measure the key features with the right gauges.", 0.4), item=True)
    blocks = layout([*points, stray], {0: 1, 2: 2}, steps=False)
    assert [b.kind for b in blocks] == [BlockKind.BULLETS, BlockKind.PARAGRAPH]
    assert blocks[1].lines == ("Measure the key features with the right gauges. [2]",)


def test_a_yes_no_question_is_answered_no_only_when_the_lead_says_no_in_its_main_clause():
    assert says_no("Can I reset the alert?", "Do not reset the alert just to clear the screen, unless told to.")
    assert says_no("Does a reworked part count?", "A reworked part does not count as good, even if it ships.")
    # a "not" saying which light is meant says no "No"
    assert not says_no(
        "does it turn red on its own?", "A yellow light that is not cleared in ten minutes may turn red."
    )
    assert says_no("do reworked parts count?", "Parts that are reworked do not count as good.")
    assert not says_no("Is it safe next to a cobot?", "Cobots work near people, but not with the guard off.")
    assert not says_no("Shouldn't I report it?", "Do not wait to report it."), "a negated question is left alone"
    assert not says_no("do i have to shut it down?", "An alert does not always mean the machine must stop right now.")
    assert not says_no("Do I have to report it?", "Report every near miss."), "never a 'Yes'"
    assert not says_no("Should we implement an MES or a UNS first?", "The two are not rivals."), "a choice"
    assert says_no("do micro stops count as downtime or what", "A micro-stop is not counted as downtime.")
    # "Resist the temptation to ..." forbids it, as "Do not ..." does, and directs the reader
    resist = "Resist the temptation to install hardware in week 1."
    assert says_no("can we bolt the sensors on in week 1?", resist) and directs(resist)
    assert not tells_what_to_do(resist)
    assert not says_no("Can I wear gloves here?", "No: never wear gloves near a drill."), "it says so already"
    # "no clue" negates no verb: the code matters, and a "No" would say it does not.
    assert not says_no(
        "does picking other even matter?", 'The code "other" tells the team it stopped but gives no clue why.'
    )
    assert not says_no("Does it count as good?", "It counts as good only when made without any rework.")
    # what cannot be done is no answer to whether something is a problem
    assert not says_no("Is that really a problem?", "Maintenance cannot plan, and the same stops keep coming back.")
    assert not says_no("Is that a problem?", "The planner can't fix the schedule.")
    # asked whether a thing is harmful, a rule against it answers "yes"
    taped = "couple guys tape over a corner of the light curtain. is that actually a big deal if we're careful"
    assert not says_no(taped, "Never bypass, tape over, tie down, block or remove a safety device.")
    assert says_no(
        "can we tape over a corner of it?", "Never bypass, tape over, tie down, block or remove a safety device."
    )


def test_a_why_question_is_led_by_the_sentence_that_gives_the_reason_not_the_one_that_sets_the_scene():
    definition = candidate(
        0, 0, "A baseline is the measured performance of a line before a change.", 0.62, heading_match=0.5, opening=True
    )
    reason = candidate(0, 1, "Without a baseline, nobody can prove a gain from the project.", 0.55, previous=0)
    chosen = answer("Why do we need a baseline before the project starts?", [definition, reason], limit=2)
    assert chosen[0] is reason


def test_a_how_who_or_how_much_question_is_not_led_by_a_definition_of_what_it_is_about():
    def lead(question: str, candidates: list[Candidate]) -> Candidate:
        asked = analyze(question, lexicon=["phishing", "predictive maintenance"])  # the glossary's terms
        return compose(candidates, asked, frozenset(terms(question)), 2)[0]

    definition = candidate(0, 0, "Phishing is a fake message that tricks people into clicking a harmful link.", 0.75)
    signs = candidate(
        1, 0, "Spot a phishing message by its warning signs: pressure to act fast and an odd sender.", 0.68
    )
    assert lead("How can I tell if an email is a phishing message?", [definition, signs]) is signs
    assert lead("What is phishing?", [definition, signs]) is definition
    # A sentence that merely opens like one ("A strong first target for X is ...") is not a definition of X.
    target = candidate(
        0, 0, "A strong first target for predictive maintenance is a critical asset that fails without warning.", 0.7
    )
    other = candidate(1, 0, "Sensors on the asset send condition data every minute.", 0.69)
    assert lead("How do we choose the machine for predictive maintenance?", [target, other]) is target
    # A name in brackets is the same subject: "Lockout/tagout (LOTO) is ..." defines lockout/tagout.
    loto = candidate(0, 0, "Lockout/tagout (LOTO) is the set of steps that keeps a machine from starting up.", 0.7)
    who = candidate(1, 0, "Only people who are trained and authorized should perform lockout/tagout.", 0.64)
    asked = analyze("Who is allowed to do lockout/tagout?", lexicon=["lockout/tagout"])
    assert compose([loto, who], asked, frozenset(terms(asked.text)), 2)[0] is who
    # a subject holding a clause of its own defines nothing: "Scrap that is suddenly higher than normal." says
    # when to go to quality
    assert not defined_names("Scrap that is suddenly higher than normal.")
    assert not defined_names("The person who knows is usually you.")
    assert defined_names("Phishing is a cyberattack in which someone sends a fake message.") == ({"phish"},)
    assert defined_names("Speed monitoring means sensors track how close a person is.") == (
        set(terms("speed monitor")),
    )
    # ... by its short name too
    assert defined_names("A human-machine interface (HMI) is the screen of a machine.")[1] == {"hmi"}
    assert defined_names("A collaborative robot, or cobot, is a robot designed to work near people.") == (
        set(terms("collaborative robot")),
        {"cobot"},
    )


MODES = "The four modes mean the following:"


def test_how_often_something_usually_happens_is_no_part_of_what_it_is_about():
    question = analyze("got a pressure alert on press 2. what does a pressure alert usually mean")
    assert question.focus_terms == frozenset(terms("pressure alert"))


def test_advice_under_a_condition_the_asker_meets_is_for_their_case():
    clicked = "If you already clicked, report that right away."
    asked = frozenset(terms("i clicked it lol. now what"))
    assert condition_met(clicked, asked) == 1.0  # "already" says when, not what: the condition is met in full
    assert condition_met("If a message seems strange, do not click anything.", asked) == 0.0
    assert condition_met("Report it right away.", asked) == 0.0  # no condition
    # the parts the asker loads are not the part that fails: half of a two-word condition is no case met
    loading = frozenset(terms("light curtain trips every 5 min when we load parts. is that cool"))
    assert condition_met("If the part fails, stop and fix the cause first.", loading) == 0.0
    # ... unless the asker names it by "it" and says it failed: "what if it fails?" after the first-piece check
    it_fails = frozenset(terms("how do i do the first piece check what if it fails"))
    assert condition_met("If the part fails, stop and fix the cause first.", it_fails, named_before=True) == 1.0
    assert condition_met("If the part fails, stop and fix the cause first.", it_fails) == 0.0
    assert condition_met("If the part fails, stop.", frozenset(terms("what if it jams")), named_before=True) == 0.0
    moved = frozenset(terms("robot on cell 2 moved when i was sure it was stopped"))  # a longer one, in part
    assert condition_met("If a robot moves in a way that surprises you, step back.", moved) == 2 / 3
    after = answer(
        "i already clicked it lol. now what",
        [
            candidate(0, 0, "If a message seems strange, do not click anything.", 0.45),
            candidate(0, 1, clicked, 0.4, previous=0),
        ],
        limit=1,
    )
    assert [c.text for c in after] == [clicked]


def test_a_cause_given_answers_why_and_a_definition_does_not():
    assert type_match(Intent.WHY, "Heat can come from poor lubrication or a blocked fan.")
    assert type_match(Intent.WHY, "Rising vibration can point to a worn bearing.")
    assert not type_match(Intent.WHY, "A temperature alert means a part is hotter than usual.")


def test_whether_to_do_something_is_answered_by_being_told_to_do_it():
    assert type_match(Intent.YESNO, "Report every near miss, even if nobody was hurt.")
    assert type_match(Intent.YESNO, "Never bypass a safety device.")
    assert not type_match(Intent.YESNO, "A near miss is an event that could have hurt someone.")
    # "is this just a way to cut headcount": one thing said in place of another answers whether it is that
    assert type_match(Intent.YESNO, "Automation mostly changes the tasks inside a job rather than wiping out jobs.")
    # "can I rank operators by OEE?": what is said to misuse it answers
    assert type_match(Intent.YESNO, "Managers misuse OEE when they judge or rank individual operators with it.")


def test_a_thing_defined_as_one_item_of_a_list_is_answered_without_the_other_items():
    modes = [
        candidate(0, 0, "Speed monitoring means sensors track how close a person is.", 0.6, lead_in=MODES),
        candidate(0, 1, "Force limiting means contact stays below set limits.", 0.4, previous=0, lead_in=MODES),
    ]
    plain = candidate(1, 0, "The closer you get, the slower the robot moves.", 0.65)
    chosen = [c.text for c in answer("What is speed monitoring?", [*modes, plain], limit=3)]
    assert chosen == [modes[0].text, plain.text]


def test_a_sentence_announcing_what_follows_does_not_lead_where_one_about_as_good_says_it():
    teaser = candidate(0, 0, "Speed monitoring in plain words works like this.", 0.66)
    after = candidate(0, 1, "The closer you get, the slower the robot moves.", 0.5, previous=0)
    defining = candidate(1, 0, "Speed monitoring means sensors track how close a person is.", 0.6)
    assert answer("What is speed monitoring?", [teaser, after, defining], limit=3)[0] is defining
    count = candidate(0, 0, "By 2023, CESMII reported seven SMICs.", 0.7)  # a count answers how many
    other = candidate(1, 0, "SMICs are local sites where partners show the technology.", 0.65)
    assert answer("How many SMICs did CESMII report?", [count, other], limit=2)[0] is count


@pytest.mark.parametrize(
    "intent, text, holds",
    [
        (Intent.TIME, "A good huddle takes about ten minutes.", True),
        (Intent.TIME, "Run it for two shifts before you judge it.", True),
        (Intent.TIME, "A shift huddle is a short stand-up meeting.", False),  # "a shift" here counts nothing
        (Intent.TIME, "Keep the first version to two or three pages.", True),  # "how long" asks length too
        (Intent.AMOUNT, "Choose at least one champion per shift.", True),
        (Intent.AMOUNT, "In 2023 CESMII set a target for 2030.", False),  # years are dates
        (Intent.AMOUNT, "By 2023, CESMII reported seven SMICs.", True),
        (Intent.AMOUNT, "A champion is a respected person on the floor.", False),
    ],
)
def test_the_kind_of_fact_asked_for_is_recognized(intent, text, holds):
    assert bool(type_match(intent, text)) is holds


@pytest.mark.parametrize(
    "first, second, same",
    [
        (
            "OT security puts availability and integrity first, while IT security puts confidentiality first.",
            "OT security puts availability and integrity first, keeping the process running safely.",
            True,
        ),
        (
            "Pilot purgatory is the state of a company that runs one pilot after another but never scales.",
            "Pilot purgatory is the situation in which a manufacturer never manages to scale a pilot.",
            True,
        ),
        (
            "President Barack Obama announced CESMII on 20 June 2016 at the SelectUSA Summit.",
            "President Obama announced the institute on 20 June 2016, backed by a $70 million award.",
            True,
        ),
        (
            "Preventive maintenance is maintenance done on a fixed schedule, based on calendar time or run hours.",
            "Preventive maintenance means servicing a machine on a set schedule.",
            True,
        ),
        # About one thing, saying different things of it:
        (
            "OEE is a score for the machine and the process.",
            "OEE is built from three factors: OEE = Availability x Performance x Quality.",
            False,
        ),
        (
            "Deloitte's 2017 figures: 30 to 50 percent less downtime and 10 to 40 percent lower maintenance costs.",
            "A 2026 fact-check puts typical reductions in downtime between 10 and 35 percent.",
            False,
        ),
        (
            "Remote access is useful but is a common path for attacks, so it should use MFA.",
            "Remote access is a connection that lets a person reach plant systems from outside the site.",
            False,
        ),
        (  # "ISA-95" names a standard: its 95 is no figure both sentences state
            "The main value of the ISA-95 model for a manager is a shared vocabulary.",
            "ISA-95 builds on the older Purdue reference model, and both describe the plant as stacked levels.",
            False,
        ),
        (
            "John Dyck became the CEO of CESMII in mid-2018.",
            "CESMII held its first workforce workshop in April 2018.",
            False,
        ),
        (  # the same thing said of things named apart
            "A red andon light means the station is stopped: call your team lead to the station now.",
            "Green means running and red means the station is stopped.",
            True,
        ),
        (  # the same share, said of the same things
            "Federal funds pay for about half of the program, and the rest comes from states, partners and fees.",
            "Because federal funds cover about half of the MEP program, many of its services come with a cost share.",
            True,
        ),
        (  # a period, not a share: two points about one roadmap
            "Review the roadmap every quarter at the steering group.",
            "Show the roadmap on a single page, divided into the next quarter, the next year and later.",
            False,
        ),
        (  # two kinds of one thing, in words alike: each side of a comparison
            "Planned downtime is time the machine is scheduled to be stopped.",
            "Unplanned downtime is any stop that was not on the schedule.",
            False,
        ),
        (  # a stage named by its number is no amount said twice
            "By the end of week 2 the team should have completed the following tasks: write a pilot charter.",
            "The main tasks are the following: compare the result with the targets set in week 2.",
            False,
        ),
        (  # two measures worked from the same figures
            "If 1,000 units enter a step, 930 pass first time, 50 are reworked and 20 are scrapped, FPY is 93 percent.",
            "With 20 of 1,000 units scrapped, as in the FPY example, the scrap rate is 2 percent.",
            False,
        ),
        (  # ... and one measure worked twice
            "For example, a machine that ran 1,200 hours and failed 6 times has an MTBF of 200 hours.",
            "For example, a machine that ran for 600 hours and failed 4 times has an MTBF of 150 hours.",
            True,
        ),
        (  # two measures' ways worked out alike, each naming only its own
            "MTBF is calculated as total operating time divided by the number of failures in the same period.",
            "MTTR is calculated as total repair time divided by the number of repairs.",
            False,
        ),
        (  # ... and both said in one sentence before: said again
            "MTBF is total operating time divided by the number of failures, and MTTR is total repair time divided "
            "by the number of repairs.",
            "MTTR is calculated as total repair time divided by the number of repairs.",
            True,
        ),
    ],
)
def test_saying_the_same_thing_in_other_words_is_recognized(first, second, same):
    assert says_same(first, second) is same and says_same(second, first) is same


def test_a_sentence_that_reports_the_question_does_not_lead():
    question = "Should we implement an MES or a UNS first?"
    reported = candidate(0, 0, "A common manager question is whether to implement an MES or a UNS first.", 0.72)
    answer_ = candidate(0, 1, "The two are not rivals: an MES manages work, while a UNS shares data.", 0.59, previous=0)
    assert restates(reported, frozenset(terms(question)))
    assert not restates(answer_, frozenset(terms(question)))
    assert answer(question, [reported, answer_], limit=2)[0] is answer_


@pytest.mark.parametrize(
    ("text", "reports"),
    [
        ("Operators often ask whether the data will be used in reviews.", True),
        ("People wonder if the new screens will slow them down.", True),
        ("When OEE jumps suddenly, ask what changed on the floor before celebrating.", False),
        ("Ask what each sensor measures and who can see the data.", False),
        ("Walk the line with the operators and ask what they would measure.", False),
    ],
)
def test_telling_the_reader_what_to_ask_reports_no_question(text, reports):
    question = frozenset(terms("Line 2's OEE suddenly shot up and nobody on the floor knows why. Should I believe it?"))
    assert restates(candidate(0, 0, text, 0.5), question) is reports


def test_the_rule_for_the_very_case_told_is_no_restating_of_it():
    question = frozenset(
        terms("the bar feeder ran outta stock, i spent 20 min reloading. material or changeover? which one do i pick")
    )
    rule = (
        "If a machine stopped because the bar feeder ran out of stock, the cause is material, "
        "even if you spent the time reloading."
    )
    told_back = "The bar feeder ran out of stock and you spent the time reloading."
    assert not restates(candidate(0, 0, rule, 0.6), question)
    assert restates(candidate(0, 1, told_back, 0.6), question)


def test_the_playbooks_example_of_the_askers_very_case_answers_with_its_results():
    asked = (
        "480 min shift, 80 min of it is lunch, breaks and the meeting. we had a 35 min breakdown and a 25 min"
        " changeover. whats my availability"
    )
    setup = candidate(
        0, 1, "The plant plans 80 minutes; the machine has a 35-minute breakdown and a 25-minute changeover.", 0.7
    )
    result = candidate(0, 2, "A 480-minute shift with 60 minutes of stops has 85% availability.", 0.5)
    formula = candidate(1, 0, "Divide the run time by the planned production time to get availability.", 0.6)
    assert worked_cases([setup, result, formula], own_figures(asked)) == {setup.section}
    assert last_figure(setup.text) == "25" and last_figure(formula.text) == ""
    assert answer(asked, [setup, result, formula], limit=3)[0] is result
    # figures of another case: the way to work them leads, and the example's own figures are beside the point
    other = "we ran 300 min and stopped for 45. whats my availability"
    assert worked_cases([setup, result, formula], own_figures(other)) == set()
    assert answer(other, [setup, result, formula], limit=3)[0] is formula
    # ... or the same shift with other stops: the example's result is not the asker's
    changed = "480 min shift, 80 min of it planned. we had a 35 min breakdown and a 50 min changeover. availability?"
    assert worked_cases([setup, result, formula], own_figures(changed)) == set()


def test_of_the_results_of_the_askers_very_case_the_one_of_what_is_asked_leads():
    asked = (
        "our shift is 480 min, 30 min lunch, two 15 min breaks and a 20 min meeting. machine broke down 35 min and we"
        " had a 25 min changeover. whats our availability??"
    )
    example = [  # the playbook's shift, its result of what is asked the least like the question
        ("A 480-minute shift with 85% availability and 95% performance gives an OEE of 80%.", 0.7),
        ("The plan has a 30-minute lunch, two 15-minute breaks and a 20-minute meeting.", 0.7),
        ("A 35-minute breakdown and a 25-minute changeover total 60 minutes.", 0.7),
        ("Availability is 340 ÷ 400, which is 85%.", 0.4),
    ]
    summary, setup, stops, result = (candidate(0, i, text, sim) for i, (text, sim) in enumerate(example))
    question = analyze(asked, lexicon=["availability", "changeover"])
    assert compose([summary, setup, stops, result], question, frozenset(terms(asked)), 3)[0] is result
    # what is told of ("ideal cycle is 1 min a part") is not what is asked ("how do i work out OEE")
    told = "how do i work out OEE for my shift? 480 min shift, 30 min lunch, ideal cycle is 1 min a part"
    cycle = candidate(0, 4, "The ideal cycle time is 45 seconds per part.", 0.4)
    question = analyze(told, lexicon=["oee", "ideal cycle"])
    assert "cycl" in question.focus_terms
    assert figures_weight(cycle, question, {cycle.section}) == figures_weight(summary, question, {cycle.section})


def test_the_askers_figures_told_back_in_one_list_do_not_lead_where_the_result_of_what_is_asked_does():
    asked = (
        "trying to work out the performance part of OEE for my machine. it ran 340 min after stops, ideal speed is"
        " 2 parts a minute, and we made 646 parts total. whats performance?"
    )
    setup = candidate(  # the quick card's setup, its list read as one sentence: all the asker's figures, said back
        0,
        0,
        "The example shift: Planned production time is 400 minutes; The machine stopped for 60 minutes, so run time"
        " is 340 minutes; The ideal speed is 2 parts per minute; The machine made 646 parts in total.",
        0.8,
    )
    availability = candidate(0, 1, "The math: Availability is 340 / 400, which is 85%.", 0.6)
    performance = candidate(
        0, 2, "At ideal speed, 340 minutes would give 680 parts, so Performance is 646 / 680, which is 95%.", 0.55
    )
    question = analyze(asked, lexicon=["oee", "performance"])
    assert "perform" in question.scene_terms  # told of before it is asked
    chosen = compose([setup, availability, performance], question, frozenset(terms(asked)), 3)
    assert chosen[0] is performance
    assert setup not in chosen


def test_the_setup_of_the_askers_very_case_in_parts_is_no_result():
    asked = (
        "our shift is 480 min with 80 min of planned breaks. machine was down 60 min total (breakdown + changeover),"
        " ideal rate is 2 parts a minute, we made 646 parts and 58 were scrap. whats our OEE?"
    )
    example = [
        ("The shift is 480 minutes long, with 80 minutes of planned stops.", 0.7),
        ("During the shift, the machine has a 35-minute breakdown and a 25-minute changeover.", 0.8),
        ("It runs 2 parts a minute and makes 646 parts, of which 58 are scrap.", 0.7),
        ("A full shift with 85% availability, 95% performance and 91% quality gives an OEE of about 73.5%.", 0.7),
    ]
    shift, stops, parts, result = (candidate(0, i, text, sim) for i, (text, sim) in enumerate(example))
    question = analyze(asked, lexicon=["oee", "changeover"])
    chosen = compose([shift, stops, parts, result], question, frozenset(terms(asked)), 3)
    assert chosen[0] is result
    assert stops not in chosen  # the example's own stops, worked into nothing


def test_a_glossary_entry_naming_what_is_asked_opens_with_no_advice():
    asked = "ok so do we do the UNS first or get an MES first"
    entry = replace(
        candidate(0, 0, "An MES is Level 3 software that manages production.", 0.3, heading_match=1.0, opening=True),
        section=("glossary.md", "MES (Manufacturing Execution System)"),
    )
    advice = candidate(1, 0, "Many plants build the UNS on a pilot line first, then add MES functions.", 0.55)
    assert answer(asked, [entry, advice], limit=2)[0] is advice


def test_said_back_with_a_not_a_yes_or_no_question_is_answered_first():
    asked = "productivity has been flat for 10 yrs. does that just mean we gotta work faster??"
    question, words = analyze(asked), frozenset(terms(asked))
    denied = candidate(0, 0, "Productivity is not the same as working harder or faster.", 0.5)
    said_back = candidate(0, 1, "Productivity means working harder or faster.", 0.5)
    aside = candidate(1, 0, "Continuous improvement gets faster when losses show the same day.", 0.6)
    assert denies(denied, question) and not denies(said_back, question)
    assert score(denied, words, question) > score(aside, words, question) > score(said_back, words, question)
    leaning = replace(denied, text="Productivity is also not the same as working harder or faster.", previous=0)
    assert not denies(leaning, question)  # "also": it says so of the sentence before it
    assert not denies(denied, analyze("isn't productivity just working faster?"))  # a no to a no says yes
    # what its "not" denies is not what is asked: no "No" to reporting it
    blame = candidate(0, 0, "Reporting a near miss is not about blame.", 0.4)
    assert not denies(blame, analyze("a near miss, nobody got hurt. do i still gotta report it"))
    assert denies(blame, analyze("if i report a near miss is that gonna come back on me as blame?"))


def test_asked_yes_or_no_a_definition_of_a_thing_only_told_of_does_not_lead():
    question = "guy says hes from IT, wants to plug his laptop into the press hmi. let him?"
    defined = candidate(0, 0, "A human-machine interface (HMI) is the screen that lets an operator run a machine.", 0.8)
    rule = candidate(1, 0, "If someone you do not know asks to plug into a machine, ask for a name first.", 0.6)
    assert answer(question, [defined, rule], limit=2)[0] is rule
    asked = "what is an hmi?"  # asked what it is, the definition answers
    assert answer(asked, [defined, rule], limit=2)[0] is defined


def test_asked_of_the_situation_told_a_sentence_saying_it_again_is_not_told_back():
    question = analyze("the rumor mill says the new monitoring is to catch people. how do i get ahead of this")
    said = candidate(0, 0, "Fears about new monitoring spread as a rumor.", 0.5)
    assert tells_scene_back(said, question) == 0
    question = analyze("the rumor mill says the new monitoring is to catch people. how do i stop the talk")
    assert tells_scene_back(said, question) > 0


def test_a_sentence_that_sends_the_reader_elsewhere_is_not_read_on_into():
    assert signposts("The rest of this document explains each factor.")
    assert signposts("See the cybersecurity document for more detail.")
    assert signposts("See the digital work instructions document for how to flag a wrong step.")
    assert signposts("See the who to ask for help document for contacts.")  # a title of five words
    assert not signposts("Managers should read the whole incident response plan document before an audit.")
    assert not signposts("The document is signed by the plant manager.")
    opening = candidate(
        0, 0, "OEE is a score of how much planned time made good parts.", 0.8, heading_match=1.0, opening=True
    )
    pointer = candidate(0, 1, "The rest of this document explains each factor.", 0.3, previous=0)
    fact = candidate(1, 0, "OEE multiplies availability, performance and quality.", 0.7)
    assert answer("What is OEE?", [opening, pointer, fact], limit=2) == [opening, fact]


def test_a_sentence_sending_the_reader_elsewhere_is_no_support_however_relevant():
    lead = candidate(
        0, 0, "If an instruction has a wrong value, flag it and tell quality or the instruction owner.", 0.8
    )
    pointer = candidate(0, 1, "See the digital work instructions document for how to flag a wrong step.", 0.75)
    step = candidate(1, 0, "Tell your lead right away if the wrong step could cause a bad part.", 0.74)
    question = "Who do I tell if the work instructions on the tablet are wrong?"
    assert answer(question, [lead, pointer, step], limit=3) == [lead, step]


def test_a_sentence_pointing_to_a_place_in_its_document_is_never_shown():
    assert points_by_position("The next two sections show how a manager can apply the six Functions.")
    assert points_by_position("See the section below on your rights to ask.")
    assert points_by_position("Being watched is the second fear, and the following sections address it in detail.")
    assert signposts("The next two sections show how a manager can apply the six Functions.")
    assert points_by_position("In the example above, a pilot costing $45,000 pays back in about twelve months.")
    assert points_by_position("Negotiate the contract with the data and exit clauses described above.")
    assert points_by_position("The example below uses made-up round numbers only to show the method.")
    assert not points_by_position("Keep the force below the limits in the table.")
    assert not points_by_position("An OEE above 85 percent is commonly described as world class.")
    assert not points_by_position("See the cybersecurity document for more detail.")
    assert not points_by_position("Review the next section of the line before the shift.")
    functions = candidate(0, 0, "CSF 2.0 organizes outcomes into six Functions.", 0.6)
    pointer = candidate(0, 1, "The next two sections show how to apply the six Functions.", 0.9, previous=0)
    assert answer("How do we apply the six Functions?", [functions, pointer], limit=3) == [functions]
    assert answer("How do we apply the six Functions?", [pointer], limit=3) == []


def test_a_sentence_leaning_back_stays_after_the_sentence_it_leans_on():
    question = "What does Govern in CSF 2.0 mean for the plant?"
    functions = candidate(1, 0, "CSF 2.0 organizes outcomes into six Functions, Govern among them.", 0.8)
    govern = candidate(1, 1, "Govern covers the strategy, roles and oversight of cybersecurity.", 0.7, previous=0)
    guide = candidate(1, 2, "NIST also offers a quick-start guide for smaller manufacturers.", 0.6, previous=1)
    published = candidate(0, 0, "NIST published CSF 2.0 in February 2024.", 0.65)
    chosen = answer(question, [published, functions, govern, guide], limit=4)
    assert chosen == [functions, govern, guide, published]


def test_no_goes_before_the_first_words_shown():
    prose = layout([candidate(0, 0, "Do not reset the alert.", 0.5)], {0: 1}, steps=False)
    assert answer_text(answered_no(prose)) == "No: Do not reset the alert. [1]"
    items = layout(loto([0.3, 0.2, 0.5, 0.4, 0.1])[1:3], {0: 1}, steps=True)
    assert answer_text(answered_no(items)).startswith("No: Tell the people affected")


def test_figures_are_what_a_text_counts_or_measures_with():
    assert figures("ran 1,200 hours and failed 6 times, a 35-minute breakdown") == {"1200", "6", "35"}
    # a year, a clock time and a number naming a place or a stage measure nothing
    assert figures("Press 4 stopped at 9:12 on step 6 of level 3 in 2024 on the VF2") == frozenset()


def test_given_figures_of_its_own_the_asker_gets_the_way_to_work_them_not_the_playbooks_example():
    question = "Our compressor ran 2,000 hours last year and failed 5 times. What is the MTBF?"
    example = candidate(
        0, 0, "For example, a machine that ran for 600 hours and failed 4 times has an MTBF of 150 hours.", 0.6
    )
    formula = candidate(1, 0, "MTBF is calculated as total run time divided by the number of failures.", 0.45)
    assert answer(question, [example, formula], limit=2)[0] is formula
    # the playbook working the very same figures is their case worked
    same = candidate(2, 0, "A machine that ran 2,000 hours and failed 5 times has an MTBF of 400 hours.", 0.45)
    assert answer(question, [example, same], limit=2)[0] is same
    # asked without figures of its own, the example is as good a lead as its meaning makes it
    assert answer("What is the MTBF of a machine?", [example, formula], limit=2)[0] is example


def test_asked_whether_figures_worked_out_before_are_good_the_playbooks_figures_answer_not_the_way_to_work_them():
    asked = replace(analyze("so 73 is that bad?? my buddy says their line runs 90"), measured_before=True)
    progress = candidate(0, 0, "A line that goes from 60% to 66% has made real progress.", 0.4)
    formula = candidate(1, 0, "Check OEE by multiplying the good parts by the ideal cycle time.", 0.3)
    assert compose([progress, formula], asked, frozenset(terms(asked.text)), 1) == [progress]


def test_given_their_own_figures_a_heading_is_answered_by_its_way_to_work_them_not_an_examples_amount():
    question = "our press ran 380 of the 420 min it was supposed to. whats our availability??"
    section = ("oee.md", "How do I calculate availability?")
    how = replace(
        candidate(
            0, 0, "To calculate availability, divide the run time by the planned production time.", 0.3, None, 1.0
        ),
        opening=True,
        section=section,
    )
    down = replace(candidate(0, 1, "The machine is down for 60 minutes.", 0.45, 0, 1.0), section=section)
    # ... nor an example's setup, which tells figures of its own, however relevant
    setup = candidate(1, 0, "The plant plans 80 minutes of stops: a 30-minute lunch and a 20-minute meeting.", 0.45)
    chosen = answer(question, [how, down, setup], limit=3)
    assert chosen[0] is how and setup not in chosen, [c.text for c in chosen]


def test_given_their_own_figures_the_way_to_work_them_may_name_what_is_asked_in_its_document():
    question = "we lose about 150 hrs a year and a lost hour is worth $1,200. what number goes in the business case?"
    example = candidate(0, 0, "Suppose a machine loses 200 hours a year and one lost hour costs $1,500.", 0.4)
    chain = replace(
        candidate(1, 0, "Downtime becomes money: hours avoided multiplied by the value of one hour.", 0.45),
        section=("manager/business-case-and-measurement.md", "How do I turn a downtime reduction into money?"),
    )
    asked = analyze(question, ["business case"])
    assert compose([example, chain], asked, frozenset(terms(question)), 1) == [chain]


def test_asked_whether_a_figure_is_good_a_bar_answers_not_a_figure_an_example_works_out():
    asked = replace(analyze("so 76 is that bad??"), measured_before=True)
    worked = candidate(0, 0, "A full shift with 85% availability gives an OEE of about 73.5%.", 0.5)
    bar = candidate(1, 0, "An OEE above 85% is often called world class.", 0.35)
    assert compose([worked, bar], asked, frozenset(terms(asked.text)), 1) == [bar]


def test_a_way_to_work_figures_is_one_that_says_what_to_divide_or_multiply_by():
    question = "we ran 800 parts, 40 scrap and 24 reworked. whats our quality %"
    reason = candidate(
        0, 0, "The lost machine time is the reason the quality factor is multiplied in, not added on.", 0.6
    )
    how = candidate(
        1, 0, "To calculate quality, divide the number of good parts by the total number of parts made.", 0.45
    )
    assert answer(question, [reason, how], limit=1) == [how]
    # ... also when an example of the playbook's own follows it
    question = "ran 1,500 hours with 5 breakdowns and 30 hours of repair. what availability does that give us?"
    mtbf = candidate(2, 0, "MTBF is the average operating time between one failure and the next.", 0.6)
    way = candidate(
        3, 0, "Availability is MTBF divided by the sum of MTBF and MTTR; with an MTBF of 200 hours, it is 98%.", 0.45
    )
    assert answer(question, [mtbf, way], limit=1) == [way]


def test_asked_what_things_a_list_told_in_one_sentence_leads_as_a_list_does():
    question = "what are we supposed to cover at the huddle"
    item = candidate(0, 0, "Start and finish on time.", 0.5, lead_in="Good huddles follow these habits:")
    told = candidate(1, 0, "A huddle goes over four things, in this order: safety, numbers, losses and actions.", 0.45)
    assert answer(question, [item, told], limit=1)[0] is told


def test_asked_how_long_as_well_only_a_length_answers_it():
    asked = analyze("what do we cover and how long should the huddle go")
    assert answers_too(Intent.TIME, asked, "A good huddle takes about ten minutes.")
    assert not answers_too(Intent.TIME, asked, "Meet at the same time and place every day.")  # how often
    assert answers_too(Intent.TIME, analyze("what do we cover and how often do we meet"), "Meet every day.")


@pytest.mark.parametrize(
    ("sentence", "says"),
    [
        ("Repeat the assessment every six to twelve months.", True),
        ("Review the list of remote users every quarter.", True),
        ("Hold the huddle at the start of each shift.", True),
        ("Send the questions a week ahead so people can gather evidence.", False),
        ("End the workshop by naming an owner and a 90-day action for each.", False),
    ],
)
def test_asked_how_often_only_a_frequency_says_it(sentence, says):
    assert says_how_often(analyze("how often should we redo it?"), sentence) is says
    assert says_how_often(analyze("what should it cover?"), sentence)  # not asked: no bar


def test_asked_how_long_a_frequency_alone_gives_no_length():
    asked = analyze("how long should the huddle go and what do we talk about")
    assert says_how_often(asked, "A good huddle takes about ten minutes.")
    assert says_how_often(asked, "Repeat the assessment every six to twelve months.")  # a length too
    assert not says_how_often(asked, "Over time, the huddle helps the team use data every day.")
    assert says_how_often(analyze("how long ago was SME founded"), "SME was founded in 1932 and meets every year.")
    # ... nor is a sentence saying only how often the fact asked for, where the lead lacks one
    often = candidate(0, 1, "Over time, the huddle helps the team use data every day.", 0.3)
    assert not holds_fact(asked, often, often)


def test_a_stretch_of_a_schedule_is_a_time_though_less_than_a_length_told():
    assert type_match(Intent.TIME, "safety first (minute 0 to 2), yesterday's numbers (minute 2 to 5)") == 0.5
    assert type_match(Intent.TIME, "weeks 1-2 define and baseline, weeks 3-6 connect and collect") == 0.5
    assert type_match(Intent.TIME, "A good huddle takes about ten minutes.") == 1.0
    assert type_match(Intent.TIME, "Pick the one loss that matters most today.") == 0.0


def test_asked_whether_what_they_told_is_fine_the_rule_for_it_leads():
    question = "somebody wrote the login on a sticky note and stuck it on the hmi. thats fine right"
    general = candidate(0, 0, "You should always log in to the line's screens with your own user name.", 0.40)
    rule = candidate(1, 0, "Do not write passwords on sticky notes on the machine.", 0.30)  # less alike in meaning
    assert answer(question, [general, rule], limit=1) == [rule]


def test_a_sentence_leaning_on_a_lone_item_left_out_goes_with_it():
    lead = candidate(0, 0, "Weeks 3 to 6 install the equipment and connect the data.", 0.9)
    task = candidate(
        1, 0, "Build one simple view for the technician.", 0.6, lead_in="The main tasks are the following:"
    )
    leaning = candidate(1, 1, "Data validation deserves the most time in this phase.", 0.6, previous=0)
    assert without_lone_items([lead, task, leaning]) == [lead]  # one task would pass for all of them
    statement = candidate(2, 0, "Data validation deserves the most time.", 0.6, previous=None)
    assert without_lone_items([lead, statement]) == [lead, statement]


def test_a_lone_lead_item_of_a_counted_list_reads_without_its_lead_in_when_it_stands_alone():
    result = candidate(0, 0, "Availability is 340 ÷ 400, which is 85%.", 0.9, lead_in="Now work out the three factors:")
    other = candidate(1, 0, "Unplanned stops total 60 minutes.", 0.5)
    assert [c.lead_in for c in without_lone_items([result, other])] == ["", ""]
    step = candidate(0, 0, "Tell the people affected.", 0.9, lead_in="The basic steps have six parts:")
    assert without_lone_items([step, other])[0].lead_in == "The basic steps have six parts:"  # a step, not alone


def test_a_word_said_to_mean_something_in_a_list_of_meanings_is_defined():
    question = analyze("andon on cell 3 just went yellow, what does yellow mean")
    said = candidate(0, 0, "Green usually means running, yellow means a warning or a slow state.", 0.5)
    assert defines(said, question)
    assert not defines(candidate(0, 1, "Green usually means running.", 0.5), question)  # "usually" names nothing


def test_asked_why_an_examples_own_reason_does_not_lead_but_a_list_of_causes_does():
    question = "why dont they just swap the bearings every 3 months instead of all these sensors"
    example = candidate(
        0,
        1,
        "Temperature sensors measure heat in bearings, because many parts get hot before they fail.",
        0.5,
        lead_in="Common examples include:",
    )
    reason = candidate(
        1, 0, "Predictive maintenance uses sensors on parts that wear out, so that a repair is planned in time.", 0.45
    )
    assert answer(question, [example, reason], limit=1) == [reason]
    cause = replace(example, lead_in="The most common causes include:")
    assert answer(question, [cause, reason], limit=1)[0] == cause


def test_asked_why_a_list_of_causes_is_read_from_its_first_cause():
    question = "we've done 3 pilots, all worked, none ever got past the one machine. why does that keep happening"
    lead_in = "The most common causes include:"
    causes = [
        candidate(0, 1, "No decision date was set, so the pilot drifts on.", 0.3, lead_in=lead_in),
        candidate(
            0, 2, "Success was never defined, so nobody can judge whether the pilot worked.", 0.6, 1, lead_in=lead_in
        ),
        candidate(0, 3, "No budget was reserved for the rollout of the pilot.", 0.4, 2, lead_in=lead_in),
    ]
    assert answer(question, causes, limit=3) == causes


def test_support_from_a_list_its_lead_in_counts_is_shown_whole_or_not_at_all():
    lead = candidate(0, 0, "Most pilots stall because nobody set a decision date.", 0.6)
    counted = "A good first pilot has five features:"
    features = [
        candidate(1, i, f"The pilot has feature number {i}.", 0.4, previous=i - 1 or None, lead_in=counted)
        for i in (1, 2, 3)
    ]
    assert without_cut_counts([lead, *features]) == [lead]  # three of "five features" read as a list cut short
    steps = [candidate(2, i, f"Do step number {i}.", 0.4, lead_in="Follow these two steps:") for i in (1, 2)]
    assert without_cut_counts([lead, *steps]) == [lead, *steps]
    assert without_cut_counts([features[0], features[1]]) == [features[0], features[1]]  # the lead's own list


def test_a_list_that_leads_with_fewer_items_than_its_lead_in_counts_is_known_as_cut():
    counted = "A good first pilot has five features:"
    features = [
        candidate(1, i, f"The pilot has feature number {i}.", 0.4, previous=i - 1 or None, lead_in=counted)
        for i in range(1, 6)
    ]
    other = candidate(0, 0, "Most pilots stall because nobody set a decision date.", 0.6)
    in_it = cut_list([*features[:3], other])  # the other two sit in a passage not retrieved
    assert in_it is not None and [c for c in [*features, other] if not in_it(c)] == [other]
    assert cut_list(features) is None  # all five shown
    assert cut_list([other, *features[:3]]) is None  # support, which ``without_cut_counts`` leaves out
    assert cut_list([candidate(2, 0, "Do step one.", 0.4, lead_in="Follow these steps:")]) is None  # none counted


def test_given_figures_the_way_to_work_what_is_asked_names_it():
    question = "cell was scheduled 450 min and down 90 min for a breakdown and a changeover. whats our availability?"
    run_time = candidate(0, 0, "Run time is planned production time minus unplanned stops and changeovers.", 0.55)
    way = candidate(0, 1, "To calculate availability, divide the run time by the planned production time.", 0.45)
    asked = replace(analyze(question, ["availability", "breakdown", "changeover"]), intent=Intent.AMOUNT)
    assert compose([run_time, way], asked, frozenset(terms(question)), 1) == [way]


def test_asked_whether_a_thing_is_merely_another_what_sets_them_apart_answers():
    asked = analyze("my lead says we're getting a 'digital twin' of the line. is that just a fancy 3d model or what")
    assert asked.asks_if_merely and not analyze("is a digital twin worth it?").asks_if_merely
    apart = "Staying in sync is what separates a digital twin from an ordinary 3D model or drawing."
    assert sets_apart(asked, apart) == 1.0
    assert sets_apart(asked, "A digital twin can represent a single part or a whole plant.") == 0.0
    assert sets_apart(analyze("is a digital twin worth it?"), apart) == 0.0
    twin = candidate(0, 0, "A digital twin can represent a single part, a production line or a whole plant.", 0.55)
    assert answer(asked.text, [twin, candidate(0, 1, apart, 0.55)], limit=2)[0].text == apart


def test_a_lead_leaning_on_a_sentence_that_leans_back_in_turn_comes_with_both():
    question = "why does innovation clash with lean?"
    outcomes = candidate(0, 0, "A team trying a new method may make extra scrap and lose time.", 0.3)
    lean_view = candidate(
        0, 1, "From a strict lean view, every one of these outcomes looks like waste.", 0.4, previous=0
    )
    learning = candidate(0, 2, "From an innovation view, these outcomes are the price of learning.", 0.9, previous=1)
    assert answer(question, [outcomes, lean_view, learning], limit=3) == [outcomes, lean_view, learning]


def test_the_playbooks_worked_result_of_the_measure_asked_is_told_from_other_examples():
    question = analyze("the pilot costs $36,000 up front and nets us $1,200 a month. whats the payback?")
    payback = candidate(
        0,
        0,
        "A project that costs 30,000 dollars and saves 1,000 dollars a month has a payback period of 30 months.",
        0.5,
    )
    downtime = candidate(
        0, 1, "Suppose a bottleneck machine loses 200 hours a year, and one lost hour costs $1,500.", 0.5
    )
    own = candidate(0, 2, "A pilot that costs $36,000 and nets $1,200 a month.", 0.5)
    assert works_what_is_asked(payback, question)
    assert not works_what_is_asked(downtime, question)  # an example of something else
    assert not works_what_is_asked(own, question)  # the asker's own figures


def test_a_question_asked_beside_another_is_answered_by_the_sentence_of_the_leads_document_nearest_to_it():
    asked = "what is an MEP center and is their help free?"
    what = candidate(0, 0, "An MEP center helps small and medium manufacturers improve.", 0.7)
    where = candidate(0, 1, "The network includes 51 centers in all 50 states.", 0.6, previous=0)
    paid = replace(
        candidate(1, 0, "Federal funds pay for about half, so many services carry a cost share.", 0.3),
        section=what.section[0:1] + ("Who pays?",),
    )
    elsewhere = replace(candidate(2, 0, "Training is free for members.", 0.3), section=("other.md", "Training"))
    pool = [what, where, paid, elsewhere]
    question = analyze(asked)
    words = frozenset(terms(asked))
    assert paid not in compose(pool, question, words, limit=3)
    # the second question's vector is nearest the sentence on who pays, in the lead's document: within the limit
    parts = [("what is an MEP center", what.vector), ("is their help free?", (paid.vector + elsewhere.vector) / 2)]
    chosen = compose(pool, question, words, limit=3, parts=parts)
    assert chosen[0] is what and paid in chosen and elsewhere not in chosen and len(chosen) == 3


def test_asked_who_takes_part_a_list_in_prose_of_things_other_than_people_does_not_lead():
    # "The assessment covers six areas: ..." was given the weight of a list answering a list question, and led
    # "who should actually be in the room when we score it".
    candidates = [
        candidate(0, 0, "The assessment covers six areas: data, connectivity, people, processes and security.", 0.6),
        candidate(
            1,
            0,
            "Run the assessment as a workshop with a small group: the plant manager, a maintenance lead and an"
            " experienced operator.",
            0.45,
        ),
    ]
    chosen = answer("who should be in the room when we score the assessment?", candidates, limit=2)
    assert chosen[0].text.startswith("Run the assessment as a workshop"), [c.text for c in chosen]


@pytest.mark.parametrize(
    "text",
    [
        "No real machine hits 100%, and that is fine.",
        "The line may have to stop even if the machines themselves are fine.",
        "Minor stops and adjustments are the time lost to changeovers, warm-up and fine-tuning.",
        "Do not run the batch and hope the next parts come out fine.",
    ],
)
def test_a_sentence_saying_a_thing_is_fine_speaks_of_no_money(text: str) -> None:
    said = candidate(0, 0, text, 0.5)
    assert not speaks_of_money(said)
    assert not prices(said)


def test_a_fine_as_a_penalty_is_money() -> None:
    assert speaks_of_money(candidate(0, 0, "Regulators can issue fines after a breach.", 0.5))
    assert prices(candidate(0, 0, "The fine is about half the yearly budget.", 0.5))


def test_told_a_situation_first_a_sentence_naming_what_the_asking_sentence_asks_leads():
    question = "Night shift at the plant. I forgot to log a stop from around 2am, it's 6 now. What time do I put in?"
    asked = analyze(question)
    shift = candidate(0, 0, "The first 15 minutes of your shift set up the rest of it.", 0.5)
    late = candidate(1, 0, "If you must enter something late, use the real time the event happened.", 0.5)
    assert asked.intent is Intent.OTHER
    assert compose([shift, late], asked, frozenset(terms(question)), 1) == [late]


def test_people_named_by_what_qualifies_them_say_who():
    assert type_match(Intent.WHO, "Only people who are trained and authorized should perform lockout.") > 0
    assert type_match(Intent.WHO, "Lockout applies to connected machines too.") == 0


def test_asked_what_a_thing_is_a_sentence_names_it_or_sits_under_a_heading_that_does():
    asked = analyze("whats EHS? somebody from EHS is walking our line")
    ehs = candidate(1, 0, "Go to the safety team, often called EHS for environment, health and safety.", 0.4)
    assert names_focus(ehs, asked)
    line = candidate(0, 0, "Wrong status data makes the line look worse than it is.", 0.5)
    assert not names_focus(line, asked)  # the line the asker told of, not EHS
    assert names_focus(replace(line, section=("worker/safety.md", "What does EHS do?")), asked)
