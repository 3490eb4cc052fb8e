# plan-kb — every target sets itself up on a fresh machine.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install build serve test test-fast bench lint ratchet clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | column -t -s $$'\t'

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) ## a .venv with the package and its dev tools

build: install ## build the knowledge base from the bundled corpus (into $PLAN_KB_DATA or ./data)
	$(BIN)/plan-kb build

serve: install ## build if needed, then serve the API and web page on http://$(HOST):$(PORT)
	@$(BIN)/plan-kb stats >/dev/null 2>&1 || $(BIN)/plan-kb build
	$(BIN)/plan-kb serve --host $(HOST) --port $(PORT)

test: install ## run the whole test suite (browser tests included where Chromium is installed)
	bash scripts/test-deps.sh
	$(BIN)/pytest

test-fast: install ## the tests without servers and browsers
	$(BIN)/pytest -m "not slow and not browser"

bench: install ## measure build, queries, HTTP, search and ask; writes bench/results/latest.json (SCALE=N: 1× vs N×)
	$(BIN)/plan-kb bench $(if $(SCALE),--scale $(SCALE))

lint: install ## ruff over the package and the tests; the import contract of the pipeline's stages
	$(BIN)/ruff check src tests
	$(BIN)/lint-imports --no-cache

ratchet: install ## raise tests/score_floor.json to the score reached now (never lowers it)
	$(BIN)/python tests/ratchet.py --raise

clean: ## remove the built knowledge bases and caches (not the .venv)
	rm -rf data bench/results .pytest_cache .ruff_cache
