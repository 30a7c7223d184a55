"""What a question asks: its intent, the thing it is about (focus) and what it wants to know of it
(attribute). Pure functions over the question's words; the answer composer reads the result.

The rules look at the question's frame ("how long", "who do I tell", "difference between"), never
at its topic, so they carry over to questions and documents nobody has seen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property, lru_cache

from rag.text import plainly, terms


class Intent(str, Enum):
    DEFINITION = "definition"
    AMOUNT = "amount"
    TIME = "time"
    WHO = "who"
    LIST = "list"
    COMPARISON = "comparison"
    PROCEDURE = "procedure"
    ADVICE = "advice"
    YESNO = "yesno"
    WHY = "why"
    OTHER = "other"


# Question words as typed on a phone ("wat is an andon", "wut is a PLC"), spelled out before any frame is read
_TEXTED = {
    "wat": "what",
    "wut": "what",
    "wht": "what",
    "wats": "whats",
    "wuts": "whats",
    "r": "are",  # "what r we supposed to go over"
    "wen": "when",
    "rn": "right now",
    "b4": "before",
}
_TEXTED_WORD = re.compile(r"\b(?:" + "|".join(_TEXTED) + r")\b", re.IGNORECASE)


def spelled_out(text: str) -> str:
    """The question with its texted question words written in full: "wat counts as a near miss" reads "what ..."."""
    return _TEXTED_WORD.sub(lambda m: _TEXTED[m.group(0).lower()], text)


def _pattern(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"(?:" + "|".join(alternatives) + r")", re.IGNORECASE)


# What people are paid by the hour or the day ("a normal hourly rate for a system integrator"), not a rate things
# happen at: a price, whose "hour" no count of hours gives
PAY_RATE = r"\b(?:hourly|daily|day|pay|labou?r|billing|billable) rates?\b|\brates? (?:per|an|a) (?:hour|day)\b"
# What a thing sells for, asked in the floor's words: "ballpark, what does a sensor kit run per machine?", "what
# does cyber insurance usually go for a year"; not what people run ("what do we run per shift")
PRICE_IDIOM = (
    r"\bballpark\b|\bwhat (?:does|do|would|will) (?!(?:we|i|you|u|they)\b).{1,60}? (?:usually |typically |normally )?"
    rf"(?:run|go for|set (?:me|us|you) back)(?: (?:you|us|me))? (?:per|a|an|each)\b|{PAY_RATE}"
)


# First match wins: the more specific frames come first ("how many days" is a time, "how many" an amount).
_INTENTS: tuple[tuple[Intent, re.Pattern[str]], ...] = (
    # "What's the right way to fix it - can she just delete the entry": the steps, not what a way is; "How do I turn
    # 'less downtime' into an actual dollar figure" asks the way to work it out, not a sum
    (
        Intent.PROCEDURE,
        _pattern(
            r"\bwhat(?:['’]?s| is) the (?:right|correct|proper|safe|official|approved) (?:way|procedure) to\b",
            r"\bhow (?:do|can|should|would|to) (?:(?:i|we|you|u) )?(?:turn|convert|translate|put|express)\b"
            r"[^?]*\binto\b",
        ),
    ),
    # "whats the big deal and who do i tell": why it matters, in the floor's words, not what a deal is
    (Intent.WHY, _pattern(r"\bwhat(?:'s|’s|s| is) the (?:big )?(?:deal|harm)\b")),
    # "whats the test for whether an alert deserves to exist": what to judge it by, not what a test is
    (Intent.OTHER, _pattern(r"^\W*what\s*(?:is|'s|’s|s)\s+the\s+(?:\w+\s+)?\w+\s+(?:for|of)\s+(?:whether|if)\b")),
    # "what is X and how ...", "what is that, do i need to ...": two questions, and what X is comes first.
    (
        Intent.DEFINITION,
        _pattern(
            # ... not "whats the exam fee for the CMfgT and how many questions ...": a sum asked first
            r"^\s*what\s*(?:is|'s|’s|s)\s+(?![^,?]*\b(?:fees?|prices?|charges?|salary|wages?)\b)"
            r"[^,?]+?(?:\s+(?:and|n|&)|\s*,)\s+"
            r"(?:how|why|what|who|when|where|can|does|do|is)\b"
        ),
    ),
    # "What do they mean by zones and conduits, and where should we start segmenting?": what it means, asked first
    (Intent.DEFINITION, _pattern(r"^\s*(?:so\s+|ok\s+)?what (?:do|does) (?:they|people|folks|you|we) mean by\b")),
    # "and MTTR? is that the one that tells us how long a machine sits down?": what it is, checked
    (
        Intent.DEFINITION,
        _pattern(r"^\s*(?:so\s+|and\s+|ok\s+)?is (?:that|this|it) the (?:one|number|measure|metric) (?:that|which)\b"),
    ),
    # "why does that keep happening and how do we break the pattern?": why, asked first
    (Intent.WHY, _pattern(r"^\s*why\b[^?]*\band\s+how\b")),
    # "how often should we review those vs the downtime number itself?": a time asked of each, first
    (Intent.TIME, _pattern(r"^\W*(?:(?:so|and|ok|but)\s+)?how (?:long|often|soon)\b")),
    (
        Intent.COMPARISON,
        _pattern(
            r"\bdiff(?:erence|erent|s)?\b.*\b(?:between|from)\b",
            r"\bvs\.?\b",
            r"\bversus\b",
            r"\bcompared?\b",
            r"\bdiffer\b",
            r"\bdifference\b",
            r"\bdiff\b",
            r"\bsame (?:thing )?as\b(?! (?:before|usual|always|ever|now|last)\b)",  # "same as before" sets no side
        ),
    ),
    (
        Intent.YESNO,
        _pattern(
            r"^\s*(?:so\s+|and\s+|but\s+)?(?:is|are|can|could|do|does|did|will|would|should|may|"
            r"must|am|has|have|was|were|"
            r"(?:isn|aren|can|don|doesn|didn|won|shouldn|wasn|weren|couldn|wouldn)['’]?t)\b",  # typed "isnt" too
            r"[,;]\s*(?:do|does|can|could|should|is|are|will|am|may|must) (?:i|we|you|it|they|that|this)\b",
            # "our oee was like 52 tonight on line 3 am i gonna get written up for that", "chute keeps jamming for like
            # 30 sec then it restarts itself do i need to code every one", not "what else am i going to end up paying
            # for" nor "... or do i need to tell somebody", which asks whom
            r"^(?:(?!\b(?:what|which|who|whom|how|when|where|why)\b)[^?])*?\b(?:(?:am|are|will) (?:i|we|they|he|she) "
            r"(?:gonna|going to)|(?:do|can|should|must) (?:i|we) (?:need|have|gotta|got to|just|still|really))\b"
            r"(?![^?]*\b(?:tell|call|ask|contact|report to)\s+(?:some|any)(?:body|one)\b)",
            r"^\s*tell (?:me|us) (?:if|whether)\b",  # "can you tell me if i can tape it", the request read off
            # "if i hit the e-stop can i reach in": the condition first
            # ... with no other question word before the ask ("if i get the CMfgT how many years is it good for")
            r"^\s*(?:if|when|once) (?:i|we|you|the|a|an|my|our|it|they|he|she|some(?:one|body|thing)|"
            r"any(?:one|body|thing)|nobody|nothing|every(?:one|body))\b"
            r"(?:(?!\b(?:how|what|which|who|whom|when|where|why)\b)[^?,])*?\b"
            r"(?:(?:can|could|should|do|may|must) (?:i|we)|is (?:that|it|this))\b",
            # "... that ok?", "OK to allow that?", "Good idea?"
            r"\b(?:is )?(?:that|it|this) (?:ok|okay|alright|allowed|safe|fine|normal)\W*$",
            r"\b(?:ok|okay|alright|allowed|safe|fine|normal),? right\b",  # "thats fine right, saves time"
            # a denial to be confirmed: "what about the bad ones at startup, those dont count right?"
            r"(?:n['’]?t|\bnot|\bnever)\b[^?]*\bright\s*\?+\s*$",
            # "thats ok if everyones careful right?": asked of what was just told, whatever the condition
            r"^\s*(?:so\s+|but\s+)?(?:that|it)['’]?s (?:ok|okay|alright|allowed|safe|fine|normal)\b(?=[^?]*\?)",
            r"[.!,;]\s*(?:ok|okay|alright|all right)\W*$",  # "gonna reboot it. ok??"
            r"^\s*(?:ok|okay|safe|fine|alright) to\b",
            r"\bgood idea\W*$",
            # "maint wants to pull it for a rebuild. big deal?", not "why is that a big deal?"
            r"^(?:(?!\bwhy\b)[^?])*?\b(?:big deal|a problem|an issue)\s*\?+\s*$",
            # "guy says hes from IT, wants to plug his laptop in. let him?"
            r"^\s*(?:so\s+|and\s+|but\s+|ok\s+)?(?:just\s+)?let (?:him|her|them|it)\b",
        ),
    ),
    (
        Intent.TIME,
        _pattern(
            r"\bhow (?:long|often|soon|quickly|fast|short|far back|far (?:out|ahead|forward))\b",
            r"\bhow many (?:days|weeks|months|years|hours|"
            r"minutes|shifts)\b",
            # ... not which time to write down for an event: "What time do I enter?" (the time it happened)
            r"\bwhat time\b(?!\s+(?:do|should|am|can|must|would)\s+(?:i|we|u|you)\s+(?:\w+\s+){0,2}?"
            r"(?:enter|log|write|use|record|type)\b)",
            # "how much of my production manager's week does a pilot eat"
            r"\bhow much (?:time|of (?:their|my|"
            r"our|the|a|his|her)(?: [\w'’]+){0,3}? (?:week|day|time))\b",
            r"\bduration\b",
            r"\b(?:length|timeline|time ?frame)(?: of\b|\W*$)",  # "pilot length?", "the timeline of a pilot"
            r"\bdeadline\b",
            r"\bby what date\b",
            r"\bwhich year\b",
            r"\bwhat year\b",
        ),
    ),
    # "what is a learning budget?" asks what the thing is; "what is a realistic budget?" how much
    (
        Intent.DEFINITION,
        _pattern(
            r"^\s*(?:so\s+|and\s+|ok\s+)?what\s*(?:is|'s|’s|s)\s+an?\s+['‘\"“]?"  # "a 'learning budget'"
            r"(?!(?:reasonable|realistic|typical|normal|good|fair|rough|ballpark|usual|sensible)\b)\w+(?:[ -]\w+)?\s+"
            r"(?:budget|fund)\W*$"
        ),
    ),
    # "what costs am i likely to miss?" asks which kinds of cost, not how much; "what else do i need to budget for"
    # which other things
    # ... and "what should that policy actually say?" what a document holds, not advice
    (
        Intent.LIST,
        _pattern(
            r"\b(?:what|which) (?:\w+ ){0,2}costs\b",
            r"^\W*(?:(?:so|and|ok)\s+)?what else\b",
            r"\bwhat (?:should|must) (?:\w+ ){1,4}(?:say|cover|include|contain)\b(?! about\b)",
            # "what red flags does the playbook say to look for": the signs, several of them
            r"\b(?:what|which) (?:are (?:the )?)?(?:\w+ )?(?:red flags|warning signs|tell-?tale signs|signs)\b",
            # "what safety modes can a cobot run in?": the modes, all of them
            r"^\W*(?:(?:so|and|ok)\s+)?(?:what|which) (?:\w+ )?(?:modes|kinds|types|phases|levels|factors)\b"
            r"(?= (?:can|does|do|are|is|should|will)\b)",
        ),
    ),
    (
        Intent.AMOUNT,
        _pattern(
            r"\bhow (?:much|many|big|large|high|low|close|near|heavy|hot|loud)\b",  # a measure: "how close"
            r"\b(?:what|which) (?:tcp |udp )?ports?\b",
            r"\bwhat(?:['’]?s| is| are) the (?:default |standard )?(?:tcp |udp )?ports?\b",  # "the default TCP port"
            r"\bport number\b",
            # a setting's value: "what temp should the mold on press 6 be set to"
            r"\bwhat (?:temp|temperature|pressure|speed|torque|feed rate|rpm|setpoint|set point)\b"
            r"(?= (?:should|do|does|is|are|must|would)\b)",
            r"\bwhat (?:percent|percentage|share|"
            r"fraction|proportion|number|amount|size)\b",
            # "will this cost me my job" asks no sum
            r"\bcosts?\b(?!\s+(?:me|us|you|him|her|them)\s+(?:my|our|your|his|her|their)\b)",
            r"\bprice\b",
            r"\bwhat (?:does|do|will|would) .+ charge\b",
            r"\bcharges? (?:for|per)\b",
            # "a tiny shop with basically no budget" tells how little there is, and asks no sum
            r"(?<!\bno )(?<!little )(?<!limited )(?<!tight )(?<!small )(?<!tiny )(?<!low )\bbudget\b",
            r"\brevenue\b",
            r"\bsalary\b",
            r"\bwages?\b",
            r"\bfunding\b",
            r"\bfees?\b",
            r"\bfines\b",
            r"\bfine (?:for|if|in|per)\b",
            r"\bwhat (?:\w+ )?fine\b",  # "what fine per employee are we looking at"
            r"\bpay rate\b",
            r"\b(?:expect|have|need|going|gonna) to pay\b",  # "what should i expect to pay per machine"
            PRICE_IDIOM,
            r"\$ ?figure\b|\bdollar (?:figure|amount)\b",
            # ... not time spent: "i spend like 10 min reloading it"
            r"\bspend\b(?!\s+(?:(?:like|about|around|maybe|an?|the|my|our|all|half)\s+)*(?:[\d-]+\s*)?"
            r"(?:mins?|minutes?|hours?|hrs?|days?|weeks?|secs?|seconds?|time|shifts?)\b)",
            # "the max speed": a value ("30 min" is a time told); "better than the minimum" compares with one told
            r"(?<!than the )(?<!than )(?<!above the )(?<!below the )\b(?:max|maximum|minimum)\b",
            # "whats the actual force limit", "at what vibration reading should we swap it": a value to look up
            r"\b(?:what|wat)(?:s|'s|’s| is)? the (?:\w+ ){0,3}"
            r"(?:limit|threshold|reading|tolerance|torque|setpoint|spec)\b",
            r"\bat what (?:\w+ ){0,2}(?:reading|value)\b",
            r"\b(?:torque|pressure|temp|temperature|speed) (?:spec|setting|setpoint|limit)s?\b",  # "bolt torque spec"
            # "whats a good number for it": a figure to aim for, not what a number is
            r"\bwhat(?:['’]?s| is) (?:a |the )?(?:good|normal|decent|typical|realistic) "
            r"(?:\w+ )?(?:number|figure|value|score)\b",
            r"%",
        ),
    ),
    # "Who should be on the pilot team?" asks for the roles, several of them: the playbook lists them.
    (
        Intent.LIST,
        _pattern(
            r"\bwho (?:\w+ ){0,4}(?:be|sit|serve) (?:on|in)\b",  # "who else is supposed to be on the team?"
            r"\bwho (?:\w+ ){0,3}(?:involved|part of)\b",
            r"\bwho (?:do|should|must) (?:we|i) (?:need|involve|include|put)\b",
        ),
    ),
    (
        Intent.WHO,
        _pattern(
            r"(?<!about )\bwho(?:m|se)?\b",  # "what should the contract say about who owns our data" asks what
            r"\bwhich (?:person|people|team|role|department|group|"
            r"organi[sz]ation)\b",
            r"\bwhere (?:do|can|should) (?:i|we) (?:go|report|turn|ask)\b",
            r"\bwho(?:'s| is) in charge\b",
        ),
    ),
    # "how tight should we set the thresholds": a degree asked of one thing, not steps or advice
    (
        Intent.OTHER,
        _pattern(
            r"^\s*(?:\w+[,.]?\s+)?how "
            r"(?!(?:do|does|did|can|could|should|would|will|to|is|are|was|were|come|about|i|we|u)\b)"
            r"\w+ (?:should|must|do|does|can|is|are|need)\b"
        ),
    ),
    # "how do we decide which machine to put it on" asks what to go by in choosing, not the steps of something
    (
        Intent.ADVICE,
        _pattern(
            r"\bhow (?:do|can|should|would|to) (?:i|you|we) (?:\w+ )?(?:decide|pick|choose|select|figure out|work out) "
            r"(?:which|what|where|who|between)\b"
        ),
    ),
    (
        Intent.PROCEDURE,
        _pattern(
            r"\bhow (?:do|can|should|would|to) (?:i|you|we)?\b(?!.*\b(?:start|begin)\b)",
            # ... its helping verb left out, as it often is by those new to English: "how we control this, what
            # rules?", "how i can report it?", "what i do now?"
            r"(?:^|[,;]\s*)(?:(?:so|and|ok|then)\s+)?how (?:i|we|u) (?:can |must |should |have to )?"
            r"(?!(?:is|are|was|were|am)\b)[a-z]+\b(?!.*\b(?:start|begin)\b)",
            r"(?:^|[,;]\s*)(?:(?:so|and|ok|then)\s+)?what (?:i|we|u) (?:can |must |should |have to )?do\b"
            r"(?!\s+(?:in|on|at|during|for|with|about)\b)",  # not what is done in a time: "what we do in week 3 to 6"
            r"\bhow to\b",
            r"\bsteps?\b",
            r"\bprocedure\b",
            r"\bprocess for\b",
            r"\bwhat (?:do|should) (?:i|you) do\b",
            # which of two things told to go by: "Rev C on the screen, Rev B on the traveler. which one do i go with"
            r"\bwhich (?:one|version|copy|rev|revision|number|reading|screen) (?:do|should|would) (?:i|we) (?:\w+ )?"
            r"(?:go with|go by|use|follow|trust|believe|run|build|pick|take)\b",
            # "what am i actually supposed to do", "what do i have to do"
            r"\bwhat (?:am i|are we|do i|do we) (?:\w+ )?(?:supposed to|meant to|have to|need to|gotta) do\b",
            r"\bwhat (?:do|should) we do (?:about|with)\b",
            r"\bnow what\b|\bwhat now\b",
            r"\b(?:right|correct) order\b",
            r"\bwalk (?:me|us) through\b",
            r"\bsupposed to (?:go|work|run)\W*$",
            r"\bchecklist\b",
            r"\broutine\b",
            r"\bwhat happens (?:if|when)\b",
            r"\b(?:if|when)\b[^?.!]*\bthen what happens\b",  # "if i hit yellow and nobody comes, then what happens"
            r"\bwhat if\b",
        ),
    ),
    (
        Intent.WHY,
        _pattern(
            r"^\s*why\b",
            r"\bwhy\b",
            r"\bhow come\b",
            r"\bwhat(?:'s| is| are)? (?:the )?(?:point|"
            r"purpose|reason)\b",
            r"\bused for\b",
            r"\bwhat for\b",
            r"\bwhy does it matter\b",
            # a cause asked for: "what could be causing the vibration", "what usually makes a motor run hot"
            r"\bwhat (?:\w+ ){0,2}(?:causes?|causing|caused)\b",
            # what went wrong asks for the causes: "none ever got past the one machine. what are we doing wrong"
            r"\bwhat (?:are|am|is|were|was|did) (?:we|i|they|you|he|she|it) (?:\w+ )?(?:doing|do|did) wrong\b",
            r"\bwhat (?:went|goes|is going|keeps going) wrong\b",
            # "what is usually behind it?": its cause
            r"\bwhat(?:['’]?s| is| are)? (?:usually |normally |often |really )?behind (?:it|that|this|them)\b",
            r"\bwhere (?:are|am|did|do) (?:we|i|they) (?:\w+ )?go(?:ing)? wrong\b",
            r"\bwhat (?:\w+ )?makes (?:\w+ ){1,3}(?:run|go|get|turn|keep|stop|fail|trip|break|jam|shake|vibrate|"
            r"overheat)\b",
            # what moves people to act: "what actually gets small manufacturers to adopt this stuff"
            r"\bwhat (?:\w+ )?(?:gets|drives|pushes|convinces|persuades|motivates) (?:\w+ ){1,3}to\b",
        ),
    ),
    (
        Intent.ADVICE,
        _pattern(
            r"\bfirst (?:step|thing|move)s?\b",
            # what to do first, of two: "do we do that first or get an MES first"
            r"\bfirst or\b",
            r"\bor (?:\w+ ){1,4}first\b",
            # "where should a company our size start"
            r"\bwhere (?:do|does|should|can|could|would) (?:[\w-]+ ){1,6}?(?:start|begin)\b",
            r"\bhow (?:do|should|can) we (?:start|begin)\b",
            r"\bwhat should (?:we|i|a|our|my|the)\b",
            r"\bwhat (?:should|must|needs? to|has to) be done\b",
            r"\bshould (?:we|i)\b",
            r"\bbest (?:way|practice)s?\b",
            r"\btips?\b",
            r"\brecommend",
            r"\badvice\b",
            r"\bhelp\b\W*$",
            r"\bavoid\b",
            r"\bpick\b",
            r"\bchoose\b",
        ),
    ),
    (
        Intent.LIST,
        _pattern(
            r"\bwhat (?:are|r) (?:the|some|all)\b",
            r"\bwhich\b",
            # "the right code isnt even on the list??" tells of a list and asks for none
            r"(?<!on the )(?<!in the )(?<!off the )(?<!from the )\blist\b",
            r"\bname (?:the|some)\b",
            r"\bwhat (?:kinds?|types?|sorts?)\b",
            r"\bwhat (?:else|other)\b",
            r"\bexamples?\b",
            r"\bwhat do (?:the|my|our) .* (?:measure|include|cover|show)\b",
            # "what does it actually need to say?" asks what a document holds; "what does it say about X" asks of X
            r"\bwhat (?:does|do|must|will) (?:\w+ ){1,4}(?:say|cover|include|contain)\b(?! about\b)",
            r"\bwhat (?:\w+ ){0,2}needs? to be (?:in|on)\b",
            r"\bwhat goes\b",
            r"\bwhat (?:\w+ ){0,2}needs? to go (?:in|into|on)\b",
            r"\bwhat (?:am i|are we) (?:(?:actually|really|even) )?supposed to (?:check|go over|cover|bring|look at)\b",
            r"\bwhat (?:do|should) (?:i|we) (?:\w+ )?(?:go over|cover)\b",  # "what do i go over and in what order"
            r"\bwhat info(?:rmation)?\b",
            r"\bwhat should be (?:on|in)\b",
            r"\bwhat happens (?:in|during)\b",
            # "any certs i can get w/o a degree?" asks which there are; "any rules about phones?" what they say
            r"^\s*(?:(?:are|is) there\s+)?any \w+s\b(?! (?:about|on|of|for|to)\b)",
        ),
    ),
    (
        Intent.DEFINITION,
        _pattern(
            # ... not "what is supposed to happen next?", nor "what are they actually focused on?"
            r"^\s*(?:so\s+|and\s+|ok\s+)?what\s*(?:is|'s|’s|s|are|r)\s+"
            r"(?!(?:supposed|meant|gonna|going) to\b|(?:they|we|you|u|he|she|i)\b)"
            r"(?:an?\s+|the\s+)?\S",
            r"\bdefin(?:e|ition)\b",
            r"^\s*(?:so\s+|and\s+|ok\s+)?what (?:counts|is counted|qualifies) as\b",  # "what counts as a micro stop?"
            r"\bmeaning of\b",
            r"\bwhat does .* (?:mean|stand for)\b",
            r"\bwhat(?:'s|’s|s)? (?:that|this|it) (?:mean|stand for)\b",  # "whats that mean in normal words"
            r"\bexplain\b",
            r"\bwhat do (?:the|you) .* mean\b",
            r"\bmean(?:s)?\?*$",
            r"^\s*\S+\?\s*$",
        ),
    ),
)

# Words of the question's frame, which say what kind of answer is wanted rather than what it is about.
FRAME_WORDS = frozenset(
    terms(
        "difference diff different differ between versus vs compare compared same mean meaning means define "
        "definition explain stand long often soon quickly fast time times much many big large high percent "
        "percentage share fraction number amount kind kinds type types sort sorts list name example examples "
        "step steps procedure process start begin first best way ways tip tips recommend advice help avoid "
        "happen happens point purpose reason used use ok okay actually exactly basically anyway gonna wanna "
        "lol pls thx diff info information someone somebody tell who whom whose usually normally typically "
        "generally"
    )
)

# Words judging a value good or bad: "is 68% bad?" asks what "What OEE score is good?" answers.
JUDGING = frozenset(terms("good bad poor decent great terrible acceptable fine"))
_JUDGED = "good"
# ... asked of a measured value: "is that bad?", "good or bad", not "good parts" or "Line 5"
_JUDGES = re.compile(
    r"\b(?:is|are|that'?s|it'?s|thats|its)\s+(?:(?:that|it|this|those)\s+)?(?:\w+\s+)?(?:good|bad|poor|decent|"
    r"ok|okay|acceptable|terrible|normal)\b|\bgood or bad\b",
    re.IGNORECASE,
)
_BARE_FIGURE = re.compile(r"(?<![\w.,])\d+(?:\.\d+)?(?!\.?\w)")  # "so is 62 bad?"
_MEASURED = re.compile(r"\d\s*(?:%|percent\b|pct\b|min(?:ute)?s?\b|h(?:ou)?rs?\b|days?\b|ppm\b)", re.IGNORECASE)


def judged_as_one(words: frozenset[str]) -> frozenset[str]:
    """The terms with every word judging a value good or bad read as one word: a heading asking what is good
    answers whether a value is bad."""
    return frozenset(_JUDGED if w in JUDGING else w for w in words)


_CAPITALIZED = re.compile(r"\b(?:[A-Z][A-Za-z0-9&/-]*[A-Z0-9][A-Za-z0-9&/-]*|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+)\b")
_HOW_OFTEN = re.compile(r"\bhow (?:often|frequently)\b", re.IGNORECASE)
COMPARED_WORDS = 3  # a comparison's side longer than this says more than what is compared
_BETWEEN = re.compile(
    r"\bbetween\s+(?:an?\s+|the\s+)?(.+?)\s+(?:and|n|&)\s+(?:an?\s+|the\s+)?(.+?)"
    r"\s*(?:\?|$|,|\bin\b|\bfor\b)",
    re.IGNORECASE,
)
# A side of a comparison that names nothing itself points back at the things named before ("between the two")
_NAMED_BEFORE = frozenset(terms("two both either each other one"))
_VERSUS = re.compile(r"(.+?)\s+(?:vs\.?|versus|or|compared (?:to|with))\s+(.+?)\s*(?:\?|$)", re.IGNORECASE)
# "How is OT security different from IT, and how should patching work?": the two sides, each ending where the
# clause does
_DIFFERENT_FROM = re.compile(
    r"^\W*(?:(?:so|and|ok)\s+)?(?:how|in what way|what makes)\s+(?:is|are|does|do)\s+(?:an?\s+|the\s+)?(.+?)\s+"
    r"(?:different|differ|differs)\s+from\s+(?:an?\s+|the\s+)?(.+?)\s*(?:\?|$|,|\band\b)",
    re.IGNORECASE,
)
# Where a second question starts: "whats OEE n how do u work it out", "what counts as a near miss and who do i tell"
_THEN_ASKS = r"(?:\s(?:and|n|&)|,)\s+(?:how|why|what|who|when|where|can|does|do|is)\b"
# The parts of a thing named after it: "the andon colors", "the stack light codes"
_PART_NOUNS = r"colou?rs|lights|codes|signals|levels|modes"
_DEFINED = re.compile(
    r"^\s*(?:so\s+|and\s+|ok\s+)?what\s*(?:is|'s|’s|s|are|r)\s+(?:an?\s+|the\s+)?"
    # the name ends at the question mark, or where a second question starts
    rf"(.+?)(?=\s*(?:\?|$|{_THEN_ASKS})"
    r"|\s+(?:mean|stand for)\s*\??\s*$)"  # "whats OEE mean"
    r"|\bwhat does (?:an?\s+|the\s+)?(.+?) (?:mean|stand for)\b|\bdefine (.+?)\s*\??$"
    # "what do the andon colors mean": the parts of a thing named
    rf"|\bwhat do (?:the\s+)?(?!all\b)((?:[\w-]+\s+){{1,2}}(?:{_PART_NOUNS})) mean\b"
    # "whats OEE mean"; in "whats that mean" what "that" is was named before it
    r"|\bwhat(?:'s|’s|s) (?!(?:that|this|it) )(?:an?\s+|the\s+)?(.+?) (?:mean|stand for)\b"
    r"|\bmeaning of (?:an?\s+|the\s+)?(.+?)\s*\??$"
    rf"|\bwhat (?:counts|is counted|qualifies) as (?:an?\s+|the\s+)?(.+?)(?=\s*(?:\?|$|{_THEN_ASKS}))",
    re.IGNORECASE,
)
# "the red light on the andon": a part or property (the red light) of a thing (the andon).
# "what does the yellow light mean on the andon": the place told after "mean" belongs to what is defined, a part
# of it named in a word or two ("speed and separation monitoring" on a cobot is a thing of its own)
_MEANS_WHERE = re.compile(
    r"\b(what does (?:an?\s+|the\s+)?(?:[\w-]+\s+)?[\w-]+) (mean|stand for) "
    r"((?:on|of|in|at) (?:the|an?|my|our|your|this|that) [^?]+?)"
    r"\s*(\?|$)",
    re.IGNORECASE,
)
_PART_OF = re.compile(
    r"^(?:the\s+|an?\s+)?(?P<part>.+?)\s+(?:on|of|in|at)\s+(?:the|an?|my|our|your|this|that)\s+(?P<whole>.+)$",
    re.IGNORECASE,
)
# ... or named after it (``_PART_NOUNS``)
_PARTS_NAMED_AFTER = re.compile(rf"^(?:the\s+|an?\s+)?(?P<whole>.+?)\s+(?P<part>{_PART_NOUNS})$", re.IGNORECASE)
_REQUEST = re.compile(
    r"^\s*(?:so\s+|and\s+|ok\s+)?(?:can|could|would|will) (?:you|u|someone|somebody|anyone|anybody)(?: please| pls)?\s+"
    r"(?=(?:explain|tell|show|give|describe|list|walk|remind|help)\b)",
    re.IGNORECASE,
)
# Where a statement ends and another sentence starts, capital or not ("it's on my screen. can i reset it?",
# "this morning... am i in trouble"), after a number or a letter that labels a thing too ("on press 4. are they
# watching me", "the traveler says Rev C. just go off the tablet?"), and after "??" or a quote ("upstairs keeps saying
# 'smart factory'. is this how they replace us?? will this cost me my job"); "vs.", "e.g." and an initial ("John C.
# Smith") end no sentence.
_SENTENCE_END = re.compile(
    r"(?:(?<=\w{2}[.!?])(?<![vV][sS]\.)|(?<=\.\.\.)|(?<=[!?][!?])|(?<=\w['\"’”)][.!?])|(?<=(?<![\w.])\d[.!?])"
    r"|(?<=(?<![\w.])\w[!?]))\s+(?=\w)"
    r"|(?<=(?<![\w.])[A-Z]\.)\s+(?=[a-z])"
)
# Asked of the situation told as a whole: "... how do i get ahead of this", "what do we do about that?"
_OF_THE_SCENE = re.compile(
    r"\b(?:of|about|with|on|for) (?:this|that)\s*(?:[?.!]|$|\b(?:before|so|when|if)\b)", re.IGNORECASE
)
# A question word: a sentence asked without one asks yes or no, unless it asks whether there are any
_WH = re.compile(r"\b(?:what|whats|which|who|whom|whose|how|when|where|why)\b", re.IGNORECASE)
_ANY = re.compile(r"\W*(?:so\s+|and\s+|ok\s+)?any\b", re.IGNORECASE)
# A sentence shaped as a question, typed without its "?"
_LINKED = r"\s*(?:(?:so|and|but|ok|or)\s+)*"  # "ok so ..." before the question word
_ASKS = re.compile(
    rf"{_LINKED}(?:will|would|is|are|am|can|could|do|does|did|should|must|what|who|how|when|where|why)\b",
    re.IGNORECASE,
)
_WHATS = re.compile(rf"{_LINKED}(?:what|who|how|where)['’]?s\b", re.IGNORECASE)  # "whats", typed without its "is"
# "it" in capitals is the IT department: "Should our IT department own the program?" points at nothing said before
_REFERENCE = re.compile(r"\b(?:(?!IT\b)(?i:it|its)|(?i:that|this|these|those|they|them|there|one|ones))\b")
# What the asker asks to do, after "can i (just)", "do i have to", "who do i": "can i just tape it over" asks
# about taping it over; the scene before it ("light curtain keeps trippin") is no answer.
_ASKED = re.compile(
    r"\b(?:can|could|may|should|must|do|does|did|will|would|am|is|are|shall)\s+"
    # ... whoever is to do it: "should the operator reboot it or what?"
    r"(?:i|we|you|u|they|he|she|it|there|(?:the|my|our|your|a|an) (?:new )?(?:operator|tech|technician|worker|"
    r"trainee|lead|crew|team|guy|guys|supervisor|electrician|operators|techs|technicians|workers|trainees|leads))\s+"
    r"(?:(?:just|really|still|even|ever|actually|also|always)\s+)*(?:(?:have|need|got|ought)\s+to\s+|hafta\s+|gotta\s+)?"
    r"(?P<clause>[^?.!]+)"
    # "is my OEE number gonna be used to judge me": what it would be used for
    r"|\b(?:gonna|going to|be|being|get|getting)\s+used\s+(?:to|for|against)\s+(?P<use>[^?.!]+)"
    # "if i hit the e-stop first is that good enough to reach in and grab it?": what it would make safe to do
    r"|\b(?:is|was)\s+(?:that|this)\s+(?:(?:good|safe|ok|okay|fine)\s+)?enough\s+(?:for\s+(?:me|us)\s+)?to\s+"
    r"(?P<enough>[^?.!]+)"
    # "gonna power cycle it, thats fine right?": what the asker means to do, then asks whether it is all right
    r"|\b(?:gonna|going to|wanna|want to|about to|planning to|plan to|i['’]?ll|i will)\s+(?:just\s+)?"
    r"(?P<plan>[^?.!,]+)[,.!]?\s+(?:(?:is\s+)?(?:that|this)(?:['’]?s|\s+is)?\s+)?"
    r"(?:ok|okay|fine|alright|all right|good|cool|safe)\b"
    # "my gut says just reboot it. ok??"
    r"|\bjust\s+(?P<tagged>[^?.!,]+)[,.!]?\s+(?:ok|okay|alright|all right)\W*$"
    # asked in the order of a statement: "i must tell somebody?", "we should stop the line?"
    r"|^\W*(?:i|we)\s+(?:must|should|have to|need to|gotta|can)\s+(?P<stated>[^?.!]+)\?",
    re.IGNORECASE,
)
# "what if the hmi starts acting weird? just reboot it?": the act asked about, in a later asking sentence of its own
_JUST = re.compile(r"^\W*(?:(?:so|or|and|ok)\s+)?just\s+(?P<clause>[^?.!]+)", re.IGNORECASE)
# "can i just reset it so it stops beeping": the act asked about ends where its purpose or reason starts
_PURPOSE_WORDS = (
    r"so|so that|because|cuz|coz|to be safe|to be sure|just in case"  # not "cause" or "since": a noun, a time
)
# ... or a manner the asker wants it done in: "how do i fix it without it looking like im hiding something"
_WITHOUT = re.compile(r"\s+without\b", re.IGNORECASE)
# A case told, then asked about, in one sentence: "step 6 has the wrong torque vs the drawing, how do i flag it"
_TOLD_THEN_ASKED = re.compile(
    r"^(?P<told>[^?]+?),\s*(?P<asked>(?:so\s+|and\s+|but\s+)?(?:how|what|who|when|where|why|can|could|should|do|"
    r"does|is|are|am|will|would)\b.*)$",
    re.IGNORECASE,
)
_PURPOSE = re.compile(rf"\s+(?:{_PURPOSE_WORDS}|without)\b", re.IGNORECASE)
# ... and, asked yes or no, where its circumstance starts: "can i just hit silence when it pops up" asks about
# silencing; "how long should our pilot run before we make a call on it?" asks how long it runs
_WHEN_WORDS = r"when|whenever|if|while|once|before|after|until"
CIRCUMSTANCE = re.compile(rf"\s+(?:{_PURPOSE_WORDS}|{_WHEN_WORDS}|every time|till)\b", re.IGNORECASE)
# ... or a circumstance told before the ask: "before we start the sensor pilot on the grinder how long should we
# baseline for", "starting a pilot on the compressor how long should the baseline go"
_LEADING_CIRCUMSTANCE = re.compile(
    rf"^\W*(?:{_WHEN_WORDS}|(?!(?:some|no|any|every)?thing\b|morning\b|evening\b|during\b)[a-z]{{2,}}ing)\b"
    r"[^?]*?[\s,]+(?=(?:how|what|who|whom|which|where|why)\b)",
    re.IGNORECASE,
)


def without_leading_circumstance(text: str) -> str:
    """The ask without a circumstance told before it: "how long should we baseline for"."""
    return _LEADING_CIRCUMSTANCE.sub("", text)


# A second question after the first, asking whom, how long, how much, when or what to do: "do i really need to report
# that and who do i tell", "... if nobody got hurt? and to who", "who shows up, and how long should i try fixing it
# myself?", "how long is it supposed to go and what do we cover first"
_AND_ALSO = re.compile(
    r"(?:[,;?]|\band\b)\s*(?:and\s+|also\s+|then\s+|plus\s+)?"
    r"((?:(?:to|with)\s+)?(?:who|whom|how long|how much|how many|when|what (?:do|should|must) (?:i|we|u)"
    r"|how (?:do|should|can) (?:i|we|u) (?:not|avoid|stop|keep)"  # "... and how do we not end up there again"
    # ... or of the thing the first named: "What is MEP, and what does it cost?"
    r"|what(?:['’]?s| is| does| do| did| will| would) (?:it|that|this|they))\b.*)$",
    re.IGNORECASE,
)
_WHAT_IF = re.compile(r"^\W*(?:(?:and|so|ok|but)\s+)?what if\b", re.IGNORECASE)
_WHO = re.compile(r"\bwho\b", re.IGNORECASE)
_WHO_ASKED = re.compile(r"\bwho(?:m|se)?\b", re.IGNORECASE)  # ... in any form, where the act asked follows it
# Asked where to begin: "where do we actually start", "whats the first step"; not how something began ("How did
# SME begin?")
_BEGIN_ASKED = re.compile(
    r"\b(?:where|how) (?:do|does|should|can|could|would|to) (?:[\w-]+ ){0,6}?(?:start|begin|get started)\b"
    r"|\bfirst (?:real |actual )?(?:step|thing|move)\b",
    re.IGNORECASE,
)
# Questions run together with commas: "who do i tell, do i keep running in the meantime, and what happens after"
_NEXT_QUESTION = re.compile(
    r",\s+(?:and\s+)?(?=(?:do|does|can|should|is|are|am|will|what|who|how|when|where|why)\s+(?:i|we|u|you|it|they)\b)",
    re.IGNORECASE,
)
# ... or asking yes or no: "do i gotta log every one of those?? and does it even count against our oee"
_AND_WHETHER = re.compile(
    r"(?:\?\s*|\band\s+)(?:and\s+|also\s+|plus\s+)?"
    r"((?:do|does|did|is|are|can|could|should|will|would|must)\s+(?:i|we|you|u|it|they|that|this|those)\b[^?]*)",
    re.IGNORECASE,
)
# The kinds of fact a second question asks that one sentence can give: whom, how long, how much, why, what things
# ("A huddle goes over four things, in this order: ...")
_ASKED_TOO = (Intent.WHO, Intent.TIME, Intent.AMOUNT, Intent.WHY, Intent.LIST)
_THEN_HOW = re.compile(
    r"(?:[,;]|\band\b)\s*(?:and\s+|so\s+|then\s+)?how (?:do|can|should|would|to) (?:i|we|u)?\b", re.IGNORECASE
)
_WHAT_TO_DO = re.compile(
    r"\b(?:do|should|must) (?:i|we|u) (?:\w+ )?(?:gotta |have to |need to |hafta )?do (?:something|anything)\b"
    r"|\bwhat (?:do|should|can) (?:i|we|u) do\b|\bor (?:just )?ignore it\b",
    re.IGNORECASE,
)
# One step of a procedure asked for: the one after those the asker tells done ("I've run the part and measured the key
# features with the gauges. whats the next step?", "once my lock and tag are on every isolation point, what do I do
# next?"), or the last ("whats the last step? the one everybody skips")
_NEXT_STEP = re.compile(
    r"\bnext step\b|\bwhat (?:do|should|can|shall) (?:i|we|u) do next\b|\bwhat comes (?:next|after)\b"
    r"|\bwhat(?:'s|’s|s| is) (?:next|after (?:that|this))\b",
    re.IGNORECASE,
)
_LAST_STEP = re.compile(r"\b(?:last|final) step\b", re.IGNORECASE)
# The asker tells what has already happened and asks what to do next: "i already clicked it. now what?"
_HAPPENED = re.compile(
    r"\balready\b|\b(?:now|then) what\b|\bwhat (?:now|next)\b|\bwhat (?:do|should|can) (?:i|we|u) do now\b"
    # "and what if that first part fails": the case told, as if it had happened; not a second question's "what if"
    r"|^\W*(?:(?:and|so|ok|but)\s+)?what if\b",
    re.IGNORECASE,
)
# ... or tells what the asker did ("i clicked a link", "i typed the wrong count in"), then asks what to do
_DID = re.compile(
    r"\b(?:i|we)\s+(?:just\s+|accidentally\s+)?(?:clicked|typed|entered|logged|pressed|plugged|deleted|opened|"
    r"shared|ran|put|hit|reset|sent|gave|forgot|lost|broke|skipped|scrapped|bypassed)\b",
    re.IGNORECASE,
)
_ASKS_NEXT = re.compile(
    r"\bwhat (?:do|should|can|shall) (?:i|we|u) do\b|\bhow (?:do|can|should) (?:i|we|u) (?:fix|correct|undo)\b"
    # "i think i clicked a link ... who do i tell and am i gonna get in trouble"
    r"|\bwho (?:do|should|can) (?:i|we|u) (?:tell|call|report|notify)\b"
    r"|\b(?:am i|are we|will i|will we) (?:gonna |going to )?(?:be |get )?(?:in trouble|punished)\b",  # idioms read
    re.IGNORECASE,
)
_ELLIPSIS = re.compile(
    r"^\s*(?:and|but|so|ok|okay|also)?\s*(?:what|how)\s+about\b|^\s*(?:and|also|same for)\b", re.IGNORECASE
)


# Asked whether a thing is merely another ("is that just a fancy 3d model"), and how long, not how long ago
_MERELY = re.compile(
    r"\b(?:is|are|isn't|aren't) (?:it|that|this|they|[\w-]+) (?:just|only|basically|simply|really just)\b",
    re.IGNORECASE,
)
_HOW_LONG = re.compile(r"\bhow long\b(?! ago\b)", re.IGNORECASE)
_WHY_ASKED = re.compile(r"\bwhy\b", re.IGNORECASE)


# Words asking for a sum of money ("what's the exam fee", "how much does it cost"): a count of classes
# or a founding year beside them is no answer.
MONEY = frozenset(
    terms(
        "cost costs price prices fee fees fine fines salary wage wages pay paid pays revenue ransom "
        "charge charges spend spent budget fund funds funding dollar dollars euro euros"
    )
)
_FREE = frozenset(terms("free afford affordable"))  # ... asked whether it costs anything
# ... though "thats fine right?" asks whether it is all right, and "the machines themselves are fine" says so: neither
# is about a fine; nor is "fine-tuning"
_FINE = frozenset(terms("fine"))
_ALL_RIGHT = re.compile(
    r"\b(?:that|thats|that['’]s|this|it|its|it['’]s|is|are|was|were|been|im|i['’]m|am|seems?|be|looks?|runs?|running"
    r"|ran|out)\s+fine\b|\bfine-tun",
    re.IGNORECASE,
)


def money_terms(text: str, text_terms: frozenset[str]) -> frozenset[str]:
    """The words of money a text uses: "fine" only where it is a penalty."""
    found = text_terms & MONEY
    return found - _FINE if found & _FINE and _ALL_RIGHT.search(text) else found


# ... and asking for a sum, not for what costs there are ("what cost categories belong in a budget"): "whats the
# exam fee" asks one fee, "what are the costs" their kinds, "what's the biggest cost barrier" a kind
# "need an actual $ number for the budget meeting": the sum itself, of which a share of the cost ("about half") tells
# nothing
_DOLLARS = r"\$ ?(?:figure|number|amount)|\bdollar (?:figure|amount|number)\b"
_SUM_ASKED = re.compile(
    r"\bhow much\b|\bwhat (?:does|do|will|would|did) .+ (?:cost|charge)\b|\b(?:expect|have|need|going|gonna) to pay\b"
    r"|\bwhat(?:'s|’s|s| is| was) (?:the |their |its |an? )?(?:[\w-]+ )?(?:fee|price|fine)\b"
    r"|\bwhat(?:'s|’s|s| is| was) the cost (?:of|for|to)\b"
    rf"|{_DOLLARS}|\bper[- ]unit\b|\bprice (?:of|for|per)\b|{PRICE_IDIOM}",
    re.IGNORECASE,
)
_DOLLARS_ASKED = re.compile(_DOLLARS, re.IGNORECASE)
_PRICE_ASKED = re.compile(PRICE_IDIOM, re.IGNORECASE)


# "X or Y" offering a choice of two: one word each side ("material or changeover"), not "or not", "or so"
_OPTIONS = re.compile(  # ... the second asked again: "is that urgent or can it wait"
    r"\b(\w+)\s+or\s+(?:(?:can|could|should|will|would|does|do|is)\s+(?:it|we|i|that|this|they)\s+)?"
    r"(?:(?:an?|the)\s+)?(?!not\b|so\b|something\b|anything\b|what\b)(\w+)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Question:
    """A question as the composer reads it."""

    text: str
    intent: Intent
    focus: tuple[str, ...] = ()  # what it is about, as typed ("OEE", "preventive maintenance")
    attribute: str = ""  # what it asks of the focus ("revenue", "red light"), as typed
    focus_terms: frozenset[str] = field(default=frozenset())
    attribute_terms: frozenset[str] = field(default=frozenset())
    asked_terms: frozenset[str] = field(default=frozenset())  # what the asker asks to do ("tape it over")
    scene_terms: frozenset[str] = field(default=frozenset())  # the situation told before the ask
    part_terms: frozenset[str] = field(default=frozenset())  # the part of the focus defined ("red light" on the andon)
    measured_before: bool = False  # asked after a question giving a measured value ("... 3 stops of 20 min ...")

    @property
    def key_terms(self) -> frozenset[str]:
        return self.focus_terms | self.attribute_terms

    @cached_property
    def own_terms(self) -> frozenset[str]:
        """The terms of its own words, frame words aside: a follow-up's key terms hold the conversation's too."""
        return frozenset(terms(self.text)) - FRAME_WORDS

    @cached_property  # read for every sentence weighed
    def asked_key_terms(self) -> frozenset[str]:
        """The key terms of the sentence that asks, where a situation is told before it: of "I forgot to log a stop
        from around 2am, it's 6 now. What time do I put in?", what is entered, not the night shift."""
        return self.key_terms & self.asking_terms if self.asking != self.text else frozenset()

    @cached_property  # read for every sentence weighed, and now a search of the text
    def asks_money(self) -> bool:
        """It asks a sum of money, in the sentence that asks: "i work in cost accounting ... how much experience do you
        need" asks none."""
        return self.intent is Intent.AMOUNT and bool(
            self.attribute_terms & self.asking_terms & MONEY or _PRICE_ASKED.search(self.asking)
        )

    @cached_property  # read for every sentence weighed
    def asks_whether_paid(self) -> bool:
        """Asked yes or no whether a thing costs: "does the local MEP center charge for their help or is it free?"."""
        paying = money_terms(self.text, self.asking_terms) | self.asking_terms & _FREE
        return self.intent is Intent.YESNO and bool(paying)

    @cached_property  # read for every sentence weighed
    def asks_sum(self) -> bool:
        """It asks what is paid, as a sum ("what should i expect to pay per machine"), not what costs there are."""
        return self.asks_money and bool(_SUM_ASKED.search(self.text))

    @cached_property  # read for every passage priced
    def asks_dollars(self) -> bool:
        """It asks for the sum itself, in dollars: "need an actual $ number for the budget meeting"."""
        return self.asks_sum and bool(_DOLLARS_ASKED.search(self.text))

    @cached_property  # read for every sentence weighed
    def asks_if_merely(self) -> bool:
        """Asked whether a thing is merely another ("is that just a fancy 3d model or what"): what sets the two
        apart answers it."""
        return self.intent is Intent.YESNO and bool(_MERELY.search(self.asking))

    @cached_property  # read for every sentence weighed
    def judges_a_figure(self) -> bool:
        """Asked whether a figure of the asker's is good or bad ("our line is at 68% oee, is that bad?", or "is that
        good or bad??" after working it out, or what would be good): a figure to set it against answers it ("An OEE
        above 85% is often called world class."), not any yes or no."""
        # ... after a measured value, pointed back at or told again bare ("so is 62 bad?")
        again = refers_back(self.text) or bool(_BARE_FIGURE.search(self.text))
        told = gives_a_measure(self.text) or (self.measured_before and again)
        # ... or what figure would be good ("our line is sitting at like 60%. is that bad?? what's a good number")
        return self.intent in (Intent.YESNO, Intent.AMOUNT) and asks_if_good(self.text) and told

    @cached_property  # read for every sentence weighed
    def asks_how_often(self) -> bool:
        return how_often_asked(self.text)

    @cached_property  # read for every sentence weighed
    def asks_how_long(self) -> bool:
        return bool(_HOW_LONG.search(self.text))

    @property
    def asks_what_to_do(self) -> bool:
        """Besides what it asks first, it asks what to do: "why does it do that and do i gotta do something about it
        or just ignore it"."""
        return bool(_WHAT_TO_DO.search(self.text))

    @cached_property  # read for every sentence weighed
    def asks_who_takes_part(self) -> bool:
        return asks_who_takes_part(self.text)

    @cached_property  # read for every sentence weighed
    def asks_what_to_ask(self) -> bool:
        """It asks which questions to put to someone: "what do I ask the sales guy to back that number up?", "what
        should i actually ask my supervisor then?"; not what to ask for ("what should I ask for before ...")."""
        return bool(_WHAT_TO_ASK.search(self.text))

    @cached_property  # read for every sentence scored
    def act_terms(self) -> frozenset[str]:
        """What a question asks done, in the words after "who" ("who has to sign off on those baseline numbers?"), not
        in the scene told before it ("found a usb stick in the parking lot, who do i hand it to")."""
        return self.attribute_terms & frozenset(terms(_WHO_ASKED.split(self.asking)[-1]))

    @cached_property  # read for every sentence scored
    def asks_to_calculate(self) -> bool:
        """It asks how to work a figure out: "how do I even calculate that number"."""
        return bool(_CALCULATE.search(self.asking))

    @cached_property  # read for every section heading weighed
    def asks_what_to_tell(self) -> bool:
        """Its asking sentence asks what to tell or bring someone ("when I call maintenance about it what should i
        tell them"): the when is the asker's scene."""
        return asks_what_to_tell(self.asking)

    @cached_property  # read for every section heading weighed
    def asks_what_happens_next(self) -> bool:
        """Its asking sentence asks what happens after a thing is done ("and then what happens?")."""
        return asks_what_happens_next(self.asking)

    @cached_property  # read by the readings of the asking sentence below
    def asking(self) -> str:
        """The sentence that asks, or the whole question when none stands apart: "whats our availability??" after
        the shift told."""
        return told_and_asking(self.text)[1] or self.text

    @cached_property  # read for every sentence weighed
    def asking_terms(self) -> frozenset[str]:
        """The terms of the sentence that asks (``asking``)."""
        return frozenset(terms(self.asking))

    @cached_property  # read for every section heading weighed
    def asks_why(self) -> bool:
        """It asks why in so many words: "why do we have to log scrap from start-up?", not "What is MQTT used for?",
        which a definition answers."""
        return self.intent is Intent.WHY and bool(_WHY_ASKED.search(self.text))

    @cached_property  # read for every section heading weighed
    def asks_where_to_begin(self) -> bool:
        """Its asking sentence asks where to begin ("where do I start?", "whats the first step"), of anything."""
        return asks_to_begin(self.asking)

    @cached_property  # read by both readings of the second question
    def second_question(self) -> re.Match[str] | None:
        """Where a second question starts after the first, and its words ("who do i tell" in "do i really need to
        report that and who do i tell"); None where one is asked."""
        second = _AND_ALSO.search(self.text)
        return second if second is not None and second.start() > 0 else None

    @cached_property  # read for the answer's support
    def whether_too(self) -> frozenset[str]:
        """The terms of a second question asked yes or no after the first ("and does it even count against our
        oee": even, count, against, oee), those of the first left out; none where it asks no such thing."""
        second = _AND_WHETHER.search(self.text, 1)
        if second is None:
            return frozenset()
        first = frozenset(terms(self.text[: second.start()]))
        return frozenset(terms(second.group(1))) - first - FRAME_WORDS

    @property
    def asks_too(self) -> Intent | None:
        """The kind of fact a second question asks for after the first, when it is another: whom to tell in "do i
        really need to report that and who do i tell", how long in "who shows up, and how long should i try?"."""
        if (second := self.second_question) is None:
            return None
        # either part may be the one read as the question ("who shows up" reads as "how long", asked after it)
        parts = (intent_of(self.text[: second.start()]), intent_of(second.group(1)))
        return next((i for i in parts if i is not self.intent and i in _ASKED_TOO), None)

    @cached_property  # read for every section heading weighed
    def first_asked_terms(self) -> frozenset[str]:
        """The terms of the first of two questions asked ("What should our contract say about our data" in "...,
        and how many references should we check?"; "What is a cobot?" before "And does it still need a risk
        assessment?"), or of a question told more after ("how do u figure availability for oee? we had 450 min
        planned today ...") that names its subject itself; none where it asks one alone."""
        first = asked_first(self.text)
        asking = asking_sentences(self.text)
        # told more after, a question naming its subject itself: "are they gonna use that ..." names none
        told_after = (
            bool(asking) and not self.text.rstrip().endswith(asking[-1].rstrip()) and not refers_back(asking[0])
        )
        if not first and (len(asking) > 1 or told_after) and "?" in asking[0]:
            # ... "whats our availability??" asks too, after a measure told: "our press ran 380 of the 420 min"
            if _ASKS.match(asking[0]) or gives_a_measure(self.text) and _WHATS.match(asking[0]):
                first = asking[0]
        return frozenset(terms(first))

    @cached_property  # read for every sentence weighed
    def asks_of_the_scene(self) -> bool:
        """It asks of the situation told as a whole ("the rumor mill says the monitoring is to catch people
        slacking. how do i get ahead of this"): the words that tell it say what is asked about."""
        return bool(self.scene_terms) and bool(_OF_THE_SCENE.search(told_and_asking(self.text)[1]))

    @cached_property  # read for every sentence weighed
    def options(self) -> frozenset[str]:
        """The two things it asks to choose between, as terms: "material" and "changeover" in "do i code that as
        material or changeover??" (none where it offers no such choice)."""
        for sentence in asking_sentences(self.text):
            if found := _OPTIONS.search(sentence):
                picked = [terms(option) for option in found.groups()]
                if all(len(option) == 1 for option in picked) and picked[0] != picked[1]:
                    return frozenset(option[0] for option in picked)
        return frozenset()

    @cached_property
    def asks_whom_too(self) -> bool:
        """Its second question asks whom to go to or tell ("... and who do i tell", "... and to who"), not who does a
        thing ("also who's supposed to sign off the first piece")."""
        asked = second.group(1) if (second := self.second_question) else ""
        return bool(_ASKS_WHOM.search(asked) or _TO_WHOM.match(asked))

    @cached_property
    def asks_whom(self) -> bool:
        """It asks whom to go to or tell ("who do i call?"), not who takes part in or does a thing."""
        return asks_whom(self.text)

    @cached_property  # read for every sentence weighed
    def names_it(self) -> bool:
        """It names its subject by a word pointing back ("what if it fails?")."""
        return refers_back(self.text)

    @cached_property
    def step_asked(self) -> str:
        """Which step of a procedure it asks for: "next" (after those it tells done), "last", or "" for none."""
        if _LAST_STEP.search(self.asking):
            return "last"
        return "next" if _NEXT_STEP.search(self.asking) else ""

    @property
    def after_the_fact(self) -> bool:
        """Told what already happened, it asks what to do next ("i already clicked the link. now what?")."""
        return bool(_HAPPENED.search(self.text) or (_DID.search(self.text) and _ASKS_NEXT.search(self.text)))


