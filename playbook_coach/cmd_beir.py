"""``playbook-coach beir``: the product's retriever on a public BEIR-layout benchmark."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from playbook_coach.cli_support import settings_or_exit


@click.command("beir")
@click.option(
    "--data",
    "data_dir",
    required=True,
    type=click.Path(path_type=Path),
    help="A BEIR folder: corpus.jsonl, queries.jsonl, qrels/<split>.tsv.",
)
@click.option("--retriever", type=click.Choice(["bm25", "dense", "hybrid"]), default="hybrid", show_default=True)
@click.option("--fusion", type=click.Choice(["rrf", "weighted"]), help="[default: the fusion setting]")
@click.option("--rrf-k", type=click.IntRange(min=1), help="[default: the rrf_k setting]")
@click.option("--dense-weight", type=click.FloatRange(min=0), help="[default: the dense_weight setting]")
@click.option("--lexical-weight", type=click.FloatRange(min=0), help="[default: the lexical_weight setting]")
@click.option("--split", default="test", show_default=True, help="Which qrels/<split>.tsv to score.")
@click.option(
    "--home",
    type=click.Path(path_type=Path, file_okay=False),
    help="Data home for the benchmark's index [default: a cache per dataset in the temp folder].",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def beir(
    data_dir: Path,
    retriever: str,
    fusion: str | None,
    rrf_k: int | None,
    dense_weight: float | None,
    lexical_weight: float | None,
    split: str,
    home: Path | None,
    as_json: bool,
) -> None:
    """Score the product's retriever on a BEIR dataset: nDCG@10, recall@100, MRR@10 (ir-measures).

    The first run indexes the corpus (one passage per document, title + text) through the
    product's ingest path; later runs on the same data reuse that index.
    """
    from evals.beir import BeirBench, BeirError, default_home, load_dataset, published
    from rag.config import FusionMethod
    from rag.retriever import RetrievalMode
    from rag.store import StoreUnavailable

    settings = settings_or_exit()
    try:
        dataset = load_dataset(data_dir, split)
    except BeirError as exc:
        raise click.ClickException(str(exc)) from None
    home = home or default_home(data_dir, settings)
    try:
        bench = BeirBench(settings, dataset, home)
        if not as_json:
            click.echo(f"index: {home}", err=True)
        bar, progress = _bar()
        try:
            report = bench.sync(progress)
        finally:
            if bar is not None:
                bar.close()
        result = bench.score(
            RetrievalMode(retriever), FusionMethod(fusion) if fusion else None, rrf_k, dense_weight, lexical_weight
        )
    except StoreUnavailable as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"cannot write the benchmark index in {home}: {exc.strerror or exc}") from None
    reference = published(dataset.name)
    if as_json:
        click.echo(
            json.dumps(
                {
                    **result.to_dict(),
                    "indexed": report.chunks_embedded,
                    "home": str(home),
                    "published_ndcg@10": {k: v for k, (_, v) in reference.items()},
                }
            )
        )
        return
    label = retriever + (f" ({result.fusion})" if result.fusion else "")
    click.echo(
        f"{dataset.name} [{split}], {result.queries} queries, {result.documents} documents; "
        f"{report.chunks_embedded} newly embedded"
    )
    click.echo(
        f"{label}: nDCG@10 {result.ndcg_at_10:.4f}  recall@100 {result.recall_at_100:.4f}  "
        f"MRR@10 {result.mrr_at_10:.4f}  ({result.search_seconds:.1f} s)"
    )
    for name, value in reference.values():
        click.echo(f"  published: {name}: nDCG@10 {value:.3f}")


def _bar():
    if not sys.stderr.isatty():
        return None, None
    from tqdm import tqdm

    from ingest.reports import IngestStep

    bar = tqdm(unit="passage", desc="embedding passages", leave=False)

    def progress(step: IngestStep) -> None:
        bar.total, bar.n = step.total, step.done
        bar.refresh()

    return bar, progress
