"""``corpus check``: is the corpus fit to ship? Trainers run it before every ingest.

Errors (the command exits non-zero): a file that would not ingest; missing or invalid metadata
(Markdown front matter, or a ``.meta.yaml`` sidecar / HTML ``<meta>`` tags where present); a
passage duplicated or nearly duplicated in another document; a heading with no text under it;
glossary entries defined twice, without an "Also called:" line, or sharing an alias.
Warnings: a worker document above the target reading grade; a long sentence (``MIN_SENTENCE_WORDS``+
words) repeated word for word in another document; a question heading whose first sentence does not
answer it (it announces what follows, leans on a sentence before it, or sends the reader elsewhere:
the answerer leads with a section's opening, so it must stand as the answer); a file without any
metadata (its audience defaults to all); a sidecar whose document is missing; no glossary; a document past
its ``review_by`` date (a date that is not one is an error).
Flagged: passages that read like instructions to the assistant (ingest quarantines them).

Near-duplicates: every passage (a chunk, as ingest cuts it) becomes the set of its 5-word
shingles; two passages from different documents whose shingle sets have a Jaccard similarity of
``NEAR_DUPLICATE`` (0.5) or more are reported. A ~150-word passage copied with one sentence
reworded still scores about 0.8, with two about 0.65; passages on the same topic written
independently score far lower (the highest pair in the shipped corpus is about 0.1). Passages
with fewer than ``MIN_SHINGLES`` shingles are too short to judge.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from bs4 import BeautifulSoup

from ingest.chunking import chunk_document
from ingest.discovery import discover, doc_path_for
from ingest.loaders import SIDECAR_SUFFIX, LoadError, html_metadata, load, read_sidecar, sidecar_path
from ingest.readability import flesch_kincaid_grade
from rag.compose import points_back, signposts, teases
from rag.config import IngestSettings
from rag.query import aliases_in
from rag.text import plain_text, sentence_text, split_sentences
from rag.types import Audience, Chunk, SourceDocument, iso_date

REQUIRED_FIELDS = ("title", "audience", "topic", "tags", "summary", "sources")
GLOSSARY = "glossary.md"
MAX_WORKER_GRADE = 9.0
NEAR_DUPLICATE = 0.5
SHINGLE_WORDS = 5
MIN_SHINGLES = 8
MIN_SENTENCE_WORDS = 12

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    path: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "message": self.message}


@dataclass(frozen=True)
class FlaggedPassage:
    path: str
    section: str
    reason: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "section": self.section, "reason": self.reason, "text": self.text}


@dataclass
class CheckReport:
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    flagged: list[FlaggedPassage] = field(default_factory=list)
    documents: int = 0
    words: dict[str, int] = field(default_factory=lambda: {a.value: 0 for a in Audience})
    reading_levels: dict[str, float] = field(default_factory=dict)  # worker documents only

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        return {
            "errors": [f.to_dict() for f in self.errors],
            "warnings": [f.to_dict() for f in self.warnings],
            "flagged": [f.to_dict() for f in self.flagged],
            "documents": self.documents,
            "words": dict(self.words),
            "reading_levels": dict(self.reading_levels),
        }


def check_corpus(settings: IngestSettings, data_home: Path, today: date | None = None) -> CheckReport:
    """Check every file under ``settings.corpus_dir``; nothing is embedded or stored (``data_home`` keeps
    the readability scorer's word lists)."""
    report = CheckReport()
    corpus_dir = settings.corpus_dir
    if not corpus_dir.is_dir():
        report.errors.append(Finding(str(corpus_dir), "corpus directory not found"))
        return report
    passages: list[Chunk] = []
    prose: dict[str, str] = {}
    for path in discover([corpus_dir]):
        doc_path = doc_path_for(path, corpus_dir)
        try:
            doc = load(path, doc_path, settings.max_file_bytes)
            chunks = chunk_document(doc, settings.chunk_size, settings.chunk_overlap)
        except LoadError as exc:
            report.errors.append(Finding(doc_path, f"cannot be ingested: {exc}"))
            continue
        report.documents += 1
        report.words[doc.audience.value] += count_words(doc.text)
        prose[doc.path] = readable_prose(doc.text)
        _check_document(doc, path, prose[doc.path], chunks, report, data_home, today or date.today())
        passages.extend(chunks)
    report.errors.extend(near_duplicates(passages))
    report.warnings.extend(repeated_sentences(prose))
    report.warnings.extend(_orphan_sidecars(corpus_dir))
    _check_glossary(corpus_dir, report)
    report.errors.sort(key=lambda f: f.path)
    report.warnings.sort(key=lambda f: f.path)
    return report


def _check_document(
    doc: SourceDocument, path: Path, prose: str, chunks: list[Chunk], report: CheckReport, data_home: Path, today: date
) -> None:
    declared, where = declared_metadata(path, doc.format)
    if declared or doc.format == "md":
        report.errors.extend(Finding(doc.path, f"{where}: {p}") for p in metadata_problems(declared))
    else:
        report.warnings.append(
            Finding(doc.path, f"no metadata: add {path.name}{SIDECAR_SUFFIX} (until then its audience is 'all')")
        )
    if not chunks:
        report.errors.append(Finding(doc.path, "cannot be ingested: no passages left after chunking"))
    report.errors.extend(
        Finding(doc.path, f"empty section {heading!r}: no text under it") for heading in empty_sections(doc.text)
    )
    report.warnings.extend(
        Finding(doc.path, f"{heading!r} does not open with its answer: {why} ({opening!r})")
        for heading, opening, why in unanswered_questions(doc.text)
    )
    for field_name, value in (("review_by", doc.upkeep.review_by), ("verified_on", doc.upkeep.verified_on)):
        if value and iso_date(value) is None:
            report.errors.append(Finding(doc.path, f"{field_name} {value!r} is not a date (YYYY-MM-DD)"))
    if doc.upkeep.overdue(today):
        owner = f" (owner: {doc.upkeep.owner})" if doc.upkeep.owner else ""
        report.warnings.append(Finding(doc.path, f"due for review since {doc.upkeep.review_by}{owner}"))
    report.flagged.extend(FlaggedPassage(doc.path, c.section, c.flagged, c.text[:200]) for c in chunks if c.flagged)
    if doc.audience is Audience.WORKER:
        grade = flesch_kincaid_grade(prose, data_home)
        report.reading_levels[doc.path] = grade
        if grade > MAX_WORKER_GRADE:
            report.warnings.append(
                Finding(doc.path, f"reading level is grade {grade:.1f}, above grade {MAX_WORKER_GRADE:g} for workers")
            )


# Metadata


def declared_metadata(path: Path, fmt: str) -> tuple[dict[str, Any], str]:
    """What the trainer wrote about the file (not the loader's defaults), and where it was written."""
    side = sidecar_path(path)
    own: dict[str, Any] = {}
    where = "front matter" if fmt == "md" else side.name
    if fmt == "md":
        own = dict(frontmatter.loads(path.read_text(encoding="utf-8-sig")).metadata)
    elif fmt == "html":
        own = html_metadata(BeautifulSoup(path.read_bytes(), "html.parser"))
        where = "HTML <meta> tags" if not side.exists() else f"{side.name} with the HTML <meta> tags"
    return {**own, **read_sidecar(path)}, where


def _as_list(value: Any) -> list[str] | None:
    """A YAML list or a comma-separated string (HTML <meta> content) as a list; None if neither."""
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list):
        return None
    return [str(v).strip() for v in value if v is not None and str(v).strip()]


