"""Import as code through the real Pulumi CLI against localaws: the examples and the program."""

import json
import re
import threading
from collections.abc import Callable
from typing import Any

import pytest

from tests.engine import PulumiProgram, aws_config
from tests.support import JOB_TYPE, ROOT, Aws, wait_for
from tests.test_import_as_code import jobs_of, unmarked

pytestmark = pytest.mark.engine

EXAMPLES = ROOT / "examples"
SAMPLE_USERS = {"ada", "alan", "grace", "edsger", "barbara"}


def example(
    make_program: Callable[..., PulumiProgram], aws: Aws, name: str, *files: str
) -> tuple[PulumiProgram, str]:
    pool = aws.pool("customers")
    program = make_program(EXAMPLES / name, name, ("Pulumi.yaml", "__main__.py", *files))
    program.init(
        {**aws_config(aws), "userPoolId": pool, "cloudWatchLogsRoleArn": aws.role()},
        secrets={"aws:secretKey": "testing"},
    )
    return program, pool


def test_the_csv_example_imports_inside_up_and_keeps_the_file_out_of_state(
    aws: Aws, make_program: Callable[..., PulumiProgram]
) -> None:
    program, pool = example(make_program, aws, "csv-as-code", "users.csv")
    up = program.up()
    outputs = program.outputs()
    counters = [outputs[k] for k in ("status", "importedUsers", "skippedUsers", "failedUsers")]
    assert counters == ["Succeeded", 5, 0, 0]
    assert aws.users(pool) == dict.fromkeys(SAMPLE_USERS, "RESET_REQUIRED")
    assert f"{outputs['jobId']}: Succeeded, imported 5, skipped 0, failed 0" in up.stdout

    state = program.state_files()
    job = program.resource(JOB_TYPE)
    assert job is not None
    assert job["inputs"]["csv_file"] == "users.csv"
    assert re.fullmatch(r"[0-9a-f]{64}", job["outputs"]["content_sha256"])
    for personal in ("ada@example.com", "Lovelace", "St James"):
        assert personal not in state

    program.up("--expect-no-changes")

    edited = program.directory / "users.csv"
    edited.write_text(
        edited.read_text()
        + "Tim Berners-Lee,Tim,Berners-Lee,,,,,,,tim@example.com,true,,06/08/1955,,,,,,,false,tim\n"
    )
    preview = program.run("preview", "--diff")
    assert "+-" in preview.stdout and "content_sha256" in preview.stdout
    program.up()
    replaced = program.outputs()
    assert replaced["jobId"] != outputs["jobId"]
    assert (replaced["importedUsers"], replaced["skippedUsers"]) == (1, 5)  # the five exist already


def test_a_bad_csv_fails_preview_with_line_and_column_and_creates_nothing(
    aws: Aws, make_program: Callable[..., PulumiProgram]
) -> None:
    program, pool = example(make_program, aws, "csv-as-code", "users.csv")
    users = program.directory / "users.csv"
    users.write_text(users.read_text().replace("grace@example.com,true", "grace@example.com,maybe"))
    preview = program.run("preview", check=False)
    assert preview.returncode != 0
    expected = "line 4, column email_verified: must be true, false or empty"
    assert f"property csv_file value {{users.csv}} has a problem: {expected}" in preview.stdout
    assert "grace@example.com" not in preview.stdout
    assert program.up(check=False).returncode != 0
    assert aws.cognito.list_user_import_jobs(UserPoolId=pool, MaxResults=10)["UserImportJobs"] == []


