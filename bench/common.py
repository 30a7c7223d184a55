"""What the benchmarks share: figures checked against targets, timers, peak memory, the stores.

Every benchmark runs hermetically: PLAYBOOK_COACH_* variables and any playbook-coach.toml are
ignored, so the figures are the shipped defaults'. Machines here are shared and noisy, so each
benchmark compares figures measured in the same run (ratios) and records the load average.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

for _key in [k for k in os.environ if k.startswith("PLAYBOOK_COACH_")]:
    del os.environ[_key]
os.environ["PLAYBOOK_COACH_CONFIG"] = os.devnull  # an empty TOML: defaults only
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import numpy as np  # noqa: E402

from rag.config import Settings  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
SHIPPED_CORPUS = REPO / "corpus"
GOLDEN = REPO / "evals" / "golden.jsonl"
WORK = Path(os.environ.get("PLAYBOOK_BENCH_WORK", REPO / ".playbook-coach" / "bench"))
QUICK = os.environ.get("PLAYBOOK_BENCH_QUICK") == "1"  # small sizes: checks the benchmarks run, not the targets

_CHECKS = {
    ">=": lambda measured, target: measured >= target,
    "<=": lambda measured, target: measured <= target,
    "==": lambda measured, target: measured == target,
}


@dataclass
class Figure:
    name: str
    measured: float | int | bool | None
    op: str = ""  # "", ">=", "<=" or "==": empty means shown for information, not checked
    target: float | int | bool | None = None
    unit: str = ""
    note: str = ""

    @property
    def passed(self) -> bool | None:
        if not self.op:
            return None
        return self.measured is not None and bool(_CHECKS[self.op](self.measured, self.target))

    def line(self) -> str:
        target = f"target {self.op} {_fmt(self.target)}{self.unit}" if self.op else ""
        verdict = {True: "PASS", False: "FAIL", None: ""}[self.passed]
        note = f"  ({self.note})" if self.note else ""
        return f"  {self.name:<52} {_fmt(self.measured) + self.unit:>12}  {target:<22} {verdict}{note}"

    def to_dict(self) -> dict:
        return {**asdict(self), "passed": self.passed}


def _fmt(value) -> str:
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"


def machine() -> dict:
    import torch

    return {
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "torch": torch.__version__,
        "torch_default_threads": torch.get_num_threads(),
    }


@dataclass
class Report:
    """One benchmark's figures, printed as they come and saved to bench/results/<name>.json."""

    name: str
    figures: list[Figure] = field(default_factory=list)
    data: dict = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)
    machine_at_start: dict = field(default_factory=machine)

    def add(self, name: str, measured, op: str = "", target=None, unit: str = "", note: str = "") -> Figure:
        found = Figure(name, measured, op, target, unit, note)
        self.figures.append(found)
        print(found.line(), flush=True)
        return found

    def save(self) -> Path:
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = RESULTS / f"{self.name}.json"
        path.write_text(
            json.dumps(
                {
                    "benchmark": self.name,
                    "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
                    "seconds": round(time.perf_counter() - self.started, 1),
                    "machine_at_start": self.machine_at_start,
                    "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
                    "figures": [f.to_dict() for f in self.figures],
                    "data": self.data,
                },
                indent=2,
                default=_jsonable,
            )
            + "\n"
        )
        return path


