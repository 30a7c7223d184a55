"""Draft knowledge-check items written from the playbook itself: deterministic, so a re-run after the
corpus changes proposes the same items for unchanged sections.

Three sources, each grounded in a section's own sentences:
- a question heading and the sentence that answers it, against the openings of sibling sections;
- a glossary term and its definition, against the definitions of terms the same module mentions;
- a sentence with a number, as a gap to fill and as a true/false statement with the number changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from learn.items import BLANK, TRUE_FALSE, Item, ItemKind
from learn.lessons import LessonPart
from learn.paths import Module
from rag.compose import points_back, signposts, teases
from rag.text import is_list_item, normalize, plain_text, sentence_text, sha256, split_sentences

_YES_NO = re.compile(r"^(?:can|could|will|would|is|are|do|does|did|should|may|must|am|have|has)\b", re.IGNORECASE)
_DEFINITION = re.compile(
    r"^(?:(?:an?|the)\s+)?(?P<subject>.{2,80}?)\s+(?:is|are|means)\s+(?P<rest>.{12,})$", re.IGNORECASE
)
# One amount: a number with the unit it counts, or a share. Years and list numbers are left alone.
_AMOUNT = re.compile(
    r"(?<![\w.,])(?P<value>\d{1,3}(?:[.,]\d+)?)(?P<unit>%| percent| (?:minutes?|hours?|days?|"
    r"weeks?|months?|years?|seconds?|shifts?|people|parts|machines))(?![\w%])"
)
_WORDS = re.compile(r"\S+")
_EXAMPLE = re.compile(r"\bexample\b|\bhere is\b|\bsay\b|[=÷×]", re.IGNORECASE)
MAX_OPTION = 240


@dataclass(frozen=True)
class GlossaryEntry:
    term: str  # the heading, "MTBF (Mean Time Between Failures)"
    sentence: str  # its first sentence: the definition
    subject: str  # the definition's subject as written ("MTBF")
    definition: str  # what follows "is", capitalized: "The average time ..."

    @property
    def names(self) -> list[str]:
        return [n.strip() for n in re.split(r"[()]", self.term) if len(n.strip()) >= 2]


def glossary_entries(sections: dict[str, str]) -> list[GlossaryEntry]:
    """Entries whose first sentence reads "<term> is <definition>"."""
    entries = []
    for term, text in sections.items():
        sentence = _first_sentence(text)
        match = _DEFINITION.match(sentence.rstrip("."))
        if not term or not match or len(sentence) > MAX_OPTION:
            continue
        subject = match.group("subject")
        if not any(normalize(name) in normalize(subject) for name in re.split(r"[()]", term) if name.strip()):
            continue
        rest = match.group("rest")
        entries.append(GlossaryEntry(term, sentence, subject, rest[0].upper() + rest[1:] + "."))
    return entries


def _first_sentence(text: str) -> str:
    for line in text.splitlines():
        if line.strip() and not is_list_item(line) and not line.lstrip().startswith(("#", "|", "=")):
            spans = split_sentences(line)
            return sentence_text(line[slice(*spans[0])]) if spans else ""
    return ""


def _sentences(text: str) -> list[str]:
    found: list[str] = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith(("#", "|")):
            found.extend(sentence_text(line[slice(*span)]) for span in split_sentences(line))
    return found


def answers(opening: str) -> bool:
    """The sentence can stand as an answer: it neither announces what follows, nor leans on a sentence before
    it, nor sends the reader elsewhere (the same test ``corpus check`` puts to question headings)."""
    return not (teases(opening) or points_back(opening) or signposts(opening))


def _order(item_id: str, options: Sequence[str]) -> list[str]:
    """The options in an order fixed by the item (no random numbers: re-runs agree)."""
    return sorted(options, key=lambda option: sha256(item_id, option))


def _item(
    module: Module,
    kind: ItemKind,
    question: str,
    correct: str,
    wrong: Sequence[str],
    explanation: str,
    part_source: str,
    section: str,
) -> Item:
    item_id = f"{module.id}-{sha256(kind.value, question, correct)[:8]}"
    options = list(TRUE_FALSE) if kind is ItemKind.TRUE_FALSE else _order(item_id, [correct, *wrong])
    return Item(
        item_id, module.id, kind, question, tuple(options), options.index(correct), explanation, part_source, section
    )


def _statement(module: Module, true: str, false: str, source: str, section: str) -> Item:
    """A true/false item: the playbook's sentence as written, or with one thing changed (about half each,
    fixed by the sentence, so "false" is no safer a guess than "true")."""
    if int(sha256(true)[:2], 16) % 2:
        return _item(
            module, ItemKind.TRUE_FALSE, true, "True", (), "Right: the playbook says exactly this.", source, section
        )
    return _item(module, ItemKind.TRUE_FALSE, false, "False", (), true, source, section)


def _closest_in_length(correct: str, pool: Iterable[str], count: int = 3) -> list[str]:
    """Distractors near the right option's length, so length gives nothing away."""
    seen = {normalize(correct)}
    unique = []
    for option in pool:
        if normalize(option) not in seen and len(option) <= MAX_OPTION:
            seen.add(normalize(option))
            unique.append(option)
    return sorted(unique, key=lambda o: (abs(len(o) - len(correct)), sha256(o)))[:count]


