"""The offline answerer: an answer composed only of the playbook's own sentences, each cited.

It reads the retrieved passages' sentences (vectors computed at ingest), and the opening of any
section whose heading matches the question, works out what the question asks (``rag.question``)
and lets ``rag.compose`` pick the lead and its support. When even the best sentence is a weak
match, or nothing holds the kind of fact asked for, it abstains and suggests questions the
playbook can answer.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from enum import Enum

import numpy as np

from rag.answering import AnswerRequest, abstention_suggestions, citation_for, suggestions
from rag.catalog import Catalog
from rag.compose import (
    GUESSED,
    TYPED_INTENTS,
    Candidate,
    answer_text,
    answered_no,
    answers_its_heading,
    as_read,
    compose,
    cut_list,
    heading_terms,
    items_counted,
    layout,
    overlap,
    own_figures,
    prices,
    refers_elsewhere,
    relevance,
    says_no,
    sets_a_bar,
    speaks_of_money,
    stated_absence,
    type_match,
)
from rag.config import AnswerSettings
from rag.embeddings import Embedder
from rag.grounding import claims
from rag.query import Vocabulary, codes, last_said, without_leading_links
from rag.question import (
    CIRCUMSTANCE,
    FIGURE_WORDS,
    FRAME_WORDS,
    JUDGING,
    LIMIT,
    MONEY,
    PAY_RATE,
    Intent,
    Question,
    analyze,
    asked_first,
    asked_kind,
    asked_of_named,
    asked_parts,
    asking_sentences,
    asks_if_good,
    asks_to_begin,
    asks_what_happens_next,
    asks_what_to_tell,
    asks_who_takes_part,
    compared_names,
    follow_on,
    gives_a_measure,
    how_often_asked,
    intent_of,
    judged_as_one,
    limited_measure,
    refers_back,
    says_whom,
    told_and_asking,
    without_leading_circumstance,
)
from rag.snapshot import Snapshot
from rag.text import is_list_item, normalize, sentence_text, terms
from rag.types import Answer, Audience, Chunk, Hit, Turn

CONVERSATION_MATCH = 0.5  # how well the sections the last answer came from match a follow-up: as a heading would
ASKS_OTHERWISE = 0.5  # a heading asking another kind of question names what is asked less
SCENE_TERMS_ANSWERED = 3  # ... of its scene's words, beside all the ask's, a sentence answering a short ask holds
UNKNOWN_PENALTY = 0.6  # confidence lost when every question term is one the playbook never uses
PASSAGES_READ = 5
OPENINGS_READ = 5  # the best hits whose sections' openings are read whatever their headings ask
HEADING_MATCH = 0.5  # a section heading naming this much of what is asked brings its opening in
VERIFIED_FIRST_MATCH = 0.25  # ... and a trainer's verified answer found first, its question naming this much, answers
ASKED_AS_HEADED = 0.66  # ... and one naming this much, asking the same kind of question, asks it
YESNO_HEADED_TERMS = 2  # a yes-or-no heading whose words the question names this many of, and most of, asks it
FOLLOWUP_NAMES = 2  # a follow-up naming this many terms of what it asks names its own attribute, not the last one's
MIN_WORDS = 4
# An item is read under its lead-in, which says what the list answers ("When you ask for help, try to bring:"):
# a question matching the lead-in matches the item, a little less than one matching its own words.
LEAD_IN_SHARE = 0.9
LIST_ITEMS = 8  # a lead-in with at most this many short items reads as one sentence
ITEM_WORDS = 12
CACHED_PASSAGES = 4096  # passages whose sentences stay read (~10 KB each; popular ones come up again and again)
ALIAS_LINE = "also called:"  # glossary alias lists feed query expansion, not answers
# Words too general to say which amount or time is asked for ("revenue last year", "how long should the
# pilot run?").
_GENERAL = frozenset(
    terms(
        "year years last this next current today now ago annual month week day typical average "
        "usually normally roughly approximately exact exactly total overall get got run runs take takes "
        "lasts go goes length timeline timeframe duration company companies size become every each required "
        "supposed"
    )
)
# Asked for a way to reach someone ("the phone number for support", "his email address"): only a sentence
# holding one answers it; the playbook says which role to go to, and a role's description is no number.
_CONTACT_ASKED = re.compile(
    r"\b(?:(?:phone|telephone|fax|cell|mobile) ?numbers?|e-?mail address(?:es)?|"
    r"contact (?:details|info(?:rmation)?|numbers?)|direct (?:line|number)|on[- ]?call (?:phone |cell )?numbers?)\b"
    # "whats the number for ot security here", "need their number", "what number do i call": not "a number that
    # looks wrong", "the OEE number for line 2"
    r"|\b(?:what(?:'s|s| is)?|got|need|have|get) (?:the|a|their|his|her|your) number\b(?! of\b)"
    r"|\b(?:what|which) number (?:do|should|can) (?:i|we) (?:call|ring|dial)\b"
    # "the phone extension for the quality lab", "whats the ext for OT security": not the Manufacturing Extension
    # Partnership
    r"|\b(?:phone|telephone) ext(?:ension)?s?\b"
    r"|\b(?:the|an|their|his|her|your) ext(?:ension)?(?: numbers?)? (?:for|of|to)\b",
    re.IGNORECASE,
)
_SECOND_QUESTION = re.compile(  # "..., and how do we avoid it?": a heading asking a second thing
    r",\s+and\s+(?=(?:what|how|who|why|when|where|which|will|is|are|can|do|does|should)\b)", re.IGNORECASE
)
# Asked for the number a standard, a part or a form goes by ("the osha standard number for lockout"), only a
# passage naming one by its code answers: the playbook's own words on lockout are not the number.
_NUMBER_ASKED = re.compile(
    r"\b(?:standard|regulation|regs?|rule|part|model|serial|catalog|form|clause|section) ?(?:numbers?|no\b\.?|#)"
    r"|\bnumbers? (?:of|for) (?:that|the|this|its) (?:\w+ ){0,2}(?:standard|regulation|rule|model|form|clause)\b",
    re.IGNORECASE,
)
_NUMBER_ASKED_INTENTS = (Intent.DEFINITION, Intent.AMOUNT)  # what it is, not where to find it
# ... or for who fills a role at the asker's own plant: "whats our ot security guys name", "who is the smart
# manufacturing champion on nights?"
_OWN_PERSON_ASKED = re.compile(
    r"\b(?:our|my)\s+(?:[\w-]+\s+){0,3}(?:guy|person|lady|man|woman|contact|champion|lead|supervisor|trainer|manager)"
    r"(?:'?s)?\s+name\b"
    r"|\b(?:who(?:'?s| is| are)|name of)\s+(?:the\s+|our\s+)?(?:[\w-]+\s+){1,4}"
    r"(?:on\s+(?:nights|days|(?:\w+\s+)?shift)|at\s+(?:our|this|my)\s+(?:plant|site|shop)|here\b)\b"
    # "who is the contact person at the Penn State Digital Foundry": a person at a place named, never named there
    r"|\b(?:contact person|point of contact|person to (?:contact|call|ask))\s+(?:\w+\s+){0,2}?"
    r"at\s+(?:the\s+)?(?-i:[A-Z])",
    re.IGNORECASE,
)
# A measure asked for in a unit of its own: "what vibration level in mm/s", "whats the exact distance, 500mm or
# something?"; told ("torque step 6 to 12 Nm but the drawing says 15") it asks nothing of the unit
_UNIT = (
    r"(?:mm/s|mm|cm|feet|foot|ft|met(?:er|re)s?|yards?|millimet(?:er|re)s?|inch(?:es)?|newtons?|psi|kw|kilowatts?|"
    r"nm|newton[- ]met(?:er|re)s?|rpm|volts?|amps?|lbs?|kg|kilograms?|degrees|°\s?[cf])"
)
_UNIT_ASKED = re.compile(
    rf"\b(?:in|how many)\s+({_UNIT})(?!\w)|\d\s*({_UNIT})(?!\w)\s*(?:or (?:so|something|what)\b|\?)", re.IGNORECASE
)
_UNIT_SPELLINGS = (
    (r"feet|foot|ft", "ft"),
    (r"met(?:er|re)s?", "m"),
    (r"yards?", "yd"),
    (r"mm|millimet(?:er|re)s?", "mm"),
    (r"inch(?:es)?", "in"),
    (r"newtons?", "n"),
    (r"nm|newtonmet(?:er|re)s?", "nm"),
    (r"volts?", "v"),
    (r"amps?", "a"),
    (r"lbs?", "lb"),
    (r"kg|kilograms?", "kg"),
    (r"kw|kilowatts?", "kw"),
)
_UNIT_GIVEN = re.compile(rf"\d\s*({_UNIT})(?!\w)", re.IGNORECASE)
_CONTACT_GIVEN = re.compile(r"\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b|\b[\w.+-]+@[\w-]+\.\w+")
# "how many floor champions should we have": what is counted, the phrase up to the word that ends it
_COUNTED_ASKED = re.compile(
    r"\bhow many\s+((?:[\w/-]+\s+){0,3}?[\w/-]+?)(?=\s+(?:should|does|do|did|is|are|was|were|can|could|would|"
    r"will|have|has|had|of|in|for|on|at|per|long|old|we|i|you|they|it|there|to|the|a|an|u)\b|\s*[?.,!;]|\s*$)",
    re.IGNORECASE,
)
# "what % of plants", "what share of the U.S. industrial base": a share of the thing named
_SHARE_ASKED = re.compile(
    r"\bwhat\s+(?:%|percent(?:age)?|share|fraction|proportion)\s+of\s+(?:the\s+|our\s+|all\s+)?([\w-]+)",
    re.IGNORECASE,
)
_COUNT = re.compile(
    r"^(?:\d[\d,.]*%?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|sixty|hundred|hundreds|thousand|thousands|million|dozen|dozens)$"
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# The asker's own records, which live in the plant's systems: "can u pull up what my oee was on line 4 last tuesday?"
_WHEN_PAST = (
    r"(?:yesterday|this\s+morning|last\s+(?:shift|night|week|month|year|(?:mon|tues|wednes|thurs|fri|satur|sun)day))"
)
_OWN_RECORD_ASKED = re.compile(
    r"\b(?:pull|look|bring|dig)\s+up\s+(?:what\s+)?(?:my|our)\b"
    rf"|\bwhat\s+(?:was|were)\s+(?:my|our)\b[^?.!]*\b{_WHEN_PAST}\b"
    rf"|\bwhat\s+(?:my|our)\s+(?:[\w-]+\s+){{1,3}}(?:was|were)\b[^?.!]*\b{_WHEN_PAST}\b",
    re.IGNORECASE,
)
_MAKE_ASKED = re.compile(
    r"^\W*(?:(?:can|could|would) (?:you|u) |pls |please )?(?:help (?:me |us )?)?"
    r"(?:write|draft|generate|compose|code|create|make) "
    r"(?:me |us )?(?:an? |some |the )?(?:[\w-]+ ){0,3}"
    r"(?:script|code|program|macro|email|e-mail|letter|essay|poem|song|story|text|message|memo|speech)s?\b",
    re.IGNORECASE,
)
# A standard, by its body and number ("ISO 9001", "NFPA 70E", "OSHA 1910.147"), or a numbered section of a law
# ("Section 179", "29 CFR 1910"): the number names it, so near numbers are other standards
_NUMBERED_RULE = re.compile(
    r"\b(?:ISO|IEC|ANSI|ASME|OSHA|NFPA|ISA|IEEE|DIN|UL|section|CFR)[\s/-]?(\d+)|§\s?(\d+)", re.IGNORECASE
)
_HOW = re.compile(r"\bhow\b", re.IGNORECASE)
# Asked how much or what a named party did or got: "How much did Ford save from its predictive maintenance rollout?"
_DONE_BY_NAMED = re.compile(
    r"\b(?:[Hh]ow (?:much|many|long)|[Ww]hat)\b[^?.!]{0,30}?\bdid ((?:[A-Z][\w&.-]*\s?)+|[a-z][\w&.-]*)\b"
)
# A name in capitals, not a sentence's first word: "owner keeps bringing up Harley-Davidson's York plant"
_NAMED_MIDWAY = re.compile(r"(?<=[a-z,] )[A-Z][\w-]*")
# "what percent contingency should we add": a share asked for, given as one ("six categories" is no share)
_PERCENT_ASKED = re.compile(r"\bwhat\s+(?:%|percent(?:age)?)(?!\s+of\b)", re.IGNORECASE)
_PERCENT = re.compile(r"\d\s*%|\bpercent\b|\b(?:half|third|quarter|fifth|tenth)\b", re.IGNORECASE)
# A good figure asked for, to aim at or set one's own against: "what's a good first pass yield target for a cnc
# cell", "a good benchmark MTBF for hydraulic presses", "is there a world class FPY number"
_GOOD_FIGURE_ASKED = re.compile(
    r"\bwhat(?:['’]?s| is| are)\s+(?:an?\s+|the\s+)?(?:good|realistic|typical|normal|decent|reasonable)\s+"
    r"(?:[\w/-]+\s+){0,5}?(?:targets?|benchmarks?|numbers?|scores?|rates?|levels?|values?)\b"
    r"|\bworld[- ]class\s+(?:[\w/-]+\s+){0,2}(?:number|figure|target|level)s?\b",
    re.IGNORECASE,
)
# a figure given only as an example of one ("simple limits, such as 'alert if ...'")
_FOR_EXAMPLE = re.compile(r"\b(?:such as|for example|for instance|e\.g\.)", re.IGNORECASE)
_EITHER = re.compile(r"\b([\w-]+(?:\s+\d+)?),?\s+or\s+([\w-]+(?:\s+\d+)?)\W*$", re.IGNORECASE)  # "SL 3 or SL 4?"
# Two products offered as a choice, by their capitalized names: "is Siemens MindSphere or PTC ThingWorx the better
# pick"; a product's name has a maker's or a capital inside ("AVEVA PI", "ThingWorx"), a colleague's has neither
# ("should i tell Maria or Dave")
_NAMED_CHOICE = re.compile(
    r"\b((?:[A-Z][\w-]*\s+){0,2}[A-Z][\w-]*)\s+or\s+(?:an?\s+|the\s+)?((?:[A-Z][\w-]*\s+){0,2}[A-Z][\w-]*)\b"
)
_PRODUCT_NAME = re.compile(r"\s|[A-Z]{2}|[a-z][A-Z]")
# ... or told as the choice being made, in any sentence: "which software does the playbook recommend? we're choosing
# between Augury and Uptake", where what is chosen says they are products
_NAMED_BETWEEN = re.compile(
    r"\bbetween\s+((?:[A-Z][\w-]*\s+){0,2}[A-Z][\w-]*)\s+(?:and|or|&)\s+((?:[A-Z][\w-]*\s+){0,2}[A-Z][\w-]*)\b"
)
_PAY_RATE = re.compile(PAY_RATE, re.IGNORECASE)
_RATE = frozenset(terms("rate"))
# ... where what is asked for is a product: "which software", "what platform would you recommend"
_PRODUCT_ASKED = re.compile(
    r"\b(?:which|what)\s+(?:\w+\s+){0,3}?(?:software|apps?|applications?|platforms?|products?|vendors?|brands?|"
    r"tools?|systems?|sensors?)\b",
    re.IGNORECASE,
)
_NEAR_PLACE = re.compile(
    r"\b(?:near|close to) ((?!(?:me|us|here|our|my|your|the|a|an|where|what|which|who)\b)[a-z]+(?:,?\s+[a-z]+)?)\b"
    r"(?= area|\W*$|\W+(?:i|we|that|so|or)\b)",
    re.IGNORECASE,
)
# Asked what a thing named by a code is, holds or amounts to, the playbook's general passages are no answer; asked how
# to do something to it or whether, its general rule is. (Not ``compose.FACT_INTENTS``: the kinds of fact a lead holds.)
_OF_A_NAMED_THING = (Intent.DEFINITION, Intent.AMOUNT, Intent.TIME, Intent.LIST, Intent.OTHER, Intent.ADVICE)
_TIME_UNITS = frozenset(terms("seconds minutes hours days weeks months quarters years shifts"))
# Counted things with one name: units of time, and people or members ("how many people does CESMII employ" is not
# answered by "more than 100 participants"). Others are named many ways ("KPIs", "plant measures").
_COUNTED_BY_NAME = _TIME_UNITS | frozenset(terms("people members employees staff companies"))
COUNT_REACH = 3  # a number counts the thing named within this many words after it ("51 MEP centers")

ABSTAIN_TEXT = "The playbook doesn't cover that, so I can't give you a reliable answer."
# whom to ask instead, by the asker's role: a manager's supervisor is no help with a question on funding or vendors
WHO_MAY_KNOW = {
    Audience.MANAGER: "Your program champion or a local MEP center may know.",
    Audience.WORKER: "Your supervisor or Smart Manufacturing champion may know.",
}


# ... and a worker is not sent back to the one the question names ("sup wants the osha standard number", "who is
# the smart manufacturing champion on nights?")
WHO_ELSE_MAY_KNOW = (
    (frozenset(terms("supervisor supervisors")), "Your Smart Manufacturing champion may know."),
    (frozenset(terms("champion champions")), "Your supervisor may know."),
)


def abstain_text(audience: Audience, question: str = "") -> str:
    who = WHO_MAY_KNOW.get(audience, WHO_MAY_KNOW[Audience.WORKER])
    if audience is not Audience.MANAGER:
        asked = frozenset(terms(question))
        who = next((other for named, other in WHO_ELSE_MAY_KNOW if named & asked), who)
    return f"{ABSTAIN_TEXT} {who}"


class Role(Enum):
    STATEMENT = "statement"  # may be part of an answer
    HEADING = "heading"  # a question line (PDF and HTML keep headings): it is answered by what follows
    SKIPPED = "skipped"  # too short, a lead-in ending in ":", or a glossary alias list


@dataclass(frozen=True)
class Sentence:
    text: str  # as it reads in an answer
    terms: frozenset[str]
    role: Role
    item: bool = False  # a list item: one step or point of several
    lead_in: str = ""  # the line introducing its list ("When an alert fires:"), for an item
    ends_paragraph: bool = False  # the last sentence of its paragraph (or of the passage)


@dataclass(frozen=True)
class PassageSentences:
    sentences: tuple[Sentence, ...]
    vectors: np.ndarray  # one normalized row per sentence


def read_sentence(raw: str, title: str = "") -> Sentence:
    text = sentence_text(raw)
    if text.endswith("?"):
        role = Role.HEADING
    elif (
        len(text.split()) < MIN_WORDS
        or text.endswith(":")
        or text.lower().startswith(ALIAS_LINE)
        or text.rstrip(".").casefold() == title.casefold()
    ):  # a PDF's title line states nothing
        role = Role.SKIPPED
    else:
        role = Role.STATEMENT
    return Sentence(text, frozenset(terms(text)), role, is_list_item(raw))


def read_passage(text: str, spans: Sequence[tuple[int, int]], vectors: np.ndarray, title: str = "") -> PassageSentences:
    """The passage's sentences as answers use them. A lead-in ending in ":" and the few short items
    after it become one sentence ("OEE is built from three factors: availability; performance;
    quality."), so neither is shown without the other; long items (steps) stay sentences."""
    raw = [text[a:b] for a, b in spans]
    # a paragraph ends where a blank line follows a sentence, and where the passage does
    ends = [*("\n\n" in text[b:a] for (_, b), (a, _) in zip(spans, spans[1:], strict=False)), True]
    sentences: list[Sentence] = []
    rows: list[np.ndarray] = []
    lead_in = ""  # of the list being read
    i = 0
    while i < len(raw):
        lead = sentence_text(raw[i])
        if not is_list_item(raw[i]):
            lead_in = ""
        if lead.endswith(":"):
            lead_in = lead
            end = i + 1
            while end < len(raw) and is_list_item(raw[end]) and end - i <= LIST_ITEMS:
                end += 1
            end = max(end, min(i + 2, len(raw)))  # no bullets: the one line it introduces
            items = [sentence_text(r).rstrip(".;") for r in raw[i + 1 : end]]
            # a list the passage ends inside ("three factors:" and one of them) is no whole to join
            cut = end == len(raw) and len(items) < (items_counted(lead) or 0)
            if items and not cut and all(len(item.split()) <= ITEM_WORDS and not item.endswith("?") for item in items):
                joined = f"{lead} {'; '.join(items)}."
                sentences.append(
                    Sentence(joined, frozenset(terms(joined)), Role.STATEMENT, ends_paragraph=ends[end - 1])
                )
                pooled = vectors[i:end].mean(axis=0)
                rows.append(pooled / (np.linalg.norm(pooled) or 1.0))
                i = end
                continue
        sentence = replace(read_sentence(raw[i], title), ends_paragraph=ends[i])
        if i == 0 and sentence.text[:1].islower() and not sentence.item:
            sentence = replace(sentence, role=Role.SKIPPED)  # the end of a sentence the passage starts inside
        sentences.append(replace(sentence, lead_in=lead_in) if sentence.item else sentence)
        rows.append(vectors[i])
        i += 1
    return PassageSentences(tuple(sentences), np.vstack(rows) if rows else vectors[:0])


class SentenceCache:
    """Passages' sentences as the answerer reads them, read from the catalog on first use.

    Reading them (SQLite rows, markup stripped, terms stemmed) cost more than all the scoring, and
    it held the interpreter lock that concurrent questions share; a passage read once is kept,
    least recently used out first. A new catalog generation empties it: an ingest may have
    re-embedded a passage whose id (its text and metadata) did not change.
    """

    def __init__(self, catalog: Catalog, size: int = CACHED_PASSAGES) -> None:
        self.catalog = catalog
        self.size = size
        self._generation: int | None = None
        self._passages: OrderedDict[str, PassageSentences] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, chunks: Sequence[Chunk], generation: int) -> dict[str, PassageSentences]:
        with self._lock:
            if generation != self._generation:
                self._passages.clear()
                self._generation = generation
            found = {c.id: self._passages[c.id] for c in chunks if c.id in self._passages}
            for chunk_id in found:
                self._passages.move_to_end(chunk_id)
        missing = [c for c in chunks if c.id not in found]
        if missing:
            vectors = self.catalog.sentence_vectors([c.id for c in missing])
            read = {
                c.id: read_passage(c.text, sv.spans, sv.vectors, c.title)
                for c in missing
                if (sv := vectors.get(c.id)) is not None and len(sv.spans)
            }
            with self._lock:
                if generation == self._generation:
                    self._passages.update(read)
                    while len(self._passages) > self.size:
                        self._passages.popitem(last=False)
            found.update(read)
        return found


