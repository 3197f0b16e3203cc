# The two commands: `make demo` (sets everything up and runs a real `pulumi up` against
# localaws) and `make test` (the whole suite). Both work on a fresh machine.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
TOOLS := .tools/pulumi
TYPESCRIPT := tests/sdks/typescript/node_modules/.package-lock.json
TERRAFORM := .tools/terraform
OPENTOFU_VERSION := v1.12.6
export PATH := $(CURDIR)/$(TOOLS)/bin:$(PATH)
export PULUMI_SKIP_UPDATE_CHECK := true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION := true

.PHONY: setup pulumi terraform test test-loaded lint demo dist release-check bench clean

setup: $(VENV)/.installed pulumi terraform

$(VENV)/.installed: requirements.txt pyproject.toml components/cognito_user_import/_version.py
	python3.11 -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps --editable .
	@# setuptools leaves its build metadata here; at the root it would pass for an installed
	@# package to any pip run from this folder (the editable install keeps its own).
	rm -rf cognito_user_import.egg-info
	touch $@

pulumi: $(VENV)/.installed $(TYPESCRIPT)
	bash engine/install-pulumi.sh $(TOOLS) $(PY)

# The Terraform and OpenTofu provider (terraform/build.sh: the binary and the CLI config that
# installs it, $(TERRAFORM)/terraformrc) and OpenTofu, built from its Go module. Terraform is
# the machine image's: no Terraform release can be downloaded here, and its module no longer
# builds with this Go (docs/development.md#terraform-and-opentofu).
terraform:
	@command -v terraform >/dev/null || { echo "make terraform: no terraform on PATH (the machine image has one)" >&2; exit 1; }
	bash engine/install-go-cli.sh github.com/opentofu/opentofu $(OPENTOFU_VERSION) ./cmd/tofu tofu $(TERRAFORM)
	bash terraform/build.sh $(TERRAFORM)

# TypeScript and @pulumi/pulumi, for the test that type-checks a program against the
# generated SDK.
$(TYPESCRIPT): tests/sdks/typescript/package-lock.json
	npm ci --prefix tests/sdks/typescript --no-audit --no-fund --loglevel=error

lint: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	for program in examples/*/__main__.py examples/localaws-tests/*.py plugin/__main__.py; do $(PY) -m mypy --strict "$$program" || exit 1; done
	@# The Terraform provider's Go: formatted, vetted.
	cd terraform && test -z "$$(gofmt -l .)" || { gofmt -l . >&2; exit 1; }
	cd terraform && GOTOOLCHAIN=local go vet ./...

test: setup lint
	cd terraform && GOTOOLCHAIN=local go test ./...
	$(PY) -m pytest

# The whole suite three times in a row with both cores kept busy by another process: a
# test that depends on the machine's speed (a race, a clock) fails here first.
test-loaded: setup
	bash scripts/loaded.sh 3 $(PY) -m pytest -p no:cacheprovider

demo: setup
	bash demo/run.sh

# The wheel and the sdist, in dist/, checked (scripts/dist.sh); the suite builds its own.
dist: $(VENV)/.installed
	bash scripts/dist.sh dist $(PY)

# A release, every step but publishing (scripts/release.sh): one version everywhere (and
# RELEASE_TAG's, when given), the wheel and sdist, the plugin archives and SHA256SUMS, in
# release/. CI runs it; .github/workflows/release.yml runs it on a tag, then publishes.
release-check: $(VENV)/.installed
	bash scripts/release.sh all release $(RELEASE_TAG)

bench: setup
	$(PY) benchmarks/localaws_import.py
	$(PY) benchmarks/csv_validation.py
	$(PY) benchmarks/provider_host.py
	$(PY) benchmarks/polling.py
	$(PY) benchmarks/provider_create.py
	$(PY) benchmarks/preview_jobs.py
	$(PY) benchmarks/outcome.py
	$(PY) benchmarks/copy_export.py --runs 1
	$(PY) benchmarks/terraform_import.py

clean:
	rm -rf $(VENV) .tools .demo dist release plugin/venv
