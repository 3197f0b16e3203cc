#!/usr/bin/env bash
# Build the Terraform and OpenTofu provider `cognitouserimport` in $1/bin, and write $1/terraformrc,
# the CLI configuration that installs it (dev_overrides: no registry is needed). Use it with
#   export TF_CLI_CONFIG_FILE=$1/terraformrc
# The provider runs the plugin folder of the repository it is built from (plugin/), which
# makes its virtualenv at the first use, as Pulumi does. Skipped when the sources are unchanged.
# Usage: terraform/build.sh <dest>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repository=$(dirname "$here")
dest=$(mkdir -p "$1/bin" && cd "$1" && pwd)
command -v go >/dev/null || { echo "terraform/build.sh: Go is needed to build the provider" >&2; exit 1; }
version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$repository/components/cognito_user_import/_version.py")
stamp=$(cd "$here" && cat go.mod go.sum $(find . -name '*.go' | sort) | sha256sum | cut -c1-16)
stamp="$stamp $version $repository"
binary="$dest/bin/terraform-provider-cognitouserimport"
if [ ! -x "$binary" ] || [ "$(cat "$dest/.built" 2>/dev/null)" != "$stamp" ]; then
  echo "terraform/build.sh: building terraform-provider-cognitouserimport $version"
  (cd "$here" && GOTOOLCHAIN=local GOFLAGS=-mod=readonly go build -trimpath \
    -ldflags "-s -w -X main.version=$version -X main.pluginFolder=$repository/plugin" -o "$binary" .)
  echo "$stamp" > "$dest/.built"
fi
cat > "$dest/terraformrc" <<RC
# Written by terraform/build.sh: Terraform and OpenTofu take cognitouserimport from here.
provider_installation {
  dev_overrides {
    "cognito-user-import/cognitouserimport" = "$dest/bin"
  }
  direct {}
}
RC
echo "terraform/build.sh: export TF_CLI_CONFIG_FILE=$dest/terraformrc"
