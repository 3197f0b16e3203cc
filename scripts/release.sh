#!/usr/bin/env bash
# A release, every step but publishing: `make release-check` runs it here and in CI, and
# .github/workflows/release.yml runs it on a version tag before it publishes.
#
#   scripts/release.sh check [tag]       one version everywhere (and the tag's, when given)
#   scripts/release.sh archives <out>    the plugin archives `pulumi plugin install` reads
#   scripts/release.sh providers <out> [os-arch...]   the Terraform provider's archives
#   scripts/release.sh all <out> [tag]   check, the wheel and sdist (scripts/dist.sh), the
#                                        archives and a SHA256SUMS of everything in <out>
#
# The version is written once, in components/cognito_user_import/_version.py. The plugin
# archive is the plugin folder alone (PulumiPlugin.yaml, __main__.py, requirements.txt): at
# its first use it installs the package at its version from the package index. It is named
# as Pulumi's `github://` plugin source expects (pulumi-resource-<name>-v<version>-<os>-
# <arch>.tar.gz), one per platform Pulumi asks for: the folder is the same on each. The
# Terraform provider's archives are named as the Terraform Registry names them
# (terraform-provider-<type>_<version>_<os>_<arch>.zip, the binary inside with _v<version>);
# a provider so installed runs the plugin Pulumi's plugin cache holds at its version.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
name=cognito-user-import
platforms=(linux-amd64 linux-arm64 darwin-amd64 darwin-arm64) # POSIX only, as the package

version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' components/cognito_user_import/_version.py)
[ -n "$version" ] || { echo "release: no __version__ in _version.py" >&2; exit 1; }

fail() { echo "release: $*" >&2; exit 1; }

check() { # [tag]
  local tag=${1:-}
  [ -z "$tag" ] || [ "$tag" = "v$version" ] || fail "tag $tag is not v$version (_version.py)"
  grep -qx "VERSION = \"$version\"" plugin/__main__.py \
    || fail "plugin/__main__.py serves another version than $version"
  "$python" -c 'import json, sys; sys.exit(json.load(open("schema.json"))["version"] != sys.argv[1])' "$version" \
    || fail "schema.json is not at $version: pulumi package get-schema ./plugin > schema.json"
  grep -q "^## \[$version\] - [0-9]\{4\}-[0-9]\{2\}-[0-9]\{2\}$" CHANGELOG.md \
    || fail "CHANGELOG.md has no dated section for $version"
  grep -qF "cognito_user_import-$version-py3-none-any.whl" README.md \
    || fail "README.md installs another version than $version"
  echo "release: version $version everywhere${tag:+, tag $tag}"
}

archives() { # <out>
  local out=$1 staging
  mkdir -p "$out"
  staging=$(mktemp -d)
  trap 'rm -rf "$staging"' RETURN
  cp plugin/PulumiPlugin.yaml plugin/__main__.py plugin/requirements.txt "$staging/"
  for platform in "${platforms[@]}"; do
    # Reproducible: the same bytes from the same sources (owner, order and times fixed).
    tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$staging" \
      -cf - PulumiPlugin.yaml __main__.py requirements.txt \
      | gzip -n > "$out/pulumi-resource-$name-v$version-$platform.tar.gz"
  done
  echo "release: ${#platforms[@]} plugin archives in $out"
}

providers() { # <out> [os-arch...]: every platform, or those named
  local out=$1 staging platform os arch binary
  shift
  local chosen=("${@:-${platforms[@]}}")
  mkdir -p "$out"
  staging=$(mktemp -d)
  trap 'rm -rf "$staging"' RETURN
  binary=terraform-provider-cognitouserimport_v$version
  for platform in "${chosen[@]}"; do
    os=${platform%-*} arch=${platform#*-}
    (cd terraform && CGO_ENABLED=0 GOOS=$os GOARCH=$arch GOTOOLCHAIN=local GOFLAGS=-mod=readonly \
      go build -trimpath -ldflags "-s -w -buildid= -X main.version=$version" -o "$staging/$platform/$binary" .)
    # Reproducible: one entry, its time and mode fixed.
    "$python" - "$staging/$platform/$binary" \
      "$out/terraform-provider-cognitouserimport_${version}_${os}_${arch}.zip" <<'PY'
import sys, zipfile
from pathlib import Path
source, target = Path(sys.argv[1]), sys.argv[2]
entry = zipfile.ZipInfo(source.name, date_time=(1980, 1, 1, 0, 0, 0))
entry.external_attr, entry.compress_type = 0o755 << 16, zipfile.ZIP_DEFLATED
with zipfile.ZipFile(target, "w") as archive:
    archive.writestr(entry, source.read_bytes())
PY
  done
  echo "release: ${#chosen[@]} Terraform provider archives in $out"
}

case "${1:-}" in
  check) check "${2:-}" ;;
  archives) archives "${2:?usage: release.sh archives <out>}" ;;
  providers) providers "${2:?usage: release.sh providers <out> [os-arch...]}" "${@:3}" ;;
  all)
    out=$(realpath -ms "${2:?usage: release.sh all <out> [tag]}")
    check "${3:-}"
    bash scripts/dist.sh "$out" "$python"
    archives "$out"
    providers "$out"
    (cd "$out" && sha256sum -- * > SHA256SUMS)
    echo "release: ready in $out (not published)"
    ;;
  *) sed -n '2,19p' "$0" >&2; exit 2 ;;
esac