def heading_match(
    heading: str, question: Question, question_terms: frozenset[str], titled: frozenset[str] = frozenset()
) -> float:
    """How closely a section heading names what is asked (focus and attribute; the whole question when
    it names neither): shared terms over all terms of either, frame words aside. A glossary heading's
    parenthesized long form is another name for the same thing: "MTBF (Mean Time Between Failures)"."""
    wanted = judged_as_one(asked_words(question, question_terms))
    best = 0.0
    for name in {heading, *re.split(r"\s*[()]\s*", heading)}:
        named = judged_as_one(frozenset(terms(name)) - FRAME_WORDS)
        # a number alone names nothing: "press 4" is not "Industry 4.0"
        if wanted and named and not all(t.isdigit() for t in wanted & named):
            best = max(best, len(wanted & named) / len(wanted | named))
    if asks_where_to_begin(heading, question, titled) or asks_what_happens_after(heading, question, question_terms):
        best = 1.0
    elif asks_the_same(heading, question):
        best = max(best, HEADING_MATCH)  # its words may all be the asker's scene, but the heading asks it
    best = max(best, tells_of(heading, question, question_terms))
    if question.asks_what_to_tell and says_whom(heading):
        return 0.0  # "When should I call maintenance?" tells when to call them, not what to tell them
    return best * (ASKS_OTHERWISE if asks_otherwise(heading, question) else 1.0)


