"""Whether the passages read hold the fact a question asks for: else the neighbouring facts are no answer."""

from __future__ import annotations

import dataclasses

import pytest
from test_compose import candidate

from rag.answer import asks_what_it_never_gives, counted_asked, counted_thing, counts, lacks_asked_fact
from rag.query import Vocabulary
from rag.question import analyze
from rag.text import terms

TOOLING_U = [
    "Tooling U launched its first 30 online classes in the fall of 2001.",
    "The first classes covered basics such as metal cutting, CNC, shop math and print reading.",
]
PRODUCTIVITY = "As first published, the yearly changes were -0.7% in 2013, -2.8% in 2015 and -2.8% in 2016."
ROLLED = "Multiplying the first pass yields of consecutive steps gives the rolled throughput yield."


def lacks(question: str, sentences: list[str]) -> bool:
    vocabulary = Vocabulary.of(t for s in sentences for t in terms(s))
    candidates = [candidate(0, i, s, 0.6) for i, s in enumerate(sentences)]
    return lacks_asked_fact(analyze(question, ["tooling u"]), candidates, vocabulary)


def lacks_in_passages(question: str, passages: list[str], lexicon: tuple[str, ...] = ()) -> bool:
    """``lacks``, each sentence read in a passage of its own, as retrieved."""
    vocabulary = Vocabulary.of(t for s in passages for t in terms(s))
    candidates = [candidate(i, 0, s, 0.6 - 0.1 * i) for i, s in enumerate(passages)]
    return lacks_asked_fact(analyze(question, lexicon), candidates, vocabulary)


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        ("how many hours long is the tooling u cnc class?", "hour"),
        ("How many weeks does a pilot take", "week"),
        ("How many KPIs should we track?", ""),  # named many ways ("plant measures"): not judged by its name
        ("How many member companies does CESMII have?", "companies"),
        ("When was SME founded, and by how many people?", ""),  # a second part: "membership rose from 33"
        ("how many of them do we need", ""),
    ],
)
def test_a_how_many_question_counts_a_thing_with_one_name(question, unit):
    assert counted_asked(question) == (terms(unit)[0] if unit else "")


def test_a_count_of_the_very_thing_asked_answers_however_the_question_words_the_rest():
    champions = "Choose at least one champion per shift for each area where a new system is introduced."
    rollout = "A rollout needs a small central team that owns the standards."
    question = "how many floor champions do we need for the rollout?"
    assert counted_thing(question) == terms("champions")[0]
    # the passage counting champions names no rollout, and needs not
    assert not lacks_in_passages(question, [champions, rollout], ("rollout",))
    assert lacks_in_passages("how many floor leads do we need for the rollout?", [champions, rollout], ("rollout",))


def test_the_number_a_standard_goes_by_is_missing_unless_a_passage_on_it_names_one_by_its_code():
    lockout = "Lockout/tagout is the safety procedure that shuts off and isolates every energy source on a machine."
    security = "ISA/IEC 62443 is an international series of standards for securing industrial automation."
    cobots = "The safety guidance for cobots is ISO/TS 15066, which builds on ISO 10218."
    vocabulary = Vocabulary.of(terms(f"{lockout} {security} {cobots}"))
    passages = [candidate(0, 0, lockout, 0.7), candidate(1, 0, security, 0.5), candidate(2, 0, cobots, 0.5)]

    def lacks_number(question: str) -> bool:
        return lacks_asked_fact(analyze(question, ["lockout/tagout", "cobots"]), passages, vocabulary)

    assert lacks_number("what is the osha standard number for lockout/tagout?")  # 62443 is not about lockout
    assert lacks_number("whats the actual number of the osha standard for lockout/tagout?")
    asked = "safety guy mentioned the osha lockout rule. whats the actual reg number for that?"
    reg = analyze(asked, ["lockout/tagout"])
    assert lacks_asked_fact(reg, passages[:1], vocabulary)  # "reg" is a regulation, and no passage names its code
    assert not lacks_number("what is the standard number for cobots?")
    assert not lacks_number("where do i find the part number for lockout/tagout?")  # where, not which number


def test_a_number_counts_the_thing_named_just_after_it():
    assert counts("A good huddle takes about ten minutes.", "minut")
    assert counts("It ran 51 MEP centers.", terms("centers")[0])
    assert not counts(TOOLING_U[0], "hour")  # a launch year is no length


