"""The exit-code contract, through the real CLI: each row of the table in
docs/guides/run-in-a-pipeline.md#exit-codes is run here as a pipeline would meet it, and
the exit code, Cognito's job status and the stack's outputs are held to that row. The
table is read from the page, so the page and the tests cannot disagree."""

import os
import re
import signal
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.engine import PulumiProgram, aws_config
from tests.support import ROOT, Aws, csv_bytes, user_row, wait_for
from tests.test_engine_resume import running, stopped
from tests.test_import_as_code import jobs_of

pytestmark = pytest.mark.engine

GUIDE = ROOT / "docs" / "guides" / "run-in-a-pipeline.md"
USERS = ["ada", "alan", "grace", "edsger", "barbara"]
TAKEN = "taken@example.com"


@dataclass(frozen=True)
class Row:
    happened: str
    job_status: str
    exit_code: int
    outputs: dict[str, Any] | None  # None: unchanged


def rows() -> list[Row]:
    table = GUIDE.read_text().split("## Exit codes", 1)[1].split("\n\n", 2)[2]
    found = []
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) != 4 or not cells[2].isdigit():
            continue
        happened, status, code, outputs = cells
        expected = None
        if outputs != "unchanged":
            pairs = (pair.split(" ", 1) for pair in outputs.split(", "))
            expected = {key: int(value) if value.isdigit() else value for key, value in pairs}
        found.append(Row(happened, status, int(code), expected))
    return found


ROWS = {row.happened: row for row in rows()}


def test_the_table_has_every_case_the_contract_names() -> None:
    assert set(ROWS) == {
        "every row imported", "some rows failed", "more rows failed than maxFailedUsers",
        "some rows skipped", "every row skipped", "the job failed", "the wait timed out",
        "the run was cancelled",
    }  # fmt: skip


def pipeline_stack(
    aws: Aws, make_program: Callable[..., PulumiProgram], rows: list[dict[str, str]], **config: str
) -> tuple[PulumiProgram, str]:
    """The repository's program in a fresh stack, importing `rows` into a pool where users
    sign in by email and `holder` already has TAKEN; credentials and the region come from
    the environment, as a CI job's do."""
    pool = aws.pool("customers", AliasAttributes=["email"])
    aws.cognito.admin_create_user(
        UserPoolId=pool, Username="holder", UserAttributes=[{"Name": "email", "Value": TAKEN}]
    )
    program = make_program()
    header = aws.header(pool)
    (program.directory / "users.csv").write_bytes(csv_bytes(header, rows))
    program.extra_env.update(
        {"AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "t"}
    )
    endpoints = {key: value for key, value in aws_config(aws).items() if "endpoints" in key}
    program.init(
        {
            **endpoints,
            "userPoolId": pool,
            "jobName": "pipeline",
            "cloudWatchLogsRoleArn": config.pop("role", "") or aws.role(),
            "csvFile": "users.csv",
            "start": "true",
            "wait": "true",
            **config,
        }
    )
    return program, pool


def rows_for(aws: Aws, taken: int = 0) -> list[dict[str, str]]:
    header = aws.header(aws.pool("for-its-header", AliasAttributes=["email"]))
    return [
        user_row(header, name, email=TAKEN if i < taken else f"{name}@example.com")
        for i, name in enumerate(USERS)
    ]


def up(program: PulumiProgram) -> int:
    return program.up(check=False).returncode


def run_case(
    happened: str, aws: Aws, make_program: Callable[..., PulumiProgram]
) -> tuple[int, PulumiProgram, str]:
    """Meet the case as a pipeline would: the exit code of `pulumi up`, the stack, the pool."""
    if happened == "every row imported":
        program, pool = pipeline_stack(aws, make_program, rows_for(aws))
        return up(program), program, pool
    if happened == "some rows failed":
        program, pool = pipeline_stack(aws, make_program, rows_for(aws, taken=1))
        return up(program), program, pool
    if happened == "more rows failed than maxFailedUsers":
        program, pool = pipeline_stack(
            aws, make_program, rows_for(aws, taken=1), maxFailedUsers="0"
        )
        return up(program), program, pool
    if happened == "some rows skipped":
        program, pool = pipeline_stack(aws, make_program, rows_for(aws))
        aws.cognito.admin_create_user(UserPoolId=pool, Username=USERS[0])
        return up(program), program, pool
    if happened == "every row skipped":
        program, pool = pipeline_stack(aws, make_program, rows_for(aws))
        for name in USERS:
            aws.cognito.admin_create_user(UserPoolId=pool, Username=name)
        return up(program), program, pool
    if happened == "the job failed":
        trusts_nobody = aws.role("trusts-nobody", trust={"Version": "2012-10-17", "Statement": []})
        program, pool = pipeline_stack(aws, make_program, rows_for(aws), role=trusts_nobody)
        return up(program), program, pool
    if happened == "the wait timed out":
        program, pool = pipeline_stack(aws, make_program, rows_for(aws), waitTimeoutSeconds="2")
        aws.control("settings", {"polls_in_progress": 1000})
        return up(program), program, pool
    if happened == "the run was cancelled":
        program, pool = pipeline_stack(aws, make_program, rows_for(aws))
        aws.control("settings", {"polls_in_progress": 1000})
        update = program.start("up", "--yes", "--skip-preview")
        wait_for(lambda: running(aws, pool), timeout=60)
        os.killpg(update.pid, signal.SIGINT)  # what a cancelled CI job sends: twice
        wait_for(lambda: "^C received; cancelling" in update.output, timeout=60)
        os.killpg(update.pid, signal.SIGINT)
        stopped(program, update)
        assert update.returncode is not None
        return update.returncode, program, pool
    raise AssertionError(f"no way to run {happened!r}: add it here")


@pytest.mark.parametrize("happened", list(ROWS))
def test_up_exits_as_the_table_says(
    aws: Aws, make_program: Callable[..., PulumiProgram], happened: str
) -> None:
    row = ROWS[happened]
    code, program, pool = run_case(happened, aws, make_program)
    assert code == row.exit_code, "\n".join(program.log)
    [job] = jobs_of(aws, pool)
    assert job["Status"] == row.job_status
    outputs = program.outputs()
    if row.outputs is None:
        assert outputs == {}, outputs  # a first up that failed recorded nothing
    else:
        assert outputs is not None
        assert {key: outputs[key] for key in row.outputs} == row.outputs


def test_a_failed_up_leaves_the_outputs_of_the_last_successful_one(
    aws: Aws, make_program: Callable[..., PulumiProgram]
) -> None:
    """ "unchanged" as the table means it: an import that fails after one that succeeded."""
    program, pool = pipeline_stack(aws, make_program, rows_for(aws))
    program.up()
    before = program.outputs()
    header = aws.header(pool)
    more = [user_row(header, "tim", email=TAKEN)]
    (program.directory / "users.csv").write_bytes(csv_bytes(header, more))
    program.run("config", "set", "maxFailedUsers", "0")
    failed = program.up(check=False)
    assert failed.returncode == 1
    assert re.search(r"1 rows failed, more than max_failed_users \(0\)", failed.stdout)
    assert program.outputs() == before
