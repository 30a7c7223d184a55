"""Pure text helpers shared by ingest, retrieval and answering: no I/O, no models."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from functools import lru_cache, partial
from typing import cast

import Stemmer
from bm25s.stopwords import STOPWORDS_EN

# Question words and pronouns carry no topic; dropping them keeps term overlap about content.
STOPWORDS = (
    frozenset(STOPWORDS_EN)
    | frozenset(
        """a about after all also am an any are as at be been before being but by can could did do
    does doing done for from get gets got had has have how i if in into is it its just me more most
    my no not of on or our out over own same she should so some such than that the their them then
    there these they this those through to too under up very was we were what when where which
    while who whom why will with would you your yours us he him his her hers ours mine whats hows
    please tell explain know want need thing things really much many way""".split()
    )
    | frozenset("im ive w wo tho pls plz thx lol ya gonna wanna dunno kinda sorta hafta gotta rly".split())
    | frozenset("ok okay cuz coz ur n r".split())  # not "u": "Tooling U", "U.S."
    # contractions typed without the apostrophe ("itll cut our downtime in half"); not "id", "hell", "well"
    | frozenset("itll thatll theyll youll theyre whos hes shes weve theyve youve youd theyd wouldve shouldve".split())
    | frozenset("anybody anyone somebody someone everybody everyone guy guys".split())  # a person, any person
    | frozenset("anywhere somewhere everywhere stuff".split())  # a place, any place; things, any things
    # "doesn't" reads "doesn", and "doesnt" typed without its apostrophe: a negation, no topic
    | frozenset(
        f"{verb}{end}"
        for verb in "doesn don isn aren wasn weren didn hasn haven won shouldn couldn wouldn ain".split()
        for end in ("", "t")
    )
    | frozenset(("cant",))
)  # chat

_WORD = re.compile(r"[0-9a-z]+(?:['’][a-z]+)?", re.IGNORECASE | re.ASCII)
_CODE_ELEMENT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)  # code, never prose
_TAG = re.compile(r"<[^>]{0,2000}>")
# C0 and C1 controls (NUL included) and lone surrogates (undecodable bytes in a command-line
# argument arrive as these, and the tokenizer rejects them).
_PUNCTUATION = re.compile(r"[^\w\s]|_")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff]")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*(\s+)(?=[\"'“(]?[A-Z0-9])")  # group 1: the gap after it
# A line break inside a sentence (PDF text is hard-wrapped): no end punctuation, lower-case next line.
_WRAPPED = re.compile(r"(?<=[^.!?:\s])\n(?=[a-z0-9(])")
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
# A sentence does not end after these words ("e.g. OEE", "No. 4"), matched as whole words, not as endings:
# "systems." and "problems." end sentences, and so does "no." unless a number follows it.
_ABBREVIATION = re.compile(r"(?:^|[\s(\"'“])(?:e\.g|i\.e|etc|vs|approx|dr|mr|ms|u\.s)\.$", re.IGNORECASE)
_NUMBER_SIGN = re.compile(r"(?:^|[\s(\"'“])no\.$", re.IGNORECASE)


# Bump when terms() changes: BM25 indexes persisted by another version are then rebuilt.
TOKENIZER_VERSION = "14"  # 2: British spellings read as American ones; 3: shop-floor short forms; 4: chat
# shorthand ("im", "w/o", "tho") is no topic; 5: nor are "ok", "cuz" or a negation ("doesnt", "doesn't"); 6: ASCII
# letters only (case-insensitive matching had let "ı", "ſ" and the Kelvin sign in as letters); 7: more short forms
# ("cal sticker", "mgmt", "sup"); 8: "anybody", "the guy" name nobody in particular; 9: "sm" is smart
# manufacturing; 10: "estop" is the e-stop; 11: "anywhere", "stuff" name no place or thing in particular; 12: "vib"
# is vibration; 13: "chk" is check, "npv" and "irr" are spelled out, and contractions typed without their apostrophe
# are no topic; 14: "wks" and "yrs" are spelled out
# Short forms people type and the playbook spells out ("30 sec every 15 min", "temp alert"). Not "hr",
# which the playbook uses for human resources.
SHORT_FORMS = {
    "min": "minute",
    "mins": "minutes",
    "sec": "second",
    "secs": "seconds",
    "hrs": "hours",
    "temp": "temperature",
    "maint": "maintenance",
    "qty": "quantity",
    "cal": "calibration",
    "mgmt": "management",
    "mgr": "manager",
    "sup": "supervisor",
    "prod": "production",
    "equip": "equipment",
    "mfg": "manufacturing",
    "cert": "certification",
    "certs": "certifications",
    "sm": "smart manufacturing",  # "our sm roadmap"; CESMII's "SM Profiles" are Smart Manufacturing Profiles
    "estop": "e stop",  # the playbook writes "e-stop", read as "e" and "stop"
    "estops": "e stops",
    "chk": "check",  # "how do i do the first piece chk"
    "chks": "checks",
    "npv": "net present value",  # finance's short forms; the playbook spells them out
    "irr": "internal rate of return",
    "vib": "vibration",  # "vib reading on the gearbox"
    "vibs": "vibrations",
    "wk": "week",  # "what are we doing in wks 3-6"
    "wks": "weeks",
    "yr": "year",
    "yrs": "years",
}


_SHORT_FORM = re.compile(rf"\b(?:{'|'.join(SHORT_FORMS)})\b", re.IGNORECASE)


# "do i still gotta lock it out": the playbook's lockout, the machine it is done to named before
# Idioms for what the playbook says plainly: "lock it out" is lockout, who "makes the call" decides (no one is
# phoned), a pilot "killed" or a line "shut down" is stopped, sensors that "spy on" people watch and monitor them
# (the worker's heading asks "... used to watch me?"), or are "big brother"
_IDIOMS = (
    (re.compile(r"\block(?:ed|ing|s)?\s+(?:it|them|this|that|everything)\s+out\b", re.IGNORECASE), "lockout"),
    (re.compile(r"\bmak(?:e|es|ing) the (?:final )?call\b", re.IGNORECASE), "decide"),
    (re.compile(r"\bkill(?:s|ed|ing)?\b(?= (?:it|them|the (?:pilot|project|trial)))", re.IGNORECASE), "stop"),
    (re.compile(r"\bpull(?:s|ed|ing)? the plug(?: on)?\b", re.IGNORECASE), "stop"),
    (re.compile(r"\bspy(?:ing)? on\b", re.IGNORECASE), "watch and monitor"),
    # "is it the first step to getting rid of guys like me": taking their jobs
    (
        re.compile(
            r"\b(?:get|gets|getting|got) rid of (?=(?:guys|people|workers|folks|operators|staff|us|me|them)\b)",
            re.IGNORECASE,
        ),
        "take the jobs of ",
    ),
    # "am i gonna get in trouble for it", "will i get written up for that": punished for it
    (
        re.compile(r"\b(?:get|gets|getting|got|be|been)\s+(?:in(?:to)?\s+trouble|written\s+up)\b", re.IGNORECASE),
        "be punished",
    ),
    # "how far back should the baseline go": how long a stretch it covers
    (re.compile(r"\bhow far back\b", re.IGNORECASE), "how long"),
    (re.compile(r"\bpower[- ]?cycl(?:e|es|ed|ing)\b", re.IGNORECASE), "restart"),
    # "do i need to learn coding": programming, not the reason codes a worker enters
    (
        re.compile(r"\b(learn(?:s|ing)?|know|study|studying)\s+(?:how\s+)?(?:to\s+)?cod(?:e|ing)\b", re.IGNORECASE),
        r"\1 programming",
    ),
    # a reading "at 62 degrees all week no matter what", that "doesnt budge": one that never changes
    (
        re.compile(
            r"\b(?:read|reads|reading|said|says|saying|show(?:s|ed|n|ing)?|stuck|sat|sits|sitting)(?:\s+at)?"
            r"(?:\s+(?:exactly|like|about|around))?\s+\d[\d.,]*"
            r"\s*(?:degrees?|deg|°\s*[cf]?|psi|bar|%)?\s+(?:all|every|the\s+whole|the\s+entire)\s+"
            r"(?:day|week|shift|month|night)(?:\s+long)?"
            r"(?:,?\s+no matter what)?",
            re.IGNORECASE,
        ),
        r"\g<0> (a reading that never changes)",
    ),
    (
        re.compile(r"\b(?:does\s*n['’]?t|doesnt|won['’]?t|wont|never)\s+(?:budges?|moves?|change)\b", re.IGNORECASE),
        "never changes",
    ),
    (re.compile(r"\b(?:a |like )?big brother\b", re.IGNORECASE), "monitoring"),
    (re.compile(r"\b(?:landmines?|pitfalls?|gotchas?)\b", re.IGNORECASE), "risks"),  # "any legal landmines"
    # "the arm jerked toward me out of nowhere": it moved, in a way that surprised the asker
    (
        re.compile(
            r"\b(?:jerk|lurch|lunge|swing|swung|jump)(?:s|ed|ing)?(?=\s+(?:toward|towards|at|into)\s+(?:me|us|him|her)\b)",
            re.IGNORECASE,
        ),
        "moved",
    ),
    # ... not "without warning", the playbook's own words for a machine that fails unforeseen
    (re.compile(r"\bout of (?:nowhere|the blue)\b", re.IGNORECASE), "in a surprising way"),
    # "does it go all the way up?", "who bumps it up the chain": it escalates (a temperature that goes up does not)
    (
        re.compile(
            r"\b(?:go|goes|going|gone|went|get|gets|got|move|moves|bump|bumps|bumped)\s+"
            r"(?:(?:it|this|that)\s+)?(?:all the way up|up the (?:chain|ladder))\b",
            re.IGNORECASE,
        ),
        "escalate",
    ),
    # "what actually gets small manufacturers to go for this stuff": to adopt it ("go for $5k a year" is a price)
    (re.compile(r"\b(?:go|goes|going|went) for (?=(?:it|this|that|these|them)\b)", re.IGNORECASE), "adopt "),
    # "How do I pitch a sensor project to my board": make the business case for it
    (
        re.compile(
            r"\b(?:pitch|sell)(?:es|ed|ing)?\b(?=[^?.]{0,60}?\bto (?:my|our|the) (?:board|boss|owners?|leadership|"
            r"management|cfo|finance|execs?|executives|partners)\b)",
            re.IGNORECASE,
        ),
        "make the business case for",
    ),
    # "we're pretty lean on people": short of them, not lean manufacturing
    (re.compile(r"\blean on (people|staff|headcount|bodies|hands)\b", re.IGNORECASE), r"short of \1"),
    # "am i even allowed to do that": permission to do a job is being authorized for it
    (re.compile(r"\b(?:allowed|permitted)(?= to\b)", re.IGNORECASE), r"\g<0> and authorized"),
    (re.compile(r"\bfill(?:s|ed|ing)? (?:in|out)\b", re.IGNORECASE), "enter"),  # "fill in my downtime": enter it
    # "what time am i supposed to put in?", "do i put in a code for it": enter it; not "put in a new sensor"
    (
        re.compile(
            r"\bput(?:s|ting)? in\b(?=\s*(?:[?.!,]|$|(?:a|the|my|our) (?:codes?|times?|notes?|reasons?|stops?|"
            r"entry|entries|counts?)\b))",
            re.IGNORECASE,
        ),
        "enter",
    ),
    # "punch in all my stops at the end of the shift", "key in the counts": enter them ("punch in" alone: clock in)
    (
        re.compile(
            r"\b(?:punch|key)(?:es|ed|ing)? (?:in|up)\b(?=\s+(?:my|our|the|all|each|every|it|them)\b)", re.IGNORECASE
        ),
        "enter",
    ),
    (  # "how do u figure availability": calculate it; "how do i figure out why it jams" asks for a cause
        re.compile(
            r"\b(how (?:do|does|did|would|should|can|to)(?: (?:you|u|i|we|they))?) figure(?: out)?\b"
            r"(?! (?:out )?(?:why|what|who|where|when|whether|if)\b)",
            re.IGNORECASE,
        ),
        r"\1 calculate",
    ),
    (  # "how do I even work that number out": calculate it
        re.compile(
            r"\b(how (?:do|does|did|would|should|can|to)(?: (?:you|u|i|we|they))?)(?: even)? work "
            r"((?:that|it|this|the|our|my)(?: number| figure| score)?) out\b",
            re.IGNORECASE,
        ),
        r"\1 calculate \2",
    ),
    (
        re.compile(
            r"\bshut(?:s|ting)? ((?:the |a |our )?(?:line|machine|press|plant)s?|it|them|everything) down\b",
            re.IGNORECASE,
        ),
        r"stop \1",
    ),
    (  # "what info are they gonna want from me?", "what are they gonna want to know": what to tell them
        re.compile(
            r"\bwhat (?:(?:info|information|details|facts)\s+(?:are|will|do|does|would|might|is)\s+|(?:are|will|do|"
            r"does|would|might)\s+)(?:they|he|she|maintenance|quality|it|the \w+)\s+(?:gonna |going to |probably )?"
            r"(?:want|need|ask)(?:\s+to know|\s+for)?(?:\s+from (?:me|us))?\b"
            r"(?<!\bwant)(?<!\bneed)(?<!\bask)(?<!\bfor)"
            r"|\bwhat (?:(?:info|information|details|facts) (?:should|do|must|can) (?:i|we|u) "
            r"(?:have ready|bring|give)|(?:should|do|must|can) (?:i|we|u) have ready)"
            r"(?: (?:for|to) (?:them|him|her|maintenance|quality))?\b",
            re.IGNORECASE,
        ),
        "what should i tell them",
    ),
    (  # "gonna cost me my job": take it, not a price
        re.compile(
            r"\bcost(?:s|ing)? (?:me|us|him|her|them|you|u|people|workers|anyone|someone) "
            r"((?:my|our|his|her|their|your|a|the) jobs?)\b",
            re.IGNORECASE,
        ),
        r"take \1",
    ),
    # "is that on us?", "is that on them": whether the people are to blame (not "is that on the list")
    (
        re.compile(
            r"\b(?:is|was|are) (that|it|this|they) (?:really |all |just )?on "
            r"(?:us|me|them|him|her|my (?:crew|guys|people)|the (?:crew|operators|workers|guys))"
            r"(?=\W*$|\W*[?,.;!]|\s+(?:or|and)\b)",
            re.IGNORECASE,
        ),
        r"are the workers to blame for \1",
    ),
)


# Letters dictated one by one, three or more: "our dock o e e went from 55 to 80", "figure m t b f" (two, as "i t",
# may be words)
_DICTATED_LETTERS = re.compile(r"\b[A-Za-z](?: [A-Za-z]\b){2,}(?![\w'’-])")


def spelled_out(text: str) -> str:
    """The text with the shop floor's short forms written out ("cal sticker" reads "calibration sticker"): the
    embedding model, like the playbook, knows the words, not the shorthand. Letters dictated apart are one word ("o e
    e" reads "oee"). "lock it out" reads "lockout", and idioms read plainly ("who makes the call": who decides)."""
    text = _DICTATED_LETTERS.sub(lambda match: match.group(0).replace(" ", ""), text)
    return plainly(_SHORT_FORM.sub(lambda match: SHORT_FORMS[match.group(0).lower()], text))


# What the playbook calls a thing the asker tells of in other words, searched for by its name too (the passages are
# found, and their sentences weighed, by it), but not read into what the question asks, its intent and focus: "a
# pallet landed right where he stood a second before, nobody got hurt" is a near miss, and "Report every near miss,
# even if nobody was hurt ..." answers "do i still have to report it if nobody got hurt?" before the section asking
# why to report them does
_NOBODY = r"(?:nobody|no ?one)"
_NAMED_BY_PLAYBOOK = (
    (
        re.compile(
            rf"\b{_NOBODY}(?:['’]s| was| were| got| is)? (?:hurt|injured)\b|\bno harm done\b"
            r"|\bdid ?n['’]?t (?:hurt|injure) (?:anyone|anybody|me|him|her|them)\b",
            re.IGNORECASE,
        ),
        "near miss",
    ),
    # "i hit yellow and nobody shows up, then what happens": the call for help escalates
    (
        re.compile(
            rf"\b{_NOBODY}(?:['’]s)? (?:(?:has |have )?(?:shows?|showed|shown|comes?|came|answers?|answered|"
            r"responds?|responded)(?: up)?)\b",
            re.IGNORECASE,
        ),
        "escalation",
    ),
    # "we're at 62%, whats a good number supposed to be?": the playbook asks what score is good
    (re.compile(r"\bgood (?:number|figure|value|percentage)\b", re.IGNORECASE), "good score"),
    # "OEE on line 2 went from 60 to 80 basically overnight": a KPI that jumps suddenly (a rise: "dropped from 70 to
    # 58 overnight" is the drop new data collection shows)
    (
        re.compile(
            r"\b(?:went|gone|goes|go|jumped|jumps|shot|climbed|rose|moved)\s+(?:up\s+)?from\s+(?P<before>\d+(?:\.\d+)?)"
            r"\s*%?\s+to\s+(?P<after>\d+(?:\.\d+)?)\s*(?:%|percent)?(?:\s+\w+){0,2}?\s+"
            r"(?:overnight|in\s+(?:a|one|1)\s+(?:day|week|shift|night))\b",
            re.IGNORECASE,
        ),
        "jumps suddenly",
    ),
)


def searched_as_named(text: str) -> str:
    """The text with the playbook's name for what it tells of added after it (``_NAMED_BY_PLAYBOOK``); a figure told
    going from one value to another is named only where it rose."""
    for told, name in _NAMED_BY_PLAYBOOK:
        text = told.sub(partial(_with_name, name=name), text)
    return text


def _with_name(match: re.Match[str], name: str) -> str:
    """What the match tells, then its name in brackets; a figure told that did not rise names nothing."""
    figures = match.groupdict()
    if "before" in figures and float(figures["after"]) <= float(figures["before"]):
        return match.group(0)
    return f"{match.group(0)} ({name})"


def plainly(text: str) -> str:
    """The text with its idioms read plainly: "do i have to shut it down" asks to stop it."""
    for idiom, meaning in _IDIOMS:
        text = idiom.sub(meaning, text)
    return text


# Words that only stress what is asked: "what the heck is takt time" asks what takt time is.
_STRESS = re.compile(
    r"\b(what|which|who|where|when|why|how)\s+(?:the\s+(?:heck|hell|fuck|frick|freak)|on\s+earth|in\s+the\s+world)\b",
    re.IGNORECASE,
)


# "u" typed for "you" after a verb ("how do u work it out"); "Tooling U" keeps its capital
_YOU = re.compile(r"\b(do|does|did|can|could|would|will|should|r|are|if|when|have|thank|tell|let|need)\s+u\b")


def unstressed(text: str) -> str:
    """The question without words that only stress it ("what the heck is takt time": what is takt time), and with
    "you" for a "u" typed after a verb ("how do u work it out")."""
    return _YOU.sub(r"\1 you", _STRESS.sub(r"\1", text))


@lru_cache(maxsize=1)
def _us_spelling() -> dict[str, str]:
    from localspelling.spelling_converter import get_dictionary  # 70 ms of regex compiling: on first use

    return cast(dict[str, str], get_dictionary("us"))


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def normalize(text: str) -> str:
    """Text as compared for sameness: NFKC, lower case, punctuation and underscores as spaces, spaces collapsed
    ("Micro-Stops, AND O.E.E.!" reads "micro stops and o e e")."""
    text = _PUNCTUATION.sub(" ", unicodedata.normalize("NFKC", text).lower())
    return " ".join(text.split())


def clean_text(text: str) -> str:
    """Normalize Unicode, drop control characters (NUL included) and collapse runs of spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub(" ", text)
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def plain_text(text: str) -> str:
    """Text safe to show anywhere: markup removed, entities decoded, no HTML left."""
    text = _MD_LINK.sub(r"\1", text)
    text = _TAG.sub(" ", _CODE_ELEMENT.sub(" ", text))
    text = html.unescape(text)
    text = _TAG.sub(" ", _CODE_ELEMENT.sub(" ", text))  # entities may have hidden tags: &lt;script&gt;
    text = text.replace("<", "‹").replace(">", "›")  # stray angle brackets never reach a renderer
    text = _MD_EMPHASIS.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def terms(text: str) -> list[str]:
    """Lower-cased, stemmed content words: the one tokenizer for BM25 and term overlap."""
    us = _us_spelling()  # the playbook spells "color"; a worker may type "colour"
    words = [w.replace("’", "'").split("'")[0] for w in _WORD.findall(text.lower())]
    words = [part for w in words for part in SHORT_FORMS.get(w, w).split()]
    return cast(list[str], _stemmer().stemWords([us.get(w, w) for w in words if w and w not in STOPWORDS]))


def unwrap(text: str) -> str:
    """The text with the line breaks inside its sentences made spaces (PDF text is hard-wrapped)."""
    return _WRAPPED.sub(" ", text)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences in ``text``; list items and lines count as sentences."""
    unwrapped = unwrap(text)  # same length, so spans index ``text`` too
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in unwrapped.splitlines(keepends=True):
        body = line.rstrip()
        start = offset + (len(line) - len(line.lstrip()))
        offset += len(line)
        if not body.strip():
            continue
        cursor = start
        line_end = start + len(body.strip())
        for match in _SENTENCE_END.finditer(unwrapped, start, line_end):
            end = match.start(1)
            before = unwrapped[cursor:end]
            if _ABBREVIATION.search(before) or (_NUMBER_SIGN.search(before) and unwrapped[match.end()].isdigit()):
                continue
            if unwrapped[cursor:end].strip():
                spans.append((cursor, end))
            cursor = match.end()
        if unwrapped[cursor:line_end].strip():
            spans.append((cursor, line_end))
    return spans


def is_list_item(text: str) -> bool:
    """The line is a bulleted or numbered list item."""
    return bool(_BULLET.match(text))


def sentence_text(text: str) -> str:
    """A sentence as it reads in an answer: bullets and markup stripped, ending punctuation kept."""
    sentence = plain_text(_BULLET.sub("", text))
    if sentence and sentence.rstrip("\"'”’)")[-1:] not in (".", "!", "?", ":"):  # 'called "pilot purgatory."'
        sentence += "."
    return sentence


def sha256(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()
