# The project's routine tasks, one command each. Run from the project root; `make setup` first.
# Every target uses the project's own virtual environment, so results do not depend on what else is installed.

PY := .venv/bin/python
BIN := .venv/bin

.PHONY: setup test lint format typecheck regen samples bench

setup:            ## the virtual environment with the test and lint tools
	python3 -m venv .venv && $(BIN)/pip install -q -c constraints.txt -e '.[test]'

test:             ## the README's test command
	$(PY) -m pytest

lint:             ## lint, format check and type check, as CI runs them
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format:           ## rewrite the code as ruff formats it, and apply ruff's safe fixes
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

regen:            ## fixtures, goldens, the schema and the samples' outputs, in that order (then review `git diff`)
	$(PY) tests/fixtures/generate.py
	UPDATE_GOLDENS=1 $(PY) -m pytest -q tests/test_goldens.py tests/test_other_forms.py
	$(BIN)/pecs-extract schema > docs/record.schema.json
	$(MAKE) samples

samples:          ## the shipped outputs in data/structured, and the README's example record taken from them
	$(BIN)/pecs-extract data/raw --force
	$(PY) tests/readme_example.py

bench:            ## the benchmark (minutes; needs LibreOffice); never part of the tests
	$(PY) benchmarks/run.py && $(PY) benchmarks/report.py