def opening_items(module: Module, parts: Sequence[LessonPart], siblings: Sequence[LessonPart]) -> list[Item]:
    """ "<question heading>?" answered by the section's first sentence, against sibling sections' first sentences."""
    openings = {part.ref: _first_sentence(part.text) for part in siblings if part.ref.section.endswith("?")}
    items = []
    for part in parts:
        correct = openings.get(part.ref, "")
        if not correct or _YES_NO.match(part.ref.section) or len(correct) > MAX_OPTION or not answers(correct):
            continue
        same_doc = [o for ref, o in openings.items() if ref.source == part.ref.source and ref != part.ref]
        others = [o for ref, o in openings.items() if ref.source != part.ref.source]
        wrong = _closest_in_length(correct, same_doc)
        wrong += _closest_in_length(correct, others, 3 - len(wrong))
        if len(wrong) == 3:
            explanation = next((s for s in _sentences(part.text)[1:2]), correct)
            items.append(
                _item(
                    module,
                    ItemKind.CHOICE,
                    part.ref.section,
                    correct,
                    wrong,
                    explanation,
                    part.ref.source,
                    part.ref.section,
                )
            )
    return items


def mentions(entry: GlossaryEntry, text: str) -> int:
    """How often the text names the entry (acronyms by case, other names in any case)."""
    return sum(
        len(re.findall(rf"(?<!\w){re.escape(name)}(?!\w)", text, 0 if name.isupper() else re.IGNORECASE))
        for name in entry.names
    )


def mentioned(entries: Sequence[GlossaryEntry], text: str) -> list[GlossaryEntry]:
    """The entries the text names, most mentioned first."""
    counts = [(mentions(entry, text), entry) for entry in entries]
    return [entry for count, entry in sorted(counts, key=lambda pair: (-pair[0], pair[1].term)) if count]


def glossary_items(
    module: Module,
    parts: Sequence[LessonPart],
    entries: Sequence[GlossaryEntry],
    glossary_source: str,
    owned: set[str],
    per_module: int = 2,
) -> list[Item]:
    """ "Which of these describes <term>?" for the terms this module owns (``owned``: the terms it names more
    often than any other module of its path), against the definitions of other terms it names."""
    named = mentioned(entries, "\n".join(plain_text(part.text) for part in parts))
    items = []
    for entry in [e for e in named if e.term in owned][:per_module]:
        wrong = _closest_in_length(entry.definition, [e.definition for e in named if e is not entry])
        if len(wrong) == 3:  # terms the module does not name would be wrong by topic alone
            items.append(
                _item(
                    module,
                    ItemKind.CHOICE,
                    f"Which of these describes {entry.names[0]}?",
                    entry.definition,
                    wrong,
                    entry.sentence,
                    glossary_source,
                    entry.term,
                )
            )
    return items


