# Two commands for a newcomer: `make demo` and `make test`. Both set everything up from scratch.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HKG    := $(VENV)/bin/heritagekg
OUT    := out

.PHONY: setup browser demo test bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

# Debian's chromium for the visualization tests (never `playwright install`: it downloads).
browser:
	@{ command -v chromium && ls /usr/share/fonts/opentype/noto/NotoSansCJK* ; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; fi; }

demo: setup
	mkdir -p $(OUT)
	$(HKG) build data/ -o $(OUT)/kg.ttl
	$(HKG) build data/ -o $(OUT)/kg.trig
	$(HKG) validate $(OUT)/kg.ttl
	@for q in queries/*.rq; do \
	  name=$$(basename $$q .rq); \
	  $(HKG) query $$q $(OUT)/kg.ttl --format csv > $(OUT)/query-$$name.csv || exit 1; \
	done
	-$(HKG) viz $(OUT)/kg.ttl -o $(OUT)/kg.html
	-$(HKG) viz $(OUT)/kg.ttl -o $(OUT)/kg.png
	@echo "wrote $(OUT)/kg.ttl, $(OUT)/kg.trig, $(OUT)/kg.html, $(OUT)/kg.png and $(OUT)/query-*.csv"

test: setup browser
	$(PY) -m pytest -q

bench: setup browser
	$(PY) -m benchmarks.run

clean:
	rm -rf $(OUT) .pytest_cache
