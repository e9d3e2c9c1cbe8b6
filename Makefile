# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEMO_DB := demo/minerehab.db

.PHONY: demo test install dev bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip > $(VENV)/install.log 2>&1 || (cat $(VENV)/install.log; exit 1)
	$(PY) -m pip install -q -e . >> $(VENV)/install.log 2>&1 || (cat $(VENV)/install.log; exit 1)
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed
	$(PY) -m pip install -q -e '.[dev]' >> $(VENV)/install.log 2>&1 || (cat $(VENV)/install.log; exit 1)
	touch $@

install: $(VENV)/.installed

dev: $(VENV)/.dev-installed

SAMPLE := examples/tuoli-2023-2025
MR := MINEREHAB_STORE=$(DEMO_DB) MINEREHAB_ACTOR=张玉峰 MINEREHAB_ROLE=nrb $(VENV)/bin/minerehab

# The Tuoli 2023–2025 sample: programme and task force, 28 parcels imported from the county's
# tables, their (backfilled) histories; then one parcel's whole life and the progress report.
demo: install
	@rm -rf demo && mkdir -p demo
	@$(MR) init
	@$(MR) apply --migration $(SAMPLE)/programme.jsonl
	@$(MR) import parcels --migration $(SAMPLE)/parcels.csv
	@$(MR) import plan --migration $(SAMPLE)/plan.csv --programme TL-2023-2025 --on 2023-03-01
	@$(MR) apply --migration $(SAMPLE)/history.jsonl
	@echo; echo "== history of parcel TL23-01: registration to the end of stewardship =="
	@$(MR) history TL23-01
	@echo; echo "== progress against the prefecture target =="
	@$(MR) report progress
	@echo; echo "== compliance audit: high-severity findings (minerehab audit for all) =="
	@$(MR) audit --severity high || true

test: dev
	$(PY) -m pytest

bench: install
	$(PY) bench/apply.py

clean:
	rm -rf $(VENV) demo .pytest_cache .hypothesis