def asked_first(text: str) -> str:
    """The first of two questions asked ("What should our policy cover" in "..., and who needs to sign off on it?"),
    "" where one is asked, or where what comes before the second tells the scene ("found a usb stick in the parking
    lot, who do i hand it to")."""
    second = _AND_ALSO.search(text)
    first = _SENTENCE_END.split(text[: second.start()])[-1] if second else ""
    return first if _ASKS.match(first) else ""


# ... or whether what the asker means to do is all right: "my gut says just reboot it. ok??"
_TRUTH_TAG = re.compile(
    r"^\W*(?:true|right|correct|really|legit|accurate|for real|fr|ok|okay|alright|all right)\W*$", re.IGNORECASE
)


def asking_sentences(text: str) -> list[str]:
    """The sentences that ask, first to last: those with a "?", and a last one shaped as a question typed without
    one. Typed with none, the ask tends to come last ("i clicked a dodgy link this morning... am i in trouble"),
    so then every sentence, from the last."""
    sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
    asking = [s for s in sentences if "?" in s]
    if asking and len(sentences) > 1 and asking[-1] is sentences[-1] and _TRUTH_TAG.match(asking[-1]):
        # "Guys are saying cobots are safe so we won't need guards. True?": the claim before the tag is asked, as is
        # the plan before "ok?"
        asking[-1] = text[text.rfind(sentences[-2]) :].strip()
    if asking and sentences[-1] is not asking[-1] and _ASKS.match(sentences[-1]):
        asking.append(sentences[-1])  # "is this how they replace us?? will this cost me my job"
    return asking or sentences[::-1]


