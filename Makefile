# etax — the two set-up commands of the README are `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run install install-dev lock system-deps lint typecheck test test-sqlite test-postgres bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

## Exact versions with hashes from the lock files (refresh them with `make lock`), then etax itself, its
## modules compiled to bytecode as a wheel install would (an editable install is not, and where
## PYTHONDONTWRITEBYTECODE is set every start-up would compile etax's ~430 modules again: ≈ 0.45 s).
install: $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m compileall -q etax

install-dev: $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(PY) -m pip install --quiet --no-deps -e ".[dev]"
	$(PY) -m compileall -q etax

## Re-resolve pyproject.toml's ranges into requirements.lock and requirements-dev.lock (pip lock, hashes).
lock: $(PY)
	$(PY) tools/lock.py

## Install, migrate the embedded SQLite database, load the demo world and serve http://$(HOST):$(PORT)
run: install
	$(PY) -m pip install --quiet --no-deps ./examples/etax-liaoning
	$(BIN)/etax db migrate
	$(BIN)/etax demo load
	$(BIN)/etax serve --host $(HOST) --port $(PORT)

## Debian packages the browser tests need: Chromium and CJK fonts (no browser download).
system-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

lint: install-dev
	$(BIN)/ruff check etax tests bench examples
	$(BIN)/ruff format --check etax tests bench examples
	PYTHONPATH=examples/etax-liaoning $(BIN)/lint-imports

typecheck: install-dev
	$(BIN)/mypy

test-sqlite: install-dev
	ETAX_TEST_DATABASE=sqlite $(BIN)/pytest -q -p no:cacheprovider

test-postgres: install-dev
	ETAX_TEST_DATABASE=postgres $(BIN)/pytest -q -p no:cacheprovider

## Install everything and run the whole suite: lint, mypy --strict, then the SQLite and PostgreSQL passes
## side by side (one core each; each pass's output is printed whole when it ends, -k runs both to the end
## and make fails when either failed).
test: system-deps install-dev lint typecheck
	$(MAKE) -k -j2 --output-sync=target test-sqlite test-postgres

## Every throughput and start-up target of issue 18 as a ratio beside its goal, then search quality and
## the in-process index build / latency beside plain Whoosh. On a quiet machine (a quarter of an hour:
## the memory phase alone runs ETAX_BENCH_MEMORY_MINUTES, default 10; 0 skips it).
bench: install-dev
	$(PY) bench/bench_ratios.py
	$(PY) bench/search_eval.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
