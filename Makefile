# ostportal: `make run` serves the portal on the embedded default (SQLite, eager Celery);
# `make test` runs the whole suite. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install setup run test test-browser lint format migrations-check ci worker beat messages clean bench loadtest mutation

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

install: $(VENV)/.installed node_modules/.installed

# The compiled .mo files are committed; where GNU gettext is present they are rebuilt
# from the .po files so a translation edit shows at once.
messages: install
	@if command -v msgfmt >/dev/null 2>&1; then \
		$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0; fi

setup: install messages
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_content
	$(MANAGE) seed_survey
	$(MANAGE) seed_toolkit

run: setup
	$(MANAGE) runserver $(HOST):$(PORT)

test: install messages
	$(BIN)/pytest

# Browser tests only (headless Debian Chromium at /usr/bin/chromium).
test-browser: install messages
	$(BIN)/pytest -m browser

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	$(MANAGE) makemigrations --check --dry-run

# Mutation testing of the disclosure-control layer only, against its own tests (README,
# "Disclosure control"). Mutates apps/insights/disclosure.py in place and restores it.
mutation: install
	rm -f .mutmut-cache
	$(BIN)/mutmut run --paths-to-mutate apps/insights/disclosure.py \
		--runner "$(BIN)/pytest -x -q -p no:cacheprovider tests/insights/test_disclosure.py" \
		--tests-dir tests/insights --no-progress; \
	$(BIN)/mutmut results

ci: lint migrations-check test

worker: install
	$(BIN)/celery -A ostportal.celery_app worker -l info

beat: install
	$(BIN)/celery -A ostportal.celery_app beat -l info

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3 .pytest_cache .ruff_cache

# Benchmarks on the real PostgreSQL and Redis (not part of `make test`): prints a table and
# writes bench/results/*.json.
bench: install messages
	$(BIN)/python bench/survey_bench.py
	$(BIN)/python bench/insights_bench.py

# Load and fault test of the production stack on loopback, with its own PostgreSQL, Redis and
# SMTP sink on non-default ports (about 10 minutes; LOADTEST_* variables change sizes and
# durations). Prints a table and writes loadtest/results/latest.{json,md}.
$(VENV)/.loadtest-installed: requirements-loadtest.txt requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-loadtest.txt
	touch $@

loadtest: install messages $(VENV)/.loadtest-installed
	$(BIN)/python loadtest/run.py
