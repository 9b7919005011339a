# Homeward — the two commands: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/homeward

.PHONY: run test install install-test lint typecheck pytest pytest-sqlite pytest-postgres \
        bench messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==25.3

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test
	@command -v chromium >/dev/null || { echo "Installing Debian chromium for browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@command -v msgfmt >/dev/null || { echo "Installing gettext for translation checks"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext; }

## make run: install, migrate the embedded SQLite database, load demo data, serve
## (with the background-job worker running beside the server).
run: install
	$(BIN)/homeward migrate --no-input -v0
	$(BIN)/homeward seed-demo
	@echo "Homeward is starting at http://127.0.0.1:8000  (Ctrl+C to stop)"
	$(BIN)/homeward worker & trap 'kill %1' EXIT; $(BIN)/homeward runserver 127.0.0.1:8000

## make test: lint, type-check, then the whole suite on SQLite and on PostgreSQL.
test: install-test lint typecheck pytest

lint:
	$(BIN)/ruff check .

typecheck:
	$(BIN)/mypy homeward

pytest: pytest-sqlite pytest-postgres

pytest-sqlite:
	@echo "== pytest on SQLite"
	env -u DATABASE_URL HOMEWARD_VAR_DIR=$(CURDIR)/var/test $(BIN)/pytest

pytest-postgres:
	@url="$${DATABASE_URL:-}"; \
	if [ -z "$$url" ] || [[ "$$url" != postgres* ]]; then url="$(PG_URL)"; fi; \
	if $(BIN)/python scripts/pg_reachable.py "$$url"; then \
	  echo "== pytest on PostgreSQL"; \
	  DATABASE_URL="$$url" HOMEWARD_VAR_DIR=$(CURDIR)/var/test $(BIN)/pytest; \
	elif [ "$${CI:-}" = "true" ]; then \
	  echo "PostgreSQL is required when CI=true but is not reachable"; exit 1; \
	else \
	  echo "== PostgreSQL not reachable: skipped the PostgreSQL run"; \
	fi

## make bench: speed and memory measurements, written to BENCHMARKS.md.
bench: install-test
	HOMEWARD_VAR_DIR=$(CURDIR)/var/bench $(BIN)/python -m bench.run

## make messages: refresh the Russian catalogue after changing strings.
messages: $(VENV)/.installed-test
	cd homeward && ../$(BIN)/homeward makemessages -l ru --no-obsolete --add-location file
	cd homeward && ../$(BIN)/homeward makemessages -d djangojs -l ru --no-obsolete \
	  --add-location file --ignore 'core/static/vendor/*'
	$(BIN)/python scripts/compile_messages.py

clean:
	rm -rf $(VENV) var homeward.egg-info .pytest_cache .mypy_cache .ruff_cache
