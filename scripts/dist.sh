#!/usr/bin/env bash
# `make dist`: build the wheel and the sdist into $1 (default dist/) and check them: the
# metadata renders on a package index (twine check --strict) and each holds the files a user
# needs (scripts/check_dist.py). The tests build with this same script.
# Usage: scripts/dist.sh [out-dir] [python]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-dist}
python=${2:-.venv/bin/python}
rm -rf "$out" build
"$python" -m build --outdir "$out" . >"$out.log" 2>&1 || { cat "$out.log" >&2; exit 1; }
rm -f "$out.log"
rm -rf build
"$python" -m twine check --strict "$out"/*
"$python" scripts/check_dist.py "$out"
