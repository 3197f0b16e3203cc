"""Reading the outcome of a 500,000-row import against reading the same log stream with a
bare boto3 loop (GetLogEvents pages until the token repeats), on one localaws.

    .venv/bin/python benchmarks/outcome.py [--rows 500000] [--runs 3]
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.children import print_medians
from benchmarks.localaws_import import write_csv
from cognito_user_import.jobs import Job
from cognito_user_import.lifeline import Lifeline
from tests.support import Aws, LocalAwsProcess, import_service, upload


def bare_loop(logs: Any, group: str, stream: str) -> int:
    events, token = 0, None
    while True:
        page = logs.get_log_events(
            logGroupName=group, logStreamName=stream, startFromHead=True,
            **({"nextToken": token} if token else {}),
        )  # fmt: skip
        events += len(page["events"])
        if page["nextForwardToken"] == token:
            return events
        token = page["nextForwardToken"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    server = LocalAwsProcess()
    times: dict[str, list[float]] = {"provider's outcome": [], "bare boto3 loop": []}
    try:
        aws = Aws(server.endpoint)
        pool, role = aws.pool("bench"), aws.role()
        header = aws.header(pool)
        job = aws.job(pool, role, "bench")
        with tempfile.TemporaryDirectory() as scratch:
            path = Path(scratch) / "users.csv"
            write_csv(path, header, args.rows)
            assert upload(job["PreSignedUrl"], path.read_bytes()).status_code == 200
        final = Job.of(aws.run_to_end(pool, job["JobId"]))  # type: ignore[arg-type]
        group, stream = f"/aws/cognito/userpools/{pool}/bench", f"{job['JobId']}/bench"
        service = import_service(aws, Lifeline(), [])
        for _ in range(args.runs):
            began = time.perf_counter()
            outcome = service.outcome(group, [final], [2])
            times["provider's outcome"].append(time.perf_counter() - began)
            assert outcome.lines == args.rows and not outcome.notes
            began = time.perf_counter()
            assert bare_loop(aws.client("logs"), group, stream) == args.rows
            times["bare boto3 loop"].append(time.perf_counter() - began)
    finally:
        server.stop()
    print_medians(
        f"reading the log of a {args.rows:,}-row import, median of {args.runs} runs", times
    )


if __name__ == "__main__":
    main()
