"""Trainer operations on the corpus: upload, retag, replace, delete, approve, re-ingest.

Every change is made to the files in the corpus directory first and then picked up by an
incremental ingest, so the corpus directory stays the one source of truth (``playbook-coach ingest``
from the command line sees exactly what the trainer console made). Uploads land in
``<corpus>/uploads/`` under a sanitized name, are checked by content as well as by name, and must load
before they are moved into place; nothing is ever written outside the corpus directory.
"""

from __future__ import annotations

import os
import re
import threading
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import count
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from ingest import verified
from ingest.audit import AuditLog
from ingest.loaders import SUFFIXES, LoadError, load, read_sidecar, sidecar_path
from ingest.pipeline import Ingestor
from ingest.reports import IngestReport, Progress
from ingest.verified import ANSWERS_DIR, AnswerRejected, VerifiedAnswer
from rag.catalog import FileRecord
from rag.config import ConsoleSettings
from rag.text import clean_text, sentence_text, split_sentences
from rag.types import Audience, Chunk, SourceDocument

UPLOAD_DIR = "uploads"
MAX_NAME_CHARS = 80
MAX_TOPIC_CHARS = 60
MAX_TAG_CHARS = 40
MAX_TAGS = 20
MAX_TITLE_CHARS = 200
MAX_SUMMARY_CHARS = 1000
SUMMARY_CHARS = 240  # a summary filled in from the file: its opening statements up to about this long
SUMMARY_MIN_WORDS = 5  # shorter lines (labels, captions) are not statements to summarize with
PDF_MAGIC = b"%PDF-"

# One trainer change at a time per process: two sessions retagging and deleting at once would
# otherwise race on the same files. Questions are not blocked; they read committed snapshots.
_CHANGE_LOCK = threading.Lock()


class ChangeRejected(ValueError):
    """A trainer request that cannot be carried out; the message says why, in plain words."""


@dataclass(frozen=True)
class DocumentInfo:
    """What the trainer says about a document: who it is for and what it is about.

    Title, summary and sources are optional here (empty keeps what the file already says), but
    ``corpus check`` wants them, so the console asks for them too.
    """

    audience: Audience
    topic: str = ""
    tags: tuple[str, ...] = ()
    title: str = ""
    summary: str = ""
    sources: tuple[str, ...] = ()
    review_by: str = ""  # ISO date; empty keeps what the file says

    @classmethod
    def parse(
        cls,
        audience: str | Audience,
        topic: str = "",
        tags: str | Sequence[str] = (),
        title: str = "",
        summary: str = "",
        sources: str | Sequence[str] = (),
    ) -> DocumentInfo:
        try:
            parsed = Audience.parse(audience.value if isinstance(audience, Audience) else audience)
        except ValueError as exc:
            raise ChangeRejected(str(exc)) from None
        topic = _label(topic)
        labels = tuple(dict.fromkeys(label for label in map(_label, _items(tags, ",")) if label))
        title, summary = " ".join(clean_text(title).split()), " ".join(clean_text(summary).split())
        links = tuple(dict.fromkeys(s for s in (" ".join(clean_text(i).split()) for i in _items(sources, "\n")) if s))
        for what, value, limit in (
            ("topic", topic, MAX_TOPIC_CHARS),
            ("title", title, MAX_TITLE_CHARS),
            ("summary", summary, MAX_SUMMARY_CHARS),
        ):
            if len(value) > limit:
                raise ChangeRejected(f"the {what} is too long: keep it under {limit} characters")
        if len(labels) > MAX_TAGS or len(links) > MAX_TAGS:
            raise ChangeRejected(f"too many tags or sources: use at most {MAX_TAGS} of each")
        if any(len(t) > MAX_TAG_CHARS for t in labels):
            raise ChangeRejected(f"a tag is too long: keep each under {MAX_TAG_CHARS} characters")
        if any(len(s) > MAX_SUMMARY_CHARS for s in links):
            raise ChangeRejected(f"a source is too long: keep each under {MAX_SUMMARY_CHARS} characters")
        return cls(parsed, topic, labels, title, summary, links)

    @classmethod
    def of(cls, record: FileRecord) -> DocumentInfo:
        return cls(Audience.parse(record.audience, default=Audience.ALL), record.topic, record.tags)

    def as_metadata(self) -> dict[str, Any]:
        optional = {
            "title": self.title,
            "summary": self.summary,
            "sources": list(self.sources),
            "review_by": self.review_by,
        }
        return {
            "audience": self.audience.value,
            "topic": self.topic,
            "tags": list(self.tags),
            **{key: value for key, value in optional.items() if value},
        }


