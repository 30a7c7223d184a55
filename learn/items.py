"""Knowledge-check items: the shipped bank in ``<corpus>/quizzes/``, and the checks every item must pass.

An item is grounded: what makes its answer right is stated in its source section. It is also fair:
its options are distinct and the right one cannot be told by its form alone (the longest, or the only
one that repeats the question's words).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import Any

import yaml

from learn.paths import TrainingFileError, checked_id, read_yaml
from rag.text import normalize, terms

QUIZZES_DIR = "quizzes"
BLANK = "____"
TRUE_FALSE = ("True", "False")
MAX_TEXT = 400  # characters in a question, an option or an explanation: it is read on a tablet
_LONGEST_MARGIN = 1.3  # the right option "stands out" when it is this much longer than every other one


class ItemKind(str, Enum):
    CHOICE = "choice"  # one right option among three to five
    TRUE_FALSE = "true_false"  # a statement; options are True, False


@dataclass(frozen=True)
class Item:
    id: str
    module: str
    kind: ItemKind
    question: str  # a cloze question holds BLANK where the right option goes
    options: tuple[str, ...]
    answer: int  # the index of the right option
    explanation: str  # one line, shown after the learner answers
    source: str  # the document, below the corpus directory
    section: str  # its heading path ("" for a whole document)
    source_fingerprint: str = ""  # the section's wording when the item was approved (learn.lessons.fingerprint)
    origin: str = "generated"  # or "trainer": written by hand
    problems: tuple[str, ...] = field(default=(), compare=False)  # a draft's validation findings

    @property
    def correct(self) -> str:
        return self.options[self.answer]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(kind=self.kind.value, options=list(self.options), problems=list(self.problems))
        if not self.problems:
            del data["problems"]
        return data

    def public(self) -> dict[str, Any]:
        """The CLI's shape: what a learner's client needs."""
        return {
            key: value
            for key, value in self.to_dict().items()
            if key in ("id", "kind", "question", "options", "answer", "explanation", "source", "section")
        }

    @classmethod
    def from_dict(cls, data: Any, module: str, where: str) -> Item:
        if not isinstance(data, dict):
            raise TrainingFileError(f"{where}: each item must hold key: value pairs")
        try:
            kind = ItemKind(data.get("kind"))
        except ValueError:
            raise TrainingFileError(f"{where}: kind must be choice or true_false") from None
        options = data.get("options")
        answer = data.get("answer")
        if not isinstance(options, list) or not all(isinstance(o, str | int | float) for o in options):
            raise TrainingFileError(f"{where}: 'options' must be a list of texts")
        if not isinstance(answer, int) or isinstance(answer, bool):
            raise TrainingFileError(f"{where}: 'answer' must be the index of the right option")
        texts = {
            key: str(data.get(key) or "").strip()
            for key in ("id", "question", "explanation", "source", "section", "source_fingerprint", "origin")
        }
        checked_id(texts["id"], where)
        return cls(
            texts["id"],
            module,
            kind,
            texts["question"],
            tuple(str(o).strip() for o in options),
            answer,
            texts["explanation"],
            texts["source"],
            texts["section"],
            texts["source_fingerprint"],
            texts["origin"] or "generated",
            tuple(str(p) for p in data.get("problems") or ()),
        )


# Reading and writing the bank (and draft files, which have the same shape)


def read_items(path: Path) -> list[Item]:
    data = read_yaml(path)
    module = checked_id(str(data.get("module") or "").strip(), path.name)
    items = data.get("items") or []
    if not isinstance(items, list):
        raise TrainingFileError(f"{path.name}: 'items' must be a list")
    found = [Item.from_dict(item, module, f"{path.name} item {i + 1}") for i, item in enumerate(items)]
    ids = [item.id for item in found]
    if len(set(ids)) != len(ids):
        raise TrainingFileError(f"{path.name}: item ids must be unique")
    return found


def write_items(path: Path, module: str, items: Sequence[Item]) -> None:
    """Atomically: a crash leaves the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(
        {"module": module, "items": [item.to_dict() for item in items]}, sort_keys=False, allow_unicode=True, width=120
    )
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def bank_file(corpus_dir: Path, module: str) -> Path:
    return corpus_dir / QUIZZES_DIR / f"{module}.yaml"


def load_bank(corpus_dir: Path, read: Callable[[Path], list[Item]] = read_items) -> dict[str, list[Item]]:
    """Approved items by module."""
    bank: dict[str, list[Item]] = {}
    for path in sorted((corpus_dir / QUIZZES_DIR).glob("*.yaml")):
        items = read(path)
        if items:
            bank.setdefault(items[0].module, []).extend(items)
    return bank


# Validation


def evidence(item: Item) -> str:
    """The statement the source section must hold for the item's answer to be right."""
    if item.kind is ItemKind.TRUE_FALSE:
        return item.question if item.answer == 0 else item.explanation
    if BLANK in item.question:
        return item.question.replace(BLANK, item.correct)
    return item.correct


def item_problems(item: Item, section_text: str) -> list[str]:
    """What is wrong with one item, given the current text of its source section."""
    problems = []
    for name, text in (
        ("question", item.question),
        ("explanation", item.explanation),
        *((f"option {i + 1}", o) for i, o in enumerate(item.options)),
    ):
        if not text:
            problems.append(f"the {name} is empty")
        elif len(text) > MAX_TEXT or "\n" in text:
            problems.append(f"the {name} must be one line of at most {MAX_TEXT} characters")
    if item.kind is ItemKind.TRUE_FALSE and item.options != TRUE_FALSE:
        problems.append("a true/false item's options are True and False")
    if item.kind is ItemKind.CHOICE and not 3 <= len(item.options) <= 5:
        problems.append("a choice item has three to five options")
    if not 0 <= item.answer < len(item.options):
        return [*problems, "the answer is not one of the options"]
    if len({normalize(o) for o in item.options}) != len(item.options):
        problems.append("two options say the same")
    if normalize(evidence(item)) not in normalize(section_text):
        problems.append(
            "the source section does not state the right answer"
            + (" (the explanation must quote it)" if item.kind is ItemKind.TRUE_FALSE else "")
        )
    if item.kind is ItemKind.CHOICE:
        problems.extend(_guessable(item))
    return problems


def _guessable(item: Item) -> list[str]:
    found = []
    others = [o for i, o in enumerate(item.options) if i != item.answer]
    if all(len(item.correct) > _LONGEST_MARGIN * len(o) for o in others):
        found.append("the right option stands out as by far the longest")
    asked = set(terms(item.question.replace(BLANK, " ")))
    if set(terms(item.correct)) & asked and not any(set(terms(o)) & asked for o in others):
        found.append("only the right option repeats the question's words")
    return found


def bank_problems(items: Iterable[Item]) -> list[str]:
    """Patterns across one module's items that would let a learner guess."""
    choice = [item for item in items if item.kind is ItemKind.CHOICE]
    problems = []
    if len(choice) >= 4 and len({item.answer for item in choice}) == 1:
        problems.append(f"the right option is always option {choice[0].answer + 1}")
    longest = sum(1 for item in choice if max(item.options, key=len) == item.correct)
    if len(choice) >= 4 and longest > 0.6 * len(choice):
        problems.append(f"the right option is the longest in {longest} of {len(choice)} choice items")
    return problems


def validated(item: Item, section_text: str) -> Item:
    return replace(item, problems=tuple(item_problems(item, section_text)))
