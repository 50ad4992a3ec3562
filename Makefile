# `make test` installs what the tests need (the Python packages; the current Nu HTML checker from
# npm; Debian's chromium, a Java runtime for the HTML checker, poppler-utils for the print gate, a
# CJK font, LibreOffice Calc without its GUI, which opens results.xlsx as a spreadsheet user would,
# LibreOffice Writer without its GUI, which converts the Word copy to PDF as a reviewer's office
# suite would, npm, and nginx, which serves the packaged site in a test, when missing), runs the linters
# (`make lint`: ruff and mypy, configured in pyproject.toml), then every test. `make test-quick`
# is the inner loop: the tests that need no browser, no PDF and no whole build. `make site`
# installs and builds the default site.
PYTHON ?= python3

.PHONY: test test-quick lint site deps test-deps system-deps test-tools

site: deps
	$(PYTHON) build.py

deps:
	$(PYTHON) -m pip install -q -r requirements.txt

test-deps:
	$(PYTHON) -m pip install -q -r requirements.txt -r requirements-test.txt

# Tools from npm the tests run, pinned with their checksums in tests/tools/package-lock.json: the
# current W3C Nu HTML checker (vnu-jar; run with the system's Java, so its download script is not run).
test-tools:
	@test -f tests/tools/node_modules/vnu-jar/build/dist/vnu.jar || \
	  npm ci --prefix tests/tools --ignore-scripts --no-audit --no-fund

# Debian packages the browser and quality-gate tests use, installed in one go when any is missing.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	fc-list :lang=zh 2>/dev/null | grep -q . || missing="$$missing fonts-noto-cjk"; \
	command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-calc-nogui"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || missing="$$missing nginx"; \
	dpkg -s libreoffice-writer-nogui >/dev/null 2>&1 || missing="$$missing libreoffice-writer-nogui"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update && apt-get install -y $$missing; \
	fi

# The project's linters, with no finding: ruff, then mypy (both read pyproject.toml).
lint: test-deps
	$(PYTHON) -m ruff check reportsite tests bench scripts examples build.py
	$(PYTHON) -m mypy

# One test process per core, a test module's tests in one process (its fixtures built once).
test: test-deps system-deps test-tools lint
	$(PYTHON) -m pytest -q -n auto --dist loadfile

test-quick: test-deps
	$(PYTHON) -m pytest -q -n auto -m "not browser and not pdf and not slow"