def test_a_count_of_members_is_missing_when_the_passages_count_only_other_things():
    passages = ["CESMII counted seven innovation centers and 32 members who joined during the year."]
    assert lacks("How many member companies does CESMII have in total?", passages)
    assert not lacks("How many members does CESMII have in total?", passages)


def test_a_length_in_hours_is_missing_when_the_passages_give_only_dates():
    assert lacks("how many hours does the tooling u cnc course take?", TOOLING_U)
    assert not lacks("how many hours does the tooling u cnc course take?", [*TOOLING_U, "Each class takes 2 hours."])


def test_a_year_asked_about_that_no_passage_mentions_is_missing():
    assert lacks("What was the first-published productivity change for 2014?", [PRODUCTIVITY])
    assert not lacks("What was the first-published productivity change for 2015?", [PRODUCTIVITY])
    # a year told before the question is where the asker stands, not what is asked
    assert not lacks("We mapped to the framework in 2019. What changed in the yearly figures?", [PRODUCTIVITY])


def test_a_question_giving_its_own_figures_asks_how_to_combine_them():
    question = "Our weld step runs 95% first pass yield and paint runs 90%. What is the yield for the whole process?"
    assert not lacks(question, [ROLLED])
    assert lacks("How much yield does the paint step have?", [ROLLED])  # no figures given: one is asked for


def test_a_kind_of_thing_asked_for_that_the_playbook_never_names_is_missing():
    mep = ["Federal funds pay for about half of the MEP program.", "A cobot is a robot built to work near people."]
    assert lacks("What federal tax credits can we claim for buying cobots?", mep)
    assert not lacks("What federal funds can we get for a cobot?", mep)  # the playbook names both
    assert not lacks("What can we claim for a cobot?", mep)  # no kind named
    # the kind named before what it is of ("what discount on our premium")
    assert lacks("What discount on our insurance can we expect for buying cobots?", mep)
    assert not lacks("What funds for a cobot can we get?", mep)
    # ... and after "are there": the kind asked whether any exist
    assert lacks("Are there federal tax credits or accelerated depreciation we can use for cobots?", mep)
    assert not lacks("Are there any federal funds for a cobot?", mep)


def test_a_time_asked_of_a_pilot_is_not_judged_by_the_words_of_what_comes_after_it():
    pilot = "A good pilot can show a result within about 90 days."
    vocabulary = Vocabulary.of(terms(pilot))

    def lacks_pilot(question: str) -> bool:
        return lacks_asked_fact(analyze(question, ["pilot"]), [candidate(0, 0, pilot, 0.6)], vocabulary)

    assert not lacks_pilot("How long should our first pilot run before we make a call on it?")
    assert not lacks_pilot("how long should our pilot run, and what do we get done in the first weeks?")
    assert lacks_pilot("How long should the pilot's call with the vendor take?")  # the attribute asked is its own
    assert lacks_pilot("ok so how long should the pilot's call with the vendor take?")  # "so" links, starts no purpose
    assert not lacks_pilot("pilot length?")  # "length" names the kind of fact asked, as "how long" does


def test_a_time_asked_before_a_second_question_joined_by_and_is_judged_by_its_own_clause():
    huddle = "A huddle goes over four things, from minute 0 to 2 for safety up to minute 8 to 10 for actions."
    vocabulary = Vocabulary.of(terms(huddle))
    question = "sup asked me to run the shift huddle tmrw. how long should it go and what do we cover in what order"
    assert not lacks_asked_fact(analyze(question, ["huddle"]), [candidate(0, 0, huddle, 0.6)], vocabulary)


def test_a_fact_asked_of_a_thing_named_by_a_code_the_playbook_never_uses_is_missing():
    passages = ["Ideal cycle time is the fastest time in which a machine can produce one part."]
    assert lacks("whats the ideal cycle time for the haas vf2 on line 3?", passages)
    assert lacks("What does an IATF 16949 audit check on the shop floor?", passages)
    assert not lacks("whats the ideal cycle time on line 3?", passages)
    assert not lacks("we lose 15k a month on the 2nd shift. whats the ideal cycle time?", passages)  # figures
    assert lacks("what ideal cycle time should i use for oee on our haas vf-2?", passages)  # advice on its value
    assert not lacks("how do i find the ideal cycle time for the haas vf2", passages)  # how to: the general way
    assert not lacks("whats the ideal cycle time for the vf2?", [*passages, "The VF2 runs 30 parts an hour."])


