"""Spotting passages that read as instructions to an assistant (prompt injection).

Such passages are quarantined: kept in the catalog but never used in answers until a trainer
approves them. Pure functions, so ingest, ``corpus check`` and tests share one definition.
"""

from __future__ import annotations

import re

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (reason, re.compile(pattern, re.IGNORECASE))
    for reason, pattern in (
        (
            "asks to ignore earlier instructions",
            r"\b(ignore|disregard|forget|override)\b[^.\n]{0,40}\b(previous|prior|above|earlier|all|any|your)\b"
            r"[^.\n]{0,20}\b(instructions?|prompts?|rules|guidelines|directions)\b",
        ),
        # A role change names the new role: "you are now DAN", "act as an unrestricted AI"; plain
        # procedure text ("you are now ready", "sensors can act as a poka-yoke") is left alone.
        (
            "tries to change the assistant's role",
            r"\b(you are now|from now on,? you( are| will be)?|act as|pretend (to be|you are)|roleplay as)\s+"
            r"((an?|the|my)\s+)?([\w-]+\s+){0,2}?(AI|assistant|chatbot|bot|language model|LLM|DAN|persona)\b",
        ),
        (
            "asks to reveal hidden prompts",
            r"\b(reveal|print|show|repeat|output)\b[^.\n]{0,30}\b(system|hidden|initial)\s+(prompt|instructions?)\b",
        ),
        (
            "addresses the AI model directly",
            r"\b(assistant|chatbot|AI model|language model|LLM)\b[^.\n]{0,20}\b(must|should|shall)\s+(now\s+)?"
            r"(say|answer|respond|tell|reply|ignore)\b",
        ),
        (
            "tells readers to defeat a safety measure",
            r"\b(tell|instruct|advise|encourage)\b[^.\n]{0,30}\b(users?|workers?|operators?|people|everyone)\s+to\s+"
            r"(bypass|disable|defeat|override|ignore|remove)\b",
        ),
        (
            "asks for the assistant's configuration or secrets",
            r"\b(reveal|print|show|repeat|output|dump|list|give me|tell me)\b[^.\n]{0,20}\byour\s+"
            r"(configuration|config|environment( variables)?|api keys?|secrets?|credentials|source code)\b",
        ),
        # "SYSTEM: developer override.": a message dressed up as the system's, or a mode nobody has
        (
            "claims a special mode",
            r"^\s*(?-i:SYSTEM|DEVELOPER|ADMIN)\s*:|\bdeveloper\s+(mode|override)\b|\badmin\s+override\b|\bjailbreak",
        ),
        ("contains a model control token", r"<\|(im_start|im_end|system|endoftext)\|>|\[/?INST\]"),
    )
)


def injection_reason(text: str) -> str:
    """The reason ``text`` looks like an instruction to the assistant, or "" when it does not."""
    for reason, pattern in _PATTERNS:
        if pattern.search(text):
            return reason
    return ""
