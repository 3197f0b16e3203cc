"""Pool settings that stop every import job (poolsettings.py): refused at preview, before any
job exists, and again at create, naming the setting and the fix; through the provider against
localaws (which fails such a job, as the guide says: test_localaws_csv_rules.py) and through
the real CLI.

Guide [CSV], "Importing users into user pools from a CSV file": "If the user pool has no
auto-verified attributes, the import job will not start."
"""

from collections.abc import Callable
from typing import Any

import pytest

from cognito_user_import import UserImportJobProvider
from cognito_user_import.provider import ProviderError
from tests.engine import PulumiProgram, aws_config
from tests.support import SAMPLE, Aws

REFUSAL = "auto-verifies neither email nor phone_number (its AutoVerifiedAttributes is empty)"


@pytest.fixture
def unverifying_pool(aws: Aws) -> str:
    return aws.pool("no-auto-verification", AutoVerifiedAttributes=[])


def jobs_in(aws: Aws, pool: str) -> list[Any]:
    return list(aws.cognito.list_user_import_jobs(UserPoolId=pool, MaxResults=10)["UserImportJobs"])


@pytest.mark.parametrize(
    "source",
    [{}, {"csv_file": str(SAMPLE)}, {"users": [{"username": "ada", "email": "ada@example.com"}]}],
    ids=["bare job", "csv file", "declared users"],
)
def test_check_refuses_a_pool_that_auto_verifies_nothing(
    aws: Aws, provider: UserImportJobProvider, unverifying_pool: str, source: dict[str, Any]
) -> None:
    news = {"user_pool_id": unverifying_pool, "job_name": "j",
            "cloud_watch_logs_role_arn": aws.role(), **source}  # fmt: skip
    failures = provider.check({}, news).failures
    assert [(f.property, REFUSAL in f.reason) for f in failures] == [("user_pool_id", True)]
    assert 'auto_verified_attributes=["email"]' in failures[0].reason  # the fix
    assert jobs_in(aws, unverifying_pool) == []


def test_check_refuses_such_a_pool_as_the_target_of_a_copy(
    aws: Aws, provider: UserImportJobProvider, unverifying_pool: str
) -> None:
    source = aws.pool("source")
    news = {"user_pool_id": unverifying_pool, "job_name": "copy",
            "cloud_watch_logs_role_arn": aws.role(), "source_user_pool_id": source,
            "start": True, "wait": True}  # fmt: skip
    failures = provider.check({}, news).failures
    assert [(f.property, REFUSAL in f.reason) for f in failures] == [("user_pool_id", True)]


def test_create_refuses_it_too_and_makes_no_job(
    aws: Aws, provider: UserImportJobProvider, unverifying_pool: str
) -> None:
    """The pool may have lost its auto-verification between preview and up."""
    news = {"user_pool_id": unverifying_pool, "job_name": "j",
            "cloud_watch_logs_role_arn": aws.role(), "csv_file": str(SAMPLE),
            "start": True, "wait": True}  # fmt: skip
    with pytest.raises(ProviderError, match=r"user_pool_id: the user pool .* auto-verifies"):
        provider.create(news)
    assert jobs_in(aws, unverifying_pool) == []


@pytest.mark.engine
def test_preview_through_the_cli_names_the_setting_and_up_creates_nothing(
    aws: Aws, make_program: Callable[..., PulumiProgram], unverifying_pool: str
) -> None:
    program = make_program()
    program.init(
        {**aws_config(aws), "userPoolId": unverifying_pool, "jobName": "no job",
         "cloudWatchLogsRoleArn": aws.role()},
        secrets={"aws:secretKey": "testing"},
    )  # fmt: skip
    preview = program.run("preview", check=False)
    assert preview.returncode != 0 and REFUSAL in preview.stdout, preview.stdout
    assert program.up(check=False).returncode != 0
    assert jobs_in(aws, unverifying_pool) == []
