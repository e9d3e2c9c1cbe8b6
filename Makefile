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

demo: install
	@rm -rf demo && mkdir -p demo
	@$(VENV)/bin/minerehab --store $(DEMO_DB) init
	@$(VENV)/bin/minerehab --store $(DEMO_DB) apply examples/demo-parcel.jsonl
	@$(VENV)/bin/minerehab --store $(DEMO_DB) history TL-2023-01

test: dev
	$(PY) -m pytest

bench: install
	$(PY) bench/apply.py

clean:
	rm -rf $(VENV) demo .pytest_cache .hypothesis
