"""How soon the provider notices a job's end, and at what cost in DescribeUserImportJob calls,
against polling every second; a 30-minute import timed by localaws's clock.

Both run against the same localaws, whose clock the sleeps advance (no real waiting): the
provider through its import service with its own poll schedule, the baseline as a raw boto3
loop that polls every second. Prints calls and how late each noticed the end.

    .venv/bin/python benchmarks/polling.py [--minutes 30]
"""

import argparse
import sys
import tempfile
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.support import (
    Aws,
    LocalAwsProcess,
    VirtualTime,
    csv_bytes,
    import_service,
    job_inputs,
    upload,
    user_row,
)

TERMINAL = {"Succeeded", "Failed", "Stopped", "Expired"}


def ran_for(started: datetime, completed: datetime) -> float:
    """How long the job ran by localaws's clock: it ends at the poll that sees it end."""
    return float((completed - started).total_seconds())


def provider_watch(aws: Aws, pool: str, role: str, csv: Path) -> tuple[int, float]:
    time = VirtualTime(aws)
    inputs = job_inputs(
        user_pool_id=pool, job_name="provider", cloud_watch_logs_role_arn=role,
        csv_file=str(csv), start=True, wait=True, wait_timeout_seconds=1e6,
    )  # fmt: skip
    [job] = import_service(aws, time, []).create(inputs).jobs
    assert job.started is not None and job.completed is not None
    return len(time.sleeps), ran_for(job.started, job.completed)


def one_second_polling(aws: Aws, pool: str, role: str, csv: Path) -> tuple[int, float]:
    job = aws.job(pool, role, "baseline")
    assert upload(job["PreSignedUrl"], csv.read_bytes()).status_code == 200
    aws.cognito.start_user_import_job(UserPoolId=pool, JobId=job["JobId"])
    calls = 0
    while True:
        aws.control("clock", {"advance": 1.0})
        calls += 1
        described = aws.describe(pool, job["JobId"])
        if described["Status"] in TERMINAL:
            return calls, ran_for(described["StartDate"], described["CompletionDate"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=30)
    seconds = parser.parse_args().minutes * 60
    server = LocalAwsProcess()
    try:
        aws = Aws(server.endpoint)
        aws.control("settings", {"import_seconds": seconds})
        role = aws.role()
        with tempfile.TemporaryDirectory() as directory:
            results = {}
            for name, watch in (("provider", provider_watch), ("1 s polling", one_second_polling)):
                pool = aws.pool(name.replace(" ", "-"))
                header = aws.header(pool)
                csv = Path(directory) / f"{pool}.csv"
                csv.write_bytes(csv_bytes(header, [user_row(header, f"u{i}") for i in range(10)]))
                results[name] = watch(aws, pool, role, csv)
    finally:
        server.stop()
    print(f"a {seconds / 60:g}-minute import (localaws clock), DescribeUserImportJob calls")
    for name, (calls, noticed) in results.items():
        print(f"  {name:<12} {calls:>5} calls, end noticed {noticed - seconds:.1f} s after it")
    ratio = results["provider"][0] / results["1 s polling"][0]
    print(f"  calls ratio {ratio:.2f}x")


if __name__ == "__main__":
    main()
