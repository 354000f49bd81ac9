# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
LOCALES := locales
POT := $(LOCALES)/messages.pot

.PHONY: run chat test lint format locales-extract locales-update bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.11)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

## run: the Telegram bot with TELEGRAM_BOT_TOKEN, otherwise the conversation in the terminal
run: $(STAMP)
	$(BIN)/musrenbang run

## chat: the conversation in the terminal, whatever the token
chat: $(STAMP)
	$(BIN)/musrenbang chat

## test: lint, then the whole suite (PostgreSQL too when MUSRENBANG_TEST_POSTGRES_URL is set)
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## locales-*: the Babel round trip; the bot reads the .po files directly
locales-extract: $(STAMP)
	$(BIN)/pybabel extract --no-location --sort-output -k _ -k N_ -k ngettext:1,2 \
		-o $(POT) bot core handlers services models

locales-update: locales-extract
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i $(POT) -d $(LOCALES) -D messages

## bench: the benchmarks (by hand; results go to bench/RESULTS.md)
bench: $(STAMP)
	$(BIN)/python bench/match_eval.py ../shared/data/dev_proposals.jsonl
	$(BIN)/python bench/match_speed.py
	$(BIN)/python -m bench.throughput
	$(BIN)/python -m bench.fanout

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
