#!/usr/bin/env bash
# Run a command N times in a row with both cores kept busy by CPU burners (one per core),
# stopping at the first failure. Prints each run's time. Usage: scripts/loaded.sh N command...
set -euo pipefail
runs=$1
shift
burners=()
for _ in $(seq "$(nproc)"); do
  python3 -c 'while True: pass' &
  burners+=($!)
done
trap 'kill "${burners[@]}" 2>/dev/null' EXIT
for run in $(seq "$runs"); do
  started=$SECONDS
  "$@"
  echo "loaded run $run of $runs passed in $((SECONDS - started)) s"
done