def test_how_often_is_answered_by_a_frequency_of_the_thing_named_in_other_words():
    question = analyze("how often do we need to go back and clean up who has remote access?")
    review = "Review the list of remote users every quarter and remove those who left."
    remove = "Remove remote users who no longer need remote access."
    alarms = "Review the alarm list every quarter."

    def lacks_often(*sentences: str) -> bool:
        vocabulary = Vocabulary.of(t for s in sentences for t in terms(s))
        candidates = [candidate(p, 0, s, 0.6) for p, s in enumerate(sentences)]
        return lacks_asked_fact(question, candidates, vocabulary)

    assert not lacks_often(review)
    assert lacks_often(remove, alarms)  # a frequency of something else


def test_asked_what_to_pay_a_count_of_kinds_of_cost_prices_nothing():
    budget = [
        "A complete budget covers six categories: sensors, connectivity, software, integration, training and time.",
        "Vibration sensors and gateways collect the readings near the machine.",
    ]
    assert lacks("ballpark, what should i expect to pay per machine for a vibration sensor kit?", budget)
    assert not lacks("What cost categories belong in a budget for vibration sensors?", budget)  # what costs there are
    shared = [*budget, "Federal funds cover about half the cost of a vibration sensor kit."]
    assert not lacks("how much should we expect to pay for a vibration sensor kit?", shared)


@pytest.mark.parametrize(
    "question",
    [
        "ballpark what does a vibration sensor kit run per machine?",
        "what does a vibration sensor kit usually go for a machine",
        "what would a vibration sensor kit set us back per machine?",
    ],
)
def test_a_price_asked_in_the_floors_words_is_a_sum_the_passages_must_give(question):
    budget = [
        "A complete budget covers six categories: sensors, connectivity, software, integration, training and time.",
        "A set of vibration sensors may cost less than a day of engineering time.",
    ]
    assert analyze(question).asks_sum
    assert lacks(question, budget)
    assert not lacks(question, [*budget, "A vibration sensor kit costs about $400 per machine."])
    assert not analyze("what do we usually run per shift on line 2?").asks_sum  # parts made, not a price


def test_what_is_near_a_place_the_playbook_never_names_is_missing():
    centers = ["A Smart Manufacturing Innovation Center is a regional site where manufacturers see technology."]
    assert lacks("is there one of those innovation centers near dayton ohio i could go see?", centers)
    assert not lacks("is there an innovation center near me?", centers)
    assert not lacks("where can i find an innovation center near where i live?", centers)


def test_a_count_of_people_answers_only_when_they_are_the_people_asked_about():
    workshop = ["More than 100 people from about 65 groups took part in the Tooling U workshop."]
    assert lacks("How many people does Tooling U employ?", workshop)
    assert not lacks("How many people took part in the Tooling U workshop?", workshop)


def test_a_choice_between_things_the_playbook_never_names_is_missing():
    erp = ["Enterprise resource planning (ERP) is business software that manages orders and finance."]
    assert lacks("Which ERP is better for a mid-size plant, SAP or Oracle?", erp)
    assert not lacks("which erp is better, cloud or oracle?", [*erp, "An ERP may run in the cloud."])  # one is named
    assert not lacks("does ERP count as business software or what", erp)  # "what" names no option
    # ... by their names, their numbers aside: the playbook never names an "SL"
    levels = ["Security levels describe the attacker a zone must resist.", "Level 3 is Established, level 4 Advanced."]
    assert lacks("which security level should our safety zone target, SL 3 or SL 4?", levels)
    assert not lacks("should we aim for level 3 or level 4?", levels)
    # products by maker and name, one maker known: neither product is
    software = [*erp, "Siemens SiOME builds information models."]
    assert lacks("is Siemens MindSphere or PTC ThingWorx the better pick for us?", software)
    assert not lacks("is Siemens SiOME or ERP the better pick for us?", software)  # SiOME is named
    assert not lacks("should i tell Maria or Dave about the ERP?", erp)  # colleagues, not products
    # a product's name is spelled as it is: "Ignition" is no misspelling of "initial"
    historian = [*erp, "Store the initial readings in a historian."]
    assert lacks("Is Ignition or AVEVA PI the better fit for a plant our size?", historian)
    assert lacks("is the Fanuc CRX or a Universal Robots UR10e the better cobot for us?", erp)  # "or a ..."
    # ... told as the choice being made, where what is chosen says they are products
    maintenance = [*erp, "Predictive maintenance software watches machines and recommends repairs."]
    asked = "which predictive maintenance software do you recommend? we're choosing between Augury and Uptake"
    assert lacks(asked, maintenance)
    assert not lacks("which predictive maintenance software do you recommend?", maintenance)
    assert not lacks("we're choosing between Maria and Dave to lead it. who should lead the ERP?", erp)  # colleagues
    assert not lacks("we're choosing between Maria and Dave to run the new monitoring system. who should it be?", erp)