# Where a question asked after another in the same sentence starts: "what is an MEP center and is their help free?",
# "which one is right, do I need to tell someone"
_PART_START = re.compile(
    r"(?:[,;]\s*|\s+and\s+)(?:and\s+|also\s+|then\s+|plus\s+)?"
    r"(?=(?:who|whom|how|what|whats|what['’]s|when|where|why|which|is|are|do|does|did|can|could|should|will|would|"
    r"must)\s)",
    re.IGNORECASE,
)
_ASKING_WORDS = frozenset(terms("or what then"))  # "or what", "then what": tags that ask nothing more


def asked_parts(text: str) -> list[str]:
    """The questions asked, each on its own, where more than one is ("ok so what's a good number?", "and is my
    supervisor gonna use it to grade me"); none where one is."""
    asking = asking_sentences(text) if "?" in text else asking_sentences(text)[:1]
    # ... each shaped as a question and naming something: "Ballpark, what does ... charge" asks one thing, "equipment?"
    # after "which code do I pick, changeover?" is an option, and "or what" a tag
    parts = [
        part
        for sentence in asking
        for part in _PART_START.split(sentence)
        if (_ASKS.match(part) or _WHATS.match(part)) and frozenset(terms(part)) - FRAME_WORDS - _ASKING_WORDS
    ]
    return parts if len(parts) > 1 else []


