"""Validation throughput and memory: scan() against a bare csv.reader pass, same 100 MB file
(and, for reference, scan() judging every row by the row-by-row rules alone), and scan()
against the rules of a pool as DescribeUserPool describes a typical one: every standard
attribute's constraints, usernames compared ignoring case, email an alias (a second column
of keys, and the bytes lowered).

Each measurement runs in its own process, so peak RSS (ru_maxrss) belongs to it alone; the
baseline process imports the same modules and reads nothing. Prints MB/s, rows/s, the ratio
of the two times, and each pass's peak memory above the baseline.

    .venv/bin/python benchmarks/csv_validation.py [--mb 100]
"""

import argparse
import csv
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.children import compile_package, measured
from cognito_user_import.csvfile import MAX_ROWS_PER_JOB, PoolRules
from cognito_user_import.csvscan import scan
from cognito_user_import.scancache import scanned
from tests.support import STANDARD_HEADER

HEADER = STANDARD_HEADER
RULES = PoolRules(header=tuple(HEADER), mfa="OFF", auto_verified=("email",))
#: DescribeUserPool's UserPool for a pool created with defaults, case insensitive, email an
#: alias: its SchemaAttributes carry each standard attribute's constraints.
TYPICAL_POOL = {
    "MfaConfiguration": "OFF",
    "AutoVerifiedAttributes": ["email"],
    "AliasAttributes": ["email"],
    "UsernameConfiguration": {"CaseSensitive": False},
    "SchemaAttributes": [
        {"Name": name, "AttributeDataType": "String",
         "StringAttributeConstraints": {"MinLength": "0", "MaxLength": "2048"}}
        for name in HEADER
        if not name.startswith("cognito:") and not name.endswith("_verified")
        and name not in ("birthdate", "updated_at")
    ]
    + [
        {"Name": "birthdate", "AttributeDataType": "String",
         "StringAttributeConstraints": {"MinLength": "10", "MaxLength": "10"}},
        {"Name": "updated_at", "AttributeDataType": "Number",
         "NumberAttributeConstraints": {"MinValue": "0"}},
    ],
}  # fmt: skip
RULES_OF = {
    "scan": RULES,
    "reference": RULES,
    "scanned": RULES,
    "typical pool": PoolRules.from_aws(HEADER, TYPICAL_POOL),
}


def write_file(path: Path, megabytes: int) -> int:
    """A valid import CSV of about `megabytes` MB; one row in 50 has an escaped comma."""
    rows = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(",".join(HEADER) + "\n")
        while out.tell() < megabytes * 1_000_000:
            address = f"{rows} Main St\\, Springfield" if rows % 50 == 0 else ""
            out.write(
                f"User {rows},User,Number{rows},,,,,,,user{rows}@example.com,true,,01/02/1990,"
                f",,+1555{rows % 10_000_000:07d},false,{address},1700000000,false,user{rows}\n"
            )
            rows += 1
    return rows


def measure(kind: str, path: str) -> dict[str, float]:
    started = time.perf_counter()
    if kind == "csv.reader":
        with open(path, encoding="utf-8", newline="") as handle:
            for _ in csv.reader(handle, quoting=csv.QUOTE_NONE, escapechar="\\"):
                pass
    elif kind in ("scan", "reference", "typical pool"):
        result = scan(Path(path), RULES_OF[kind], vectorized=kind != "reference")
        assert result.problem_count == 0, result.summary()
    elif kind == "scanned":  # what each of the checks of `pulumi up --yes` does
        result = scanned(Path(path), RULES, MAX_ROWS_PER_JOB)
        assert result.problem_count == 0, result.summary()
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}


def in_child(kind: str, path: Path) -> dict[str, float]:
    return measured(__file__, "--child", kind, str(path))


def medians(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(*args.child)))
        return
    compile_package()
    kinds = ("csv.reader", "scan", "reference", "typical pool")
    found: dict[str, list[dict[str, float]]] = {kind: [] for kind in kinds}
    ups: list[list[float]] = []
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "users.csv"
        rows = write_file(path, args.mb)
        size_mb = path.stat().st_size / 1_000_000
        baseline = in_child("baseline", path)
        for attempt in range(args.runs):  # alternating: drift of the machine is shared
            for kind in kinds:
                found[kind].append(in_child(kind, path))
            # `pulumi up --yes`: the preview's check, the update's check and create, each in
            # a new provider host, with the deployer's scan cache empty at first.
            os.environ["XDG_CACHE_HOME"] = str(Path(scratch) / f"cache{attempt}")
            ups.append([in_child("scanned", path)["seconds"] for _ in range(3)])
    bare, ours, reference, typical = (medians(found[kind]) for kind in kinds)
    print(f"file: {size_mb:.1f} MB, {rows:,} rows; medians of {args.runs} runs")
    runs = (
        ("csv.reader pass", bare),
        ("scan (validation)", ours),
        ("scan, rows one by one", reference),
        ("scan, typical pool", typical),
    )
    for label, run in runs:
        above = (run["peak_kib"] - baseline["peak_kib"]) / 1024
        print(
            f"{label:<22} {run['seconds']:6.2f} s  {size_mb / run['seconds']:6.1f} MB/s  "
            f"{rows / run['seconds']:>10,.0f} rows/s  peak +{above:6.1f} MiB over baseline"
        )
    print(f"scan / csv.reader time: {ours['seconds'] / bare['seconds']:.2f}x")
    print(f"typical pool / scan time: {typical['seconds'] / ours['seconds']:.2f}x")
    steps = [statistics.median(up[step] for up in ups) for step in range(3)]
    total = statistics.median(sum(up) for up in ups)
    print(
        f"validation work of `pulumi up --yes`: {' + '.join(f'{s:.3f}' for s in steps)} s, "
        f"{total / ours['seconds']:.2f}x one validation"
    )
    print(f"baseline process peak: {baseline['peak_kib'] / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