@dataclass(frozen=True)
class UploadResult:
    name: str  # as uploaded
    doc_path: str = ""  # where it went, relative to the corpus directory
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def _items(value: str | Sequence[str], separator: str) -> list[str]:
    return [str(v) for v in (value.split(separator) if isinstance(value, str) else value)]


def _label(text: str) -> str:
    return " ".join(clean_text(text).split()).lower()


def safe_filename(name: str) -> str:
    """A plain ``name.ext`` made from whatever the browser sent: no folders, no hidden files, no odd bytes."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    stem, dot, suffix = base.rpartition(".")
    suffix = f".{suffix.lower()}"
    if not dot or suffix not in SUFFIXES:
        raise ChangeRejected("only .pdf, .md, .txt and .html files can be uploaded")
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem)
    stem = re.sub(r"([._-])[._-]+", r"\1", stem).strip("._-")[:MAX_NAME_CHARS].rstrip("._-")
    if not stem:
        raise ChangeRejected("the file name has no letters or digits; rename the file and try again")
    return stem + suffix


def check_content(kind: str, data: bytes, max_bytes: int) -> None:
    """The bytes must be what the name says: a PDF starts with %PDF-, the rest is UTF-8 text."""
    if not data:
        raise ChangeRejected("the file is empty")
    if len(data) > max_bytes:
        raise ChangeRejected(f"the file is {len(data) / 2**20:.1f} MB; the limit is {max_bytes / 2**20:.3g} MB")
    if kind == "pdf":
        if not data.startswith(PDF_MAGIC):
            raise ChangeRejected("the file is named .pdf but is not a PDF")
        return
    if data.startswith(PDF_MAGIC):
        raise ChangeRejected("the file is a PDF: give it a .pdf name")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ChangeRejected(
            f"the file is not UTF-8 text (bad byte at offset {exc.start}); save it as UTF-8 and upload it again"
        ) from None
    if "\x00" in text:
        raise ChangeRejected("the file holds binary data, not text")


def markdown_with_info(data: bytes, info: DocumentInfo, defaults: dict[str, Any] | None = None) -> bytes:
    """The Markdown file with ``info`` in its front matter, and ``defaults`` for keys it still lacks; its
    other keys and its body unchanged."""
    try:
        post = frontmatter.loads(data.decode("utf-8-sig"))
    except Exception as exc:  # the YAML parser raises many types; all mean the same to a trainer
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        raise ChangeRejected(f"the front matter is not valid YAML: {first_line}") from None
    post.metadata.update(info.as_metadata())
    for key, value in (defaults or {}).items():
        post.metadata.setdefault(key, value)
    return (frontmatter.dumps(post, sort_keys=False) + "\n").encode("utf-8")


def described(doc: SourceDocument, name: str, today: date) -> dict[str, Any]:
    """A title, summary and source for an upload whose trainer left them empty, from the file itself: the
    title it loads with (its first heading, else its name), its opening statements, and where it came from."""
    statements = [
        sentence
        for a, b in split_sentences(doc.text)
        if len((sentence := sentence_text(doc.text[a:b])).split()) >= SUMMARY_MIN_WORDS
        and not sentence.endswith(("?", ":"))
        and not sentence.startswith("#")
    ]
    summary = ""
    for sentence in statements:
        if summary and len(summary) + len(sentence) >= SUMMARY_CHARS:
            break
        summary = f"{summary} {sentence}".strip()
    return {
        "title": doc.title,
        "summary": summary[:MAX_SUMMARY_CHARS],
        "sources": [f"uploaded in the trainer console as {name} on {today:%Y-%m-%d}"],
    }


def _write_atomic(path: Path, data: bytes, exclusive: bool = False) -> None:
    """Write beside the target under a hidden name (ingest skips those), then move it in whole.

    ``exclusive`` refuses to replace an existing file, atomically (a hard link fails if the name exists).
    """
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(tmp, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if exclusive:
            os.link(tmp, path)
        else:
            os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def in_corpus(root: Path, doc_path: str) -> Path | None:
    """Where a document path points inside the corpus folder ``root``; None for a path that leads out of it."""
    path = root / doc_path
    if Path(doc_path).is_absolute() or ".." in Path(doc_path).parts:
        return None
    return path if path.resolve().is_relative_to(root.resolve()) else None  # a link may lead out too


class CorpusManager:
    def __init__(self, console: ConsoleSettings, ingestor: Ingestor, audit: AuditLog | None = None) -> None:
        self.console = console
        self.ingestor = ingestor
        self.audit = audit  # every change is recorded with who made it, when there is one
        self.catalog = ingestor.catalog
        self.root = ingestor.settings.corpus_dir.resolve()

    # Reading
    def documents(self) -> list[FileRecord]:
        return list(self.catalog.files().values())

    def document(self, doc_path: str) -> FileRecord:
        record = self.catalog.files().get(doc_path)
        if record is None:
            raise ChangeRejected(f"{doc_path} is not in the catalog (was it deleted meanwhile?)")
        return record

    def chunks(self, doc_path: str) -> list[Chunk]:
        return self.catalog.chunks(doc_path)

    def quarantined(self) -> list[Chunk]:
        """Passages flagged as likely instructions to the assistant and not yet approved."""
        approved = self.catalog.approved_hashes()
        return [c for c in self.catalog.chunks() if c.flagged and c.content_hash not in approved]

    # Changing
    def _done(self, by: str, action: str, target: str, detail: str = "") -> None:
        if self.audit is not None:
            self.audit.record(by, action, target, detail)

    def upload(
        self, files: Sequence[tuple[str, bytes]], info: DocumentInfo, progress: Progress | None = None, *, by: str = ""
    ) -> tuple[list[UploadResult], IngestReport | None]:
        """Save each file under ``uploads/`` and ingest the ones that were saved.

        Each file is judged on its own: a bad one is reported and the others go on.
        """
        with _CHANGE_LOCK:
            folder = self.root / UPLOAD_DIR
            folder.mkdir(parents=True, exist_ok=True)
            results: list[UploadResult] = []
            saved: list[Path] = []
            for name, data in files:
                try:
                    path = self._save_new(folder, name, data, info)
                except ChangeRejected as exc:
                    results.append(UploadResult(name, error=str(exc)))
                    continue
                saved.append(path)
                results.append(UploadResult(name, doc_path=self._doc_path(path)))
            if not saved:
                return results, None
            report = self.ingestor.run(saved, progress=progress)
        failed = {f.path: f.reason for f in report.failed}
        for path in saved:
            self._done(by, "upload", self._doc_path(path), failed.get(self._doc_path(path), ""))
        return [UploadResult(r.name, r.doc_path, failed.get(r.doc_path, r.error)) for r in results], report

    def retag(self, doc_path: str, info: DocumentInfo, *, by: str = "") -> IngestReport:
        with _CHANGE_LOCK:
            path = self._existing(doc_path)
            self._write_info(path, info)
            report = self._ingest_one(path)
        self._done(by, "retag", doc_path, f"{info.audience.value}; {info.topic}; {', '.join(info.tags)}")
        return report

    def replace(self, doc_path: str, data: bytes, info: DocumentInfo, *, by: str = "") -> IngestReport:
        """A new version of the document under the same name; the old one stays live if this one fails."""
        with _CHANGE_LOCK:
            path = self._existing(doc_path)
            kind = SUFFIXES.get(path.suffix.lower(), "")
            data, _ = self._checked(path, kind, data, info)
            if kind != "md" or sidecar_path(path).exists():
                self._write_sidecar(path, info)
            _write_atomic(path, data)
            report = self._ingest_one(path)
        self._done(by, "replace", doc_path, f"{len(data):,} bytes")
        return report

    def delete(self, doc_path: str, *, by: str = "", action: str = "delete") -> IngestReport:
        """Remove the file and its metadata sidecar, then ingest its folder so its chunks are gone."""
        with _CHANGE_LOCK:
            path = self._existing(doc_path)
            path.unlink()
            sidecar_path(path).unlink(missing_ok=True)
            report = self.ingestor.run([path.parent])
        self._done(by, action, doc_path)
        return report

    def mark_reviewed(self, doc_path: str, *, by: str = "", today: date | None = None) -> str:
        """A trainer checked the document: its next review is due ``review_interval_days`` from today. Returns
        that date."""
        due = ((today or date.today()) + timedelta(days=self.console.review_interval_days)).isoformat()
        with _CHANGE_LOCK:
            path = self._existing(doc_path)
            self._write_info(path, replace(DocumentInfo.of(self.document(doc_path)), review_by=due))
            self._ingest_one(path)
        self._done(by, "mark reviewed", doc_path, f"next review by {due}")
        return due

    def approve(self, content_hash: str, approved_by: str) -> None:
        if not any(c.content_hash == content_hash for c in self.quarantined()):
            raise ChangeRejected("that passage is not waiting for approval (approved or removed meanwhile?)")
        self.catalog.approve(content_hash, approved_by)
        self._done(approved_by, "approve", content_hash)

    # Verified answers (ingest.verified): trainers' answers kept as playbook documents under answers/
    def verified_answers(self) -> list[VerifiedAnswer]:
        folder = self.root / ANSWERS_DIR
        return (
            [
                verified.parse(path.read_text(encoding="utf-8"), self._doc_path(path))
                for path in sorted(folder.glob("*.md"))
            ]
            if folder.is_dir()
            else []
        )

    def add_verified_answer(
        self, question: str, answer: str, cites: Sequence[str], audience: Audience, by: str, on: date | None = None
    ) -> tuple[VerifiedAnswer, IngestReport]:
        """Save the answer as a document and ingest it, so the next worker who asks gets it."""
        try:
            question, answer, by = verified.cleaned(question, answer, by)
        except AnswerRejected as exc:
            raise ChangeRejected(str(exc)) from None
        cites = list(dict.fromkeys(c.strip() for c in cites if c.strip()))
        if not cites:
            raise ChangeRejected("cite at least one playbook section that backs the answer (DOCUMENT#SECTION)")
        sections = {(c.doc_path, s) for c in self.catalog.chunks() for s in (c.section, c.own_heading)}
        if unknown := verified.unknown_cites(cites, sections):
            raise ChangeRejected(f"no such playbook document or section: {', '.join(unknown)}")
        text = verified.render(
            question, answer, audience, cites, by, on or date.today(), self.console.review_interval_days
        )
        with _CHANGE_LOCK:
            folder = self.root / ANSWERS_DIR
            folder.mkdir(parents=True, exist_ok=True)
            name = verified.slug(question)
            path = next(p for n in count(1) if not (p := folder / f"{name}{'' if n == 1 else f'-{n}'}.md").exists())
            _write_atomic(path, text.encode("utf-8"), exclusive=True)
            report = self._ingest_one(path)
        self._done(by, "verify", self._doc_path(path), question)
        return verified.parse(text, self._doc_path(path)), report

    def remove_verified_answer(self, answer_id: str, *, by: str = "") -> IngestReport:
        found = [a for a in self.verified_answers() if a.id == answer_id]
        if not found:
            raise ChangeRejected(f"no verified answer {answer_id!r} (see: playbook-coach answers list)")
        return self.delete(found[0].path, by=by, action="unverify")

    def reingest(self, rebuild: bool = False, progress: Progress | None = None) -> IngestReport:
        with _CHANGE_LOCK:
            return self.ingestor.run(rebuild=rebuild, progress=progress)

    # Helpers
    def _doc_path(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def _inside(self, path: Path) -> bool:
        return path.resolve().is_relative_to(self.root)

    def _existing(self, doc_path: str) -> Path:
        """The file behind a catalog entry, provided it lies inside the corpus directory."""
        self.document(doc_path)
        path = in_corpus(self.root, doc_path)
        if path is None:
            raise ChangeRejected(f"{doc_path} is outside the corpus folder; change it there, not here")
        if not path.is_file():
            raise ChangeRejected(f"{doc_path} is no longer in the corpus folder; re-ingest to update the list")
        return path

    def _checked(self, path: Path, kind: str, data: bytes, info: DocumentInfo) -> tuple[bytes, SourceDocument]:
        """The bytes to store, once they pass the content checks and load like an ingest would load them,
        and the document they load as."""
        check_content(kind, data, self.console.max_upload_bytes)
        if kind == "md":
            data = markdown_with_info(data, info)
        trial = path.with_name(f".trial-{uuid.uuid4().hex}{path.suffix.lower()}")
        try:
            trial.write_bytes(data)
            doc = load(trial, self._doc_path(path), self.ingestor.settings.max_file_bytes)
        except LoadError as exc:
            raise ChangeRejected(str(exc)) from None
        finally:
            trial.unlink(missing_ok=True)
        return data, doc

    def _save_new(self, folder: Path, name: str, data: bytes, info: DocumentInfo) -> Path:
        path = folder / safe_filename(name)
        if not self._inside(path):  # e.g. uploads/ itself replaced by a link to elsewhere
            raise ChangeRejected("the upload folder is outside the corpus folder; ask the maintainer")
        if path.exists() or path.is_symlink():
            raise ChangeRejected(f"{self._doc_path(path)} already exists: use Replace in the documents list")
        kind = SUFFIXES[path.suffix.lower()]
        data, doc = self._checked(path, kind, data, info)
        defaults = {key: value for key, value in described(doc, name, date.today()).items() if value}
        if kind == "md":
            data = markdown_with_info(data, info, defaults)
        else:
            self._write_sidecar(path, info, defaults)  # first, so the file never shows up without its metadata
        try:
            _write_atomic(path, data, exclusive=True)
        except FileExistsError:  # another session saved the same name a moment ago
            raise ChangeRejected(f"{self._doc_path(path)} already exists: use Replace in the documents list") from None
        return path

    def _write_info(self, path: Path, info: DocumentInfo) -> None:
        # A sidecar wins over front matter when both exist, so it is the one to change then.
        if path.suffix.lower() in (".md", ".markdown") and not sidecar_path(path).exists():
            _write_atomic(path, markdown_with_info(path.read_bytes(), info))
        else:
            self._write_sidecar(path, info)

    def _write_sidecar(self, path: Path, info: DocumentInfo, defaults: dict[str, Any] | None = None) -> None:
        try:
            metadata = read_sidecar(path)
        except LoadError:
            metadata = {}  # a broken sidecar is replaced by a good one
        metadata.update(info.as_metadata())
        for key, value in (defaults or {}).items():
            metadata.setdefault(key, value)
        text = yaml.safe_dump(metadata, sort_keys=False, allow_unicode=True)
        _write_atomic(sidecar_path(path), text.encode("utf-8"))

    def _ingest_one(self, path: Path) -> IngestReport:
        report = self.ingestor.run([path])
        if report.failed:
            reasons = "; ".join(f.reason for f in report.failed)
            raise ChangeRejected(f"saved, but the ingest failed: {reasons}")
        return report