@lru_cache(maxsize=8192)  # the answerer reads the intent of the same section headings for every question
def intent_of(text: str) -> Intent:
    """The intent of the first sentence that asks ("We have a tiny budget. How should we start?" asks for
    advice, not an amount)."""
    text = spelled_out(text)
    for sentence in asking_sentences(text):
        # "can you explain X?" asks for the explanation, not whether it can be given; "where do we start without
        # blowing the budget?" asks where to start, not how much
        sentence = _REQUEST.sub("", sentence)
        # ... though the ask may come after it: "If we roll out wearables without written consent, what fine ...?"
        before_without = _WITHOUT.split(sentence, maxsplit=1)[0]
        sentence = before_without if _WH.search(before_without) else sentence
        if (
            (told := _TOLD_THEN_ASKED.match(sentence))
            and not _ASKS.match(told["told"])
            and intent_of(told["told"]) is Intent.COMPARISON
            and intent_of(told["asked"]) in (Intent.PROCEDURE, Intent.ADVICE, Intent.WHO)
        ):
            # a case told as two things set side by side ("step 6 has the wrong torque vs the drawing, how do i flag
            # it") asks what to do, not how they differ
            return intent_of(told["asked"])
        # "what should our policy cover, and who needs to sign off on it?" asks first what it covers; "who do i tell,
        # do i keep running in the meantime, and what happens after" asks first whom to tell
        # ... though "what if its from a vendor we know tho, can i plug that one in" tells the case it asks of, and
        # "who's right, do we need both" asks no one to go to
        if (first := asked_first(sentence)) and (first_intent := intent_of(first + "?")) is not Intent.OTHER:
            return first_intent
        first = _NEXT_QUESTION.split(sentence, maxsplit=1)[0]
        if (
            first != sentence
            and _ASKS.match(first)
            and not _WHAT_IF.match(first)
            and (first_intent := intent_of(first + "?")) is not Intent.OTHER
            and (first_intent is not Intent.WHO or asks_whom(first))
        ):
            return first_intent
        for intent, pattern in _INTENTS:
            if pattern.search(sentence):
                # "am i gonna get in trouble, and how do i fix it?": the steps asked after are what is wanted
                return Intent.PROCEDURE if intent is Intent.YESNO and _THEN_HOW.search(sentence) else intent
    # "so the cobot doesnt need guards, safe to work right next to it?": a statement asked, with no question word
    # ... not "any certs i can get w/o a degree?": which there are
    if any("?" in s and not _WH.search(s) and not _ANY.match(s) for s in asking_sentences(text)):
        return Intent.YESNO
    return Intent.OTHER


