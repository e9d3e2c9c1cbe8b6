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
KEYS := demo/keys
MR := MINEREHAB_STORE=$(DEMO_DB) MINEREHAB_KEY=$(KEYS)/张玉峰.key MINEREHAB_ROLE=nrb $(VENV)/bin/minerehab

# The Tuoli 2023–2025 sample in a signed store: the administrator 张玉峰 (demo keys made on the fly)
# founds it and registers the finance director; the programme and task force, 28 parcels imported
# from the county's tables and their histories are backfilled (migrated) under his signature; then
# one parcel's whole life, a signed payment, the progress report and the audit's high findings.
demo: install
	@rm -rf demo && mkdir -p $(KEYS)
	@$(MR) keygen --out $(KEYS)/张玉峰.key > /dev/null
	@$(MR) keygen --out $(KEYS)/张志坚.key --algorithm sm2 > /dev/null
	@$(MR) init --admin 张玉峰 --unit nrb --pubkey $(KEYS)/张玉峰.key.pub --on 2023-01-01
	@$(MR) person add 张志坚 --unit finance --role finance --pubkey $(KEYS)/张志坚.key.pub --on 2023-01-01
	@$(MR) apply --migration $(SAMPLE)/programme.jsonl
	@$(MR) import parcels --migration $(SAMPLE)/parcels.csv
	@$(MR) import plan --migration $(SAMPLE)/plan.csv --programme TL-2023-2025 --on 2023-03-01
	@$(MR) apply --migration $(SAMPLE)/history.jsonl
	@$(MR) do allocate_funds TL25-01 --on 2025-03-01 --role finance --key $(KEYS)/张志坚.key \
	    --set amount=120 --set source=central --reason 中央资金下达 > /dev/null
	@echo; echo "== who may sign: the registry of people =="
	@$(MR) person list
	@echo; echo "== history of parcel TL23-01: registration to the end of stewardship =="
	@$(MR) history TL23-01
	@echo; echo "== progress against the prefecture target =="
	@$(MR) report progress
	@echo; echo "== compliance audit: high-severity findings (minerehab audit for all) =="
	@$(MR) audit --severity high || true
	@echo; echo "== every hash chain and every signature =="
	@$(MR) verify

test: dev
	$(PY) -m pytest

bench: install
	$(PY) bench/apply.py

clean:
	rm -rf $(VENV) demo .pytest_cache .hypothesis
