# Inkstone: `make run` serves the demo site, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# Development defaults; production sets DEBUG=false and the secrets (see README).
export DEBUG ?= true

.PHONY: install run test lint format check db-stop clean screenshots audit bench soak

MATH_ASSETS := build/math/katex/katex.min.js

install: $(STAMP) $(MATH_ASSETS)

# Reinstall only when the lock file changes; --require-hashes keeps every install reproducible.
$(STAMP): requirements.lock
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	touch $(STAMP)

# KaTeX's JavaScript and the WOFF2 math font, built from hash-pinned registry
# packages (math-assets.lock); never kept in git (docs/math.md).
$(MATH_ASSETS): math-assets.lock articles/rendering/math_assets.py $(STAMP)
	$(BIN)/python -m articles.rendering.math_assets build/math
	touch $(MATH_ASSETS)

run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	$(MANAGE) runserver $(HOST):$(PORT)

# axe-core (browser tests) and Lighthouse (make audit) come from npm, when npm is here;
# without it the accessibility tests skip, except under CI=true.
NODE_STAMP := node_modules/.installed
NODE_DEPS := $(if $(shell command -v npm),$(NODE_STAMP))

$(NODE_STAMP): package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

test: install $(NODE_DEPS)
	$(BIN)/pytest $(PYTEST_ARGS)

# README pictures of the demo site (docs/screenshots/); needs Debian's chromium.
screenshots: install
	$(BIN)/python bench/screenshots.py

# Lighthouse scores of a production-like server (DEBUG off, gunicorn); not part of `make test`.
audit: install $(NODE_STAMP)
	$(BIN)/python bench/audit.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Benchmarks, not tests (docs/performance.md): production settings under gunicorn,
# measured with wrk on 127.0.0.1. BENCH_ARTICLES=100000 for the large run.
bench: install
	DEBUG=false $(BIN)/python -m bench.run

# About twice the measured capacity for 60 s while a writer publishes and edits.
soak: install
	DEBUG=false $(BIN)/python -m bench.soak

# The embedded PostgreSQL stops by itself when its last user exits; this stops a stray one.
db-stop: install
	$(MANAGE) embedded_db stop

clean: db-stop
	rm -rf $(VENV) .pgdata staticfiles node_modules build
