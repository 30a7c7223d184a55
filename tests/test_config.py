"""Settings: read once from the environment, handed out by section."""

from __future__ import annotations

import dataclasses

import pytest

from rag.config import AnswerSettings, FusionMethod, LLMBackend, LLMSettings, RetrievalSettings, Settings


def test_each_section_holds_its_own_settings_under_the_same_environment_names(monkeypatch):
    monkeypatch.setenv("PLAYBOOK_COACH_TOP_K", "9")
    monkeypatch.setenv("PLAYBOOK_COACH_FUSION", "rrf")
    monkeypatch.setenv("PLAYBOOK_COACH_ABSTAIN_THRESHOLD", "0.5")
    monkeypatch.setenv("PLAYBOOK_COACH_LLM_BACKEND", "ollama")
    monkeypatch.setenv("PLAYBOOK_COACH_LLM_TIMEOUT", "12")
    monkeypatch.setenv("PLAYBOOK_COACH_TRAINER_PASSWORD_HASH", "$2b$12$secret")
    settings = Settings()
    assert (settings.retrieval.top_k, settings.retrieval.fusion) == (9, FusionMethod.RRF)
    assert settings.answer.abstain_threshold == 0.5
    assert (settings.llm.backend, settings.llm.timeout) == (LLMBackend.OLLAMA, 12.0)
    for section in (settings.retrieval, settings.answer, settings.llm):
        assert "secret" not in repr(section), "no section carries the trainer's password hash"


@pytest.mark.parametrize("section", [RetrievalSettings, AnswerSettings, LLMSettings])
def test_every_section_field_is_a_setting(section):
    prefix = "llm_" if section is LLMSettings else ""
    assert {prefix + f.name for f in dataclasses.fields(section)} <= set(Settings.model_fields)