def asks_the_same(heading: str, question: Question) -> bool:
    """The heading asks why, as the question does, of a thing the question names: "Why do pilots stall?" for "our
    pilot went great ... but it hasnt gone anywhere else. why does this keep happening", and for "none ever got past
    the one machine. what are we doing wrong", whose ask names nothing and its scene the pilots; or of what it asks
    about besides ("Why does picking "other" hurt?" for "why not just pick 'other' tho"). Or both ask who takes part
    in it: "Who should be on the pilot team?" for "who actually needs to be on it?" after a pilot question. Or both
    ask whether a figure of it is good: "What is a good OEE score?" for "so 76 is that bad??" after working out an
    OEE. Or both ask yes or no, and the question names most of the heading's words: "Will the sensors be used to watch
    me?" for "new sensors went on press 2 this week. r they going to use them to watch me and time my breaks?"."""
    asked = (question.focus_terms or question.scene_terms) | question.key_terms
    named = bool(asked & frozenset(terms(heading)))
    if question.intent is Intent.WHY and intent_of(heading) is Intent.WHY:
        return named
    if question.asks_who_takes_part:
        return named and asks_who_takes_part(heading)
    if question.intent is Intent.YESNO and intent_of(heading) is Intent.YESNO:
        headed = frozenset(terms(heading)) - FRAME_WORDS
        shared = headed & frozenset(terms(question.text))
        return len(shared) >= YESNO_HEADED_TERMS and len(shared) >= ASKED_AS_HEADED * len(headed)
    return question.judges_a_figure and named and asks_if_good(heading)