def test_asked_to_write_something_the_playbook_cannot():
    plc = [candidate(0, 0, "A programmable logic controller (PLC) is a rugged industrial computer.", 0.6)]
    assert asks_what_it_never_gives("Write me a Python script that reads Modbus registers from a PLC.", plc)
    assert asks_what_it_never_gives("can you draft an email to my supervisor about the PLC?", plc)
    assert asks_what_it_never_gives("can u help me write a text to my supervisor saying the PLC is down", plc)
    assert not asks_what_it_never_gives("help me write a note on why the PLC stopped", plc)  # a downtime note
    assert not asks_what_it_never_gives("What does a PLC program do?", plc)


def test_a_measure_asked_in_a_unit_no_passage_measures_in_is_never_given():
    zones = [candidate(0, 0, "At a set distance, the robot stops.", 0.6)]
    assert asks_what_it_never_gives(
        "how close can i get before it stops? whats the exact distance, 500mm or so?", zones
    )
    assert asks_what_it_never_gives("whats the max force in newtons a cobot can hit me with", zones)
    assert not asks_what_it_never_gives("how close can i get before it stops?", zones)
    torque = [candidate(0, 0, "A step says to torque a bolt to 12 Nm, but the drawing says 15 Nm.", 0.6)]
    assert not asks_what_it_never_gives("what torque in Nm does the drawing give?", torque)
    # ... and told, a unit asks nothing of it
    assert not asks_what_it_never_gives("step 6 says 12 Nm but the drawing says 15. do i go with the drawing?", zones)
    # ... nor does a measure in another unit give it: degrees are no vibration level in mm/s
    alerts = [candidate(0, 0, "Set a simple limit, such as alert if the motor gets hotter than 80 degrees.", 0.6)]
    assert asks_what_it_never_gives("what vibration level in mm/s means a motor is bad?", alerts)
    assert not asks_what_it_never_gives("how hot in degrees before the motor alert fires?", alerts)
    feet = [candidate(0, 0, "Keep at least 3 feet clear of the cell.", 0.6)]
    assert not asks_what_it_never_gives("how far in ft do i stay back?", feet)  # one unit, spelled two ways


def test_asked_for_the_askers_own_records_the_playbook_cannot_give_them():
    oee = [candidate(0, 0, "OEE is a score for the machine and the process.", 0.6)]
    assert asks_what_it_never_gives("can u pull up what my oee was on line 4 last tuesday?", oee)
    assert asks_what_it_never_gives("what was our scrap rate last week", oee)
    assert not asks_what_it_never_gives("what was our availability yesterday if we ran 340 of 400 minutes?", oee)
    assert not asks_what_it_never_gives("what was the first thing we should measure?", oee)


def test_asked_for_a_number_to_call_only_a_passage_giving_one_answers():
    role = candidate(0, 0, "Go to IT or OT security for problems with computers and networks.", 0.6)
    asked = "whats the number for ot security here, i need to call them"
    assert asks_what_it_never_gives(asked, [role])
    assert not asks_what_it_never_gives(asked, [role, candidate(0, 1, "Call OT security at 555-201-3344.", 0.5)])
    assert not asks_what_it_never_gives("who do i call about a number that looks wrong on the dashboard", [role])


def test_anything_of_a_standard_the_playbook_never_names_is_lacking():
    security = ["IEC 62443 splits a plant network into zones and conduits.", "An audit checks what was agreed."]
    assert lacks("What does an ISO 9001 internal audit checklist include?", security)
    assert not lacks("how do we apply IEC 62443 zones and conduits?", security)


def test_anything_of_a_numbered_section_of_a_law_the_playbook_never_names_is_lacking():
    costs = ["A budget covers sensors, gateways, software and integration.", "Section 2 lists the costs."]
    assert lacks("Can we write off the sensors and gateways under Section 179 this tax year?", costs)
    assert lacks("what does 29 CFR 1910 say about the gateways?", costs)
    assert not lacks("what costs does section 2 list for the gateways?", costs)