@lru_cache(maxsize=8192)
def _stop_words_only(phrase: str) -> bool:
    """The phrase is made only of stop words ("it" for IT); kept per phrase, as every question reads the lexicon."""
    return not terms(phrase)


def _known_phrases(text: str, lexicon: Iterable[str]) -> list[str]:
    """The lexicon's phrases (glossary terms and aliases) that the text uses, in the order it names them, no overlaps
    (the longest phrase wins). A phrase made only of stop words names a thing only in capitals: "IT" is the
    department, "is it broke?" asks of a machine."""
    words = [w.rstrip(".") for w in re.findall(r"[\w/&+.-]+", text)]  # "... reports scrap rate." names it
    lowered = " " + " ".join(words).lower() + " "
    capitals = " " + " ".join(w.lower() for w in words if w.isupper()) + " "
    found: list[str] = []
    for phrase in sorted(lexicon, key=lambda p: (-len(p), p)):  # one order, whatever the set's: "MTBF vs MTTR"
        where = capitals if _stop_words_only(phrase) else lowered
        if len(phrase) >= 2 and f" {phrase} " in where and not any(phrase in f for f in found):
            found.append(phrase)
    return sorted(found, key=lambda p: lowered.find(f" {p} "))


_BRACKETED = re.compile(r"\([^)]*\)")


