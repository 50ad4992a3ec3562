# `make test` installs what the tests need (the Python packages; Debian's chromium, a Java runtime
# for the HTML checker, poppler-utils for the print gate, a CJK font and LibreOffice Calc without
# its GUI, which opens results.xlsx as a spreadsheet user would, when missing), then runs every
# test. `make site` installs and builds the default site. `make lint` runs ruff and mypy.
PYTHON ?= python3

.PHONY: test site deps test-deps system-deps lint

site: deps
	$(PYTHON) build.py

deps:
	$(PYTHON) -m pip install -q -r requirements.txt

test-deps:
	$(PYTHON) -m pip install -q -r requirements-test.txt

# The project's linters, with no finding: ruff, then mypy (both read pyproject.toml).
lint: test-deps
	$(PYTHON) -m ruff check reportsite tests bench scripts examples build.py
	$(PYTHON) -m mypy

# Debian packages the browser and quality-gate tests use, installed in one go when any is missing.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	fc-list :lang=zh 2>/dev/null | grep -q . || missing="$$missing fonts-noto-cjk"; \
	command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-calc-nogui"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update && apt-get install -y $$missing; \
	fi

test: test-deps system-deps
	$(PYTHON) -m pytest -q