def test_users_declared_inline_are_imported_and_kept_secret_in_state(
    aws: Aws, make_program: Callable[..., PulumiProgram]
) -> None:
    program, pool = example(make_program, aws, "users-inline")
    program.up()
    assert program.outputs() == {"status": "Succeeded", "importedUsers": 2}
    assert aws.users(pool) == {"ops-ana": "RESET_REQUIRED", "ops-bo": "RESET_REQUIRED"}
    state = program.state_files()
    assert "ana@example.com" not in state and "ops-ana" not in state
    job = program.resource(JOB_TYPE)
    assert job is not None
    secret = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270"}
    # The users, and their digest (which would let anyone confirm a guessed list).
    for value in (job["inputs"]["users"], job["inputs"]["content_sha256"],
                  job["outputs"]["content_sha256"]):  # fmt: skip
        assert secret.items() <= value.items(), value
    revealed = json.loads(program.run("stack", "export", "--show-secrets").stdout)
    [shown] = [r for r in revealed["deployment"]["resources"] if r["type"] == JOB_TYPE]
    digest = shown["outputs"]["content_sha256"]["plaintext"].strip('"')
    assert re.fullmatch(r"[0-9a-f]{64}", digest) and digest not in state
    program.up("--expect-no-changes")


def test_a_split_import_shows_every_job_and_the_totals(
    aws: Aws, program_with_csv: tuple[PulumiProgram, str]
) -> None:
    program, _ = program_with_csv
    program.run("config", "set", "rowsPerJob", "2")
    program.up()
    outputs = program.outputs()
    assert [(unmarked(j["jobName"]), j["importedUsers"]) for j in outputs["jobs"]] == [
        ("from config part 1 of 3", 2),
        ("from config part 2 of 3", 2),
        ("from config part 3 of 3", 1),
    ]
    assert (outputs["status"], outputs["importedUsers"]) == ("Succeeded", 5)
    destroyed = program.run("destroy", "--yes", "--skip-preview")
    for job in outputs["jobs"]:
        assert f"{job['jobId']}: already Succeeded; jobs cannot be deleted" in destroyed.stdout


def test_a_job_that_ends_failed_fails_up_with_what_to_do(
    aws: Aws, program_with_csv: tuple[PulumiProgram, str]
) -> None:
    program, _pool = program_with_csv
    untrusted = aws.role("trusts-nobody", trust={"Version": "2012-10-17", "Statement": []})
    program.run("config", "set", "cloudWatchLogsRoleArn", untrusted)
    up = program.up(check=False)
    assert up.returncode != 0
    assert "ended Failed: Cognito could not assume the role" in up.stdout
    assert "imported 0, skipped 0, failed 0" in up.stdout
    assert "Jobs stay in Cognito (they cannot be deleted) and are not recorded" in up.stdout
    assert "finds this job and stops here again" in up.stdout
    assert program.resource(JOB_TYPE) is None


def test_an_expired_url_is_replaced_by_a_new_job_during_up(
    aws: Aws, program_with_csv: tuple[PulumiProgram, str]
) -> None:
    program, pool = program_with_csv
    aws.control("faults", {"operation": "CreateUserImportJob", "kind": "expired-url"})
    up = program.up()
    job_id = program.outputs()["jobId"]
    jobs = aws.cognito.list_user_import_jobs(UserPoolId=pool, MaxResults=10)["UserImportJobs"]
    [stale] = [job["JobId"] for job in jobs if job["JobId"] != job_id]
    assert f"{stale}: its upload URL expired before the upload; created {job_id}" in up.stdout
    assert program.outputs()["importedUsers"] == 5


def test_a_job_stopped_while_up_waits_fails_up(
    aws: Aws, program_with_csv: tuple[PulumiProgram, str]
) -> None:
    program, pool = program_with_csv
    aws.control("settings", {"polls_in_progress": 1000})
    cognito = aws.client("cognito-idp")

    def stop_when_running() -> None:
        def running() -> list[str]:
            jobs = cognito.list_user_import_jobs(UserPoolId=pool, MaxResults=1)["UserImportJobs"]
            return [job["JobId"] for job in jobs if job["Status"] == "InProgress"]

        wait_for(running, timeout=60)
        cognito.stop_user_import_job(UserPoolId=pool, JobId=running()[0])

    stopper = threading.Thread(target=stop_when_running)
    stopper.start()
    up = program.up(check=False)
    stopper.join()
    assert up.returncode != 0
    assert "ended Stopped: The Import Job was stopped by the developer." in up.stdout


