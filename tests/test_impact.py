"""Which golden questions a playbook change moved: the cases whose answer or cited sources differ, before and
after. Real Chroma and SQLite, the hashing embedder (the fast layer)."""

from __future__ import annotations

from evals.impact import changes
from evals.runner import parse_case, run_cases
from ingest.services import Services

from conftest import write_markdown
from hashing_embedder import HashingEmbedder

CASES = [
    parse_case(
        {
            "id": "stop",
            "question": "How do I log a stop?",
            "audience": "worker",
            "expected_sources": ["worker/downtime.md"],
        }
    ),
    parse_case(
        {
            "id": "red",
            "question": "What does the red andon light mean?",
            "audience": "worker",
            "expected_sources": ["worker/andon.md"],
        }
    ),
]


def test_an_upload_that_answers_a_question_anew_shows_as_its_change(settings):
    write_markdown(
        settings.corpus_dir / "worker" / "downtime.md",
        "Logging downtime",
        ("## How do I log a stop?\n\nLog every stop with a reason code as soon as you safely can."),
        audience="worker",
    )
    write_markdown(
        settings.corpus_dir / "worker" / "andon.md",
        "Andon lights",
        ("## What do the andon colors mean?\n\nGreen means running and red means the station is stopped."),
        audience="worker",
    )
    services = Services.from_settings(settings, embedder=HashingEmbedder())
    assert not services.ingestor.run().failed
    before = run_cases(services.engine, CASES)
    write_markdown(
        settings.corpus_dir / "uploads" / "red-andon.md",
        "Red andon light",
        (
            "## What does the red andon light mean?\n\nA red andon light means the station is stopped: call your "
            "team lead to the station now."
        ),
        audience="worker",
    )
    assert not services.ingestor.run().failed
    after = run_cases(services.engine, CASES)
    [change] = changes(before, after)
    assert (change.id, change.question) == ("red", "What does the red andon light mean?")
    assert (change.before.sources, change.after.sources) == (("worker/andon.md",), ("uploads/red-andon.md",))
    assert "team lead" in change.after.answer and "team lead" not in change.before.answer
    assert changes(after, after) == []
    assert services.log.count() == 0, "golden questions are nobody's questions: never logged"
