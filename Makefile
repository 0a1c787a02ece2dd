# The blockchain mall. `make demo` runs the whole mall locally; `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
SOLC_VERSION := 0.8.37

# ape-solidity finds solc-js (behind tools/solc.js) here; anvil comes from node_modules.
export SOLCX_BINARY_PATH := $(CURDIR)/.solcx
export PATH := $(CURDIR)/node_modules/.bin:$(BIN):$(PATH)

FRONTEND_SRC := $(shell find frontend/src -name '*.js' 2>/dev/null)

.PHONY: help setup system-deps compile frontend demo test test-contracts test-indexer test-e2e lint slither bench-gas bench-api clean

help:
	@echo "make demo   - run the whole mall locally (chain, contracts, demo data, indexer, frontend)"
	@echo "make test   - set up what is missing and run every test"
	@echo "make setup  - install Python and npm dependencies (idempotent)"
	@echo "make lint   - ruff (lint and format check)"
	@echo "make slither - static analysis of the contracts"
	@echo "make bench-gas - gas of every marketplace operation (bench-results/gas.json)"
	@echo "make bench-api - API throughput and latency on 100,000 listings (bench-results/api.json)"
	@echo "make clean  - remove installs and build outputs"

setup: $(VENV)/.installed node_modules/.installed .solcx/solc-v$(SOLC_VERSION) frontend/dist/app.js

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is required"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	ln -sf ../../tools/solc.js $(BIN)/solc  # solc-select's shim would try to download compilers
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

.solcx/solc-v$(SOLC_VERSION): tools/solc.js node_modules/.installed
	@mkdir -p .solcx
	ln -sf ../tools/solc.js $@

frontend/dist/app.js: node_modules/.installed $(FRONTEND_SRC)
	npm run --silent build:frontend

frontend: frontend/dist/app.js

# Debian packages the tests need: chromium (Playwright cannot download its own browser here) and
# postgresql (the indexer's tests start a private cluster on loopback).
system-deps:
	@missing=""; command -v chromium >/dev/null || missing="chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "Install these Debian packages for the tests: sudo apt-get install$$missing"; exit 1; fi; fi

# ape's incremental compile can keep an artifact built against an older version of a file it
# imports, so any change to a contract or the config recompiles everything (~10 s).
CONTRACTS := $(shell find contracts -name '*.sol' -not -path '*/.cache/*' 2>/dev/null)
.build/.compiled: $(CONTRACTS) ape-config.yaml $(VENV)/.installed .solcx/solc-v$(SOLC_VERSION)
	ape compile --force
	@touch $@

compile: setup .build/.compiled

demo: setup compile
	$(BIN)/python tools/demo.py

lint: setup
	ruff check .
	ruff format --check .

# Static analysis: fails on any High or Medium finding not triaged in slither.db.json.
slither: setup
	$(BIN)/python tools/run_slither.py

test: setup system-deps compile lint slither
	ape test tests

test-contracts: setup compile
	ape test tests/contracts

test-indexer: setup system-deps compile
	ape test tests/indexer

test-e2e: setup system-deps compile
	ape test tests/e2e

clean:
	rm -rf $(VENV) node_modules .solcx .build contracts/.cache frontend/dist .demo

bench-gas: setup compile
	ape run bench_gas --network ethereum:local:foundry

# The read API under load: 100,000 synthetic listings, wrk with 16 connections (needs Debian's wrk).
bench-api: setup
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk; }
	$(BIN)/python tools/bench_api.py

# The indexer's figures (issue #7): backfill of a chain with ≥ 50,000 mall events, head latency,
# and the API under wrk; a table and bench-results/indexer.json (needs Debian's wrk).
.PHONY: bench
bench: setup compile
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk; }
	$(BIN)/python tools/bench_indexer.py