def _names(text: str, lexicon: Iterable[str]) -> list[str]:
    """The things the text names: the lexicon's phrases, then words written with capitals ("Mazak", "OEE")."""
    return _known_phrases(text, lexicon) + [
        m for m in _CAPITALIZED.findall(text) if m.lower() not in {"i", "ok"} and len(m) > 1
    ]


# Words only stressing the ask at the end of what is defined: "what does that even mean"
_STRESSED = re.compile(r"(?:\s+(?:even|actually|really|exactly))+$", re.IGNORECASE)


def _clean(phrase: str) -> str:
    return _STRESSED.sub("", " ".join(phrase.strip(" ?.!,;:'\"").split()))


def _defined(phrase: str, lexicon: Iterable[str]) -> tuple[str, str]:
    """What a definition question defines, and the part of it asked about: "the red light on the andon" asks
    what a part of the andon means ("andon", "red light"); "a historian in a plant data system" asks for the
    historian, a thing the playbook names ("historian in a plant data system", "")."""
    match = _PART_OF.match(phrase) or _PARTS_NAMED_AFTER.match(phrase)
    if not match or _known_phrases(match.group("part"), lexicon):
        return phrase, ""
    whole = _known_phrases(match.group("whole"), lexicon)
    return (whole[0], match.group("part")) if whole else (phrase, "")


