# Humans and CI run the same targets. The README's two commands: `make run` and `make test`.
SHELL := /bin/bash
APP := .venv-app/bin
RASA := .venv-rasa/bin
export PYTHONPATH := $(CURDIR)

.PHONY: help setup train run test test-stories test-unit validate evaluate benchmark load lint typecheck locales-extract locales-update locales-compile clean

help: ## show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

setup: ## install everything (idempotent; virtual environments cached by lock-file hash)
	@bash scripts/setup.sh

train: setup ## train the Rasa model if none matches the data
	@bash scripts/train.sh

run: train ## set up, train if needed, and run the whole product
	@$(APP)/python -m bot run

validate: setup ## rasa data validate (must be clean)
	@RASA_TELEMETRY_ENABLED=false $(RASA)/rasa data validate --fail-on-warnings --quiet --data data/nlu data/rules data/stories

test: lint typecheck train validate test-stories ## run all tests (lint, types, unit, content, conversations, end-to-end through Rasa and Telegram)
	@$(APP)/python -m pytest

test-stories: train ## Rasa test stories (tests/stories/): the dialogue predicts every action right
	@RASA_TELEMETRY_ENABLED=false $(RASA)/rasa test core --stories tests/stories --model "$$(cat models/CURRENT)" \
	  --fail-on-prediction-errors --out results --quiet

test-unit: setup ## only the fast tests (no Rasa server)
	@$(APP)/python -m pytest -m "not e2e"

evaluate: train ## NLU accuracy per language and intent: held-out set -> docs/evaluation.md, development set -> docs/evaluation-dev.md, crisis triage -> docs/evaluation-crisis.md, knowledge-base retrieval -> docs/evaluation-knowledge.md
	@RASA_TELEMETRY_ENABLED=false $(RASA)/python scripts/evaluate_nlu.py --out docs/evaluation.md
	@RASA_TELEMETRY_ENABLED=false $(RASA)/python scripts/evaluate_nlu.py --test-dir tests/nlu_dev --out docs/evaluation-dev.md
	@RASA_TELEMETRY_ENABLED=false $(RASA)/python scripts/evaluate_crisis.py --out docs/evaluation-crisis.md
	@$(APP)/python scripts/evaluate_knowledge.py --out docs/evaluation-knowledge.md

benchmark: train ## training time, /model/parse latency, Rasa RSS -> docs/benchmark.md
	@$(APP)/python scripts/benchmark.py --out docs/benchmark.md

load: train ## load benchmark: simulated Telegram users vs Rasa alone, memory -> docs/load.md
	@$(APP)/python scripts/load_benchmark.py --out docs/load.md

lint: setup ## ruff
	@$(APP)/ruff check actions bot common tests scripts rasa_components

typecheck: setup ## mypy on bot, actions and common (configuration in pyproject.toml)
	@$(APP)/mypy

locales-extract: setup ## extract msgids into locales/messages.pot
	@$(APP)/pybabel extract -F babel.cfg --no-wrap --project=Brobygger -o locales/messages.pot .

locales-update: locales-extract ## merge new msgids into every locales/<lang>/LC_MESSAGES/messages.po
	@$(APP)/pybabel update --no-wrap -i locales/messages.pot -d locales -D messages

locales-compile: setup ## compile .po -> .mo
	@$(APP)/pybabel compile -d locales -D messages

clean: ## remove local state (not the cache)
	rm -rf .venv-rasa .venv-app models/*.tar.gz var/*.db .pytest_cache
