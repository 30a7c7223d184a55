# Playbook Coach: `make run` and `make test` are all a newcomer needs.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: install run test ingest eval bench lint corpus-pdfs clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: install
	$(BIN)/streamlit run app.py --server.port 8501 --server.headless true --browser.gatherUsageStats false

ingest: install
	$(BIN)/playbook-coach ingest

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/bandit -q -c pyproject.toml -r rag ingest evals playbook_coach app.py pages

test: lint
	$(BIN)/python -m pytest
	$(BIN)/playbook-coach eval --dataset evals/golden.jsonl --out .playbook-coach/eval-latest --baseline evals/baseline.json

eval: install
	$(BIN)/playbook-coach eval --dataset evals/golden.jsonl --out .playbook-coach/eval-latest --baseline evals/baseline.json

bench: install
	$(BIN)/python -m bench

corpus-pdfs: install
	$(BIN)/python scripts/build_pdfs.py

clean:
	rm -rf $(VENV) .playbook-coach