def _jsonable(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot save {type(value).__name__} as JSON")


def say(text: str) -> None:
    print(text, flush=True)


@dataclass
class Elapsed:
    wall: float = 0.0
    cpu: float = 0.0  # this process's CPU time, all threads: less sensitive to a busy machine


@contextmanager
def timed() -> Iterator[Elapsed]:
    elapsed = Elapsed()
    wall, cpu = time.perf_counter(), time.process_time()
    yield elapsed
    elapsed.wall, elapsed.cpu = time.perf_counter() - wall, time.process_time() - cpu


def percentiles(values_ms: Sequence[float]) -> dict[str, float]:
    p50, p95, p99 = np.percentile(np.asarray(values_ms, dtype=float), [50, 95, 99])
    return {
        "n": len(values_ms),
        "p50": round(float(p50), 2),
        "p95": round(float(p95), 2),
        "p99": round(float(p99), 2),
        "mean": round(float(np.mean(values_ms)), 2),
    }


def peak_rss_mb() -> float:
    """The peak resident memory of this process (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def reset_peak_rss() -> None:
    """Start VmHWM afresh from the current resident size (Linux 4.0+), so a peak read later is
    that of what ran in between."""
    Path("/proc/self/clear_refs").write_text("5")


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def disk_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


# ---- stores -------------------------------------------------------------------------------


def store_settings(root: Path, **overrides) -> Settings:
    return Settings(home=root / "home", corpus_dir=root / "corpus", **overrides)


def new_embedder(load: bool = True):
    """The shipped model with the default settings' batch size and backend. Loaded now for
    ingesting; for answering, left to load what questions need when they need it, as in the app
    (ONNX Runtime once the model is exported: see rag/onnx_queries.py)."""
    from rag.embeddings import SentenceTransformerEmbedder

    defaults = Settings()
    embedder = SentenceTransformerEmbedder(
        defaults.embedding_model, defaults.embedding_batch_size, defaults.embedding_backend
    )
    if load:
        _ = embedder.model
    return embedder


def ingestor(settings: Settings, embedder_factory):
    """An ingest pipeline that makes its embedder only when something needs embedding (what re-ingest measures)."""
    from ingest.pipeline import Ingestor
    from rag.catalog import Catalog
    from rag.store import ChromaStore

    return Ingestor(settings.ingest, Catalog(settings.catalog_path), ChromaStore(settings), embedder_factory)


def services(settings: Settings, embedder, with_log: bool = True):
    """The parts the app uses, wired as the app wires them, with a given embedder."""
    from ingest.services import Services

    return Services.from_settings(settings, log=with_log, embedder=embedder)


@dataclass(frozen=True)
class Store:
    root: Path
    settings: Settings
    first_run: dict  # the first ingest of it: seconds, chunks embedded


SHIPPED = "shipped"


def shipped_store(embedder=None, fresh: bool = False) -> Store:
    """The shipped corpus ingested into WORK/shipped (once; the ingest benchmark builds it fresh).

    The model is loaded before the clock starts, so ``first_run`` is the pipeline's own time.
    """
    root = WORK / SHIPPED
    marker = root / "first_run.json"
    if fresh or not marker.exists():
        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(SHIPPED_CORPUS, root / "corpus")
        settings = store_settings(root)
        embedder = embedder or new_embedder()
        pipeline = ingestor(settings, lambda: embedder)
        with timed() as elapsed:
            report = pipeline.run()
        if report.failed:
            raise RuntimeError(f"the shipped corpus did not ingest cleanly: {report.failed}")
        marker.write_text(
            json.dumps(
                {
                    "seconds": elapsed.wall,
                    "cpu_seconds": elapsed.cpu,
                    "chunks": report.chunks_embedded,
                    "files": len(report.added),
                }
            )
        )
    return Store(root, store_settings(root), json.loads(marker.read_text()))


def copy_store(store: Store, name: str) -> Store:
    """A private copy of a store (corpus and data home) that a benchmark may change."""
    root = WORK / name
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(store.root, root)
    return Store(root, store_settings(root), store.first_run)


# ---- questions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    audience: str
    history: tuple[tuple[str, str], ...] = ()
    expected_sources: tuple[str, ...] = ()
    case: object = None  # the evals Case, for the evals' own hit@k


def golden_questions() -> list[Question]:
    """The golden set's questions (evals/golden.jsonl), as the evals read them."""
    from evals.runner import load_cases

    return [Question(c.id, c.question, c.audience, c.history, c.expected_sources, c) for c in load_cases(GOLDEN)]


def heading_questions(store: Store) -> list[Question]:
    """Other questions, made from section headings (for warming up, and topping up the golden set)."""
    from rag.catalog import Catalog

    seen: list[str] = []
    for chunk in Catalog(store.settings.catalog_path).chunks():
        heading = chunk.own_heading or chunk.title
        question = f"Tell me about {heading.lower()}"
        if heading and question not in seen:
            seen.append(question)
    return [Question(f"h{i}", q, "worker") for i, q in enumerate(seen)]


def bench_questions(store: Store, count: int = 200) -> list[Question]:
    """``count`` questions: the golden set's, topped up from headings if it has fewer."""
    golden = golden_questions()[:count]
    return golden + heading_questions(store)[: count - len(golden)]


def warm_up(engine, store: Store, count: int = 10) -> None:
    """Model and snapshot loaded, first calls made, with questions none of the timed ones repeats."""
    engine.warm_up()
    for question in heading_questions(store)[-count:]:
        ask(engine, question)


def ask(engine, question: Question):
    from rag.types import Audience, Turn

    return engine.ask(question.text, Audience(question.audience), [Turn(r, c) for r, c in question.history])


def retrieve(engine, question: Question):
    """Retrieval alone, as Engine.ask_stream does it."""
    from rag.types import Audience, Turn

    return engine.retrieve(question.text, Audience(question.audience), [Turn(r, c) for r, c in question.history])


def hit_at_5(questions: Sequence[Question], retrieved: Sequence[Sequence[str]]) -> float | None:
    """The evals' hit@5 (document level) over the golden questions that name expected sources."""
    from evals.metrics import Outcome, hit_at_k

    outcomes = [Outcome("", False, retrieved=tuple(docs)) for docs in retrieved]
    score, _ = hit_at_k([q.case for q in questions], outcomes, 5)
    return score


def run_main(run) -> None:
    """Run one benchmark as a program: print its figures and save its JSON. A missed target is a
    figure to read, not a crash: the exit status is 0 either way."""
    report = run()
    path = report.save()
    checked = [f for f in report.figures if f.passed is not None]
    met = sum(bool(f.passed) for f in checked)
    say(f"{report.name}: {met} of {len(checked)} targets met; saved {path.relative_to(REPO)}")


def timed_pass(fn, questions) -> tuple[list[float], list]:
    """Milliseconds per question, and what ``fn`` returned (None where the question was refused)."""
    from rag.engine import QuestionRejected

    latencies, results = [], []
    for question in questions:
        started = time.perf_counter()
        try:
            result = fn(question)
        except QuestionRejected:
            result = None
        latencies.append((time.perf_counter() - started) * 1000)
        results.append(result)
    return latencies, results


def measure_questions(service, questions: Sequence[Question], repeat: bool = True) -> dict:
    """Retrieval alone, then answers, each pass on questions the engine has not seen; then, if
    ``repeat``, the answers again (query vectors cached)."""
    service.embedder.forget_queries()
    retrieval_ms, hits = timed_pass(lambda q: retrieve(service, q), questions)
    service.embedder.forget_queries()
    answer_ms, answers = timed_pass(lambda q: ask(service, q), questions)
    golden = [(q, h) for q, h in zip(questions, hits, strict=True) if q.case is not None]
    found = {
        "questions": len(questions),
        "refused": sum(a is None for a in answers),
        "abstained": sum(bool(a and a.abstained) for a in answers),
        "answer_ms": percentiles(answer_ms),
        "retrieval_ms": percentiles(retrieval_ms),
        "golden_hit_at_5": hit_at_5([q for q, _ in golden], [[h.chunk.doc_path for h in hs or []] for _, hs in golden]),
    }
    if repeat:
        found["repeat_answer_ms"] = percentiles(timed_pass(lambda q: ask(service, q), questions)[0])
    return found


# ---- child processes ----------------------------------------------------------------------

CHILD_FLAG = "--child"


def in_child(module: str, *args: str) -> dict:
    """Run ``python -m module --child OUT args...`` in a fresh process (own memory peak, own
    imports and threads) and return the dict it saved to OUT."""
    WORK.mkdir(parents=True, exist_ok=True)
    out = WORK / f"child-{os.getpid()}-{time.monotonic_ns()}.json"
    try:
        subprocess.run([sys.executable, "-m", module, CHILD_FLAG, str(out), *args], check=True, cwd=REPO)
        return json.loads(out.read_text())
    finally:
        out.unlink(missing_ok=True)


def write_child_result(child) -> bool:
    """In a module's ``__main__``: if started by in_child, run ``child(args)``, save its dict, say so."""
    if len(sys.argv) < 3 or sys.argv[1] != CHILD_FLAG:
        return False
    result = child(sys.argv[3:])
    Path(sys.argv[2]).write_text(json.dumps(result, default=_jsonable))
    return True
