# One command per target; the logic lives in Python (pipeline/cli.py).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
UCHET  := $(PY) -m pipeline
STAMP  := $(VENV)/.installed-stamp
IN     ?= input
OUT    ?= output

.PHONY: all build validate init test clean lint readme frdo report sample templates proof check-docs golden bench bench-quick

all: build

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

build: $(STAMP)
	$(UCHET) build --input $(IN) --output $(OUT)

report: $(STAMP)
	$(UCHET) report --input $(IN) --output $(OUT)

validate: $(STAMP)
	$(UCHET) validate --input $(IN) --output $(OUT)

frdo: $(STAMP)
	$(UCHET) frdo --all-years --input $(IN) --output $(OUT)

init: $(STAMP)
	$(UCHET) init blank

# The tests, after LibreOffice has opened every document of a fresh build of the sample
# (pytest runs last so its summary closes the output).
test: $(STAMP)
	rm -rf $(OUT)/test-run && mkdir -p $(OUT)
	$(UCHET) build --input $(IN) --output $(OUT)/test-run --today 2026-06-15 > $(OUT)/test-run.log
	$(UCHET) check-docs --output $(OUT)/test-run
	$(PY) -m ruff check pipeline schemas tests bench
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check pipeline schemas tests bench

clean:
	rm -rf $(OUT)/build $(OUT)/reports $(OUT)/errors.xlsx $(OUT)/errors $(OUT)/cache

readme: $(STAMP)
	$(PY) -m pipeline.contract_doc README.md

# Regenerate the committed sample workbooks in input/ (deterministic: same bytes every time).
sample: $(STAMP)
	$(PY) -m pipeline.synth --out input

templates: $(STAMP)
	$(PY) templates_docx/_source/make_templates.py
	rm -rf templates_docx/blanks templates_docx/blanks.xlsx
	$(UCHET) blanks --init-layout --layout templates_docx/blanks.xlsx

proof: $(STAMP)
	$(UCHET) proof --output $(OUT)

check-docs: $(STAMP)
	$(UCHET) check-docs --output $(OUT)

golden: $(STAMP)
	UPDATE_GOLDEN=1 $(PY) -m pytest tests/test_golden.py

# Performance figures (issue 7), appended to bench/RESULTS.md; not part of `make test`.
# Size: BENCH_LEARNERS / BENCH_GROUPS (default 10000 / 400); bench-quick is a 500-learner smoke run.
bench: $(STAMP)
	$(PY) bench/run.py

bench-quick: $(STAMP)
	$(PY) bench/run.py --quick
