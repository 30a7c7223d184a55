"""Deterministic answer-quality metrics: pure functions over golden cases and what the product did.

Every metric returns ``(score, per_case)``: ``per_case`` has one entry per case, ``None`` where the
metric does not apply to that case (no expected sources, an abstention, ...), and ``score``
aggregates the entries that apply (``None`` when none do). How each one is defined:

- hit@k, MRR, nDCG@10: document level. The passages the answerer received are mapped to their
  document paths, duplicates dropped in rank order, and compared with ``expected_sources``
  (binary relevance). Only cases that must be answered and name expected sources count.
- fact recall: share of ``expected_facts`` found in the answer. An item is a string or a list of
  alternatives (any one counts). Matching is whole-word after lower-casing, Unicode NFKC, turning
  punctuation into spaces and collapsing whitespace; the answer's ``[n]`` markers are removed first.
- citation precision: share of cited passages that come from an expected source or contain an
  expected fact. Counted on answered (not abstained) cases that have expectations to judge by.
- groundedness: share of answer sentences supported by the passages they cite. A citation marker
  covers the sentences before it back to the previous marker (the offline answerer cites every
  sentence; an LLM often cites a run of sentences once); a sentence with no marker after it is
  unsupported. A sentence is supported when at least ``SUPPORT_SHARE`` (0.6) of its content terms
  (``rag.text.terms``: stemmed, stop words dropped) occur in the cited passages, i.e. most of what it
  says is worded in its source. Sentences without content terms are skipped.
- uncited sentences: the number of answer sentences with content terms and no citation marker covering
  them, summed over answered cases. The offline answerer cites every sentence; a language model often
  does not, and its guard adds the citation or drops the sentence.
- lead accuracy: share of answered-or-not cases with expected facts whose first sentence holds one of
  them (an abstention's first sentence holds none): is the answer's opening the answer?
- dangling references: the number of answer sentences that point back ("This…", "It…", "Also…",
  ``rag.compose.points_back``) while the sentence before them in the answer is not the one before them
  in their cited passage, summed over cases. A sentence that opens its passage points at text nobody
  was shown, so it dangles too.
- repeated pairs: the number of pairs of answer sentences that say nearly the same, summed over cases,
  by ``rag.compose.says_same``: mostly the same terms, two definitions of one thing, four terms in a row
  in common, or the same numbers said of the same things (items of one list aside).
- abstention precision: of the cases the product abstained on, the share that must abstain;
  abstention recall: of the cases that must abstain, the share it abstained on.
- must_not_contain violations: the number of forbidden strings found in answers, summed over cases
  (case-insensitive, whitespace collapsed, punctuation kept so that ``<script`` means what it says).
- latency p50 / p95 in milliseconds (linear interpolation between ranks).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from rag.compose import points_back, says_same
from rag.grounding import SUPPORT_SHARE, claims, sentence_support, strip_markers
from rag.text import normalize, sentence_text, split_sentences, terms

NDCG_DEPTH = 10


Score = float | None
Result = tuple[Score, list[Score]]


@dataclass(frozen=True)
class Case:
    """One golden-set line."""

    id: str
    question: str
    audience: str = "worker"
    history: tuple[tuple[str, str], ...] = ()  # (role, content)
    expected_sources: tuple[str, ...] = ()
    expected_facts: tuple[tuple[str, ...], ...] = ()  # each fact as its alternatives
    must_abstain: bool = False
    must_not_contain: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def answerable(self) -> bool:
        return not self.must_abstain


@dataclass(frozen=True)
class CitedPassage:
    n: int
    source: str
    text: str  # the whole passage the marker [n] points to


@dataclass(frozen=True)
class Outcome:
    """What the product did for one case."""

    answer: str
    abstained: bool
    citations: tuple[CitedPassage, ...] = ()
    retrieved: tuple[str, ...] = ()  # document paths in rank order, duplicates allowed
    latency_ms: float = 0.0
    lists: tuple[tuple[str, ...], ...] = ()  # the items of each list the answer lays out, markers removed


def _contains(normalized_haystack: str, needle: str) -> bool:
    wanted = normalize(needle)
    return bool(wanted) and f" {wanted} " in f" {normalized_haystack} "


def fact_found(text: str, alternatives: Sequence[str]) -> bool:
    haystack = normalize(strip_markers(text))
    return any(_contains(haystack, alt) for alt in alternatives)


def missing_facts(case: Case, outcome: Outcome) -> list[tuple[str, ...]]:
    return [fact for fact in case.expected_facts if not fact_found(outcome.answer, fact)]


def ranked_documents(retrieved: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(retrieved))


def _aggregate(per_case: list[Score]) -> Score:
    values = [v for v in per_case if v is not None]
    return sum(values) / len(values) if values else None


def _per_case(cases: Sequence[Case], outcomes: Sequence[Outcome], fn: Callable[[Case, Outcome], Score]) -> Result:
    if len(cases) != len(outcomes):
        raise ValueError(f"{len(cases)} cases but {len(outcomes)} outcomes")
    per_case = [fn(c, o) for c, o in zip(cases, outcomes, strict=True)]
    return _aggregate(per_case), per_case


def _summed(cases: Sequence[Case], outcomes: Sequence[Outcome], fn: Callable[[Case, Outcome], Score]) -> Result:
    """A count per case, summed over the cases it applies to."""
    _, per_case = _per_case(cases, outcomes, fn)
    return float(sum(v for v in per_case if v is not None)), per_case


def _judged_retrieval(case: Case) -> bool:
    return case.answerable and bool(case.expected_sources)


def hit_at_k(cases: Sequence[Case], outcomes: Sequence[Outcome], k: int) -> Result:
    def one(case: Case, outcome: Outcome) -> Score:
        if not _judged_retrieval(case):
            return None
        return 1.0 if set(ranked_documents(outcome.retrieved)[:k]) & set(case.expected_sources) else 0.0

    return _per_case(cases, outcomes, one)


def mrr(cases: Sequence[Case], outcomes: Sequence[Outcome]) -> Result:
    def one(case: Case, outcome: Outcome) -> Score:
        if not _judged_retrieval(case):
            return None
        for rank, doc in enumerate(ranked_documents(outcome.retrieved), start=1):
            if doc in case.expected_sources:
                return 1.0 / rank
        return 0.0

    return _per_case(cases, outcomes, one)


def ndcg_at_10(cases: Sequence[Case], outcomes: Sequence[Outcome]) -> Result:
    def one(case: Case, outcome: Outcome) -> Score:
        if not _judged_retrieval(case):
            return None
        expected = set(case.expected_sources)
        docs = ranked_documents(outcome.retrieved)[:NDCG_DEPTH]
        dcg = sum(1.0 / math.log2(rank + 1) for rank, doc in enumerate(docs, start=1) if doc in expected)
        ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(expected), NDCG_DEPTH) + 1))
        return dcg / ideal

    return _per_case(cases, outcomes, one)


def fact_recall(cases: Sequence[Case], outcomes: Sequence[Outcome]) -> Result:
    def one(case: Case, outcome: Outcome) -> Score:
        if not case.answerable or not case.expected_facts:
            return None
        return 1.0 - len(missing_facts(case, outcome)) / len(case.expected_facts)

    return _per_case(cases, outcomes, one)


def citation_precision(cases: Sequence[Case], outcomes: Sequence[Outcome]) -> Result:
    def one(case: Case, outcome: Outcome) -> Score:
        if not case.answerable or outcome.abstained or not outcome.citations:
            return None
        if not case.expected_sources and not case.expected_facts:
            return None
        good = sum(
            1
            for c in outcome.citations
            if c.source in case.expected_sources or any(fact_found(c.text, f) for f in case.expected_facts)
        )
        return good / len(outcome.citations)

    return _per_case(cases, outcomes, one)


def groundedness(cases: Sequence[Case], outcomes: Sequence[Outcome]) -> Result:
    def one(case: Case, outcome: Outcome) -> Score:
        if outcome.abstained:
            return None
        passages = {c.n: c.text for c in outcome.citations}
        verdicts = []
        for sentence, numbers in claims(outcome.answer):
            support = sentence_support(sentence, [passages[n] for n in numbers if n in passages])
            if support is not None:
                verdicts.append(support >= SUPPORT_SHARE)
        return sum(verdicts) / len(verdicts) if verdicts else None

    return _per_case(cases, outcomes, one)


def uncited_sentences(cases: Sequence[Case], outcomes: Sequence[Outcome]) -> Result:
    def one(case: Case, outcome: Outcome) -> Score:
        if outcome.abstained:
            return None
        return float(sum(1 for sentence, numbers in claims(outcome.answer) if not numbers and terms(sentence)))

    return _summed(cases, outcomes, one)


def lead_accuracy(cases: Sequence[Case], outcomes: Sequence[Outcome]) -> Result:
    def one(case: Case, outcome: Outcome) -> Score:
        if not case.answerable or not case.expected_facts:
            return None
        found = claims(outcome.answer) if not outcome.abstained else []
        lead = found[0][0] if found else ""
        return 1.0 if any(fact_found(lead, fact) for fact in case.expected_facts) else 0.0

    return _per_case(cases, outcomes, one)


def _sentences(text: str) -> list[str]:
    return [normalize(sentence_text(text[a:b])) for a, b in split_sentences(text)]


def dangling(outcome: Outcome) -> list[str]:
    """The answer's sentences that point back to a sentence the reader was not shown just before."""
    passages = {c.n: _sentences(c.text) for c in outcome.citations}
    found: list[str] = []
    shown = claims(outcome.answer)
    for position, (sentence, numbers) in enumerate(shown):
        # an item of a list shown with its lead-in is read under it, as the composer shows it (leans_back):
        # "try to tell them: ... Which job, part number and material were running" points at nothing else
        if not points_back(sentence) or _list_of(sentence, outcome.lists) is not None:
            continue
        before = normalize(shown[position - 1][0]) if position else ""
        wanted = normalize(sentence)
        anchored = False
        for n in numbers:
            lines = passages.get(n, [])
            for index, line in enumerate(lines):
                if line and (wanted.startswith(line) or line.startswith(wanted)) and index > 0:
                    previous = lines[index - 1]
                    anchored = (
                        anchored
                        or bool(before)
                        and (before.endswith(previous) or previous.endswith(before) or previous in before)
                    )
        if not anchored:
            found.append(sentence)
    return found


