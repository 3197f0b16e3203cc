"""The pipeline guide's commands, typed as docs/guides/run-in-a-pipeline.md writes them
(read from its blocks), run by bash on a stack named `prod` with credentials and the region
in the environment, as a CI job has them; and the GitHub Actions workflow of
examples/github-actions, which must parse and run only commands the guide documents."""

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.docblocks import commands, run_by
from tests.engine import PulumiProgram, aws_config
from tests.support import ROOT, SAMPLE, Aws, csv_bytes, user_row

GUIDE = ROOT / "docs" / "guides" / "run-in-a-pipeline.md"
WORKFLOW = ROOT / "examples" / "github-actions" / "import-users.yml"
BLOCKS = [commands(block) for block in run_by("tests/test_engine_pipeline.py")]
PREVIEW, UP, GATE, LATER = BLOCKS
TAKEN = "taken@example.com"


def prod_stack(
    aws: Aws, make_program: Callable[..., PulumiProgram], csv: bytes | None = None
) -> tuple[PulumiProgram, str]:
    """This repository's program as a team deploys it: stack `prod`, the CSV beside it,
    AWS credentials and AWS_REGION from the CI job's environment."""
    pool = aws.pool("customers", AliasAttributes=["email"])
    aws.cognito.admin_create_user(
        UserPoolId=pool, Username="holder", UserAttributes=[{"Name": "email", "Value": TAKEN}]
    )
    program = make_program()
    program.stack = "prod"
    users = program.directory / "users.csv"
    users.write_bytes(csv if csv is not None else SAMPLE.read_bytes())
    program.extra_env.update(
        {"AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "ci", "AWS_SECRET_ACCESS_KEY": "ci"}
    )
    endpoints = {key: value for key, value in aws_config(aws).items() if "endpoints" in key}
    program.init(
        {
            **endpoints,
            "userPoolId": pool,
            "jobName": "pipeline",
            "cloudWatchLogsRoleArn": aws.role(),
            "csvFile": "users.csv",
            "start": "true",
            "wait": "true",
        }
    )
    return program, pool


def typed(program: PulumiProgram, command: str) -> "subprocess.CompletedProcess[str]":
    """One command of the guide, run by bash in the stack's folder, as a CI step runs it."""
    result = subprocess.run(
        ["bash", "-c", command],
        cwd=program.directory,
        env=program.env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    program.log.append(f"$ {command}\n{result.stdout}{result.stderr}")
    program.shown(result.stdout + result.stderr)
    return result


def run_all(program: PulumiProgram, block: list[str]) -> None:
    for command in block:
        result = typed(program, command)
        assert result.returncode == 0, "\n".join(program.log)


@pytest.mark.engine
def test_preview_up_and_the_gate_as_the_guide_types_them(
    aws: Aws, make_program: Callable[..., PulumiProgram]
) -> None:
    program, _pool = prod_stack(aws, make_program)
    run_all(program, PREVIEW)
    run_all(program, UP)
    assert program.outputs()["importedUsers"] == 5
    [gate] = GATE
    assert typed(program, gate).returncode == 0


@pytest.mark.engine
def test_the_gate_fails_the_pipeline_on_a_failed_row_that_up_accepted(
    aws: Aws, make_program: Callable[..., PulumiProgram]
) -> None:
    header = aws.header(aws.pool("for-its-header", AliasAttributes=["email"]))
    rows = [user_row(header, "ann"), user_row(header, "dup", email=TAKEN)]
    program, _pool = prod_stack(aws, make_program, csv_bytes(header, rows))
    run_all(program, UP)  # unset maxFailedUsers: the failed row does not fail `up`
    assert program.outputs()["failedUsers"] == 1
    [gate] = GATE
    assert typed(program, gate).returncode == 1


@pytest.mark.engine
def test_an_import_not_waited_for_is_recorded_by_a_refresh_that_runs_the_program(
    aws: Aws, make_program: Callable[..., PulumiProgram]
) -> None:
    program, pool = prod_stack(aws, make_program)
    *start, refresh = LATER
    run_all(program, start)
    started = program.outputs()
    assert started["status"] in ("Pending", "InProgress") and started.get("outcome") is None
    for _ in range(3):  # time passes in Cognito: each look moves the job on
        aws.describe(pool, started["jobId"])
    run_all(program, [refresh])
    ended: dict[str, Any] = program.outputs()
    assert (ended["jobId"], ended["status"], ended["importedUsers"]) == (
        started["jobId"],
        "Succeeded",
        5,
    )
    assert ended["outcome"]["byStatus"] == {"SUCCEEDED": 5}


def steps() -> list[dict[str, Any]]:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_the_workflow_parses_into_a_preview_job_and_an_up_job() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert set(triggers) == {"pull_request", "push"}
    assert workflow["permissions"]["id-token"] == "write"
    preview, up = workflow["jobs"]["preview"], workflow["jobs"]["up"]
    assert "pull_request" in preview["if"] and "push" in up["if"]
    assert [step["run"] for step in preview["steps"] if "run" in step][-1] == PREVIEW[-1]
    assert UP[0] in [step.get("run") for step in up["steps"]]


def test_every_command_of_the_workflow_is_one_the_guide_documents() -> None:
    documented = {command for block in BLOCKS for command in block}
    run = [step["run"].strip() for step in steps() if "run" in step]
    assert run and all(command in documented for command in run), set(run) - documented
    used = {step["uses"].split("@")[0] for step in steps() if "uses" in step}
    assert used == {
        "actions/checkout",
        "actions/setup-python",
        "pulumi/actions",
        "aws-actions/configure-aws-credentials",
    }
    assert "configure-aws-credentials" in GUIDE.read_text()


def test_the_guide_links_the_workflow() -> None:
    assert "examples/github-actions/import-users.yml" in GUIDE.read_text()
    assert Path(WORKFLOW).is_file()
