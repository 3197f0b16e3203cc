#!/usr/bin/env bash
# `make dist`: build the wheel and the sdist into $1 (default dist/) and check them: the
# metadata renders on a package index (twine check --strict) and each holds the files a user
# needs (scripts/check_dist.py). The tests build with this same script.
#
# The build runs in a private copy of the sources (the files git tracks or would track):
# setuptools writes its egg-info and release tree into the folder it builds, so two builds
# of one working tree (two test workers, `make dist` beside `make test`) would delete each
# other's files, and a build would pick up whatever else lies in the tree. `python -m build`
# makes the sdist first and the wheel from that sdist, so the wheel proves the sdist whole.
# Usage: scripts/dist.sh [out-dir] [python]
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -ms "${1:-dist}")
python=$(realpath -ms "${2:-.venv/bin/python}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/source"
git ls-files -z --cached --others --exclude-standard \
    | while IFS= read -r -d '' file; do [[ -e $file ]] && printf '%s\0' "$file"; done \
    | xargs -0 cp --parents -t "$work/source"
rm -rf "$out"
mkdir -p "$(dirname "$out")"
(cd "$work/source" && "$python" -m build --outdir "$out" .) >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 1; }
"$python" -m twine check --strict "$out"/*
"$python" scripts/check_dist.py "$out"
