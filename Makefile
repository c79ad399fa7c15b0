# The two commands the README opens with. Both set up everything on a fresh machine.
#   make report : the suite against the built-in reference adapters, Allure HTML under reports/
#   make test   : the suite's own tests (clock, sandbox, adapters, mutation matrix, reports, browser)

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RESULTS := reports/allure-results

.PHONY: setup browser test report matrix determinism generated clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed

# Headless Chromium for the report's browser test (Debian's package; needs root to install).
browser:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
		echo "note: no chromium; the browser test will be skipped (apt-get install chromium)"

test: setup browser
	$(PY) -m pytest tests

# The main job: reference adapters -> Allure HTML, JUnit, results JSON, summary and matrix.
report: setup
	rm -rf $(RESULTS) reports/allure-report
	$(PY) -m pytest --alluredir=$(RESULTS) --junitxml=reports/junit.xml \
		--results-json=reports/results.json $(PYTEST_ARGS); status=$$?; \
	$(PY) -m reconnection_conformance.reports.summary reports/results.json --out reports/summary; \
	$(PY) -m reconnection_conformance.reports.matrix reports/results.json --out reports/matrix; \
	npx allure generate $(RESULTS) --config reports/allurerc.mjs -o reports/allure-report; \
	echo "Allure report: reports/allure-report/index.html"; exit $$status

# The mutation matrix: reference + every mutant, then the reading requirements again under the
# alternate readings (about 2 min on 2 cores); fails if a mutant
# survives. Writes reports/mutants/{results.json,traceability.md,matrix.html,matrix.md}.
matrix: setup
	$(PY) -m reconnection_conformance.reports.mutation_matrix --out reports/mutants; status=$$?; \
	$(PY) -m reconnection_conformance.reports.matrix reports/mutants/results.json --out reports/mutants; exit $$status

# CI's generated fault schedules: a fixed, derandomized budget per vendor, judged by the oracle.
generated: setup
	$(PY) -m pytest -m generated $(PYTEST_ARGS)

# Identical verdicts in random order and in parallel, over RUNS runs (default 5).
determinism: setup
	$(PY) -m scripts.determinism --runs $(or $(RUNS),5)

clean:
	rm -rf reports/allure-results reports/allure-report reports/junit.xml reports/results.json \
		reports/history reports/summary reports/matrix reports/mutants reports/screenshots
