"""Question analysis: intent, focus and attribute, from the question's frame alone."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rag.question import (
    Intent,
    analyze,
    asked_kind,
    asked_of_named,
    asked_parts,
    asking_sentences,
    asks_outcome,
    asks_whom,
    compared_names,
    follow_on,
    intent_of,
    says_whom,
    spelled_out,
    without_guess,
    without_leading_circumstance,
)
from rag.text import plainly, terms


@pytest.mark.parametrize(
    "question, intent",
    [
        ("What is OEE?", Intent.DEFINITION),
        ("whats a digital twin", Intent.DEFINITION),
        ("What does MTBF stand for?", Intent.DEFINITION),
        ("How much does a pilot cost?", Intent.AMOUNT),
        ("What is a learning budget?", Intent.DEFINITION),  # a kind of budget, not its size
        ("What's a 'learning budget'? Our CFO hates waste", Intent.DEFINITION),
        ("Where do we actually start without blowing the budget?", Intent.ADVICE),  # the budget is a manner
        ("how much does it cost without the sensors", Intent.AMOUNT),
        ("how close can i get to the cobot before it stops?", Intent.AMOUNT),  # a distance
        ("they're doing a gemba walk tmrw. what is that, do i need to do anything special", Intent.DEFINITION),
        ("lead keeps saying takt time at huddle, whats that mean in normal words", Intent.DEFINITION),
        ("what is a realistic budget for a first pilot?", Intent.AMOUNT),
        ("The quote is sensors plus a license. What costs am I probably missing?", Intent.LIST),  # which kinds
        ("if i hit the e-stop on the robot cell is that good enough to reach in", Intent.YESNO),
        # a case told as two things side by side, then what to do about it
        ("step 6 on the tablet has the wrong torque vs the drawing, how do i flag it", Intent.PROCEDURE),
        ("first pass yield vs scrap rate, why would we track both?", Intent.COMPARISON),  # the two are the subject
        ("everybody ignores the alarm now. if something real gets missed is that on us?", Intent.YESNO),
        ("if i get the CMfgT how many years is it good for before i renew", Intent.TIME),
        ("what counts as a micro stop? do i have to code it", Intent.DEFINITION),
        ("Our pilots never got past one machine. Why does that keep happening and how do we fix it?", Intent.WHY),
        ("What percentage of alerts are false?", Intent.AMOUNT),
        ("whats a good number for it", Intent.AMOUNT),
        ("whats a good oee score for a press", Intent.AMOUNT),
        # what a thing is, checked: "is that the one that ..."
        ("and MTTR? is that the one that tells us how long a machine sits down?", Intent.DEFINITION),
        (
            "torque spec press 4 bolts",
            Intent.AMOUNT,
        ),  # a value to look up, typed as a search  # a figure to aim for, not what a number is
        ("if i hit yellow and nobody comes, then what happens", Intent.PROCEDURE),  # as "what happens if"
        ("How long should the pilot run?", Intent.TIME),
        ("pilot length?", Intent.TIME),  # the attribute named alone
        # asked what to do first, after "ok so" and the case it is for, then how long
        (
            "ok so when it goes red what am i supposed to do, and how long do i try myself before i call?",
            Intent.PROCEDURE,
        ),
        ("what's the timeline of a pilot", Intent.TIME),
        ("How much of their week does a pilot lead need?", Intent.TIME),
        ("how often do we review the scorecard", Intent.TIME),
        ("Who do I tell if the work instructions are wrong?", Intent.WHO),
        ("What is the difference between OT and IT security?", Intent.COMPARISON),
        ("preventive vs predictive maintenance", Intent.COMPARISON),
        ("How do I do a first-piece check?", Intent.PROCEDURE),
        ("What should we do first?", Intent.ADVICE),
        ("ok so do we do that first or get an MES first", Intent.ADVICE),  # which of two to do first
        ("then theres a huddle. what r we actually supposed to go over", Intent.LIST),  # "r" typed for "are"
        # questions run together with commas: the first is asked first
        ("tablet says 25 but the print says 30. who do i tell, do i keep running, and what happens after", Intent.WHO),
        ("what if its from a vendor we know tho, can i plug that one in", Intent.YESNO),  # the case it asks of
        ("my integrator wants MQTT, my controls guy swears by OPC UA. who's right, do we need both?", Intent.YESNO),
        ("MES or UNS first?", Intent.ADVICE),
        ("Can I tape over the light curtain?", Intent.YESNO),
        ("Is hitting the e-stop the same as a lockout?", Intent.COMPARISON),
        ("they bolted a grinder on the cobot. we good to keep working next to it same as before?", Intent.YESNO),
        ("isnt this whole smart factory thing just a way to cut headcount", Intent.YESNO),  # typed without "'"
        ("doesnt the cobot need a fence", Intent.YESNO),
        ("the union rep wants to see our data-use policy. what does it actually need to say?", Intent.LIST),
        ("what needs to be in the incident response plan?", Intent.LIST),
        ("what does the playbook say about phones?", Intent.OTHER),  # of phones, not what a document holds
        ("Why do pilots stall?", Intent.WHY),
        ("What is MQTT used for?", Intent.WHY),
        ("what usually makes a motor run hot like that?", Intent.WHY),  # a cause asked for
        ("what could be causing the vibration on press 4", Intent.WHY),
        ("and if those numbers come back low a couple of months in, what is usually behind it?", Intent.WHY),
        ("none of our pilots got past one machine. what are we doing wrong", Intent.WHY),  # the causes
        ("what went wrong with the changeover", Intent.WHY),
        ("What are the six big losses?", Intent.LIST),
        ("cobot bumped my arm but im fine, do i have to report it", Intent.YESNO),
        ("Can you explain the ISA-95 levels?", Intent.DEFINITION),  # a request, not a yes/no question
        ("could u pls tell me how to log a stop", Intent.PROCEDURE),
        ("Can you give me a checklist for the first pilot?", Intent.PROCEDURE),
        ("Can you use OEE to rank operators?", Intent.YESNO),
        ("We only have a tiny budget. How should we start?", Intent.ADVICE),  # the sentence that asks, not its context
        ("I typed the wrong scrap count. How do I fix it?", Intent.PROCEDURE),
        ("first piece check - what am i actually supposed to do", Intent.PROCEDURE),
        ("ISA-95 vs. ISA-88?", Intent.COMPARISON),  # "vs." ends no sentence
        ("the service guy left a USB stick on it. can i just plug it in?", Intent.YESNO),  # lower case starts one
        ("i clicked a dodgy link this morning... am i in trouble", Intent.YESNO),  # no "?": the ask comes last
        # the ask after a scene, pointing back to it
        ("scanned the wrong lot number, off by one. its the same material anyway, does that matter?", Intent.YESNO),
        ("somebody put the login on a sticky note. thats fine right, saves time", Intent.YESNO),
        ("What time do I log it under?", Intent.OTHER),  # which time to enter, no duration
        ("what time does the huddle start?", Intent.TIME),
        ("cursor moves by itself and a recipe value changed. my gut says just reboot it. ok??", Intent.YESNO),
        ("gonna reboot the panel. ok?", Intent.YESNO),  # "ok?" asks whether the plan told before it is all right
        # asked first whether what was told is fine, then what to do: the yes or no first
        (
            "2nd shift tapes over the light curtain. thats ok if everyones careful right? what am i supposed to do",
            Intent.YESNO,
        ),
        # what follows the "?" tells, and asks nothing: "worked fine for years" asks no fine's amount
        ("why did they get rid of the paper binders? the binder worked fine for years", Intent.WHY),
        ("our budget is tiny. how should we start", Intent.ADVICE),
        ("the drawing says 15 Nm, wat do i do", Intent.PROCEDURE),
        ("What are the OSHA fines for a missing guard?", Intent.AMOUNT),
        ("what's the exam fee for the CMfgT", Intent.AMOUNT),
        ("what does CESMII charge for the SMIP?", Intent.AMOUNT),  # a price, asked by what is charged
        ("who is in charge of the pilot?", Intent.WHO),
        ("what should the vendor contract say about who owns our data?", Intent.ADVICE),  # "who" is what it says
        ("Is a 3 second stop fine?", Intent.YESNO),
        ("whats OEE n how do u work it out", Intent.DEFINITION),  # two questions: what it is comes first
        ("What should be done in the first two weeks?", Intent.ADVICE),
        ("Which TCP port does MQTT use?", Intent.AMOUNT),  # a value, a number
        ("what happens during the first two weeks?", Intent.LIST),  # what a phase holds: the things done in it
        ("how short does a stop have to be to count as a micro stop", Intent.TIME),
        ("How far back should our baseline go?", Intent.TIME),
        ("realistically how much of my production manager's week does a pilot eat?", Intent.TIME),
        ("our oee was like 52 tonight on line 3 am i gonna get written up for that", Intent.YESNO),
        ("chute keeps jamming for like 30 sec then it restarts itself do i need to code every one", Intent.YESNO),
        ("the oven recipe got changed overnight. just a glitch or do i need to tell somebody", Intent.OTHER),  # whom
        ("what else am I going to end up paying for on a project like this?", Intent.LIST),
        ("whats the max speed a cobot is allowed to move next to me", Intent.AMOUNT),  # a value
        ("what temp should the mold on press 6 be set to", Intent.AMOUNT),  # a setting's value
        ("what safety modes can a cobot run in?", Intent.LIST),  # the modes, all of them
        ("whats the actual force limit a cobot is allowed to bump you with", Intent.AMOUNT),
        ("whats the vibration reading where a bearing counts as bad", Intent.AMOUNT),
        ("at what vibration reading should we swap the bearing", Intent.AMOUNT),
        ("What limits should we set on remote access?", Intent.ADVICE),  # which limits, not a value
        ("our huddle drags on for 30 min and nobody acts, help", Intent.ADVICE),  # "30 min" is told, not asked
        ("who has to be on our pilot team", Intent.LIST),  # the roles, several of them
        ("who should be in the room for the assessment?", Intent.LIST),
        ("any certs i can get w/o a college degree? im an operator", Intent.LIST),  # which ones there are
        ("any rules about phones on the floor?", Intent.OTHER),  # what the rules say, not which
        ("who needs to be involved in the rollout", Intent.LIST),
        ("if i hit the e-stop can i reach in and grab the part", Intent.YESNO),  # the condition first
        ("When should we bring operators in?", Intent.ADVICE),  # "when" asks here: no condition, no yes or no
        ("vendor wants a permanent remote connection. OK to allow that?", Intent.YESNO),
        ("found a usb stick, gonna plug it in to see whose it is. that ok?", Intent.YESNO),
        ("moving the e-stop logic to the cloud platform. good idea?", Intent.YESNO),
        ("i already clicked the link. now what", Intent.PROCEDURE),
        ("the tablet froze in the middle of my job. what now", Intent.PROCEDURE),
        ("half our controllers cant be patched. what do we do about those?", Intent.PROCEDURE),
        ("alarm went off, whats the right order to do things", Intent.PROCEDURE),
        ("running the huddle tmrw, never done one. what do i go over and in what order", Intent.LIST),
        ("Walk me through what a 90-day pilot should look like week by week.", Intent.PROCEDURE),
        ("guys wanna tape the light curtain off. whats the big deal and who do i even tell", Intent.WHY),
        ("everybody uses the one operator login on the screen, why is that a big deal? its faster", Intent.WHY),
        # what it means, asked before how to avoid it
        (
            "boss says we're in pilot purgatory. what does that even mean and how do we not end up there",
            Intent.DEFINITION,
        ),
        ("where do we even start with smart manufacturing?", Intent.ADVICE),
        ("where should a company start with smart manufacturing?", Intent.ADVICE),  # "a company", not "we"
        ("where should a company our size start with smart manufacturing?", Intent.ADVICE),
        ("where does our plant begin?", Intent.ADVICE),
        ("what needs to go into an incident response plan?", Intent.LIST),
        ("first week on the line. what am i supposed to check at the start of shift", Intent.LIST),
        ("sensors go live next week. How tight should we set the alert thresholds?", Intent.OTHER),  # a degree
        ("how clean does the lens need to be", Intent.OTHER),
        ("IT is writing firewall rules. Which ports does MQTT use?", Intent.AMOUNT),
        ("what's the default TCP port for OPC UA?", Intent.AMOUNT),  # a value, not what a port is
        ("the right code isnt even on the list?? what am i supposed to do", Intent.PROCEDURE),  # a list told of
        ("give me a list of the six big losses", Intent.LIST),
        ("can someone walk me through the lockout tagout steps?", Intent.PROCEDURE),  # a request, as "can you"
        ("can anyone explain what OEE is", Intent.DEFINITION),
        ("can you tell me if i can tape the light curtain", Intent.YESNO),  # asked yes or no, inside the request
        ("What do people mean by zones and conduits, and where do we start segmenting?", Intent.DEFINITION),
        ("ok and what should that checklist actually cover?", Intent.LIST),  # what a document holds, not advice
        ("and what if we end up better than the minimum but short of the target?", Intent.PROCEDURE),  # one told
        ("whats the max speed for the cobot", Intent.AMOUNT),
        # which of two things told to follow: what to do, not a list
        ("tablet says rev D but my print says rev C. which one should i build to", Intent.PROCEDURE),
        ("what about for a tiny shop with basically no budget? how do we pay for a first one?", Intent.PROCEDURE),
        # time spent is no sum of money
        (
            "when the bar feeder runs out and i spend like 10 min reloading it, do i code that as changeover or what?",
            Intent.YESNO,
        ),
        ("what do plants usually spend on a pilot?", Intent.AMOUNT),
        # the right way to do a thing is its steps, though figures are told: no definition, no amount
        (
            "A trainee typed 120 scrap instead of 12. What's the right way to fix it - can she just delete the entry?",
            Intent.PROCEDURE,
        ),
        # ... as is turning one thing into another, though it is turned into a dollar figure
        ("How do I turn 'less downtime' into an actual dollar figure finance will sign off on?", Intent.PROCEDURE),
        ("what red flags does the playbook say to look for in a fake email?", Intent.LIST),  # the signs
        ("what actually gets small manufacturers to go for this stuff?", Intent.WHY),  # what moves them
        ("what are they actually focused on? like their main priorities", Intent.OTHER),  # "they" are not defined
        # a denial to be confirmed asks yes or no, whatever it starts with
        ("what about the bad ones at startup while its still warming up, those dont count right?", Intent.YESNO),
        # how to decide which one asks what to go by, not steps
        ("we have a dozen presses. how do we decide which one gets the vibration sensors?", Intent.ADVICE),
        ("how do i pick which line goes first?", Intent.ADVICE),
        ("Who else is supposed to be on the pilot team?", Intent.LIST),  # the roles, however far "be on" comes
        ("whats the test for whether an alert deserves to exist at all", Intent.OTHER),  # what to judge by
        # the helping verb left out, as by those new to English
        ("machine builder want remote access all the time. how we control this, what rules?", Intent.PROCEDURE),
        ("screen say 12 Nm but drawing say 15 Nm. what i do, i use drawing number?", Intent.PROCEDURE),
        ("how i can report it?", Intent.PROCEDURE),
        ("pilot 90 days, what we do in week 3 to 6", Intent.OTHER),  # what is done then, not what to do
        ("how tight should we set the thresholds", Intent.OTHER),
        ("how often should we review those vs the downtime number itself?", Intent.TIME),  # a time of each
    ],
)
def test_intent_comes_from_the_question_frame(question, intent):
    assert intent_of(question) is intent


def test_the_asking_sentence_is_the_one_with_a_question_mark_else_the_last():
    assert asking_sentences("We have a tiny budget. How should we start?") == ["How should we start?"]
    assert asking_sentences("the robot moved. who do i tell")[0] == "who do i tell"
    asked = "why did they drop the binders?"
    assert asking_sentences(f"{asked} they worked for years") == [asked]


@pytest.mark.parametrize(
    "question, asked",
    [
        ("light curtain keeps trippin every 5 min, can i just tape it over", {"tape"}),
        ("found a usb stick in the parking lot, who do i hand it to", {"hand"}),
        ("machine stops every time the chute jams, do i have to log every one of those", {"log", "everi", "one"}),
        ("cobot bumped my arm kinda hard but im fine. do i hafta report it", {"report"}),
        ("is my OEE number gonna be used to judge me??", {"judg"}),  # what it would be used for
        ("alert keeps going off, can i just reset it so it stops beeping", {"reset"}),  # not why it is asked
        ("can i just hit silence when it pops up", {"hit", "silenc"}),  # nor when it is asked
        ("what coolant should i run when machining aluminum", {"run", "machin", "aluminum"}),  # asked no yes or no
        ("What is OEE?", set()),  # nothing the asker means to do
        ("how do i fix it without it looking like im hiding something", {"fix"}),  # nor how it should look
        ("can i run it without the guard", {"run", "without", "guard"}),  # asked yes or no, it is the ask
        ("what if the hmi starts acting weird, like the mouse moving on its own? just reboot it?", {"reboot"}),
        ("screen is acting weird, should i just reboot it to be safe?", {"reboot"}),  # why is no part of the ask
        # what the asker means to do, then asks whether that is all right
        ("cursor is moving on its own. gonna power cycle it, thats fine right?", {"restart"}),
        ("i'll just swap the sensor myself, that ok?", {"swap", "sensor", "myself"}),
        ("nobody touched it. my gut says just reboot it. ok??", {"reboot"}),  # the plan before the tag
        ("the press is making a weird noise. we should stop the line?", {"stop", "line"}),  # in a statement's order
        ("gonna reboot the panel. ok?", {"reboot", "panel"}),
        # what the thing told would make safe to do
        ("if i hit the e-stop first is that good enough to reach in and grab it?", {"reach", "grab"}),
        # asked whether there is such a thing: what it is to do, the shop told before it no part of that
        (
            "We're a small molder on a tight budget. Is there outside help that takes some cost out?",
            {"outsid", "take", "cost"},
        ),
    ],
)
def test_what_the_asker_asks_to_do_is_read_from_the_asking_sentence(question, asked):
    assert analyze(question).asked_terms == asked


def test_a_definition_focuses_on_the_thing_defined():
    question = analyze("What is a unified namespace?")
    assert question.intent is Intent.DEFINITION
    assert question.focus == ("unified namespace",)
    assert question.focus_terms == {"unifi", "namespac"}
    assert not question.attribute_terms


def test_the_scene_is_what_the_asker_tells_before_asking():
    assert analyze("found a usb stick in the parking lot, who do i hand it to").scene_terms == {
        "found",
        "usb",
        "stick",
        "park",
        "lot",
    }
    assert analyze("the robot moved when i thought it was stopped. who do i tell").scene_terms == {
        "robot",
        "move",
        "thought",
        "stop",
    }
    assert not analyze("Who do I tell if the work instructions are wrong?").scene_terms  # nothing told before
    assert not analyze("Will sensors on my machine be used to watch me?").scene_terms  # the subject asked about


@pytest.mark.parametrize(
    "question, focus",
    [
        ("whats OEE n how do u work it out", "OEE"),  # the second question is not part of the name
        ("whats speed and separation monitoring? theres yellow tape on the floor", "speed and separation monitoring"),
        ("what are leading and lagging indicators", "leading and lagging indicators"),
        ("what counts as a micro stop? do i have to code it every time", "micro stop"),
        ("wat counts as a near miss and who am i supposed to tell", "near miss"),  # texted, and a second question
        ("wut is a PLC", "PLC"),
        ("what is OEE, how do i work it out", "OEE"),
        ("whats OEE mean", "OEE"),
        ("what is mean time to repair", "mean time to repair"),
        ("what does OEE actually mean", "OEE"),  # words stressing the ask are no part of the name
        # what a name told before is, the name quoted
        ("my plant manager keeps talking about 'tier meetings'. what are those?", "tier meetings"),
        ('the planner calls the conveyor bulbs "run to failure". what does that mean?', "run to failure"),
    ],
)
def test_the_thing_defined_ends_where_its_question_does(question, focus):
    assert analyze(question).focus == (focus,)


def test_a_comparison_has_both_sides_as_focus():
    question = analyze("What's the difference between cycle time and takt time?")
    assert question.focus == ("cycle time", "takt time")
    # "n" typed for "and"; the second question is no side
    texted = analyze("whats the diff between a cobot n a regular robot? and does a cobot still need a risk assessment")
    assert texted.focus == ("cobot", "regular robot")


def test_a_comparison_between_the_two_compares_the_things_named_before_it():
    told = "Our quality lead reports scrap rate. Finance wants first pass yield. What's the difference between the two"
    lexicon = {"scrap rate", "first pass yield"}
    assert set(analyze(f"{told}, and do we need both?", lexicon).focus) == lexicon
    assert set(analyze(f"{told}?", lexicon).focus) == lexicon


def test_how_one_thing_is_different_from_another_names_the_two_sides():
    lexicon = {"ot security", "patching"}
    asked = "Corporate IT wants to push patches. How is OT security different from IT, and how should patching work?"
    assert analyze(asked, lexicon).focus == ("OT security", "IT")
    assert analyze("how is a cobot different from a regular robot?", lexicon).focus == ("cobot", "regular robot")


def test_whats_that_mean_defines_the_thing_named_before_it():
    question = analyze("lead keeps saying takt time at huddle, whats that mean in normal words", {"takt time"})
    assert question.intent is Intent.DEFINITION and question.focus == ("takt time",)


def test_a_comparison_side_saying_more_than_a_name_is_that_name():
    lexicon = {"mtbf", "mttr", "it"}
    question = analyze("quick refresher on MTBF vs MTTR for my staff meeting, ideally with a number example", lexicon)
    assert question.focus == ("mtbf", "mttr")
    assert {"refresh", "staff", "meet"} <= question.attribute_terms
    assert compared_names(question, lexicon) == "mtbf vs mttr"
    security = analyze("What is the difference between OT and IT security?", lexicon)
    assert security.focus == ("OT", "IT security")  # "IT security" is one thing
    assert compared_names(security, lexicon) == ""  # ... and no name alone
    assert compared_names(analyze("What is MTBF?", lexicon), lexicon) == ""


def test_known_names_are_the_focus_and_the_rest_is_the_attribute():
    question = analyze("What was the SMEC's revenue last year?", lexicon={"smart manufacturing executive council"})
    assert question.intent is Intent.AMOUNT
    assert "smec" in question.focus_terms
    assert "revenu" in question.attribute_terms and "smec" not in question.attribute_terms


def test_a_definition_of_a_part_of_a_known_thing_focuses_on_the_thing_and_asks_for_the_part():
    question = analyze("what does the red light on the andon mean", lexicon={"andon"})
    assert question.intent is Intent.DEFINITION
    assert question.focus == ("andon",)
    assert question.part_terms == {"red", "light"}
    # a thing the playbook names, placed somewhere, is itself what is defined
    placed = analyze("What's a historian in a plant data system?", lexicon={"historian", "plant"})
    assert placed.focus == ("historian in a plant data system",) and not placed.part_terms
    # ... or the parts named after it
    colors = analyze("what do the andon colors mean?", lexicon={"andon"})
    assert colors.focus == ("andon",) and colors.part_terms == {"color"}
    # nothing known to be the whole: the phrase is what is defined
    assert not analyze("what does the red light on the andon mean").part_terms
    # the place may be told after "mean"; a part is named in a word or two, a thing of its own in more
    moved = analyze("what does the yellow light mean on the andon", lexicon={"andon"})
    assert moved.focus == ("andon",) and moved.part_terms == {"yellow", "light"}
    named = analyze("What does speed and separation monitoring mean on a cobot?", lexicon={"cobot"})
    assert named.focus == ("speed and separation monitoring",) and not named.part_terms


def test_a_question_asking_of_that_by_pointing_back_is_read_with_what_its_scene_names():
    assert (
        asked_of_named("a poster about CMfgT went up by the lockers. should i care about that")
        == "should i care about that CMfgT"
    )
    assert (
        asked_of_named("the light curtain on cell 2 keeps tripping. can i tape over it", lexicon={"light curtain"})
        == "can i tape over it light curtain"
    )
    assert not asked_of_named("HR posted something about CMfgT. should i take the exam")  # no word points back
    assert not asked_of_named("my shift ended late yesterday. is that ok")  # nothing named before
    assert not asked_of_named("what is that CMfgT thing")  # no scene


def test_a_glossary_phrase_is_found_as_the_focus():
    question = analyze("does a light curtain count as a guard", lexicon={"light curtain", "guard"})
    assert question.focus[0] == "light curtain"


def test_a_glossary_acronym_spelled_as_a_stop_word_names_the_thing_only_in_capitals():
    lexicon = {"it", "ot", "e-stop"}
    assert analyze("what does IT own on the plant floor", lexicon=lexicon).focus[0] == "it"
    assert analyze("is it broke?", lexicon=lexicon).focus == ()
    assert (
        asked_of_named("hit the e-stop and twisted it back out. is it broke?", lexicon=lexicon) == "is it broke? e-stop"
    )


def test_an_elliptical_follow_up_keeps_the_earlier_frame_with_the_new_subject():
    earlier = analyze("What is MTTR?")
    question = follow_on(analyze("and what about MTBF?"), earlier)
    assert question.intent is Intent.DEFINITION
    assert question.focus_terms == {"mtbf"}


def test_a_follow_up_without_a_subject_keeps_the_earlier_subject_with_its_own_intent():
    earlier = analyze("How should we plan our first pilot?", lexicon={"pilot"})
    question = follow_on(analyze("how long should it run?"), earlier)
    assert question.intent is Intent.TIME
    assert "pilot" in question.focus_terms
    # "and who runs it?" opens like "and MTBF?", but "it" is the earlier subject: "runs" is what is asked of it.
    question = follow_on(analyze("and who runs it?"), analyze("What is CESMII?", lexicon={"cesmii"}))
    assert question.intent is Intent.WHO
    assert question.focus_terms == {"cesmii"} and question.attribute_terms == {"run"}
    assert not question.part_terms
    # a place it names asks of the earlier subject there
    earlier = analyze("What exactly is a Smart Manufacturing Innovation Center?")
    question = follow_on(analyze("Is there one in Pennsylvania I could take my team to see?"), earlier)
    assert question.part_terms == {"pennsylvania"}


def test_what_the_asker_puts_in_brackets_are_examples_not_the_subject():
    question = analyze("how much time do i spend on the start of shift stuff (login, andon, alerts)?", ["andon"])
    assert question.focus == ()
    assert "andon" in question.attribute_terms


def test_a_second_question_asking_whom_to_tell_is_read():
    assert analyze("nobody got hurt. do i really need to report that and who do i tell").asks_too is Intent.WHO
    assert analyze("do i still need to report it if nobody got hurt? and to who").asks_too is Intent.WHO
    assert analyze("press 4 shows DOWN but its running. why does it do that and who do i tell").asks_too is Intent.WHO
    # a question asking first of another kind asks that first, and the second as well
    asked = analyze("who shows up, and how long should i try fixing it myself?")
    assert (asked.intent, asked.asks_too) == (Intent.WHO, Intent.TIME)
    asked = analyze("What should our data-use policy actually cover, and who needs to sign off on it?")
    assert (asked.intent, asked.asks_too) == (Intent.ADVICE, Intent.WHO)
    # ... not a statement before it ("gauge looks off to me, who do i tell")
    assert analyze("gauge looks off to me, who do i tell").intent is Intent.WHO
    assert analyze("Is the MEP free, and how much does a project cost?").asks_too is Intent.AMOUNT
    # ... and one asking of the thing the first named: what it is, first, then what it costs
    asked = analyze("someone said to call the MEP. what is that, and what's it going to cost us?")
    assert (asked.intent, asked.asks_too) == (Intent.DEFINITION, Intent.AMOUNT)
    assert analyze("how long is the huddle supposed to go and what do we cover first").asks_too is Intent.LIST
    assert analyze("who do i tell about a near miss?").asks_too is None  # whom to tell is the question itself
    assert analyze("do i really need to report a near miss?").asks_too is None
    # whom to tell, or who does a thing
    assert analyze("do i really need to report that and who do i tell").asks_whom_too
    assert analyze("do i still need to report it if nobody got hurt? and to who").asks_whom_too
    assert not analyze("can i keep running? also who's supposed to sign off the first piece").asks_whom_too
    assert analyze("How long is a pilot and how long is a rollout?").asks_too is None  # the same kind twice


@pytest.mark.parametrize(
    "question, after",
    [
        ("i already clicked the link in that weird email. now what?", True),
        ("the first piece failed and i ran 20 parts, what do i do now", True),
        ("pulled the andon, nobody came. what next?", True),
        ("how do i spot a phishing email?", False),
        ("i clicked a link in a weird email, what do i do", True),  # what the asker did, then what to do
        ("i typed the wrong stop reason in, how do i fix it", True),
        ("i think i clicked a link in an email. who do i tell and am i gonna get in trouble", True),
        ("i clicked a link in a weird email. am i gonna get in trouble", True),  # read as being punished
        ("who do i tell about a phishing email?", False),
        ("what do i do if the first piece fails?", False),  # asks ahead of time
        ("and what if that first part fails", True),  # ... but a case told as if it had happened
        ("what should i check at the start, and what if my first piece comes out bad", False),  # asks the checks
        ("i clicked on the OEE tile, what does it show?", False),  # what it shows, not what to do about it
    ],
)
def test_told_what_already_happened_it_asks_what_to_do_next(question, after):
    assert analyze(question).after_the_fact is after


@pytest.mark.parametrize(
    ("text", "asking"),
    [
        ("they put sensors on press 4. are they watching me", "are they watching me"),
        (
            "the traveler says Rev C. just go off the tablet since its newer right?",
            "just go off the tablet since its newer right?",
        ),
        ("we went with plan B! is that ok?", "is that ok?"),
        ("John C. Smith from the vendor said so. is that right?", "is that right?"),  # an initial ends no sentence
        ("Is SMEC vs. CESMII different?", "Is SMEC vs. CESMII different?"),
        ("upstairs keeps saying 'smart factory'. is this how they replace us?", "is this how they replace us?"),
    ],
)
def test_a_statement_ending_in_a_number_or_a_letter_label_ends_its_sentence(text, asking):
    assert asking_sentences(text)[0] == asking


def test_a_yes_or_no_question_followed_by_how_to_asks_for_the_steps():
    assert intent_of("put 80 instead of 8. am i gonna get in trouble, and how do i fix it?") is Intent.PROCEDURE
    assert intent_of("put 80 instead of 8. am i gonna get in trouble?") is Intent.YESNO


def test_asked_whom_to_go_to_and_the_headings_that_say_whom():
    assert asks_whom("the gauge is reading off. who do we tell about that")
    assert asks_whom("barcode scanner quit, who do i call for that, maintenance?")
    assert asks_whom("my lead couldnt fix it. who gets called next")
    assert not asks_whom("who leads SMEC?")  # who someone is, not whom to go to
    assert not asks_whom("how do i tell if the gauge is off?")
    assert says_whom("When should I go to quality?") and says_whom("When should I call maintenance?")
    assert not says_whom("How and when should I report something odd?")  # how to report, and what


def test_a_second_question_asked_yes_or_no_is_read_by_its_own_terms():
    asked = analyze("do i gotta log every one of those?? and does it even count against our oee")
    assert asked.whether_too == frozenset(terms("even count against oee"))
    assert analyze("do i gotta log every one of those??").whether_too == frozenset()
    assert analyze("what is oee and does it matter").whether_too == frozenset(terms("matter"))


def test_a_last_question_typed_without_its_question_mark_asks_too():
    text = "is this how they replace us?? will this cost me my job"
    assert asking_sentences(text) == ["is this how they replace us??", "will this cost me my job"]
    assert asking_sentences("is it safe? i hope so") == ["is it safe?"]
    assert intent_of("will this cost me my job") is Intent.YESNO  # no sum asked
    assert intent_of("what will this cost us per machine?") is Intent.AMOUNT


def test_asked_what_to_do_besides_what_is_asked_first():
    assert analyze("why does it do that and do i gotta do something about it or just ignore it").asks_what_to_do
    assert analyze("what do i do now").asks_what_to_do
    assert not analyze("why does it do that").asks_what_to_do


def test_let_him_asks_yes_or_no():
    assert intent_of("guy says hes from IT, wants to plug his laptop into the press hmi. let him?") is Intent.YESNO


def test_how_far_out_asks_a_time():
    assert intent_of("how far out should our roadmap go") is Intent.TIME


def test_big_deal_asks_yes_or_no():
    assert intent_of("maint wants to pull it for a rebuild. big deal?") is Intent.YESNO


@pytest.mark.parametrize(
    ("text", "judges"),
    [
        ("our line is at 68% oee, is that bad?", True),
        ("our mttr is 6 hours, is that normal?", True),
        ("ok so our line is sitting at like 60%. is that bad?? what's a good number", True),  # asked what is good
        ("30 housings got reworked then shipped. do those count as good parts for oee?", False),  # a term
        ("Greg wants to post a weekly ranking of the Line 5 operators by OEE. Good idea?", False),  # no measure
    ],
)
def test_asked_whether_a_measured_value_is_good_or_bad(text, judges):
    assert analyze(text).judges_a_figure is judges


@pytest.mark.parametrize(
    ("text", "judges"),
    [
        ("so is 62 bad? what's a good number supposed to be", True),  # the value told again, bare
        ("so is that bad?", True),
        ("is 5s bad for us?", False),  # no figure
    ],
)
def test_asked_after_a_measured_value_whether_it_is_good_or_bad(text, judges):
    assert replace(analyze(text), measured_before=True).judges_a_figure is judges


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("so the cobot doesnt need guards, safe to work right next to it?", Intent.YESNO),
        ("material eats more time than breakdowns. so we just need more maintenance guys?", Intent.YESNO),
        ("any certs i can get w/o a college degree?", Intent.LIST),  # which there are
    ],
)
def test_a_statement_asked_with_no_question_word_asks_yes_or_no(text, intent):
    assert intent_of(text) is intent


def test_asked_of_the_situation_told_as_a_whole():
    told = "the rumor mill says the monitoring on the cnc cell is to catch people slacking."
    assert analyze(f"{told} how do i get ahead of this before it blows up").asks_of_the_scene
    assert not analyze(f"{told} can i just unplug it?").asks_of_the_scene  # of a thing told of


def test_the_kind_of_thing_asked_for_and_an_outcome_asked_are_read():
    assert asked_kind("Which companies sit on the council?") == "companies"
    assert asked_kind("Which companies and executives actually sit on the council?") == "companies and executives"
    assert asked_kind("How does the council work?") == ""
    assert asked_kind("who's actually on the smec? is ford in it") == "members"  # who is on a group: its members
    assert asked_kind("who runs the pilot?") == ""
    # "what else" names no kind, and asks which other things: a quote's "what else do i need to budget for" had been
    # refused for a kind called "else"
    assert asked_kind("what else do i need to budget for so we don't run dry halfway?") == ""
    assert intent_of("the quote is ~$18k. what else do i need to budget for so we dont run dry?") is Intent.LIST
    assert asked_kind("does ohio have any tax credit or grant for buying new equipment?") == "tax credit"
    assert asked_kind("does the MEP center offer any training for operators?") == "training"
    assert asked_kind("does the pilot need a sponsor?") == ""  # whether it needs one, no kind of thing asked for
    assert asked_kind("can we claim a federal tax credit on the new sensors?") == "federal tax credit"
    assert asks_outcome("How much of the $61 million did CESMII end up receiving?")
    assert not asks_outcome("How much did CESMII receive from the DOE?")
    assert asks_outcome("Did CESMII ever land the extra $61 million it was negotiating?")
    assert not asks_outcome("Did CESMII ever publish its findings?")


@pytest.mark.parametrize(
    ("text", "options"),
    [
        ("do i code that as material or changeover??", {"materi", "changeov"}),
        ("should we buy an MES or a UNS first?", {"mes", "un"}),
        ("motor is way hotter than an hour ago. is that urgent or can it wait till end of shift", {"urgent", "wait"}),
        ("is that ok or not", set()),
        ("is this planned downtime? asking for a friend or something", set()),
        ("how many minutes or so", set()),
    ],
)
def test_the_two_things_a_question_asks_to_choose_between_are_read(text, options):
    assert analyze(text).options == options


def test_a_question_asking_what_to_tell_someone_is_read_apart_from_when_to_call_them():
    assert analyze("ok calling maintenance now. what should i tell them?").asks_what_to_tell
    assert analyze("what info are they gonna want from me when i call maintenance").asks_what_to_tell  # plainly
    assert not analyze("when should i call maintenance and not my lead?").asks_what_to_tell
    assert analyze("ok and when he calls maintenance what should he tell them").asks_what_to_tell  # another does
    assert says_whom("When should I call maintenance?") and not says_whom("What should I tell maintenance?")
    # ... the need told, or the asking verb left out
    assert analyze("what do i actually have to tell them? and am i gonna get written up for it").asks_what_to_tell
    assert analyze("ok i call them. what i have to say on the phone?").asks_what_to_tell
    assert not analyze("what would i say is the biggest loss on this line?").asks_what_to_tell
    assert not analyze("what do they say about oee in the playbook?").asks_what_to_tell


def test_texted_question_words_are_read_spelled_out():
    assert spelled_out("wat counts as a near miss, do i shut it down rn, b4 lunch?") == (
        "what counts as a near miss, do i shut it down right now, before lunch?"
    )
    assert spelled_out("Watt meters and a brn belt") == "Watt meters and a brn belt"  # whole words only
    assert analyze("do i gotta shut it down rn?").asked_terms >= frozenset(terms("right now"))
    # "is that on us?" asks whether the people are to blame; "is that on the list?" asks no such thing
    assert "blame" in plainly("the alarms go off all day and we ignore them. is that on us?")
    assert "blame" not in plainly("is that on the list?")


def test_the_first_of_two_questions_is_the_one_a_heading_is_matched_against():
    two = analyze("What is a cobot, exactly? And does it still need a risk assessment?")
    assert two.first_asked_terms == frozenset(terms("What is a cobot, exactly?"))
    assert not analyze("What is a cobot?").first_asked_terms  # one question
    # a scene told before the question is no first question
    assert not analyze("the cobot bumped me. does it still need a risk assessment?").first_asked_terms
    # ... and a question told more after is asked by its asking sentence, not its figures
    told_after = analyze("how do u figure availability for oee? we had 450 min planned and lost 45 min to a jam")
    assert told_after.first_asked_terms == frozenset(terms("how do u calculate availability for oee?"))  # plainly
    # ... unless it names its subject by pointing back at a scene: its words alone name nothing
    assert not analyze(
        "new sensors on our lathes. are they gonna time my breaks?? feels like big brother"
    ).first_asked_terms
    # "whats our availability??" asks, after the measures the asker told
    measured = analyze("our press ran 380 of the 420 min. whats our availability?? and do the breaks count against us")
    assert measured.first_asked_terms == frozenset(terms("whats our availability??"))


def test_the_things_a_question_names_come_in_the_order_it_names_them():
    # longest phrase first, then by the set's order, had put "mtbf" or "mttr" first by the run's hash seed
    asked = "our CNC runs 200 hrs MTTR and MTBF numbers, which matters more"
    assert analyze(asked, lexicon=["mtbf", "mttr"]).focus[:2] == ("mttr", "mtbf")
    assert analyze(asked.replace("MTTR and MTBF", "MTBF and MTTR"), lexicon=["mttr", "mtbf"]).focus[:2] == (
        "mtbf",
        "mttr",
    )


@pytest.mark.parametrize(
    ("followup", "intent"),
    [
        # the told clause after the ellipsis holds a figure, and asks nothing
        ("got it. what about just charging my phone off the usb port on the HMI, my battery is at 3%", Intent.YESNO),
        ("what about champions, how many do we need?", Intent.AMOUNT),  # the clause after it asks its own
    ],
)
def test_an_ellipsis_with_a_told_clause_after_it_asks_what_was_asked_before(followup, intent):
    earlier = analyze("found a usb stick on the floor by the break room, can i plug it in to see whose it is?")
    assert follow_on(analyze(followup), earlier).intent is intent


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        (
            "what is an MEP center and is their help free? we're a small plant",
            ["what is an MEP center", "is their help free?"],
        ),
        ("ok so what's a good number? and is my supervisor gonna use it to grade me", None),
        ("Ballpark, what does our MEP center charge per hour?", []),  # one thing asked
        (
            "930 pass first time, 20 scrapped. what's FPY and what's the scrap rate?",
            ["what's FPY", "what's the scrap rate?"],
        ),
        ("bar feeder ran out of stock. do i code that as changeover? or what", []),  # "or what" asks nothing more
        ("which code do I pick, changeover? equipment?", []),  # options, not questions
    ],
)
def test_the_questions_asked_side_by_side_are_read_each_on_its_own(question, parts):
    found = asked_parts(question)
    assert found == parts if parts is not None else len(found) == 2


def test_the_askers_guess_at_whom_to_go_to_is_left_for_the_situation_to_decide():
    assert without_guess("calipers have an expired sticker. who do i even tell, maintenance?") == (
        "calipers have an expired sticker. who do i even tell?"
    )
    assert without_guess("who do i call - my lead or quality?") == "who do i call?"
    assert without_guess("who do i tell, and do i keep running?") == "who do i tell, and do i keep running?"
    assert without_guess("who do i tell, if anyone?") == "who do i tell, if anyone?"
    assert "mainten" not in analyze("gauge is off. who do i tell, maintenance?").key_terms


def test_a_question_asking_whether_a_thing_costs_is_read_as_such():
    assert analyze("does the local MEP center charge for their help or is it free?").asks_whether_paid
    assert analyze("is tooling u free for us?").asks_whether_paid
    assert not analyze("what does the MEP center do?").asks_whether_paid
    assert not analyze("how much does a sensor cost?").asks_whether_paid  # a sum asked, not whether
    # "fine" is all right, not a penalty paid
    assert not analyze("gonna power cycle the hmi, thats fine right?").asks_whether_paid
    assert not analyze("the part looks fine, is it?").asks_whether_paid
    assert analyze("do we pay a fine if we skip it?").asks_whether_paid


def test_a_claim_then_a_bare_true_asks_whether_the_claim_holds():
    asked = "New cobot goes in next week. The guys say cobots are safe so we can skip the guards. True?"
    assert intent_of(asked) is Intent.YESNO
    assert asking_sentences(asked) == ["The guys say cobots are safe so we can skip the guards. True?"]


def test_asked_what_to_ask_someone_is_read_as_such():
    assert analyze("ok so what should i actually ask my supervisor then?").asks_what_to_ask
    assert analyze("what questions should we ask the vendor?").asks_what_to_ask
    assert analyze("what do I ask the rep to back up that number?").asks_what_to_ask
    assert not analyze("what should I ask for before they put me on it?").asks_what_to_ask  # a thing to ask for
    assert not analyze("who should I ask about the data?").asks_what_to_ask


@pytest.mark.parametrize(
    "text, step",
    [
        ("I've run the part and measured the key features with the gauges. whats the next step?", "next"),
        ("once my lock and tag are on every isolation point, what do I do next?", "next"),
        ("ok and whats the last step? the one everybody skips", "last"),
        ("what should we do first with smart manufacturing?", ""),  # where to begin, not a step of a procedure
        ("the next shift says the step is wrong, who do i tell?", ""),
    ],
)
def test_the_step_of_a_procedure_asked_for_is_read(text, step):
    assert analyze(text).step_asked == step


def test_asked_what_happens_after_a_thing_is_done():
    assert analyze("and then what happens, does anybody actually read those?").asks_what_happens_next
    assert analyze("ok but what happens after i hit the button").asks_what_happens_next
    assert not analyze("what happens in weeks 3-6 of the pilot?").asks_what_happens_next  # what is done then
    # ... or what is due to happen after what was told: no definition asked
    waited = analyze("andon been yellow for 10 min and nobodys come. what is supposed to happen next?")
    assert waited.asks_what_happens_next
    assert waited.intent is not Intent.DEFINITION


def test_a_followup_asking_what_a_thing_it_tells_of_means_asks_of_that_thing():
    earlier = analyze("they're putting a cobot by my station monday. is it safe to be around?")
    asked = follow_on(analyze("the manual says it uses power and force limiting. what does that mean for me?"), earlier)
    assert asked.focus_terms >= frozenset(terms("power force limiting")), asked
    # ... while asked alone, "that" is what the conversation was about
    oee = analyze("What is OEE?")
    assert follow_on(analyze("what does that mean for me?"), oee).focus_terms == oee.focus_terms


def test_the_asking_sentences_key_terms_are_read_apart_only_after_a_situation_told():
    told = analyze("I forgot to log a stop from around 2am, it's 6 now. What time do I put in?")
    assert told.intent is Intent.OTHER
    assert told.asked_key_terms == {"enter"}  # "put in": entered
    assert not analyze("what time do i enter for a late stop?").asked_key_terms  # all of it asks


def test_asked_what_someone_else_should_do_names_the_act():
    asked = analyze("the mouse cursor on an HMI starts moving by itself. should the operator reboot it or what?")
    assert asked.asked_terms == frozenset(terms("reboot"))


def test_a_circumstance_told_before_the_ask_is_no_part_of_it():
    assert without_leading_circumstance("before we start the pilot on the grinder how long should we baseline for") == (
        "how long should we baseline for"
    )
    assert without_leading_circumstance("when the andon goes red, who do i call?") == "who do i call?"
    # asked yes or no under its condition, the condition is what is asked of
    assert without_leading_circumstance("if i hit the estop can i reach in") == "if i hit the estop can i reach in"
    assert without_leading_circumstance("how long before it goes red") == "how long before it goes red"
    # ... and told as what the asker is doing: "starting a pilot on the compressor" names no attribute asked
    assert without_leading_circumstance("starting a pilot on the compressor how long should the baseline go") == (
        "how long should the baseline go"
    )
    assert without_leading_circumstance("something on the screen what does it mean") == (
        "something on the screen what does it mean"
    )