def asks_where_to_begin(heading: str, question: Question, titled: frozenset[str] = frozenset()) -> bool:
    """Both ask where to begin with a thing the question names, in the heading or by a term of the document's title
    that sets the document apart (``titled``, ``Snapshot.title_terms``): "Where should a company start its smart
    manufacturing program?" for "We're a 40-person job shop ... on paper and whiteboards. Where do we actually start
    with smart manufacturing?"; "Where should a manager start, ...?" in "OT cybersecurity for managers" for "we have
    basically zero OT security. where do I start?", not "How do I get started?" in "Learning paths and credentials
    for Smart Manufacturing", as most titles name smart manufacturing. Nothing else could answer it as well: the
    heading asks it in the words a beginner uses."""
    if not (question.asks_where_to_begin and asks_to_begin(heading)):
        return False
    return bool((question.focus_terms or question.scene_terms) & (frozenset(terms(heading)) | titled))


# What a heading asking what to tell is about: "What should I tell maintenance about a machine health alert?"
_TOLD_ABOUT = re.compile(r"\babout (?:an? |the )?([^?]+)", re.IGNORECASE)
# ... and what the asker calls about: "gotta call maintenance about a jam i cant clear"
_ASKER_ABOUT = re.compile(
    r"\babout (?:an? |the |my |our |this |that )?(?!(?:it|this|that|them|these|those)\b)([\w-]+(?: [\w-]+)?)",
    re.IGNORECASE,
)
# The asker calls on someone, or they are on their way: "gotta call maintenance", "when they show"
_CALLS_SOMEONE = re.compile(
    r"\b(?:call(?:s|ing|ed)?|page|paging|radio|ask(?:ing)? (?:\w+ )?for help|get(?:ting)? help)\b"
    r"|\bwhen (?:they|he|she|maintenance|quality|it) (?:shows?|comes?|gets? here|arrives?)\b",
    re.IGNORECASE,
)


def tells_of(heading: str, question: Question, question_terms: frozenset[str]) -> float:
    """How well a heading asking what to tell or bring someone asks it of what the question or the conversation
    names (``question_terms``): fully, "What should I tell maintenance about a machine health alert?" for "ok calling
    maintenance now. what info are they gonna want from me?" after a question on the alert, or told of nothing else;
    not for "gotta call maintenance, the feeder is jammed and i cant clear it. what should i have ready", which tells
    of something else. A heading naming no subject, "What should I bring when I ask for help?", asks it of whatever
    the asker calls someone in about: fully where the asker tells what that is, as a heading naming half of what is
    asked where the asker only calls ("when they show", where the conversation may name an alert; not "my operators
    are worried ... what can I tell them?"). The heading asks it in the asker's words, as ``asks_where_to_begin``."""
    if not (question.asks_what_to_tell and asks_what_to_tell(heading)):
        return 0.0
    headed = frozenset(terms(heading))
    named = bool(question.key_terms & headed)
    calls = " ".join(match.group(0) for match in _CALLS_SOMEONE.finditer(question.text))
    told = question.scene_terms - headed - frozenset(terms(calls)) - _GENERAL  # "feeder", "jam"; not "calling", "now"
    told |= frozenset(terms(about.group(1))) if (about := _ASKER_ABOUT.search(question.text)) else frozenset()
    if not (subject := _TOLD_ABOUT.search(heading)):
        if named:  # "What details should I have ready before I ask someone for help?"
            return 1.0
        return (1.0 if told else HEADING_MATCH) if calls else 0.0
    if frozenset(terms(subject.group(1))) & question_terms:
        return 1.0
    return 0.0 if told else float(named)


def asks_what_happens_after(heading: str, question: Question, question_terms: frozenset[str]) -> bool:
    """Both ask what happens after a thing the question or the conversation names: "What happens after I flag a
    problem?" for "and then what happens, does anybody actually read those?" after asking how to flag a wrong step.
    The heading asks it in the asker's words, as ``asks_where_to_begin``."""
    if not (question.asks_what_happens_next and asks_what_happens_next(heading)):
        return False
    return bool((question_terms - FRAME_WORDS) & frozenset(terms(heading)))


def asks_otherwise(heading: str, question: Question) -> bool:
    """The heading asks why where how is asked, or how where why: "Why do honest scrap counts matter so much?"
    tells no one how to fix a scrap count typed wrong. Nor does one asking only what a thing is tell how to do it:
    "What is a readiness self-assessment and why do one?" for "how do we actually run the readiness self
    assessment?", where "What is lockout/tagout and how do I do it?" tells both; nor whether a figure of it is good
    ("What is OEE?" for "so 76 is that bad??", where "What is a good OEE score?" tells)."""
    kinds = {intent_of(heading), question.intent}
    if kinds == {Intent.DEFINITION, Intent.PROCEDURE} and question.intent is Intent.PROCEDURE:
        return not _HOW.search(heading)
    if question.judges_a_figure and intent_of(heading) is Intent.DEFINITION:
        return not asks_if_good(heading)  # "What is OEE?" tells nothing of whether 76 is bad
    return Intent.WHY in kinds and bool(kinds & {Intent.PROCEDURE, Intent.ADVICE})


def names_all(heading: str, question: Question, question_terms: frozenset[str]) -> bool:
    """The heading names every word of what is asked, in as many words or more."""
    wanted = asked_words(question, question_terms)
    return bool(wanted) and wanted <= frozenset(terms(heading))


def asked_words(question: Question, question_terms: frozenset[str]) -> frozenset[str]:
    """What is asked, as a heading would name it: focus and attribute (the whole question when it names neither),
    frame words aside. Of two questions, the first: its section leads, and the second's fact joins it."""
    wanted = (question.key_terms or question_terms) - FRAME_WORDS
    return wanted & question.first_asked_terms or wanted


def opening_match(
    heading: str,
    opening: frozenset[str],
    question: Question,
    question_terms: frozenset[str],
    titled: frozenset[str] = frozenset(),
) -> float:
    """How closely the part of a heading that its section's ``opening`` (terms) answers names what is asked.
    A heading asking two things ("What is alert fatigue, and how do we avoid it?") is answered in its order:
    an opening that does not name the second thing answers the first ("Alert fatigue is what happens when
    ..."), and nothing of the second when the second asks the kind of question asked and the first does not
    ("how do we avoid alert fatigue?"). A manager's summary answers both ("Set written exit criteria ..., and
    avoid pilot purgatory by ...")."""
    first, *second = _SECOND_QUESTION.split(heading, maxsplit=1)
    if not second or overlap(frozenset(terms(second[0])) - FRAME_WORDS, opening) >= HEADING_MATCH:
        return heading_match(heading, question, question_terms, titled)
    if intent_of(second[0]) is question.intent is not intent_of(first):
        return 0.0
    return heading_match(first, question, question_terms, titled)


