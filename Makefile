# Two commands on a fresh Debian 12 machine: `make demo` and `make test`. Both install the
# Debian packages they miss first (as root, or through sudo).
SHELL := /bin/bash
JOBS ?= $(shell nproc)
BUILD ?= build
ASAN_BUILD ?= build-asan
BUILD_TYPE ?= RelWithDebInfo
# Warnings are errors in CI (CI=true) and for anyone who asks with WERROR=ON.
WERROR ?= $(if $(filter true,$(CI)),ON,OFF)

DEB_PACKAGES := build-essential cmake pkg-config ccache git \
  libboost-dev libboost-system-dev libsqlite3-dev sqlite3 libcurl4-openssl-dev \
  libfmt-dev libyaml-cpp-dev nlohmann-json3-dev libhowardhinnant-date-dev tzdata \
  libpugixml-dev libexpat1-dev libcli11-dev libssl-dev libsystemd-dev systemd catch2 \
  python3 python3-aiosmtpd wrk postgresql-15 libpq-dev libgoogle-perftools-dev

# ccache's own folder (~/.cache/ccache) outlives a clone; with paths taken relative to the
# checkout, a fresh clone of the same sources (as CI makes) compiles from the cache.
export CCACHE_BASEDIR ?= $(CURDIR)
export CCACHE_NOHASHDIR ?= true

.PHONY: all deps build test test-fast asan demo bench package clean

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
# ordinary build's tests.
asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCOBRADOR_WERROR=$(WERROR) \
	  -DCOBRADOR_SANITIZE=ON -DCOBRADOR_BENCH=OFF
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

test: asan test-fast

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

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-package var
