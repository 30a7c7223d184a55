"""Load one playbook file into a SourceDocument, or fail with a one-line reason.

Markdown carries its metadata in front matter; other formats may have a sidecar
``<file>.meta.yaml`` (title, audience, topic, tags, summary) written by the trainer console.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from bs4 import BeautifulSoup
from pypdf import PdfReader

from ingest.pdf_layout import headings, read_page
from rag.text import clean_text, plain_text
from rag.types import Audience, Heading, SourceDocument, Upkeep

SUFFIXES = {".md": "md", ".markdown": "md", ".txt": "txt", ".html": "html", ".htm": "html", ".pdf": "pdf"}
SIDECAR_SUFFIX = ".meta.yaml"
UPKEEP_FIELDS = ("owner", "review_by", "verified_by", "verified_on")  # optional, in front matter or sidecar
_HTML_DROP = ("script", "style", "noscript", "template", "iframe", "object", "svg", "head")
_HTML_BLOCKS = {"p", "li", "td", "th", "pre", "blockquote", "dd", "dt", "figcaption", "caption"}


class LoadError(Exception):
    """A file that cannot be ingested; the message is the one-line reason shown to trainers."""


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> dict[str, Any]:
    side = sidecar_path(path)
    if not side.exists():
        return {}
    try:
        data = yaml.safe_load(side.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise LoadError(f"metadata file {side.name} is not valid YAML: {_first_line(exc)}") from None
    if not isinstance(data, dict):
        raise LoadError(f"metadata file {side.name} must hold key: value pairs")
    return data


def load(path: Path, doc_path: str, max_bytes: int) -> SourceDocument:
    """Read ``path`` and return its text and metadata; raise LoadError with a reason otherwise."""
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise LoadError(f"unsupported file type {path.suffix or '(none)'}: use .md, .txt, .html or .pdf")
    try:
        size = path.stat().st_size
        if size == 0:
            raise LoadError("empty file")
        if size > max_bytes:
            raise LoadError(f"file is {_size(size)}, over the {_size(max_bytes)} limit")
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror or exc}") from None
    meta = read_sidecar(path)
    loader = {"md": _load_markdown, "txt": _load_text, "html": _load_html, "pdf": _load_pdf}[kind]
    doc = loader(data, doc_path, meta)
    if not doc.text.strip():
        raise LoadError("no text found in file")
    return doc


def _size(n_bytes: int) -> str:
    """Bytes as a trainer reads them (a small limit must not show as "0.0 MB")."""
    for unit, scale in (("MB", 1e6), ("kB", 1e3)):
        if n_bytes >= scale:
            return f"{n_bytes / scale:.1f} {unit}"
    return f"{n_bytes} bytes"


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); save it as UTF-8"
        ) from None


def _tags(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, (list, tuple)):
        raise LoadError("tags must be a list or a comma-separated string")
    return tuple(str(t).strip().lower() for t in value if str(t).strip())


def _document(
    doc_path: str,
    text: str,
    meta: dict[str, Any],
    fmt: str,
    fallback_title: str,
    pages: tuple[tuple[int, int], ...] = (),
    headings: tuple[Heading, ...] = (),
) -> SourceDocument:
    try:
        audience = Audience.parse(meta.get("audience"), default=Audience.ALL)
    except ValueError as exc:
        raise LoadError(str(exc)) from None
    # Titles and headings are shown as labels everywhere: plain text, markup removed.
    title = plain_text(str(meta.get("title") or fallback_title or "")) or Path(doc_path).stem.replace("-", " ")
    return SourceDocument(
        path=doc_path,
        text=text,
        title=clean_text(title)[:300],
        audience=audience,
        topic=str(meta.get("topic") or "").strip().lower(),
        tags=_tags(meta.get("tags")),
        summary=str(meta.get("summary") or "").strip(),
        format=fmt,
        pages=pages,
        headings=headings,
        upkeep=Upkeep(**{name: _field_text(meta.get(name)) for name in UPKEEP_FIELDS}),
    )


def _field_text(value: Any) -> str:
    """A metadata value as one line of text (YAML reads 2026-06-01 as a date: back to its ISO form)."""
    return clean_text(str(value)).replace("\n", " ")[:200] if value is not None else ""


def _first_heading(text: str) -> str:
    match = re.search(r"^#\s+(.+)$", text, re.MULTILINE)
    return match.group(1).strip() if match else ""


def _load_markdown(data: bytes, doc_path: str, sidecar: dict[str, Any]) -> SourceDocument:
    raw = _decode(data)
    try:
        post = frontmatter.loads(raw)
    except Exception as exc:  # the YAML parser raises many types; all mean the same to a trainer
        raise LoadError(f"front matter is not valid YAML: {_first_line(exc)}") from None
    meta = {**post.metadata, **sidecar}
    text = clean_text(post.content)
    return _document(doc_path, text, meta, "md", _first_heading(text))


def _load_text(data: bytes, doc_path: str, sidecar: dict[str, Any]) -> SourceDocument:
    text = clean_text(_decode(data))
    return _document(doc_path, text, sidecar, "txt", _first_heading(text))


# <meta name="..."> fields a playbook document carries, and the metadata key each fills.
_HTML_META = {"audience": "audience", "topic": "topic", "tags": "tags", "description": "summary", "sources": "sources"}


def html_metadata(soup: BeautifulSoup) -> dict[str, Any]:
    """A page's <title> and the <meta> fields of a playbook document (for the loader and corpus check)."""
    meta: dict[str, Any] = {}
    for tag in soup.find_all("meta"):
        key = _HTML_META.get(str(tag.get("name") or "").lower())
        if key:
            meta[key] = tag.get("content")
    title_tag = soup.find("title")
    if title_tag and title_tag.get_text(strip=True):
        meta["title"] = title_tag.get_text(" ", strip=True)
    return meta


