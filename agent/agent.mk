# GuruConnect agent: Makefile fragment. The top-level Makefile includes it; standalone:
#   make -f agent/agent.mk agent-deps | agent-build | agent-test | agent-fuzz | agent-fuzz-build | agent-fuzz-fast-build | agent-bench
# Build directories (git-ignored): agent/build/{release,asan,fuzz,fuzz-fast}. At most -j2.

AGENT_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
AGENT_BUILD := $(AGENT_DIR)/build
AGENT_JOBS ?= 2
AGENT_FUZZ_SECONDS ?= 25
# Every fuzz/fuzz_<name>.cpp is a target (bench/fuzz/run.py finds them the same way).
AGENT_FUZZ_TARGETS := $(patsubst $(AGENT_DIR)/fuzz/fuzz_%.cpp,%,$(sort $(wildcard $(AGENT_DIR)/fuzz/fuzz_*.cpp)))

# Everything the agent's build, tests and fuzzing need, as Debian packages.
AGENT_PACKAGES := cmake ninja-build g++ pkg-config python3 \
	libgcrypt20-dev libgpg-error-dev libturbojpeg0-dev libpng-dev zlib1g-dev libwebp-dev libvpx-dev libyuv-dev \
	libx11-dev libxext-dev libxdamage-dev libxfixes-dev libxrandr-dev libxtst-dev libxss-dev \
	doctest-dev nlohmann-json3-dev xvfb xdotool libglib2.0-bin \
	libgnutls28-dev nettle-dev ca-certificates python3-websockets python3-cryptography
# Debian's clang for libFuzzer, installed only when no clang here can link a fuzzer
# (the Swift toolchain's clang usually can; fuzz/find_fuzz_clang.sh checks).
AGENT_FUZZ_PACKAGES := clang libclang-rt-14-dev

.PHONY: agent-deps agent-build agent-test agent-unit agent-fuzz agent-fuzz-build agent-fuzz-fast-build agent-bench

# Installs only what is missing; runs apt-get update only then.
agent-deps:
	@missing=""; \
	for p in $(AGENT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if ! sh $(AGENT_DIR)/fuzz/find_fuzz_clang.sh >/dev/null; then \
		for p in $(AGENT_FUZZ_PACKAGES); do \
			dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
		done; \
	fi; \
	if [ -n "$$missing" ]; then \
		echo "agent-deps: installing$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else \
		echo "agent-deps: all packages present"; \
	fi

# Release: media and crypto linked statically, X11 and libc dynamic, stripped.
agent-build: agent-deps
	@test -f $(AGENT_BUILD)/release/build.ninja || cmake -S $(AGENT_DIR) -B $(AGENT_BUILD)/release \
		-G Ninja -DCMAKE_BUILD_TYPE=MinSizeRel -DGURU_STATIC_DEPS=ON -DGURU_TESTS=OFF -DGURU_PNG=OFF
	ninja -C $(AGENT_BUILD)/release -j$(AGENT_JOBS) guruconnect-agent
	@ls -l $(AGENT_BUILD)/release/guruconnect-agent

# ASan+UBSan build, unit tests and Xvfb integration tests (one ctest run), then bounded fuzzing.
agent-test: agent-unit agent-fuzz

agent-unit: agent-deps
	@test -f $(AGENT_BUILD)/asan/build.ninja || cmake -S $(AGENT_DIR) -B $(AGENT_BUILD)/asan \
		-G Ninja -DCMAKE_BUILD_TYPE=Debug -DGURU_SANITIZE=ON
	ninja -C $(AGENT_BUILD)/asan -j$(AGENT_JOBS)
	cd $(AGENT_BUILD)/asan && ctest --output-on-failure -j2 --timeout 120

# The libFuzzer targets and their seed corpora (from protocol/vectors) in $(AGENT_BUILD)/$(1),
# with AddressSanitizer when $(2) is ON (UBSan always).
define agent_fuzz_build
	@cc=$$(sh $(AGENT_DIR)/fuzz/find_fuzz_clang.sh) || { echo "no clang with libFuzzer"; exit 1; }; \
	linker=; [ -x $$(dirname $$cc)/ld.lld ] && linker=lld; \
	test -f $(AGENT_BUILD)/$(1)/build.ninja || CC=$$cc CXX=$${cc}++ cmake -S $(AGENT_DIR) \
		-B $(AGENT_BUILD)/$(1) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGURU_FUZZ=ON \
		-DGURU_FUZZ_ASAN=$(2) -DGURU_TESTS=OFF -DGURU_FUZZ_LINKER=$$linker
	ninja -C $(AGENT_BUILD)/$(1) -j$(AGENT_JOBS)
	python3 $(AGENT_DIR)/fuzz/make_corpus.py $(AGENT_DIR)/../protocol/vectors $(AGENT_BUILD)/$(1)/seeds
endef

# ASan + UBSan + libFuzzer: what agent-fuzz (make test's short run) uses.
agent-fuzz-build: agent-deps
	$(call agent_fuzz_build,fuzz,ON)

# UBSan + libFuzzer, no ASan: bench/fuzz/run.py's million inputs per target (ASan's allocator
# under libgcrypt's many small allocations made the crypto targets several times slower).
agent-fuzz-fast-build: agent-deps
	$(call agent_fuzz_build,fuzz-fast,OFF)

# CI's short run: each target AGENT_FUZZ_SECONDS from a corpus seeded by protocol/vectors.
# The long run (1,000,000 inputs per target, with RSS and exec/s) is bench/fuzz/run.py (the fuzz-fast build).
agent-fuzz: agent-fuzz-build
	@for t in $(AGENT_FUZZ_TARGETS); do \
		test -x $(AGENT_BUILD)/fuzz/fuzz_$$t || { echo "fuzz_$$t: fuzz/fuzz_$$t.cpp has no binary (add it to CMakeLists.txt)"; exit 1; }; \
		mkdir -p $(AGENT_BUILD)/fuzz/corpus/$$t $(AGENT_BUILD)/fuzz/seeds/$$t; \
		echo "fuzz_$$t: $(AGENT_FUZZ_SECONDS) s"; \
		$(AGENT_BUILD)/fuzz/fuzz_$$t -max_total_time=$(AGENT_FUZZ_SECONDS) -max_len=8192 \
			-timeout=5 -rss_limit_mb=1024 -print_final_stats=1 \
			-artifact_prefix=$(AGENT_BUILD)/fuzz/ \
			$(AGENT_BUILD)/fuzz/corpus/$$t $(AGENT_BUILD)/fuzz/seeds/$$t \
			2>$(AGENT_BUILD)/fuzz/fuzz_$$t.log || { tail -40 $(AGENT_BUILD)/fuzz/fuzz_$$t.log; exit 1; }; \
		grep -E "stat::number_of_executed_units|Done" $(AGENT_BUILD)/fuzz/fuzz_$$t.log; \
	done

# Footprint and per-frame timings (see bench/agent_footprint.sh).
agent-bench: agent-build
	bash $(AGENT_DIR)/../bench/agent_footprint.sh