def metadata_problems(meta: dict[str, Any]) -> list[str]:
    problems = []
    for key in REQUIRED_FIELDS:
        value = meta.get(key)
        if value is None or (isinstance(value, (str, list)) and not value):
            problems.append(f"{key} is missing")
        elif key == "audience":
            try:
                Audience.parse(str(value))
            except ValueError as exc:
                problems.append(str(exc))
        elif key in ("tags", "sources"):
            items = _as_list(value)
            if items is None:
                problems.append(f"{key} must be a list")
            elif not items:
                problems.append(f"{key} is empty")
        elif not isinstance(value, str) or not value.strip():
            problems.append(f"{key} must be text")
    return problems


def _orphan_sidecars(corpus_dir: Path) -> Iterable[Finding]:
    for side in sorted(corpus_dir.rglob(f"*{SIDECAR_SUFFIX}")):
        document = side.with_name(side.name[: -len(SIDECAR_SUFFIX)])
        if not document.exists():
            yield Finding(doc_path_for(side, corpus_dir), f"metadata for {document.name}, which does not exist")


# Structure and wording


def headings(text: str) -> list[tuple[int, int, str]]:
    """(line index, level, title) of each Markdown heading outside code fences."""
    found, fenced = [], False
    for index, line in enumerate(text.splitlines()):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        match = None if fenced else _HEADING.match(line)
        if match:
            found.append((index, len(match.group(1)), match.group(2).strip()))
    return found


