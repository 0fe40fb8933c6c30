# SafeStats — the two commands a newcomer needs are `make demo` and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
export QT_QPA_PLATFORM ?= offscreen

.PHONY: plugin-release docs-images translations setup demo test test-quick lint bench plugin eval-geocoder schema db-up db-down clean help

help:
	@echo "make demo   set everything up (packages, venv, embedded PostGIS) and run the main job"
	@echo "make test   run the whole test suite against a throwaway PostGIS cluster and real QGIS"
	@echo "make test-quick  the inner-loop subset (no slow tests), about 3 minutes"
	@echo "make lint   ruff over the whole tree (configured in pyproject.toml); CI runs it"
	@echo "make bench  run the benchmarks (not part of CI); results go to docs/benchmarks.md"
	@echo "make plugin build the installable QGIS plugin zip (tests excluded)"
	@echo "make translations  collect the plugin's tr() strings into qgis_plugin/i18n/*.ts and compile .qm"
	@echo "make schema regenerate db/schema.sql (tables, views, functions, grants, policies) from a fresh migration"
	@echo "make eval-geocoder  geocoder accuracy and calibration on the generator and the independent sets -> build/geocoding.md (WRITE_DOCS=1 also rewrites docs/geocoding.md and data/gazetteer/geocode_calibration.csv)"

setup:
	@scripts/setup.sh

demo: setup
	$(VENV)/bin/safestats demo

# Two workers (pytest-xdist), each with its own throwaway cluster; a test module stays on one worker
# so its module-scoped database is built once. PYTEST_ARGS adds to (or overrides) these.
# A crashed worker ends the run (no restart): xdist's restart could leave the rest of a module
# unscheduled and the run waiting.
XDIST ?= -n 2 --dist loadfile --max-worker-restart 0

test: setup
	$(PY) -m pytest $(XDIST) $(PYTEST_ARGS)

test-quick: setup
	$(PY) -m pytest $(XDIST) -m "not slow" $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .

plugin:
	python3 scripts/build_plugin.py

db-up: setup
	$(VENV)/bin/safestats db up

db-down:
	$(VENV)/bin/safestats db down

bench: setup
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b $(BENCH_ARGS) || exit 1; done

# Geocoder evaluation: loads the gazetteer if the database has none, calibrates (leave-one-family-out),
# writes build/geocoding.md; WRITE_DOCS=1 also rewrites docs/geocoding.md and the shipped calibration CSV.
eval-geocoder: setup
	$(VENV)/bin/safestats db up >/dev/null 2>&1 || true
	$(VENV)/bin/safestats migrate
	$(VENV)/bin/safestats reference
	$(PY) -m safestats.geocoding.evaluation --out build/geocoding.md $(if $(WRITE_DOCS),--write-docs,)

# db/schema.sql: a throwaway database migrated to head, dumped schema-only (owners, grants and
# policies kept) and normalised; tests/db/test_schema_file.py fails when it is out of date.
schema: db-up
	$(PY) -m safestats.schema_dump

clean:
	-$(VENV)/bin/safestats db down
	rm -rf .safestats rejects build dist

bench-loaders: setup  ## the loaders' benchmark alone (SIZE=rows, default 200000)
	$(PY) bench/bench_loaders.py $(BENCH_ARGS)

# The plugin's translations (issue 15): collect tr() strings into qgis_plugin/i18n/*.ts, compile .qm
# with lrelease (Debian package qttools5-dev-tools).
translations:
	python3 scripts/translations.py

# The plugin zip for plugins.qgis.org (issue 15): metadata.txt's e-mail/homepage/repository/tracker are
# placeholders until the project has real ones; give them here (or in the environment). `make plugin`
# builds the development zip and keeps the placeholders; plugin-release refuses them.
export PLUGIN_EMAIL PLUGIN_HOMEPAGE PLUGIN_REPOSITORY PLUGIN_TRACKER
plugin-release:
	python3 scripts/build_plugin.py --release dist/safestats_qgis-release.zip

# The pictures of docs/qgis-plugin.md (issue 15): the plugin tests marked docs_picture write theirs to
# docs/images (a plain `make test` keeps them in tmp_path), then scripts/docs_images.py renders the
# demo database's (ready-made project, report pages, Locator) — run `make demo` first.
docs-images: setup
	SAFESTATS_DOCS_IMAGES=$(CURDIR)/docs/images $(PY) -m pytest -q -m docs_picture tests/plugin $(PYTEST_ARGS)
	$(PY) scripts/docs_images.py
