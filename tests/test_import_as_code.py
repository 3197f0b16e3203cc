"""Import as code through the provider against localaws: validate, upload, start, wait."""

import hashlib
import json
import re
import threading
from pathlib import Path
from typing import Any

import pytest
from pulumi.runtime import rpc
from pulumi.runtime.rpc import UNKNOWN

from cognito_user_import import UserImportJobProvider
from cognito_user_import.csvfile import Part
from cognito_user_import.provider import ProviderError
from cognito_user_import.transfer import UploadFailed, put_part
from tests.support import (
    GUIDE_SAMPLE,
    Aws,
    csv_bytes,
    outs_of,
    user_row,
    wait_for,
)

POOL_NAME = "customers"


def logging_role(aws: Aws) -> str:
    iam = aws.client("iam")
    try:
        return str(iam.get_role(RoleName="import-logs")["Role"]["Arn"])
    except iam.exceptions.NoSuchEntityException:
        return aws.role("import-logs")


def props(aws: Aws, pool: str, **extra: Any) -> dict[str, Any]:
    return {
        "user_pool_id": pool,
        "job_name": "as code",
        "cloud_watch_logs_role_arn": logging_role(aws),
        "start": True,
        "wait": True,
        **extra,
    }


def csv_file(
    tmp_path: Path, header: list[str], rows: list[dict[str, str]], name: str = "users.csv"
) -> str:
    path = tmp_path / name
    path.write_bytes(csv_bytes(header, rows))
    return str(path)


def checked(provider: UserImportJobProvider, news: dict[str, Any]) -> dict[str, Any]:
    """What the engine does before create: check, fail on its failures, and hand the checked
    inputs on with secrets unwrapped (this provider does not accept secrets)."""
    result = provider.check({}, news)
    assert result.failures == [], [(f.property, f.reason) for f in result.failures]
    return {name: rpc.unwrap_rpc_secret(value) for name, value in result.inputs.items()}


def jobs_of(aws: Aws, pool: str) -> list[dict[str, Any]]:
    """Every import job of the pool, newest first."""
    listed = aws.cognito.list_user_import_jobs(UserPoolId=pool, MaxResults=60)
    return list(listed["UserImportJobs"])


def unmarked(job_name: str) -> str:
    """A job's name without the marker that lets a later attempt find it."""
    name, marker = job_name.rsplit(" @", 1)
    assert re.fullmatch(r"[0-9a-f]{10}", marker), job_name
    return name


def counters(outs: dict[str, Any]) -> tuple[str, int, int, int]:
    return (outs["status"], outs["imported_users"], outs["skipped_users"], outs["failed_users"])


