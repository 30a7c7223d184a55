"""A module's reading: its playbook sections as the documents on disk hold them now."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ingest.chunking import sections
from ingest.loaders import LoadError, load
from ingest.manage import in_corpus
from learn.paths import Module, SectionRef
from rag.text import normalize, sha256, unwrap


@dataclass(frozen=True)
class LessonPart:
    ref: SectionRef
    title: str  # the document's title
    text: str  # the section's Markdown, shown as text (never as HTML)

    @property
    def heading(self) -> str:
        return self.ref.section or self.title

    @property
    def fingerprint(self) -> str:
        """Changes when the section's wording does: items written from it are then due for re-review."""
        return fingerprint(self.text)


def fingerprint(text: str) -> str:
    return sha256(normalize(text))[:16]


class MissingSection(LookupError):
    """A path or item names a document or section the playbook does not have; the message says which."""


class SectionReader:
    """Reads sections from the corpus folder, each file once per change (by size and modification time)."""

    def __init__(self, corpus_dir: Path, max_bytes: int) -> None:
        self.root = corpus_dir
        self.max_bytes = max_bytes
        self._cache: dict[str, tuple[tuple[int, int], str, dict[str, str]]] = {}

    def document(self, source: str) -> tuple[str, dict[str, str]]:
        """The document's title and its text by section heading path ("" holds text before any heading)."""
        path = in_corpus(self.root, source)
        if path is None or not path.is_file():
            raise MissingSection(f"{source}: no such document in the playbook")
        stat = path.stat()
        key = (stat.st_size, stat.st_mtime_ns)
        cached = self._cache.get(source)
        if cached is None or cached[0] != key:
            try:
                doc = load(path, source, self.max_bytes)
            except LoadError as exc:
                raise MissingSection(f"{source}: {exc}") from None
            parts: dict[str, list[str]] = {}
            for section, text, _ in sections(doc):
                parts.setdefault(section, []).append(unwrap(text).strip())  # PDF lines are hard-wrapped
            cached = (key, doc.title, {section: "\n\n".join(t for t in texts if t) for section, texts in parts.items()})
            self._cache[source] = cached
        return cached[1], cached[2]

    def part(self, ref: SectionRef) -> LessonPart:
        title, by_section = self.document(ref.source)
        if not ref.section:
            body = "\n\n".join(f"### {section}\n\n{text}" if section else text
                               for section, text in by_section.items() if text)
            return LessonPart(ref, title, body)
        if ref.section not in by_section:
            raise MissingSection(f"{ref.source}: no section {ref.section!r}")
        return LessonPart(ref, title, by_section[ref.section])

    def fingerprint_of(self, source: str, section: str) -> str:
        """The section's current fingerprint; "" when it no longer exists."""
        try:
            return self.part(SectionRef(source, section)).fingerprint
        except MissingSection:
            return ""

    def lesson(self, module: Module) -> list[LessonPart]:
        return [self.part(ref) for ref in module.sections]
