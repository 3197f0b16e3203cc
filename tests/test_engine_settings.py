"""AWS settings through the real Pulumi CLI: the region from AWS_REGION alone (as CI
credential actions set it), no region at all, and an explicit aws.Provider given to the
component (examples/another-account), against localaws."""

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.engine import PulumiProgram, aws_config
from tests.support import (
    JOB_TYPE,
    ROOT,
    SAMPLE,
    Aws,
    environment_without_aws,
    standin_aws_plugin,
)
from tests.test_import_as_code import jobs_of

pytestmark = pytest.mark.engine

OTHER_ACCOUNT = "111111111111"


def program_without_a_region(
    aws: Aws, make_program: Callable[..., PulumiProgram], environment: dict[str, str]
) -> tuple[PulumiProgram, str]:
    """The repository's program importing the sample CSV, its stack configured with every
    setting but the region; `environment` is the deployer's."""
    pool = aws.pool("customers")
    program = make_program()
    shutil.copy(SAMPLE, program.directory / "users.csv")
    program.extra_env.update(environment)
    config = {key: value for key, value in aws_config(aws).items() if key != "aws:region"}
    program.init(
        {
            **config,
            "userPoolId": pool,
            "jobName": "settings",
            "cloudWatchLogsRoleArn": aws.role(),
            "csvFile": "users.csv",
            "start": "true",
            "wait": "true",
        },
        secrets={"aws:secretKey": "testing"},
    )
    return program, pool


def test_aws_region_alone_sets_the_region_of_preview_and_up(
    aws: Aws, make_program: Callable[..., PulumiProgram]
) -> None:
    program, pool = program_without_a_region(aws, make_program, {"AWS_REGION": "us-east-1"})
    users = program.directory / "users.csv"
    good = users.read_text()
    users.write_text(good.replace("grace@example.com,true", "grace@example.com,maybe"))
    preview = program.run("preview", check=False)
    # The pool's rules were read: the file is judged, not waved through with a warning.
    assert preview.returncode != 0
    assert "line 4, column email_verified: must be true, false or empty" in preview.stdout
    assert "No AWS region" not in preview.stdout + preview.stderr

    users.write_text(good)
    program.up()
    outputs = program.outputs()
    assert (outputs["status"], outputs["importedUsers"]) == ("Succeeded", 5)
    assert len(jobs_of(aws, pool)) == 1


def test_no_region_anywhere_fails_preview_and_up_before_any_job(
    aws: Aws, make_program: Callable[..., PulumiProgram]
) -> None:
    program, pool = program_without_a_region(aws, make_program, {})
    preview = program.run("preview", check=False)
    assert preview.returncode != 0
    assert "No AWS region for the import job: `pulumi config set aws:region us-east-1`" in (
        preview.stdout
    )
    up = program.up(check=False)
    assert up.returncode != 0 and "No AWS region for the import job" in up.stdout
    assert jobs_of(aws, pool) == []


def test_an_explicit_provider_reaches_the_job_through_the_engine(
    aws: Aws, make_program: Callable[..., PulumiProgram], tmp_path: Path
) -> None:
    """examples/another-account: the provider assumes a role in another account; the pool
    and the logging role exist only there. The stack's own `aws:*` config points elsewhere
    and is not read, as pulumi-aws reads none for an explicit provider."""
    there = aws.in_account(OTHER_ACCOUNT)
    pool, role = there.pool("customers"), there.role()

    example = ROOT / "examples" / "another-account"
    program = make_program(example, "another-account", ("Pulumi.yaml", "__main__.py", "users.csv"))
    plugins = standin_aws_plugin(tmp_path / "plugins")
    program.extra_env.update(
        {
            "PATH": f"{plugins}{os.pathsep}{environment_without_aws()['PATH']}",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
        }
    )
    program.init(
        {
            "aws:region": "eu-west-1",
            "aws:endpoints[0].cognitoidp": "http://127.0.0.1:9",
            "userPoolId": pool,
            "deployRoleArn": f"arn:aws:iam::{OTHER_ACCOUNT}:role/deployer",
            "region": "us-east-1",
            "cloudWatchLogsRoleArn": role,
            "endpoint": aws.endpoint,
        }
    )
    preview = program.run("preview")
    assert "could not check" not in preview.stdout + preview.stderr
    program.up()
    outputs = program.outputs()
    assert (outputs["status"], outputs["importedUsers"]) == ("Succeeded", 5)
    assert [job["JobId"] for job in jobs_of(there, pool)] == [outputs["jobId"]]

    job = program.resource(JOB_TYPE)
    assert job is not None and "ciphertext" in json.dumps(job["outputs"]["aws_settings"])
    program.up("--expect-no-changes")
    program.run("refresh", "--yes", "--skip-preview")  # no program: the settings in state
    refreshed = program.resource(JOB_TYPE)
    assert refreshed is not None and refreshed["outputs"]["status"] == "Succeeded"
    program.run("destroy", "--yes", "--skip-preview")
    assert program.resource(JOB_TYPE) is None