def empty_sections(text: str) -> list[str]:
    """Headings with no body text before the next heading of the same or a higher level."""
    lines = text.splitlines()
    marks = headings(text)
    heading_lines = {index for index, _, _ in marks}
    empty = []
    for position, (index, level, title) in enumerate(marks):
        end = next((i for i, lvl, _ in marks[position + 1 :] if lvl <= level), len(lines))
        if not any(lines[i].strip() for i in range(index + 1, end) if i not in heading_lines):
            empty.append(title)
    return empty


def openings(text: str) -> list[tuple[str, str]]:
    """Each heading with the first sentence of the text under it (before any lower heading)."""
    lines = text.splitlines()
    marks = headings(text)
    found = []
    for position, (index, _, title) in enumerate(marks):
        end = marks[position + 1][0] if position + 1 < len(marks) else len(lines)
        first = next((line.strip() for line in lines[index + 1 : end] if line.strip()), "")
        spans = split_sentences(first)
        if spans:
            found.append((title, sentence_text(first[slice(*spans[0])])))
    return found


def unanswered_questions(text: str) -> list[tuple[str, str, str]]:
    """Question headings whose first sentence is no answer, with that sentence and why not."""
    found = []
    for heading, opening in openings(text):
        if not heading.endswith("?"):
            continue
        why = (
            "it announces what follows"
            if teases(opening)
            else "it leans on a sentence before it"
            if points_back(opening)
            else "it sends the reader elsewhere"
            if signposts(opening)
            else ""
        )
        if why:
            found.append((heading, opening, why))
    return found


def readable_prose(text: str) -> str:
    """The body as sentences: headings and table rules dropped, list items and lines ending in a stop.

    A line that starts in lower case after a line with no closing stop continues it (PDF text
    arrives wrapped at the page width), so a wrapped sentence is not scored as two short ones.
    """
    heading_lines = {index for index, _, _ in headings(text)}
    lines: list[str] = []
    for index, line in enumerate(text.splitlines()):
        if index in heading_lines or _TABLE_RULE.match(line) or _FENCE.match(line):
            continue
        line = line.strip()
        if lines and lines[-1] and line[:1].islower() and lines[-1][-1] not in ".!?:":
            lines[-1] += " " + line
        else:
            lines.append(line.replace("|", " "))
    sentences = [sentence_text(line[a:b]) for line in lines for a, b in split_sentences(line)]
    return " ".join(s for s in sentences if s)


