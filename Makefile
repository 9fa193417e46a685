# Hotline: `make run` starts the platform, `make test` runs the whole suite.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run demo test lint fmt clean-venv web web-check screenshots

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# The web console (web/): built when its sources changed; without Node.js 20+ the API
# still starts and the build says what to install.
web:
	@bash infra/web/build.sh build

web-check:
	@bash infra/web/build.sh check

run: $(STAMP) web
	@echo "Hotline console: http://127.0.0.1:8000/"
	$(BIN)/hotline up

demo: $(STAMP) web
	@echo "Hotline console: http://127.0.0.1:8000/ (log in as demo@hotline.test)"
	$(BIN)/hotline up --simulate

# README screenshots (docs/screenshots/): a throw-away demo tenant in headless Chromium.
screenshots: $(STAMP) web
	$(BIN)/python -m infra.web.screenshots

test: $(STAMP) web-check
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean-venv:
	rm -rf $(VENV)
