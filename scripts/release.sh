#!/usr/bin/env bash
# A release, every step but publishing: `make release-check` runs it here and in CI, and
# .github/workflows/release.yml runs it on a version tag before it publishes.
#
#   scripts/release.sh check [tag]       one version everywhere (and the tag's, when given)
#   scripts/release.sh archives <out>    the plugin archives `pulumi plugin install` reads
#   scripts/release.sh all <out> [tag]   check, the wheel and sdist (scripts/dist.sh), the
#                                        archives and a SHA256SUMS of everything in <out>
#
# The version is written once, in components/cognito_user_import/_version.py. The plugin
# archive is the plugin folder alone (PulumiPlugin.yaml, __main__.py, requirements.txt): at
# its first use it installs the package at its version from the package index. It is named
# as Pulumi's `github://` plugin source expects (pulumi-resource-<name>-v<version>-<os>-
# <arch>.tar.gz), one per platform Pulumi asks for: the folder is the same on each.
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

case "${1:-}" in
  check) check "${2:-}" ;;
  archives) archives "${2:?usage: release.sh archives <out>}" ;;
  all)
    out=$(realpath -ms "${2:?usage: release.sh all <out> [tag]}")
    check "${3:-}"
    bash scripts/dist.sh "$out" "$python"
    archives "$out"
    (cd "$out" && sha256sum -- * > SHA256SUMS)
    echo "release: ready in $out (not published)"
    ;;
  *) sed -n '2,14p' "$0" >&2; exit 2 ;;
esac
