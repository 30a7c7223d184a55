"""Training mode in one place: paths, lessons, knowledge checks, spaced review, progress and the trainer's side.

The app's Learn page, the trainer console and ``playbook-coach learn`` all go through ``Training``.
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import Enum
from pathlib import Path
from typing import Any

from ingest.check import GLOSSARY, Finding
from learn.generate import draft_items, glossary_entries, owners
from learn.items import Item, bank_file, bank_problems, item_problems, load_bank, read_items, validated, write_items
from learn.lessons import LessonPart, MissingSection, SectionReader
from learn.paths import FileCache, LearningPath, Module, SectionRef, TrainingFileError, load_paths, read_path
from learn.progress import Progress, Record
from learn.schedule import ReviewState, quality, review, todays_review
from rag.config import Settings
from rag.insights import spreadsheet_safe
from rag.types import Audience

MIN_ITEMS = 5  # a module's knowledge check needs at least this many approved items
MIN_REVIEW = 3  # a quiet day's review is topped up to this many items with unseen ones


class UnknownModule(LookupError):
    """No path has a module of that id; the message names it."""


class Status(str, Enum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"  # opened or tried, not passed
    SIGNOFF_DUE = "sign-off due"  # passed the check; a trainer has not signed it off (since)
    PASSED = "passed"  # passed and signed off, and the sign-off has not expired
    EXPIRED = "expired"  # the sign-off is older than the re-check interval


def module_status(record: Record, module: str, today: date, valid_days: int) -> Status:
    signed = record.signoffs.get(module)
    passed_on = record.last_pass(module)
    if signed is not None:
        if today <= signed[1] + timedelta(days=valid_days):
            return Status.PASSED
        return Status.SIGNOFF_DUE if passed_on and passed_on > signed[1] else Status.EXPIRED
    if passed_on is not None:
        return Status.SIGNOFF_DUE
    if module in record.opened or any(a.module == module for a in record.attempts):
        return Status.IN_PROGRESS
    return Status.NOT_STARTED


def status_counts(statuses: Iterable[Status]) -> dict[str, int]:
    """How many are at each status, every status named (zero included), in the order of ``Status``."""
    counts = Counter(statuses)
    return {status.value: counts.get(status, 0) for status in Status}


@dataclass(frozen=True)
class ItemResult:
    item: Item
    chosen: int | None  # None: left unanswered

    @property
    def correct(self) -> bool:
        return self.chosen == self.item.answer


@dataclass(frozen=True)
class CheckResult:
    module: str
    results: tuple[ItemResult, ...]
    pass_mark: float

    @property
    def score(self) -> int:
        return sum(1 for r in self.results if r.correct)

    @property
    def needed(self) -> int:
        """Right answers needed to pass."""
        return math.ceil(self.pass_mark * len(self.results) - 1e-9)

    @property
    def passed(self) -> bool:
        return bool(self.results) and self.score >= self.needed


@dataclass(frozen=True)
class GenerationReport:
    module: str
    generated: int  # drafts written from the playbook
    valid: int  # of those, drafts that passed validation
    known: int  # already in the bank or rejected before: not proposed again
    drafts: tuple[Item, ...]  # what is now waiting for a trainer


class Training:
    def __init__(
        self,
        corpus_dir: Path,
        progress: Progress,
        drafts_dir: Path,
        *,
        max_bytes: int,
        pass_mark: float = 0.8,
        signoff_valid_days: int = 365,
        review_size: int = 5,
    ) -> None:
        self.corpus_dir = corpus_dir
        self.reader = SectionReader(corpus_dir, max_bytes)
        self.progress = progress
        self.drafts_dir = drafts_dir
        self.pass_mark = pass_mark
        self.signoff_valid_days = signoff_valid_days
        self.review_size = review_size
        self._paths = FileCache(read_path)
        self._items = FileCache(read_items)

    @classmethod
    def from_settings(cls, settings: Settings) -> Training:
        return cls(
            settings.corpus_dir,
            Progress(settings.learning_path),
            settings.quiz_drafts_dir,
            max_bytes=settings.max_file_bytes,
            pass_mark=settings.pass_mark,
            signoff_valid_days=settings.signoff_valid_days,
            review_size=settings.review_size,
        )

    # Paths and lessons (read from the corpus folder on each call: trainers edit them while the app runs)

    def paths(self, audience: Audience | None = None) -> list[LearningPath]:
        return [p for p in load_paths(self.corpus_dir, self._paths.get) if audience in (None, p.audience)]

    def bank(self) -> dict[str, list[Item]]:
        """Approved items by module."""
        return load_bank(self.corpus_dir, self._items.get)

    def modules(self) -> dict[str, Module]:
        return {m.id: m for p in self.paths() for m in p.modules}

    def module(self, module_id: str) -> Module:
        found = self.modules().get(module_id)
        if found is None:
            raise UnknownModule(f"no module {module_id[:80]!r}: `playbook-coach learn paths` lists them")
        return found

    def path_of(self, module: Module) -> LearningPath:
        return next(p for p in self.paths() if p.id == module.path_id)

    def lesson(self, module_id: str) -> list[LessonPart]:
        return self.reader.lesson(self.module(module_id))

    # Knowledge checks

    def _section_text(self, item: Item) -> str | None:
        try:
            return self.reader.part(SectionRef(item.source, item.section)).text
        except MissingSection:
            return None

    def _live(self, item: Item) -> bool:
        """Approved, and its source section still reads as it did then (else it waits for re-review)."""
        current = self.reader.fingerprint_of(item.source, item.section)  # "" when the section is gone
        return bool(current) and current == item.source_fingerprint

    def quiz(self, module_id: str) -> list[Item]:
        self.module(module_id)
        return [item for item in self.bank().get(module_id, []) if self._live(item)]

    def grade(self, learner: str, module_id: str, chosen: Mapping[str, int | None], today: date) -> CheckResult:
        """Score one knowledge check, record it, and schedule every item for spaced review."""
        items = self.quiz(module_id)
        result = CheckResult(module_id, tuple(ItemResult(i, chosen.get(i.id)) for i in items), self.pass_mark)
        states = {s.item_id: s for s in self.progress.record(learner).reviews}
        reviews = [
            review(states.get(r.item.id) or ReviewState.new(r.item.id, today), quality(r.correct), today)
            for r in result.results
        ]
        self.progress.record_attempt(
            learner, module_id, [(r.item.id, r.correct) for r in result.results], result.passed, reviews, today
        )
        return result

    def live_items(self) -> dict[str, Item]:
        return {item.id: item for items in self.bank().values() for item in items if self._live(item)}

    def todays_review(self, learner: str, today: date) -> list[Item]:
        """The day's few items: those due, then (on a quiet day) unseen items of modules the learner opened."""
        record = self.progress.record(learner)
        live = self.live_items()
        states = [s for s in record.reviews if s.item_id in live]
        seen = {s.item_id for s in record.reviews}
        fresh = [item.id for item in live.values() if item.module in record.opened and item.id not in seen]
        done = self.progress.reviewed(learner, today)  # the day's review is a few items, not all there are
        if done >= self.review_size:
            return []
        picked = todays_review(states, fresh, today, self.review_size - done, max(0, MIN_REVIEW - done))
        return [live[i] for i in picked]

    def answer_review(self, learner: str, item_id: str, chosen: int | None, today: date) -> ItemResult:
        item = self.live_items().get(item_id)
        if item is None:
            raise LookupError(f"no live item {item_id[:80]!r}")
        result = ItemResult(item, chosen)
        state = next((s for s in self.progress.record(learner).reviews if s.item_id == item_id), None)
        self.progress.record_review(
            learner,
            item_id,
            result.correct,
            review(state or ReviewState.new(item_id, today), quality(result.correct), today),
            today,
        )
        return result

    def source_label(self, item: Item) -> str:
        """Where an item's answer is stated, as a learner reads it: "OEE explained › What is OEE?"."""
        try:
            title = self.reader.document(item.source)[0]
        except MissingSection:
            title = item.source
        return " › ".join(part for part in (title, item.section) if part)

    # Progress

    def status(self, record: Record, module_id: str, today: date) -> Status:
        return module_status(record, module_id, today, self.signoff_valid_days)

    def progress_of(self, learner: str, today: date) -> dict[str, Any]:
        """One learner's progress as the CLI and the Learn page show it."""
        record = self.progress.record(learner)
        modules = []
        for path in self.paths():
            for module in path.modules:
                best = record.best(module.id)
                passed = record.last_pass(module.id)
                signed = record.signoffs.get(module.id)
                modules.append(
                    {
                        "path": path.id,
                        "module": module.id,
                        "title": module.title,
                        "status": self.status(record, module.id, today).value,
                        "score": best.score if best else None,
                        "total": best.total if best else None,
                        "passed_on": str(passed) if passed else "",
                        "signed_off_by": signed[0] if signed else "",
                        "signed_off_on": str(signed[1]) if signed else "",
                        "expires_on": str(signed[1] + timedelta(days=self.signoff_valid_days)) if signed else "",
                    }
                )
        return {
            "learner": record.learner,
            "name": record.name,
            "modules": modules,
            "reviews_due": record.reviews_due(today),
        }

    def completion(self, today: date) -> list[dict[str, Any]]:
        """Per path and module, how many learners are at each status."""
        records = [self.progress.record(learner) for learner, _ in self.progress.learners()]
        rows = []
        for path in self.paths():
            for module in path.modules:
                rows.append(
                    {
                        "path": path.id,
                        "module": module.id,
                        "title": module.title,
                        **status_counts(self.status(r, module.id, today) for r in records),
                    }
                )
        return rows

    def learner_statuses(self, today: date) -> list[dict[str, Any]]:
        """Per learner, how many modules are at each status, and the review items due: the trainer's overview."""
        rows = []
        for learner, name in self.progress.learners():
            record = self.progress.record(learner)
            rows.append(
                {
                    "learner": name,
                    **status_counts(self.status(record, m, today) for m in self.modules()),
                    "reviews due": record.reviews_due(today),
                }
            )
        return rows

    def completion_csv(self, today: date) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        columns = (
            "learner",
            "path",
            "module",
            "status",
            "score",
            "total",
            "passed_on",
            "signed_off_by",
            "signed_off_on",
            "expires_on",
        )
        writer.writerow(columns)
        for learner, _ in self.progress.learners():
            data = self.progress_of(learner, today)
            for row in data["modules"]:
                writer.writerow(
                    [
                        spreadsheet_safe(data["name"]),
                        *(spreadsheet_safe(str(row[c] if row[c] is not None else "")) for c in columns[1:]),
                    ]
                )
        return out.getvalue()

    def most_missed(self, limit: int = 10) -> list[tuple[Item, int, int]]:
        """(item, times answered, times missed), the most missed share first: content to look at."""
        stats = self.progress.item_statistics()
        items = {item.id: item for items in self.bank().values() for item in items}
        ranked = sorted(
            ((items[i], asked, missed) for i, (asked, missed) in stats.items() if i in items and missed),
            key=lambda t: (-t[2] / t[1], -t[2], t[0].id),
        )
        return ranked[:limit]

    # Drafts: generated from the playbook, live only once a trainer approves them

    def _drafts_file(self, module_id: str) -> Path:
        return self.drafts_dir / f"{module_id}.yaml"

    def drafts(self, module_id: str) -> list[Item]:
        path = self._drafts_file(module_id)
        return read_items(path) if path.exists() else []

    def _rejected_file(self, module_id: str) -> Path:
        return self.drafts_dir / f"{module_id}.rejected"

    def _rejected(self, module_id: str) -> set[str]:
        path = self._rejected_file(module_id)
        return set(path.read_text(encoding="utf-8").split()) if path.exists() else set()

    def _siblings(self, module: Module) -> list[LessonPart]:
        """Every section of the module's path and documents: where wrong options come from."""
        parts: dict[SectionRef, LessonPart] = {}
        for ref in {r for m in self.path_of(module).modules for r in m.sections}:
            for section in self.reader.document(ref.source)[1]:
                if section:
                    found = SectionRef(ref.source, section)
                    parts.setdefault(found, self.reader.part(found))
        return sorted(parts.values(), key=lambda p: (p.ref.source, p.ref.section))

    def generate(self, module_id: str, out: Path | None = None) -> GenerationReport:
        """Write fresh drafts for one module (to ``out``, else to the drafts queue); known items are skipped."""
        module = self.module(module_id)
        entries = []
        if (self.corpus_dir / GLOSSARY).is_file():
            entries = glossary_entries(self.reader.document(GLOSSARY)[1])
        modules = self.path_of(module).modules
        owned = {
            term
            for term, owner in owners([(m, self.reader.lesson(m)) for m in modules], entries).items()
            if owner == module.id
        }
        generated = draft_items(module, self.reader.lesson(module), self._siblings(module), entries, GLOSSARY, owned)
        checked = [validated(item, self._section_text(item) or "") for item in generated]
        known = {item.id for item in self.bank().get(module_id, [])} | self._rejected(module_id)
        fresh = [item for item in checked if item.id not in known]
        write_items(out or self._drafts_file(module_id), module_id, fresh)
        return GenerationReport(
            module_id,
            len(generated),
            sum(1 for i in checked if not i.problems),
            len(checked) - len(fresh),
            tuple(fresh),
        )

    def approve(self, item: Item) -> Item:
        """Put a draft (as the trainer left it, edits included) into the bank; refused with the first problem."""
        self.module(item.module)
        text = self._section_text(item)
        if text is None:
            raise MissingSection(f"{item.source}: no section {item.section!r}")
        problems = item_problems(item, text)
        if problems:
            raise TrainingFileError(f"item {item.id}: {problems[0]}")
        approved = replace(item, problems=(), source_fingerprint=self.reader.fingerprint_of(item.source, item.section))
        bank = [i for i in self.bank().get(item.module, []) if i.id != item.id]
        write_items(bank_file(self.corpus_dir, item.module), item.module, [*bank, approved])
        self._drop_draft(item)
        return approved

    def reject(self, item: Item) -> None:
        """Drop a draft and never propose it again."""
        path = self._rejected_file(item.module)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            out.write(item.id + "\n")
        self._drop_draft(item)

    def _drop_draft(self, item: Item) -> None:
        remaining = [d for d in self.drafts(item.module) if d.id != item.id]
        write_items(self._drafts_file(item.module), item.module, remaining)

    # Validation (``learn check`` and ``corpus check``)

    def check(self) -> tuple[list[Finding], list[Finding]]:
        """(errors, warnings) over the paths and the item bank."""
        errors: list[Finding] = []
        warnings: list[Finding] = []
        try:
            modules = self.modules()
            bank = self.bank()
        except TrainingFileError as exc:
            return [Finding("paths", str(exc))], []
        for module in modules.values():
            for ref in module.sections:
                try:
                    self.reader.part(ref)
                except MissingSection as exc:
                    errors.append(Finding(f"paths/{module.path_id}", f"module {module.id}: {exc}"))
        for module_id, items in bank.items():
            where = f"quizzes/{module_id}.yaml"
            if module_id not in modules:
                errors.append(Finding(where, f"no learning path has a module {module_id!r}"))
                continue
            for item in items:
                text = self._section_text(item)
                if text is None:
                    errors.append(Finding(where, f"item {item.id}: {item.source}: no section {item.section!r}"))
                    continue
                errors.extend(Finding(where, f"item {item.id}: {p}") for p in item_problems(item, text))
                if self.reader.fingerprint_of(item.source, item.section) != item.source_fingerprint:
                    warnings.append(
                        Finding(
                            where,
                            f"item {item.id}: its source section changed since it was "
                            "approved; re-review it (it is not asked until then)",
                        )
                    )
            warnings.extend(Finding(where, p) for p in bank_problems(items))
        for module in modules.values():
            live = [i for i in bank.get(module.id, []) if self._live(i)]
            if len(live) < MIN_ITEMS:
                warnings.append(
                    Finding(
                        f"paths/{module.path_id}",
                        f"module {module.id} has {len(live)} approved items; a check needs {MIN_ITEMS}",
                    )
                )
        return errors, warnings

    def stale(self, module_id: str) -> list[Item]:
        """Approved items whose source changed: back in front of a trainer, out of the checks."""
        return [i for i in self.bank().get(module_id, []) if not self._live(i)]

    def remove(self, item: Item) -> None:
        """Take an approved item out of the bank (its source changed and it no longer holds)."""
        kept = [i for i in self.bank().get(item.module, []) if i.id != item.id]
        write_items(bank_file(self.corpus_dir, item.module), item.module, kept)

    def forget(self, learner: str) -> bool:
        return self.progress.forget(learner)

    def sign_off(self, learner: str, module_id: str, by: str, today: date) -> None:
        self.module(module_id)
        self.progress.sign_off(learner, module_id, by, today)