def read_question(request: AnswerRequest, asked: Question) -> Question:
    """The question as asked (``asked``: it analyzed alone); a follow-up read with the earlier question it leans on."""
    lexicon = request.snapshot.glossary.phrases
    told_first = told_and_asking(asked.text)[0]
    if asked.intent is Intent.DEFINITION and own_figures(told_first) and not _HOW.search(asked.text):
        # "planned to run 400 minutes and was down for 60. What's the availability?" asks its value, not its meaning;
        # "... whats our FPY and how do you work it out" asks the way to work it, which the definition gives; "what
        # counts as a micro stop? our bagger jams like 20-30 sec every 15 min" asks what it is, its figures told after
        asked = replace(asked, intent=Intent.AMOUNT)
    earlier = last_said(request.history, "user")
    # "ok so is that good or bad?? ..." after working out an OEE judges the value worked out before, whether it leans
    # on that question or tells enough to search alone
    asked = replace(asked, measured_before=gives_a_measure(earlier))
    if not request.is_followup:
        return asked
    return follow_on(asked, analyze(earlier, lexicon))


def without_unknown_scene(question: str, scene: frozenset[str], vocabulary: Vocabulary) -> str:
    """The question without the words of its scene (``Question.scene_terms``) that the playbook never uses:
    "kowalski on 2nd shift thinks the mitutoyo height gauge is reading off. who do we tell" names the asker's
    colleagues and tools, typed in lower case where no capital marks them as names; what is asked keeps every
    word."""
    unknown = {t for t in scene if not vocabulary.knows(t)}
    if not unknown:
        return question
    return " ".join(w for w in question.split() if not ((named := set(terms(w))) and named <= unknown))


def counted_thing(text: str) -> str:
    """The (stemmed) thing a "how many" question counts ("how many floor champions do we need": champion), ""
    when it asks no count."""
    match = _COUNTED_ASKED.search(text)
    named = terms(match.group(1)) if match else []
    return named[-1] if named else ""


def counted_asked(text: str) -> str:
    """The thing a "how many" question counts when it has one name (``_COUNTED_BY_NAME``: "how many
    hours long is the class" counts hours), "" when it counts none of those."""
    thing = counted_thing(text)
    if thing not in _COUNTED_BY_NAME:
        return ""
    # People are held to their count only when the count is what is asked, not a second part of the question
    # ("When was SME founded, and by how many people?" is answered by "membership rose from 33").
    match = _COUNTED_ASKED.search(text)
    asked_first = match is not None and not terms(text[: match.start()])
    return thing if thing in _TIME_UNITS or asked_first else ""


def counts(text: str, thing: str) -> bool:
    """The sentence gives a number of ``thing`` ("five to seven KPIs", "32 members"); a date counts no hours."""
    words = re.findall(r"[\w%]+(?:[.,]\d+)*", text.lower())
    return any(
        _COUNT.match(word) and thing in terms(" ".join(words[i + 1 : i + 1 + COUNT_REACH]))
        for i, word in enumerate(words)
    )


def unit_of(written: str) -> str:
    """A unit as written, read as one spelling: "feet" and "ft", "meters" and "metre"."""
    unit = written.casefold().replace(" ", "").replace("-", "")
    for spellings, name in _UNIT_SPELLINGS:
        if re.fullmatch(spellings, unit):
            return name
    return unit


def asks_what_it_never_gives(question: str, candidates: Sequence[Candidate]) -> bool:
    """It asks for what the playbook gives nobody, asked on its own or as a follow-up: who fills a role at the asker's
    plant ("whats the name of the quality tech on 2nd shift here": it names roles, never the people in them there),
    the asker's own records ("can u pull up what my oee was on line 4 last tuesday?"),
    something written for the asker (a script, an email, a text), a measure in a unit that no passage read measures
    in ("how close can i get before it stops? like whats the exact distance, 500mm or something?"), or a way to reach
    someone that no passage read holds ("whats the number for ot security here, i need to call them")."""
    if _OWN_PERSON_ASKED.search(question) or _MAKE_ASKED.search(question):
        return True
    # ... though "we were down 60 of 400 min, what was our availability yesterday?" gives the figures to work
    if _OWN_RECORD_ASKED.search(question) and not own_figures(question):
        return True
    asked = _UNIT_ASKED.search(question)
    unit = unit_of(next(filter(None, asked.groups()))) if asked else ""
    if asked and not any(unit_of(given) == unit for c in candidates for given in _UNIT_GIVEN.findall(c.text)):
        # a measure in a unit no passage read measures in ("the exact distance, 500mm or something?"; "what
        # vibration level in mm/s", where only a temperature is given in degrees)
        return True
    return bool(_CONTACT_ASKED.search(question)) and not any(_CONTACT_GIVEN.search(c.text) for c in candidates)


