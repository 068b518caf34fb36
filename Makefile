# The two commands of the README, and the pieces they are made of.
#   make run    install what is missing, build, serve a demo site on http://127.0.0.1:8080
#   make test   install what is missing, build, run every test (unit, sanitizers, end to end), on
#               SQLite and on a throwaway PostgreSQL (scripts/pgtest) started for the run
BUILD  ?= build
ASAN   ?= build-asan
FUZZ   ?= build-fuzz
REL    ?= build-release
DEMO   ?= gazette-data
LISTEN ?= 127.0.0.1:8080

.PHONY: all build run test unit asan-build asan e2e e2e-pg e2e-pg-run release fuzz bench format clean

all: build

build:
	@scripts/deps
	@test -f $(BUILD)/build.ninja || meson setup $(BUILD) --buildtype=debugoptimized --werror >/dev/null
	@ninja -C $(BUILD)

run: build
	$(BUILD)/gazette --data $(DEMO) demo --listen $(LISTEN)

# One PostgreSQL server serves the whole run. Two jobs at a time: the PostgreSQL end-to-end pass
# (the plain build serves it) starts as soon as the plain build is made and runs beside the unit
# tests, the other builds and the SQLite pass; each pass's output is printed when it ends.
test:
	@scripts/deps test
	@test -f $(BUILD)/build.ninja || meson setup $(BUILD) --buildtype=debugoptimized --werror >/dev/null
	@ninja -C $(BUILD)
	@scripts/pgtest run $(MAKE) --no-print-directory -j2 --output-sync=target e2e-pg-run unit release asan e2e

# The storage tests run twice, the second time on PostgreSQL (suite pg): scripts/pgtest run
# starts a server unless GAZETTE_TEST_PG names one.
unit:
	scripts/pgtest run meson test -C $(BUILD) --print-errorlogs

asan-build:
	@test -f $(ASAN)/build.ninja || meson setup $(ASAN) --buildtype=debug --werror -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
	@ninja -C $(ASAN)

# The unit tests again, under AddressSanitizer and UndefinedBehaviorSanitizer; of the PostgreSQL
# pass (suite pg) the tests that drive the driver's own paths (reconnecting, the watcher, the
# write lock, copy, the writer), to keep make test short.
ASAN_PG = pg storage_pg copy_pg writer_pg session_pg
asan: asan-build
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		scripts/pgtest run sh -c 'meson test -C $(ASAN) --print-errorlogs --no-suite pg && \
		meson test -C $(ASAN) --print-errorlogs $(ASAN_PG)'

# The real server over HTTP and in Chromium; the sanitizer build serves, so leaks fail the run.
# Two test files at a time: each has its own servers (free ports), directories (mktemp) and
# databases, and a seeded site is made once, whichever file asks first.
E2E_JOBS ?= 2
e2e: asan-build release
	GAZETTE_BIN=$(CURDIR)/$(ASAN)/gazette GAZETTE_RELEASE_BUILD=$(CURDIR)/$(REL) \
		node --test --test-concurrency=$(E2E_JOBS) tests/e2e/

# Every end-to-end file again on PostgreSQL (each server and command on a new database of
# scripts/pgtest's server), served by the plain build, but for the tests of the SQLite files
# themselves: database-sqlite.test.js (what sqlite:DIR makes on disk). scale.test.js runs on both;
# its check of SQLite's query plans (GAZETTE_PLAN_LOG, EXPLAIN QUERY PLAN) says it is skipped here.
# install.test.js installs the plain build here (the release build's install is the SQLite pass's),
# so that this pass needs no other build and can start first.
E2E_SQLITE_ONLY = database-sqlite
E2E_PG = $(filter-out $(E2E_SQLITE_ONLY:%=tests/e2e/%.test.js),$(sort $(wildcard tests/e2e/*.test.js)))
# e2e-pg-run is the pass alone, for make test, which has made the plain build first: a target with a
# prerequisite is started after the other goals' first jobs by make -j, this one at once.
e2e-pg: build
	@$(MAKE) --no-print-directory e2e-pg-run
e2e-pg-run:
	GAZETTE_BIN=$(CURDIR)/$(BUILD)/gazette GAZETTE_RELEASE_BUILD=$(CURDIR)/$(BUILD) GAZETTE_E2E_DATABASE=pg \
		scripts/pgtest run node --test --test-concurrency=$(E2E_JOBS) $(E2E_PG)

# What `meson setup --buildtype=release` gives users (-O3), here with warnings as errors so that
# optimizer-only warnings are caught; the end-to-end tests install it into a temporary prefix.
release:
	@test -f $(REL)/build.ninja || meson setup $(REL) --buildtype=release --werror >/dev/null
	@ninja -C $(REL)

# libFuzzer builds (clang); run one with e.g. build-fuzz/tests/fuzz/fuzz_template -max_total_time=600
fuzz:
	@test -f $(FUZZ)/build.ninja || CC=clang meson setup $(FUZZ) --buildtype=debugoptimized --werror -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
	@ninja -C $(FUZZ)

bench: build
	@scripts/deps bench
	@for b in bench/*.sh; do [ -f "$$b" ] && sh "$$b" $(BUILD); done

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN) $(FUZZ) $(REL)