def dangling_references(cases: Sequence[Case], outcomes: Sequence[Outcome]) -> Result:
    return _summed(cases, outcomes, lambda c, o: None if o.abstained else float(len(dangling(o))))


def repeats(outcome: Outcome) -> list[tuple[str, str]]:
    """Pairs of the answer's sentences that say nearly the same."""
    shown = [(sentence, _list_of(sentence, outcome.lists)) for sentence, _ in claims(outcome.answer)]
    return [
        (first, second)
        for i, (first, list_a) in enumerate(shown)
        for second, list_b in shown[i + 1 :]
        if (list_a is None or list_a != list_b) and says_same(first, second)
    ]


def _list_of(sentence: str, lists: Sequence[Sequence[str]]) -> int | None:
    """Which of the answer's lists the sentence is an item of: items of one list are separate points
    by the author's own layout ("Shut the machine down." is not "Tell people it is being shut down.")."""
    wanted = normalize(sentence)
    for number, items in enumerate(lists):
        if any(wanted.endswith(normalize(item)) for item in items):  # the first item reads after its lead-in
            return number
    return None


def repeated_pairs(cases: Sequence[Case], outcomes: Sequence[Outcome]) -> Result:
    return _summed(cases, outcomes, lambda c, o: None if o.abstained else float(len(repeats(o))))


