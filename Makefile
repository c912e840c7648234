# One command per target; the logic lives in Python (pipeline/cli.py).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
UCHET  := $(PY) -m pipeline
STAMP  := $(VENV)/.installed-stamp
comma  := ,
IN     ?= input
OUT    ?= output

.PHONY: all build validate init test clean lint docs readme frdo report sample templates template-new proof check-docs golden bench bench-quick cases mutate

all: build

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

# The build, then the PDF/A copies of what it filed (LibreOffice is installed first when this user may).
build: $(STAMP)
	$(UCHET) build --input $(IN) --output $(OUT)
	@bash .ci/system-packages >/dev/null 2>&1 || true
	$(UCHET) pdfa --output $(OUT)

report: $(STAMP)
	$(UCHET) report --input $(IN) --output $(OUT)

validate: $(STAMP)
	$(UCHET) validate --input $(IN) --output $(OUT)

# Every closed дело as one PDF to print, the описи дел and the номенклатура (output/cases/); makes the
# PDF/A copies of the archived documents first. Needs LibreOffice, installed like `make test` does.
cases: $(STAMP)
	@bash .ci/system-packages || true
	$(UCHET) cases --input $(IN) --output $(OUT)

frdo: $(STAMP)
	$(UCHET) frdo --all-years --input $(IN) --output $(OUT)

init: $(STAMP)
	$(UCHET) init blank

# The tests, after LibreOffice has opened every document of a fresh build of the sample
# (pytest runs last so its summary closes the output).
# System packages (LibreOffice, poppler) are installed by .ci/system-packages when this user may
# (root or password-less sudo); otherwise every other check runs and the last line names what was
# skipped and the one command that enables it. Under CI a missing package fails the run.
test: $(STAMP)
	rm -rf $(OUT)/test-run && mkdir -p $(OUT)
	@bash .ci/system-packages; echo $$? > $(OUT)/.system-packages
	$(UCHET) build --input $(IN) --output $(OUT)/test-run --today 2026-06-15 > $(OUT)/test-run.log
	@if [ "$$(cat $(OUT)/.system-packages)" = 0 ] || [ -n "$$CI" ]; then \
		$(UCHET) check-docs --output $(OUT)/test-run; \
	fi
	$(PY) -m ruff check pipeline schemas tests bench
	$(PY) -m pytest
	@if [ "$$(cat $(OUT)/.system-packages)" != 0 ] && [ -z "$$CI" ]; then \
		echo; \
		echo "!!! ПРОПУЩЕНЫ проверки, которым нужен LibreOffice/poppler: check-docs и тесты страниц PDF."; \
		echo "!!! Чтобы включить их: sudo apt-get install libreoffice-writer libreoffice-calc fonts-liberation poppler-utils"; \
	fi

lint: $(STAMP)
	$(PY) -m ruff check pipeline schemas tests bench

clean:
	rm -rf $(OUT)/build $(OUT)/reports $(OUT)/errors.xlsx $(OUT)/errors $(OUT)/cache

# The generated reference pages: docs/input-contract.md (from schemas/) and docs/templates.md (from the
# carrier registry and templates_docx/); a test fails when a committed page is out of date.
docs: $(STAMP)
	$(PY) -m pipeline.contract_doc docs

readme: docs

# Regenerate the committed sample workbooks in input/ (deterministic: same bytes every time).
sample: $(STAMP)
	$(PY) -m pipeline.synth --out input

# The .docx files in templates_docx/ are the only source of the templates (staff edit them in Word);
# nothing here overwrites one. `templates` writes the shipped default of every template that is missing
# (and the blanks layout when it is missing); `template-new NAME=x` writes one new template's first draft
# from templates_docx/_source/ and refuses when templates_docx/x.docx exists.
templates: $(STAMP)
	$(PY) templates_docx/_source/make_templates.py --missing
	test -e templates_docx/blanks.xlsx || $(UCHET) blanks --init-layout --layout templates_docx/blanks.xlsx

template-new: $(STAMP)
	$(PY) templates_docx/_source/make_templates.py $(NAME)

proof: $(STAMP)
	$(UCHET) proof --output $(OUT)

check-docs: $(STAMP)
	$(UCHET) check-docs --output $(OUT)

golden: $(STAMP)
	UPDATE_GOLDEN=1 $(PY) -m pytest tests/test_golden.py tests/test_paper_golden.py

# Mutation testing of the modules that guard data (issue 19; tests/mutate.py gives each group of modules
# its own fast tests); not part of `make test`. Scores: output/mutate/scores.md; tests/MUTATION.md.
# GROUPS=archive,bags,disposal,acts,verify,rules,identifiers,frdo (default all); each group runs in output/mutate/<group>/.
mutate: $(STAMP)
	nice $(PY) tests/mutate.py $(subst $(comma), ,$(GROUPS))

# Performance figures (issue 7), appended to bench/RESULTS.md; not part of `make test`.
# Size: BENCH_LEARNERS / BENCH_GROUPS (default 10000 / 400); bench-quick is a 500-learner smoke run.
bench: $(STAMP)
	$(PY) bench/run.py

bench-quick: $(STAMP)
	$(PY) bench/run.py --quick