def test_the_fee_price_or_fine_asked_after_what_is_a_sum_and_a_kind_of_cost_is_not():
    assert analyze("whats the exam fee for it").asks_sum
    assert analyze("whats the OSHA fine if they catch somebody doing that?").asks_sum
    assert analyze("what is the cost of a sensor kit?").asks_sum
    assert not analyze("What's the biggest cost barrier in a smart manufacturing project?").asks_sum


def test_what_a_party_the_playbook_never_names_did_or_got_is_lacking():
    savings = [
        "A predictive maintenance rollout can save 10 to 35 percent of unplanned downtime.",
        "CESMII received $70 million.",
    ]
    assert lacks("How much did Ford save from its predictive maintenance rollout?", savings)
    assert not lacks("How much did CESMII receive?", savings)
    assert not lacks("how much downtime did we cut in the pilot, roughly in percent?", savings)
    # ... named in lower case, and asked in a sentence after another
    whirlpool = (
        "vendor says Whirlpool cut downtime 40% in year one. is that actually true? what did whirlpool really get?"
    )
    assert lacks(whirlpool, savings)
    assert not lacks("is that actually true? what did cesmii really get?", savings)
    assert not lacks("what did they get out of the predictive maintenance rollout?", savings)
    # ... or by "they", named in the telling before: what a party never named did, however it is pointed at
    assert lacks("owner keeps bringing up Harley-Davidson's York plant. how much did they actually save?", savings)
    assert not lacks("our vendor keeps quoting CESMII. how much did they receive?", savings)


def test_how_often_a_thing_is_done_is_missing_when_only_other_things_come_round_every_so_often():
    # "every" is how often, not what: a passage on digital instructions reaching "every station" at once, with
    # "two shifts" in it, had answered how often station passwords change
    instructions = [
        "Digital instructions reach every station in their newest version at once.",
        "Two shifts might work from two different copies without knowing it.",
    ]
    logins = ["If the password leaks, the plant has to change it for everyone."]
    vocabulary = Vocabulary.of(t for s in instructions + logins for t in terms(s))
    candidates = [candidate(0, i, s, 0.6) for i, s in enumerate(instructions)] + [candidate(1, 0, logins[0], 0.6)]
    question = analyze("how often do we have to change the station passwords, every 60 days?")
    assert lacks_asked_fact(question, candidates, vocabulary)


@pytest.mark.parametrize(
    "question",
    [
        "whats the exam fee for the CMfgT and how long is the test?",  # a sum asked first, not what it is
        "if we track posture without consent, what fine per worker are we looking at?",  # asked after "without"
    ],
)
def test_a_sum_asked_that_no_passage_gives_is_missing(question):
    sentences = [
        "The CMfgT is SME's entry-level certification, with about four years of education and experience.",
        "Biometric privacy laws may apply to some kinds of data collected from workers, so get legal advice.",
    ]
    assert lacks(question, sentences)


def test_a_figure_under_a_heading_asking_just_what_the_question_asks_answers_it():
    # "what number is actually good?" of OEE had been refused: the 85% says "world class", not "good", but its
    # heading asks what a good OEE score is
    world_class = "An OEE above 85% is often called world class."
    shift = "A full 480-minute shift gives an OEE of about 73.5%."
    vocabulary = Vocabulary.of(terms(f"{world_class} {shift} good score number line lead says bad sits around"))
    question = analyze("our line OEE sits around 70. my lead says thats bad. what number is actually good?")
    good = dataclasses.replace(candidate(0, 0, world_class, 0.6), section=("OEE card", "What is a good OEE score?"))
    worked = dataclasses.replace(candidate(1, 0, shift, 0.6), section=("OEE explained", "How is OEE worked out?"))
    assert not lacks_asked_fact(question, [worked, good], vocabulary)
    assert lacks_asked_fact(question, [worked], vocabulary)


def test_a_limit_asked_is_missing_where_the_passages_give_only_a_reading():
    reading = 'A single reading may look like "Press 4, motor temperature 62 degrees, 10:14 a.m."'
    bar = "Stop the press when the motor temperature is above 80 degrees."
    asked = "whats the max motor temp on press 4 before I have to shut it down? screen is showing 71 right now"
    assert lacks(asked, [reading])
    assert not lacks(asked, [reading, bar])
    # ... nor a limit given as an example of one (found in the browser)
    example = 'Some systems use simple limits, such as "alert if the motor gets hotter than 80 degrees".'
    assert lacks("whats the max motor temp on press 4 before I have to shut it down?", [reading, example])


