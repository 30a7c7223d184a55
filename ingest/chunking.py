"""Heading-aware chunking: a chunk never straddles two sections (or two PDF pages)."""

from __future__ import annotations

from itertools import pairwise

from langchain_text_splitters import MarkdownHeaderTextSplitter, RecursiveCharacterTextSplitter

from rag.safety import injection_reason
from rag.text import plain_text, sha256
from rag.types import HEADING_SEPARATOR, Chunk, SourceDocument

_HEADERS = [("#", "h1"), ("##", "h2"), ("###", "h3"), ("####", "h4")]


def _splitter(size: int, overlap: int) -> RecursiveCharacterTextSplitter:
    return RecursiveCharacterTextSplitter(
        chunk_size=size,
        chunk_overlap=overlap,
        separators=["\n\n", "\n", ". ", "; ", ", ", " ", ""],
        keep_separator="end",
        strip_whitespace=True,
    )


def sections(doc: SourceDocument) -> list[tuple[str, str, int | None]]:
    """(section heading path, text, page) for each section of the document."""
    if doc.format == "pdf":
        return _pdf_sections(doc)
    parts = MarkdownHeaderTextSplitter(_HEADERS, strip_headers=True).split_text(doc.text)
    sections: list[tuple[str, str, int | None]] = []
    for part in parts:
        # The level-1 heading is the document title; the path starts below it.
        path = HEADING_SEPARATOR.join(
            plain_text(part.metadata[key]) for key in ("h2", "h3", "h4") if key in part.metadata
        )
        sections.append((path, part.page_content, None))
    return sections


def _pdf_sections(doc: SourceDocument) -> list[tuple[str, str, int | None]]:
    """A PDF's text cut at each page and each heading found in its type; a section running on to the next page
    keeps its heading there. The headings themselves are left out of the text, as Markdown's are."""
    starts = {start: page for start, page in doc.pages}
    heads = {h.start: h for h in doc.headings}
    bounds = sorted({*starts, *heads, len(doc.text)})
    path: dict[int, str] = {}  # level → heading, down to the current one
    page: int | None = None
    sections: list[tuple[str, str, int | None]] = []
    for start, end in pairwise(bounds):
        page = starts.get(start, page)
        if (heading := heads.get(start)) is not None:
            path = {level: text for level, text in path.items() if level < heading.level} | {
                heading.level: heading.text
            }
            start = heading.end
        text = doc.text[start:end].strip()
        if text:
            # the title (level 1) is the document's, as in Markdown: the path starts below it
            sections.append((HEADING_SEPARATOR.join(t for level, t in sorted(path.items()) if level > 1), text, page))
    return sections


def chunk_document(doc: SourceDocument, size: int, overlap: int) -> list[Chunk]:
    splitter = _splitter(size, overlap)
    chunks: list[Chunk] = []
    for section, text, page in sections(doc):
        for piece in splitter.split_text(text):
            if not piece.strip():
                continue
            ordinal = len(chunks)
            flagged = injection_reason(piece)
            chunk_id = sha256(
                doc.path,
                str(ordinal),
                piece,
                section,
                doc.title,
                doc.audience.value,
                doc.topic,
                ",".join(doc.tags),
                str(page),
                flagged,
            )[:32]
            chunks.append(
                Chunk(
                    id=chunk_id,
                    doc_path=doc.path,
                    ordinal=ordinal,
                    text=piece,
                    title=doc.title,
                    section=section,
                    audience=doc.audience,
                    topic=doc.topic,
                    tags=doc.tags,
                    page=page,
                    content_hash=sha256(piece)[:32],
                    flagged=flagged,
                )
            )
    return chunks
