"""The regression gate: absolute limits, and tolerances against the committed baseline.

``evals/baseline.json`` holds both. Its ``gate`` section is written by hand and kept as is by
``--update-baseline``; its ``metrics`` (overall), ``holdout`` and ``failing_cases`` are written by
``--update-baseline`` only:

- ``floors``: a metric below its floor fails, whatever the baseline says;
- ``ceilings``: a lower-is-better metric above its ceiling fails (violations, latency);
- ``tolerance``: a metric that got worse than the baseline by more than its tolerance fails
  (``default`` for those not named). Timings are never compared with a baseline: they depend on
  the machine; only their generous ceiling applies.

A metric the dataset cannot measure (``None``, e.g. no case that must abstain) skips its floor,
but fails when the baseline measured it: the eval set lost coverage.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from evals.metrics import METRICS, SPECS

DEFAULT_GATE: dict = {
    # Floors are "never ship below this" (set under the first measured values on the shipped golden
    # set); the baseline tolerance catches smaller slides. Raise floors as the answers improve.
    "floors": {
        "hit@5": 0.9,
        "mrr": 0.85,
        "ndcg@10": 0.8,
        "fact_recall": 0.45,
        "citation_precision": 0.85,
        "groundedness": 0.95,
        "abstention_precision": 0.6,
        "abstention_recall": 0.45,
    },
    # Latency depends on the machine and its load: only a ceiling that means "something is badly wrong".
    "ceilings": {
        "must_not_contain_violations": 0,
        "dangling_references": 0,
        "repeated_pairs": 0,
        "uncited_sentences": 0,
        "latency_p95_ms": 10000,
    },
    # One case in ~170 answerable ones moves a rate by ~0.006; one in ~24 abstentions by ~0.04.
    "tolerance": {
        "default": 0.02,
        "abstention_precision": 0.05,
        "abstention_recall": 0.05,
        "must_not_contain_violations": 0,
    },
}
_EPSILON = 1e-9
SPLITS = ("holdout", "blind")  # parts of the golden set that are never tuned on
PLACES = 4  # baselines store values rounded so; comparisons round the current values the same way


class BaselineError(ValueError):
    """The baseline file cannot be used; the message says why."""


@dataclass(frozen=True)
class Check:
    metric: str
    value: float | None
    baseline: float | None
    floor: float | None
    ceiling: float | None
    failed: str = ""  # why it fails, in words; empty when it passes
    split: str = ""  # "" for all cases; else the part of the set it was measured on (holdout, blind)

    @property
    def delta(self) -> float | None:
        if self.value is None or self.baseline is None:
            return None
        return round(self.value, PLACES) - self.baseline

    @property
    def worse(self) -> bool:
        """Moved the wrong way against the baseline, within tolerance or not."""
        delta = self.delta
        if delta is None or SPECS[self.metric].machine_dependent:
            return False
        return delta < -_EPSILON if SPECS[self.metric].higher_is_better else delta > _EPSILON

    def to_dict(self) -> dict:
        return {
            "metric": self.metric,
            "split": self.split or "all",
            "value": self.value,
            "baseline": self.baseline,
            "delta": self.delta,
            "floor": self.floor,
            "ceiling": self.ceiling,
            "failed": self.failed,
        }


def load_baseline(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"cannot read the baseline {path}: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BaselineError(f"the baseline {path} is not JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("metrics"), dict):
        raise BaselineError(f'the baseline {path} has no "metrics" object')
    gate = data.get("gate", DEFAULT_GATE)
    if not isinstance(gate, dict) or not all(
        isinstance(gate.get(k, {}), dict) for k in ("floors", "ceilings", "tolerance")
    ):
        raise BaselineError('the baseline\'s "gate" must hold floors, ceilings and tolerance objects')
    unknown = sorted(
        {m for k in ("floors", "ceilings", "tolerance") for m in gate.get(k, {})} - set(SPECS) - {"default"}
    )
    if unknown:
        raise BaselineError(f"the baseline's gate names unknown metrics: {', '.join(unknown)}")
    return data


def gate_of(baseline: dict | None) -> dict:
    return (baseline or {}).get("gate", DEFAULT_GATE)


def _fmt(value: float, name: str) -> str:
    counted = SPECS[name].counted or SPECS[name].machine_dependent
    return f"{value:.0f}" if counted else f"{value:.3f}"


def check_metric(name: str, value: float | None, baseline: dict | None, split: str = "") -> Check:
    spec = SPECS[name]
    gate = gate_of(baseline)
    floor = gate.get("floors", {}).get(name)
    ceiling = gate.get("ceilings", {}).get(name)
    measured = (baseline or {}).get(split or "metrics") or {}
    base = None if spec.machine_dependent else measured.get(name)
    tolerance = gate.get("tolerance", {})
    allowed = tolerance.get(name, tolerance.get("default", 0.0))
    failed = ""
    if value is None:
        if base is not None:
            failed = f"not measured on this dataset, but the baseline measured {_fmt(base, name)}"
    elif floor is not None and value < floor - _EPSILON:
        failed = f"{_fmt(value, name)} is below the floor {_fmt(floor, name)}"
    elif ceiling is not None and value > ceiling + _EPSILON:
        failed = f"{_fmt(value, name)} is above the ceiling {_fmt(ceiling, name)}"
    elif base is not None:
        drop = (base - round(value, PLACES)) * (1 if spec.higher_is_better else -1)
        if drop > allowed + _EPSILON:
            failed = (
                f"{_fmt(value, name)} is worse than the baseline {_fmt(base, name)} by {_fmt(drop, name)} "
                f"(tolerance {_fmt(allowed, name)})"
            )
    if failed and split:
        failed = f"on the {split} questions, {failed}"
    return Check(name, value, base, floor, ceiling, failed, split)


def check(overall: dict, baseline: dict | None) -> list[Check]:
    """One verdict per metric, in the metrics' own order."""
    return [check_metric(spec.name, overall.get(spec.name), baseline) for spec in METRICS]


def check_splits(summary: dict, baseline: dict | None) -> list[Check]:
    """The same verdicts on each part of the set that nobody tuned on: the holdout and the blind
    questions must each meet the floors, not only hide behind the overall figure."""
    return [
        check_metric(spec.name, part.get(spec.name), baseline, split)
        for split in SPLITS
        if (part := summary.get(split))
        for spec in METRICS
        if not SPECS[spec.name].machine_dependent
    ]


def new_baseline(summary: dict, previous: dict | None) -> dict:
    """The current run as the baseline; the hand-written gate section is kept."""
    return {
        "note": "Written by `playbook-coach eval --update-baseline`. Edit `gate` by hand; "
        "never edit the measured values.",
        "updated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "dataset": summary["dataset"],
        "settings": summary["settings"],
        "metrics": _rounded(summary["overall"]),
        **{split: _rounded(summary.get(split) or {}) for split in SPLITS},
        "failing_cases": summary["failing_cases"],
        "gate": gate_of(previous),
    }


def _rounded(metrics: dict) -> dict:
    return {k: (round(v, PLACES) if isinstance(v, float) else v) for k, v in metrics.items()}
