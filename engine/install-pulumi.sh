#!/usr/bin/env bash
# Provide a Pulumi CLI, its Python language host and the dynamic-provider plugin in $1/bin,
# plus the YAML language host (YAML programs using the cognito-user-import plugin) and
# pulumi-gensdk (the TypeScript and Go SDK generators of the CLI's own module, engine/cli/gensdk).
#
# Pulumi's installers download release binaries, which this machine can't fetch; the CLI is
# built from Pulumi's Go modules instead (cached: a second run with the same version is a
# no-op). A `pulumi` already on PATH is used when its version is at least the Python SDK's.
# Usage: engine/install-pulumi.sh <tools-dir> <venv-python>
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
dest=$(mkdir -p "$1" && cd "$1" && pwd)
python=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
bin="$dest/bin"
sdk_version=$("$python" -c 'from importlib.metadata import version; print(version("pulumi"))')
mkdir -p "$bin"

version_at_least() { # $1 >= $2, both as x.y.z
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -1)" = "$2" ]
}

link_from_path() {
  local found
  found=$(command -v pulumi 2>/dev/null) || return 1
  case "$found" in "$bin"/*) return 1 ;; esac
  local have
  have=$("$found" version 2>/dev/null | sed 's/^v//') || return 1
  version_at_least "$have" "$sdk_version" || return 1
  local dir
  dir=$(dirname "$found")
  [ -x "$dir/pulumi-language-python" ] || return 1
  echo "install-pulumi: using pulumi $have from $dir"
  for tool in pulumi pulumi-language-python pulumi-language-python-exec pulumi-resource-pulumi-python \
      pulumi-language-nodejs pulumi-language-go; do
    [ -e "$dir/$tool" ] && ln -sf "$dir/$tool" "$bin/$tool"
  done
  echo "path:$found" > "$dest/.installed"
}

build_cli() {
  command -v go >/dev/null || { echo "install-pulumi: no pulumi >= $sdk_version on PATH and no Go to build one" >&2; exit 1; }
  local cli_version
  cli_version=$(cd "$here/cli" && GOTOOLCHAIN=local go list -m -f "{{.Version}}" github.com/pulumi/pulumi/pkg/v3)
  if [ -x "$bin/pulumi" ] && [ "$(cat "$dest/.installed" 2>/dev/null)" = "built:$cli_version" ]; then
    echo "install-pulumi: pulumi $cli_version already built in $bin"
    return 0
  fi
  echo "install-pulumi: building pulumi $cli_version from Go modules (a cold build takes about 5 minutes)"
  local started=$SECONDS
  (
    cd "$here/cli"
    GOTOOLCHAIN=local GOFLAGS=-mod=readonly go build -trimpath \
      -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$cli_version" \
      -o "$bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  )
  # The dynamic-provider plugin and the program runner ship in the SDK module as scripts.
  local sdk_dir
  sdk_dir=$(cd "$here/cli" && GOTOOLCHAIN=local go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)
  install -m 0755 "$sdk_dir/python/dist/pulumi-resource-pulumi-python" "$bin/"
  install -m 0755 "$sdk_dir/python/cmd/pulumi-language-python-exec" "$bin/"
  echo "built:$cli_version" > "$dest/.installed"
  echo "install-pulumi: built pulumi $cli_version in $((SECONDS - started))s"
}

# build_go_tool <module folder under engine/> <package> <binary> [ldflags]: go build, skipped
# when the binary was built from the same sources.
build_go_tool() {
  command -v go >/dev/null || { echo "install-pulumi: Go is needed to build $3" >&2; exit 1; }
  local stamp
  stamp=$(cd "$here/$1" && cat go.mod go.sum $(find . -name '*.go' | sort) | sha256sum | cut -c1-16)
  if [ -x "$bin/$3" ] && [ "$(cat "$dest/.installed-$3" 2>/dev/null)" = "$stamp" ]; then
    return 0
  fi
  echo "install-pulumi: building $3 from Go modules"
  (cd "$here/$1" && GOTOOLCHAIN=local GOFLAGS=-mod=readonly go build -trimpath -ldflags "-s -w ${4:-}" -o "$bin/$3" "$2")
  echo "$stamp" > "$dest/.installed-$3"
}

# The language hosts of Python, Node.js and Go programs: engine/language_host.py (why it is
# ours, there), one shim per language. A pulumi taken from PATH brings Pulumi's own.
write_language_hosts() {
  local runtime
  for runtime in python nodejs go; do
    cat > "$bin/pulumi-language-$runtime" <<SCRIPT
#!/bin/sh
PULUMI_LANGUAGE_PYTHON_EXEC="$bin/pulumi-language-python-exec" PULUMI_GENSDK="$bin/pulumi-gensdk" \\
  exec "$python" "$here/language_host.py" --runtime $runtime "\$@"
SCRIPT
    chmod 0755 "$bin/pulumi-language-$runtime"
  done
}

link_from_path || { build_cli && write_language_hosts; }
yaml_version=$(cd "$here/yaml" && GOTOOLCHAIN=local go list -m -f "{{.Version}}" github.com/pulumi/pulumi-yaml)
build_go_tool yaml github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml pulumi-language-yaml \
  "-X github.com/pulumi/pulumi-yaml/pkg/version.Version=$yaml_version"
build_go_tool cli ./gensdk pulumi-gensdk
"$bin/pulumi" version
