# Two commands do all the set-up: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.bench-installed
# Where torch's CPU build comes from. Empty: pip's own configuration (on a machine
# with the CPU wheel on disk, that is enough). Elsewhere pass
# TORCH_INDEX=https://download.pytorch.org/whl/cpu so no CUDA build is pulled.
TORCH_INDEX ?=
TORCH_VERSION ?= 2.13.0

.PHONY: install demo test test-fast fuzz lint bench bench-scale clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=23"
	$(BIN)/python -m pip install --quiet "torch==$(TORCH_VERSION)" $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX))
	$(BIN)/python -W ignore -c "import torch, sys; cuda = torch.version.cuda; sys.exit(f'torch {torch.__version__} is a CUDA build; reinstall with TORCH_INDEX=https://download.pytorch.org/whl/cpu') if cuda else None"
	$(BIN)/python -m pip install --quiet -e ".[dev,pdf,parquet]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/persona-lab run transcripts/demo --out out/demo

# pytest's exit code 5 (no test collected) means the set-up is broken: a failure.
test: $(STAMP)
	$(BIN)/python -m pytest; status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: no test was collected; the set-up is broken" >&2; exit 1; fi; \
	exit $$status

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

# The property tests with new random examples each run (make test repeats one fixed set).
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=explore $(BIN)/python -m pytest -m "not slow" $$(grep -l "@given" tests/*.py)

# The bench extra (BERTopic, the scale benchmark's anchor), with torch pinned so pip
# never swaps the CPU build for another.
$(BENCH_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet "torch==$(TORCH_VERSION)" -e ".[bench]"
	touch $(BENCH_STAMP)

# Measurements, not tests: figures go to bench/results/ and BENCHMARKS.md.
bench: $(BENCH_STAMP)
	$(BIN)/python bench/persona_quality.py
	$(BIN)/python bench/scale.py

# Issue 8, speed at scale against BERTopic: 30+ minutes on 2 cores. A quick look:
# $(BIN)/python bench/scale.py --only demo,scale,help --interviews 30 --results /tmp/s.json
bench-scale: $(BENCH_STAMP)
	$(BIN)/python bench/scale.py

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