def _compared(side: str, lexicon: Iterable[str]) -> str:
    """One side of a comparison: the name it holds when it says more around it."""
    named = _names(side, lexicon) if len(side.split()) > COMPARED_WORDS else []
    return named[0] if named else side


def how_often_asked(text: str) -> bool:
    return bool(_HOW_OFTEN.search(text))


def compared_names(question: Question, lexicon: Iterable[str]) -> str:
    """What a comparison compares when each side is a thing named: "MTBF vs MTTR" for "quick refresher on MTBF vs
    MTTR for my staff meeting, ideally with a number example"; "" otherwise."""
    sides = question.focus if question.intent is Intent.COMPARISON else ()
    named = len(sides) == 2 and all(_names(side, lexicon) == [side] for side in sides)
    return " vs ".join(sides) if named else ""


def analyze(text: str, lexicon: Iterable[str] = ()) -> Question:
    """``lexicon``: phrases known to name things (the glossary's terms and aliases, lower case)."""
    # read with its idioms read plainly ("do i have to shut it down" asks to stop it), and no guess at whom to go to
    text = without_guess(plainly(spelled_out(text)))
    intent = intent_of(text)
    asked, scene = asked_and_scene(text)
    focus: list[str] = []
    part = ""
    if intent is Intent.COMPARISON:
        different = next((m for a in asking_sentences(text) if (m := _DIFFERENT_FROM.search(a))), None)
        match = different or _BETWEEN.search(text) or _VERSUS.search(text)
        if match:  # a side of several words holding a name is that name: "quick refresher on MTBF vs MTTR for my
            # staff meeting"; "IT security" is one thing
            focus = [_compared(_clean(g), lexicon) for g in match.groups() if g and _clean(g)]
        if any(frozenset(terms(side)) <= _NAMED_BEFORE and not _names(side, ()) for side in focus):
            focus = []  # "the difference between the two, and do we need both?": the things named before it
    elif intent is Intent.DEFINITION:
        match = _DEFINED.search(_MEANS_WHERE.sub(r"\1 \3 \2\4", text))
        defined = ""
        if match:
            defined, part = _defined(_clean(next(g for g in match.groups() if g)), lexicon)
        # "the manual says it uses speed and separation monitoring. what does that mean?": the thing told
        if not terms(defined) and asks_meaning_of_told(text):
            focus = [told_name(text)]
        elif match:
            focus = [defined]
    if not focus:  # what the asker puts in brackets are examples ("the start of shift stuff (login, andon)")
        focus = _names(_BRACKETED.sub(" ", text), lexicon)
    focus_terms = frozenset(t for phrase in focus for t in terms(phrase)) - FRAME_WORDS
    attribute_terms = frozenset(terms(text)) - focus_terms - FRAME_WORDS
    attribute = " ".join(w for w in re.findall(r"[\w'-]+", text) if frozenset(terms(w)) & attribute_terms)
    return Question(
        text,
        intent,
        tuple(dict.fromkeys(focus)),
        attribute,
        focus_terms,
        attribute_terms,
        asked,
        scene,
        part_terms=frozenset(terms(part)) - focus_terms,
    )


# "What federal tax credits can we claim ...", "What discount on our premium ...", "Which companies and executives
# actually sit on ...": the kind of thing asked for, named right after "what" or "which"
_ASKED_KIND = re.compile(
    r"^\W*(?:(?:so|and|ok)\s+)?(?:what|which)\s+(?!(?:can|do|does|should|is|are|will|would|could|did|must|else)\b)"
    r"((?:[\w/-]+\s+){0,3}?[\w/-]+)\s+(?:(?:actually|really|currently|even)\s+)?"
    r"(?:can|do|does|should|is|are|was|were|will|would|could|did|must|has|have|on|for|of|from|under|sit|serve)\b",
    re.IGNORECASE,
)
# ... or after "are there": "Are there federal tax credits or accelerated depreciation ... we can use?"
# The kind of thing named after "are there any" or "does X have any", up to the words that end its name
_KIND_NAMED = (
    r"((?:[\w/-]+\s+){0,2}?[\w/-]+?)(?=\s+(?:or|that|which|for|we|to|like|about|in|on|i|available)\b|\s*[,?]|\s*$)"
)
_THERE_KIND = re.compile(
    r"^\W*(?:(?:so|and|ok)\s+)?(?:are|is)\s+there\s+(?:(?:any|like|actually|really|an?)\s+)*" + _KIND_NAMED,
    re.IGNORECASE,
)
# ... or after "does X have any": "does ohio have any tax credit or grant for buying industry 4.0 equipment?"
_HAVE_KIND = re.compile(
    r"^\W*(?:(?:so|and|ok)\s+)?(?:does|do|did|can)\s+(?:[\w-]+\s+){1,3}?(?:have|has|offer|give|get)\s+(?:any|an?)\s+"
    + _KIND_NAMED,
    re.IGNORECASE,
)
# ... or after "can we claim a": "Can we claim a federal tax credit or bonus depreciation on the sensors ...?"
_CLAIMED_KIND = re.compile(
    r"^\W*(?:(?:so|and|ok)\s+)?(?:can|could|do|may)\s+(?:we|i|you|u)\s+(?:claim|deduct|write off)\s+(?:any|an?|the)\s+"
    + _KIND_NAMED,
    re.IGNORECASE,
)
# Asked how something turned out: "how much of the $61 million did CESMII end up receiving?"
_OUTCOME_ASKED = re.compile(
    r"\b(?:end(?:ed|s)? up|eventually|in the end|turn(?:ed)? out|came of)\b"
    r"|\bdid (?:\w+ ){1,4}(?:ever|finally) (?:get|land|receive|close|secure|win)\b",  # "did CESMII ever land the $61M"
    re.IGNORECASE,
)
# Asked who is on or in a group: its members
_MEMBERS_ASKED = re.compile(
    r"^\W*(?:(?:so|and|ok)\s+)?who(?:'s|’s|s| is| are)\s+(?:\w+\s+)?(?:on|in|sitting on)\b", re.IGNORECASE
)


def asked_kind(text: str) -> str:
    """The kind of thing a "what ..." or "which ..." question asks for ("which companies sit on SMEC": companies;
    "who's actually on the smec?": members), "" when it asks none."""
    match = _ASKED_KIND.match(text) or _THERE_KIND.match(text) or _HAVE_KIND.match(text) or _CLAIMED_KIND.match(text)
    return match.group(1) if match else "members" if _MEMBERS_ASKED.match(text) else ""


# A limit asked or given ("whats the max motor temp ..."), or a setting ("what temp should the mold on press 6 be set
# to"); "20 min" is minutes, no minimum
_MAX_OR_MIN = r"max(?:imum)?|(?<!\d )(?<!\d)min(?:imum)?"
_LIMIT_NOUNS = r"limits?|thresholds?|cut-?off|set ?points?|specs?"
LIMIT = re.compile(
    rf"\b(?:{_MAX_OR_MIN}|{_LIMIT_NOUNS}|no more than|up to|set (?:to|at)"
    r"|too (?:hot|cold|high|low|fast|slow|loud))\b",  # "what temperature is too hot": where the limit lies
    re.IGNORECASE,
)
FIGURE_WORDS = frozenset(terms("target benchmark number score rate level value figure world class"))
_LIMIT_WORDS = frozenset(terms("max maximum min minimum limit threshold cutoff cut off set point setpoint"))
_WHAT_OR_WHICH = re.compile(r"\b(?:what|which)\b", re.IGNORECASE)
# The thing a limit is of, named after "max" ("the max motor temp on press 4") or before "limit" ("the decibel limit")
_LIMITED_AFTER = re.compile(
    rf"\b(?:{_MAX_OR_MIN})\s+((?:[\w%&/-]+\s+){{0,2}}?[\w%&/-]+?)"
    r"(?=\s+(?:on|of|for|in|at|before|an?|the|that|should|is|are|can|to|when|i|we|you|it)\b|\s*[,?.]|\s*$)",
    re.IGNORECASE,
)
_LIMITED_BEFORE = re.compile(rf"((?:[\w%&/-]+\s+){{1,2}}?)(?:{_LIMIT_NOUNS})\b", re.IGNORECASE)


def limited_measure(clause: str) -> frozenset[str]:
    """The terms of what a limit is asked of: "hydraulic oil on press 7 what temperature is too hot" asks a
    temperature's, which no bar of hours between failures on the same presses gives. Empty when it names none."""
    wh = _WHAT_OR_WHICH.search(clause)
    named = [asked_kind(clause[wh.start() :]) if wh else ""]
    named += [m.group(1) for m in _LIMITED_AFTER.finditer(clause)] + [
        m.group(1) for m in _LIMITED_BEFORE.finditer(clause)
    ]
    return frozenset(terms(" ".join(named))) - _LIMIT_WORDS - FIGURE_WORDS


def asks_outcome(text: str) -> bool:
    """It asks how something turned out, after the time the playbook speaks of."""
    return bool(_OUTCOME_ASKED.search(text))


def told_and_asking(text: str) -> tuple[str, str]:
    """What the question tells before the sentence that asks ("they put new sensors on the okuma." before "are
    those gonna be used to watch me"; "" when it asks first), and that sentence ("" when none asks)."""
    asking = asking_sentences(text)
    return (text[: text.rfind(asking[0])], asking[0]) if asking else ("", "")


def asked_of_named(text: str, lexicon: Iterable[str] = ()) -> str:
    """The sentence that asks, with the things named before it when it asks of them by a word that points back:
    "HR posted something about CMfgT on the board. should i care about that" asks "should i care about that
    CMfgT". "" when it asks first, asks with no word pointing back ("should i take the exam"), or nothing
    before it is named."""
    told, asking = told_and_asking(text)
    named = _names(told, lexicon) if told.strip() and refers_back(asking) else []
    return f"{asking} {' '.join(dict.fromkeys(named))}" if named else ""