def test_a_limit_asked_as_too_much_of_something_is_a_limit():
    reading = 'A single reading may look like "Press 4, motor temperature 62 degrees, 10:14 a.m."'
    asked = "hydraulic oil on press 7 what temperature is too hot, when i must stop the press?"
    assert lacks(asked, [reading])
    assert not lacks(asked, [reading, "Stop the press when the oil temperature is above 60 degrees."])
    # a bar for another measure of the same presses is no temperature limit
    mtbf_bar = "Our reliability target for the hydraulic presses is an MTBF of 400 hours or more."
    assert lacks(asked, [reading, mtbf_bar])
    assert lacks("whats the max motor temp on press 4 before I have to shut it down?", [mtbf_bar])
    assert not lacks("whats the max motor temp on press 4?", ["Keep the motor temperature below 80 degrees."])


def test_a_good_figure_asked_needs_a_passage_setting_one_for_that_thing():
    mtbf = [
        "A higher MTBF means a more reliable machine.",
        "For example, a machine that ran for 600 hours and failed 4 times has an MTBF of 150 hours.",
    ]
    oee = "An OEE above 85% is often called world class."
    asked = "what's a good benchmark MTBF for hydraulic presses? want to know if our ~310 h is bad"
    assert lacks(asked, [*mtbf, oee])  # a bar for OEE is none for MTBF
    assert not lacks(asked, [*mtbf, "An MTBF above 500 hours is good for a press."])
    assert lacks("whats a good first pass yield target for a CNC machining cell?", ["FPY is 93 percent.", oee])
    assert not lacks("What is a good OEE score?", [*mtbf, oee])


def test_an_hourly_rate_is_a_sum_and_why_it_is_asked_names_nothing_to_find():
    vendors = [
        "Ask each vendor for two or three references from customers of a similar size.",
        "Deloitte's figures are widely quoted: 30 to 50 percent less downtime and 10 to 40 percent lower costs.",
        "An expected case assumes 20 percent, which is 40 hours or $60,000 a year.",  # hours, no hourly rate
    ]
    asked = "what's a normal hourly rate for a system integrator? want to sanity check their quote"
    assert analyze(asked).asks_sum
    assert lacks(asked, vendors)  # "widely quoted" prices nothing asked
    assert not lacks(asked, [*vendors, "A system integrator's hourly rate is often about $150."])
    assert not analyze("what is a good scrap rate?").asks_money  # a rate things happen at


def test_a_figure_the_asker_guesses_names_nothing_asked():
    # "every 6 months?" matched "Weeks 3 to 6": a span of time, about nothing the question names
    pilot = "Weeks 3 to 6 install the equipment, connect the data and confirm that the data is trustworthy."
    gauge = "A gauge that seems off, or that is overdue for calibration, goes to quality."
    assert lacks_in_passages("how often do the gauges need to get calibrated here, every 6 months?", [pilot, gauge])
    # ... and guesses at a share are no figures of the asker's own to work: the share asked is still missing
    budget = "Build the budget from all six categories and add a contingency for surprises."
    assert lacks("what percent contingency should we add to the budget? 10%? 20%?", [budget])
    assert not lacks(
        "what percent contingency should we add? 10%?", [f"{budget} A contingency of 15 percent is typical."]
    )


def test_a_kind_of_thing_to_claim_that_the_playbook_never_names_is_missing():
    costs = "Monthly subscriptions spread software costs over the pilot instead of paying them up front."
    assert lacks("Can we claim a federal tax credit on the sensors we buy for the pilot?", [costs])


def test_an_ask_naming_none_of_the_scene_told_before_it_asks_of_what_it_names():
    # the ask names no MES: the count of champions per shift answers it, in a passage about no MES
    champions = "Choose at least one champion per shift for each area where a new system is introduced."
    mes = "A manufacturing execution system (MES) tracks and controls work on the shop floor."
    question = "I got asked to pick champions for the new MES screens. how many do I need per shift?"
    assert not lacks_in_passages(question, [champions, mes], ("mes",))
    # ... an ask naming the MES asks of it
    assert lacks_in_passages("how many MES screens do I need per shift?", [champions, mes], ("mes",))
