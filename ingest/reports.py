"""What an ingest tells its caller: progress as it goes, and the report at the end."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any


class Stage(str, Enum):
    READING = "reading files"
    EMBEDDING = "embedding passages"


@dataclass(frozen=True)
class IngestStep:
    """How far an ingest is: ``done`` of ``total`` files read, or passages embedded so far of those read."""

    stage: Stage
    done: int
    total: int
    path: str = ""

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0

    def describe(self) -> str:
        return f"{self.stage.value}, {self.done:,} of {self.total:,}"


Progress = Callable[[IngestStep], None]


@dataclass
class Failure:
    path: str
    reason: str


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    chunks_total: int = 0
    chunks_embedded: int = 0
    orphans_removed: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.orphans_removed)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["seconds"] = round(self.seconds, 2)
        return data
