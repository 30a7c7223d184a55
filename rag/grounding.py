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

from rag.compose import negates, points_back, says_same
from rag.text import sentence_text, split_sentences, terms

SUPPORT_SHARE = 0.6
# Below this share of the model's sentences backed, none of its answer is shown. Calibrated on SmolLM2-135M's
# answers to the golden set's tuning split (docs/llm.md): the higher the bar, the
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
    """The numbers and names the sentence states that the passage does not (as whole words: "20" is not
    backed by "200")."""
    return [
        fact
        for fact in (m.group(0).rstrip(".,") for m in _FACT.finditer(sentence.strip()))
        if fact and not re.search(rf"(?<!\w)(?<!\d[.,]){re.escape(fact)}(?!\w)(?![.,]\d)", passage, re.IGNORECASE)
    ]


def closest_sentence(sentence: str, passage: str) -> str:
    """The passage's sentence that shares the most content terms with ``sentence``."""
    wanted = set(terms(sentence))
    found = [passage[start:end] for start, end in split_sentences(passage)]
    return max(found, key=lambda candidate: len(wanted & set(terms(candidate))), default="")


def backing(sentence: str, passages: dict[int, str]) -> int | None:
    """The passage (by number) that supports the sentence best, if any supports it. A question answers
    nothing, and a sentence that says no where the passage says yes (or the reverse) is not backed by it,
    however many words they share."""
    if sentence.rstrip().endswith("?"):
        return None
    best, best_share = None, 0.0
    for number, passage in passages.items():
        share = sentence_support(sentence, [passage])
        if share is None or share < SUPPORT_SHARE or share <= best_share or unbacked_facts(sentence, passage):
            continue
        if negates(sentence) != negates(closest_sentence(sentence, passage)):
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


def guard(answer: str, passages: Sequence[str], question: str = "") -> Guarded:
    """Check each sentence against the passages it cites, or all of them when it cites none; keep the
    supported ones, cited by a passage that backs them (its own citation when that one does). A kept
    sentence must also read on its own and add something: none that points back ("It…", "This…") to a
    sentence left out or to nothing, none that says again what an earlier one said or only what the
    question said."""
    given = dict(enumerate(passages, start=1))
    asked = frozenset(terms(question))
    kept: list[tuple[str, int]] = []
    dropped: list[str] = []
    last_kept = False  # whether the sentence before this one is shown
    for sentence, numbers in claims(answer):
        words = frozenset(terms(sentence))
        if not words:
            continue  # "Yes." or a stray marker: nothing to check, nothing to show alone
        cited = {n: given[n] for n in numbers if n in given}
        number = backing(sentence, cited) if cited else None
        number = number or backing(sentence, given)
        dangles = points_back(sentence) and not last_kept
        repeats = words <= asked or any(says_same(sentence, earlier) for earlier, _ in kept)
        last_kept = number is not None and not dangles and not repeats
        if number is not None and last_kept:
            kept.append((sentence, number))
        else:
            dropped.append(sentence)
    return Guarded(tuple(kept), tuple(dropped))
