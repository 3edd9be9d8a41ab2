# Two entry points: `make build` (set up, then build specs/) and `make test` (set up, then test).
# Setup installs what is missing: Debian packages when running as root, then a .venv.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Fonts for the Chinese text, and HarfBuzz's subsetter (without it WeasyPrint falls back to
# one ten times slower). Pango, which WeasyPrint needs, ships with Debian.
APT_PACKAGES := fonts-noto-cjk fonts-dejavu-core libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 fontconfig
# The browser tests drive Debian's chromium through chromedriver (selenium): installed by
# `make test` only, so `make build` stays small.
TEST_APT_PACKAGES := chromium chromium-driver
STAMP := $(VENV)/.installed

.PHONY: build test quick check lint docs fuzz bench dist system-deps test-system-deps apt-install clean

build: system-deps $(STAMP)
	$(BIN)/selfeval build specs/

check: $(STAMP)
	$(BIN)/selfeval check specs/

test: system-deps test-system-deps $(STAMP)
	$(BIN)/python -m pytest -n 2

quick: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" -q

fuzz: system-deps $(STAMP)
	SELFEVAL_FUZZ_EXAMPLES=10000 $(BIN)/python -m pytest tests/test_fuzz.py

bench: system-deps $(STAMP)
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/bench_pdf_size.py

# The release: dist/selfeval-VERSION.tar.gz and the wheel built from it (tests/test_packaging.py
# builds and installs the same).
dist: $(STAMP)
	$(BIN)/python -m build --no-isolation --outdir dist .

docs: $(STAMP)
	$(BIN)/python -m selfeval_compiler.diagnostics.docs
	$(BIN)/python -m selfeval_compiler.sources.goals_schema

lint: $(STAMP)
	$(BIN)/ruff check selfeval_compiler tests benchmarks
	$(BIN)/ruff format --check selfeval_compiler tests benchmarks
	$(BIN)/mypy selfeval_compiler tests
	$(BIN)/lint-imports

system-deps:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(APT_PACKAGES)"

test-system-deps:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(TEST_APT_PACKAGES)" \
	  || echo "selfeval: chromium could not be installed; the browser tests will be skipped" >&2

apt-install:
	@missing=""; \
	for package in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" \
	    || missing="$$missing $$package"; \
	done; \
	if ! $(PYTHON) -c 'import ensurepip, venv' >/dev/null 2>&1; then missing="$$missing python3-venv"; fi; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
	  echo "selfeval: not a Debian system; install the equivalents of:$$missing" >&2; exit 0; \
	fi; \
	if [ "$$(id -u)" = "0" ]; then \
	  echo "Installing:$$missing"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	else \
	  echo "selfeval: missing Debian packages:$$missing — run: sudo apt-get install$$missing" >&2; \
	fi

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "selfeval needs Python 3.11 or newer" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip "setuptools>=77" wheel
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

clean:
	rm -rf build dist .pytest_cache
