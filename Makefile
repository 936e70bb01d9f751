# Fleet Portal. Every target runs through scripts/toolchain.sh, which brings
# Node 22 and Yarn 4 into .tools/ when the machine lacks them.
#
#   make start   install, then run the portal on its embedded defaults
#   make test    install, then type check, lint, prettier, unit and e2e tests
#   make bench   install, then run every benchmark and print its figures

SHELL := /bin/bash
RUN := scripts/toolchain.sh

export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ?= postgresql://postgres@127.0.0.1:5432

.PHONY: install start test bench tsc lint prettier unit e2e clean

install:
	@$(RUN) scripts/install.sh

start: install
	@mkdir -p .data
	$(RUN) scripts/start.sh

test: install
	@scripts/check-postgres.sh
	@scripts/ensure-chromium.sh
	$(RUN) scripts/test.sh

# The pieces of `make test`, for a quicker loop while working.
tsc: install
	$(RUN) yarn tsc
lint: install
	$(RUN) yarn lint
prettier: install
	$(RUN) yarn prettier:check
unit: install
	@scripts/check-postgres.sh
	CI=true $(RUN) yarn test --verbose
e2e: install
	@scripts/ensure-chromium.sh
	$(RUN) yarn test:e2e

bench: install
	@scripts/ensure-chromium.sh
	$(RUN) scripts/bench.sh

clean:
	rm -rf node_modules packages/*/node_modules plugins/*/node_modules test/servers/node_modules dist-types .tools/install.stamp
