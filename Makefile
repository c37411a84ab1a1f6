# The two commands of the Quick start: `make run` and `make test`.
BUILD ?= build
ASAN_BUILD ?= build-asan
DATA ?= ./var
LISTEN ?= 127.0.0.1:8080
JOBS ?= 2

FUZZ_BUILD ?= build-fuzz
TSAN_BUILD ?= build-tsan
FUZZ_SECONDS ?= 60
SOAK_KILLS ?= 20

.PHONY: run test build server deps test-deps check tsan fuzz soak bench format clean deb test-deb \
	test-systemd test-fresh

run: server
	@echo "shipline: serving on http://$(LISTEN) with data in $(DATA)"
	@echo "  health:  curl http://$(LISTEN)/healthz"
	@echo "  api key: printed below on first start, or: $(BUILD)/shipline keys create --data $(DATA) --tenant demo --name me"
	$(BUILD)/shipline serve --listen $(LISTEN) --data $(DATA)

# Everything twice over the store: on SQLite, then the black-box suite again
# with shipline on a throwaway PostgreSQL cluster (see scripts/test-all.sh).
test: test-deps build
	scripts/test-all.sh $(BUILD) $(JOBS)

build: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j$(JOBS)

# The binary alone (what `make run` and `make deb` need), without the tests.
server: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j$(JOBS) --target shipline

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

# Both sanitizer builds, one after the other: the unit and black-box tests under
# AddressSanitizer and UndefinedBehaviorSanitizer, then `make tsan`.
check: test-deps
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSHIPLINE_SANITIZE=ON
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	ctest --test-dir $(ASAN_BUILD) --output-on-failure
	$(MAKE) tsan

# The Debian package: $(BUILD)/shipline_VERSION_amd64.deb (docs/DEPLOYMENT.md).
deb: server
	cd $(BUILD) && cpack -G DEB

# Installs the package in a throwaway Debian root, serves, backs up, purges.
# Not part of `make test`: the first run downloads a minimal bookworm root.
test-deb: deb
	@scripts/install-deps.sh --package
	tests/package/test-deb.sh $(BUILD)

# Boots a throwaway Debian root with systemd (systemd-nspawn, as root), installs
# the package in it and runs the units for real: notify, watchdog restart,
# clean stop, sandbox score, email worker, backup timer, purge. Not part of
# `make test`; about 3 minutes, ended after 15.
test-systemd: deb
	@scripts/install-deps.sh --package
	timeout 900 tests/package/test-systemd.sh $(BUILD)

# The Quick start on a bare bookworm root (debootstrap, as root): the README's
# commands, from a copy of this checkout's committed files. Not part of `make test`.
test-fresh:
	tests/package/test-fresh.sh

# ThreadSanitizer: what `make test` runs (unit tests and black-box suite on
# SQLite, the black-box suite again on a throwaway PostgreSQL cluster) on a
# -fsanitize=thread build; fails on any report (docs/RELIABILITY.md).
# The fuzz corpus replays are not run (one thread each), so not built either.
tsan: test-deps
	cmake -S . -B $(TSAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSHIPLINE_TSAN=ON
	cmake --build $(TSAN_BUILD) -j$(JOBS) --target shipline shipline_unit_tests
	scripts/test-all.sh $(TSAN_BUILD) $(JOBS) tsan

# Every libFuzzer target of fuzz/ for FUZZ_SECONDS each (not part of `make test`,
# which replays the corpora); FUZZ_MERGE=1 keeps new inputs in fuzz/corpus/.
fuzz: build
	@scripts/install-deps.sh --fuzz
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh $(BUILD) $(FUZZ_BUILD)

# The fault loop: SOAK_KILLS SIGKILLs under completion load on SQLite, then on
# two PostgreSQL nodes with PostgreSQL itself stopped too (docs/RELIABILITY.md).
soak: test-deps build
	SOAK_KILLS=$(SOAK_KILLS) scripts/soak.sh $(BUILD)

bench: build
	bench/run.sh

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD)
