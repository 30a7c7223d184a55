"""Whether an answer's sentences are backed by the passages they cite: one rule for the evals'
groundedness metric and for the guard on every language-model answer. Pure functions.

A sentence is supported by a passage when at least ``SUPPORT_SHARE`` of its content terms are in it,
and every number and name it states is there too: a model that writes "funded by the DOE with
$70 million" beside a passage about CESMII's founding is not backed by it, however many words match.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rag.text import sentence_text, split_sentences, terms

SUPPORT_SHARE = 0.6
# Below this share of the model's sentences backed, none of its answer is shown. Calibrated on SmolLM2-135M's
# answers to the golden set's tuning split (README, "Plugging in a language model"): the higher the bar, the
# more key facts the reader sees; at three in four a partly backed answer can still be shown.
KEPT_SHARE = 0.75

_MARKERS = re.compile(r"((?:\s*\[\d+(?:\s*,\s*\d+)*\])+)")
_NUMBER = re.compile(r"\d+")
# What a sentence states that its terms do not vouch for: numbers, amounts, dates, and names (a capital
# letter past the sentence's first word; "I" is no name).
_FACT = re.compile(r"\d[\d,.]*%?|(?<!^)(?<![.!?]\s)\b(?!I\b)[A-Z][\w&-]*")


def claims(answer: str) -> list[tuple[str, tuple[int, ...]]]:
    """The answer's sentences, markers removed, each with the passage numbers that cover it."""
    parts = _MARKERS.split(answer)
    found: list[tuple[str, tuple[int, ...]]] = []
    for index in range(0, len(parts), 2):
        segment = parts[index].lstrip(" .,;:!?")
        marker_text = parts[index + 1] if index + 1 < len(parts) else ""
        numbers = tuple(dict.fromkeys(int(n) for n in _NUMBER.findall(marker_text)))
        for start, end in split_sentences(segment):
            found.append((segment[start:end].strip(), numbers))
    return found


def strip_markers(text: str) -> str:
    return " ".join(_MARKERS.sub(" ", text).split())


def sentence_support(sentence: str, passages: Sequence[str]) -> float | None:
    """Share of the sentence's content terms found in the passages; None without content terms."""
    wanted = set(terms(sentence))
    if not wanted:
        return None
    available: set[str] = set()
    for passage in passages:
        available.update(terms(passage))
    return len(wanted & available) / len(wanted)


def unbacked_facts(sentence: str, passage: str) -> list[str]:
    """The numbers and names the sentence states that the passage does not."""
    folded = passage.casefold()
    return [fact for fact in (m.group(0).rstrip(".,") for m in _FACT.finditer(sentence.strip()))
            if fact and fact.casefold() not in folded]


def backing(sentence: str, passages: dict[int, str]) -> int | None:
    """The passage (by number) that supports the sentence best, if any supports it."""
    best, best_share = None, 0.0
    for number, passage in passages.items():
        share = sentence_support(sentence, [passage])
        if share is None or share < SUPPORT_SHARE or share <= best_share or unbacked_facts(sentence, passage):
            continue
        best, best_share = number, share
    return best


@dataclass(frozen=True)
class Guarded:
    """A model's answer, checked: the supported sentences, each with the passage that backs it."""

    kept: tuple[tuple[str, int], ...]
    dropped: tuple[str, ...]

    @property
    def trusted(self) -> bool:
        """Enough of the answer is backed to show it: something, and at least KEPT_SHARE of what was said."""
        said = len(self.kept) + len(self.dropped)
        return bool(self.kept) and len(self.kept) / said >= KEPT_SHARE

    @property
    def text(self) -> str:
        return " ".join(f"{sentence_text(sentence)} [{n}]" for sentence, n in self.kept)  # "… score. [1]"


def guard(answer: str, passages: Sequence[str]) -> Guarded:
    """Check each sentence against the passages it cites, or all of them when it cites none; keep the
    supported ones, cited by a passage that backs them (its own citation when that one does)."""
    given = dict(enumerate(passages, start=1))
    kept: list[tuple[str, int]] = []
    dropped: list[str] = []
    for sentence, numbers in claims(answer):
        if not terms(sentence):
            continue  # "Yes." or a stray marker: nothing to check, nothing to show alone
        cited = {n: given[n] for n in numbers if n in given}
        number = backing(sentence, cited) if cited else None
        number = number or backing(sentence, given)
        if number is None:
            dropped.append(sentence)
        else:
            kept.append((sentence, number))
    return Guarded(tuple(kept), tuple(dropped))
