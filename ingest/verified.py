"""Verified answers: a trainer's answer to a question the playbook answered badly, kept as playbook content.

Each is a Markdown document under ``answers/`` in the corpus: the question as its heading, the trainer's
short, direct answer under it, who verified it and when, when it is due for review, and the playbook
sections it rests on. It is ingested and answered from like any document (there is no second answer
path), cited like any passage, and every one is also an eval case, so the gate keeps it right.
These functions are pure; ``ingest.manage.CorpusManager`` writes, lists and removes the files.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import frontmatter
import yaml

from rag.text import clean_text, plain_text, sentence_text, split_sentences
from rag.types import Audience

ANSWERS_DIR = "answers"
TOPIC = "verified-answer"
MAX_QUESTION_CHARS = 300
MAX_ANSWER_CHARS = 3000  # a short, direct answer: a few sentences or a short list, not a document
MAX_NAME_CHARS = 80
SLUG_WORDS = 8
FACT_WORDS = 12  # the answer's first sentence, up to this many words, is the fact its eval case expects

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_HEADING_MARK = re.compile(r"^\s{0,3}#+", re.MULTILINE)


class AnswerRejected(ValueError):
    """The verified answer cannot be saved as given; the message says why, in one line."""


@dataclass(frozen=True)
class VerifiedAnswer:
    id: str  # the file's name without ".md"
    path: str  # the document path in the corpus
    question: str
    answer: str
    audience: Audience
    cites: tuple[str, ...]  # "document#section" (or a whole "document") that back the answer
    verified_by: str
    verified_on: str  # ISO dates
    review_by: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "path": self.path,
            "question": self.question,
            "answer": self.answer,
            "audience": self.audience.value,
            "cites": list(self.cites),
            "verified_by": self.verified_by,
            "verified_on": self.verified_on,
            "review_by": self.review_by,
        }

    @property
    def fact(self) -> str:
        """What an answer to its question must say: the start of its first sentence."""
        spans = split_sentences(self.answer)
        first = sentence_text(self.answer[slice(*spans[0])]) if spans else self.answer
        return " ".join(first.rstrip(".!").split()[:FACT_WORDS])


def slug(question: str) -> str:
    words = _NOT_SLUG.sub(" ", plain_text(question).lower()).split()
    return "-".join(words[:SLUG_WORDS]) or "answer"


def cleaned(question: str, answer: str, by: str) -> tuple[str, str, str]:
    """The question, answer and name as they will be stored, or AnswerRejected saying what is wrong.

    Markup is kept as text the reader sees, never as structure: a line starting with "#" would open a
    new section, so its marks are dropped."""
    question = " ".join(plain_text(clean_text(question)).split())
    answer = _HEADING_MARK.sub("", clean_text(answer)).strip()
    by = " ".join(plain_text(clean_text(by)).split())
    if not question:
        raise AnswerRejected("the question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise AnswerRejected(f"the question is {len(question):,} characters; keep it under {MAX_QUESTION_CHARS}")
    if not any(ch.isalnum() for ch in plain_text(answer)):
        raise AnswerRejected("the answer is empty")
    if len(answer) > MAX_ANSWER_CHARS:
        raise AnswerRejected(
            f"the answer is {len(answer):,} characters; a verified answer is short and direct "
            f"(under {MAX_ANSWER_CHARS:,}): put longer material in a playbook document"
        )
    if not by:
        raise AnswerRejected("say who verified the answer (--by NAME)")
    if len(by) > MAX_NAME_CHARS:
        raise AnswerRejected(f"the name is longer than {MAX_NAME_CHARS} characters")
    return question if question.endswith("?") else f"{question}?", answer, by


def unknown_cites(cites: Collection[str], sections: Collection[tuple[str, str]]) -> list[str]:
    """The citations that name no document, or no section of it, in the playbook (``sections``:
    every (document, section) the catalog holds)."""
    documents = {doc for doc, _ in sections}
    unknown = []
    for cite in cites:
        document, _, section = cite.partition("#")
        if document not in documents or (section and (document, section) not in sections):
            unknown.append(cite)
    return unknown


def render(
    question: str, answer: str, audience: Audience, cites: Collection[str], by: str, on: date, review_days: int
) -> str:
    """The verified answer as a playbook document: front matter, its question as heading, the answer."""
    meta = {
        "title": question,
        "audience": audience.value,
        "topic": TOPIC,
        "tags": [TOPIC],
        "summary": f"A trainer's verified answer to: {question}",
        "sources": list(cites),
        "verified_by": by,
        "verified_on": on.isoformat(),
        "review_by": (on + timedelta(days=review_days)).isoformat(),
    }
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
    return f"---\n{front}---\n\n## {question}\n\n{answer}\n"


def parse(text: str, doc_path: str) -> VerifiedAnswer:
    """A verified answer document as ``render`` wrote it (a trainer may have edited it since)."""
    post = frontmatter.loads(text)
    meta = post.metadata
    body = post.content.strip()
    heading, _, answer = body.partition("\n")
    question = heading.lstrip("#").strip() or str(meta.get("title", ""))
    sources = meta.get("sources")
    return VerifiedAnswer(
        id=doc_path.rsplit("/", 1)[-1].removesuffix(".md"),
        path=doc_path,
        question=question,
        answer=answer.strip(),
        audience=Audience.parse(str(meta.get("audience", "all")), default=Audience.ALL),
        cites=tuple(str(c) for c in sources) if isinstance(sources, list) else (),
        verified_by=str(meta.get("verified_by", "")),
        verified_on=str(meta.get("verified_on", "")),
        review_by=str(meta.get("review_by", "")),
    )


def eval_case(answer: VerifiedAnswer) -> dict[str, Any]:
    """The golden case that keeps a verified answer right: asked as written, it must be answered from
    the verified answer, with the start of its first sentence."""
    return {
        "id": f"verified-{answer.id}",
        "question": answer.question,
        "audience": answer.audience.value if answer.audience is not Audience.ALL else "worker",
        "expected_sources": [answer.path],
        "expected_facts": [answer.fact],
        "tags": ["verified"],
    }