def count_words(text: str) -> int:
    return len(_WORD.findall(plain_text(text)))


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = [w.lower() for w in _WORD.findall(plain_text(text))]
    return {tuple(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def near_duplicates(passages: list[Chunk], threshold: float = NEAR_DUPLICATE) -> list[Finding]:
    """Passages of different documents whose 5-word shingle sets have Jaccard similarity >= threshold."""
    sets = [_shingles(p.text) for p in passages]
    by_shingle: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for index, shingles in enumerate(sets):
        if len(shingles) >= MIN_SHINGLES:
            for shingle in shingles:
                by_shingle[shingle].append(index)
    shared: Counter[tuple[int, int]] = Counter()
    for holders in by_shingle.values():
        shared.update(combinations(holders, 2))  # only passages that share a shingle are compared
    best: dict[tuple[str, str, str, str], float] = {}
    for (a, b), common in shared.items():
        first, second = passages[a], passages[b]
        if first.doc_path == second.doc_path:
            continue
        similarity = common / (len(sets[a]) + len(sets[b]) - common)
        if similarity >= threshold:
            if (first.doc_path, first.ordinal) > (second.doc_path, second.ordinal):
                first, second = second, first
            key = (first.doc_path, first.heading, second.doc_path, second.heading)
            best[key] = max(similarity, best.get(key, 0.0))
    return [
        Finding(
            path,
            f"{'duplicate' if similarity >= 0.999 else 'near-duplicate'} passage: {heading!r} "
            f"repeats {other_path} {other_heading!r} ({similarity:.0%} of 5-word phrases shared)",
        )
        for (path, heading, other_path, other_heading), similarity in sorted(best.items())
    ]


def repeated_sentences(prose: dict[str, str]) -> list[Finding]:
    """Long sentences found word for word in two documents (``prose``: path -> readable_prose)."""
    holders: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for path, text in prose.items():
        for a, b in split_sentences(text):
            words = tuple(w.lower() for w in _WORD.findall(text[a:b]))
            if len(words) >= MIN_SENTENCE_WORDS:
                holders[words].add(path)
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for words, paths in holders.items():
        for pair in combinations(sorted(paths), 2):
            shared[pair].append(" ".join(words))
    return [
        Finding(path, f"{len(sentences)} sentence(s) repeated word for word in {other}, e.g. {sentences[0][:80]!r}")
        for (path, other), sentences in sorted(shared.items())
    ]


# Glossary


def glossary_problems(text: str) -> list[str]:
    """Every term (## heading) defined once, each with an "Also called:" line, no alias on two terms."""
    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError:
        return []  # reported as a load error already
    problems = []
    if str(post.metadata.get("topic", "")).strip().lower() != "glossary":
        problems.append("glossary topic must be 'glossary' (query expansion reads only that topic)")
    body = post.content.splitlines()
    marks = [(i, title) for i, level, title in headings(post.content) if level == 2]
    counts = Counter(title.casefold() for _, title in marks)
    problems += [
        f"glossary term {title!r} is defined {counts[title.casefold()]} times"
        for title in sorted({t for _, t in marks if counts[t.casefold()] > 1}, key=str.casefold)
    ]
    owners: dict[str, list[str]] = defaultdict(list)
    terms = {title.casefold(): title for _, title in marks}
    for position, (index, title) in enumerate(marks):
        end = marks[position + 1][0] if position + 1 < len(marks) else len(body)
        entry = "\n".join(body[index + 1 : end])
        aliases = set(aliases_in(entry))
        if not aliases:
            problems.append(f"glossary term {title!r} has no 'Also called:' line")
        for alias in aliases:
            if alias != title.casefold() and alias in terms:
                problems.append(f"alias {alias!r} of glossary term {title!r} is itself a glossary term")
            if title not in owners[alias]:
                owners[alias].append(title)
    problems += [
        f"alias {alias!r} is given to {len(titles)} glossary terms: {', '.join(titles)}"
        for alias, titles in sorted(owners.items())
        if len(titles) > 1
    ]
    return problems


def _check_glossary(corpus_dir: Path, report: CheckReport) -> None:
    path = corpus_dir / GLOSSARY
    if not path.is_file():
        report.warnings.append(Finding(GLOSSARY, "no glossary: questions in shop-floor words get no synonyms"))
        return
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return  # reported as a load error already
    report.errors.extend(Finding(GLOSSARY, problem) for problem in glossary_problems(text))
