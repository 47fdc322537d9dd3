# The two commands of the README. Both install missing Debian packages first.
#   make run    build kpilint and lint the example workspaces (the main job)
#   make test   build and run every test (Catch2 through CTest)
BUILD ?= build
JOBS ?= $(shell nproc)
DEBIAN_PACKAGES = cmake g++ make pkg-config git python3 tao-pegtl-dev libfmt-dev librange-v3-dev catch2 \
                  nlohmann-json3-dev libtomlplusplus-dev libcli11-dev libabsl-dev
# The real tools on the other side of the integrations, for the tests.
TEST_PACKAGES = pre-commit neovim graphviz chromium
NPM_TEST_DIRS = tests/lsp/node tests/e2e/sarif

.PHONY: deps test-deps build run test test-sanitize clean

# Installs whichever of the given Debian packages are missing.
define apt_install_missing
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing missing Debian packages:" $$missing; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

deps:
	$(call apt_install_missing,$(DEBIAN_PACKAGES))

test-deps: deps
	$(call apt_install_missing,$(TEST_PACKAGES))
	@command -v npm >/dev/null || $(MAKE) --no-print-directory npm-from-debian
	@for dir in $(NPM_TEST_DIRS); do \
	  if [ -f $$dir/package-lock.json ]; then (cd $$dir && npm ci --no-audit --no-fund --loglevel=error) || exit 1; fi; \
	done

npm-from-debian:
	$(call apt_install_missing,nodejs npm)

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j $(JOBS)

run: build
	./$(BUILD)/kpilint check examples/aligned
	-./$(BUILD)/kpilint check examples/mistakes

# The tests build the same Release configuration `make run` ships, so a
# warning that only optimisation brings out (-Werror) fails here first.
test: test-deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j $(JOBS)
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-sanitize: test-deps
	cmake -S . -B $(BUILD)-asan -DCMAKE_BUILD_TYPE=Debug -DKPILINT_SANITIZE=ON
	cmake --build $(BUILD)-asan -j $(JOBS)
	cd $(BUILD)-asan && ctest --output-on-failure -j $(JOBS)

clean:
	rm -rf $(BUILD) $(BUILD)-asan
