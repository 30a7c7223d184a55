"""The headings of a PDF, read from its type: a line set larger than the body text, or wholly in bold, heads a
section. A PDF has no markup to say so, and a playbook PDF ("What is OEE?" in 12.5 pt bold over 10 pt text) is
written in sections as much as a Markdown page is."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rag.text import clean_text

if TYPE_CHECKING:
    from pypdf import PageObject

LARGER = 1.15  # a line this much larger than the body text is a heading
MAX_HEADING_CHARACTERS = 120  # ... and a longer one is a paragraph set large or in bold, not a heading
_SAME_LINE = 0.5  # points: text drawn at the same height is one line
_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_BULLET = re.compile(r"^\s*[-•*▪◦–]|^\W*$")  # a list item, or no words at all
_NUMBERED = re.compile(r"^\s*\d+[.)]\s")  # a step in bold ("1. Lock out the machine."), unless set larger


@dataclass(frozen=True)
class Line:
    """One line of a page as set: its text, the size of its largest type, and whether all of it is bold."""

    text: str
    size: float
    bold: bool


def read_page(page: PageObject) -> tuple[str, list[Line]]:
    """The page's text as pypdf extracts it, and its lines with their type, in the same order."""
    lines: list[list[tuple[str, float, bool]]] = []
    at: list[float | None] = [None]  # the height of the line being read

    def visit(text: str, cm: Sequence[float], tm: Sequence[float], font: Any, font_size: float) -> None:
        # the text's size and height on the page: the text matrix, then the page's transformation
        sx = tm[2] * cm[0] + tm[3] * cm[2]
        sy = tm[2] * cm[1] + tm[3] * cm[3]
        size = (font_size or 0.0) * math.hypot(sx, sy)
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        bold = bool(_BOLD.search(str((font or {}).get("/BaseFont", ""))))
        for i, piece in enumerate(text.split("\n")):
            if i:
                at[0] = None  # pypdf ended the line
            if not piece.strip():
                continue
            if at[0] is None or abs(at[0] - y) > _SAME_LINE:
                lines.append([])
                at[0] = y
            lines[-1].append((piece, size, bold))

    text = page.extract_text(visitor_text=visit) or ""
    return text, [
        Line(clean_text("".join(t for t, _, _ in runs)), max(s for _, s, _ in runs), all(b for _, _, b in runs))
        for runs in lines
    ]


def headings(pages: Sequence[Sequence[Line]]) -> list[list[tuple[int, str]]]:
    """Each page's headings, in order, as (level, text). Level 1 is the document's title: the largest type,
    set once, first; the rest are levels 2 to 4, larger type above smaller and bold type of the body's size
    below both. A heading set over two lines ("Pilot planning checklist: your first smart manufacturing" /
    "pilot") is one. None when all the text is set alike."""
    body = _body_type(pages)
    if body is None:
        return [[] for _ in pages]
    found = [_joined(page, body) for page in pages]
    styles = sorted({_style(line, body) for page in found for line in page}, reverse=True)
    all_headings = [line for page in found for line in page]
    titled = (
        bool(all_headings)
        and _style(all_headings[0], body) == styles[0]
        and sum(_style(line, body) == styles[0] for line in all_headings) == 1
        and styles[0][0] > 0  # larger than the body: bold alone makes no title
    )

    def level(line: Line) -> int:
        rank = styles.index(_style(line, body))
        return 1 if titled and rank == 0 else min(4, rank + (1 if titled else 2))

    return [[(level(line), line.text) for line in page] for page in found]


def _body_type(pages: Sequence[Sequence[Line]]) -> Line | None:
    """The type most of the text is set in (its size, and whether bold), as a line with no text."""
    types: Counter[tuple[float, bool]] = Counter()
    for page in pages:
        for line in page:
            types[round(line.size, 1), line.bold] += len(line.text)
    if not types:
        return None
    size, bold = types.most_common(1)[0][0]
    return Line("", size, bold)


def _larger(line: Line, body: Line) -> bool:
    return line.size >= body.size * LARGER


def _heads(line: Line, body: Line) -> bool:
    """Larger than the body text, or bold where the body is not; short, and no list item ("1. Scope" set
    larger is a numbered heading)."""
    larger = _larger(line, body)
    return (
        (larger or (line.bold and not body.bold and line.size >= body.size * 0.95))
        and len(line.text) <= MAX_HEADING_CHARACTERS
        and not _BULLET.match(line.text)
        and (larger or not _NUMBERED.match(line.text))
    )


def _style(line: Line, body: Line) -> tuple[float, bool]:
    """Larger type ranks above smaller; at the body's size, bold is the only mark."""
    return (round(line.size, 1) if _larger(line, body) else 0.0, line.bold)


def _joined(lines: Sequence[Line], body: Line) -> list[Line]:
    """The page's heading lines; two in a row in one style, the first not ending a sentence, are one heading set
    over two lines."""
    joined: list[Line] = []
    last: Line | None = None  # the line before, when a heading
    for line in lines:
        if not _heads(line, body):
            last = None
            continue
        if last and (last.size, last.bold) == (line.size, line.bold) and not last.text.endswith(("?", ".", ":", "!")):
            joined[-1] = last = Line(f"{last.text} {line.text}", line.size, line.bold)
        else:
            joined.append(line)
            last = line
    return joined
