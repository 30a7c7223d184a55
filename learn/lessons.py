"""A module's reading: its playbook sections as the documents on disk hold them now."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ingest.chunking import sections
from ingest.loaders import LoadError, load
from ingest.manage import in_corpus
from learn.paths import FileCache, Module, SectionRef
from rag.text import normalize, sha256, unwrap


@dataclass(frozen=True)
class LessonPart:
    ref: SectionRef
    title: str  # the document's title
    text: str  # the section's Markdown, shown as text (never as HTML)

    @property
    def heading(self) -> str:
        return self.ref.section or self.title

    @cached_property  # a part is immutable; the reader keeps it while its document is unchanged
    def fingerprint(self) -> str:
        """Changes when the section's wording does: items written from it are then due for re-review."""
        return sha256(normalize(self.text))[:16]


class MissingSection(LookupError):
    """A path or item names a document or section the playbook does not have; the message says which."""


@dataclass(frozen=True)
class _Document:
    title: str
    sections: dict[str, str]  # text by heading path ("" holds the text before any heading)
    parts: dict[SectionRef, LessonPart]  # read so far; a changed file is a new _Document


class SectionReader:
    """Reads sections from the corpus folder, each file once per change."""

    def __init__(self, corpus_dir: Path, max_bytes: int) -> None:
        self.root = corpus_dir
        self.max_bytes = max_bytes
        self._documents = FileCache(self._load)

    def _load(self, path: Path) -> _Document:
        source = path.relative_to(self.root).as_posix()
        try:
            doc = load(path, source, self.max_bytes)
        except LoadError as exc:
            raise MissingSection(f"{source}: {exc}") from None
        parts: dict[str, list[str]] = {}
        for section, text, _ in sections(doc):
            parts.setdefault(section, []).append(unwrap(text).strip())  # PDF lines are hard-wrapped
        return _Document(
            doc.title, {section: "\n\n".join(t for t in texts if t) for section, texts in parts.items()}, {}
        )

    def _document(self, source: str) -> _Document:
        path = in_corpus(self.root, source)
        if path is None or not path.is_file():
            raise MissingSection(f"{source}: no such document in the playbook")
        return self._documents.get(path)

    def document(self, source: str) -> tuple[str, dict[str, str]]:
        """The document's title and its text by section heading path."""
        found = self._document(source)
        return found.title, found.sections

    def part(self, ref: SectionRef) -> LessonPart:
        found = self._document(ref.source)
        if ref not in found.parts:
            if ref.section and ref.section not in found.sections:
                raise MissingSection(f"{ref.source}: no section {ref.section!r}")
            body = (
                found.sections[ref.section]
                if ref.section
                else "\n\n".join(
                    f"### {section}\n\n{text}" if section else text for section, text in found.sections.items() if text
                )
            )
            found.parts[ref] = LessonPart(ref, found.title, body)
        return found.parts[ref]

    def fingerprint_of(self, source: str, section: str) -> str:
        """The section's current fingerprint; "" when it no longer exists."""
        try:
            return self.part(SectionRef(source, section)).fingerprint
        except MissingSection:
            return ""

    def lesson(self, module: Module) -> list[LessonPart]:
        return [self.part(ref) for ref in module.sections]
