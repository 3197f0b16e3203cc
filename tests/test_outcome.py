"""The import's outcome, line by line, read back from CloudWatch Logs, and a retry file of
exactly the rows that did not make it. Through the provider against localaws over HTTP."""

import json
from pathlib import Path
from typing import Any

import pytest

from cognito_user_import import UserImportJobProvider
from cognito_user_import.outputs import outcome_of
from cognito_user_import.provider import ProviderError
from tests.support import (
    Aws,
    VirtualTime,
    csv_bytes,
    import_service,
    job_inputs,
    outs_of,
    user_row,
)
from tests.test_import_as_code import checked, logging_role, props

POOL_NAME = "customers"
EXISTS = "The user already exists."
TAKEN = "An account with the given email already exists."


@pytest.fixture
def email_pool(aws: Aws) -> str:
    """A pool that signs in by email, with users `old` and `other` (taken@example.com)."""
    pool = aws.pool(POOL_NAME, AliasAttributes=["email"])
    aws.cognito.admin_create_user(UserPoolId=pool, Username="old")
    aws.cognito.admin_create_user(
        UserPoolId=pool,
        Username="other",
        UserAttributes=[{"Name": "email", "Value": "taken@example.com"}],
    )
    return pool


@pytest.fixture
def source(aws: Aws, email_pool: str, tmp_path: Path) -> Path:
    """Five rows: line 3 is skipped (`old` exists), line 5 fails (its email is taken)."""
    header = aws.header(email_pool)
    rows = [
        user_row(header, "ann"),
        user_row(header, "old"),
        user_row(header, "bea"),
        user_row(header, "new", email="taken@example.com"),
        user_row(header, "cy"),
    ]
    path = tmp_path / "users.csv"
    path.write_bytes(csv_bytes(header, rows))
    return path


def test_the_outcome_counts_every_line_and_names_the_ones_not_imported(
    aws: Aws, provider: UserImportJobProvider, email_pool: str, source: Path, tmp_path: Path
) -> None:
    retry = tmp_path / "out" / "retry.csv"
    news = checked(provider, props(aws, email_pool, csv_file=str(source), outcome_file=str(retry)))
    outs = outs_of(provider.create(news))
    assert outs["outcome"] == {
        "lines": 5,
        "byStatus": {"SUCCEEDED": 3, "SKIPPED": 1, "FAILED": 1},
        "byReason": {EXISTS: 1, TAKEN: 1},
        "firstProblems": [
            {"line": 3, "status": "SKIPPED", "reason": EXISTS},
            {"line": 5, "status": "FAILED", "reason": TAKEN},
        ],
        "complete": True,
        "notes": [],
    }
    lines = retry.read_text().splitlines()
    source_lines = source.read_text().splitlines()
    assert lines == [
        source_lines[0] + ",import_outcome",
        source_lines[2] + ",SKIPPED: " + EXISTS,
        source_lines[4] + ",FAILED: " + TAKEN,
    ]
    assert "example.com" not in json.dumps(outs)  # numbers and reasons, never user data


def test_declared_users_get_a_retry_file_of_their_rows(
    aws: Aws, provider: UserImportJobProvider, email_pool: str, tmp_path: Path
) -> None:
    users: list[dict[str, Any]] = [
        {"cognito:username": name, "email": email, "email_verified": True,
         "cognito:mfa_enabled": False}
        for name, email in (("dee", "dee@example.com"), ("old", "old@example.com"))
    ]  # fmt: skip
    retry = tmp_path / "retry.csv"
    news = checked(provider, props(aws, email_pool, users=users, outcome_file=str(retry)))
    outs = outs_of(provider.create(news))
    assert outs["outcome"]["firstProblems"] == [{"line": 3, "status": "SKIPPED", "reason": EXISTS}]
    header, row = retry.read_text().splitlines()
    assert header.endswith(",import_outcome") and "cognito:username" in header
    values = dict(zip(header.split(","), row.split(","), strict=True))
    assert values["cognito:username"] == "old" and values["import_outcome"] == f"SKIPPED: {EXISTS}"