def owners(modules: Sequence[tuple[Module, Sequence[LessonPart]]], entries: Sequence[GlossaryEntry]) -> dict[str, str]:
    """Each glossary term's module: the one that names it most (the first, on a tie), so a term is asked once."""
    best: dict[str, tuple[int, str]] = {}
    for module, parts in modules:
        text = "\n".join(plain_text(part.text) for part in parts)
        for entry in entries:
            count = mentions(entry, text)
            if count and (entry.term not in best or count > best[entry.term][0]):
                best[entry.term] = (count, module.id)
    return {term: module for term, (_, module) in best.items()}


def _amounts(sentence: str) -> list[re.Match[str]]:
    return list(_AMOUNT.finditer(sentence))


def _other_values(value: str, unit: str, pool: Iterable[str]) -> list[str]:
    """Other amounts of the same unit the playbook uses, else near multiples of this one."""
    found = []
    for sentence in pool:
        for match in _amounts(sentence):
            if match.group("unit") == unit and match.group("value") != value and match.group(0) not in found:
                found.append(match.group(0))
    number = float(value.replace(",", "."))
    limit = 100 if unit.strip() in ("%", "percent") else None
    for factor in (2, 0.5, 3, 1.5, 4):
        candidate = round(number * factor)
        if candidate > 0 and (limit is None or candidate < limit):
            text = f"{candidate}{unit}"
            if candidate != number and text not in found:
                found.append(text)
    return found


def amount_items(
    module: Module, parts: Sequence[LessonPart], siblings: Sequence[LessonPart], per_module: int = 4
) -> list[Item]:
    """A stated amount ("about ____ of each week") as a gap to fill, or as a true/false statement with the amount
    kept or changed (one of the two per sentence). Worked examples and formulas are left out: their numbers
    mean nothing without the lines around them."""
    pool = [s for part in siblings for s in _sentences(part.text)]
    items: list[Item] = []
    for part in parts:
        for paragraph in part.text.split("\n\n"):
            if _EXAMPLE.search(paragraph):
                continue
            for sentence in _sentences(paragraph):
                amounts = _amounts(sentence)
                if len(amounts) != 1 or not 8 <= len(_WORDS.findall(sentence)) <= 35 or len(items) >= per_module:
                    continue
                match = amounts[0]
                wrong = sorted(
                    _other_values(match.group("value"), match.group("unit"), pool), key=lambda o: sha256(sentence, o)
                )[:3]
                if len(wrong) < 3:
                    continue
                if int(sha256(sentence)[2:4], 16) % 3:
                    gap = sentence[: match.start()] + BLANK + sentence[match.end() :]
                    items.append(
                        _item(
                            module,
                            ItemKind.CHOICE,
                            gap,
                            match.group(0),
                            wrong,
                            sentence,
                            part.ref.source,
                            part.ref.section,
                        )
                    )
                else:
                    changed = sentence[: match.start()] + wrong[0] + sentence[match.end() :]
                    items.append(_statement(module, sentence, changed, part.ref.source, part.ref.section))
    return items


def draft_items(
    module: Module,
    parts: Sequence[LessonPart],
    siblings: Sequence[LessonPart],
    entries: Sequence[GlossaryEntry],
    glossary_source: str,
    owned: set[str],
) -> list[Item]:
    """Every draft for one module, in a stable order, without two items asking the same."""
    drafts = [
        *opening_items(module, parts, siblings),
        *amount_items(module, parts, siblings),
        *glossary_items(module, parts, entries, glossary_source, owned),
    ]
    unique: dict[str, Item] = {}
    for item in drafts:
        unique.setdefault(item.id, item)
    return list(unique.values())
