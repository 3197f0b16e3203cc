"""What the provider adds to Pulumi's dynamic-provider host at every up, refresh and destroy.

The host imports `pulumi.dynamic` and unpickles the provider, which imports its module. Each
run is a fresh interpreter: the baseline imports `pulumi.dynamic, boto3` (what any
boto3-based dynamic provider needs). The provider's module loads botocore at its first AWS
call and never boto3, so the product side imports the module and what that first call
loads (botocore's session and client), for the cost a host pays in full. Runs alternate, so
both see the same machine; prints medians, the ratio, and peak memory.

    .venv/bin/python benchmarks/provider_host.py [--runs 15]
"""

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.children import compile_package, measured

BASELINE = "import pulumi.dynamic, boto3"
PRODUCT = (
    "import pulumi.dynamic, cognito_user_import.provider, botocore.session, botocore.client, "
    "botocore.config"
)
PROBE = """
import resource, time
started = time.perf_counter()
{imports}
print('{{"seconds": %f, "peak_kib": %d}}' % (time.perf_counter() - started,
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
"""


def run(imports: str) -> dict[str, float]:
    return measured("-c", PROBE.format(imports=imports))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    results: dict[str, list[dict[str, float]]] = {BASELINE: [], PRODUCT: []}
    compile_package()
    run(PRODUCT)  # warm the file cache for both
    for _ in range(runs):
        for imports in (BASELINE, PRODUCT):
            results[imports].append(run(imports))
    seconds = {k: statistics.median(r["seconds"] for r in v) for k, v in results.items()}
    memory = {k: statistics.median(r["peak_kib"] for r in v) / 1024 for k, v in results.items()}
    print(f"provider host imports, median of {runs} alternating runs each")
    for imports in (BASELINE, PRODUCT):
        print(f"  {imports:<100} {seconds[imports]:.3f} s  peak {memory[imports]:.1f} MiB")
    print(
        f"  ratio {seconds[PRODUCT] / seconds[BASELINE]:.2f}x, "
        f"{memory[PRODUCT] - memory[BASELINE]:+.1f} MiB"
    )


if __name__ == "__main__":
    main()