def asked_and_scene(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The terms of what the asker asks to do, and of the situation told before asking: "light curtain keeps
    trippin, can i just tape it over" asks about taping (tape) in a scene (light curtain, trippin); "is my OEE
    number gonna be used to judge me" asks whether it judges (judg), its subject no scene."""
    scene, asking = told_and_asking(text)
    if not asking:
        return frozenset(), frozenset()
    asked = ""
    match = _ASKED.search(asking)
    if match and (
        clause := match.group("clause") or match.group("plan") or match.group("tagged") or match.group("stated")
    ):
        ends = CIRCUMSTANCE if intent_of(asking) is Intent.YESNO else _PURPOSE
        asked, *purpose = ends.split(clause, maxsplit=1)
        scene = " ".join((scene + asking[: match.start()], *purpose))
    elif match:
        asked = match.group("use") or match.group("enough")
    else:
        asked = next((m.group("clause") for a in asking_sentences(text)[1:] if (m := _JUST.match(a))), "")
    asked_terms = frozenset(terms(asked)) - FRAME_WORDS
    return asked_terms, frozenset(terms(scene)) - asked_terms - FRAME_WORDS


# "who do i tell about that", "who gets called next": whom to go to, which the playbook answers under headings
# like "When should I go to quality?" or "Who do I ask about ...?"
_GOES_TO = r"(?:tell|call|report|ask|go to|contact|talk to|speak to|notify|flag|hand|give|gets? called)"
_ASKS_WHOM = re.compile(rf"\bwhom?\b[^?.!]*\b{_GOES_TO}\b", re.IGNORECASE)
_TO_WHOM = re.compile(r"(?:to|with)\s+whom?\b", re.IGNORECASE)  # "... and to who": whom, after what to do
# ... not "How and when should I report something odd?": how to report, and what
_SAYS_WHOM = re.compile(
    r"\b(?:who (?:do|should|can)|when should) (?:i|we) (?:go to|call|contact|ask|tell)\b", re.IGNORECASE
)


def asks_to_begin(text: str) -> bool:
    """It asks where to begin: "Where should a manager start, ...?"."""
    return bool(_BEGIN_ASKED.search(text))


_WHAT_TO_ASK = re.compile(
    r"\bwhat (?:questions? )?(?:should|do|can|would|must|shall) (?:i|we|u) (?:\w+ )?ask\b(?!\s+for\b)"
    r"|\bwhat (?:questions? )?to ask\b(?!\s+for\b)",
    re.IGNORECASE,
)


def asks_who_takes_part(text: str) -> bool:
    """It asks for the people of a list: "who should be in the room for it", "Who should be on the pilot team?"."""
    return intent_of(text) is Intent.LIST and bool(_WHO.search(asked_first(text) or text))


def asks_whom(text: str) -> bool:
    """It asks whom to go to: "barcode scanner quit reading, who do i call?" """
    return intent_of(text) is Intent.WHO and bool(_ASKS_WHOM.search(text))


# Asked how to work a figure out: "how do I even calculate that number" ("work ... out" read plainly)
_CALCULATE = re.compile(r"\b(?:calculat(?:e|ed|ing)|comput(?:e|ed|ing))\b", re.IGNORECASE)

# Asked what to tell or bring someone: "when I call maintenance about it what should i tell them" (the idioms read
# plainly: "what info are they gonna want from me"), as "What should I tell maintenance about a machine health
# alert?" and "What should I bring when I ask for help?" ask it
_TELL_WHAT = re.compile(  # ... or another does: "when he calls maintenance what should he tell them"
    # ... the need told ("what do i actually have to tell them?"), the asking verb left out ("what i have to say on
    # the phone?")
    r"\bwhat (?:(?:should|do|does|can|must|would) )?(?:(?:i|we|u)|(?:he|she|they|the operator|my operator|the guys?)"
    r"(?= (?:\w+ )?(?:\w+ to |gotta )?(?:tell|bring|give|have ready)\b)) (?:actually |really |just )?"
    r"(?:(?:need|have|got|ought) to |gotta |hafta )?(?:tell|say(?! (?:is|are|was|were)\b)|bring|give|have ready)\b",
    re.IGNORECASE,
)


def asks_what_to_tell(text: str) -> bool:
    """It asks what to tell or bring someone: "what should i tell them"."""
    return bool(_TELL_WHAT.search(text))


# What happens after a thing is done: "and then what happens, does anybody actually read those?"; "What happens after I
# flag a problem?" (not "What happens in weeks 1-2?", which asks what is done then)
_HAPPENS_NEXT = re.compile(
    r"\b(?:then what happens|what happens (?:next|then|after(?:wards)?|once|when (?:i|we|you)))\b"
    # ... or is due to happen after what was told: "been yellow for 10 min and nobodys come. what is supposed to
    # happen next?"
    r"|\bwhat(?:['’]?s| is| should| would| will)? (?:supposed to |meant to |gonna |going to )?happens? (?:next|now)\b",
    re.IGNORECASE,
)


def asks_what_happens_next(text: str) -> bool:
    """It asks what happens after a thing is done: "ok but what happens after i hit the button"."""
    return bool(_HAPPENS_NEXT.search(text))


# ... with the asker's guess after it: "who do i even tell, maintenance?", "who do i call - my lead or quality?"
_GUESSED_WHOM = re.compile(
    rf"(\bwhom?\b[^?.!,]*\b{_GOES_TO}\b[^?.!,-]*?)\s*(?:,|-+|:)\s*(?!\s)(?:(?:maybe|like|or|is it|prob(?:ably)?)\s+)?"
    r"(?:(?:the|my|our|a)\s+)?(?!(?:and|or|so|but|do|does|did|is|are|am|can|could|should|will|would|how|what|when|"
    r"where|why|who|if|i|we)\b)[\w ]{2,30}\?+\s*$",
    re.IGNORECASE,
)


def without_guess(text: str) -> str:
    """The question without the asker's guess at whom to go to ("who do i even tell, maintenance?" asks whom to
    tell): the guess names the one the situation may not call for, and the situation decides."""
    return _GUESSED_WHOM.sub(r"\1?", text)


def says_whom(heading: str) -> bool:
    """A heading whose section says whom to go to, and for what: "When should I call maintenance?" """
    return bool(_SAYS_WHOM.search(heading))


def asks_if_good(text: str) -> bool:
    """It asks whether a thing is good or bad: "is that bad??", "What is a good OEE score?"."""
    return bool(_JUDGES.search(text))


def gives_a_measure(text: str) -> bool:
    """It gives a measured value: "68% oee", "3 stops of 20 min", "mttr is 6 hours"."""
    return bool(_MEASURED.search(text))


def refers_back(text: str) -> bool:
    """It names its subject by a word that points to what was said before ("who runs it?")."""
    return bool(_REFERENCE.search(text))


def before_reference(text: str) -> str:
    """The text before its first word pointing back ("the bad parts while" in "the bad parts while it warms up"), all
    of it where none does."""
    match = _REFERENCE.search(text)
    return text[: match.start()] if match else text


def is_ellipsis(text: str) -> bool:
    """ "and MTBF?", "what about the cost?": the earlier question's frame, a new subject."""
    return bool(_ELLIPSIS.search(text))


# A name capitalised inside a sentence ("in Pennsylvania"), not its first word
_NAME = re.compile(r"(?<![.?!]\s)(?<=\s)[A-Z][a-z]{2,}\b")


_CLAUSE_END = re.compile(r"[,;.!?]")


def told_after_ellipsis(text: str) -> bool:
    """An ellipsis asking nothing of its own, and a clause after it that tells and asks nothing: "got it. what about
    just charging my phone off the usb port on the HMI, my battery is at 3%" asks what was asked before, whatever
    the told clause holds ("what about champions, how many do we need" asks how many)."""
    asking = told_and_asking(text)[1] or text
    if not is_ellipsis(asking):
        return False
    ellipsis, *rest = _CLAUSE_END.split(asking, maxsplit=1)
    told = rest[0].strip() if rest else ""
    return bool(told) and intent_of(ellipsis) is Intent.OTHER and not (_WH.search(told) or "?" in told)


# "the paperwork says it uses speed and separation monitoring. what does that mean for me": what the told part names
_THAT_MEANS = re.compile(
    r"^\W*(?:(?:ok|so|and|but)\s+)*what (?:does|do|did|would) (?:that|this|those|these) "
    r"(?:even |actually |really )?mean\b"
    # ... or what it is: "my plant manager keeps talking about 'tier meetings'. what are those"
    r"|^\W*(?:(?:ok|so|and|but)\s+)*what(?:['’]?s| is| are) (?:that|this|those|these)(?: (?:even|exactly))?"
    r"\W*(?:$|and\b|or\b)",
    re.IGNORECASE,
)
# A name the asker quotes: "keeps talking about 'tier meetings'" (not the apostrophe of "doesn't")
_QUOTED = re.compile(r"(?:(?<=\s)|^)['\"‘“]([A-Za-z][^'\"’”?.!]{1,40}?)['\"’”](?!\w)")


def asks_meaning_of_told(text: str) -> bool:
    """It asks what a thing told just before means: "the paperwork says it uses speed and separation monitoring.
    what does that mean for me standing there?" asks of that monitoring, not of the thing talked about before."""
    told, asking = told_and_asking(text)
    return bool(terms(told)) and bool(_THAT_MEANS.search(asking))


def told_name(text: str) -> str:
    """What a question asking what a thing told means points at: the name the told part quotes, if it quotes one
    ("my plant manager keeps talking about 'tier meetings'. what are those?"), else the whole told part."""
    told = told_and_asking(text)[0].strip()
    quoted = _QUOTED.findall(told)
    return quoted[-1] if quoted else told


def follow_on(asked: Question, earlier: Question) -> Question:
    """A follow-up read with the question before it: it keeps the earlier intent when it has none of
    its own ("and MTBF?"), and the earlier subject when it names none ("how long should it run?")."""
    intent = asked.intent
    if intent in (Intent.OTHER, Intent.DEFINITION) and is_ellipsis(asked.text) or told_after_ellipsis(asked.text):
        intent = earlier.intent
    if asked.focus_terms or (asked.attribute_terms and is_ellipsis(asked.text) and not refers_back(asked.text)):
        # A new subject: "and MTBF?" asks of MTBF what was asked of MTTR ("and who runs it?" keeps the subject).
        focus, focus_terms = asked.focus or (asked.attribute,), asked.focus_terms or asked.attribute_terms
        attribute_terms = asked.attribute_terms - focus_terms
        attribute = asked.attribute if attribute_terms else ""
        if not attribute_terms and intent is earlier.intent:
            attribute, attribute_terms = earlier.attribute, earlier.attribute_terms - focus_terms
        return Question(
            asked.text,
            intent,
            focus,
            attribute,
            focus_terms,
            attribute_terms,
            asked.asked_terms,
            asked.scene_terms,
            measured_before=asked.measured_before,
        )
    return Question(
        asked.text,
        intent,
        earlier.focus,
        asked.attribute or earlier.attribute,
        earlier.focus_terms,
        asked.attribute_terms or earlier.attribute_terms,
        asked.asked_terms,
        asked.scene_terms,
        # "Is there one in Pennsylvania I could take my team to see?" after what an innovation center is: the
        # earlier subject, in the place the follow-up names
        part_terms=frozenset(terms(" ".join(_NAME.findall(asked.text)))) - frozenset(terms(earlier.text)),
        measured_before=asked.measured_before,
    )
