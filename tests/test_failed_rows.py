"""How skipped and failed rows decide whether `up` succeeds: max_failed_users, and a job
whose every row was skipped. Through the provider against localaws; the real CLI's exit
codes for the same cases are in tests/test_engine_exit_codes.py."""

import stat
from pathlib import Path
from typing import Any

import pytest

from cognito_user_import import UserImportJobProvider
from cognito_user_import.provider import ProviderError
from tests.support import Aws, csv_bytes, outs_of, user_row
from tests.test_import_as_code import checked, counters, jobs_of, props

TAKEN, ALSO_TAKEN = "taken@example.com", "also-taken@example.com"


@pytest.fixture
def pool(aws: Aws) -> str:
    """Users sign in by email; `old` exists, and two users hold TAKEN and ALSO_TAKEN."""
    pool = aws.pool("customers", AliasAttributes=["email"])
    aws.cognito.admin_create_user(UserPoolId=pool, Username="old")
    for holder, email in (("holder", TAKEN), ("another", ALSO_TAKEN)):
        aws.cognito.admin_create_user(
            UserPoolId=pool, Username=holder, UserAttributes=[{"Name": "email", "Value": email}]
        )
    return pool


def source(aws: Aws, pool: str, tmp_path: Path, *rows: tuple[str, str]) -> str:
    """A CSV of (username, email) rows: `old` is skipped, TAKEN fails, others import."""
    header = aws.header(pool)
    path = tmp_path / "users.csv"
    path.write_bytes(
        csv_bytes(header, [user_row(header, name, email=email) for name, email in rows])
    )
    return str(path)


def create(provider: UserImportJobProvider, news: dict[str, Any]) -> dict[str, Any]:
    return outs_of(provider.create(checked(provider, news)))


def test_a_job_whose_every_row_was_skipped_completes_the_import(
    aws: Aws, provider: UserImportJobProvider, pool: str, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """Cognito ends it Failed ("Too many users have failed or been skipped"), yet every user
    is in the pool: the import is done, and `up` succeeds, saying so."""
    csv = source(aws, pool, tmp_path, ("old", "old@example.com"))
    outs = create(provider, props(aws, pool, csv_file=csv))
    assert counters(outs) == ("Failed", 0, 1, 0)
    assert outs["jobs"][0]["completionMessage"].startswith("Too many users have failed")
    said = capsys.readouterr().err
    assert "after judging every row: imported 0, skipped 1 (already in the pool), failed 0;" in said
    assert "every user is in the pool, so the import is complete." in said
    create(provider, props(aws, pool, csv_file=csv))  # again: found, judged the same
    assert len(jobs_of(aws, pool)) == 1


def test_without_a_limit_failed_rows_in_a_job_cognito_completes_pass(
    aws: Aws, provider: UserImportJobProvider, pool: str, tmp_path: Path
) -> None:
    csv = source(aws, pool, tmp_path, ("ann", "ann@example.com"), ("dup", TAKEN))
    assert counters(create(provider, props(aws, pool, csv_file=csv))) == ("Succeeded", 1, 0, 1)


def test_more_failed_rows_than_max_failed_users_fail_the_update_every_time(
    aws: Aws, provider: UserImportJobProvider, pool: str, tmp_path: Path
) -> None:
    csv = source(aws, pool, tmp_path, ("ann", "ann@example.com"), ("dup", TAKEN))
    retry = tmp_path / "not-imported.csv"
    strict = props(aws, pool, csv_file=csv, max_failed_users=0, outcome_file=str(retry))
    with pytest.raises(ProviderError) as raised:
        create(provider, strict)
    message = str(raised.value)
    [job] = jobs_of(aws, pool)
    assert message.startswith("1 rows failed, more than max_failed_users (0); the last judged is")
    assert f"{job['JobId']}, Succeeded, imported 1, skipped 0, failed 1" in message
    assert "raise max_failed_users" in message
    assert retry.read_text().splitlines()[1].endswith(",FAILED: An account with the given email "
                                                      "already exists.")  # fmt: skip
    assert stat.S_IMODE(retry.stat().st_mode) == 0o600

    with pytest.raises(ProviderError, match="more than max_failed_users"):
        create(provider, strict)  # the same job, judged the same
    outs = create(provider, {**strict, "max_failed_users": 1})  # the limit is not the import
    assert counters(outs) == ("Succeeded", 1, 0, 1)
    assert [job["JobId"]] == [j["JobId"] for j in jobs_of(aws, pool)]


def test_a_limit_accepts_a_job_cognito_failed_after_judging_every_row(
    aws: Aws, provider: UserImportJobProvider, pool: str, tmp_path: Path
) -> None:
    csv = source(aws, pool, tmp_path, ("dup", TAKEN))
    outs = create(provider, props(aws, pool, csv_file=csv, max_failed_users=1))
    assert counters(outs) == ("Failed", 0, 0, 1)


def test_the_limit_counts_failed_rows_over_every_part(
    aws: Aws, provider: UserImportJobProvider, pool: str, tmp_path: Path
) -> None:
    csv = source(
        aws, pool, tmp_path,
        ("ann", "ann@example.com"), ("dup", TAKEN), ("bea", "bea@example.com"), ("cy", ALSO_TAKEN),
    )  # fmt: skip
    split = props(aws, pool, csv_file=csv, rows_per_job=2, max_failed_users=1)
    with pytest.raises(ProviderError) as raised:
        create(provider, split)
    assert str(raised.value).startswith("2 rows failed, more than max_failed_users (1)")
    assert "(part 2 of 2)" in str(raised.value)


def test_a_job_that_failed_before_judging_its_rows_fails_whatever_the_limit(
    aws: Aws, provider: UserImportJobProvider, pool: str, tmp_path: Path
) -> None:
    """The role Cognito logs with trusts nobody: the whole job fails, no row judged."""
    untrusted = aws.role("untrusted", trust={"Version": "2012-10-17", "Statement": []})
    csv = source(aws, pool, tmp_path, ("ann", "ann@example.com"))
    news = {**props(aws, pool, csv_file=csv, max_failed_users=100),
            "cloud_watch_logs_role_arn": untrusted}  # fmt: skip
    with pytest.raises(ProviderError, match="ended Failed: Cognito could not assume the role"):
        create(provider, news)


@pytest.mark.parametrize(
    ("inputs", "reason"),
    [
        ({"max_failed_users": -1}, "must be a whole number, 0 or more"),
        ({"max_failed_users": 1.5}, "must be a whole number, 0 or more"),
        ({"max_failed_users": 3, "csv_file": None}, "needs csv_file, users or source_user_pool_id"),
    ],
)
def test_max_failed_users_is_checked_at_preview(
    aws: Aws, provider: UserImportJobProvider, pool: str, tmp_path: Path,
    inputs: dict[str, Any], reason: str,
) -> None:  # fmt: skip
    csv = source(aws, pool, tmp_path, ("ann", "ann@example.com"))
    news = {**props(aws, pool, csv_file=csv), **inputs}
    if news["csv_file"] is None:
        news = {**news, "start": None, "wait": None}
    failures = provider.check({}, news).failures
    assert [(f.property, f.reason) for f in failures] == [("max_failed_users", reason)]
