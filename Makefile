# ostportal: `make run` serves the portal on the embedded default (SQLite, eager Celery);
# `make test` runs the whole suite. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install setup run test test-browser lint format migrations-check ci worker beat messages clean bench bench-report bench-submit wrk-check bench-ux bench-lighthouse loadtest mutation

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
	PORTAL_SERVED_AT=http://$(HOST):$(PORT) $(MANAGE) runserver $(HOST):$(PORT)

test: install messages
	$(BIN)/pytest

# Browser tests only (headless Debian Chromium at /usr/bin/chromium).
test-browser: install messages
	$(BIN)/pytest -m browser

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	$(MANAGE) makemigrations --check --dry-run

ci: lint migrations-check test

worker: install
	$(BIN)/celery -A ostportal.celery_app worker -l info

beat: install
	$(BIN)/celery -A ostportal.celery_app beat -l info

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3 .pytest_cache .ruff_cache

# Mutation testing (mutmut) of the small modules that guard privacy, skip logic and security:
# a score table per module; fails under 90% of non-equivalent mutants killed. The modules and
# their tests are listed in ops/mutation.py (MODULES); `make mutation MODULES=apps/x.py` runs one.
mutation: install
	$(BIN)/python ops/mutation.py $(MODULES)

# Benchmarks on the real PostgreSQL and Redis (not part of `make test`; docs/benchmarks.md):
# every part of issue 16 in one run, each timed by bench/report.py (which goes on to the next
# part when one fails), then ONE table of every goal with its same-run reference; writes
# bench/results/*.json and bench/results/summary.{json,md}. BENCH_SIZES (e.g. 1000000) goes to
# the parts that have a size. Fails only when a part did not run, not when a goal is unmet.
BENCH_RUN = $(BIN)/python bench/report.py run
bench: install messages wrk-check
	$(BIN)/python bench/report.py start
	$(BENCH_RUN) submit submit.json -- $(BIN)/python bench/submit_bench.py
	$(BENCH_RUN) survey survey.json -- $(BIN)/python bench/survey_bench.py
	$(BENCH_RUN) lighthouse lighthouse.json -- env CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} \
		$(BIN)/python bench/lighthouse_bench.py
	$(BENCH_RUN) data data.json -- $(BIN)/python bench/data_bench.py
	$(BENCH_RUN) insights insights.json -- env BENCH_PARTS=$${BENCH_PARTS:-cube,pages} \
		$(BIN)/python bench/insights_bench.py
	$(BIN)/python bench/report.py

# The one table again from the results files already there (no measurement).
bench-report:
	$(BIN)/python bench/report.py

# Page POSTs with wrk (4 connections, each its own respondent) against one gunicorn with 2 sync
# workers, beside a bare Django view saving one row; writes bench/results/submit.json.
bench-submit: install messages wrk-check
	$(BIN)/python bench/submit_bench.py

wrk-check:
	@command -v wrk >/dev/null || { echo "wrk is needed by the benchmarks: apt-get install -y wrk"; exit 1; }

# The survey's effort on a phone: headless Chromium (/usr/bin/chromium) at 390 x 844 walks
# every role's path on a throwaway SQLite database; prints a table and writes
# bench/results/ux.json (taps, keypresses, screens, keystroke-level time per role and page).
bench-ux: install messages
	$(BIN)/python bench/ux_bench.py

# Lighthouse (npm devDependency, mobile defaults, Debian Chromium) on the survey landing, the
# survey's start page and its first question page, served as in production (gunicorn,
# WhiteNoise hashed compressed static); median of LIGHTHOUSE_RUNS (3). Writes
# bench/results/lighthouse.json; fails under LIGHTHOUSE_GOAL (100).
bench-lighthouse: install messages
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(BIN)/python bench/lighthouse_bench.py

# Load and fault test of the production stack on loopback, with its own PostgreSQL, Redis and
# SMTP sink on non-default ports (about 10 minutes; LOADTEST_* variables change sizes and
# durations). Prints a table and writes loadtest/results/latest.{json,md}.
$(VENV)/.loadtest-installed: requirements-loadtest.txt requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-loadtest.txt
	touch $@

loadtest: install messages $(VENV)/.loadtest-installed
	$(BIN)/python loadtest/run.py