def lacks_asked_fact(
    question: Question, candidates: Sequence[Candidate], vocabulary: Vocabulary, followup: bool = False
) -> bool:
    """An amount or a time is asked for ("revenue", "share price"), and no passage read holds one beside the words that
    say which, in a passage about what the question names (MQTT's port is not OPC UA's): the neighbouring facts are not
    the answer. A follow-up's attribute is mostly borrowed, and too loose to judge by unless it names ``FOLLOWUP_NAMES``
    terms of its own ("so how many months do they keep that data before its deleted?"). Hours or members asked for are
    hours or members counted ("how many hours long is the class": a launch year is no length). The same holds for a year
    asked about that no passage mentions, for a kind of thing asked for that the playbook never names ("What federal tax
    credits can we claim ...?"), for what a model or standard named by a code the playbook never uses is or holds ("the
    ideal cycle time for the haas vf2", "what ideal cycle time should i use on our haas vf-2?"; how to do something on
    it has the general way for an answer), and for the number a standard or a part goes by that no passage on it names
    ("the osha standard number for lockout"), and for anything of a standard whose number the playbook never uses ("What
    does an ISO 9001 internal audit checklist include?"). A count of the very thing asked answers however the rest is
    worded ("how many floor champions do we need for the rollout": "at least one champion per shift")."""
    told, asked = told_and_asking(question.text)
    asking = asked or question.text
    kind = asked_kind(vocabulary.without_own_names(asking))
    if kind and not all(vocabulary.knows(t) for t in terms(kind)):
        return True  # what kind of thing is asked for is a word the playbook never uses ("what federal tax credits")
    if question.intent in _OF_A_NAMED_THING and vocabulary.unknown_codes(asking):
        return True  # asked a fact of a thing named by a code the playbook never uses ("ideal cycle time of the vf2")
    if any(number not in vocabulary.words for found in _NUMBERED_RULE.findall(asking) for number in found if number):
        return True  # asked anything of a standard the playbook never names ("an ISO 9001 internal audit checklist")
    options = _EITHER.search(asking)
    # ... by their names, not their numbers: "SL 3 or SL 4?" names a security level the playbook never does
    choices = [[t for t in terms(option) if not t.isdigit()] for option in options.groups()] if options else []
    if choices and all(choices) and not any(vocabulary.knows(t) for choice in choices for t in choice):
        return True  # asked to choose between things the playbook never names ("SAP or Oracle?")
    products = _NAMED_CHOICE.search(asking) or _NAMED_BETWEEN.search(question.text)
    if (
        products
        and (any(map(_PRODUCT_NAME.search, products.groups())) or bool(_PRODUCT_ASKED.search(question.text)))
        and all(any(t not in vocabulary.words for t in terms(side)) for side in products.groups())
    ):
        return True  # ... or between products the playbook never names, whatever their maker ("Siemens MindSphere"),
        # spelled as they are: "Ignition" is no misspelling of a word the playbook uses
    # asked what a party the playbook never names did or got ("How much did Ford save ...?", "is that actually true?
    # what did whirlpool really get?"), in any sentence asking
    for party in _DONE_BY_NAMED.finditer(question.text):
        names = [party.group(1)]
        if refers_back(party.group(1)):  # "... Harley-Davidson's York plant. how much did they actually save"
            names = _NAMED_MIDWAY.findall(told)
        if any((called := terms(name)) and not any(vocabulary.knows(t) for t in called) for name in names):
            return True
    place = _NEAR_PLACE.search(asking)
    if place and not all(vocabulary.knows(t) for t in terms(place.group(1))):
        return True  # asked what is near a place the playbook never names ("near dayton ohio")
    years = set(_YEAR.findall(asking))
    if years and question.intent is not Intent.YESNO and not any(y in c.text for c in candidates for y in years):
        return True  # asked of a year the passages never mention ("the change for 2014")
    # A name the playbook never uses, told before the question ("the Litmus quote covers ..."), says where
    # the asker stands, not what is asked of.
    focus = frozenset(t for t in question.focus_terms if t not in question.scene_terms or vocabulary.knows(t))
    named = {section: frozenset(terms(" ".join(section))) for section in {c.section for c in candidates}}

    def about(thing: frozenset[str], least: int = 1) -> set[int]:
        """Passages naming it (``least`` of its terms in one sentence, all where it has fewer), or under a heading or
        in a document that does; none for nothing named. A section answering a question heading is about its
        document's subject, which another passage read may name ("how long should the morning huddle at the board
        take": the huddle guide writes actions on the board); a glossary entry is about its own term only."""
        wanted = min(least, len(thing)) or 1
        naming = {c.passage: c.section[0] for c in candidates if len(thing & (c.terms | named[c.section])) >= wanted}
        documents = set(naming.values())
        return set(naming) | {c.passage for c in candidates if c.section[1].endswith("?") and c.section[0] in documents}

    number = _NUMBER_ASKED.search(question.text) if question.intent in _NUMBER_ASKED_INTENTS else None
    if number:  # of what: "the osha standard number for lockout" is lockout's, not any standard's
        of = focus - frozenset(terms(number.group(0)))
        return not any(codes(c.text) and (not of or c.passage in about(of)) for c in candidates)
    share = _SHARE_ASKED.search(asking) if question.intent is Intent.AMOUNT else None
    shared = frozenset(terms(share.group(1))) if share else frozenset()
    if share and not any(type_match(Intent.AMOUNT, c.text) and shared <= c.terms for c in candidates):
        return True  # "what % of plants hit world class": a share of plants, not the 85% that counts as world class
    if question.judges_a_figure and question.intent is Intent.AMOUNT:
        # "our line runs at like 62%. is that bad? whats a good number": the good number asked is a bar to set it
        # against, of what it names if it names anything, in whatever words the rest is told
        of_it = about(focus) if focus else {c.passage for c in candidates}
        return not any(sets_a_bar(c.text) and c.passage in of_it for c in candidates)
    good_of = focus - JUDGING - FIGURE_WORDS if _GOOD_FIGURE_ASKED.search(question.text) else frozenset()
    if good_of:  # a good figure of a thing asked: a passage setting one for it answers ("a good benchmark MTBF")
        return not any(sets_a_bar(c.text) and good_of & c.terms for c in candidates)
    if question.intent not in TYPED_INTENTS or own_figures(question.text):
        return False  # given figures of its own ("weld runs 95% and paint 90%"), it asks how to combine them
    # a figure the asker guesses names nothing asked: "how often do the gauges need to get calibrated here, every 6
    # months?" is not answered by "Weeks 3 to 6 install the equipment"
    guessed = frozenset(t for t in terms(" ".join(GUESSED.findall(question.text))) if t.isdigit())
    specific = question.attribute_terms - _GENERAL - guessed
    if question.asks_sum:
        # what the asker tells after asking a sum is what it is for, and of money itself: "what's a normal hourly
        # rate for a system integrator? want to sanity check their quote" is not answered by the figures a report
        # is "widely quoted" for, nor by "40 hours or $60,000 a year": an hourly rate is a price, not hours
        afterwards = question.text[question.text.find(asking) + len(asking) :]
        specific -= frozenset(terms(afterwards)) - frozenset(terms(told + asking))
        specific -= frozenset(terms(" ".join(_PAY_RATE.findall(asking)))) - _RATE
    # "How long should our pilot run before we make a call on it?", "how long should our pilot run, and what do
    # we get done in the first weeks?", "how long should it go and what do we cover": the clause asking the time
    # names no attribute of its own to look for
    first_clause = asked_first(asking) or _SECOND_QUESTION.split(asking, maxsplit=1)[0]
    # "ok so how long do they keep ...": the "so" links it to the conversation, and starts no purpose
    asked_first_clause = CIRCUMSTANCE.split(
        without_leading_circumstance(without_leading_links(first_clause)), maxsplit=1
    )[0]
    if len(specific & frozenset(terms(asked_first_clause))) < (FOLLOWUP_NAMES if followup else 1):
        return False
    counted = counted_asked(question.text)
    if counted in _COUNTED_BY_NAME - _TIME_UNITS and specific - {counted}:
        # "How many people does CESMII employ?": people counted are no answer unless employed ones
        specific -= {counted}
    # Any other thing counted is what is asked about: "how many floor champions do we need for the rollout" is
    # answered by "Choose at least one champion per shift ...", which names no rollout.
    thing = counted_thing(question.text)
    thing = "" if thing in _COUNTED_BY_NAME else thing
    about_focus = about(focus)
    # "what number is actually good?" of OEE: "An OEE above 85% is often called world class", under "What is a good
    # OEE score?", says what its heading asks, when the heading names all the question asks
    asked_here = specific & frozenset(terms(asked_first_clause))
    named_by_heading = {section: heading_terms(section[1]) for section in named} if asked_here else {}
    # "how often do we need to go back and clean up who has remote access?" asks how often of what it names:
    # "Review the list of remote users every quarter" answers, in other words than the asker's.
    # ... by two of its words where it names no focus: "how often do we change our station login password" is not
    # answered by how often shifts change over at a station
    about_often = about(focus or specific, 1 if focus else 2) if how_often_asked(asked_first_clause) else set()
    # "whats the max motor temp on press 4 before I have to shut it down?": a limit, not a reading ("Press 4, motor
    # temperature 62 degrees"), nor a limit given as an example ("simple limits, such as 'alert if the motor gets
    # hotter than 80 degrees'")
    limit_asked = question.intent is Intent.AMOUNT and bool(LIMIT.search(asked_first_clause))
    # ... of the measure asked: a trainer's "an MTBF of 400 hours or more" for the hydraulic presses is no
    # temperature too hot for their oil
    measure = limited_measure(asked_first_clause) if limit_asked else frozenset()
    percent_asked = question.intent is Intent.AMOUNT and bool(_PERCENT_ASKED.search(asked_first_clause))
    # the ask naming none of the focus, which the scene before it told of, asks of what it names: "I got asked to pick
    # champions for the new MES screens. how many do I need per shift" is answered by "at least one champion per shift"
    asked_apart = bool(asked_here) and not focus & frozenset(terms(asked_first_clause))
    return not any(
        type_match(question.intent, c.text)
        and (not percent_asked or bool(_PERCENT.search(c.text)))
        and (not limit_asked or (sets_a_bar(c.text) or bool(LIMIT.search(c.text))) and not _FOR_EXAMPLE.search(c.text))
        and (not measure or bool(measure & (c.terms | named_by_heading.get(c.section, frozenset()))))
        and (not counted or counts(c.text, counted))
        and (
            bool(thing)
            and counts(c.text, thing)
            or c.passage in about_often
            or bool(specific & c.terms or asked_here and asked_here <= named_by_heading[c.section])
            and (not focus or c.passage in about_focus or asked_apart and asked_here <= c.terms)
        )
        and (not question.asks_sum or prices(c, question.asks_dollars))
        and (not question.asks_money or speaks_of_money(c))
        for c in candidates
    )


def lacks_asked_sum(question: Question, candidates: Sequence[Candidate]) -> bool:
    """A follow-up asking what something costs ("ok how much does the test cost tho"), where nothing read gives a
    sum: its subject is borrowed, but a sum asked for is its own, and nothing else answers it. A sum of something the
    follow-up names is looked for in a sentence that speaks of it: "how much is the exam fee" is not priced by what an
    MEP center's review costs, nor is "how much does the test cost? and does my company have to pay for it?" by what
    client companies pay: the first question names what is priced."""
    if not question.asks_sum:
        return False
    named = question.attribute_terms & question.first_asked_terms or question.attribute_terms
    priced = named - MONEY - _GENERAL
    return not any(prices(c, question.asks_dollars) and (not priced or priced & c.terms) for c in candidates)


def names_new_subject(asked: Question, history: Sequence[Turn]) -> bool:
    """A follow-up (``asked``: it analyzed alone) naming a subject of its own that the question before it did not:
    "whos actually on it? is GE or caterpillar a member" after what the council is asks of its members, not of what
    the last answer said."""
    return bool(asked.focus_terms - frozenset(terms(last_said(history, "user"))))


