"""Helpers of the benchmarks: each measurement in a fresh interpreter (so its time and peak
memory are its own), and figures printed side by side."""

import compileall
import json
import statistics
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "components"


def compile_package() -> None:
    """Write the package's byte-code, as a user's first run does, so that no figure counts
    compiling its sources: pip compiled the dependencies at install, but this package is
    installed editable, and a shell with PYTHONDONTWRITEBYTECODE set never writes it."""
    compileall.compile_dir(PACKAGE, quiet=1)


def measured(*argv: str) -> dict[str, float]:
    """Run `python <argv>`, which prints one JSON object of figures; return it."""
    output = subprocess.run(
        [sys.executable, *argv], check=True, capture_output=True, text=True
    ).stdout
    return dict(json.loads(output))


def print_medians(
    title: str, times: dict[str, list[float]], notes: dict[str, str] | None = None
) -> None:
    """Each side's median, and the ratio of the first side to each other (its baselines)."""
    print(title)
    medians = {name: statistics.median(seconds) for name, seconds in times.items()}
    width = max(20, *map(len, medians))
    for name, median in medians.items():
        print(f"  {name:<{width}} {median:.2f} s  {(notes or {}).get(name, '')}".rstrip())
    product, *baselines = medians.values()
    if len(baselines) == 1:
        print(f"  ratio {product / baselines[0]:.2f}x")
        return
    for name, baseline in list(medians.items())[1:]:
        print(f"  ratio against {name}: {product / baseline:.2f}x")
