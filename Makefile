# Two commands do everything on a fresh Debian machine (as root):
#   make demo   set up, then run kevlar-trace -- /bin/busybox sh on the default world
#   make test   set up, then run the test suite (what CI runs)
# Both share `make setup`, which is idempotent and quick when nothing changed.

PY        ?= python3
VENV      := .venv
BIN       := $(VENV)/bin
APT_PKGS  := busybox-static musl-tools e2fsprogs strace
SOURCES   := $(wildcard src/kevlar/_fast/*.pyx) $(wildcard src/kevlar/_fast/*.pxd) setup.py pyproject.toml

.PHONY: setup demo test test-all lint bench fuzz conformance clean

setup: .stamp-apt $(BIN)/kevlar-trace .stamp-ext

# System packages: installed only when a tool is missing.
.stamp-apt:
	@missing=""; \
	for tool in busybox:busybox-static musl-gcc:musl-tools mke2fs:e2fsprogs e2fsck:e2fsprogs strace:strace; do \
	  command -v $${tool%%:*} >/dev/null 2>&1 || missing="$$missing $${tool#*:}"; \
	done; \
	[ -e /bin/busybox ] || missing="$$missing busybox-static"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  (apt-get install -y $$missing || (apt-get update && apt-get install -y $$missing)) >/dev/null; \
	fi
	@touch $@

$(BIN)/kevlar-trace: pyproject.toml
	@[ -x $(BIN)/python ] || $(PY) -m venv $(VENV)
	@$(BIN)/pip install -q --upgrade pip setuptools wheel cython >/dev/null
	@$(BIN)/pip install -q -e '.[test]' >/dev/null
	@touch $@

# The Cython extensions, rebuilt when their sources change.
.stamp-ext: $(SOURCES) $(BIN)/kevlar-trace
	@$(BIN)/python setup.py -q build_ext --inplace >/dev/null 2>&1 || \
	  (echo "Cython build failed:"; $(BIN)/python setup.py build_ext --inplace; exit 1)
	@touch $@

demo: setup build/disk.img
	$(BIN)/kevlar-trace --disk build/disk.img -- /bin/busybox sh

# The demo disk (disk/demo.toml, seed 000's content) at /mnt/disk0; built once and kept,
# so what the guest writes there is still there next time.
build/disk.img: disk/demo.toml disk/hello.c | $(BIN)/kevlar-trace
	$(BIN)/python -m kevlar.disk build disk/demo.toml $@

# The suite CI runs: the tox envs that fit in CI's time (see README, "Tests").
test: setup
	$(BIN)/tox -q -e lint,cython-fast,pure-fast

# Everything, the full-profile envs included.
test-all: setup
	$(BIN)/tox -q -e lint,cython-fast,pure-fast,cython-full,pure-full

lint: setup
	$(BIN)/ruff check src tests fuzz disk tools

# Differential fuzzing campaign (fuzz/README.md): FUZZ_SECONDS in all, split between the
# four families; JOBS shards side by side (pytest-xdist); failures are kept in the example
# database (FUZZ_DB: a directory, default fuzz/.db, or redis://host:port/db) and replay first.
FUZZ_SECONDS ?= 600
JOBS ?= 1
fuzz: setup
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_SHARDS=$(JOBS) $(BIN)/python -m pytest -q -p no:cacheprovider \
	  --timeout=0 -n $(JOBS) fuzz

# The contract suite in all four engine x profile envs, then docs/conformance.md.
conformance: setup
	$(BIN)/python -m tests.contract.runner --all-envs -q

bench: setup
	$(BIN)/python -m kevlar.bench

clean:
	rm -rf $(VENV) .tox build .stamp-* src/kevlar/_fast/*.c src/kevlar/_fast/*.so
