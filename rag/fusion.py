"""Rank fusion: pure functions over ranked (id, score) lists."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

Ranked = Sequence[tuple[str, float]]
T = TypeVar("T")


def reciprocal_rank_fusion(
    lists: Sequence[Ranked], weights: Sequence[float] | None = None, k: int = 60
) -> list[tuple[str, float]]:
    """Sum of weight / (k + rank) over the lists (rank from 1); best first, ties by id."""
    weights = weights if weights is not None else [1.0] * len(lists)
    if len(weights) != len(lists):
        raise ValueError(f"{len(weights)} weights for {len(lists)} lists")
    fused: dict[str, float] = {}
    for ranked, weight in zip(lists, weights, strict=True):
        for rank, (item, _) in enumerate(ranked, start=1):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))


def normalized_score_fusion(lists: Sequence[Ranked], weights: Sequence[float] | None = None) -> list[tuple[str, float]]:
    """Min-max normalize each list's scores to 0..1, then take the weighted sum."""
    weights = weights if weights is not None else [1.0] * len(lists)
    if len(weights) != len(lists):
        raise ValueError(f"{len(weights)} weights for {len(lists)} lists")
    fused: dict[str, float] = {}
    for ranked, weight in zip(lists, weights, strict=True):
        if not ranked:
            continue
        scores = [s for _, s in ranked]
        low, high = min(scores), max(scores)
        span = high - low
        for item, score in ranked:
            norm = (score - low) / span if span > 0 else 1.0
            fused[item] = fused.get(item, 0.0) + weight * norm
    return sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))


def interleaved(rankings: Sequence[Sequence[T]], key: Callable[[T], Hashable], limit: int) -> list[T]:
    """The rankings taken in turns, first of each, then second of each, ..., each item once (by ``key``),
    at most ``limit``: two queries counted alike, where their scores are not comparable."""
    merged: list[T] = []
    seen: set[Hashable] = set()
    for rank in range(max((len(r) for r in rankings), default=0)):
        for ranking in rankings:
            if rank < len(ranking) and (k := key(ranking[rank])) not in seen:
                seen.add(k)
                merged.append(ranking[rank])
    return merged[:limit]
