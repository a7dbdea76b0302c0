# Hindsight — the two commands a fresh machine needs are `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test setup system-deps lint typecheck schema deb bench clean

# The virtualenv is rebuilt whenever pyproject.toml changes.
$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

setup: system-deps $(BIN)/.installed

system-deps:
	bash .ci/system-deps.sh

run: setup
	$(BIN)/hindsight gui

# Tests drive real widgets offscreen; the app itself (make run) uses the real screen. They run
# on every core, each test file on one worker (its module and session fixtures built once).
test: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -n auto --dist loadfile
	$(BIN)/ruff check timeline gui tests seeds packaging
	$(BIN)/lint-imports
	@# No function of grade E or F (cyclomatic complexity over 30): radon lists them.
	@found="$$($(BIN)/radon cc -n E -s timeline gui)" || exit 1; \
	 if [ -n "$$found" ]; then echo "too complex (split them):"; echo "$$found"; exit 1; fi
	$(BIN)/mypy timeline

lint:
	$(BIN)/ruff check timeline gui tests seeds packaging
	$(BIN)/lint-imports

typecheck:
	$(BIN)/mypy timeline

# Regenerate the JSON Schema of Hindsight JSON from the pydantic models.
schema: $(BIN)/.installed
	$(BIN)/python -m timeline.interchange --schema

# The Linux installer (.deb) in dist/ — see packaging/README.md for Windows and macOS.
deb: setup
	bash packaging/build-deb.sh dist

# Scale benchmarks (not part of the tests): writes docs/benchmarks.md.
bench: setup
	$(BIN)/python -m pip install -q -e '.[dev,bench]'
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
