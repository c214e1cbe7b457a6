# Two commands on a fresh Debian 12 machine: `make demo` and `make test`. Both install the
# Debian packages they miss first (as root, or through sudo).
SHELL := /bin/bash
JOBS ?= $(shell nproc)
BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
# Seconds each fuzz target runs in `make fuzz`; `make fuzz-ci` (part of `make test`) runs each
# for FUZZ_CI_SECONDS.
FUZZ_SECONDS ?= 60
FUZZ_CI_SECONDS ?= 5
BUILD_TYPE ?= RelWithDebInfo
# Warnings are errors in CI (CI=true) and for anyone who asks with WERROR=ON.
WERROR ?= $(if $(filter true,$(CI)),ON,OFF)

DEB_PACKAGES := build-essential cmake pkg-config ccache git \
  libboost-dev libboost-system-dev libsqlite3-dev sqlite3 libcurl4-openssl-dev \
  libfmt-dev libyaml-cpp-dev nlohmann-json3-dev libhowardhinnant-date-dev tzdata \
  libpugixml-dev libexpat1-dev libcli11-dev libssl-dev libsystemd-dev systemd catch2 \
  python3 python3-aiosmtpd wrk postgresql-15 libpq-dev libgoogle-perftools-dev clang-format groff-base

# ccache's own folder (~/.cache/ccache) outlives a clone; with paths taken relative to the
# checkout, a fresh clone of the same sources (as CI makes) compiles from the cache.
export CCACHE_BASEDIR ?= $(CURDIR)
export CCACHE_NOHASHDIR ?= true

.PHONY: all deps build test test-fast test-browser browser-deps asan asan-configure fuzz fuzz-ci demo bench package clean architecture-graph format format-check lint

all: build

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:" $$missing; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DCOBRADOR_WERROR=$(WERROR)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

test-fast: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# The sanitizer run comes first so that the last lines printed are the summary of the
# ordinary build's tests. Clang builds the sanitizer tree (GCC the ordinary one, so both
# compilers' warnings count), instrumented for libFuzzer too: the fuzz targets of tests/fuzz
# are built in it against the same libraries, and `make test` runs each of them briefly
# (fuzz-ci) right after the sanitizer tests.
asan-configure: deps
	@$(MAKE) --no-print-directory deps DEB_PACKAGES="clang libclang-rt-14-dev"
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++ -DCOBRADOR_WERROR=$(WERROR) \
	  -DCOBRADOR_SANITIZE=ON -DCOBRADOR_BENCH=OFF

asan: asan-configure
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

test: format-check asan fuzz-ci test-fast test-browser

# The browser tests (tests/browser/README.md): Debian's chromium, driven by puppeteer-core from
# the committed lockfile, against the cobradord and cobradorctl of $(BUILD).
BROWSER_TESTS := tests/browser

# npm writes node_modules/.package-lock.json on every install, so its age against the
# committed lockfile says whether `npm ci` has to run again; the touch makes sure it is newer.
$(BROWSER_TESTS)/node_modules/.package-lock.json: $(BROWSER_TESTS)/package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: the browser tests need nodejs 20 with its bundled npm"; exit 1; }
	cd $(BROWSER_TESTS) && npm ci --no-audit --no-fund
	@touch $@

browser-deps: $(BROWSER_TESTS)/node_modules/.package-lock.json
	@$(MAKE) --no-print-directory deps DEB_PACKAGES=chromium

test-browser: build browser-deps
	COBRADOR_BUILD=$(abspath $(BUILD)) node --test $(BROWSER_TESTS)/

# Every fuzz target of the sanitizer tree for FUZZ_CI_SECONDS each, after its committed
# reproducers (tests/fuzz/run.sh, docs/reliability.md); exits non-zero on any finding. Builds
# only the targets when `make asan` has not built them.
fuzz-ci: asan-configure
	cmake --build $(ASAN_BUILD) -j $(JOBS) --target fuzz_targets
	tests/fuzz/run.sh $(ASAN_BUILD) $(FUZZ_CI_SECONDS)

# Longer runs, from a tree of their own (cmake/fuzz.cmake): only the libraries and the targets,
# at -O1 (several times the executions per second of the sanitizer tree's -O0), each target
# for FUZZ_SECONDS from its seeds; exits non-zero when any finds something.
fuzz: deps
	@$(MAKE) --no-print-directory deps DEB_PACKAGES="clang libclang-rt-14-dev"
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++ -DCOBRADOR_FUZZ=ON \
	  -DCOBRADOR_WERROR=$(WERROR)
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_targets
	tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

# Every C++ file as .clang-format writes it; `make format` rewrites them.
CXX_FILES = $(shell git ls-files '*.cpp' '*.hpp')
format-check: deps
	@clang-format --dry-run --Werror $(CXX_FILES)
	@echo "format: $(words $(CXX_FILES)) files as .clang-format writes them"

format: deps
	clang-format -i $(CXX_FILES)

# clang-tidy with .clang-tidy's checks on every translation unit of lib/, hooks/ and daemon/,
# from a configuration without precompiled headers (clang reads no GCC .gch) or unity batches.
lint: deps
	@$(MAKE) --no-print-directory deps DEB_PACKAGES=clang-tidy
	cmake -S . -B build-lint -DCMAKE_BUILD_TYPE=Debug -DCOBRADOR_PCH=OFF -DCOBRADOR_UNITY=OFF -DCOBRADOR_BENCH=OFF >/dev/null
	run-clang-tidy -quiet -p build-lint -j $(JOBS) '/(lib|hooks|daemon)/' 

demo: build
	./demo/run.sh $(BUILD)

# The Debian package, built with prefix /usr so that the configuration lands in /etc/cobrador.
package: deps
	cmake -S . -B build-package -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
	  -DCOBRADOR_TESTS=OFF -DCOBRADOR_BENCH=OFF
	cmake --build build-package -j $(JOBS)
	cd build-package && cpack -G DEB

bench: build
	./bench/run.sh $(BUILD)

# The libraries' graph as CMake builds it (docs/architecture.md): the block in the page, and
# CMake's own drawing with the outside libraries (an SVG when graphviz is installed).
architecture-graph: $(BUILD)/CMakeCache.txt
	python3 tests/architecture/check_arrows.py $(BUILD)/areas.json . --write-doc
	cd $(BUILD) && cmake --graphviz=architecture.dot . >/dev/null
	@if command -v dot >/dev/null; then dot -Tsvg $(BUILD)/architecture.dot -o $(BUILD)/architecture.svg; fi

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) build-package build-lint var
