"""The provider's create() of a 10,000-user import against a raw boto3 script, same endpoint.

The raw script is what people write by hand: CreateUserImportJob, PUT the file, Start, then
DescribeUserImportJob every second until the job ends. The provider also validates the file
against the pool (GetCSVHeader, DescribeUserPool) and looks for an earlier attempt's jobs
(ListUserImportJobs) so that an interrupted `pulumi up` can be finished. Runs alternate;
prints medians, the ratio and each side's AWS calls by operation.

    .venv/bin/python benchmarks/provider_create.py [--users 10000] [--runs 5]
"""

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import boto3

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.children import print_medians
from cognito_user_import.aws import cognito_client
from cognito_user_import.settings import AwsSettings
from tests.support import (
    Aws,
    LocalAwsProcess,
    configured,
    csv_bytes,
    stack_config,
    upload,
    user_row,
)

TERMINAL = {"Succeeded", "Failed", "Stopped", "Expired"}


def counting(client: Any, calls: Counter[str]) -> None:
    def count(model: Any, **_: Any) -> None:
        calls[model.name] += 1

    client.meta.events.register("before-call.cognito-idp", count)


def raw_script(client: Any, pool: str, role: str, csv: Path, name: str) -> None:
    job = client.create_user_import_job(UserPoolId=pool, JobName=name, CloudWatchLogsRoleArn=role)
    job = job["UserImportJob"]
    assert upload(job["PreSignedUrl"], csv.read_bytes()).status_code == 200
    client.start_user_import_job(UserPoolId=pool, JobId=job["JobId"])
    while True:
        time.sleep(1.0)
        described = client.describe_user_import_job(UserPoolId=pool, JobId=job["JobId"])
        if described["UserImportJob"]["Status"] in TERMINAL:
            return


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    server = LocalAwsProcess()
    times: dict[str, list[float]] = {"provider create()": [], "raw boto3 script": []}
    calls: dict[str, Counter[str]] = {name: Counter() for name in times}
    counted = Counter[str]()  # calls of the side being timed
    try:
        aws = Aws(server.endpoint)
        role = aws.role()
        provider = configured(aws.endpoint)
        settings = AwsSettings.from_stack_config(stack_config(aws.endpoint).get)
        counting(cognito_client(settings), counted)
        raw = boto3.client(
            "cognito-idp",
            endpoint_url=aws.endpoint,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        counting(raw, counted)
        with tempfile.TemporaryDirectory() as scratch:
            for run in range(args.runs):
                for name, measured in times.items():
                    pool = aws.pool(f"bench{run}{name[0]}")
                    header = aws.header(pool)
                    csv = Path(scratch) / f"{pool}.csv"
                    users = [user_row(header, f"u{i}") for i in range(args.users)]
                    csv.write_bytes(csv_bytes(header, users))
                    props = {"user_pool_id": pool, "job_name": f"run {run}",
                             "cloud_watch_logs_role_arn": role, "csv_file": str(csv),
                             "start": True, "wait": True}  # fmt: skip
                    checked = provider.check({}, props).inputs  # preview: not timed
                    counted.clear()
                    began = time.perf_counter()
                    if name == "raw boto3 script":
                        raw_script(raw, pool, role, csv, f"run {run}")
                    else:
                        provider.create(dict(checked))
                    measured.append(time.perf_counter() - began)
                    calls[name].update(counted)
    finally:
        server.stop()
    per_run = {
        name: f"calls per run: { {op: n // args.runs for op, n in sorted(calls[name].items())} }"
        for name in times
    }
    print_medians(
        f"create of a {args.users:,}-user import, median of {args.runs} alternating runs",
        times,
        per_run,
    )


if __name__ == "__main__":
    main()
