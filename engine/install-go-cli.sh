#!/usr/bin/env bash
# A command-line tool built from its Go module into <dest>/bin/<binary>: OpenTofu, and
# Terraform where the machine's image has none (no release download reaches this machine).
# Their go.mod files have replace directives, which `go install pkg@version` refuses: the
# module is downloaded, copied and built as the main module. Cached: the same version is a no-op.
# Usage: engine/install-go-cli.sh <module> <version> <package dir> <binary> <dest>
set -euo pipefail
module=$1 version=$2 package=$3 binary=$4
dest=$(mkdir -p "$5/bin" && cd "$5" && pwd)
if [ -x "$dest/bin/$binary" ] && [ "$(cat "$dest/.installed-$binary" 2>/dev/null)" = "$module@$version" ]; then
  exit 0
fi
command -v go >/dev/null || { echo "install-go-cli: Go is needed to build $binary" >&2; exit 1; }
echo "install-go-cli: building $binary ($module $version) from Go modules (a cold build takes minutes)"
started=$SECONDS
source_dir=$(GOTOOLCHAIN=local GOFLAGS=-mod=mod go mod download -json "$module@$version" |
  sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
[ -d "$source_dir" ] || { echo "install-go-cli: the module proxy did not give $module $version" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$source_dir/." "$work" && chmod -R u+w "$work"
(cd "$work" && GOTOOLCHAIN=local go build -trimpath -ldflags "-s -w" -o "$dest/bin/$binary" "$package")
echo "$module@$version" > "$dest/.installed-$binary"
echo "install-go-cli: built $binary in $((SECONDS - started))s"
