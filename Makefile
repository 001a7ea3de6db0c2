# Two commands on a fresh machine: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test install install-test node-tools validate bench clean

demo: install
	$(BIN)/modgen build

validate: install
	$(BIN)/modgen validate --strict

test: install-test node-tools
	$(BIN)/python -m pytest $(PYTEST_ARGS)

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

# The npm test tools (SCORM runtime, GIFT parser). Without npm the tests that need them skip,
# except in CI, where .ci/run installs node first.
node-tools:
	@if command -v npm >/dev/null 2>&1; then \
	  [ node_modules/.installed -nt package.json ] || { npm install --no-audit --no-fund --loglevel=error && touch node_modules/.installed; }; \
	else echo "npm not found: tests that need node tools will skip"; fi

bench: install-test
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) node_modules output