def abstention_precision(cases: Sequence[Case], outcomes: Sequence[Outcome]) -> Result:
    return _per_case(cases, outcomes, lambda c, o: (1.0 if c.must_abstain else 0.0) if o.abstained else None)


def abstention_recall(cases: Sequence[Case], outcomes: Sequence[Outcome]) -> Result:
    return _per_case(cases, outcomes, lambda c, o: (1.0 if o.abstained else 0.0) if c.must_abstain else None)


def forbidden_found(case: Case, outcome: Outcome) -> list[str]:
    answer = " ".join(outcome.answer.casefold().split())
    return [s for s in case.must_not_contain if " ".join(s.casefold().split()) in answer]


def must_not_contain_violations(cases: Sequence[Case], outcomes: Sequence[Outcome]) -> Result:
    return _summed(cases, outcomes, lambda c, o: float(len(forbidden_found(c, o))) if c.must_not_contain else None)


def latency_percentile(outcomes: Sequence[Outcome], percentile: float) -> Result:
    per_case: list[Score] = [o.latency_ms for o in outcomes]
    if not per_case:
        return None, per_case
    return float(np.percentile(np.asarray(per_case, dtype=float), percentile)), per_case


@dataclass(frozen=True)
class MetricSpec:
    name: str
    higher_is_better: bool
    compute: Callable[[Sequence[Case], Sequence[Outcome]], Result]
    meaning: str  # what it measures, in words a trainer reads on the Evals page
    machine_dependent: bool = False  # timings: reported, never compared with a baseline
    counted: bool = False  # a count summed over cases, not a rate


