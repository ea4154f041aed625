# GuruConnect: the two commands in the README.
#   make run    installs what is missing, builds, starts the server (SQLite, http://127.0.0.1:8080)
#   make test   installs what is missing, builds, runs every test (Swift, PostgreSQL, browser, agent)
SHELL := /bin/bash
.DEFAULT_GOAL := help

HOST ?= 127.0.0.1
PORT ?= 8080
DATA_DIR ?= ./var
VENV := .venv
PYTHON := $(VENV)/bin/python

# Debian packages the server, its tests and the browser tests need.
SERVER_PACKAGES := postgresql chromium xvfb libqrencode-dev zbar-tools curl openssl python3-venv wixl msitools \
	procps iproute2 util-linux fonts-dejavu-core xterm xdotool xclip x11-xserver-utils imagemagick

-include agent/agent.mk
-include agent/win.mk

.PHONY: help deps server-deps py-deps build run test test-swift test-python bench clean

help:
	@echo "make run    install what is missing, build, start the server on http://$(HOST):$(PORT)"
	@echo "make test   run every test (Swift unit+integration on SQLite and PostgreSQL, browser, agent)"
	@echo "make bench  server idle RSS and login throughput (see README)"

deps: server-deps py-deps

# Installs only what is missing; apt-get update runs only then.
server-deps:
	@command -v swift >/dev/null || { echo "Swift 6 toolchain not found: install it from swift.org (see README)"; exit 1; }
	@missing=""; \
	for p in $(SERVER_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "server-deps: installing$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

# Python test tools live in a virtualenv, so the system Python stays untouched.
py-deps: $(VENV)/.installed
$(VENV)/.installed: tests/requirements.txt
	@test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install -q --disable-pip-version-check -r tests/requirements.txt
	@touch $@

build: server-deps
	swift build --product guruconnect

# The server on SQLite plus a demo agent on its own Xvfb display (scripts/run-demo.sh).
run: build agent-build
	@echo "Starting GuruConnect on http://$(HOST):$(PORT) with SQLite in $(DATA_DIR) (Ctrl-C stops it)."
	@echo "First login: open http://$(HOST):$(PORT)/setup, create the admin account, then sign in."
	HOST=$(HOST) PORT=$(PORT) DATA_DIR=$(DATA_DIR) scripts/run-demo.sh

test: deps agent-deps agent-build agent-win-build
	swift build --build-tests
	scripts/with-postgres.sh bash scripts/test-all.sh

test-swift: server-deps
	swift build --build-tests
	scripts/with-postgres.sh swift test --skip-build

test-python: deps
	swift build --product guruconnect
	scripts/with-postgres.sh $(PYTHON) -m pytest -q tests/integration tests/browser

# The stream benchmark runs noVNC in the same run as the baseline.
BENCH_PACKAGES := x11vnc websockify novnc

bench: deps agent-build
	@missing=""; \
	for p in $(BENCH_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi
	swift build -c release --product guruconnect
	$(PYTHON) bench/server_bench.py --binary .build/release/guruconnect
	$(PYTHON) bench/stream/run.py --server-bin .build/release/guruconnect

clean:
	rm -rf .build $(VENV) agent/build out
