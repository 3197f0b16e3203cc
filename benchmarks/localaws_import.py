"""How long localaws takes to import N rows, and how much memory its server holds.

Prints, for one import of --rows users (default 100,000): the upload and import times, and
the server's resident memory at four points. The figure that matters for "never more than
one copy of the CSV": the transient memory of the import (peak minus what remains after,
which is the users the pool now holds) as a fraction of the file size.

    .venv/bin/python benchmarks/localaws_import.py [--rows 500000]
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.children import measured
from tests.support import SSE, Aws, LocalAwsProcess, user_row


def memory_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/{pid}/status")


def write_csv(path: Path, header: list[str], rows: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(",".join(header) + "\n")
        for number in range(rows):
            row = user_row(header, f"user{number:07d}", given_name=f"Given{number}")
            out.write(",".join(row[column] for column in header) + "\n")


MOTO_BUILDS = """
import gc, time, boto3, moto
from moto.cognitoidp.models import CognitoIdpUser, cognitoidp_backends
with moto.mock_aws():
    client = boto3.client("cognito-idp", region_name="us-east-1")
    pool_id = client.create_user_pool(PoolName="bench")["UserPool"]["Id"]
    pool = cognitoidp_backends["123456789012"]["us-east-1"].user_pools[pool_id]
    if {gc_paused}:
        gc.disable()
    began = time.perf_counter()
    for number in range({rows}):
        name = f"user{{number:07d}}"
        attributes = [{{"Name": "email", "Value": f"{{name}}@example.com"}},
                      {{"Name": "email_verified", "Value": "true"}},
                      {{"Name": "given_name", "Value": f"Given{{number}}"}}]
        pool.users[name] = CognitoIdpUser(pool_id, name, None, "RESET_REQUIRED", attributes)
    print('{{"seconds": %f}}' % (time.perf_counter() - began))
"""


def moto_building_users(rows: int, gc_paused: bool) -> float:
    """The floor: moto's own backend creating the same users, no CSV, HTTP or log. localaws
    pauses the cyclic collector during an import; the floor is printed both ways, so the
    ratio the issue set (against moto as it runs) and the ratio of our own per-row work
    (against moto with the same pause) are both in view."""
    return measured("-c", MOTO_BUILDS.format(rows=rows, gc_paused=gc_paused))["seconds"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    rows = parser.parse_args().rows
    server = LocalAwsProcess()
    try:
        aws = Aws(server.endpoint)
        pool, role = aws.pool("bench"), aws.role()
        header = aws.cognito.get_csv_header(UserPoolId=pool)["CSVHeader"]
        job = aws.job(pool, role, "bench")
        with tempfile.TemporaryDirectory() as scratch:
            path = Path(scratch) / "users.csv"
            write_csv(path, header, rows)
            size_mib = path.stat().st_size / 2**20
            idle = memory_kib(server.pid, "VmRSS")
            began = time.perf_counter()
            with path.open("rb") as body:
                response = requests.put(job["PreSignedUrl"], data=body, headers=SSE, timeout=600)
            response.raise_for_status()
            upload_seconds = time.perf_counter() - began
        after_upload = memory_kib(server.pid, "VmRSS")
        peak_before_import = memory_kib(server.pid, "VmHWM")
        began = time.perf_counter()
        final = aws.run_to_end(pool, job["JobId"])
        import_seconds = time.perf_counter() - began
        after_import = memory_kib(server.pid, "VmRSS")
        peak = memory_kib(server.pid, "VmHWM")
    finally:
        server.stop()
    assert final["Status"] == "Succeeded" and final["ImportedUsers"] == rows, final
    floor = moto_building_users(rows, gc_paused=False)
    paused_floor = moto_building_users(rows, gc_paused=True)
    transient_mib = (peak - after_import) / 1024
    lines = [
        ("rows imported", f"{rows:,}", ""),
        ("csv size", f"{size_mib:.1f} MiB", ""),
        ("upload (HTTP PUT, streamed)", f"{upload_seconds:.2f} s", ""),
        (
            "import (start to Succeeded)",
            f"{import_seconds:.2f} s",
            f"{rows / import_seconds:,.0f} rows/s",
        ),
        (
            "moto building the same users",
            f"{floor:.2f} s",
            f"localaws's import is {import_seconds / floor:.2f}x",
        ),
        (
            "the same, cyclic GC paused",
            f"{paused_floor:.2f} s",
            f"localaws's import is {import_seconds / paused_floor:.2f}x",
        ),
        ("server RSS idle", f"{idle / 1024:.1f} MiB", ""),
        (
            "server RSS after upload",
            f"{after_upload / 1024:.1f} MiB",
            f"peak {peak_before_import / 1024:.1f}",
        ),
        ("server RSS after import", f"{after_import / 1024:.1f} MiB", f"the pool's {rows:,} users"),
        ("server peak RSS", f"{peak / 1024:.1f} MiB", ""),
        (
            "transient import memory",
            f"{transient_mib:.1f} MiB",
            f"{transient_mib / size_mib:.2f} x csv",
        ),
    ]
    for label, value, note in lines:
        print(f"{label:<30}{value:>14}  {note}".rstrip())


if __name__ == "__main__":
    main()
