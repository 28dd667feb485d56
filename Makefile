# newsner — the two fresh-clone commands are `make demo` and `make test`.
SHELL := /bin/bash
VENV := .venv
TORCH_LIB_DIR = $(shell ls -d $(CURDIR)/$(VENV)/lib/python3*/site-packages/torch 2>/dev/null | head -n1)
# A user's own LIBTORCH wins; otherwise the project-local wheel's libtorch.
export LIBTORCH ?= $(TORCH_LIB_DIR)
export LIBTORCH_CXX11_ABI ?= 0
CARGO ?= cargo
BIN := target/release/newsner

.PHONY: setup build demo test bench dist clean-venv
setup:
	@scripts/setup.sh

build: setup
	$(CARGO) build --release --locked

demo: build
	@mkdir -p out
	$(BIN) extract corpus/sample.jsonl -o out/sample.annotated.jsonl
	$(BIN) render out/sample.annotated.jsonl --input corpus/sample.jsonl -o out/review.html
	@echo "demo: annotated lines in out/sample.annotated.jsonl, review page in out/review.html"

# The normal tests, then the #[ignore]d ones ("needs ../shared", "needs
# chromium", …) whose prerequisites are here, and a summary of what could not
# run (fatal only with CI=true). See scripts/test.sh.
test: build
	@scripts/setup.sh --test
	@CARGO="$(CARGO)" scripts/test.sh

bench: build
	scripts/bench.sh

# dist/newsner-VERSION-linux-x86_64.tar.gz: binary, libtorch, models, licences;
# runs from wherever it is unpacked (see docs/scaling.md).
dist: build
	scripts/dist.py

clean-venv:
	rm -rf $(VENV)