@pytest.mark.parametrize(
    ("make_bad", "expected"),
    [
        (lambda path: path.write_text(path.read_text().splitlines()[0] + "\n"),
         "property csv_file value {users.csv} has a problem: has no users: a header and no rows"),
        (lambda path: path.write_bytes(path.read_bytes().replace(b"ada@", b"a\rda@")),
         "line 2, column email: holds a carriage return, which would end the row; remove it"),
        (lambda path: (path.unlink(), path.mkdir()),
         "users.csv is a directory; give the path of a CSV file"),
    ],
)  # fmt: skip
def test_what_up_would_reject_or_store_differently_fails_preview_and_creates_nothing(
    aws: Aws, make_program: Callable[..., PulumiProgram], make_bad: Any, expected: str
) -> None:
    program, pool = example(make_program, aws, "csv-as-code", "users.csv")
    make_bad(program.directory / "users.csv")
    preview = program.run("preview", check=False)
    assert preview.returncode != 0 and expected in preview.stdout, preview.stdout
    assert "Traceback" not in preview.stdout + preview.stderr
    assert program.up(check=False).returncode != 0
    assert aws.cognito.list_user_import_jobs(UserPoolId=pool, MaxResults=10)["UserImportJobs"] == []


def test_a_missing_pool_and_a_malformed_config_key_fail_preview_by_name(
    aws: Aws, make_program: Callable[..., PulumiProgram]
) -> None:
    program = make_program()
    program.init(
        {**aws_config(aws), "userPoolId": "us-east-1_gone", "jobName": "no csv",
         "cloudWatchLogsRoleArn": aws.role()},
        secrets={"aws:secretKey": "testing"},
    )  # fmt: skip
    preview = program.run("preview", check=False)
    assert preview.returncode != 0
    assert "user_pool_id 'us-east-1_gone' does not exist in this account and region" in (
        preview.stdout
    )
    program.run("config", "set", "aws:maxRetries", "many")
    preview = program.run("preview", check=False)
    assert "aws:maxRetries must be a whole number, 0 or more (it is 'many')" in preview.stdout


def test_the_outcome_and_the_retry_file_through_the_real_cli(
    aws: Aws, program_with_csv: tuple[PulumiProgram, str]
) -> None:
    program, pool = program_with_csv
    aws.cognito.admin_create_user(UserPoolId=pool, Username="grace")  # line 4 of the sample
    program.run("config", "set", "outcomeFile", "not-imported.csv")
    up = program.up()
    outcome = program.outputs()["outcome"]
    assert outcome["byStatus"] == {"SUCCEEDED": 4, "SKIPPED": 1}
    assert outcome["firstProblems"] == [
        {"line": 4, "status": "SKIPPED", "reason": "The user already exists."}
    ]
    assert "outcome: 1 rows that were not imported written to not-imported.csv" in up.stdout
    retry = (program.directory / "not-imported.csv").read_text().splitlines()
    assert retry[1].split(",")[-1] == "SKIPPED: The user already exists."
    assert ",grace@example.com," in retry[1]
    assert "grace@example.com" not in program.state_files()
    program.up("--expect-no-changes")


def test_starting_an_uploaded_import_later_updates_it_and_never_stops_its_job(
    aws: Aws, program_with_csv: tuple[PulumiProgram, str]
) -> None:
    """`start` flipped with `wait: false`: an update on the same job. (It was a replacement
    that found the same job, whose old resource's delete then stopped it.)"""
    program, pool = program_with_csv
    program.run("config", "set", "start", "false")
    program.run("config", "set", "wait", "false")
    program.up()
    uploaded = program.outputs()
    assert uploaded["status"] == "Created"

    program.run("config", "set", "start", "true")
    preview = program.run("preview", "--diff")
    assert "+-" not in preview.stdout and "~ " in preview.stdout
    program.up()
    started = program.outputs()
    [job] = jobs_of(aws, pool)
    assert started["jobId"] == uploaded["jobId"] == job["JobId"]
    assert job["Status"] in ("Pending", "InProgress")  # started, and not stopped

    program.run("config", "set", "wait", "true")
    program.up()
    waited = program.outputs()
    assert (waited["jobId"], waited["status"], waited["importedUsers"]) == (
        job["JobId"],
        "Succeeded",
        5,
    )
    assert [j["Status"] for j in jobs_of(aws, pool)] == ["Succeeded"]
