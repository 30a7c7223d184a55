"""The engine end to end (ingest, hybrid retrieval, the offline answer) on a small corpus, with a hashing
embedder instead of the model: the fast unit layer (``make test-fast``). Real Chroma, real SQLite."""

from __future__ import annotations

import pytest

from ingest.services import Services
from rag.config import Settings
from rag.types import Audience, Turn

from conftest import write_small_playbook
from hashing_embedder import HashingEmbedder


@pytest.fixture
def services(settings: Settings) -> Services:
    write_small_playbook(settings.corpus_dir)
    built = Services.from_settings(settings, embedder=HashingEmbedder())
    report = built.ingestor.run()
    assert not report.failed and len(report.added) == 3
    return built


def test_a_question_is_answered_from_the_passage_that_holds_the_answer_and_cited(services):
    answer = services.engine.ask("What does the red andon light mean?", Audience.WORKER)
    assert not answer.abstained
    assert answer.text.startswith(
        "Green means running, yellow means the station needs attention and red means the station is stopped. [1]"
    )
    assert [c.source for c in answer.citations] == ["worker/andon.md"]


def test_a_follow_up_is_answered_about_the_earlier_subject(services):
    history = [
        Turn("user", "Who is on the pilot team?"),
        Turn("assistant", "The pilot team has a sponsor, a pilot lead and an operator from each shift. [1]"),
    ]
    answer = services.engine.ask("and how long should it run?", Audience.MANAGER, history)
    assert "about 90 days" in answer.text
    assert answer.citations[0].source == "manager/pilot.md"


def test_the_askers_own_machine_is_left_out_of_the_search(services):
    asked = "How do I log a stop on the Mazak?"
    assert services.engine.retrieve(asked)[0].chunk.section == "How do I log a stop?"
    answer = services.engine.ask(asked, Audience.WORKER)
    assert not answer.abstained and answer.citations[0].source == "worker/downtime.md"


def test_the_askers_audience_is_preferred_and_nonsense_abstains(services):
    assert services.engine.retrieve("pilot decision date", Audience.MANAGER)[0].chunk.doc_path == "manager/pilot.md"
    answer = services.engine.ask("What is the capital of France?", Audience.WORKER)
    assert answer.abstained and not answer.citations


def test_every_answer_is_logged_with_its_audience(services):
    answer = services.engine.ask("What is a micro-stop?", Audience.WORKER)
    [logged] = services.log.interactions(limit=1)
    assert (logged.id, logged.audience, logged.question) == (answer.interaction_id, "worker", "What is a micro-stop?")
