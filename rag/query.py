"""Turning what a person typed into a retrieval query: follow-ups and glossary expansion."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rag.text import plain_text, terms
from rag.types import Chunk, Turn

_ALSO_CALLED = re.compile(r"^\s*also called:\s*(.+)$", re.IGNORECASE | re.MULTILINE)
_FOLLOWUP_START = re.compile(
    r"^(and|but|so|also|what about|how about|then|ok|okay|and what|same for|why|how come)\b", re.IGNORECASE
)
_REFERENCE = re.compile(r"\b(it|its|that|this|these|those|they|them|there|one|ones)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Glossary:
    """Maps shop-floor words and synonyms (lower case) to the playbook's own term."""

    aliases: dict[str, str]

    @classmethod
    def from_chunks(cls, chunks: Iterable[Chunk]) -> "Glossary":
        aliases: dict[str, str] = {}
        for chunk in chunks:
            if chunk.topic != "glossary" or not chunk.section:
                continue
            term = chunk.section.split(" > ")[-1]
            for match in _ALSO_CALLED.finditer(chunk.text):
                for alias in match.group(1).split(";"):
                    alias = " ".join(plain_text(alias).lower().rstrip(".").split())
                    if len(alias) >= 2:
                        aliases.setdefault(alias, term)
        return cls(aliases)

    def expand(self, query: str) -> str:
        """Append the playbook term for every alias the query uses (whole words only)."""
        lowered = " " + " ".join(re.findall(r"[\w/&+.-]+", query.lower())) + " "
        added: list[str] = []
        for alias, term in self.aliases.items():
            if f" {alias} " in lowered and term not in added and term.lower() not in lowered:
                added.append(term)
        return query if not added else f"{query} ({'; '.join(added)})"


def is_followup(question: str) -> bool:
    content = terms(question)
    if len(content) > 6:
        return False
    return bool(_FOLLOWUP_START.search(question.strip())) or bool(_REFERENCE.search(question)) or len(content) <= 2


def resolve_followup(question: str, history: Sequence[Turn]) -> str:
    """A short follow-up borrows the topic of the last question asked."""
    earlier = [t.content for t in history if t.role == "user" and t.content.strip()]
    if not earlier or not is_followup(question):
        return question
    return f"{earlier[-1].strip()} {question.strip()}"
