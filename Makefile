# `make demo` and `make test` do all the set-up on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean browser fuzz print chart

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/planner plan scenarios/voorbeeld/voorbeeld.toml

test: $(STAMP) browser print
	$(BIN)/pytest

# the browser test drives Debian's Chromium; install it (and its driver) where missing
browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  echo "Chromium voor de browsertest ontbreekt: installeren (apt-get chromium chromium-driver)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver; \
	fi

# the print test converts roster.xlsx to PDF with Debian's LibreOffice Calc; install it where missing
print:
	@if ! command -v soffice >/dev/null; then \
	  echo "LibreOffice voor de afdruktest ontbreekt: installeren (apt-get libreoffice-calc)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends libreoffice-calc; \
	fi

# docs/capaciteit.png and docs/personeel.png: the example's capacity charts as LibreOffice prints them (poppler renders)
chart: $(STAMP) print
	@if ! command -v pdftoppm >/dev/null; then \
	  echo "poppler-utils (pdftoppm) voor de grafiekafbeelding ontbreekt: installeren"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq poppler-utils; \
	fi
	PYTHONPATH=. $(BIN)/python docs/capacity_chart.py

# the full generated fuzz set (>= 500 bad inputs through check and plan); `make test` runs every 10th
fuzz: $(STAMP)
	PLANNER_FUZZ=full $(BIN)/pytest tests/unit/test_fuzz.py -q

lint: $(STAMP)
	$(BIN)/ruff check planner tests
	$(BIN)/mypy planner

clean:
	rm -rf $(VENV) reports/*/ .pytest_cache

bench: $(STAMP)
	PYTHONPATH=. $(BIN)/python -m benchmarks.run S,M,L,XL --seeds 1,2,3 --family a,b
