"""Copying a pool through the real Pulumi CLI against localaws: this repository's program,
configured with `sourceUserPoolId`, copied once, again on a new `copyTrigger`, and resumed
after the CLI is killed in the middle of a split copy."""

from collections.abc import Callable

import pytest

from cognito_user_import.copying import DISABLED, FEDERATED
from tests.engine import PulumiProgram, aws_config
from tests.support import JOB_TYPE, Aws
from tests.test_copy import create_user
from tests.test_engine_resume import killed_at_the_second_part, pending_operations
from tests.test_import_as_code import jobs_of, unmarked

pytestmark = pytest.mark.engine

COPIED = {f"user{i}" for i in range(5)}


def pools(aws: Aws) -> tuple[str, str]:
    """A source with five users to copy, one disabled and one federated; an empty target."""
    source = aws.pool("old")
    for name in sorted(COPIED):
        create_user(aws, source, name, email=f"{name}@example.com", email_verified="true")
    create_user(aws, source, "gone", email="gone@example.com", email_verified="true")
    aws.cognito.admin_disable_user(UserPoolId=source, Username="gone")
    aws.control("federated-user", {"user_pool_id": source, "provider": "Google", "subject": "42"})
    return source, aws.pool("new")


@pytest.fixture
def copy_program(
    aws: Aws, make_program: Callable[..., PulumiProgram]
) -> tuple[PulumiProgram, str, str]:
    source, target = pools(aws)
    program = make_program()
    program.init(
        {
            **aws_config(aws),
            "userPoolId": target,
            "jobName": "copy",
            "cloudWatchLogsRoleArn": aws.role(),
            "sourceUserPoolId": source,
            "start": "true",
            "wait": "true",
        },
        secrets={"aws:secretKey": "testing"},
    )
    return program, source, target


def test_up_copies_a_pool_once_and_again_on_a_new_trigger(
    aws: Aws, copy_program: tuple[PulumiProgram, str, str]
) -> None:
    program, source, target = copy_program
    up = program.up()
    outputs = program.outputs()
    assert (outputs["status"], outputs["importedUsers"]) == ("Succeeded", 5)
    assert outputs["export"] == {
        "sourceUsers": 7,
        "rows": 5,
        "alreadyInTarget": 0,
        "skipped": {DISABLED: 1, FEDERATED: 1},
        "droppedColumns": {},
    }
    assert aws.users(target) == dict.fromkeys(COPIED, "RESET_REQUIRED")
    assert f"copy: read 7 users of {source}; 5 to import" in up.stdout
    state = program.state_files()
    for personal in ("user0", "example.com", "Google_42"):
        assert personal not in state

    program.up("--expect-no-changes")  # a copy runs once

    create_user(aws, source, "late", email="late@example.com", email_verified="true")
    program.run("config", "set", "copyTrigger", "2026-11-26")
    preview = program.run("preview", "--diff")
    assert "copy_trigger" in preview.stdout and "+-" in preview.stdout
    program.up()
    again = program.outputs()
    assert again["export"]["rows"] == 1 and again["export"]["alreadyInTarget"] == 5
    assert aws.users(target) == dict.fromkeys(COPIED | {"late"}, "RESET_REQUIRED")

    program.run("config", "set", "copyTrigger", "again")
    program.up()
    nothing = program.outputs()
    assert (nothing["status"], nothing["importedUsers"], nothing["jobs"]) == ("Succeeded", 0, [])
    job = program.resource(JOB_TYPE)
    assert job is not None and job["id"] == f"{target}/no-job"
    program.run("refresh", "--yes", "--skip-preview")
    program.up("--expect-no-changes")
    program.run("destroy", "--yes", "--skip-preview")
    assert len(jobs_of(aws, target)) == 2


def test_a_split_copy_killed_at_its_second_part_resumes_there(
    aws: Aws, copy_program: tuple[PulumiProgram, str, str]
) -> None:
    program, _source, target = copy_program
    first, second = killed_at_the_second_part(aws, program, target)

    aws.control("settings", {"polls_in_progress": 1})
    program.up()
    outputs = program.outputs()
    assert [job["jobId"] for job in outputs["jobs"][:2]] == [first["JobId"], second["JobId"]]
    assert [(unmarked(j["jobName"]), j["status"]) for j in outputs["jobs"]] == [
        ("copy part 1 of 3", "Succeeded"),
        ("copy part 2 of 3", "Succeeded"),
        ("copy part 3 of 3", "Succeeded"),
    ]
    assert len(jobs_of(aws, target)) == 3
    assert aws.users(target) == dict.fromkeys(COPIED, "RESET_REQUIRED")
    assert pending_operations(program) == []
    program.up("--expect-no-changes")
