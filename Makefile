# The two commands the README opens with. Both set up everything on a fresh machine.
#   make report : the suite against the built-in reference adapters, Allure HTML under reports/
#   make test   : the suite's own tests (clock, sandbox, adapter loading, mutation matrix)

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RESULTS := reports/allure-results

.PHONY: setup test report clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed

test: $(VENV)/.installed
	$(PY) -m pytest tests

report: setup
	rm -rf $(RESULTS)
	$(PY) -m pytest --alluredir=$(RESULTS) --junitxml=reports/junit.xml \
		--results-json=reports/results.json $(PYTEST_ARGS); status=$$?; \
	npx allure generate $(RESULTS) -o reports/allure-report; \
	echo "Allure report: reports/allure-report/index.html"; exit $$status

clean:
	rm -rf reports/allure-results reports/allure-report reports/junit.xml reports/results.json reports/history
