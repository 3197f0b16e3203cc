"""The export of a copy against a bare boto3 ListUsers loop over the same pool.

The pool is filled with 100,000 users by one localaws import job. The export reads every user
(ListUsers, 60 a page), renders each into the target's header, checks it against the target's
rules, sorts and writes the file; the baseline only pages through ListUsers. Runs alternate;
prints medians and the ratio, and the export's own work apart from the reading (the same
users rendered from memory), which is what the product adds to the reading.

    .venv/bin/python benchmarks/copy_export.py [--users 100000] [--runs 3]
"""

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.children import print_medians
from cognito_user_import.aws import cognito_client
from cognito_user_import.calls import Cognito
from cognito_user_import.copying import TargetUsers, export
from cognito_user_import.csvfile import PoolRules
from cognito_user_import.settings import AwsSettings
from tests.support import Aws, LocalAwsProcess, csv_bytes, stack_config, upload, user_row


def fill(aws: Aws, pool: str, users: int) -> None:
    header = aws.header(pool)
    rows = (user_row(header, f"user{index:07d}") for index in range(users))
    job = aws.job(pool, aws.role())
    assert upload(job["PreSignedUrl"], csv_bytes(header, rows)).status_code == 200
    assert aws.run_to_end(pool, job["JobId"])["ImportedUsers"] == users


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    server = LocalAwsProcess()
    times: dict[str, list[float]] = {"export": [], "ListUsers loop": []}
    own: list[float] = []
    try:
        aws = Aws(server.endpoint)
        source, target = aws.pool("source"), aws.pool("target")
        fill(aws, source, args.users)
        settings = AwsSettings.from_stack_config(stack_config(aws.endpoint).get)
        client = cognito_client(settings)
        cognito = Cognito(client, 0.0, settings)
        rules = PoolRules.from_aws(cognito.csv_header(target), cognito.user_pool(target))
        for _ in range(args.runs):
            started = time.perf_counter()
            out = io.StringIO()
            report = export(cognito.users(source), rules, TargetUsers([], None, True), out)
            times["export"].append(time.perf_counter() - started)
            assert report.rows == args.users, report

            started = time.perf_counter()
            read = []
            for page in client.get_paginator("list_users").paginate(
                UserPoolId=source, PaginationConfig={"PageSize": 60}
            ):
                read += page["Users"]
            times["ListUsers loop"].append(time.perf_counter() - started)
            assert len(read) == args.users

            started = time.perf_counter()
            export(read, rules, TargetUsers([], None, True), io.StringIO())
            own.append(time.perf_counter() - started)
    finally:
        server.stop()
    print_medians(f"Export of {args.users:,} users for a copy (localaws)", times)
    print(f"  the export's own work (rendering, rules, sort, file): {statistics.median(own):.2f} s")


if __name__ == "__main__":
    main()
