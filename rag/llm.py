"""Optional LLM answering through langchain's chat-model interface (Ollama, OpenAI-compatible)."""

from __future__ import annotations

import html
import re
import time
from collections.abc import Generator, Iterator, Sequence
from typing import TYPE_CHECKING, Any, cast

from pydantic import SecretStr

from rag.answering import AnswerRequest, UncheckedAnswer, abstention_suggestions, citation_for
from rag.config import LLMBackend, LLMSettings
from rag.grounding import guard
from rag.prompts import ABSTAINS, build_messages
from rag.text import plain_text
from rag.types import Answer, Audience, Citation, Hit

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

_CITATION = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
# A model may echo markup from the question or a passage: drop script and style bodies, not only tags.
_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|$)", re.IGNORECASE | re.DOTALL)


class LLMUnavailable(RuntimeError):
    """A language-model backend is configured, but its client package is not installed."""


def chat_model_from_settings(settings: LLMSettings) -> BaseChatModel:
    """The configured langchain chat model. Its client package is an extra (``playbook-coach[llm]``),
    imported only here: the offline product installs and runs without it."""
    try:
        if settings.backend is LLMBackend.OPENAI:
            return _openai_chat_model(settings)
        if settings.backend is LLMBackend.OLLAMA:
            return _ollama_chat_model(settings)
    except ImportError:
        raise LLMUnavailable(
            f"The {settings.backend.value} backend needs the language-model packages: "
            "pip install 'playbook-coach[llm]' (make install adds them), or unset "
            "PLAYBOOK_COACH_LLM_BACKEND to answer offline."
        ) from None
    raise ValueError(f"no chat model for backend {settings.backend.value!r}")


def _openai_chat_model(settings: LLMSettings) -> BaseChatModel:
    from langchain_openai import ChatOpenAI

    # langchain sends the cap as max_completion_tokens, which llama.cpp's Python server ignores;
    # max_tokens, its older name, is read by that server, llama-server and vLLM alike.
    return ChatOpenAI(
        model=settings.model or "default",
        base_url=settings.base_url or None,
        api_key=SecretStr(settings.api_key),
        timeout=settings.timeout,
        max_retries=0,
        temperature=0,
        streaming=True,
        max_completion_tokens=settings.max_tokens,
        extra_body={"max_tokens": settings.max_tokens},
    )


def _ollama_chat_model(settings: LLMSettings) -> BaseChatModel:
    from langchain_ollama import ChatOllama

    return ChatOllama(
        model=settings.model or "llama3.2",
        base_url=settings.base_url or None,
        temperature=0,
        num_predict=settings.max_tokens,
        client_kwargs={"timeout": settings.timeout},
    )


def clean_citations(text: str, passages: int) -> tuple[str, list[int]]:
    """Drop citations of passages that were not given; return the text and the numbers kept."""
    kept: list[int] = []

    def keep(match: re.Match[str]) -> str:
        numbers = [int(n) for n in re.split(r"\s*,\s*", match.group(1))]
        valid = [n for n in numbers if 1 <= n <= passages]
        kept.extend(n for n in valid if n not in kept)
        return "".join(f"[{n}]" for n in valid)

    cleaned = _CITATION.sub(keep, text)
    return re.sub(r"[ \t]+([.,;:])", r"\1", re.sub(r"[ \t]{2,}", " ", cleaned)).strip(), kept


PARTLY_CHECKED_NOTICE = (
    "Some of the language model's sentences were left out: the playbook passages it was given do not back them."
)


class ChatModelAnswerer:
    """A language model's answer to the request, checked sentence by sentence against the passages it was
    given (``rag.grounding.guard``).

    ``deadline`` bounds the whole answer: a client's timeout only bounds each read, and a small model on a
    busy CPU can trickle tokens for minutes. ``checked=False`` shows the model's text as written; it exists
    to measure what the guard does (``playbook-coach eval --unguarded``) and is never how the app runs.
    """

    def __init__(
        self, chat_model: BaseChatModel | None, name: str, deadline: float | None = None, checked: bool = True
    ) -> None:
        self.chat_model = chat_model
        self.name = name
        self.deadline = deadline
        self.checked = checked

    @classmethod
    def from_settings(
        cls, settings: LLMSettings, chat_model: BaseChatModel | None = None, checked: bool = True
    ) -> ChatModelAnswerer:
        name = settings.backend.value + ("" if checked else " unguarded")
        return cls(chat_model or chat_model_from_settings(settings), name, deadline=settings.timeout, checked=checked)

    def stream(self, request: AnswerRequest) -> Iterator[str | Answer]:
        """The checked answer's text, then the Answer; raises whatever the model's client raises,
        TimeoutError past the deadline, and UncheckedAnswer when too little of what the model wrote is
        backed by the passages.

        Nothing is shown while the model writes: a sentence on screen that the guard then takes back
        would already have been read on the shop floor. A short wait is the lesser harm."""
        messages = build_messages(request.question, request.hits, request.audience, request.history)
        answer = self.finish(self._written(messages), request.hits, request.audience, request.question)
        yield answer.text
        yield answer

    def _written(self, messages: list[tuple[str, str]]) -> str:
        if self.chat_model is None:
            raise RuntimeError("no chat model to ask: this answerer only checks text already written")
        ends = None if self.deadline is None else time.monotonic() + self.deadline
        pieces: list[str] = []
        stream = cast(Generator[Any, None, None], self.chat_model.stream(messages))  # a generator in practice
        try:
            for piece in stream:
                if isinstance(piece.content, str):
                    pieces.append(piece.content)
                if ends is not None and time.monotonic() > ends:
                    raise TimeoutError(f"the model was still writing after {self.deadline:g} s")
        finally:
            stream.close()  # stops reading, so the client drops the connection
        return "".join(pieces)

    def finish(self, raw: str, hits: Sequence[Hit], audience: Audience = Audience.WORKER, question: str = "") -> Answer:
        text, cited = clean_citations(plain_text(_SCRIPT.sub(" ", html.unescape(raw))), len(hits))
        if not text or ABSTAINS.match(text.replace("’", "'")):
            return Answer(
                text or "I don't know: the playbook doesn't cover that.",
                (),
                True,
                self.name,
                suggestions=abstention_suggestions(hits, audience),
                hits=tuple(hits),
            )
        if not self.checked:
            return Answer(text, _citations(cited, hits), False, self.name, hits=tuple(hits))
        checked = guard(text, [plain_text(hit.chunk.text) for hit in hits], question)
        if not checked.trusted:
            raise UncheckedAnswer(
                f"{len(checked.dropped)} of {len(checked.kept) + len(checked.dropped)} "
                "sentences not backed by the passages"
            )
        notice = PARTLY_CHECKED_NOTICE if checked.dropped else ""
        return Answer(
            checked.text,
            _citations([n for _, n in checked.kept], hits),
            False,
            self.name,
            notice=notice,
            hits=tuple(hits),
        )


def _citations(numbers: Sequence[int], hits: Sequence[Hit]) -> tuple[Citation, ...]:
    """One citation per passage number, in the order first used."""
    return tuple(
        citation_for(n, hits[n - 1 : n], plain_text(hits[n - 1].chunk.text)[:400]) for n in dict.fromkeys(numbers)
    )
