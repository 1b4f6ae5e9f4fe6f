# dure — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
BUILD ?= build
DURE_LISTEN ?= 127.0.0.1:8080
DURE_DB ?= sqlite:var/dure.db
export DURE_LISTEN DURE_DB

.PHONY: all build deps test-deps native web run test bench fuzz clean

all: build

deps:
	@scripts/install-deps.sh build

test-deps:
	@scripts/install-deps.sh test

# Builds build/dure and the web UI; starts nothing.
build: deps native web

native:
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@ninja -C $(BUILD)

web:
	@cd web && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; } && npm run --silent build

# Builds, migrates, loads the demo district, prints the logins and serves on $(DURE_LISTEN).
run: build
	@mkdir -p var
	@DURE_DEMO_SHARING_SCALE=full ./$(BUILD)/dure demo --accounts-out var/demo-accounts.json
	@echo
	@echo "  관리자 로그인 / admin login:  $$(node -p 'const a=require("./var/demo-accounts.json")[0]; a.login+"  /  "+a.password')"
	@echo "  모든 데모 계정 / all demo accounts: var/demo-accounts.json"
	@echo "  open http://$(DURE_LISTEN)/"
	@echo
	@exec ./$(BUILD)/dure serve

# Installs what the tests need, builds, and runs every suite.
test: test-deps build
	@cd tests/e2e && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; }
	@scripts/with-postgres.sh scripts/test.sh

bench: build
	@scripts/install-deps.sh bench
	@ninja -C $(BUILD) search_bench eligibility_bench screening_bench sharing_bench giving_bench community_bench
	@./$(BUILD)/search_bench
	@./$(BUILD)/eligibility_bench
	@./$(BUILD)/screening_bench
	@./$(BUILD)/sharing_bench
	@./$(BUILD)/giving_bench
	@./$(BUILD)/community_bench
	@bench/http.sh
	@bench/search_http.sh
	@node bench/login.mjs
	@node bench/signup_flood.mjs

# libFuzzer targets (fuzz/): builds them with clang + ASan/UBSan into build-fuzz/ and runs each for
# FUZZ_SECONDS (default 60) on its seed corpus (fuzz/corpus/<target>).
fuzz:
	@command -v clang++-14 >/dev/null || command -v clang++ >/dev/null || { [ "$$(id -u)" -eq 0 ] && apt-get install -y -qq clang >/dev/null; }
	@$(MAKE) --no-print-directory -C fuzz run

clean:
	rm -rf $(BUILD) build-fuzz web/dist
