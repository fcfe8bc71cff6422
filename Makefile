# The two commands a newcomer needs: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MO := locales/kk/LC_MESSAGES/messages.mo locales/ru/LC_MESSAGES/messages.mo

.PHONY: install run test lint catalogs offices boundary bench bench-quick clean

install: $(STAMP) $(MO)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

locales/%/LC_MESSAGES/messages.mo: locales/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile -D messages -l $* -i $< -o $@

run: install
	$(BIN)/python -m bot run --or-terminal

# A throwaway PostgreSQL 15 and Redis live for the run only (tools/test_servers.sh; tests that need them
# read TEST_POSTGRES_URL / TEST_REDIS_URL, so a plain pytest skips those).
test: install
	tools/test_servers.sh $(BIN)/python -m pytest -n 2

lint: install
	$(BIN)/ruff check bot handlers tests tools bench

# Re-extract msgids from the code and merge them into both catalogs (then translate what is new).
catalogs: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _ -k __ -k N_ -k ngettext:1,2 -k lazy_gettext -k pgettext:1c,2 -o locales/messages.pot --no-location --sort-output --project=pmzh-bot .
	$(BIN)/pybabel update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching --ignore-obsolete
	$(MAKE) $(MO)

offices: $(STAMP)
	$(BIN)/python tools/build_offices.py

boundary: $(STAMP)
	$(BIN)/python tools/build_boundary.py

bench: install
	tools/test_servers.sh $(BIN)/python -m bench

bench-quick: install
	tools/test_servers.sh $(BIN)/python -m bench --quick

clean:
	rm -rf $(VENV) locales/*/LC_MESSAGES/*.mo
