"""Build the PDF documents of the Playbook Coach corpus from Markdown-like sources.

Each ``corpus_src/*.md`` file carries the same YAML front matter as the Markdown
corpus documents (title, audience, topic, tags, summary, sources). For every
source this script writes:

* ``corpus/pdf/<name>.pdf``: the title as a large heading, each ``## `` heading
  in bold, then paragraphs and bullet or numbered lists, wrapped with
  ``multi_cell`` in the core Helvetica font;
* ``corpus/pdf/<name>.pdf.meta.yaml``: a sidecar with the front-matter keys,
  which the ingest pipeline reads for non-Markdown files.

The output is reproducible: the PDF creation date is fixed, so running the
script twice produces byte-identical files.

Usage::

    python scripts/build_pdfs.py
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from fpdf import FPDF

ROOT = Path(__file__).resolve().parent.parent
SRC_DIR = ROOT / "corpus_src"
OUT_DIR = ROOT / "corpus" / "pdf"

#: Fixed timestamp written into every PDF so that builds are byte-identical.
CREATION_DATE = datetime(2025, 1, 1, 0, 0, 0, tzinfo=UTC)
AUTHOR = "Playbook Coach"
META_KEYS = ("title", "audience", "topic", "tags", "summary", "sources")

FONT = "Helvetica"
LINE_H = 4.9  # line height (mm) for body text
BODY_SIZE = 10.0  # body font size (pt)
INDENT = 5.0  # bullet indent (mm)

#: Characters outside latin-1 (the core fonts' range) and their ASCII stand-ins.
REPLACEMENTS: dict[str, str] = {
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2033": '"',
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u2032": "'",
    "\u2014": " - ",
    "\u2013": "-",
    "\u2012": "-",
    "\u2011": "-",
    "\u2010": "-",
    "\u2212": "-",
    "\u00d7": "x",
    "\u2265": ">=",
    "\u2264": "<=",
    "\u2260": "!=",
    "\u2248": "~",
    "\u2192": "->",
    "\u2190": "<-",
    "\u2026": "...",
    "\u2022": "-",
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\u2122": "(TM)",
    "\u00ae": "(R)",
    "\u00b0": " deg",
    "\u20ac": "EUR",
}

BULLET_RE = re.compile(r"^\s*[-*+]\s+(.*)$")
NUMBERED_RE = re.compile(r"^\s*(\d+)[.)]\s+(.*)$")
LINK_RE = re.compile(r"\[([^\]]+)\]\([^)]+\)")


@dataclass(frozen=True)
class Block:
    """One rendered unit of the document body."""

    kind: str  # "h2", "h3", "para", "bullet"
    text: str
    marker: str = ""


def to_latin1(text: str) -> str:
    """Replace typographic characters by ASCII and drop inline Markdown markup."""
    for char, repl in REPLACEMENTS.items():
        text = text.replace(char, repl)
    text = LINK_RE.sub(r"\1", text)
    text = text.replace("**", "").replace("__", "").replace("`", "")
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        bad = sorted({c for c in text if ord(c) > 255})
        print(f"warning: replacing non-latin-1 characters {bad!r} with '?'", file=sys.stderr)
        text = text.encode("latin-1", errors="replace").decode("latin-1")
    return text


def parse_body(body: str, title: str) -> list[Block]:
    """Split a Markdown-like body into headings, paragraphs and list items."""
    blocks: list[Block] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            blocks.append(Block("para", to_latin1(" ".join(para))))
            para.clear()

    for raw in body.splitlines():
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped:
            flush()
        elif stripped.startswith("### "):
            flush()
            blocks.append(Block("h3", to_latin1(stripped[4:].strip())))
        elif stripped.startswith("## "):
            flush()
            blocks.append(Block("h2", to_latin1(stripped[3:].strip())))
        elif stripped.startswith("# "):
            flush()
            if stripped[2:].strip() != title:  # the title is drawn from the front matter
                blocks.append(Block("h2", to_latin1(stripped[2:].strip())))
        elif (m := BULLET_RE.match(line)) is not None:
            flush()
            blocks.append(Block("bullet", to_latin1(m.group(1).strip()), "-"))
        elif (m := NUMBERED_RE.match(line)) is not None:
            flush()
            blocks.append(Block("bullet", to_latin1(m.group(2).strip()), f"{m.group(1)}."))
        elif blocks and blocks[-1].kind == "bullet" and not para and raw[:1].isspace():
            last = blocks.pop()  # continuation line of a wrapped list item
            blocks.append(Block("bullet", f"{last.text} {to_latin1(stripped)}", last.marker))
        else:
            para.append(stripped)
    flush()
    return blocks


def render_pdf(meta: dict[str, Any], blocks: list[Block], out_path: Path) -> None:
    """Render the title and body blocks to ``out_path`` with fpdf2."""
    pdf = FPDF(orientation="portrait", unit="mm", format="Letter")
    pdf.set_margins(left=16, top=14, right=16)
    pdf.set_auto_page_break(auto=True, margin=14)
    pdf.set_title(str(meta["title"]))
    pdf.set_subject(str(meta["summary"]))
    pdf.set_keywords(", ".join(str(t) for t in meta["tags"]))
    pdf.set_author(AUTHOR)
    pdf.set_creator(AUTHOR)
    pdf.set_creation_date(CREATION_DATE)
    pdf.add_page()

    pdf.set_font(FONT, style="B", size=18)
    pdf.multi_cell(0, 8.5, to_latin1(str(meta["title"])), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)

    previous = ""
    for block in blocks:
        if block.kind in ("h2", "h3"):
            pdf.ln(2 if block.kind == "h2" else 1)
            pdf.set_font(FONT, style="B", size=12.5 if block.kind == "h2" else 11)
            pdf.multi_cell(0, 6, block.text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(0.5)
        elif block.kind == "bullet":
            pdf.set_font(FONT, size=BODY_SIZE)
            pdf.set_x(pdf.l_margin + INDENT)
            marker_w = 6.0 if block.marker == "-" else 7.0
            pdf.cell(marker_w, LINE_H, block.marker)
            pdf.multi_cell(0, LINE_H, block.text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(0.5)
        else:
            if previous == "bullet":
                pdf.ln(1)
            pdf.set_font(FONT, size=BODY_SIZE)
            pdf.multi_cell(0, LINE_H, block.text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.5)
        previous = block.kind

    out_path.write_bytes(bytes(pdf.output()))


def write_sidecar(meta: dict[str, Any], out_path: Path) -> None:
    """Write the ``<name>.pdf.meta.yaml`` sidecar with the front-matter keys."""
    data = {key: meta[key] for key in META_KEYS}
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000)
    out_path.write_text(text, encoding="utf-8")


def build_one(src: Path) -> Path:
    """Build the PDF and its sidecar for one source file and return the PDF path."""
    post = frontmatter.load(src)
    meta = dict(post.metadata)
    missing = [key for key in META_KEYS if key not in meta]
    if missing:
        raise ValueError(f"{src}: front matter is missing {missing}")
    blocks = parse_body(post.content, str(meta["title"]))
    pdf_path = OUT_DIR / f"{src.stem}.pdf"
    render_pdf(meta, blocks, pdf_path)
    write_sidecar(meta, OUT_DIR / f"{src.stem}.pdf.meta.yaml")
    return pdf_path


def main() -> int:
    """Build every ``corpus_src/*.md`` into ``corpus/pdf/``."""
    sources = sorted(SRC_DIR.glob("*.md"))
    if not sources:
        print(f"no sources found in {SRC_DIR}", file=sys.stderr)
        return 1
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for src in sources:
        pdf_path = build_one(src)
        print(f"wrote {pdf_path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