METRICS: tuple[MetricSpec, ...] = (
    MetricSpec(
        "hit@1",
        True,
        lambda c, o: hit_at_k(c, o, 1),
        "share of questions whose first passage found is from a right document",
    ),
    MetricSpec("hit@3", True, lambda c, o: hit_at_k(c, o, 3), "share with a right document among the first 3 found"),
    MetricSpec("hit@5", True, lambda c, o: hit_at_k(c, o, 5), "share with a right document among the first 5 found"),
    MetricSpec(
        "mrr",
        True,
        mrr,
        "how near the top the first right document is: 1 when first, 0.5 when second, and so on (averaged)",
    ),
    MetricSpec("ndcg@10", True, ndcg_at_10, "how well the first 10 documents found are ordered, right ones first"),
    MetricSpec("fact_recall", True, fact_recall, "share of the expected key facts the answers state"),
    MetricSpec("lead_accuracy", True, lead_accuracy, "share of answers whose first sentence states a key fact"),
    MetricSpec(
        "citation_precision",
        True,
        citation_precision,
        "share of cited passages that come from a right document or hold a key fact",
    ),
    MetricSpec("groundedness", True, groundedness, "share of answer sentences backed by the passage they cite"),
    MetricSpec(
        "abstention_precision",
        True,
        abstention_precision,
        "of the times the coach said the playbook does not cover a question, the share where that was true",
    ),
    MetricSpec(
        "abstention_recall",
        True,
        abstention_recall,
        "of the questions the playbook cannot answer, the share the coach declined instead of guessing",
    ),
    MetricSpec(
        "must_not_contain_violations",
        False,
        must_not_contain_violations,
        "answers that said something they must never say",
        counted=True,
    ),
    MetricSpec(
        "dangling_references",
        False,
        dangling_references,
        'sentences that point back ("this", "also") to something the answer does not show',
        counted=True,
    ),
    MetricSpec(
        "repeated_pairs", False, repeated_pairs, "pairs of answer sentences that say the same thing", counted=True
    ),
    MetricSpec(
        "uncited_sentences", False, uncited_sentences, "answer sentences that name no playbook passage", counted=True
    ),
    MetricSpec(
        "latency_p50_ms",
        False,
        lambda c, o: latency_percentile(o, 50),
        "typical time to answer",
        machine_dependent=True,
    ),
    MetricSpec(
        "latency_p95_ms",
        False,
        lambda c, o: latency_percentile(o, 95),
        "time within which 95 in 100 answers come",
        machine_dependent=True,
    ),
)
SPECS = {spec.name: spec for spec in METRICS}


def metric_text(value: float | None, metric: str = "") -> str:
    """A metric's value as the report, the CLI and the Evals page show it: milliseconds for latencies,
    whole numbers for counts, three decimals for shares."""
    if value is None:
        return "n/a"
    if metric.endswith("_ms"):
        return f"{value:.0f} ms"
    if isinstance(value, int) or (metric in SPECS and SPECS[metric].counted):
        return f"{value:.0f}"
    return f"{value:.3f}"


def summarize(cases: Sequence[Case], outcomes: Sequence[Outcome]) -> dict[str, float | int | None]:
    """Every metric's aggregate over these cases (plus how many there were)."""
    summary: dict[str, float | int | None] = {"cases": len(cases)}
    for spec in METRICS:
        summary[spec.name], _ = spec.compute(cases, outcomes)
    return summary


def per_case_metrics(cases: Sequence[Case], outcomes: Sequence[Outcome]) -> list[dict[str, Score]]:
    """Each case's own value of every metric that has one (latency is reported separately)."""
    rows: list[dict[str, Score]] = [{} for _ in cases]
    for spec in METRICS:
        if spec.machine_dependent:
            continue
        _, values = spec.compute(cases, outcomes)
        for row, value in zip(rows, values, strict=True):
            if value is not None:
                row[spec.name] = value
    return rows