def after_last_answer(candidates: Sequence[Candidate], said: str) -> list[Candidate]:
    """A follow-up's sentences, read after the last answer (``said``): the sections it came from match as their
    heading would, as the follow-up goes on with their topic ("and if i dont hear back, how long do i wait?"
    after "how do i put in an idea?" asks of the section on raising ideas, not of one on handover notes). A
    sentence answering its own heading yes or no ("Yes: one 480-minute shift ...") answers that heading still,
    not the follow-up."""
    said = normalize(said)
    topic = {c.section for c in candidates if normalize(c.text) in said}
    return [
        replace(c, heading_match=max(c.heading_match, CONVERSATION_MATCH))
        if c.section in topic and not answers_its_heading(c.text)
        else c
        for c in candidates
    ]


class ExtractiveAnswerer:
    name = "offline"

    def __init__(self, settings: AnswerSettings, embedder: Embedder, catalog: Catalog) -> None:
        self.settings = settings
        self.embedder = embedder
        self.sentences = SentenceCache(catalog)

    def passages(
        self,
        hits: Sequence[Hit],
        question: Question,
        question_terms: frozenset[str],
        snapshot: Snapshot,
        followup: bool = False,
    ) -> list[tuple[Hit, int]]:
        """The retrieved passages read for sentences, each with its retrieval rank: the first few, and the
        one closest in meaning to the question if it ranks lower (words shared with other passages can
        outrank it: "breaks down" is all over the downtime passages, "breakdown" in the one saying whom
        to call); after them the opening of any of their sections whose heading asks what was asked,
        ranked as the hit that brought it in, and of the best few's sections, ranked after every hit. Told that it
        already happened, the whole section of the best hit is read: what to do then follows how to prevent it, often
        in a part not retrieved, as the scene ("my account gets locked in 1 hour") matches the warning signs."""
        read = [(hit, rank) for rank, hit in enumerate(hits[:PASSAGES_READ])]
        closest = max(range(len(hits)), key=lambda r: hits[r].dense_score or 0.0, default=None)
        if closest is not None and closest >= PASSAGES_READ:
            read.append((hits[closest], closest))
        read += [
            (hit, rank)
            for rank, hit in enumerate(hits[PASSAGES_READ:], PASSAGES_READ)
            if rank != closest and asks_the_same(hit.chunk.own_heading, question)
        ]
        ids = {hit.chunk.id for hit, _ in read}

        def read_too(chunk: Chunk, like: Hit, rank: int) -> None:
            """Read ``chunk`` as well, scored as the hit ``like`` and ranked ``rank``, unless read or unusable."""
            if chunk.id not in ids and snapshot.usable(chunk):
                read.append((replace(like, chunk=chunk), rank))
                ids.add(chunk.id)

        if question.asks_what_to_tell:  # a section asking what to tell may not be retrieved, its words no scene's
            for opening, *_ in snapshot.sections.values():
                if tells_of(opening.own_heading, question, question_terms):
                    read_too(opening, Hit(opening, 0.0), len(hits))
        if question.asks_where_to_begin:  # a section asking it may not be retrieved, as the asker's scene
            # outranks its words ("each person" outranks "Where should a manager start?"); in a document read, its
            # title may name the thing, and any other names it in its heading, read after all retrieved
            first_read = {hit.chunk.doc_path: (hit, rank) for hit, rank in reversed(read)}
            for (document, _), (opening, *_) in snapshot.sections.items():
                titled = snapshot.title_terms(opening) if document in first_read else frozenset()
                if asks_where_to_begin(opening.own_heading, question, titled):
                    read_too(opening, *first_read.get(document, (Hit(opening, 0.0), len(hits))))
        # The opening of each read passage's section: ranked as the hit where its heading asks what was asked; else,
        # for the best few, after every hit: "Which open standards should we ask vendors to support?" opens with the
        # list for "What open standards should I literally write into an RFP ...?", its second passage retrieved
        # first. A follow-up's hits are found with the question before it, so only where the heading names a word of
        # its own: "how long should it run?" after a pilot question names none of "Who should be on the pilot team?"
        for hit, rank in list(read):
            chunk = hit.chunk
            start = snapshot.section_start(chunk)
            if start is None or start.id in ids:
                continue
            if heading_match(chunk.own_heading, question, question_terms, snapshot.title_terms(chunk)) >= HEADING_MATCH:
                read_too(start, hit, rank)
            elif rank < OPENINGS_READ and (not followup or question.own_terms & heading_terms(chunk.own_heading)):
                read_too(start, hit, len(hits))
        if question.after_the_fact and hits:
            best = hits[0]
            for chunk in snapshot.sections.get((best.chunk.doc_path, best.chunk.section), ()):
                read_too(chunk, best, 0)
        return read

    def candidates(
        self,
        passages: Sequence[tuple[Hit, int]],
        question: Question,
        question_terms: frozenset[str],
        query_vector: np.ndarray,
        snapshot: Snapshot,
        audience: Audience,
    ) -> list[Candidate]:
        sentences = self.sentences.get([hit.chunk for hit, _ in passages], snapshot.generation)
        doc_rank: dict[str, int] = {}
        for number, (hit, _) in enumerate(passages):
            doc_rank.setdefault(hit.chunk.doc_path, number)
        found: list[Candidate] = []
        for number, (hit, rank) in enumerate(passages):
            passage = sentences.get(hit.chunk.id)
            if passage is None:
                continue
            chunk = hit.chunk
            start = snapshot.section_start(chunk)
            opening = start is not None and start.id == chunk.id
            heading, previous = chunk.own_heading, None
            titled = snapshot.title_terms(chunk)
            match = heading_match(heading, question, question_terms, titled)
            named_all = names_all(heading, question, question_terms)
            section = (chunk.doc_path, chunk.section)
            similarity = passage.vectors @ query_vector
            lead_ins = {
                s.text: float(sim)
                for s, sim in zip(passage.sentences, similarity, strict=True)
                if s.role is Role.SKIPPED and s.text.endswith(":")
            }
            for index, (sentence, sim) in enumerate(zip(passage.sentences, similarity, strict=True)):
                if sentence.role is Role.HEADING:  # an in-text question heading (PDF, HTML) opens a section
                    heading, opening, previous = sentence.text, True, None
                    match = heading_match(heading, question, question_terms, titled)
                    named_all = names_all(heading, question, question_terms)
                    section = (chunk.doc_path, heading)
                    continue
                if sentence.role is Role.SKIPPED:
                    continue
                found.append(
                    Candidate(
                        passage=number,
                        index=index,
                        text=sentence.text,
                        terms=sentence.terms,
                        vector=passage.vectors[index],
                        similarity=max(float(sim), LEAD_IN_SHARE * lead_ins.get(sentence.lead_in, 0.0)),
                        rank=rank,
                        heading_match=opening_match(heading, sentence.terms, question, question_terms, titled)
                        if opening
                        else match,
                        opening=opening,
                        place=(doc_rank[chunk.doc_path], chunk.ordinal, index),
                        previous=previous,
                        item=sentence.item,
                        lead_in=sentence.lead_in,
                        section=section,
                        for_other=audience is not Audience.ALL and not chunk.audience.addresses(audience),
                        heading_names_all=named_all,
                        ends_paragraph=sentence.ends_paragraph,
                    )
                )
                opening, previous = False, index
        return found

    def confident(
        self,
        question: str,
        scene: frozenset[str],
        candidates: Sequence[Candidate],
        question_terms: frozenset[str],
        vocabulary: Vocabulary,
        lexicon: Iterable[str],
        followup: bool = False,
        compared: str = "",
        searched: str = "",
    ) -> bool:
        """The best sentence matches the question well enough to answer, less for words the playbook never uses
        (the asker's own machines and colleagues, "on the Mazak", aside: they are no sign the playbook cannot
        answer). A question set in a scene ("the light curtain on cell 2 trips every few minutes and kills my
        numbers. can i just tape it over") is judged by its asking sentence too, without the scene's words
        the playbook never uses ("dave from 3rd shift"), and by its asking sentence with what the scene names
        when it asks of that by "it" or "that" ("HR posted something about CMfgT ... should i care about that"):
        the scene's words dilute the whole match. A follow-up is judged on its own words too: the earlier
        question searched with it dilutes what it adds ("and if i dont hear back, how long do i wait?" after
        "how do i put in an idea?"), and the words the playbook never uses are counted over the question
        searched (``searched``), the earlier one with it: "how long before it flips red and pings somebody?"
        after a question on the andon's yellow light. Each of those readings costs an embedding, so it is judged
        only when the ones before it fall short. A comparison of two things the playbook names is judged by those
        two too ("MTBF vs MTTR" in "quick refresher on MTBF vs MTTR for my staff meeting, ideally with a number
        example")."""

        def judged(text: str, words: frozenset[str], vector: np.ndarray | None = None) -> float:
            best = max(
                (relevance(c, words, None if vector is None else float(c.vector @ vector)) for c in candidates),
                default=0.0,
            )
            return best - UNKNOWN_PENALTY * vocabulary.unknown_share(vocabulary.without_own_names(text))

        asking = asking_sentences(question)

        def readings() -> Iterator[float]:
            yield judged(searched if followup and searched else question, question_terms)
            if followup and (own_terms := frozenset(terms(question))):
                yield judged(question, own_terms, self.embedder.embed_queries([question])[0])
            told = without_unknown_scene(question, scene, vocabulary)
            if told != question and (told_terms := frozenset(terms(told))):
                yield judged(told, told_terms, self.embedder.embed_queries([told])[0])
            if (len(asking) > 1 or asking[0] != question) and (ask_terms := frozenset(terms(asking[0]))):
                yield judged(asking[0], ask_terms, self.embedder.embed_queries([asking[0]])[0])
            if named := asked_of_named(question, lexicon):
                yield judged(named, frozenset(terms(named)), self.embedder.embed_queries([named])[0])
            if compared:
                yield judged(compared, frozenset(terms(compared)), self.embedder.embed_queries([compared])[0])

        if any(confidence >= self.settings.abstain_threshold for confidence in readings()):
            return True
        # A short ask leaning on its scene ("OEE ... went from 62 to 75 in one week and nothing changed on the floor. we
        # celebrate?") says too little alone, and the scene dilutes it: a sentence holding every word of the ask and
        # several of the scene's answers it ("When OEE or another KPI jumps suddenly, ask what changed on the floor
        # before celebrating ...").
        asked = frozenset(terms(asking[0])) if len(asking) == 1 and asking[0] != question else frozenset()
        return bool(asked) and any(
            asked <= c.terms and len((scene - asked) & c.terms) >= SCENE_TERMS_ANSWERED for c in candidates
        )

    def abstain(self, hits: Sequence[Hit], audience: Audience, question: str = "") -> Answer:
        return Answer(
            abstain_text(audience, question),
            (),
            True,
            self.name,
            suggestions=abstention_suggestions(hits, audience),
            hits=tuple(hits),
        )

    def answer(self, request: AnswerRequest) -> Answer:
        hits = request.hits
        if not hits:
            return self.abstain(hits, request.audience, request.question)
        asked = analyze(request.question, request.snapshot.glossary.phrases)
        question = read_question(request, asked)
        question_terms = frozenset(terms(request.query))
        snapshot = request.snapshot
        passages = self.passages(hits, question, question_terms, snapshot, request.is_followup)
        query_vector = self.embedder.embed_queries([request.query])[0]
        candidates = self.candidates(passages, question, question_terms, query_vector, snapshot, request.audience)
        last_answer = last_said(request.history, "assistant") if request.is_followup else ""
        # ... asked what happens after it ("and then what happens?"), the asker moves on from the sections said
        if request.is_followup and not names_new_subject(asked, request.history) and not asked.asks_what_happens_next:
            candidates = after_last_answer(candidates, last_answer)
        # a trainer's verified answer to this question answers it, whatever the playbook lacks: a refused question's
        # gap, once answered, is not refused again for a figure no passage gave ("whats the actual reg number")
        # ... asked again in other words, where the answer is what retrieval found first ("what is the max motor temp on
        # press 4 before i shut it down?" for one asked with "screen is showing 71 right now" after it)
        answering = {
            c.section
            for c in candidates
            if c.section[0] in snapshot.verified
            and (c.heading_match >= HEADING_MATCH or c.rank == 0 and c.heading_match >= VERIFIED_FIRST_MATCH)
        }
        # ... and so does a section whose heading asks it, as the same kind of question: "What does a smart
        # manufacturing project actually cost?" answers "... actually cost, beyond the sensors?" in six categories,
        # though it names no sum
        answered_as_asked = bool(answering) or any(
            c.heading_match >= ASKED_AS_HEADED and intent_of(c.section[1]) is question.intent for c in candidates
        )
        if (
            not self.confident(
                request.question,
                question.scene_terms,
                candidates,
                question_terms,
                snapshot.vocabulary,
                snapshot.glossary.phrases,
                request.is_followup,
                compared_names(question, snapshot.glossary.phrases),
                request.query,
            )
            or not answered_as_asked
            and (
                asks_what_it_never_gives(request.question, candidates)
                or (request.is_followup and lacks_asked_sum(question, candidates))
                or lacks_asked_fact(question, candidates, snapshot.vocabulary, request.is_followup)
            )
        ):
            return self.abstain(hits, request.audience, request.question)
        limit = (
            self.settings.manager_sentences if request.audience is Audience.MANAGER else self.settings.worker_sentences
        )
        said = tuple(sentence for sentence, _ in claims(last_answer))  # its sentences, citation marks removed
        if answering:  # the trainer's answer is the answer, written for this question: not a playbook example near it
            candidates = [c for c in candidates if c.section in answering]
        # a sentence sending the reader elsewhere for what the question never names is no answer to it: "Contact
        # CESMII directly for current membership terms." for "can we actually go see this stuff running somewhere?"
        # after a question on CESMII
        if own := question.own_terms:
            candidates = [c for c in candidates if not (refers_elsewhere(c.text) and not own & c.terms)]
        several = asked_parts(request.question)
        parts = list(zip(several, self.embedder.embed_queries(several), strict=True)) if several else []
        chosen = compose(candidates, question, question_terms, limit, said, parts)
        if (cut := cut_list(chosen)) is not None:
            # a list that leads with fewer items than its lead-in counts ("five features:" with three; the rest in a
            # passage not retrieved) reads as cut short: the answer is composed without it
            chosen = compose([c for c in candidates if not cut(c)], question, question_terms, limit, said, parts)
        if answering:  # ... read as the trainer wrote it
            chosen = sorted(chosen, key=lambda c: c.place)
        if not chosen:  # every sentence read only points elsewhere in its document
            return self.abstain(hits, request.audience, request.question)
        absent = stated_absence(candidates, chosen[0], question, question_terms)
        referred = absent is not None or refers_elsewhere(chosen[0].text)
        if referred:  # "Contact CESMII directly for current membership terms.": what the playbook says, and no more
            chosen = [absent or chosen[0]]
        # two passages of one section (and page) are one source to the reader: cited once, as [2], not [2] and [3]
        places: dict[tuple[str, str, int | None], int] = {}
        numbers: dict[int, int] = {}
        cited: dict[int, list[str]] = {}
        shown = as_read(chosen)
        for sentence, read in zip(chosen, shown, strict=True):
            chunk = passages[sentence.passage][0].chunk
            n = numbers[sentence.passage] = places.setdefault(
                (chunk.doc_path, chunk.section, chunk.page), len(places) + 1
            )
            cited.setdefault(n, []).append(read)
        blocks = layout(chosen, numbers, steps=question.intent is Intent.PROCEDURE)
        if question.intent is Intent.YESNO and not referred and says_no(request.question, shown[0]):
            blocks = answered_no(blocks)
        citations = tuple(
            citation_for(n, [passages[p][0] for p, m in numbers.items() if m == n], " ".join(cited[n])) for n in cited
        )
        answered = {(c.source, c.section) for c in citations}
        nearby = [
            h
            for h in hits
            if (h.chunk.doc_path, h.chunk.section) not in answered
            and h.chunk.audience in (request.audience, Audience.ALL)
        ]
        related = tuple(q for q in suggestions(nearby, asked=request.query) if q.endswith("?"))
        return Answer(
            answer_text(blocks),
            citations,
            referred,
            self.name,
            suggestions=abstention_suggestions(hits, request.audience) if referred else related,
            hits=tuple(hits),
            passages=tuple(hit for hit, _ in passages),
            intent=question.intent.value,
            blocks=blocks,
        )

    def stream(self, request: AnswerRequest) -> Iterator[str | Answer]:
        answer = self.answer(request)
        yield answer.text
        yield answer