def test_a_split_import_numbers_lines_of_the_users_file(
    aws: Aws, provider: UserImportJobProvider, email_pool: str, source: Path, tmp_path: Path
) -> None:
    retry = tmp_path / "retry.csv"
    news = checked(
        provider,
        props(aws, email_pool, csv_file=str(source), rows_per_job=2, outcome_file=str(retry)),
    )
    outs = outs_of(provider.create(news))
    assert [job["firstLine"] for job in outs["jobs"]] == [2, 4, 6]
    assert outs["outcome"]["firstProblems"] == [
        {"line": 3, "status": "SKIPPED", "reason": EXISTS},
        {"line": 5, "status": "FAILED", "reason": TAKEN},
    ]
    source_lines = source.read_text().splitlines()
    assert [line.rsplit(",", 1)[0] for line in retry.read_text().splitlines()[1:]] == [
        source_lines[2],
        source_lines[4],
    ]


def test_without_the_logs_permission_the_import_succeeds_and_says_what_is_missing(
    aws: Aws, provider: UserImportJobProvider, email_pool: str, source: Path
) -> None:
    aws.control("faults", {"operation": "GetLogEvents", "kind": "access-denied"})
    outs = outs_of(provider.create(checked(provider, props(aws, email_pool, csv_file=str(source)))))
    assert outs["status"] == "Succeeded" and outs["imported_users"] == 3
    assert outs["outcome"]["complete"] is False
    [note] = outs["outcome"]["notes"]
    assert note.startswith(
        f"the import's outcome needs logs:GetLogEvents on log group {outs['log_group_name']}"
    )


@pytest.mark.parametrize(("lagging_reads", "complete"), [(3, True), (1000, False)])
def test_lagging_logs_are_waited_for_within_a_bound(
    aws: Aws, email_pool: str, source: Path, lagging_reads: int, complete: bool
) -> None:
    aws.control("faults", {"operation": "GetLogEvents", "kind": "log-lag", "count": lagging_reads})
    time = VirtualTime(aws)
    inputs = job_inputs(
        user_pool_id=email_pool, job_name="lag", cloud_watch_logs_role_arn=logging_role(aws),
        csv_file=str(source), start=True, wait=True,
    )  # fmt: skip
    said: list[str] = []
    outcome = import_service(aws, time, said).create(inputs).outcome
    assert outcome is not None
    assert outcome_of(outcome)["complete"] is complete
    if complete:
        assert outcome.lines == 5
    else:
        [note] = outcome.notes
        assert "read 0 of 5 log lines after waiting 60 s" in note
        assert time.now() <= 70  # bounded: about a minute, then the note


def test_a_refresh_after_the_job_ended_reads_its_outcome(
    aws: Aws, provider: UserImportJobProvider, email_pool: str, source: Path
) -> None:
    news = checked(provider, props(aws, email_pool, csv_file=str(source), wait=False))
    created = provider.create(news)
    assert outs_of(created)["outcome"] is None
    for _ in range(3):  # Pending -> InProgress -> Succeeded, outside `up`
        aws.describe(email_pool, outs_of(created)["job_id"])
    refreshed = outs_of(provider.read(created.id, outs_of(created)))
    assert refreshed["outcome"]["byStatus"] == {"SUCCEEDED": 3, "SKIPPED": 1, "FAILED": 1}


def test_an_import_that_ends_failed_still_writes_its_retry_file(
    aws: Aws, provider: UserImportJobProvider, email_pool: str, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    header = aws.header(email_pool)
    source = tmp_path / "existing.csv"
    rows = [user_row(header, "old"), user_row(header, "new", email="taken@example.com")]
    source.write_bytes(csv_bytes(header, rows))
    retry = tmp_path / "retry.csv"
    news = checked(provider, props(aws, email_pool, csv_file=str(source), outcome_file=str(retry)))
    with pytest.raises(ProviderError, match="ended Failed"):  # nobody imported, one failed
        provider.create(news)
    assert len(retry.read_text().splitlines()) == 3  # the header and both rows
    assert "outcome: 2 lines logged (1 skipped, 1 failed)." in capsys.readouterr().err
