"""Helpers of the benchmarks: each measurement in a fresh interpreter (so its time and peak
memory are its own), and figures printed side by side."""

import json
import statistics
import subprocess
import sys


def measured(*argv: str) -> dict[str, float]:
    """Run `python <argv>`, which prints one JSON object of figures; return it."""
    output = subprocess.run(
        [sys.executable, *argv], check=True, capture_output=True, text=True
    ).stdout
    return dict(json.loads(output))


def print_medians(
    title: str, times: dict[str, list[float]], notes: dict[str, str] | None = None
) -> None:
    """Each side's median, and the ratio of the first side to the second (the baseline)."""
    print(title)
    medians = {name: statistics.median(seconds) for name, seconds in times.items()}
    for name, median in medians.items():
        print(f"  {name:<20} {median:.2f} s  {(notes or {}).get(name, '')}".rstrip())
    product, baseline = medians.values()
    print(f"  ratio {product / baseline:.2f}x")
