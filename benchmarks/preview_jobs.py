"""`pulumi preview` of 50 import jobs (no CSV) against 50 trivial dynamic resources.

Both through the real CLI on a file backend, the jobs against localaws (preview checks each
job's inputs and that its pool exists). Runs alternate; prints medians and the ratio.

A third program, 50 trivial resources with as many properties as a job declares (its inputs
and outputs, all but one None), shows what the shape alone costs: Pulumi's Python SDK makes
an Output and its futures for every declared property of every resource.

    .venv/bin/python benchmarks/preview_jobs.py [--jobs 50] [--runs 3]
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.children import compile_package, print_medians
from cognito_user_import.fields import DECLARED, Input
from tests.engine import PulumiProgram, aws_config
from tests.support import ROOT, Aws, LocalAwsProcess

#: Every property a UserImportJob declares, the one that holds a value excepted.
JOB_SHAPE = [str(name) for name in dict.fromkeys([*Input, *DECLARED])][1:]

JOBS = """
import pulumi
from cognito_user_import import UserImportJob, UserImportJobArgs

config = pulumi.Config()
for i in range({count}):
    UserImportJob(f"job{{i}}", UserImportJobArgs(user_pool_id=config.require("pool"),
        job_name=f"job {{i}}", cloud_watch_logs_role_arn=config.require("role")))
"""
TRIVIAL = """
from pulumi.dynamic import CreateResult, Resource, ResourceProvider

class Trivial(ResourceProvider):
    def create(self, props):
        return CreateResult("id", props)

class Thing(Resource):
    pass

for i in range({count}):
    Thing(Trivial(), f"thing{{i}}", {{**dict.fromkeys({names}), "value": i}})
"""


def program(directory: Path, name: str, source: str) -> PulumiProgram:
    directory.mkdir()
    (directory / "Pulumi.yaml").write_text(
        f"name: {name}\nruntime:\n  name: python\n  options:\n    virtualenv: {ROOT / '.venv'}\n"
    )
    (directory / "__main__.py").write_text(source)
    return PulumiProgram(directory, directory / "state")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    compile_package()
    server = LocalAwsProcess()
    names = ("import jobs", "trivial resources", "trivial, a job's shape")
    times: dict[str, list[float]] = {name: [] for name in names}
    try:
        aws = Aws(server.endpoint)
        with tempfile.TemporaryDirectory() as scratch:
            jobs = program(Path(scratch) / "jobs", "jobs", JOBS.format(count=args.jobs))
            jobs.init(
                {**aws_config(aws), "pool": aws.pool("bench"), "role": aws.role()},
                secrets={"aws:secretKey": "testing"},
            )
            trivial = program(
                Path(scratch) / "trivial", "trivial", TRIVIAL.format(count=args.jobs, names=[])
            )
            trivial.init({})
            shaped = program(
                Path(scratch) / "shaped", "shaped", TRIVIAL.format(count=args.jobs, names=JOB_SHAPE)
            )
            shaped.init({})
            programs = {"import jobs": jobs, "trivial resources": trivial}
            programs["trivial, a job's shape"] = shaped
            for _ in range(args.runs):
                for name, target in programs.items():
                    began = time.perf_counter()
                    target.run("preview")
                    times[name].append(time.perf_counter() - began)
    finally:
        server.stop()
    print_medians(
        f"pulumi preview of {args.jobs} resources, median of {args.runs} alternating runs", times
    )


if __name__ == "__main__":
    main()
