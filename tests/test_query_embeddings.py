"""Query embeddings: ONNX Runtime gives sentence-transformers' vectors, and answering needs no torch."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np

from rag import onnx_queries
from rag.embeddings import pool_spans

QUESTIONS = ["What is OEE?", "how do i log a stop on the hmi", "Wer prüft die Maschine? ¾ of 12.5 %"]


def test_questions_embed_as_sentence_transformers_does(embedder):
    got = embedder.embed_queries(QUESTIONS)
    assert onnx_queries.exported(onnx_queries.cache_folder(embedder.name))  # the ONNX path ran
    expected = embedder.model.encode(
        QUESTIONS, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
    )
    assert np.abs(got - expected).max() < 1e-5


def test_answering_a_question_offline_imports_neither_torch_nor_an_llm_client(embedder, shipped_settings):
    embedder.embed_queries(["What is OEE?"])  # the export exists once any question was embedded
    script = (
        "import json, sys\nfrom rag.config import Settings\nfrom ingest.services import Services\n"
        "answer = Services.from_settings(Settings()).engine.ask('What is OEE?')\n"
        "clients = any(m in sys.modules for m in ('langchain_openai', 'langchain_ollama'))\n"
        "print(json.dumps({'torch': 'torch' in sys.modules, 'llm clients': clients, "
        "'abstained': answer.abstained}))"
    )
    env = {
        **os.environ,
        "PLAYBOOK_COACH_HOME": str(shipped_settings.home),
        "PLAYBOOK_COACH_CORPUS_DIR": str(shipped_settings.corpus_dir),
    }
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {
        "torch": False,
        "llm clients": False,
        "abstained": False,
    }


def test_sentence_vectors_pool_the_tokens_inside_each_span():
    tokens = np.arange(14, dtype=np.float32).reshape(7, 2)
    # [CLS], "Line", "stops", a token straddling the two sentences, "Call", "help", padding
    offsets = np.array([[0, 0], [0, 4], [5, 9], [9, 12], [12, 16], [17, 21], [0, 0]])
    mask = np.array([1, 1, 1, 1, 1, 1, 0], dtype=bool)
    vectors, empty = pool_spans(tokens, offsets, mask, [(0, 10), (11, 21), (30, 40)])
    assert np.allclose(vectors[0], tokens[[1, 2]].mean(axis=0))
    assert np.allclose(vectors[1], tokens[[4, 5]].mean(axis=0))
    assert empty.tolist() == [False, False, True]


def test_heap_trimmer_hands_freed_memory_back_only_after_real_growth():
    """Run in a fresh process: the test's own heap stays out of it."""
    script = """
import json
from rag.embeddings import HeapTrimmer, resident_bytes
MB = 2**20
trimmer = HeapTrimmer(slack=64 * MB)
def batch(count):  # pieces below the mmap threshold; every 16th outlives the batch, as in a real heap
    blocks = [bytearray(64 * 1024) for _ in range(count)]
    return blocks[::16]
base = resident_bytes()
pinned = batch(2000)  # 125 MB, 8 MB of it still in use
trimmer.after_batch()  # the first batch sets the working level
level = trimmer.level
pinned += batch(1000)  # reuses the freed space: within the slack
trimmer.after_batch()  # nothing handed back
untrimmed = resident_bytes()
pinned += batch(6000)  # grows well past level + slack
trimmer.after_batch()
print(json.dumps({"base": base / MB, "level": level / MB, "untrimmed": untrimmed / MB,
                  "trimmed": resident_bytes() / MB}))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["level"] > found["base"] + 100, "glibc keeps the freed pieces resident"
    assert found["untrimmed"] > found["level"] - 20, "no trim within the slack"
    assert found["trimmed"] < found["level"] - 80, found
