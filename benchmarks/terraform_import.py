"""A 10,000-user import through Terraform, through Pulumi and by a raw boto3 script, side by
side against one localaws: what the Terraform provider's translation layer (a Go provider
starting the plugin and calling it over gRPC) costs.

Terraform: `terraform plan`, then `terraform apply` (the provider built by `make terraform`).
Pulumi: `pulumi preview`, then `pulumi up` of this repository's program (file backend).
The raw script: CreateUserImportJob, PUT, Start, DescribeUserImportJob every second.
Each run imports into a fresh pool; one untimed run of each side first (the plugin's
virtualenv, the CLIs' caches); runs alternate. Prints medians of plan, apply and both, and
the ratios.

    .venv/bin/python benchmarks/terraform_import.py [--users 10000] [--runs 3]
"""

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.provider_create import raw_script
from tests.engine import PulumiProgram, aws_config
from tests.support import ROOT, Aws, LocalAwsProcess, csv_bytes, user_row
from tests.terraform import TOOLS, Workspace, job_block, provider_block

Side = Callable[[Aws, str, str, Path, Path], tuple[float, float]]


def timed(step: Callable[[], object]) -> float:
    began = time.perf_counter()
    step()
    return time.perf_counter() - began


def terraform(aws: Aws, pool: str, role: str, csv: Path, folder: Path) -> tuple[float, float]:
    workspace = Workspace(folder, TOOLS / "terraformrc")
    shutil.copy(csv, folder / "users.csv")
    workspace.write(
        provider_block(aws),
        job_block(
            user_pool_id=pool,
            job_name="bench",
            cloud_watch_logs_role_arn=role,
            csv_file="users.csv",
            start=True,
            wait=True,
        ),
    )
    plan = timed(lambda: workspace.run("plan", "-input=false", "-out=plan"))
    apply = timed(lambda: workspace.run("apply", "-input=false", "plan"))
    resource = workspace.resource("cognitouserimport_job.users")
    assert resource is not None and resource["status"] == "Succeeded"
    return plan, apply


def pulumi(aws: Aws, pool: str, role: str, csv: Path, folder: Path) -> tuple[float, float]:
    files = ("Pulumi.yaml", "__main__.py")
    program = PulumiProgram.copy_of(ROOT, folder / "program", folder / "state", files)
    shutil.copy(csv, program.directory / "users.csv")
    program.init(
        {**aws_config(aws), "userPoolId": pool, "jobName": "bench",
         "cloudWatchLogsRoleArn": role, "csvFile": "users.csv", "start": "true", "wait": "true"},
        secrets={"aws:secretKey": "testing"},
    )  # fmt: skip
    plan = timed(lambda: program.run("preview"))
    apply = timed(program.up)
    assert program.outputs()["status"] == "Succeeded"
    return plan, apply


def script(aws: Aws, pool: str, role: str, csv: Path, folder: Path) -> tuple[float, float]:
    return 0.0, timed(lambda: raw_script(aws.cognito, pool, role, csv, "bench"))


SIDES: dict[str, Side] = {"terraform": terraform, "pulumi": pulumi, "raw boto3 script": script}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    server = LocalAwsProcess()
    plans: dict[str, list[float]] = {name: [] for name in SIDES}
    applies: dict[str, list[float]] = {name: [] for name in SIDES}
    try:
        aws = Aws(server.endpoint)
        aws.control("settings", {"polls_in_progress": 1})
        role = aws.role()
        with tempfile.TemporaryDirectory() as scratch:
            for run in range(args.runs + 1):  # run 0 warms every side, untimed
                for name, side in SIDES.items():
                    pool = aws.pool(f"bench{run}{name[0]}")
                    header = aws.header(pool)
                    csv = Path(scratch) / f"{pool}.csv"
                    rows = [user_row(header, f"u{i}") for i in range(args.users)]
                    csv.write_bytes(csv_bytes(header, rows))
                    folder = Path(scratch) / f"{name[0]}{run}"
                    folder.mkdir()
                    plan, apply = side(aws, pool, role, csv, folder)
                    if run:
                        plans[name].append(plan)
                        applies[name].append(apply)
    finally:
        server.stop()
    print(f"a {args.users:,}-user import, median of {args.runs} alternating runs (seconds)")
    print(f"  {'side':<18} {'plan':>6} {'apply':>6} {'both':>6}")
    both = {}
    for name in SIDES:
        plan, apply = statistics.median(plans[name]), statistics.median(applies[name])
        totals = [p + a for p, a in zip(plans[name], applies[name], strict=True)]
        both[name] = statistics.median(totals)
        print(f"  {name:<18} {plan:6.2f} {apply:6.2f} {both[name]:6.2f}")
    print(f"  terraform / pulumi: {both['terraform'] / both['pulumi']:.2f}x")
    print(f"  terraform / raw script: {both['terraform'] / both['raw boto3 script']:.2f}x")
    print(f"  pulumi / raw script: {both['pulumi'] / both['raw boto3 script']:.2f}x")


if __name__ == "__main__":
    main()
