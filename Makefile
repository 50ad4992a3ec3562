# `make test` installs what the tests need (Python packages; Debian's chromium when missing),
# then runs every test. `make site` installs and builds the default site.
PYTHON ?= python3

.PHONY: test site deps test-deps chromium

site: deps
	$(PYTHON) build.py

deps:
	$(PYTHON) -m pip install -q -r requirements.txt

test-deps:
	$(PYTHON) -m pip install -q -r requirements-test.txt

chromium:
	@command -v chromium >/dev/null 2>&1 || (apt-get update && apt-get install -y chromium)

test: test-deps chromium
	$(PYTHON) -m pytest -q
