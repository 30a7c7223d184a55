"""Composing an answer from the playbook's sentences: pure functions, no I/O, no model.

The answerer hands over candidate sentences with what it measured (similarity to the question, the
section they sit in, their place in it). Composing then follows how a good colleague answers:

- the lead is the most direct answer: a definition of the thing asked about, the opening of the
  section whose heading asks the question, a sentence holding the kind of fact asked for (an amount,
  a time span, a role);
- support follows, from the same passage first (the playbook explains right after it states);
- no sentence that points back ("This…", "It…", "Also…") without the sentence it points to;
- nothing said twice, across the glossary and the documents.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache

import numpy as np

from rag.question import (
    FRAME_WORDS,
    Intent,
    Question,
    asked_kind,
    asks_outcome,
    intent_of,
    money_terms,
    told_and_asking,
)
from rag.text import normalize, terms
from rag.types import Block, BlockKind

OVERLAP_WEIGHT = 0.3  # the question's words found in the sentence, next to cosine similarity (both 0..1)
KEY_WEIGHT = 0.2  # ... and the words naming what is asked (focus and attribute)
RANK_WEIGHT = 0.05  # a slight preference for sentences from better-ranked passages
TYPE_WEIGHT = 0.12  # holds the kind of fact asked for
REASON_WEIGHT = 0.5  # ... and more for "why": a sentence that gives a reason answers it; the rest set the scene
HEADING_WEIGHT = 0.2  # sits in a section whose heading matches the question
OPENING_WEIGHT = 0.5  # opens such a section: the playbook answers its question headings first
DEFINES_WEIGHT = 0.1  # "X is ..." where X is what a definition question asks about
DEFINES_PENALTY = 0.2  # ... and the same sentence leading an answer to how, who, when or how much: beside the point
POINTS_BACK_PENALTY = 0.1  # a sentence that leans on the one before it makes a poor lead
TEASER_PENALTY = 0.1  # ... and so does one that announces what follows ("works like this.") or points elsewhere
RESTATES_PENALTY = 0.25  # ... or one that mostly says the question back
RESTATES_SHARE = 0.34  # new terms below this share of its own: it says the question back, unless it is the
# rule for the very case told: "If a machine stopped because the bar feeder ran out of stock, the cause is material"
CASE_MET = 0.5
# Told a situation first, the asker asks one thing of it: a sentence naming what the asking sentence names answers it
ASKING_WEIGHT = 0.1
ASKED_WEIGHT = 0.2  # ... and one saying what the asker asks to do ("Never ... tape over" for "can i tape it over")
# A sentence telling the asker's situation back ("A lost USB stick in the parking lot is a classic trick.") answers
# none of who, whether or what to do: less, by the share of its terms that are the situation's.
SCENE_PENALTY = 0.5
NAMES_TOLD_TERMS = 4  # ... unless it names what the asker told of, saying this many of the told words
# A sentence from a document written for the other role makes a poorer lead: asked by a manager whether the machines
# got worse when OEE dropped, the operators' list of small stops is beside the point.
OTHER_AUDIENCE_PENALTY = 0.1
# Given figures of their own ("ran 2,000 hours and failed 5 times"), the asker wants them worked: the playbook's
# example with its own figures ("a machine that ran for 600 hours ...") reads as if it were theirs.
OTHER_FIGURES_PENALTY = 0.2
FORMULA_WEIGHT = 0.2  # ... and the way to work them is what to read first ("calculated as total run time divided by")
ASKED_RESULT_WEIGHT = 0.4  # ... and of an example working the asker's very case, the result of what is asked
OWN_FIGURES = 2  # a question giving this many figures gives its own case
STEP_TOLD_WORDS = 3  # a question naming this many words of a step tells it done
RESULT_WORDS = 5  # the words before an example's last figure name what it works out ("has a payback period of")
CASE_FIGURES = 3  # a section holding this many of them, and
CASE_SHARE = 0.8  # ... nearly all of them, works the asker's very case: a stop of its own makes a result of its own
AFTER_THE_FACT_WEIGHT = 0.3  # told it already happened: what the playbook says to do if it has
CONDITION_WEIGHT = 0.2  # "If you already clicked, report that right away.": advice for the asker's own case
MIN_WHETHER_TERMS = 2  # a second yes-or-no question is spoken to by a sentence sharing this many of its terms
WHETHER_SHARE = 0.5  # ... and this share of them
SAID_PENALTY = 0.2  # a follow-up is not led by what the last answer said
QUESTIONS_WEIGHT = 0.4  # asked what to ask someone: a sentence saying what to ask, as only it answers
LIST_WEIGHT = 0.2  # a list, taken whole, for a question asking for steps, advice or several things
SELECTION_MARGIN = 0.3  # a sentence from elsewhere joins only if this close to the lead
PART_MARGIN = 0.03  # a question asked beside another is answered by a sentence this near (cosine) to the nearest
DUPLICATE_COSINE = 0.85
DUPLICATE_OVERLAP = 0.6  # share of the shorter sentence's terms found in the other
MIN_SHARED_TERMS = 3  # fewer terms than this are too few to call two sentences the same
SHARED_RUN = 4  # this many terms in a row, in both sentences, is one statement made twice
SAME_NUMBER_TERMS = 2  # a number in both sentences, with this many other terms in common, is one fact
# Asked how to, whether one may, or whom to tell: the question tells the asker's own case ("what should I tell
# maintenance when an alert fires?" asks for the telling, not for what to do when alerts fire).
CASE_INTENTS = (Intent.PROCEDURE, Intent.YESNO, Intent.WHO)
LIST_INTENTS = (Intent.PROCEDURE, Intent.ADVICE, Intent.LIST)  # asked for steps, advice or several things
# Asked for something other than what a thing is: a definition of it answers a question nobody asked.
NOT_DEFINITIONS = (*LIST_INTENTS, Intent.WHO, Intent.YESNO, Intent.TIME, Intent.AMOUNT)
# Asked for a kind of fact that a sentence holds or not: an amount, a time, a person, several things, a reason.
FACT_INTENTS = (Intent.AMOUNT, Intent.TIME, Intent.WHO, Intent.LIST, Intent.WHY)
# ... of which a number or a time span: no other sentence stands in for one, whatever else it says.
TYPED_INTENTS = (Intent.AMOUNT, Intent.TIME)
ABSENCE_MARGIN = 0.25  # the playbook saying it lacks what is asked answers if this close to the lead
WHOM_MARGIN = 0.45  # ... and one naming whom to go to, asked who, where the lead names no one ("... and report it.")
TYPED_MARGIN = 0.3  # a sentence holding the amount or time asked for leads from another section if this close
HEADING_ANSWERED = 0.5  # a heading naming this much of what is asked asks it: its "Yes: ..." answers the question
LIST_ITEMS_SHOWN = 10  # a list that answers is shown whole up to this many items, beyond the sentence limit

_NUMBER = re.compile(
    r"\d|\bat least one\b|\bone (?:\w+ )?per\b|\b(?:two|three|four|five|six|seven|eight|nine|"
    r"ten|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|half|third|quarter|"
    r"fifth|tenth|percent|dozen)\b",
    re.IGNORECASE,
)
# a way to work figures, in words: "divide the run time by ...", "multiplied together", not "multiplied in"
_FORMULA = re.compile(
    r"\bdivid(?:e|ed|ing)\b.*\bby\b|÷|×|\bmultipl(?:y|ied|ying)\b.*\b(?:by|together)\b|\bminus\b|\bsubtract|=",
    re.IGNORECASE,
)
# a share told in words ("about half", "a fifth or more"), not a period ("every quarter") or a rank ("the third")
_FRACTION = re.compile(r"\bhalf\b|\b(?:a|one|two|three) (?:thirds?|quarters?|fifths?|tenths?)\b", re.IGNORECASE)
# a figure set as a bar to reach or stay under: "above 85%", "85% or more"
_BAR = re.compile(
    r"\b(?:above|below|under|at least|at most|more than|less than|or (?:more|higher|better|above|less|lower|below))\b",
    re.IGNORECASE,
)
_EXAMPLE = re.compile(r"\bexamples?\b", re.IGNORECASE)  # a section giving one: "Can you show me a worked example?"
# A figure, not the number in a name ("VF2", "ISA-95"): "a 35-minute breakdown", "1,200 hours", "20 June 2016"
_FIGURE = re.compile(r"(?<![\w-])\d+(?:[.,]\d+)*(?!\w*[A-Za-z])")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b(?!\s*(?:%|percent|dollars|euros|units|parts|hours|people))")
_MONEY_FIGURE = re.compile(r"[$€£]\s?\d|\b\d[\d,.]*\s?(?:dollars|euros|pounds|usd|eur)\b", re.IGNORECASE)
_SHARE_OR_SUM = re.compile(
    r"\b(?:half|third|quarter|fifth|percent|thousand|million|billion)\b|%|\b\d+\s?[km]\b", re.IGNORECASE
)
# A standard's, model's or version's name holds digits but counts nothing: "ISO/TS 15066", "ISA-95", "MQTT 5", "UR10"
_CODE_NAME = re.compile(r"\b[A-Z]{2,}(?:/[A-Z]{2,})*(?: SP)?[ -]?R?\d+(?:[.-]\d+)*\b")
# A number naming a place or a stage: "Press 4", "step 6", "week 2"
_LABEL = re.compile(
    r"\b(?:line|cell|press|station|step|op|machine|level|week|phase|area|zone|bay|plant|stage|tier)s? \d+\b",
    re.IGNORECASE,
)
_NOT_MEASURES = re.compile(rf"{_YEAR.pattern}|\b\d{{1,2}}:\d\d\b|{_LABEL.pattern}", re.IGNORECASE)
_UNITS = r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|quarters?|years?)"
# A span of time, or of length ("how long" asks either): "a shift" and "a page" name one only with a count
# ("two shifts"): "a shift huddle" is none.
_DURATION = re.compile(
    r"\b(?:(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve)[\s-]+(?:(?:to|or)[\s-]+\w+[\s-]+)?"
    rf"(?:{_UNITS}|shifts?|pages?)|(?:a|an|few|several)[\s-]+{_UNITS})\b",
    re.IGNORECASE,
)
# A stretch of a schedule, its unit first: "(minute 0 to 2)", "weeks 1-2": a time, though less than a length told
_STRETCH = re.compile(rf"\b{_UNITS}\s+\d+\s*(?:to|-|–)\s*\d+\b", re.IGNORECASE)
_TIME_SPAN = re.compile(
    _DURATION.pattern
    # "every shift" is how often; "an operator from each shift", "an incident lead for each shift" say who
    + r"|\b(?:daily|weekly|monthly|quarterly|yearly|annually|hourly"
    r"|(?<!from )(?<!for )every (?:\w+ )?(?:shift|day|week|month|quarter|year|hour)"
    r"|(?<!from )(?<!for )each (?:shift|day|week|month|quarter|year)"
    r"|once an? \w+|(?:19|20)\d\d|(?:a|one) (?:fifth|quarter|third|half)"
    r"(?: or (?:more|less))? of)\b",
    re.IGNORECASE,
)
# How often, not how long: "every six to twelve months" answers "how often should we redo it?", "a week ahead" not.
_FREQUENCY = re.compile(
    r"\b(?:every|once|twice|daily|weekly|monthly|quarterly|yearly|annually|hourly|regularly)\b"
    r"|\btimes (?:a|an|per|each)\b|\b(?<!from )(?<!for )(?:per|each) (?:shift|day|week|month|quarter|year)\b",
    re.IGNORECASE,
)
_ROLE = re.compile(
    r"\b(?:supervisor|team lead(?:er)?|lead(?:er)?s?|quality|maintenance|finance|operations|IT|engineer(?:ing|s)?|"
    r"technicians?|managers?|champions?|owners?|sponsors?|coordinators?|trainers?|HR|human resources|planners?|"
    # the safety team, not a "safety risk" or "safety rules": "Contact safety when:", "tell safety as well"
    r"safety(?=\s+(?:team|office|department|manager|coordinator|staff|and|or|as|when|for|if|about)\b|\s*[,.;:?!)]|$)|"
    r"vendors?|suppliers?|help ?desk|security team|steering group|committee|council|institute|"
    r"organi[sz]ation|association|partners?|founded|launched|announced|created|established|led by|run by|"
    r"chair(?:ed)?|CEO|president|directors?|executives?|union|colleague|coach|mentor|expert"
    # ... or people by what qualifies them: "Only people who are trained and authorized should perform lockout."
    r"|(?:people|persons?|workers?|employees|someone|anyone|staff|those) who (?:are|is|have been|has been) "
    r"(?:\w+ )?(?:trained|authori[sz]ed|qualified|certified|approved|allowed))\b"
)
_TELL = re.compile(  # "ask for the baseline" asks for a thing, not of someone ("ask for help" asks someone)
    r"\b(?:tell|report|ask(?! for (?:the|a|an|its|their)\b)|call|contact|go to|raise|flag|escalate|let \w+ know|"
    r"talk to)\b",
    re.IGNORECASE,
)
_CONTRAST = re.compile(
    r"\b(?:while|whereas|unlike|instead|rather than|differs?|difference|but|in contrast|"
    r"on the other hand|compared with|compared to|versus|vs\.?|distinguish(?:es)?|separates?\b.{1,60}?\bfrom)\b",
    re.IGNORECASE,
)
_CAUSE = re.compile(  # "since" giving a reason, not a time ("since 1932", "since mid-2018", "has since spread")
    r"\b(?:because|so that|so|(?<!has )since(?!\s+(?:\d|mid-|then\b))|reason|why|leads? to|causes?|helps?|in order to|"
    r"otherwise|without|comes? from|points? to|due to|caused by)\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
# A lead-in counting what follows: "A good first pilot has five features:", "The plan covers 4 phases:"
_COUNTED_LEAD_IN = re.compile(rf"\b({'|'.join(_NUMBER_WORDS)}|\d+) (?:[\w-]+ ){{0,2}}[\w-]+s:\s*$", re.IGNORECASE)


def number_of(word: str) -> int:
    """The number a figure or a number word counts: "5", "five"."""
    return int(word) if word.isdigit() else _NUMBER_WORDS.index(word.lower()) + 2


_POLAR = re.compile(
    r"\b(?:never|not|no|always|must|should|can|cannot|can't|don't|do not|only|yes|allowed|"
    r"may(?! look like)|rather than|instead of|misus(?:e|es|ed|ing)|prohibited|forbidden|mistake)\b",
    # "... mostly changes the tasks inside a job rather than wiping out whole jobs"; "Managers misuse OEE ... when
    # they rank individual operators with it" judges what "can I rank operators by OEE?" asks to do; a reading that
    # "may look like" a sample allows nothing
    re.IGNORECASE,
)
_ENUMERATION = re.compile(r":|\bsuch as\b|\binclud(?:e|es|ing)\b|(?:[^,]+,){2,}")
# A step reads as a command: "Check the ...", "Press ...", "Bring ..."; a first word shaped like an adjective, an
# adverb or a plural noun starts a statement ("Traditional robots move ...", "Sensors track ...", "Only people ...").
_IMPERATIVE = re.compile(
    r"^(?![A-Za-z]*(?:al|ic|ous|ive|ful|less|ly|ed|ity|ness|\w{3}ing|[^su]s)\b)[A-Z][a-z]+(?:\s|,)"
)
# A sentence saying what a role should do, as an instruction would: "Managers should address monitoring fears ..."
_ADVISES = re.compile(r"^(?:Managers|Leaders|Supervisors|Plant managers|Executives|Operators|Workers|You)\s+should\b")
_STATIVE = re.compile(
    r"^(?:The|A|An|This|These|That|Those|It|Its|They|There|You|We|I|Each|Every|Any|Most|Many|Some|All|"
    r"One|Your|Our|If|When|In|On|At|For|With|As|After|Before|Once|OEE|No|People)\b"
    # ... or a subject of a word or two and its verb: "Remote access lets vendors ..." states, "Route all ..." tells
    r"|^[A-Z][a-z]+(?:\s+[a-z]+)?\s+(?:is|are|was|were|has|have|lets|means|makes|shows|gives|helps|needs|keeps|"
    r"can|may|must|should|will|would|could|does)\b"
)
# Words that make a sentence lean on the one before it ("Here is how ...:" leans on what follows).
_POINTS_BACK = re.compile(
    # "IT staff focus on data protection ..." names the IT department, not a thing said before
    r"^\W*(?!(?-i:IT)\b)(?:also|however|this|these|that|those|it|its|they|them|their|such|both|instead|otherwise|"
    r"then|but|and|so|therefore|thus|likewise|similarly|meanwhile|moreover|furthermore|in addition|in that case|"
    r"for that reason|as a result|on the other hand|the other|another|he|she|his|her|which|here(?! is| are)|"
    r"the same|even so|"
    r"still|again|too|besides|in (?:this|that|these|those) \w+|(?:each|all|both|none|neither|either|any|some|most|many|"
    r"one|two|three) of (?:those|these|them|this|that)|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    r"next|finally|lastly)\b"
    # "Each one is good for a set time.", "Each kind of fault tends to show up ...": each of the things just named
    r"|^\W*each (?:one\b|(?:kind|type|sort) of\b|(?=(?:is|has|must|should|can|will|may|needs?|lasts?)\b))"
    # "After that, you must renew it to keep it current.": after the time just told
    r"|^\W*(?:after|before|until|by|from|at) (?:that|then)\b"
    # "also" or "those"/"these" in the first clause ("X is also not enough", "with those team members"), unless a
    # colon brings what "these" names ("Use these checks: ..."); "well below that".
    r"|^[^,;:]*?\b(?:also|(?:those|these)\b(?![^:]*:))|\b(?:below|above|than|beyond) (?:that|this)\b"
    # ... or after an opening phrase ("From a strict lean view, every one of these outcomes looks like waste."),
    # unless what follows says which ("those who ...")
    r"|^[^,;:]*,[^,;:]*?\b(?:those|these)\b(?! (?:who|that|which|with|where)\b)(?![^:]*:)"
    # "Look at the time stamp too.", "Roll up long sleeves too.": one more thing, after the first
    r"|\b(?:too|as well)\W*$"
    # "the last three": counted off a list given before it; "the first two weeks" names its own
    r"|\bthe (?:first|last) (?:two|three|four|five|six)\b(?!\s+\w)|\bthe (?:former|latter)\b"
    # "The first reason is slow cycles", "The last step is easy to skip", "all three cases": one of several
    # counted off before it ("Performance drops for two main reasons."); "The first step is to ..." stands alone
    r"|^\W*the (?:first|second|third|fourth|other|remaining|last|final) (?:\w+ )?(?:reason|cause|case|point|layer|"
    r"phase|stage|category|kind|type|group|factor|one|step)s?\b(?! (?:is to|in|of|to|for|on|toward)\b)"
    r"|\b(?:all|both) (?:two|three|four|five|six) \w+|\bin (?:both|all) cases\b"
    # "spend these two weeks on a manual tally": the weeks its heading names, not the sentence's own
    r"|\bthese (?:two|three|four|five|six|few) \w+(?![^:]*:)"
    # "Worse, repeated pilots ...", "Tell your supervisor at the same time.", "Government statistics point the same
    # way", "Track both, and ...": said after something else
    r"|^\W*(?:worse|even worse|better still|more importantly|above all)\b"
    r"|\bat the same time\s*\W*$|\b(?:points?|pointed) the same way\b|^\W*\w+ both\s*[,.;]"
    # "In the example above": what was shown before it
    r"|\b(?:the|that|this) (?:\w+ )?(?:example|case|steps?|list|table|figure|numbers?) (?:above|earlier)\b"
    r"|\b(?:as|shown|described|listed|mentioned) (?:above|earlier)\b"
    # "this workforce focus", "a scorecard like this": named in a sentence before
    r"|^[^,;:]*?\b(?:like this (?=\w)|this (?!(?:week|month|year|"
    r"day|shift|morning|time|document|guide|section|page|card|playbook|training)\b)\w+)"
    # "..., so this phase focuses on the response to alerts": the phase named before, though after a comma
    r"|[,;]\s*(?:so|and|but|because|which means)\s+(?:this|these|that|those) "
    r"(?:phase|step|stage|plan|list|one|approach|method|rule|case|kind|type|way|part)s?\b",
    re.IGNORECASE,
)
# A main clause that says no: a prohibition or a negated statement.
_NEGATION = re.compile(
    r"^\W*(?:never|do not|don't|no)\b|\b(?:not|never|no|cannot|can't|doesn't|don't|isn't|"
    r"aren't|won't|shouldn't|mustn't|without)\b|n't\b",
    re.IGNORECASE,
)
# A clause that says no: a prohibition, or a verb negated ("does not count"); "gives no clue" and "without
# rework" negate no verb, and a "No" before them would answer the opposite.
# "Maintenance cannot plan" says what cannot be done, which answers no "Is that a problem?": inability is no "No".
# "Resist the temptation to install hardware in week 1." forbids it, as "Do not" would
_FORBIDS = re.compile(r"^\W*(?:never|do not|don't|avoid|resist)\b", re.IGNORECASE)
_NEGATED_VERB = re.compile(
    r"^\W*(?:never|do not|don't|no|avoid|resist)\b|\b(?:not|never)\b|(?<!ca)n't\b", re.IGNORECASE
)
# A sentence whose substance comes after it: "works like this.", "has three layers.", "as follows."
_ANNOUNCING = (  # ... counting nothing; "A useful test for any alert is simple.": the next sentence tells it
    r"\blike this|\bas follows|\bbelow|\bthe following(?: \w+)?|\bthese steps|\bhere is how"
    r"|\bis (?:simple|easy|straightforward)"
)
_ANNOUNCES = re.compile(rf"(?:{_ANNOUNCING})\W*$", re.IGNORECASE)
_TEASER = re.compile(
    rf"(?:{_ANNOUNCING}|"
    r"\b(?:a few|several|a (?:small )?number of|some|two|three|four|five|six|seven|eight) (?:\w+ )?"
    r"(?:\w+s|steps|levels|layers|parts|stages|phases|questions|reasons|ways|factors|kinds|types))"
    r"\W*$",
    re.IGNORECASE,
)
_LISTED = re.compile(r",[^,]+\band\b")  # "A, B and C": the sentence holds its own list
_SAMPLE = re.compile(r"\blooks? like\s+[\"“]", re.IGNORECASE)
# A short sentence opening with a count: "Four habits keep a pilot out of purgatory." announces the four; so does one
# giving each of them one thing: "Each factor answers one simple question."
_COUNTED = re.compile(
    r"^(?:two|three|four|five|six|seven|eight|a few|several) \w+(?: [^\s,;:]+){0,6}\.$"
    r"|^each \w+ \w+ (?:one|a|an) (?:\w+ )?\w+\.$",
    re.IGNORECASE,
)
_WHEN_WORDS = frozenset(terms("already still yet ever again"))  # "If you already clicked": when, not what
_CONDITION = re.compile(r"^(?:if|when)\b([^,]+),", re.IGNORECASE)  # "If you already clicked, ..."
# What to do, said to the reader: an instruction verb first ("Tell your supervisor ..."), or after a condition
# any word but a subject ("If you already clicked, report ...", "If a robot surprises you, step back ...").
_DIRECTS = re.compile(
    r"^(?:(?:do not|don't|never|avoid|resist|always|tell|ask|report|call|stop|step|use|pick|check|spot|add|write|"
    r"go|raise|keep|follow|wear|pull|press|contact|talk|let|make sure|wait|enter|record|flag|speak|bring|fix|correct|"
    r"leave|put|send|get|give|take|treat)\b"
    r"|(?:if|when|once)\b[^,]+,\s*(?!(?:you|the|a|an|it|its|they|their|this|that|these|those|there|we|our|your|he|"
    r"she|people|nobody|no|one|each|every|some|most|many|all|any|someone|everyone|anyone|anybody|somebody|"
    r"everybody|something|nothing|everything)\b)[a-z])",
    re.IGNORECASE,
)
NEGATED_WORDS = 4  # the words a "not" denies: "is not the same as working harder", "is not about blame"
# A "not" in a clause saying which thing is meant: "A yellow light that is not cleared in ten minutes may turn red" says
# yes to "does it turn red on its own?"
_RELATIVE_NEGATION = re.compile(
    r"\b(?:that|which|who)\s+(?:(?:is|are|was|were|does|do|did|has|have|had|can|could|will|would)\s+)?(?:not|never)\b"
    r"|\b(?:that|which|who)\s+\w+n['’]t\b",
    re.IGNORECASE,
)
_SAYS_NO = re.compile(r"\W*no\b", re.IGNORECASE)  # the lead already begins "No"
_NOT_ALWAYS = re.compile(r"\bnot (?:always|necessarily)\b", re.IGNORECASE)  # "does not always mean ...": no plain no
# A step counted off in prose after others ("Second, ...", "Finally, ..."), and any step so marked, the first too
_COUNTED_ON = r"second|third|fourth|fifth|finally|lastly"
_NEXT_STEP = re.compile(rf"^\W*(?:{_COUNTED_ON})\b", re.IGNORECASE)
_STEP_MARKER = re.compile(rf"^\W*(?:first|next|then|{_COUNTED_ON})\b", re.IGNORECASE)
_STEPS = re.compile(r"\b(?:steps?|order|procedure|sequence)\b", re.IGNORECASE)  # a lead-in introducing steps
_ANSWERS_ITS_HEADING = re.compile(r"(?:yes|no)\b\s*[:,;.]", re.IGNORECASE)  # "Yes: one 480-minute shift ..."
# A question asking whether a thing is harmful: "is taping it over actually a big deal?"
_ASKS_IF_HARMFUL = re.compile(
    r"\b(?:big deal|(?:a|any) (?:problem|issue|risk)|matters?|(?:that|it|this) (?:bad|serious|dangerous|risky)|harm)\b",
    re.IGNORECASE,
)
# A question offering alternatives: "A or B?" ("or what", "or not" still ask yes or no).
_CHOICE = re.compile(r"\bor\s+(?!what\b|not\b|no\b|anything\b|something\b|so\b)\w+", re.IGNORECASE)
# A sentence that reports a question rather than answering it ("A common question is whether ...").
# "ask what changed on the floor" tells the reader what to ask: a clause opening with it reports nothing.
_ASKING = re.compile(
    r"(?<=\w )(?<!\band )(?<!\bthen )(?<!\bto )(?:wonder(?:s|ing)?|ask(?:s|ing)?|question is) "
    r"(?:if|whether|how|what|why)\b",
    re.IGNORECASE,
)
# A sentence that sends the reader to another part of the playbook ("The rest of this document explains ...",
# "see the OEE document"): the substance is elsewhere.
_SIGNPOST = re.compile(
    r"\b(?:this|the next|the previous|the rest of this|the [\w-]+(?: [\w-]+){0,2}) "
    r"(?:document|guide|section|page|chapter|card)s?\b(?! (?:is|are)\b)"
    r"|^\W*see the [\w -]{1,60}? (?:document|guide)\b",  # "See the who to ask for help document for contacts."
    re.IGNORECASE,
)
# ... by where the other part sits ("The next two sections show ...", "See the section below"): out of its
# document, the place it points to is not there.
_BY_POSITION = re.compile(
    r"\b(?:the next|the previous|the following|the rest of this|later|earlier)(?: [\w-]+){0,2} "
    r"(?:documents?|guides?|sections?|pages?|chapters?|cards?) "
    r"(?:shows?|covers?|address(?:es)?|explains?|describes?|lists?|gives?|go(?:es)?)\b"
    r"|\b(?:sections?|pages?|chapters?) (?:below|above)\b"
    # ... or to something further up than the sentence before it: "In the example above, a pilot costing $45,000 ...",
    # or further down: "The example below uses made-up round numbers ..."
    r"|\b(?:examples?|cases?|clauses?|steps?|lists?|tables?|figures?) (?:above|below)\b"
    r"|\b(?:described|listed|shown|given) above\b",
    re.IGNORECASE,
)
# A sentence saying the playbook does not hold something, or where to find it instead: "Contact CESMII directly
# for current membership terms.", "The sources used for this document do not list individual council members".
_REFERRAL = re.compile(
    r"\b(?:ask|contact|check)\b[^.;]*\bdirectly\b|\bnot (?:covered|described|confirmed|given|listed|stated) in "
    r"the sources\b|\bsources used for this document do not\b",
    re.IGNORECASE,
)
_OUTCOME = frozenset(terms("outcome"))  # what a question asking how something turned out wants
_ARTICLE = re.compile(r"^(?:an?|the)\s+", re.IGNORECASE)
# "Lockout/tagout (LOTO)": another name for the subject, in brackets.
_ALIAS = re.compile(r"\(([^)]*)\)")
_OR_ALIAS = re.compile(r"^([^,]{1,60}), or ([\w -]+),(?= (?:is|are) )")
# a figure worked out from others: "Run time is 400 − 60 = 340 minutes.", "... which is 85%", "gives an OEE of"
_WORKED_OUT = re.compile(_FORMULA.pattern + r"|[/x]\s*\d|\b(?:which is|gives?|would (?:be|give|take)|so)\b", re.I)
# where a worked step's result is stated: after its lead-in, or after the figures it is worked from ("..., so")
_RESULT_CLAUSE = re.compile(r": |,\s+so\s+")
# What a sentence opens by saying something of, a definition or not ("Unplanned downtime is any stop ..."): two
# sentences stating alike of two kinds of one thing say two things.
_STATED = re.compile(r"^(?P<subject>(?:[\w-]+\s+){0,3}[\w-]+)\s+(?:is|are|means)\b", re.IGNORECASE)
# "X is a ...": a definition proper, of the kind a glossary gives ("X is built from ..." describes X).
_DEFINITION = re.compile(
    r"^(?P<subject>[^,;:]{1,80}?)\s+(?:(?:is|are) (?:an?|the)|means|refers to|stands for)\s", re.IGNORECASE
)
# ... and one that names its kind by its subject's last word: "Preventive maintenance is maintenance done ...".
_DEFINITION_BY_KIND = re.compile(
    r"^(?P<subject>[^,;:]{0,80}?\b(?P<kind>\w+))\s+(?:is|are)\s+(?P=kind)\b", re.IGNORECASE
)
# A word said to mean something, anywhere in the sentence: "Green usually means running, yellow means a warning"
_MEANS = re.compile(r"\b(\w+) means\b")
# ... and a short name spelled out: "the safety team, often called EHS for environment, health and safety"
_SPELLED_OUT = re.compile(r"\bcalled ([A-Z][A-Za-z]{1,7}) for\b")
# "X is a ...", "X (Y) is the ...", "X means ...": a sentence that defines its subject.
_DEFINING = re.compile(
    # a subject holds no clause of its own: "Scrap that is suddenly higher than normal." defines nothing
    r"^(?P<subject>(?:(?!\b(?:that|which|who|whose|if|when|where)\b)[^,;:]){1,80}?)\s+"
    r"(?:(?:is|are|was|describes)\s+(?:an?|the|one|any|how|what|when|where|about|made|built|used|called|\w+ly)\b"
    r"|(?:means|refers to|stands for)\s)",
    re.IGNORECASE,
)


@dataclass(frozen=True, eq=False)  # each candidate is itself: identity, never a field-by-field compare of vectors
class Candidate:
    """A playbook sentence that may join the answer, with what was measured about it."""

    passage: int  # which passage it comes from (its citation)
    index: int  # its position among the passage's sentences
    text: str
    terms: frozenset[str]
    vector: np.ndarray  # normalized, computed at ingest
    similarity: float  # cosine with the question
    rank: int  # the retrieval rank of its passage
    heading_match: float = 0.0  # how much of what is asked its section heading names (0..1)
    opening: bool = False  # the first statement of its section
    place: tuple[int, ...] = (0, 0, 0)  # reading order: (document rank, chunk ordinal, index)
    previous: int | None = None  # the index of the statement before it in its passage
    item: bool = False  # a list item: one step or point of several
    lead_in: str = ""  # the line introducing its list, for an item
    section: tuple[str, str] = ("", "")  # the document and section it sits in
    for_other: bool = False  # written for the other role (a worker document read to a manager, or the reverse)
    heading_names_all: bool = False  # its section heading names every word of what is asked, and more
    ends_paragraph: bool = False  # the last sentence of its paragraph (or of its passage)


def negates(text: str) -> bool:
    """The sentence says no somewhere: "not", "never", "no", "-n't", "without"."""
    return bool(_NEGATION.search(text))


def points_back(text: str) -> bool:
    return bool(_POINTS_BACK.search(text))


def leans_back(candidate: Candidate) -> bool:
    """It needs the sentence before it to make sense. A list item is read under its lead-in, which is
    shown with it ("try to tell them: Which job ... was running"): it leans on nothing else. A sentence
    opening "Yes"/"No" answers its own heading ("Can you show me a worked example?" "Yes: one 480-minute
    shift ..."), and stands alone only where that heading asks what was asked (``says_to_its_heading``)."""
    if answers_its_heading(candidate.text):
        return not says_to_its_heading(candidate)
    return points_back(candidate.text) and not (candidate.item and candidate.lead_in)


def answers_its_heading(text: str) -> bool:
    """The sentence opens with the yes or no its heading asks for ("Yes: one 480-minute shift ...")."""
    return bool(_ANSWERS_ITS_HEADING.match(text))


def says_to_its_heading(candidate: Candidate) -> bool:
    """Its heading asks what was asked, or names all of it in more words ("are earbuds ok at the lathe?" is
    what "Can I wear earbuds with music while running the lathe?" asks)."""
    return candidate.heading_match >= HEADING_ANSWERED or candidate.heading_names_all


def on_its_own(candidate: Candidate) -> Candidate:
    """A sentence opening "Yes"/"No" under a heading that asks something else, without its yes or no when the
    rest states a rule that holds whatever was asked ("No: never wear gloves near a rotating drill press ..."
    answers "can i wear gloves at my machine" too); an example or a fact given in answer to its heading still
    leans on it."""
    said = _ANSWERS_ITS_HEADING.match(candidate.text)
    if said is None or says_to_its_heading(candidate):
        return candidate
    rest = candidate.text[said.end() :].lstrip()
    if not (_POLAR.search(rest) or directs(rest)):
        return candidate
    return replace(candidate, text=rest[:1].upper() + rest[1:])


def takes_a_step(text: str) -> bool:
    """The sentence is a step of several counted off or said to do ("Second, ...", "... count the extra margin once"),
    which the next one ("Finally, count only capacity the business can actually sell.") goes on from."""
    return bool(_STEP_MARKER.match(text)) or directs(text)


def announced_count(text: str) -> int:
    """How many things a sentence announcing what follows counts ("Two points deserve attention.": 2), 1 otherwise."""
    first = text.split(maxsplit=1)[0].lower() if _COUNTED.match(text) else ""
    return number_of(first) if first in _NUMBER_WORDS else 1


def teases(text: str) -> bool:
    """It announces what follows ("works like this.", "has three parts.", "Four habits keep ..."), rather
    than ending a list of its own ("one main metric, two supporting metrics and a few adoption metrics."), or shows
    a sample, saying nothing of it ("A single reading may look like "Press 4, motor temperature 62 degrees ..."")."""
    announces = bool(_TEASER.search(text) or _COUNTED.match(text)) and not _LISTED.search(text)
    return announces or bool(_SAMPLE.search(text))


def refers_elsewhere(text: str) -> bool:
    """It says the playbook does not hold something, or sends the reader to ask its owner: led by it, an answer
    says the playbook cannot answer."""
    return bool(_REFERRAL.search(text))


def stated_absence(
    candidates: Sequence[Candidate], lead: Candidate, question: Question, question_terms: frozenset[str]
) -> Candidate | None:
    """The playbook's own statement that it lacks what is asked ("The sources used for this document do not list
    individual council members, ..."), when it matches the question at least as well as the lead does: the
    neighbouring facts would answer a question nobody asked. A yes or no is answered by what is known ("SMEC is
    creating an industry-wide playbook"), not by the details that are not, unless it asks whether there is the kind
    of thing the playbook lacks ("is there a member list?"); a statement leaning on the one before
    it ("Its member list is not covered ...") says nothing alone. One naming what is asked for, which the lead does
    not name, states its absence nearly as well matched ("The sources used for this document do not list individual
    council members, so no member names or member companies appear here." for "Which companies sit on SMEC?";
    "The outcome of that negotiation ... not covered" for how much CESMII "ended up receiving")."""
    outcome = asks_outcome(question.text)
    wanted = frozenset(terms(asked_kind(told_and_asking(question.text)[1])))
    wanted |= _OUTCOME if outcome else frozenset()
    # "did CESMII end up getting ...?" is not known either, nor are the members asked for before "is GE one?"
    if question.intent is Intent.YESNO and not wanted:
        return None
    # asked for no kind of thing, a lead under a heading asking what was asked is matched by its heading too: "The
    # contents of the SMEC playbook are not described ..." does not outdo "Start by rating where the plant stands
    # ..." for "where do we actually start with smart manufacturing?"
    floor = relevance(lead, question_terms) + (0.0 if wanted else HEADING_WEIGHT * lead.heading_match)

    def names_asked(c: Candidate) -> bool:
        return bool(wanted & c.terms) and not wanted & lead.terms

    absent = [
        c
        for c in candidates
        if refers_elsewhere(c.text)
        and not leans_back(c)
        and relevance(c, question_terms) >= floor - (ABSENCE_MARGIN if names_asked(c) else 0.0)
    ]
    return max(absent, key=lambda c: relevance(c, question_terms), default=None)


def signposts(text: str) -> bool:
    """It sends the reader to another part of the playbook: worth reading on from only when it is itself relevant."""
    return bool(_SIGNPOST.search(text))


def points_by_position(text: str) -> bool:
    """It sends the reader to a part of its document by where it sits: never part of an answer."""
    return bool(_BY_POSITION.search(text))


def restates(candidate: Candidate, question_terms: frozenset[str]) -> bool:
    """It says what is asked, not the answer: mostly the question's own words, or a question reported."""
    new = candidate.terms - question_terms
    return (
        bool(candidate.terms)
        and len(new) / len(candidate.terms) < RESTATES_SHARE
        and condition_met(candidate.text, question_terms) < CASE_MET
        or bool(_ASKING.search(candidate.text))
    )


def denies(candidate: Candidate, question: Question) -> bool:
    """The sentence says no to what a yes-or-no question asks, in the question's words, and on its own: "A single
    perimeter firewall ... is also not enough" says it of the sentence before it. What its "not" denies is the
    question's: "Reporting a near miss is not about blame" says nothing of "do i still gotta report it"."""
    negation = _NEGATION.search(candidate.text)
    denied = candidate.text[negation.end() :].split()[:NEGATED_WORDS] if negation else []
    return (
        question.intent is Intent.YESNO
        and not negates(question.text)
        and not leans_back(candidate)
        and bool(frozenset(terms(" ".join(denied))) & question.own_terms)
    )


@lru_cache(maxsize=8192)  # read of the same sentence by several checks of every score
def defined_names(text: str) -> tuple[frozenset[str], ...]:
    """The names of what the sentence defines, if it defines: "A human-machine interface (HMI) is ..." defines the
    human-machine interface, also named HMI."""
    match = _DEFINING.match(_OR_ALIAS.sub(r"\1 (\2)", text, count=1))  # "A collaborative robot, or cobot, is ..."
    if not match:
        return ()
    subject = match.group("subject")
    names = [_ALIAS.sub(" ", subject), *_ALIAS.findall(subject)]
    return tuple(named for name in names if (named := frozenset(terms(name))))


def defines_one_of(candidate: Candidate, named_terms: frozenset[str]) -> bool:
    """The sentence says what a thing is, by a name whose words are all among ``named_terms``, its short name too:
    "A human-machine interface (HMI) is ..." for "hmi"."""
    return any(named <= named_terms for named in defined_names(candidate.text))


def defines_told(candidate: Candidate, question: Question) -> bool:
    """Asked yes or no, the sentence defines a thing the asker told of or asks about ("guy wants to plug his laptop
    into the press hmi. let him?": "A human-machine interface (HMI) is ..." is beside the point)."""
    return question.intent is Intent.YESNO and defines_one_of(candidate, question.scene_terms | question.focus_terms)


def names_the_told(candidate: Candidate, question: Question) -> bool:
    """The sentence gives a name to what the asker told of in other words: "Speed and separation monitoring means
    sensors track how close a person is, and the robot slows down as the person gets closer and stops ..." for "the
    new cobot slows way down when I walk up to it and then just stops if I get close. is it broken??". Its name is
    none the asker used, and what it says of it holds ``NAMES_TOLD_TERMS`` of the told words."""
    names = defined_names(candidate.text)
    told = question.scene_terms | question.focus_terms | question.attribute_terms
    if not names or any(name & told for name in names):
        return False
    said = candidate.terms - frozenset().union(*names)
    return len(said & (question.scene_terms or question.attribute_terms)) >= NAMES_TOLD_TERMS


def defines(candidate: Candidate, question: Question, *, only: bool = False) -> bool:
    """The sentence defines one of the things the question is about (``only``: its subject is nothing but
    that thing: "Phishing is ...", not "A strong first target for predictive maintenance is ...")."""
    if (
        not only
        and question.focus_terms
        and any(
            (said_terms := frozenset(terms(said))) and said_terms <= question.focus_terms
            for said in (*_MEANS.findall(candidate.text), *_SPELLED_OUT.findall(candidate.text))
        )
    ):
        return True  # "..., yellow means a warning or a slow state, ..." says what yellow means
    if not question.focus_terms:
        return False
    subject = next(iter(defined_names(candidate.text)), frozenset())  # its short name aside: see defines_one_of
    if not subject:
        return False
    return subject <= question.focus_terms if only else bool(subject & question.focus_terms)


@lru_cache(maxsize=4096)  # a heading is read again for every sentence under it
def heading_terms(heading: str) -> frozenset[str]:
    """A section heading's terms."""
    return frozenset(terms(heading))


def names_focus(candidate: Candidate, question: Question) -> bool:
    """The sentence, or its section's heading, names something the question is about (true when it names nothing)."""
    return not question.focus_terms or bool(
        question.focus_terms & (candidate.terms | heading_terms(candidate.section[1]))
    )


def beside_the_thing_defined(candidate: Candidate, question: Question) -> bool:
    """Asked what a thing is, the sentence never names it, nor sits under a heading that does: it says what the rest of
    the question tells of ("whats EHS? some guy from EHS is doing a walk on our line today": "Wrong status data makes
    the line look worse ..."). Not so for a thing only the scene told of: "First piece after a changeover came out of
    tolerance ... what's the right call here"."""
    return (
        question.intent is Intent.DEFINITION
        and question.focus_terms <= question.asking_terms
        and not names_focus(candidate, question)
    )


# "Reactive maintenance is sometimes called "run to failure".": another name of a thing
_CALLED = re.compile(
    r"^(?P<subject>(?:[\w-]+\s+){0,3}[\w-]+)\s+(?:is|are)\s+(?:\w+\s+)?(?:called|known as)\b(?P<name>.*)", re.IGNORECASE
)


def names_known_as(named: frozenset[str], candidates: Sequence[Candidate]) -> frozenset[str]:
    """The terms of the thing ``named`` and of the things the sentences read say go by that name: "Reactive
    maintenance is sometimes called "run to failure"." makes reactive maintenance a name of run to failure."""
    called = (_CALLED.match(c.text) for c in candidates if named <= c.terms)
    return named.union(
        *(
            frozenset(terms(match.group("subject")))
            for match in called
            if match and named <= frozenset(terms(match.group("name")))
        )
    )


def defined_by_name(candidate: Candidate, question: Question, known_as: frozenset[str]) -> float:
    """Asked what a thing is, how a sentence defining something weighs by the name it defines (``known_as``, see
    ``names_known_as``): another name of the thing asked defines it ("Reactive maintenance means fixing a machine after
    it breaks." for "... 'run to failure'. what does that mean"); a thing of another name, in a section not headed by
    any of them, is beside the point ("A shift huddle is a short stand-up meeting ..." for "my plant manager keeps
    talking about 'tier meetings'. what are those?"). A definition by the name asked is weighed by ``score``."""
    names = defined_names(candidate.text)
    # ... as is one by a word of it that "means" something: "Green usually means running, yellow means a warning ..."
    if not names or any(name & question.focus_terms for name in names) or defines(candidate, question):
        return 0.0
    if any(name & known_as for name in names):
        return DEFINES_WEIGHT
    return 0.0 if known_as & heading_terms(candidate.section[1]) else -DEFINES_PENALTY


def type_match(intent: Intent, text: str) -> float:
    """How well the sentence holds the kind of fact the intent asks for (0..1)."""
    if intent is Intent.AMOUNT:  # a year is a date, not an amount ("In 2023 CESMII set a target for 2030")
        return 1.0 if _NUMBER.search(_CODE_NAME.sub(" ", _YEAR.sub(" ", text))) else 0.0
    if intent is Intent.TIME:
        return 1.0 if _TIME_SPAN.search(text) else 0.5 if _STRETCH.search(text) else 0.0
    if intent is Intent.WHO:
        return (0.5 if names_role(text) else 0.0) + (0.5 if _TELL.search(text) else 0.0)
    if intent is Intent.COMPARISON:
        return 1.0 if _CONTRAST.search(text) else 0.0
    if intent is Intent.WHY:
        return 1.0 if _CAUSE.search(text) else 0.0
    if intent is Intent.YESNO:  # "Report every near miss, ..." answers "do i need to report that?"
        return 1.0 if _POLAR.search(text) or directs(text) else 0.0
    if intent is Intent.LIST:
        return 1.0 if _ENUMERATION.search(text) else 0.0
    if intent in (Intent.PROCEDURE, Intent.ADVICE):  # "Network segmentation is ..." names, not tells
        if _ADVISES.match(text):  # "Managers should address monitoring fears openly before ..."
            return 1.0
        return 1.0 if _IMPERATIVE.match(text) and not _STATIVE.match(text) and not _DEFINING.match(text) else 0.0
    return 0.0


def sets_apart(question: Question, text: str) -> float:
    """Asked whether a thing is merely another ("is that just a fancy 3d model or what"), the sentence sets the two
    apart ("Staying in sync with the real asset is what separates a digital twin from an ordinary 3D model ..."): 0
    or 1."""
    return type_match(Intent.COMPARISON, text) if question.asks_if_merely else 0.0


def does_the_act(question: Question, candidate: Candidate) -> bool:
    """Asked who does a thing ("who has to sign off on those baseline numbers?"), the sentence names a role doing it
    ("... and operations and finance sign the baseline off"), told in the words asked: as whom to tell, it answers."""
    if question.intent is not Intent.WHO or not names_role(candidate.text):
        return False
    roles = frozenset(terms(" ".join(m.group(0) for m in _ROLE.finditer(candidate.text))))
    return len(question.act_terms & candidate.terms - roles) >= MIN_WHETHER_TERMS  # the act, not the role


def says_who(text: str, whom: bool) -> bool:
    """The sentence answers a "who" question: asked whom to go to or tell, a role and the telling ("Tell your lead
    ..."); asked who does a thing ("who signs off?"), a role named."""
    return type_match(Intent.WHO, text) >= 1 if whom else names_role(text)


def holds_fact(question: Question, candidate: Candidate, lead: Candidate) -> bool:
    """The sentence holds the kind of fact asked for. Asked who takes part in or does a thing, not whom to tell
    ("Who should we pull into the session when we score our readiness?"), the roles its document names answer."""
    if question.intent is Intent.WHO and candidate.section[0] == lead.section[0]:
        return says_who(candidate.text, question.asks_whom)
    return type_match(question.intent, candidate.text) >= 1 and says_how_often(question, candidate.text)


def answers_too(also: Intent, question: Question, text: str) -> bool:
    """The sentence gives the kind of fact a second question asks for: asked how long as well, a length, as "Meet at
    the same time and place every day" says how often."""
    if also is Intent.TIME and not question.asks_how_often:
        return bool(_DURATION.search(text))
    if also is Intent.WHO:  # "also who's supposed to sign off": a role names who
        return says_who(text, question.asks_whom_too)
    return type_match(also, text) >= 1


def says_how_often(question: Question, text: str) -> bool:
    """The sentence gives a frequency, where how often is asked; asked how long, a frequency alone is no length
    ("Over time, the huddle helps the team use data every day." for "how long should it go"); any sentence does
    where neither is asked."""
    if question.asks_how_often:
        return bool(_FREQUENCY.search(text))
    if question.asks_how_long:
        return not _FREQUENCY.search(text) or bool(_DURATION.search(text))
    return True


def speaks_of_money(candidate: Candidate) -> bool:
    """The sentence gives a sum or says what costs, is paid or funded: asked what they charge, "The network
    includes 51 centers ..." counts the wrong thing."""
    return bool(_MONEY_FIGURE.search(candidate.text) or money_terms(candidate.text, candidate.terms))


def prices(candidate: Candidate, in_dollars: bool = False) -> bool:
    """The sentence gives a sum, or a share of one ("Federal funds cover about half the cost") unless the sum is asked
    ``in_dollars``: asked what to expect to pay, "A complete budget covers six categories" counts kinds of cost, and
    prices nothing."""
    if _MONEY_FIGURE.search(candidate.text):
        return True
    return not in_dollars and bool(
        money_terms(candidate.text, candidate.terms) and _SHARE_OR_SUM.search(candidate.text)
    )


# "Ask what each sensor measures, ...", "When a vendor quotes a figure, ask three questions: ...", "When evaluating a
# historian, ask how long data is kept, ..."
_TELLS_WHAT_TO_ASK = re.compile(
    r"^(?:[^,]+,\s*)?ask (?:(?:\w+ ){0,2}questions?|what|whether|how|who|which|if)\b", re.IGNORECASE
)


def names_questions_asked(question: Question, candidate: Candidate) -> bool:
    """Asked what to ask someone, the sentence says what to ask: not "Go to your supervisor or lead when: ..." for
    "what should i actually ask my supervisor"; any sentence where that is not asked. (The questions a list gives
    to ask are no candidates: a sentence ending in "?" is read as a heading.)"""
    return not question.asks_what_to_ask or bool(_TELLS_WHAT_TO_ASK.search(candidate.text))


def names_people_asked(question: Question, text: str) -> bool:
    """Asked who takes part, the sentence names people: not "The assessment covers six areas: data, ..." for "who
    should be in the room when we score it"; any sentence where people are not asked for."""
    return not question.asks_who_takes_part or names_role(text)


def names_role(text: str) -> bool:
    """The sentence names a person or body by role, at its start too ("Managers may see ..."); "IT" and "HR" only
    in capitals, as "it" is a pronoun."""
    return bool(_ROLE.search(text) or _ROLE.search(text[:1].lower() + text[1:]))


def directs(text: str) -> bool:
    """The sentence tells the reader what to do, if need be under a condition ("If a safeguard is in the way,
    tell your supervisor")."""
    return bool(_DIRECTS.match(text))


def tells_what_to_do(text: str) -> bool:
    """The sentence directs the reader to a step, not only away from one ("Never bypass ... a safety device."
    says what not to do)."""
    return directs(text) and not _FORBIDS.match(text)


def condition_met(text: str, question_terms: frozenset[str], named_before: bool = False) -> float:
    """How much of a sentence's condition ("If you already clicked, ...") the question says of the asker's
    case ("i clicked a link ..."), 0..1; 0 for a sentence that sets none. ``named_before``: the question names
    its subject by "it" ("what if it fails?")."""
    match = _CONDITION.match(text)
    condition = [t for t in _term_sequence(match.group(1)) if t not in _WHEN_WORDS] if match else []
    wanted = frozenset(condition)
    met = overlap(wanted, question_terms)
    if len(wanted) == 2 and named_before and condition[-1] in question_terms:
        return 1.0  # "If the part fails" for "what if it fails?" after the first-piece check: "it" is the part
    # a condition of two words is one thing that happened ("If the part fails"): half of it is not the asker's case
    return met if len(wanted) > 2 or met == 1 else 0.0


def says_what_to_do_now(candidate: Candidate, question_terms: frozenset[str], question: Question) -> bool:
    """A step under a condition the asker has told of ("If the part fails, stop and fix the cause first.")."""
    return directs(candidate.text) and condition_met(candidate.text, question_terms, question.names_it) > 0


def overlap(wanted: frozenset[str], have: frozenset[str]) -> float:
    return len(wanted & have) / len(wanted) if wanted else 0.0


def relevance(candidate: Candidate, question_terms: frozenset[str], similarity: float | None = None) -> float:
    """How well the sentence matches the question's words and meaning, before any structure:
    the confidence that abstention is calibrated on (``similarity``: to another query than the question's)."""
    similarity = candidate.similarity if similarity is None else similarity
    return similarity + OVERLAP_WEIGHT * overlap(question_terms, candidate.terms) - RANK_WEIGHT * candidate.rank


def score(
    candidate: Candidate,
    question_terms: frozenset[str],
    question: Question,
    cases: Collection[tuple[str, str]] = (),
) -> float:
    """How good a lead the sentence makes, wherever it sits in its section (``cases``: the sections working the
    asker's very case, ``worked_cases``)."""
    value = relevance(candidate, question_terms)
    value += KEY_WEIGHT * overlap(question.key_terms, candidate.terms)
    if question.asks_to_calculate and _FORMULA.search(candidate.text):  # the way to work it out, asked how
        value += FORMULA_WEIGHT
    if question.intent is Intent.OTHER:  # no kind of answer asked for to go by
        value += ASKING_WEIGHT * overlap(question.asked_key_terms, candidate.terms)
    # an item is read under its lead-in: "Good reasons to contact quality include: Scrap that is suddenly higher"
    # says who to go to about that scrap
    kind = Intent.AMOUNT if question.judges_a_figure else question.intent
    holds = type_match(kind, under_lead_in(candidate) if kind is Intent.WHO else candidate.text)
    holds *= not question.judges_a_figure or sets_a_bar(candidate.text)
    holds *= (not question.asks_money or speaks_of_money(candidate)) and says_how_often(question, candidate.text)
    # asked whether it costs anything, a share of the cost paid says ("... many of its services come with a cost
    # share"); what it offers does not
    priced = question.asks_whether_paid and prices(candidate)
    holds *= not question.asks_whether_paid or priced
    holds *= names_people_asked(question, candidate.text)
    asks = names_questions_asked(question, candidate)
    holds *= asks
    if question.intent is Intent.WHY and candidate.item and not type_match(Intent.WHY, candidate.lead_in):
        holds = 0.0  # an example's own reason ("Temperature sensors ..., because many parts get hot") is no answer
    if question.intent is Intent.COMPARISON and len(question.focus) == 2:
        # a contrast answers when it sets the two asked side by side ("OT security puts ..., while IT security ...")
        first, second = question.focus
        holds *= names_side(candidate, first, second) and names_side(candidate, second, first)
    holds = max(holds, sets_apart(question, candidate.text), float(does_the_act(question, candidate)))
    if question.intent in (Intent.PROCEDURE, Intent.ADVICE):  # a step under the asker's own case: "When OEE or
        # another KPI jumps suddenly, ask what changed on the floor ..." for "OEE jumped from 58 to 67 ... what
        # should I check"
        holds = max(holds, float(says_what_to_do_now(candidate, question_terms, question)))
    picks = picks_option(candidate, question)
    holds = max(holds, picks)
    value += (REASON_WEIGHT if question.intent is Intent.WHY else TYPE_WEIGHT) * holds
    value += HEADING_WEIGHT * candidate.heading_match
    if question.asks_what_to_ask:
        value += QUESTIONS_WEIGHT if asks else -QUESTIONS_WEIGHT
    if question.intent in CASE_INTENTS:
        value += CONDITION_WEIGHT * condition_met(candidate.text, question_terms)
        asked = overlap(question.asked_terms, candidate.terms)
        # ... a sentence pricing it speaks to "or is it free?" in other words: "... come with a cost share"
        asked = 1.0 if priced else asked
        value += ASKED_WEIGHT * asked * holds
        if question.intent is Intent.YESNO and not question.asked_terms and directs(candidate.text):
            # "... wrote the login on a sticky note and stuck it on the hmi. thats fine right": what is asked about
            # is the scene, and the rule for it answers ("Do not write passwords on sticky notes on the machine.")
            value += ASKED_WEIGHT * overlap(candidate.terms, question.scene_terms)
        # a step under the asker's own case names the scene to say what to do in it: "If the version on the screen
        # does not match the version on the traveler ..., stop and ask ..." for "Rev C on the screen, Rev B on the
        # traveler. which one do i go with"
        told_what_to_do = says_what_to_do_now(candidate, question_terms, question)
        named = names_the_told(candidate, question)  # what the asker saw, named, answers whether it is right
        value += ASKED_WEIGHT * named
        value -= (
            SCENE_PENALTY * tells_scene_back(candidate, question) * (not picks and not told_what_to_do and not named)
        )
    if question.after_the_fact and directs(candidate.text):
        value += AFTER_THE_FACT_WEIGHT * condition_met(candidate.text, question_terms, question.names_it)
    # defined by the name asked, or its short name ("Mean time to repair (MTTR) is ..." for "and MTTR?")
    if question.intent is Intent.DEFINITION and (
        defines(candidate, question) or defines_one_of(candidate, question.focus_terms)
    ):
        # ... though asked what a part of a thing means ("the red light on the andon"), what the thing is is beside
        # the point
        value += -DEFINES_PENALTY if question.part_terms else DEFINES_WEIGHT
    elif beside_the_thing_defined(candidate, question):
        value -= DEFINES_PENALTY
    if question.intent in NOT_DEFINITIONS and (
        defines(candidate, question, only=True) or defines_told(candidate, question)
    ):
        value -= DEFINES_PENALTY
    if leans_back(candidate):
        value -= POINTS_BACK_PENALTY
    if teases(candidate.text) or signposts(candidate.text):
        value -= TEASER_PENALTY
    # ... though said back with a "not" it answers a yes or no, first: "Productivity is not the same as working harder
    # or faster." for "does that just mean we gotta work faster??"
    if restates(candidate, question_terms):
        value += ASKED_WEIGHT if denies(candidate, question) else -RESTATES_PENALTY
    if candidate.for_other:
        value -= OTHER_AUDIENCE_PENALTY
    return value + figures_weight(candidate, question, cases)


def figures_weight(candidate: Candidate, question: Question, cases: Collection[tuple[str, str]] = ()) -> float:
    """Given figures of the asker's own case, the way to work them is what to read first, and an example's other
    figures are beside the point; unless asked whether they are good ("so 73 is that bad?? ... their line runs 90"):
    they are set against a bar the playbook sets ("An OEE above 85% is often called world class."), not against a
    figure its example works out. Where the playbook works the asker's very case (``cases``), its results
    answer, before any way to work them, and its setup only tells the asker's figures back ("..., FPY is 93 percent."
    against "The plant plans 80 minutes of stops: a 30-minute lunch, ... and a 20-minute team meeting.")."""
    if question.judges_a_figure:
        return -OTHER_FIGURES_PENALTY * bool(figures(candidate.text) and not sets_a_bar(candidate.text))
    if not (own := own_figures(question.text)):
        return 0.0
    asked = question.focus_terms - question.scene_terms
    if cases:  # of its results, the one of what is asked first: "Availability is 340 ÷ 400, which is 85%."
        # the setup tells the asker's figures back, wherever the case is worked: in one list, more of theirs than
        # its own ("The example shift: ... The machine stopped for 60 minutes, so run time is 340 minutes; The
        # ideal speed is 2 parts per minute; ...; so 588 parts were good."), ending on one of theirs, or in parts
        # worked from nothing and naming nothing asked ("During the shift, the machine has a 35-minute breakdown
        # and a 25-minute changeover." for "... whats our OEE?"; "... has 85% availability." is a result)
        held = figures(candidate.text) & own
        last = last_figure(candidate.text)
        in_ask = question.focus_terms & question.asking_terms
        # ... unless it ends on the result of what is asked, stated of it in a clause of its own: "For example, if
        # 1,000 units enter a step, 930 pass first time, 50 are reworked and 20 are scrapped, FPY is 93 percent."
        ends_on_result = (
            bool(last) and last not in own and bool(in_ask & _stated_of(candidate.text.rsplit(", ", 1)[-1]))
        )
        sets_out = holds_case(held, own) or len(held) >= CASE_FIGURES and len(held) > len(figures(candidate.text) - own)
        if sets_out and not ends_on_result:
            return -OTHER_FIGURES_PENALTY
        if candidate.section not in cases or not last:
            return 0.0
        asked_now = asked | question.asking_terms
        if last in own or not (_WORKED_OUT.search(candidate.text) or asked_now & candidate.terms):
            return -OTHER_FIGURES_PENALTY
        # asked in so many words ("whats performance?"), though told of too ("the performance part of OEE"), not
        # a thing only told of ("ideal cycle is 1 min a part"); stated of in the clause giving the result ("...
        # 680 parts, so Performance is 646 / 680, which is 95%.")
        result = _RESULT_CLAUSE.split(candidate.text)[-1]
        return FORMULA_WEIGHT + ASKED_RESULT_WEIGHT * bool(ends_on_result or in_ask & _stated_of(result))
    given = figures(candidate.text)
    # the way to work what is asked: "whats our availability?" told a breakdown and a changeover is worked out by
    # "Availability = Run time ÷ Planned production time.", not by how run time is found
    # ... or under a heading or in a document naming it: "what number do i put in the business case?" is worked by
    # "Downtime becomes money through a simple chain: ..." in the business case document
    named = candidate.terms | frozenset(terms(" ".join(candidate.section)))
    works = works_figures(candidate, own) and (not asked or bool(asked & named))
    # an example's figures are its own, though its lunch of 30 minutes may be the asker's too
    example = bool(_EXAMPLE.search(candidate.section[1]))
    other = not works and (given and not given & own or (given - own or not given) and example)
    return FORMULA_WEIGHT * works - OTHER_FIGURES_PENALTY * bool(other)


def works_what_is_asked(candidate: Candidate, question: Question) -> bool:
    """Given figures of the asker's own, the sentence works out with figures of its own the measure the asking
    sentence names, and states the result: "... has a payback period of 30 months." for "... $36,000 up front and
    nets us about $1,200 a month, what's the payback?"."""
    own = own_figures(question.text)
    given = figures(candidate.text)
    if not own or len(given) < OWN_FIGURES or given & own:
        return False
    asked = question.asking_terms - FRAME_WORDS
    # the result is of what the words just before its last figure name: "has a quality rate of 97 percent" (figures
    # read as ``figures`` reads them: "Press 4" names a press)
    measured = _NOT_MEASURES.sub(" ", candidate.text)
    last = list(_FIGURE.finditer(measured))[-1]
    result_of = frozenset(terms(" ".join(measured[: last.start()].split()[-RESULT_WORDS:])))
    return bool(asked & result_of)


def sets_a_bar(text: str) -> bool:
    """It sets a figure as a bar to reach or stay under: "An OEE above 85% is often called world class."."""
    return bool(_BAR.search(text)) and bool(figures(text))


def last_figure(text: str) -> str:
    """The last figure a sentence gives, where a worked example states its result ("" when it gives none)."""
    found = figures_in_order(text)
    return found[-1] if found else ""


def worked_cases(candidates: Sequence[Candidate], own: frozenset[str]) -> set[tuple[str, str]]:
    """The sections whose example is the asker's very case: they hold most of the asker's own figures ("480 min
    shift, ... a 35 min breakdown and a 25 min changeover" is the worked example's shift)."""
    held: dict[tuple[str, str], set[str]] = {}
    for c in candidates:
        held.setdefault(c.section, set()).update(figures(c.text) & own)
    return {s for s, f in held.items() if holds_case(f, own)}


def holds_case(held: Collection[str], own: frozenset[str]) -> bool:
    """The asker's figures held (``held``) are nearly all of them (``own``): the asker's very case."""
    return len(held) >= CASE_FIGURES and len(held) >= CASE_SHARE * len(own)


def says_whether(asked: frozenset[str], candidate: Candidate) -> bool:
    """The sentence speaks to a second question asked yes or no, by most of its terms and two at least ("Minor stops
    ... count against OEE performance" to "and does it even count against our oee"): one common word ("do i just
    pick a number?") is no sign."""
    shared = len(asked & candidate.terms)
    return shared >= MIN_WHETHER_TERMS and shared / len(asked) >= WHETHER_SHARE


def names_side(candidate: Candidate, side: str, other: str) -> bool:
    """The sentence names one side of a comparison: by the terms that tell it from the other side, or by its
    name where it has none ("IT security" beside "OT security": "it" is a stop word)."""
    own = frozenset(_term_sequence(side)) - frozenset(_term_sequence(other))
    return own <= candidate.terms if own else normalize(side) in normalize(candidate.text)


def picks_option(candidate: Candidate, question: Question) -> bool:
    """Asked to choose between two things for the situation told, the sentence names that situation and one of the
    two, not the other: "If a machine stopped because the bar feeder ran out of stock, the cause is material, ..."
    answers "the bar feeder ran out of stock ... do i code that as material or changeover??". One naming only an
    option ("Planned downtime is time ...") defines it, and picks nothing."""
    return len(question.options & candidate.terms) == 1 and bool(question.scene_terms & candidate.terms)


def works_out(text: str, measure: frozenset[str]) -> bool:
    """The sentence gives the way to work out the measure it is about: "MTBF is calculated as total operating time
    divided by the number of failures", not "A common approximation of availability is MTBF divided by ..."."""
    return measure <= _stated_of(text) and bool(_FORMULA.search(text))


def works_figures(candidate: Candidate, own: frozenset[str]) -> bool:
    """The sentence gives the way to work the asker's own figures, in words ("Availability = Run time ÷ Planned
    production time."), or works the very same figures."""
    given = figures(candidate.text)
    shared = len(given & own)
    # ... the very same figures, and few of its own ("... ran 1,200 hours and failed 6 times has an MTBF of 200
    # hours."), not an example's whole setup that happens to share two ("Planned production time is 400 minutes;
    # The machine stopped for 60 minutes, ...; The machine made 646 parts in total; ..."). The way may come before
    # an example of its own: "... is MTBF divided by the sum of MTBF and MTTR; with an MTBF of 200 hours ..."
    return any(not figures(clause) - own and _FORMULA.search(clause) for clause in candidate.text.split(";")) or bool(
        shared >= OWN_FIGURES and len(given - own) <= shared
    )


def asks_worked(question: Question, candidates: Sequence[Candidate]) -> bool:
    """Given figures of their own, the asker asks them worked: the way to work what is asked is at hand
    ("Availability = Run time ÷ Planned production time."), not only figures told ("step 6 says 12 Nm but the
    drawing says 15 Nm", "put 80 instead of 8")."""
    return bool(own_figures(question.text)) and any(
        question.focus_terms & c.terms and _FORMULA.search(c.text) for c in candidates
    )


# A figure the asker guesses at, asked as a clause of its own: "what percent contingency ...? 10%? 20%?", "how often
# do the gauges need to get calibrated here, every 6 months?"
GUESSED = re.compile(
    r"(?:^|(?<=[?.!,;]))\s*(?:(?:like|maybe|or|say|every|about|around|roughly)\s+)?[$£€]?\d[\d.,]*\s*"
    r"(?:%|[a-z]+)?\s*\?",
    re.IGNORECASE,
)


def own_figures(question: str) -> frozenset[str]:
    """The figures a question gives of the asker's own case ("planned 4800 minutes and lost 600"), none where it
    gives fewer than ``OWN_FIGURES``; figures it only guesses at ("10%? 20%?") are none of its own."""
    given = figures(GUESSED.sub(" ", question))
    return given if len(given) >= OWN_FIGURES else frozenset()


@lru_cache(maxsize=8192)  # the question's own are read again for every sentence scored
def figures(text: str) -> frozenset[str]:
    """The figures a text counts or measures with (``figures_in_order``), as a set."""
    return frozenset(figures_in_order(text))


def figures_in_order(text: str) -> list[str]:
    """The figures a text counts or measures with, in its order, written without thousands separators: years, clock
    times and numbers naming a place or a stage ("Press 4", "step 6", "level 3") left out."""
    return [f.replace(",", "") for f in _FIGURE.findall(_NOT_MEASURES.sub(" ", text))]


def tells_scene_back(candidate: Candidate, question: Question) -> float:
    """How much the sentence only tells the asker's situation back: the share of its terms that are the scene's
    (0..1), or 0 where it says what was asked or what to do. An item is read under its lead-in ("Good reasons
    to contact quality include: A gauge ... overdue for calibration" says who; "Watch for these warning signs:
    The message pushes you to act fast" says what to do)."""
    if (
        question.asks_of_the_scene
        or type_match(question.intent, under_lead_in(candidate))
        or sets_apart(question, candidate.text)
        or any(type_match(Intent.PROCEDURE, text) for text in (candidate.lead_in, candidate.text))
    ):
        return 0.0
    return overlap(candidate.terms, question.scene_terms)


def under_lead_in(candidate: Candidate) -> str:
    """The sentence as read under its list's lead-in: "Good reasons to contact quality include: A gauge ..."."""
    return f"{candidate.lead_in} {candidate.text}" if candidate.lead_in else candidate.text


def read_once(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Each list item once, where more of its list is read: passages overlap, and a list's last step opening
    the next passage alone must not lead in place of the whole list. A list read on from a passage that
    starts inside it takes the lead-in its copy elsewhere was read under ("A useful scorecard covers:"): it is
    the same list, read on (``siblings``)."""
    read = Counter((c.passage, c.lead_in) for c in candidates if c.item)
    copies: dict[tuple[str, str], list[Candidate]] = {}
    for c in candidates:
        if c.item:
            copies.setdefault((c.section[0], c.text), []).append(c)
    # a list without its lead-in (its passage starts inside it): the one a copy of any of its items was read under
    lead_ins: dict[tuple[int, str], str] = {}
    for c in candidates:
        if (
            c.item
            and not c.lead_in
            and (under := next((o.lead_in for o in copies[(c.section[0], c.text)] if o.lead_in), ""))
        ):
            lead_ins.setdefault((c.passage, ""), under)

    def most_read(c: Candidate) -> bool:
        """Its copy is in the passage that reads most of its list; of two reading as much, the one under its
        lead-in (the other starts inside the list, and reads on from it)."""
        mine = read[(c.passage, c.lead_in)]
        return all(
            mine > (theirs := read[(o.passage, o.lead_in)]) or mine == theirs and (bool(c.lead_in) or not o.lead_in)
            for o in copies[(c.section[0], c.text)]
            if o is not c
        )

    return [
        replace(c, lead_in=lead_ins.get((c.passage, ""), "")) if c.item and not c.lead_in else c
        for c in candidates
        if not c.item or most_read(c)
    ]


def continuations(candidates: Sequence[Candidate]) -> dict[tuple[tuple[str, str], str], Candidate]:
    """The sentence after each sentence, by its section and text, in whichever passage reads on from it: passages
    overlap, so a list ending one passage goes on in the next ("Only people who are trained ... should perform
    lockout." after the last LOTO step). Items, whose copies ``read_once`` drops, are left out."""
    at = {(c.passage, c.index): c for c in candidates}
    return {
        (c.section, before.text): c
        for c in candidates
        if not c.item and c.previous is not None and (before := at.get((c.passage, c.previous))) is not None
    }


def lists(candidates: Sequence[Candidate]) -> dict[Candidate, Candidate]:
    """Each list item with the first item of its list: consecutive items of one passage, or under one lead-in of
    its section in the passages it runs over."""
    at = {(c.passage, c.index): c for c in candidates}
    first: dict[Candidate, Candidate] = {}
    heads: dict[tuple[tuple[str, str], str] | None, Candidate] = {}
    for c in sorted(candidates, key=lambda c: c.place):
        if c.item and c.lead_in:
            first[c] = heads.setdefault(list_of(c), c)
        elif c.item:
            before = at.get((c.passage, c.previous)) if c.previous is not None else None
            first[c] = first[before] if before is not None and siblings(before, c) else c
    return first


def heading_answers(
    candidates: Sequence[Candidate], question: Question, scores: dict[Candidate, float]
) -> list[Candidate]:
    """The sentence each section answers its heading with: its opening, as the playbook answers first.
    Asked for a kind of fact (an amount, a time, a person, several things, a reason), it is the best-scored
    sentence of the section holding one when the opening does not ("A shift huddle is a short stand-up
    meeting." answers no "how long"); a section that names no person answers no "who"."""
    sections: dict[tuple[str, str], list[Candidate]] = {}
    for c in candidates:
        sections.setdefault(c.section, []).append(c)
    answering = []
    own = own_figures(question.text)
    for (_, heading), sentences in sections.items():
        opening = next((c for c in sentences if c.opening), None)
        if opening is None or (
            (question.intent in (Intent.PROCEDURE, Intent.ADVICE) or question.asks_why)
            and not heading.rstrip().endswith("?")
        ):
            continue  # a section headed by a term (a glossary entry) opens with what it is: no how-to, advice or reason
        if question.intent in FACT_INTENTS and type_match(question.intent, opening.text) < 1:
            # given the asker's own figures, an example's alone answer nothing of theirs ("The machine is down for 60
            # minutes." for "... our press ran 380 of the 420 min ... whats our availability??"), nor do theirs told
            # back ("A machine is planned to run 400 minutes."): a result worked from theirs does
            holding = [
                c
                for c in sentences
                if (type_match(question.intent, c.text) >= 1 or does_the_act(question, c))
                and says_how_often(question, c.text)
                and (question.intent not in TYPED_INTENTS or not own or figures(c.text) & own and figures(c.text) - own)
            ]
            opening = max(holding, key=lambda c: scores[c], default=opening)
        if question.intent is Intent.YESNO and question.asked_terms and not opening.terms & question.asked_terms:
            # asked whether to do a thing ("should i just reboot it?"), the section answers by the sentence naming it
            # ("Do not turn off, restart or reboot ..."), where its opening does not ("Report anything that seems odd")
            naming = [c for c in sentences if c.terms & question.asked_terms and directs(c.text)]
            opening = max(naming, key=lambda c: scores[c], default=opening)
        elif (
            question.intent is Intent.YESNO
            and intent_of(heading) is Intent.PROCEDURE
            and not type_match(Intent.YESNO, opening.text)
        ):
            # ... and a section on how to do a thing by the sentence saying no, or what to do, of what the asking
            # sentence names, where the opening says neither: "do those still count as good parts in our OEE quality
            # number?" is answered by "A part that had to be reworked does not count as good in OEE, ...", not by the
            # way to calculate quality that opens "How do I calculate quality?"
            asking = question.asked_terms or question.asking_terms
            saying = [
                c
                for c in sentences
                if c.terms & asking and (negates(c.text) or directs(c.text)) and scores[c] > scores[opening]
            ]
            opening = max(saying, key=lambda c: scores[c], default=opening)
        # ... and an opening telling the way to work them answers what they come to
        works = bool(own) and works_figures(opening, own)
        if question.intent in (Intent.WHO, *TYPED_INTENTS) and not (type_match(question.intent, opening.text) or works):
            continue  # a section that names nobody answers no "who", one giving no time or amount no "how long"
        answering.append(opening)
    return answering


def lead_scores(
    candidates: Sequence[Candidate],
    question_terms: frozenset[str],
    question: Question,
    first: dict[Candidate, Candidate],
    cases: Collection[tuple[str, str]] = (),
    worked: bool = False,
) -> dict[Candidate, float]:
    """Each sentence's score as a lead (``cases``: the sections working the asker's very case, ``worked_cases``;
    ``worked``: the asker's figures are asked worked, ``asks_worked``, so no list answers whole).
    Steps, advice and enumerations are answered by a whole list: its items (``first``: each with its list's first
    item) share the best item's score, so the list leads from its first item."""
    scores = {c: score(c, question_terms, question, cases) for c in candidates}
    for c in heading_answers(candidates, question, scores):
        scores[c] += OPENING_WEIGHT * c.heading_match
    if question.intent is Intent.DEFINITION and question.focus_terms:  # what is defined, by its names
        known_as = names_known_as(question.focus_terms, candidates)
        for c in candidates:
            scores[c] += defined_by_name(c, question, known_as)
    # a sentence announcing the next one without counting anything ("A useful test for any alert is simple.") names
    # what that one tells: "An alert should tell a specific person to take a specific action." answers "whats the
    # test for whether an alert deserves to exist" as well as the announcement matches it
    # ... unless asked what a thing is, and a sentence says so: "Speed monitoring means sensors track how close a
    # person is." leads "What is speed monitoring?", not what "works like this." announces
    defined = question.intent is Intent.DEFINITION and any(defines(c, question, only=True) for c in candidates)
    following = continuations(candidates) if not defined else {}
    for c in candidates:
        announced = following.get((c.section, c.text)) if _ANNOUNCES.search(c.text) else None
        if announced is not None and not announced.item and not c.ends_paragraph:
            scores[announced] = max(scores[announced], scores[c] + TEASER_PENALTY)
    # asked to work figures of their own, no list answers whole: not the huddle's ("Look at OEE and its three parts:
    # ...") nor the example's math for "how do I work out availability? ... 400 min ... down for about 60"
    if question.intent in LIST_INTENTS and not question.after_the_fact and not worked:
        best: dict[Candidate, float] = {}
        for item, head in first.items():
            best[head] = max(best.get(head, scores[item]), scores[item])
        for item, head in first.items():  # the other role's steps are not the asker's to take
            scores[item] = best[head] + (0.0 if item.for_other else LIST_WEIGHT)
        if question.intent is Intent.LIST:  # "A huddle goes over four things, in this order: ..." lists them in prose
            # ... of people where people are asked for
            for c in candidates:
                if c not in first and not c.for_other and ": " in c.text and type_match(Intent.LIST, c.text) >= 1:
                    scores[c] += LIST_WEIGHT * names_people_asked(question, c.text)
    return scores


def term_containment(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the shorter sentence's terms found in the other (0 when it has too few to judge)."""
    shorter = min(len(a), len(b))
    return len(a & b) / shorter if shorter >= MIN_SHARED_TERMS else 0.0


@lru_cache(maxsize=8192)
def _term_sequence(text: str) -> tuple[str, ...]:
    return tuple(terms(text))


def _definition_of(text: str) -> str:
    """What a definition proper defines ("Pilot purgatory is the state ..."), in lower case; "" for any other
    sentence."""
    match = _DEFINITION.match(text) or _DEFINITION_BY_KIND.match(text)
    return match.group("subject").casefold() if match else ""


def _stated_of(text: str) -> frozenset[str]:
    """The terms of what a sentence says something of, when it opens by naming it ("Unplanned downtime is ...")."""
    match = _STATED.match(text)
    return frozenset(_term_sequence(match.group("subject"))) if match else frozenset()  # "the", "a": stop words


def opens_with(text: str, subject: str) -> bool:
    """The sentence is about ``subject`` from its first word ("Preventive maintenance is ...", "A lagging
    indicator ..."), not merely naming it ("If the leading indicators improve ...")."""
    body = _ARTICLE.sub("", text)
    wanted = _term_sequence(subject)
    return bool(wanted) and bool(terms(body.split(maxsplit=1)[0])) and _term_sequence(body)[: len(wanted)] == wanted


def says_same(a: str, b: str) -> bool:
    """Two sentences state the same thing, across the glossary and the documents: mostly the same terms,
    two definitions of one thing ("Pilot purgatory is the state ...", "Pilot purgatory is the situation ..."),
    a run of terms in common ("OT security puts availability and integrity first"), or the same numbers
    said of the same things ("announced ... on 20 June 2016")."""
    sequence_a, sequence_b = _term_sequence(a), _term_sequence(b)
    terms_a, terms_b = frozenset(sequence_a), frozenset(sequence_b)
    subject_a, subject_b = _stated_of(a), _stated_of(b)
    if subject_a & subject_b and not (subject_a <= subject_b or subject_b <= subject_a):
        return False  # "Planned downtime is ...", "Unplanned downtime is ...": two kinds of one thing, in words alike
    if (
        subject_a
        and subject_b
        and not subject_a & terms_b
        and not subject_b & terms_a
        and _FORMULA.search(a)
        and _FORMULA.search(b)
    ):
        return False  # "MTBF is calculated as ... divided by ...", "MTTR is calculated as ...": two measures' ways,
        # each naming only its own
    # ... though two measures worked from the same figures say two things: "... FPY is 93 percent." and "With 20 of
    # 1,000 units scrapped, as in the FPY example, the scrap rate is 2 percent." (two MTBFs worked say one)
    worked = {result_named(a), result_named(b)}
    if term_containment(terms_a, terms_b) >= DUPLICATE_OVERLAP and (len(worked) == 1 or frozenset() in worked):
        return True
    subject = _definition_of(a)
    if subject and subject == _definition_of(b):
        return True
    numbers_a, numbers_b = said_amounts(a), said_amounts(b)
    fewer, more = sorted((numbers_a, numbers_b), key=len)
    named = {t for t in terms_a | terms_b if t.isdigit()}  # "isa" and "95" are terms of "ISA-95": none in common
    if fewer and fewer <= more and len((terms_a & terms_b) - named) >= SAME_NUMBER_TERMS:
        return True
    runs = {sequence_a[i : i + SHARED_RUN] for i in range(len(sequence_a) - SHARED_RUN + 1)}
    return any(sequence_b[i : i + SHARED_RUN] in runs for i in range(len(sequence_b) - SHARED_RUN + 1))


_RESULT_NAMED = re.compile(r"(\w+(?:\s\w+)?)\s+(?:is|are|was|of)\s+(?:about\s+|roughly\s+|around\s+)?(?=\d)")


def result_named(text: str) -> frozenset[str]:
    """The measure whose value the sentence states last ("the scrap rate is 2 percent": scrap rate; "has an MTBF of
    150 hours": MTBF), none where it states none."""
    found = _RESULT_NAMED.findall(text)
    return frozenset(terms(found[-1])) if found else frozenset()


def said_amounts(text: str) -> set[str]:
    """The figures and fractions a sentence states ("20 June 2016", "about half"), as written; a number naming a
    stage is no amount ("the tasks for week 2", "the targets set in week 2")."""
    text = _LABEL.sub(" ", text)
    return {*_FIGURE.findall(text), *(f.lower() for f in _FRACTION.findall(text))}


def siblings(a: Candidate, b: Candidate) -> bool:
    """Items of one list: separate points by the author's own layout, however alike their words."""
    # one list by ``list_of`` runs over passages under its lead-in; items without one are one list within a passage
    return a.item and list_of(a) == list_of(b) and (bool(a.lead_in) or a.passage == b.passage)


def repeats(candidate: Candidate, chosen: Sequence[Candidate]) -> bool:
    """Says what a chosen sentence already says: the same words, nearly the same meaning elsewhere,
    or the same thing in other words (``says_same``)."""
    for other in chosen:
        if candidate.text == other.text:
            return True
        if siblings(candidate, other):
            continue
        if candidate.passage != other.passage and float(candidate.vector @ other.vector) > DUPLICATE_COSINE:
            return True
        if says_same(candidate.text, other.text):
            return True
    return False


def compose(
    candidates: Sequence[Candidate],
    question: Question,
    question_terms: frozenset[str],
    limit: int,
    said: Sequence[str] = (),
    parts: Sequence[tuple[str, np.ndarray]] = (),
) -> list[Candidate]:
    """The sentences of the answer, lead first: at most ``limit``, besides the items of a list that answers.

    The lead is the best-scored sentence (with the sentence it points back to, if any). It reads on
    into the sentence after it; a list that answers (steps, advice, several things asked for) is shown
    whole, beyond the limit, as stopping halfway through a procedure is unsafe. Then the sentences about
    as relevant as the best one join from anywhere; any room left goes to the sentences that follow
    those already chosen, as the playbook tends to state a point and explain it next. A follow-up's support leaves
    out what the last answer already said (``said``: its sentences). Where the question asks several things
    (``parts``: each one's text and vector), each is answered by a sentence near the nearest to it.
    """
    candidates = [on_its_own(c) for c in candidates]
    continues = continuations(candidates)
    candidates = [c for c in read_once(candidates) if not points_by_position(c.text)]
    if not candidates or limit < 1:
        return []
    first = lists(candidates)
    cases = worked_cases(candidates, own_figures(question.text))
    worked = asks_worked(question, candidates)  # no list read whole for the asker's figures worked
    scores = lead_scores(candidates, question_terms, question, first, cases, worked)

    @cache  # asked of a sentence by the lead's penalty and again by each admission
    def said_already(c: Candidate) -> bool:
        return any(says_same(c.text, earlier) for earlier in said)

    # A follow-up asks something new: a sentence the last answer said, naming nothing the asker now asks, does not
    # lead it. "who do i need on the team for it?" after which machine to pick is not led by "A good first target is a
    # critical machine ..." again, nor "should i just reboot it?" by "Things worth reporting include: A machine screen
    # ... that acts strangely"; "and how do I calculate it?" after MTBF is led by the definition saying how, and "walk
    # me through the steps" by the steps, however the last answer summed them up
    if said:
        asked_now = question.asked_terms | question.key_terms & question.asking_terms
        for c in candidates:
            if (question.intent is Intent.YESNO or not c.item) and not c.terms & asked_now and said_already(c):
                scores[c] -= SAID_PENALTY
    relevant = {c: relevance(c, question_terms) for c in candidates}
    ranked = sorted(candidates, key=lambda c: (-scores[c], c.place))
    at = {(c.passage, c.index): c for c in candidates}
    next_of = {(c.passage, c.previous): c for c in candidates if c.previous is not None}

    def before(c: Candidate) -> Candidate | None:
        return at.get((c.passage, c.previous)) if c.previous is not None else None

    ends: set[Candidate] = set()  # sentences not read on from

    def reads_on(c: Candidate) -> Candidate | None:
        """The sentence after it, as the explanation that follows, unless it only points elsewhere."""
        after = next_of.get((c.passage, c.index)) or continues.get((c.section, c.text))
        return None if after is None or c in ends or signposts(after.text) or points_by_position(after.text) else after

    chosen: list[Candidate] = []
    listed = 0  # items of the list that answers: shown whole, beyond the sentence limit
    second_answers = 0  # ... and the sentence answering a second question asked yes or no: the first's stays whole
    steps_now = False  # the lead is the playbook's step for what the asker says already happened
    steps_from: Candidate | None = None  # the step asked for leads: those before it are done, no support

    def counted() -> int:  # the sentences the limit counts
        return len(chosen) - listed - second_answers

    def admit(c: Candidate | None, whole_list: bool = False, beyond_limit: bool = False) -> bool:
        nonlocal listed, second_answers
        if c is None or c in chosen or repeats(c, chosen):
            return False
        if chosen and signposts(c.text) and not whole_list:
            return False  # "See the digital work instructions document for how to flag a wrong step.": no support
        if not whole_list and said_already(c):
            return False  # support the last answer already gave: the follow-up asks something new
        if steps_now and c.item and not whole_list:
            return False  # told it already happened: a step of the procedure for before is no next step
        if steps_from is not None and siblings(c, steps_from) and c.place < steps_from.place:
            return False  # a step before the one asked for is done
        if listed >= LIST_ITEMS_SHOWN if whole_list else counted() >= limit and not beyond_limit:
            return False
        if c.for_other and chosen and not chosen[0].for_other and not any(siblings(c, d) for d in chosen):
            return False  # answered from the asker's own documents: the other role's sentences are not for them
        if leans_back(c) and before(c) not in chosen:
            return False
        if _NEXT_STEP.match(c.text) and ((prior := before(c)) is None or not takes_a_step(prior.text)):
            return False  # "Finally, record the baseline ..." after a caution: the steps before it are not here
        if teases(c.text):  # "Four habits keep a pilot on track.": only with what it announces, next
            after = next_of.get((c.passage, c.index))
            # ... all of it, where it counts sentences of its own: "Two points deserve attention." then "First, ..."
            # alone reads as cut short; counted out in prose, they are a list, shown whole beyond the limit
            wanted = announced_count(c.text) if after is not None and not after.item else 1
            # ... and where it counts none ("a common path looks like this."), the rest of its paragraph
            uncounted = after is not None and not after.item and not _COUNTED.match(c.text)
            points: list[Candidate] = []
            following = after
            while following is not None and (
                len(points) < wanted or uncounted and not points[-1].ends_paragraph and len(points) < LIST_ITEMS_SHOWN
            ):
                points.append(following)
                following = next_of.get((following.passage, following.index))
            wanted = len(points) if uncounted else wanted
            if (
                after is None
                or len(points) < wanted
                or any(p in chosen or repeats(p, chosen) for p in points)
                or says_same(c.text, after.text)
                or counted() + 1 + (0 if wanted > 1 else len(points)) > limit
            ):
                return False
            chosen.extend((c, *points))
            listed += len(points) if wanted > 1 else 0
            return True
        chosen.append(c)
        listed += whole_list
        second_answers += beyond_limit
        return True

    def read_list(start: Candidate) -> None:
        """The list from ``start`` to its end, then what the playbook says after a whole list: steps are followed
        by who may take them and what else to watch ("Only people who are trained ... should perform lockout.")."""
        run = sorted((c for c in candidates if c is start or siblings(start, c)), key=lambda c: c.place)
        last = start
        for item in run[run.index(start) :]:
            if any(item.text == c.text for c in chosen):
                continue  # the copy of an item read in both passages that the list runs over
            if not admit(item, whole_list=True):
                return
            last = item
        if first.get(start) is start:  # a list read from partway is shown from there, then its start: no "after"
            admit(reads_on(last), whole_list=True)

    def each_side(
        sides: Sequence[str],
        covers: Callable[[Candidate, str, frozenset[str]], bool],
        pools: Callable[[frozenset[str]], tuple[list[Candidate], ...]],
    ) -> None:
        """Each side of two things asked that no sentence chosen ``covers`` gets the first sentence of the first of its
        ``pools`` holding one not said already."""
        for side in sides:
            side_terms = frozenset(terms(side))
            if not side_terms or any(covers(c, side, side_terms) for c in chosen):
                continue
            for pool in pools(side_terms):
                if admit(next((c for c in pool if not repeats(c, chosen)), None)):
                    break

    # A sentence that points back leads only with the sentence it points to ("with those team members").
    lead = next((c for c in ranked if not leans_back(c) or before(c) is not None), ranked[0])
    # ... and one that announces what follows ("works like this.") leads only when nothing about as good says it
    # outright; asked how many, "CESMII reported seven SMICs." is the answer, not an announcement
    announces = teases(lead.text) and question.intent not in TYPED_INTENTS
    standalone = next((c for c in ranked if not (leans_back(c) or (announces and teases(c.text)))), None)
    if (
        (leans_back(lead) or announces)
        and standalone is not None
        and scores[standalone] >= scores[lead] - POINTS_BACK_PENALTY
    ):
        lead = standalone  # about as good, and it needs no sentence before or after it to make sense
    if question.after_the_fact and not says_what_to_do_now(lead, question_terms, question):
        # told what happened ("what if it fails?" after the first-piece check), the section's step for that case
        # leads, not its opening on what the check is
        lead = next(
            (
                c
                for c in ranked
                if c.section == lead.section
                and directs(c.text)
                and condition_met(c.text, question_terms, question.names_it) == 1
            ),
            lead,
        )
    if (
        question.intent in LIST_INTENTS
        and lead.opening
        and not lead.item
        and type_match(question.intent, lead.text) < 1
    ):
        # "The first two weeks turn an idea into an agreed plan." sums up; the section's list is what was asked for
        # read from its start: a section running over two passages has its first items in the first
        section_items = [c for c in candidates if c.item and c.section == lead.section]
        if section_items:
            lead = first[min(section_items, key=lambda c: c.place)]
    if question.intent is Intent.WHY and lead.item and type_match(Intent.WHY, lead.lead_in):
        lead = first.get(lead, lead)  # reasons listed ("The most common causes include: ...") are read from the first
    if lead.item and question.step_asked and (step := step_asked(lead, candidates, question)) is not lead:
        lead = steps_from = step  # the steps before it are done: the answer starts after them
    pointed_at = before(lead)
    if leans_back(lead) and pointed_at is not None:
        # the sentence it points to leads, with the one that points to in turn: "From an innovation view, these
        # outcomes are ..." after "From a strict lean view, every one of these outcomes ..." after what they are
        chain = [pointed_at]
        while leans_back(chain[0]) and (earlier := before(chain[0])) is not None and earlier not in chain:
            chain.insert(0, earlier)
        chosen.extend(chain)
    elif (
        question.intent in FACT_INTENTS
        and type_match(question.intent, lead.text) < 1
        and not ((own := own_figures(question.text)) and works_figures(lead, own))
    ):
        # "A gauge that seems off." matches "who do I tell?" best, but its section says who: "Go to quality for ..."
        says = next((c for c in candidates if c.section == lead.section and c.opening), None)
        # ... not for a lead that names someone itself ("the team lead is called"), or under its lead-in ("Good
        # reasons to contact quality include:")
        named = question.intent is Intent.WHO and names_role(under_lead_in(lead))
        if question.intent in (*TYPED_INTENTS, Intent.WHO) and (
            says is None or type_match(question.intent, says.text) < 1
        ):
            # "By 2023, CESMII reported seven SMICs." answers "how many", and "Tell your lead or the person who looks
            # after the dashboard" who, wherever it sits in the section
            # ... else in another section, when nearly as good a lead ("A yellow light that is not cleared in ten
            # minutes may turn red" for "how long before it goes red", under a lead on pulling the andon)
            holding = [  # "report that right away" tells no one whom
                c
                for c in ranked
                if not named
                and holds_fact(question, c, lead)
                and not (leans_back(c) or teases(c.text) or siblings(c, lead))
            ]
            in_section = [c for c in holding if c.section == lead.section]
            margin = WHOM_MARGIN if question.intent is Intent.WHO and not says_who(lead.text, True) else TYPED_MARGIN
            nearly = [c for c in holding if scores[c] >= scores[lead] - margin]
            says = next(iter(in_section or nearly), says)
        if (
            says is not None
            and says is not lead
            and (type_match(question.intent, says.text) >= 1 or not named and holds_fact(question, says, lead))
        ):
            if says_same(says.text, lead.text):
                lead = says  # the same point, with the fact asked for: it alone leads
            else:
                chosen.append(says)
    elif (part := question.part_terms - heading_terms(lead.section[1])) and not part <= lead.terms:
        # "what does the red light on the andon mean": the section on andon lights says it in its sentence on red
        on_part = [c for c in candidates if c.section == lead.section and part <= c.terms]
        if on_part:
            chosen.append(max(on_part, key=lambda c: scores[c]))
    chosen.append(lead)
    steps_now = question.after_the_fact and says_what_to_do_now(lead, question_terms, question)
    if question.intent is Intent.COMPARISON:  # a comparison needs each side, best what it is
        # ... but one name, told before the ask, is no side ("CEO just told me I'm the 'champion' ... whats the
        # difference?")
        sides = question.focus if len(question.focus) > 1 or question.focus_terms - question.scene_terms else ()
        each_side(
            sides,
            # said what it is, or set against the other side ("X owns ..., while Y drives ...")
            lambda c, side, side_terms: (
                opens_with(c.text, side) or (side_terms <= c.terms and bool(type_match(Intent.COMPARISON, c.text)))
            ),
            # "A leading indicator is a ...", else any sentence naming it
            lambda side_terms: (
                [c for c in ranked if side_terms <= frozenset(_term_sequence(_definition_of(c.text)))],
                [c for c in ranked if side_terms <= c.terms],
            ),
        )
    elif question.asks_to_calculate and len(question.focus) == 2:  # "how do you calculate mtbf and mttr": each one's
        # way, where the lead works out only one
        each_side(
            question.focus,
            lambda c, side, side_terms: works_out(c.text, side_terms),
            lambda side_terms: ([c for c in ranked if works_out(c.text, side_terms)],),
        )
    asked_what_it_is = question.intent is Intent.DEFINITION and defines(lead, question, only=True)
    names_what_was_seen = question.intent is Intent.YESNO and names_the_told(lead, question)
    if lead.item and (asked_what_it_is or names_what_was_seen):
        ends.add(lead)  # one of several things defined in a list ("Speed and separation monitoring means ..."), asked
        # what it is or named for what the asker saw: the next items define other things
    elif lead.item and question.intent is not Intent.YESNO and not worked:
        # a list answers: all of it, in order (a yes or no is no checklist, and the asker's figures are worked by
        # the step working what is asked, not by the example's whole math)
        read_list(lead)
    else:
        if admit(after := reads_on(lead)) and chosen[-1] is after:
            # right after it, before the other side of a comparison ("Planned downtime is ... Lunch, breaks ... are
            # common examples." then "Unplanned downtime is ...")
            chosen.insert(chosen.index(lead) + 1, chosen.pop())
        # steps or several things were asked for: the lead's list, or one as good; told it already happened, what
        # the playbook says to do if it has ("If you already clicked, report that right away.") is the step
        # ... as are the things to tell someone ("When you call maintenance about a vibration, heat or power alert,
        # try to tell them: ...")
        if (question.intent in LIST_INTENTS or question.asks_what_to_tell) and not steps_now and not worked:
            # ... a list from elsewhere as good as a lead, and about what is asked: "Tell your lead right away if the
            # error could cause a safety problem" does not bring the steps for flagging an instruction to "lead keeps
            # saying we're behind takt. what is takt time and how do u figure it out"
            list_relevance: dict[Candidate, float] = {}
            for item, head in first.items():
                list_relevance[head] = max(list_relevance.get(head, 0.0), relevant[item])
            on_topic = max(relevant.values()) - SELECTION_MARGIN
            question_words = question_terms - FRAME_WORDS

            def about_what_is_asked(head: Candidate) -> bool:  # ... or under a heading naming it ("and how do i lock
                # it out": "What are the basics of lockout/tagout?")
                return list_relevance[head] >= on_topic or bool(heading_terms(head.section[1]) & question_words)

            near = [
                c
                for c in ranked
                if c in first
                and (
                    c.section == lead.section
                    or scores[c] >= scores[lead] - SELECTION_MARGIN
                    and about_what_is_asked(first[c])
                )
            ]
            if near:
                read_list(first[near[0]])
    opening = len(chosen)  # the lead and what reads on from it stay in that order
    floor = max(relevant.values()) - SELECTION_MARGIN

    def where_the_lead_is(says: Callable[[Candidate], bool], elsewhere: Callable[[Candidate], bool]) -> None:
        """The best sentence that ``says`` what is missing, from the lead's section, else from its document
        where ``elsewhere`` allows."""
        found = [c for c in ranked if says(c) and c.section[0] == lead.section[0]]
        admit(
            next((c for c in found if c.section == lead.section), None)
            or next((c for c in found if elsewhere(c)), None)
        )

    if (question.intent in CASE_INTENTS or question.asks_what_to_do) and not any(
        tells_what_to_do(c.text) or tells_what_to_do(c.lead_in) for c in chosen
    ):
        # Asked about their own case, a reader needs what to do ("Tell your supervisor if your login does not
        # work"), not only what not to do ("Never bypass ... a safety device."): said in the section that answers,
        # else as relevant in its document.
        where_the_lead_is(lambda c: tells_what_to_do(c.text), lambda c: relevant[c] >= floor)
    if (also := question.asks_too) and not any(answers_too(also, question, c.text) for c in chosen):
        # "do i really need to report that and who do i tell": whom to tell, from the section that answers the
        # first question, else from its document
        where_the_lead_is(lambda c: answers_too(also, question, c.text), lambda c: True)
        if question.focus_terms and not any(answers_too(also, question, c.text) for c in chosen):
            # the lead's document says no one ("Near miss" in the glossary): a section on the same subject does
            # ("Why should I report near misses?": "Tell your supervisor or the safety team ...")
            on_subject = (c for c in ranked if question.focus_terms <= heading_terms(c.section[1]))
            admit(next((c for c in on_subject if answers_too(also, question, c.text)), None))
    if (whether := question.whether_too) and not any(says_whether(whether, c) for c in chosen):
        # "do i gotta log every one of those?? and does it even count against our oee": the sentence saying it, from
        # the lead's document, else from any
        # ... what a thing named is says nothing of whether ("can i just plug it into the hmi": "A human-machine
        # interface (HMI) is ...")
        saying = [c for c in ranked if says_whether(whether, c) and not defines_one_of(c, question.focus_terms)]
        admit(next((c for c in saying if c.section[0] == lead.section[0]), next(iter(saying), None)), beyond_limit=True)
    # ... a figure asked of each, the asker's own figures told: "what's FPY and what's the scrap rate?"
    typed = question.intent in TYPED_INTENTS and bool(own_figures(question.text))
    for text, asked_part in parts:
        # "what is an MEP center and is their help free?": the sentence of the lead's document nearest in meaning to
        # the second question ("... many services carry a cost share") answers it; one from elsewhere strays
        # ... and holding a figure where a figure is asked of both: "what's the scrap rate?" after "1,000 units ...,
        # 20 scrapped" is answered by "... the scrap rate is 2 percent."
        part_terms = frozenset(terms(text)) - FRAME_WORDS if typed else frozenset()
        closeness = {
            c: float(c.vector @ asked_part)
            for c in candidates
            if c.section[0] == lead.section[0]
            and (not typed or type_match(question.intent, c.text) >= 1)
            and part_terms <= c.terms
        }
        if not closeness:
            continue
        best = max(closeness.values())
        if not any(closeness.get(c, -1.0) >= best - PART_MARGIN for c in chosen):
            # the nearest, or for a figure asked the nearest that can stand in the answer: "Track both, ..." leans on
            # what it follows
            for c in sorted(closeness, key=lambda c: -closeness[c])[: None if typed else 1]:
                if admit(c, beyond_limit=typed):
                    break
    if not cases and own_figures(question.text):
        # given the asker's own figures, the playbook working out the very measure asked with its own shows the way,
        # next: "A line that makes 1,000 parts of which 970 are good has a quality rate of 97 percent." for "we ran
        # 400 brackets and 12 got scrapped, what's our quality number?"
        admit(next((c for c in ranked if works_what_is_asked(c, question)), None))
    for c in ranked:
        # ... and no other example's figures are support: "The plant plans 80 minutes of stops: ..."
        if relevant[c] >= floor and figures_weight(c, question, cases) >= 0:
            admit(c)
    anchors = list(chosen)
    while anchors and counted() < limit:
        anchors = [n for a in anchors if (n := reads_on(a)) is not None and admit(n)]
    ordered = chosen[:opening] + sorted(chosen[opening:], key=lambda c: c.place)
    composed = without_lone_items(without_cut_counts(one_run_per_list(after_what_they_lean_on(ordered, before))))
    if steps_from is not None:  # "The basic LOTO steps look like this:" before the fifth step reads as the first
        composed = [replace(c, lead_in="") if siblings(c, steps_from) else c for c in composed]
    return composed


def after_what_they_lean_on(
    chosen: Sequence[Candidate], before: Callable[[Candidate], Candidate | None]
) -> list[Candidate]:
    """The sentences in order, each that leans back right after the sentence it leans on: "NIST also offers
    ..." reads on from what NIST was said to do, not from a sentence of another document put between them."""
    follows = {c: f for f in chosen if leans_back(f) and (c := before(f)) in chosen}
    placed_after = set(follows.values())
    ordered: list[Candidate] = []
    for c in chosen:
        if c in placed_after:
            continue  # placed after the sentence it leans on
        while c is not None and c not in ordered:
            ordered.append(c)
            c = follows.get(c)
    return ordered


def without_lone_items(chosen: Sequence[Candidate]) -> list[Candidate]:
    """Support that is one item of a list announced whole ("the following tasks:", "The basic LOTO steps look
    like this:"), shown with no other item of it: under that lead-in one task would pass for all of them. A
    statement reads as a sentence of its own, its lead-in left out; a step ("Tell the people affected ...")
    is no procedure on its own, and an item leaning on the lead-in ("with those team members") says nothing
    without it: both are left out. Under a lead-in that only names what follows ("Here are some simple habits
    ...:"), a step is shown as a sentence of its own. A sentence leaning on an item left out goes with it ("Data
    validation deserves the most time in this phase." after the last task)."""
    shown: list[Candidate] = []
    chosen_at = {(o.passage, o.index) for o in chosen}
    for i, c in enumerate(chosen):
        before = (c.passage, c.previous)
        if leans_back(c) and before in chosen_at and before not in {(o.passage, o.index) for o in shown}:
            continue  # it leans on an item left out (those shown may be copies, their lead-in taken off)
        alone = c.item and c.lead_in and not any(siblings(c, o) for o in chosen if o is not c)
        if i == 0 and alone and items_counted(c.lead_in) and stands_alone(c):
            shown.append(replace(c, lead_in=""))  # "Availability is 340 ÷ 400, which is 85%." of "three factors:"
        elif i == 0 or not alone:
            shown.append(c)
        elif not teases(c.lead_in):
            # a statement keeps its lead-in: "Good reasons to call maintenance include: A breakdown ... that you are
            # not trained to clear." is no sentence without it
            shown.append(
                replace(c, lead_in="") if type_match(Intent.PROCEDURE, c.text) and not points_back(c.text) else c
            )
        elif stands_alone(c):
            shown.append(replace(c, lead_in=""))
    return shown


def list_of(c: Candidate) -> tuple[tuple[str, str], str] | None:
    """The list an item belongs to, known by its section and lead-in, as it may run over two passages; None for a
    sentence that is no item."""
    return (c.section, c.lead_in) if c.item else None


def without_cut_counts(chosen: Sequence[Candidate]) -> list[Candidate]:
    """Support that is part of a list whose lead-in counts it ("A good first pilot has five features:"), shown with
    fewer items than counted, is left out: three of "five features" read as a list cut short. The lead's own list
    is read whole."""
    shown = Counter(key for c in chosen if (key := list_of(c)) is not None)
    return [
        c
        for c in chosen
        if (key := list_of(c)) is None or key == list_of(chosen[0]) or shown[key] >= (items_counted(c.lead_in) or 0)
    ]


def cut_list(chosen: Sequence[Candidate]) -> Callable[[Candidate], bool] | None:
    """When the list that leads shows fewer items than its lead-in counts ("A good first pilot has five features:"
    with three, the rest in a passage not retrieved), what tells its items; None when it shows them all."""
    key = list_of(chosen[0]) if chosen else None
    if key is None or not (counted := items_counted(chosen[0].lead_in)):
        return None

    def in_it(c: Candidate) -> bool:
        return list_of(c) == key

    return in_it if sum(map(in_it, chosen)) < counted else None


def stands_alone(item: Candidate) -> bool:
    """An item that reads as a sentence of its own, without its lead-in: a statement, not a step of a procedure,
    leaning on nothing said before it."""
    return not points_back(item.text) and not type_match(Intent.PROCEDURE, item.text)


def items_counted(lead_in: str) -> int | None:
    """How many items a lead-in says follow: 5 in "A good first pilot has five features:"."""
    found = _COUNTED_LEAD_IN.search(lead_in)
    if found is None:
        return None
    return number_of(found.group(1))


def step_asked(lead: Candidate, candidates: Sequence[Candidate], question: Question) -> Candidate:
    """The step of the lead's procedure asked for (``Question.step_asked``): the last, or the one after the last
    step the question tells done, by most of its words ("measured the key features with the gauges" for "Measure
    the key features with the right gauges, ..."); the lead where the list is no steps or none is told done."""
    steps = sorted((c for c in candidates if siblings(lead, c)), key=lambda c: c.place)
    if not (is_procedure(steps) or all(type_match(Intent.PROCEDURE, c.text) for c in steps)):
        return lead  # steps by their lead-in, or each telling what to do (an HTML list under "How do I ...?")
    if question.step_asked == "last":
        return steps[-1]
    done = [i for i, c in enumerate(steps) if told_done(c.terms - FRAME_WORDS, question.own_terms)]
    return steps[done[-1] + 1] if done and done[-1] + 1 < len(steps) else lead


def told_done(step: frozenset[str], told: frozenset[str]) -> bool:
    """The question tells the step done: it names most of the step's words, or three of them."""
    shared = len(step & told)
    return bool(step) and (shared >= STEP_TOLD_WORDS or shared / len(step) >= 0.5)


def is_procedure(items: Sequence[Candidate]) -> bool:
    """A list of steps, by its lead-in: "a simple order of steps helps:", "The basic LOTO steps look like this:"."""
    return len(items) > 1 and bool(_STEPS.search(items[0].lead_in))


def one_run_per_list(chosen: Sequence[Candidate]) -> list[Candidate]:
    """The answer with each list's items together, in the author's order, where the list first shows:
    its lead-in is read once ("Bring: the part number. ... Bring: the time it started." reads as two
    lists). An item that leads the answer stays first, its list's earlier items after the rest of it,
    unless the list is a procedure: steps are only ever shown in their order ("Make sure you are safe"
    comes before "Pull the andon", whichever matched best)."""
    ordered: list[Candidate] = []
    placed: set[Candidate] = set()
    for c in chosen:
        if c in placed:
            continue
        run = sorted([c, *(s for s in chosen if s is not c and siblings(c, s))], key=lambda s: s.place)
        placed.update(run)
        if c is chosen[0] and not is_procedure(run):
            run = [s for s in run if s.place >= c.place] + [s for s in run if s.place < c.place]
        ordered.extend(run)
    return ordered


def starts_list(chosen: Sequence[Candidate]) -> list[bool]:
    """For each sentence of the answer: whether it is the first shown item of a list (a new list starts
    with an item that is not the sibling of the sentence before it)."""
    return [c.item and not (i and siblings(chosen[i - 1], c)) for i, c in enumerate(chosen)]


def shown_lead_ins(chosen: Sequence[Candidate]) -> list[str]:
    """The lead-in shown before each sentence: a list's, before its first item, once per answer (two phases of a
    plan may each open "The main tasks are the following:")."""
    shown: set[str] = set()
    lead_ins = []
    for c, first in zip(chosen, starts_list(chosen), strict=True):
        lead_ins.append(c.lead_in if first and c.lead_in not in shown else "")
        shown.add(lead_ins[-1])
    return lead_ins


def as_read(chosen: Sequence[Candidate]) -> list[str]:
    """Each sentence as the reader reads it: a list's lead-in reads into its first item shown."""
    lead_ins = shown_lead_ins(chosen)
    return [f"{lead_in} {c.text}" if lead_in else c.text for c, lead_in in zip(chosen, lead_ins, strict=True)]


def layout(chosen: Sequence[Candidate], numbers: dict[int, int], steps: bool) -> tuple[Block, ...]:
    """The answer's sentences, cited, as blocks: prose, and each run of one list's items as a list
    under its lead-in (numbered when a procedure was asked for, or when its lead-in introduces steps). A lone
    item of another list, without its lead-in, reads as a sentence: as a bullet it would look like one more
    point of the list above it."""
    blocks: list[Block] = []
    starts = starts_list(chosen)
    for i, (c, first, lead_in) in enumerate(zip(chosen, starts, shown_lead_ins(chosen), strict=True)):
        line = f"{c.text} [{numbers[c.passage]}]"
        alone = first and not lead_in and not (i + 1 < len(chosen) and siblings(c, chosen[i + 1]))
        if first and not alone:
            numbered = steps or (i + 1 < len(chosen) and siblings(c, chosen[i + 1]) and is_procedure(chosen[i : i + 2]))
            blocks.append(Block(BlockKind.STEPS if numbered else BlockKind.BULLETS, (line,), lead_in))
        elif blocks and ((c.item and not alone) or blocks[-1].kind is BlockKind.PARAGRAPH):
            blocks[-1] = replace(blocks[-1], lines=(*blocks[-1].lines, line))
        else:
            blocks.append(Block(BlockKind.PARAGRAPH, (line,)))
    return tuple(blocks)


def answer_text(blocks: Sequence[Block]) -> str:
    """The answer as one text: each list's lead-in reads into its first item ("Tell them: Which job ...")."""
    return " ".join(" ".join(([b.lead_in] if b.lead_in else []) + list(b.lines)) for b in blocks)


def says_no(question: str, lead: str) -> bool:
    """A yes/no question whose lead says no in its main clause ("A reworked part does not count as good",
    "Do not reset the alert"). Only "No" is said, and only then: a wrong "Yes" on the shop floor is the
    costlier mistake. A question that itself holds a negation ("shouldn't I…?") is left alone, and so is
    one offering a choice ("an MES or a UNS first?"), which "No" does not answer, and one asking whether a thing
    is harmful ("is taping it over actually a big deal?"), which a rule against it answers "yes". "An alert does not
    always mean the machine must stop" is no plain no to "do i have to shut it down?", nor is a "not" saying which
    thing is meant ("A yellow light that is not cleared ...") a no at all."""
    return (
        not negates(question)
        and not _CHOICE.search(question)
        and not _ASKS_IF_HARMFUL.search(told_and_asking(question)[1] or question)
        and bool(_NEGATED_VERB.search(_RELATIVE_NEGATION.sub("", lead.split(",")[0])))
        and not _NOT_ALWAYS.search(lead.split(",")[0])
        and not _SAYS_NO.match(lead)
    )


def answered_no(blocks: Sequence[Block]) -> tuple[Block, ...]:
    """The answer with "No:" before its first words (a light edit, shown as such). It goes before a list's first item,
    the list's lead-in trimmed: the item that says no is the answer, and "No: Here is how to fix an entry well: Do
    not delete ..." read as if no answered no."""
    first, *rest = blocks
    return (replace(first, lines=(f"No: {first.lines[0]}", *first.lines[1:]), lead_in=""), *rest)
