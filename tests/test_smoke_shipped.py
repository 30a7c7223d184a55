from rag.types import Audience


def test_shipped_corpus_answers_a_worker_question_with_citations(shipped_engine):
    answer = shipped_engine.ask("What is OEE?", Audience.WORKER)
    assert not answer.abstained
    assert answer.citations
    assert "[1]" in answer.text
    assert any("oee" in c.source for c in answer.citations)