def _load_html(data: bytes, doc_path: str, sidecar: dict[str, Any]) -> SourceDocument:
    try:
        soup = BeautifulSoup(data, "html.parser")
        meta = html_metadata(soup)
        for tag in soup.find_all(_HTML_DROP):
            tag.decompose()
        text = clean_text(_html_to_markdown(soup))
    except RecursionError:
        raise LoadError("HTML is nested too deeply to read") from None
    return _document(doc_path, text, {**meta, **sidecar}, "html", _first_heading(text))


def _html_to_markdown(soup: BeautifulSoup) -> str:
    """Headings become Markdown headings (so chunking sees sections); blocks become paragraphs."""
    lines: list[str] = []
    for element in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6", *_HTML_BLOCKS]):
        if element.find_parent(list(_HTML_BLOCKS)) is not None:
            continue  # a block inside a block: its text is already in the outer one
        text = " ".join(element.get_text(" ", strip=True).split())
        if not text:
            continue
        if element.name[0] == "h" and element.name[1:].isdigit():
            lines.append("#" * int(element.name[1:]) + " " + text)
        elif element.name == "li":
            lines.append("- " + text)
        else:
            lines.append(text)
    if not lines:  # text outside any block element, e.g. a bare <body>
        lines.append(soup.get_text("\n", strip=True))
    return "\n\n".join(lines)


def _load_pdf(data: bytes, doc_path: str, sidecar: dict[str, Any]) -> SourceDocument:
    import io

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = bool(reader.decrypt(""))
            except Exception:  # pypdf raises several types for unsupported encryption
                opened = False
            if not opened:
                raise LoadError("encrypted PDF: it needs a password; save an unprotected copy")
        parts: list[str] = []
        pages: list[tuple[int, int]] = []
        found: list[Heading] = []
        offset = 0
        read = [read_page(page) for page in reader.pages]
        for number, ((raw, _), page_headings) in enumerate(
            zip(read, headings([lines for _, lines in read]), strict=True), start=1
        ):
            page_text = clean_text(raw)
            if not page_text:
                continue
            pages.append((offset, number))
            found.extend(_located(page_headings, page_text, offset))
            parts.append(page_text)
            offset += len(page_text) + 2
        info: Mapping[str, Any] = reader.metadata or {}
        meta = {
            "title": info.get("/Title"),
            "summary": info.get("/Subject"),
            "tags": info.get("/Keywords"),
        }
    except LoadError:
        raise
    except Exception as exc:  # damaged PDFs make pypdf raise almost anything (NotImplementedError for odd filters)
        raise LoadError(f"corrupt or unreadable PDF: {_first_line(exc)}") from None
    text = "\n\n".join(parts)
    if not text.strip():
        raise LoadError("PDF has no extractable text (scanned or image-only?): run OCR first")
    meta = {k: v for k, v in meta.items() if v}
    title = next((h.text for h in found if h.level == 1), "")
    return _document(doc_path, text, {**meta, **sidecar}, "pdf", title, tuple(pages), tuple(found))


def _located(page_headings: Sequence[tuple[int, str]], page_text: str, offset: int) -> Iterator[Heading]:
    """Where each heading sits in the page's text, in order; one the text does not hold as set is skipped."""
    at = 0
    for level, heading in page_headings:
        match = re.compile(r"\s+".join(map(re.escape, heading.split()))).search(page_text, at)
        if match is None:
            continue
        at = match.end()
        yield Heading(offset + match.start(), offset + match.end(), level, heading)
