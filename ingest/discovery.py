"""Which files are documents, what each is called, and whether it changed since the last ingest."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from ingest.loaders import sidecar_path
from rag.config import IngestSettings


def doc_path_for(path: Path, corpus_dir: Path) -> str:
    """The document's id: its path below the corpus directory, else its absolute path."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(corpus_dir.resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()


def discover(roots: Iterable[Path]) -> list[Path]:
    """Every candidate file under ``roots``; hidden files and YAML (metadata sidecars, learning paths,
    knowledge checks) are not documents."""
    found: list[Path] = []
    for root in roots:
        candidates = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in candidates:
            rel_parts = path.relative_to(root).parts if root.is_dir() else (path.name,)
            if any(part.startswith(".") for part in rel_parts) or path.suffix.lower() in (".yaml", ".yml"):
                continue
            found.append(path)
    return found


# Bump when loading or chunking changes what a file turns into, so existing data homes re-ingest.
PIPELINE_VERSION = "5"  # 3: sentences ending in "-ms", "-no" no longer run on; 4: owner, review and verified
# dates; 5: a PDF is cut at the headings read from its type


def pipeline_fingerprint(settings: IngestSettings) -> str:
    """What else, besides a file's bytes, decides its chunks and vectors."""
    return "|".join((PIPELINE_VERSION, settings.embedding_model, str(settings.chunk_size), str(settings.chunk_overlap)))


def file_hash(path: Path, fingerprint: str = "") -> str:
    """Hash of the file, its metadata sidecar (a retag is a change) and the pipeline fingerprint."""
    with path.open("rb") as handle:  # streamed: an oversized file is hashed, then refused by the loader
        digest = hashlib.file_digest(handle, "sha256")
    side = sidecar_path(path)
    digest.update(b"\0sidecar\0" + (side.read_bytes() if side.exists() else b""))
    digest.update(b"\0pipeline\0" + fingerprint.encode())
    return digest.hexdigest()