def test_a_csv_is_validated_uploaded_started_and_watched(
    aws: Aws, provider: UserImportJobProvider, pool: str, header: list[str], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    path = csv_file(tmp_path, header, [user_row(header, f"u{i}") for i in range(3)])
    news = checked(provider, props(aws, pool, csv_file=path))
    assert news["content_sha256"] == hashlib.sha256(Path(path).read_bytes()).hexdigest()
    outs = outs_of(provider.create(news))
    assert counters(outs) == ("Succeeded", 3, 0, 0)
    assert outs["completion_message"] == "Import Job Completed Successfully."
    assert outs["csv_file"] == path and outs["content_sha256"] == news["content_sha256"]
    assert [job["jobId"] for job in outs["jobs"]] == [outs["job_id"]]
    assert aws.users(pool) == {
        "u0": "RESET_REQUIRED",
        "u1": "RESET_REQUIRED",
        "u2": "RESET_REQUIRED",
    }
    assert "example.com" not in json.dumps(outs)  # the file's contents never reach state
    said = capsys.readouterr().err
    assert f"{outs['job_id']}: uploaded 3 rows (lines 2-4)" in said
    assert f"{outs['job_id']}: started (3 rows), Pending" in said
    assert f"{outs['job_id']}: Succeeded, imported 3, skipped 0, failed 0" in said


def test_users_declared_inline_are_rendered_with_the_pools_header(
    aws: Aws, provider: UserImportJobProvider, pool: str
) -> None:
    users = [
        {"cognito:username": "ann", "email": "ann@example.com", "email_verified": True,
         "cognito:mfa_enabled": False, "address": "1 Main St, Springfield"},
        {"cognito:username": "ben", "email": "ben@example.com", "email_verified": True,
         "cognito:mfa_enabled": False},
    ]  # fmt: skip
    news = checked(provider, props(aws, pool, users=users))
    outs = outs_of(provider.create(news))
    assert outs["imported_users"] == 2
    assert "users" not in outs and "ann@example.com" not in json.dumps(outs)
    ann = aws.cognito.admin_get_user(UserPoolId=pool, Username="ann")
    assert {"Name": "address", "Value": "1 Main St, Springfield"} in ann["UserAttributes"]


def test_skipped_and_failed_rows_are_counted_and_pointed_to(
    aws: Aws, provider: UserImportJobProvider, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pool = aws.pool(POOL_NAME, AliasAttributes=["email"])
    header = aws.header(pool)
    aws.cognito.admin_create_user(UserPoolId=pool, Username="old")
    aws.cognito.admin_create_user(
        UserPoolId=pool,
        Username="other",
        UserAttributes=[{"Name": "email", "Value": "taken@example.com"}],
    )
    rows = [
        user_row(header, "old"),
        user_row(header, "new", email="taken@example.com"),
        user_row(header, "ok"),
    ]
    outs = outs_of(
        provider.create(
            checked(provider, props(aws, pool, csv_file=csv_file(tmp_path, header, rows)))
        )
    )
    assert counters(outs) == ("Succeeded", 1, 1, 1)
    said = capsys.readouterr().err
    assert "1 skipped and 1 failed lines; CloudWatch Logs lists them by line number" in said
    [job] = outs["jobs"]
    logged = aws.log_messages(pool, POOL_NAME, {"JobId": job["jobId"], "JobName": job["jobName"]})
    assert logged == [
        "[SKIPPED] Line Number 2 - The user already exists.",
        "[FAILED] Line Number 3 - An account with the given email already exists.",
        "[SUCCEEDED] Line Number 4 - The import succeeded.",
    ]


def test_an_import_that_ends_failed_fails_the_update_and_says_what_remains(
    aws: Aws, provider: UserImportJobProvider, tmp_path: Path
) -> None:
    """Cognito fails the job (nobody imported, a row failed): by default `up` fails too."""
    pool = aws.pool(POOL_NAME, AliasAttributes=["email"])
    aws.cognito.admin_create_user(
        UserPoolId=pool, Username="holder", UserAttributes=[{"Name": "email", "Value": "t@x.io"}]
    )
    header = aws.header(pool)
    rows = [user_row(header, "dup", email="t@x.io")]
    news = checked(provider, props(aws, pool, csv_file=csv_file(tmp_path, header, rows)))
    with pytest.raises(ProviderError) as raised:
        provider.create(news)
    message = str(raised.value)
    [job] = jobs_of(aws, pool)
    assert f"{job['JobId']} ended Failed: Too many users have failed or been skipped" in message
    assert "imported 0, skipped 0, failed 1" in message
    assert "stay in Cognito (they cannot be deleted) and are not recorded in the stack's" in message
    assert f"stream {job['JobId']}/{job['JobName']}" in message
    assert "To accept failed rows instead, set max_failed_users" in message
    assert re.fullmatch(r"as code @[0-9a-f]{10}", job["JobName"])

    # Following the advice: the same inputs stop at the same job, a new job_name imports.
    with pytest.raises(ProviderError, match="finds this job and stops here again"):
        provider.create(news)
    assert len(jobs_of(aws, pool)) == 1
    aws.cognito.admin_delete_user(UserPoolId=pool, Username="holder")
    renamed = checked(provider, {**news, "job_name": "as code again"})
    assert counters(outs_of(provider.create(renamed))) == ("Succeeded", 1, 0, 0)
    assert len(jobs_of(aws, pool)) == 2


def test_an_expired_url_gets_a_new_job(
    aws: Aws, provider: UserImportJobProvider, header: list[str], pool: str, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    news = checked(
        provider, props(aws, pool, csv_file=csv_file(tmp_path, header, [user_row(header, "u")]))
    )
    aws.control("faults", {"operation": "CreateUserImportJob", "kind": "expired-url"})
    outs = outs_of(provider.create(news))
    assert outs["status"] == "Succeeded" and outs["imported_users"] == 1
    jobs = aws.cognito.list_user_import_jobs(UserPoolId=pool, MaxResults=10)["UserImportJobs"]
    stale = next(job for job in jobs if job["JobId"] != outs["job_id"])
    assert stale["Status"] == "Created"
    said = capsys.readouterr().err
    assert (
        f"{stale['JobId']}: its upload URL expired before the upload; created {outs['job_id']}"
        in said
    )


def test_a_url_that_expires_twice_fails_and_names_the_job_left_behind(
    aws: Aws, provider: UserImportJobProvider, header: list[str], pool: str, tmp_path: Path
) -> None:
    path = csv_file(tmp_path, header, [user_row(header, "u")])
    news = checked(provider, props(aws, pool, csv_file=path))
    aws.control("faults", {"operation": "CreateUserImportJob", "kind": "expired-url", "count": 2})
    with pytest.raises(ProviderError) as raised:
        provider.create(news)
    jobs = jobs_of(aws, pool)
    message = str(raised.value)
    assert message.startswith(f"{jobs[0]['JobId']}: the upload failed: the upload URL expired")
    assert f"Jobs of this import: {jobs[0]['JobId']} Created." in message
    assert "Run `pulumi up` again with the same inputs to finish the import" in message
    assert f"uploads the file to {jobs[0]['JobId']} again (or to a new job, if its URL" in message

    # Following the advice: the same inputs finish the import, once.
    outs = outs_of(provider.create(news))
    assert counters(outs) == ("Succeeded", 1, 0, 0)
    assert [job["Status"] for job in jobs_of(aws, pool)] == ["Succeeded", "Created", "Created"]


def test_a_job_stopped_during_the_wait_fails_the_update(
    aws: Aws, provider: UserImportJobProvider, header: list[str], pool: str, tmp_path: Path
) -> None:
    news = checked(
        provider, props(aws, pool, csv_file=csv_file(tmp_path, header, [user_row(header, "u")]))
    )
    aws.control("settings", {"polls_in_progress": 1000})
    cognito = aws.client("cognito-idp")

    def stop_when_running() -> None:
        def running() -> bool:
            jobs = cognito.list_user_import_jobs(UserPoolId=pool, MaxResults=1)["UserImportJobs"]
            return bool(jobs) and jobs[0]["Status"] == "InProgress"

        wait_for(running, timeout=30)
        job_id = cognito.list_user_import_jobs(UserPoolId=pool, MaxResults=1)["UserImportJobs"][0][
            "JobId"
        ]
        cognito.stop_user_import_job(UserPoolId=pool, JobId=job_id)

    stopper = threading.Thread(target=stop_when_running)
    stopper.start()
    with pytest.raises(ProviderError) as raised:
        provider.create(news)
    stopper.join()
    assert "ended Stopped: The Import Job was stopped by the developer" in str(raised.value)
    assert "it creates a new job for this part" in str(raised.value)

    # Following the advice: a new job for the same rows; the stopped one is not resumed.
    aws.control("settings", {"polls_in_progress": 1})
    assert counters(outs_of(provider.create(news))) == ("Succeeded", 1, 0, 0)
    assert [job["Status"] for job in jobs_of(aws, pool)] == ["Succeeded", "Stopped"]


def test_a_wait_that_times_out_names_the_job_and_the_same_inputs_finish_it(
    aws: Aws, provider: UserImportJobProvider, header: list[str], pool: str, tmp_path: Path
) -> None:
    path = csv_file(tmp_path, header, [user_row(header, "late")])
    news = checked(provider, props(aws, pool, csv_file=path, wait_timeout_seconds=2))
    aws.control("settings", {"polls_in_progress": 1000})
    with pytest.raises(ProviderError) as raised:
        provider.create(news)
    [job] = jobs_of(aws, pool)
    assert str(raised.value).startswith(f"{job['JobId']}: still InProgress after waiting 2 s.")
    assert f"finds these jobs by name, waits for {job['JobId']}" in str(raised.value)

    aws.control("settings", {"polls_in_progress": 1})
    outs = outs_of(provider.create(news))
    assert (outs["job_id"], counters(outs)) == (job["JobId"], ("Succeeded", 1, 0, 0))
    assert len(jobs_of(aws, pool)) == 1


def test_a_changed_file_replaces_the_job_and_an_unchanged_or_moved_one_does_not(
    aws: Aws, provider: UserImportJobProvider, header: list[str], pool: str, tmp_path: Path
) -> None:
    path = csv_file(tmp_path, header, [user_row(header, "u1")])
    news = checked(provider, props(aws, pool, csv_file=path))
    created = provider.create(news)
    olds = outs_of(created)

    same = provider.diff(created.id, olds, checked(provider, props(aws, pool, csv_file=path)))
    assert same.changes is False

    moved = csv_file(tmp_path, header, [user_row(header, "u1")], name="moved.csv")
    relocated = provider.diff(created.id, olds, checked(provider, props(aws, pool, csv_file=moved)))
    assert (relocated.changes, relocated.replaces) == (True, [])
    updated = outs_of(provider.update(created.id, olds, {**news, "csv_file": moved}))
    assert updated["csv_file"] == moved and updated["job_id"] == olds["job_id"]

    Path(path).write_bytes(csv_bytes(header, [user_row(header, "u1"), user_row(header, "u2")]))
    changed = provider.diff(created.id, olds, checked(provider, props(aws, pool, csv_file=path)))
    assert changed.replaces == ["content_sha256"]


def test_changed_users_replace_the_job(
    aws: Aws, provider: UserImportJobProvider, pool: str
) -> None:
    user = {
        "cognito:username": "ann",
        "email": "a@example.com",
        "email_verified": True,
        "cognito:mfa_enabled": False,
    }
    news = checked(provider, props(aws, pool, users=[user]))
    olds = outs_of(provider.create(news))
    again = checked(provider, props(aws, pool, users=[user]))
    assert provider.diff("x/import-x", olds, again).changes is False
    other = checked(provider, props(aws, pool, users=[{**user, "email": "b@example.com"}]))
    assert provider.diff("x/import-x", olds, other).replaces == ["content_sha256"]


def test_the_users_hash_does_not_depend_on_knowing_the_pool(
    aws: Aws, provider: UserImportJobProvider, pool: str
) -> None:
    """A pool created in the same stack is unknown in preview, known afterwards."""
    user = {"cognito:username": "ann", "email": "a@example.com", "email_verified": True,
            "cognito:mfa_enabled": False}  # fmt: skip
    in_preview = checked(provider, props(aws, pool, users=[user], user_pool_id=UNKNOWN))
    known = checked(provider, props(aws, pool, users=[user]))
    assert in_preview["content_sha256"] == known["content_sha256"]
    olds = outs_of(provider.create(in_preview | {"user_pool_id": pool}))
    assert provider.diff("x/import-x", olds, known).changes is False


def test_other_failing_inputs_do_not_hide_csv_problems(
    aws: Aws, provider: UserImportJobProvider, header: list[str], pool: str, tmp_path: Path
) -> None:
    path = csv_file(tmp_path, header, [user_row(header, "bad name")])
    found = failures(provider, props(aws, pool, csv_file=path, job_name="bad/name"))
    assert [prop for prop, _ in found] == ["job_name", "csv_file"]


def test_a_split_import_runs_its_jobs_one_after_another(
    aws: Aws, provider: UserImportJobProvider, header: list[str], pool: str, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    path = csv_file(tmp_path, header, [user_row(header, f"u{i}") for i in range(5)])
    news = checked(provider, props(aws, pool, csv_file=path, rows_per_job=2))
    created = provider.create(news)
    outs = outs_of(created)
    assert [(unmarked(j["jobName"]), j["status"], j["importedUsers"]) for j in outs["jobs"]] == [
        ("as code part 1 of 3", "Succeeded", 2),
        ("as code part 2 of 3", "Succeeded", 2),
        ("as code part 3 of 3", "Succeeded", 1),
    ]
    assert (outs["status"], outs["imported_users"], outs["job_id"]) == (
        "Succeeded",
        5,
        outs["jobs"][0]["jobId"],
    )
    assert len(aws.users(pool)) == 5
    refreshed = outs_of(provider.read(created.id, outs))
    assert [j["status"] for j in refreshed["jobs"]] == ["Succeeded"] * 3
    assert refreshed["imported_users"] == 5
    capsys.readouterr()
    provider.delete(created.id, outs)
    assert capsys.readouterr().err.count("already Succeeded; jobs cannot be deleted") == 3


def test_the_real_limit_splits_500001_rows_into_two_jobs(
    aws: Aws, provider: UserImportJobProvider, header: list[str], pool: str, tmp_path: Path
) -> None:
    path = tmp_path / "big.csv"
    with path.open("w") as out:
        out.write(",".join(header) + "\n")
        template = user_row(header, "{n}", email="{n}@example.com")
        line = ",".join(template[column] for column in header) + "\n"
        for number in range(500_001):
            out.write(line.replace("{n}", f"user{number}"))
    news = checked(provider, props(aws, pool, csv_file=str(path), wait_timeout_seconds=600))
    outs = outs_of(provider.create(news))
    assert [(unmarked(j["jobName"]), j["importedUsers"]) for j in outs["jobs"]] == [
        ("as code part 1 of 2", 500_000),
        ("as code part 2 of 2", 1),
    ]
    assert outs["imported_users"] == 500_001


def test_the_password_hashing_algorithm_goes_with_the_import(
    aws: Aws, provider: UserImportJobProvider, header: list[str], pool: str, tmp_path: Path
) -> None:
    path = csv_file(tmp_path, header, [user_row(header, "h")])
    outs = outs_of(
        provider.create(
            checked(provider, props(aws, pool, csv_file=path, password_hashing_algorithm="BCRYPT"))
        )
    )
    assert outs["imported_users"] == 1
    assert aws.describe(pool, outs["job_id"])["PasswordHashingAlgorithm"] == "BCRYPT"


def test_upload_without_start_leaves_a_created_job_with_its_file(
    aws: Aws, provider: UserImportJobProvider, header: list[str], pool: str, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    path = csv_file(tmp_path, header, [user_row(header, "later")])
    outs = outs_of(
        provider.create(checked(provider, props(aws, pool, csv_file=path, start=False, wait=False)))
    )
    assert outs["status"] == "Created"
    assert f"{outs['job_id']}: Created; start it" in capsys.readouterr().err
    assert aws.run_to_end(pool, outs["job_id"])["ImportedUsers"] == 1  # the file is there


def test_a_job_started_but_not_waited_for_says_how_to_record_its_outcome(
    aws: Aws, provider: UserImportJobProvider, header: list[str], pool: str, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    path = csv_file(tmp_path, header, [user_row(header, "later")])
    outs = outs_of(provider.create(checked(provider, props(aws, pool, csv_file=path, wait=False))))
    assert outs["status"] == "Pending"
    assert (
        f"{outs['job_id']}: Pending; it runs on in Cognito. `pulumi refresh --run-program` (or "
        "`pulumi up --refresh`) records its outcome" in capsys.readouterr().err
    )


# -- validation at preview -------------------------------------------------------------


def failures(provider: UserImportJobProvider, news: dict[str, Any]) -> list[tuple[str, str]]:
    return [(f.property, f.reason) for f in provider.check({}, news).failures]


def test_preview_validates_the_csv_against_the_pools_header(
    aws: Aws, provider: UserImportJobProvider, header: list[str], pool: str, tmp_path: Path
) -> None:
    wide = [*header, "shoe_size"]
    path = csv_file(tmp_path, wide, [user_row(wide, "u", email="")])
    assert failures(provider, props(aws, pool, csv_file=path)) == [
        ("csv_file", "line 1: unknown columns: shoe_size (GetCSVHeader lists the pool's columns)"),
        ("csv_file", "line 2, column email: is required when email_verified is true"),
    ]


def test_preview_checks_what_it_can_while_the_pool_is_unknown(
    aws: Aws, provider: UserImportJobProvider, header: list[str], pool: str, tmp_path: Path
) -> None:
    path = csv_file(tmp_path, header, [user_row(header, "bad name")])
    found = failures(provider, props(aws, pool, csv_file=path, user_pool_id=UNKNOWN))
    assert found == [
        ("csv_file", "line 2, column cognito:username: must not contain spaces or tabs")
    ]


def test_preview_names_a_pool_that_does_not_exist(
    aws: Aws, provider: UserImportJobProvider, header: list[str], pool: str, tmp_path: Path
) -> None:
    path = csv_file(tmp_path, header, [user_row(header, "u")])
    [(prop, reason)] = failures(
        provider, props(aws, pool, csv_file=path, user_pool_id="us-east-1_gone")
    )
    assert prop == "user_pool_id" and "does not exist" in reason


def test_preview_names_a_missing_file(aws: Aws, provider: UserImportJobProvider, pool: str) -> None:
    [(prop, reason)] = failures(provider, props(aws, pool, csv_file="nowhere.csv"))
    assert prop == "csv_file" and reason.startswith("no such file: nowhere.csv")


def test_preview_names_user_records_by_index(
    aws: Aws, provider: UserImportJobProvider, pool: str
) -> None:
    users = [
        {
            "cognito:username": "ok",
            "email": "o@example.com",
            "email_verified": True,
            "cognito:mfa_enabled": False,
        },
        {
            "cognito:username": "bad",
            "email_verified": True,
            "cognito:mfa_enabled": False,
            "shoe": "9",
        },
    ]
    assert failures(provider, props(aws, pool, users=users)) == [
        ("users", "users[1].shoe: is not a column of the pool's CSV header"),
        ("users", "users[1] (CSV line 3), column email: is required when email_verified is true"),
    ]


def test_preview_requires_wait_for_a_split_import(
    aws: Aws, provider: UserImportJobProvider, header: list[str], pool: str, tmp_path: Path
) -> None:
    path = csv_file(tmp_path, header, [user_row(header, f"u{i}") for i in range(3)])
    [(prop, reason)] = failures(
        provider, props(aws, pool, csv_file=path, rows_per_job=2, wait=False)
    )
    assert prop == "wait" and "needs 2 jobs, which must run one after another" in reason


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"csv_file": "a.csv", "users": [{}]}, ("users", "give csv_file or users, not both")),
        ({"start": True},
         ("start", "needs csv_file, users or source_user_pool_id: nothing to import")),
        ({"csv_file": "a.csv", "start": False}, ("wait", "needs start: true (a job that is not st"
                                                          "arted never ends)")),
        ({"csv_file": "a.csv", "wait_timeout_seconds": 0},
         ("wait_timeout_seconds", "must be a number of seconds above 0")),
        ({"csv_file": "a.csv", "rows_per_job": 500_001},
         ("rows_per_job", "must be a whole number from 1 to 500,000")),
        ({"csv_file": "a.csv", "rows_per_job": 2.5},
         ("rows_per_job", "must be a whole number from 1 to 500,000")),
        ({"users": "not a list"}, ("users", "must be a list of records (attribute -> value)")),
        ({"csv_file": "a.csv", "start": "yes"}, ("start", "must be true or false")),
    ],
)  # fmt: skip
def test_import_inputs_that_cannot_work_together(
    aws: Aws,
    provider: UserImportJobProvider,
    pool: str,
    extra: dict[str, Any],
    expected: tuple[str, str],
) -> None:
    assert expected in failures(provider, props(aws, pool, **extra))


def test_a_file_changed_after_preview_is_refused(
    aws: Aws, provider: UserImportJobProvider, header: list[str], pool: str, tmp_path: Path
) -> None:
    path = csv_file(tmp_path, header, [user_row(header, "u")])
    news = checked(provider, props(aws, pool, csv_file=path))
    Path(path).write_bytes(csv_bytes(header, [user_row(header, "v")]))
    with pytest.raises(ProviderError, match="changed after preview"):
        provider.create(news)
    assert aws.cognito.list_user_import_jobs(UserPoolId=pool, MaxResults=10)["UserImportJobs"] == []


def test_create_checks_again_and_sends_nothing_invalid(
    aws: Aws, provider: UserImportJobProvider, header: list[str], pool: str, tmp_path: Path
) -> None:
    path = csv_file(tmp_path, header, [user_row(header, "u", birthdate="1990-01-01")])
    with pytest.raises(
        ProviderError, match=r"line 2, column birthdate: must be a date written mm/dd/yyyy"
    ):
        provider.create(props(aws, pool, csv_file=path))
    assert aws.cognito.list_user_import_jobs(UserPoolId=pool, MaxResults=10)["UserImportJobs"] == []


def test_an_unreachable_upload_host_is_reported_without_the_url(tmp_path: Path) -> None:
    """The pre-signed URL is a credential: a failure to reach it must not print it."""
    path = tmp_path / "users.csv"
    path.write_bytes(b"cognito:username\nann\n")
    url = "http://127.0.0.1:9/bucket/key?X-Amz-Signature=secretsignature"
    with pytest.raises(UploadFailed) as raised:
        put_part(url, path, b"cognito:username\n", Part(first_line=2, rows=1, start=17, end=21))
    assert str(raised.value).startswith("the upload could not reach S3 (")
    assert "secretsignature" not in str(raised.value) and "127.0.0.1" not in str(raised.value)
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


def test_the_guides_sample_file_passes_preview_and_imports(
    aws: Aws, provider: UserImportJobProvider, pool: str, tmp_path: Path
) -> None:
    path = tmp_path / "sample.csv"
    path.write_text(GUIDE_SAMPLE)
    news = checked(provider, props(aws, pool, csv_file=str(path)))
    assert counters(outs_of(provider.create(news))) == ("Succeeded", 2, 0, 0)
    assert aws.users(pool) == {"John": "RESET_REQUIRED", "Jane": "RESET_REQUIRED"}


def test_a_header_without_rows_is_refused_in_preview(
    aws: Aws, provider: UserImportJobProvider, pool: str, header: list[str], tmp_path: Path
) -> None:
    path = csv_file(tmp_path, header, [])
    assert failures(provider, props(aws, pool, csv_file=path)) == [
        ("csv_file", "has no users: a header and no rows to import")
    ]


def test_a_directory_is_not_a_csv_file(
    aws: Aws, provider: UserImportJobProvider, pool: str, tmp_path: Path
) -> None:
    assert failures(provider, props(aws, pool, csv_file=str(tmp_path))) == [
        ("csv_file", f"{tmp_path} is a directory; give the path of a CSV file")
    ]
