# Quick start: `make report` and `make test` each set everything up on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    ?= outputs

.PHONY: setup test lint report template docs bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "htx needs Python >= 3.11; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

test: setup lint
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check htxlib tests benchmarks
	$(BIN)/python -m htxlib.docs --check

# The main job on the bundled Ba Tơ sample: until the report notebook exists, the
# indicator table of plan 2025 (as of 10/6/2024) and the empty input workbook.
report: setup
	$(BIN)/htx validate
	$(BIN)/htx indicators --as-of 2024-06-10 --out $(OUT)/ba-to-2025/indicators.csv
	$(BIN)/htx indicators --as-of 2024-06-10 --area "Ba Tơ" --format table \
		--out $(OUT)/ba-to-2025/indicators.txt
	$(BIN)/htx template $(OUT)/mau-nhap-lieu.xlsx
	@echo "Wrote $(OUT)/ba-to-2025/indicators.csv, indicators.txt and $(OUT)/mau-nhap-lieu.xlsx"

template: setup
	$(BIN)/htx template $(OUT)/mau-nhap-lieu.xlsx

docs: setup
	$(BIN)/python -m htxlib.docs

bench: setup
	$(BIN)/python benchmarks/bench_indicators.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
