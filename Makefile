# mnistc: the two commands (see README.md).
#   make demo        set up, build, print the examples' summaries, then the
#                    MLP's whole workflow: train, evaluate, predict
#   make check       set up, build, and run every test (lit + ctest)
#   make check-quick the inner loop: only tests labelled quick
#   make check-sanitize  the quick tests, built with ASan and UBSan
#   make fuzz        the libFuzzer targets, FUZZ_SECONDS each (default 120)
# Every target runs scripts/setup.sh first (idempotent, under a second when
# all is installed) and reuses the existing build.
BUILD ?= build
JOBS ?= $(shell nproc)
CTEST = ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)
EXAMPLES = mlp mlp_dropout cnn cnn_small lenet residual

.PHONY: all setup configure build check check-quick check-sanitize fuzz \
        demo docs clean

all: build

setup:
	@bash scripts/setup.sh

configure: setup
	@test -f $(BUILD)/build.ninja || \
	  cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# quick + slow; gpu-labelled tests run only where a GPU is (test/gpu/).
check: build
	@$(CTEST) -LE gpu

check-quick: build
	@$(CTEST) -L quick

# Everything of ours built with AddressSanitizer and UndefinedBehaviorSanitizer
# in build-sanitize/, then the quick tests; any report fails
# (scripts/check-sanitize.sh, docs/reliability.md).
SANITIZE_BUILD = build-sanitize
check-sanitize: setup
	@bash scripts/check-sanitize.sh $(SANITIZE_BUILD) $(JOBS)

# The fuzz targets, built by clang 19 with libFuzzer in build-fuzz/ and run
# FUZZ_SECONDS each, two at a time (scripts/fuzz.sh, docs/reliability.md).
FUZZ_SECONDS ?= 120
fuzz: build
	@bash scripts/setup.sh fuzz
	@bash scripts/fuzz.sh $(FUZZ_SECONDS)

# The summaries of every example, then the MLP compiled to a model.so,
# trained on MNIST with its own compile/fit settings and a checkpoint,
# evaluated from the checkpoint, and asked what the digits in
# examples/images are (docs/runtime.md). The history plot and report land
# in build/demo/history.
demo: build
	@for m in $(EXAMPLES); do \
	  echo "== mnistc examples/$$m.dsl --summary"; \
	  $(BUILD)/bin/mnistc examples/$$m.dsl --summary || exit 1; \
	  echo; \
	done
	@echo "== mnistc examples/mlp.dsl -o $(BUILD)/mlp.so"
	@$(BUILD)/bin/mnistc examples/mlp.dsl -o $(BUILD)/mlp.so
	@echo "== mnistrt train $(BUILD)/mlp.so --checkpoint $(BUILD)/demo/mlp.ckpt --logdir $(BUILD)/demo/history"
	@mkdir -p $(BUILD)/demo
	@$(BUILD)/bin/mnistrt train $(BUILD)/mlp.so --checkpoint $(BUILD)/demo/mlp.ckpt --logdir $(BUILD)/demo/history
	@echo "== mnistrt evaluate $(BUILD)/mlp.so --weights $(BUILD)/demo/mlp.ckpt"
	@$(BUILD)/bin/mnistrt evaluate $(BUILD)/mlp.so --weights $(BUILD)/demo/mlp.ckpt
	@echo "== mnistrt predict $(BUILD)/mlp.so --weights $(BUILD)/demo/mlp.ckpt examples/images/*"
	@$(BUILD)/bin/mnistrt predict $(BUILD)/mlp.so --weights $(BUILD)/demo/mlp.ckpt examples/images/*

# Refresh the checked-in dialect and pass references from ODS.
docs: build
	@cp $(BUILD)/docs/NN/NNDialect.md docs/nn-dialect.md
	@cp $(BUILD)/docs/NN/NNPasses.md docs/nn-passes.md

clean:
	rm -rf $(BUILD) $(SANITIZE_BUILD) build-fuzz
