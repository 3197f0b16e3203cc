"""Each measurement in a fresh interpreter, so its time and peak memory are its own."""

import json
import subprocess
import sys


def measured(*argv: str) -> dict[str, float]:
    """Run `python <argv>`, which prints one JSON object of figures; return it."""
    output = subprocess.run(
        [sys.executable, *argv], check=True, capture_output=True, text=True
    ).stdout
    return dict(json.loads(output))
