"""The provider's methods against localaws over HTTP, configured as the engine configures it."""

import re
from typing import Any

import pytest
from botocore.exceptions import ClientError, NoCredentialsError, NoRegionError
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi.runtime.rpc import UNKNOWN

from cognito_user_import import UserImportJobProvider
from cognito_user_import.aws import cognito_client
from cognito_user_import.awserrors import Subject, explain
from cognito_user_import.provider import ProviderError
from cognito_user_import.settings import AwsSettings
from tests.support import (
    ACCOUNT,
    Aws,
    configured,
    outs_of,
    stack_config,
    upload,
)

VALID = {
    "user_pool_id": "us-east-1_AbCdEf123",
    "job_name": "Customer import",
    "cloud_watch_logs_role_arn": f"arn:aws:iam::{ACCOUNT}:role/logs",
}


@pytest.fixture
def inputs(aws: Aws) -> dict[str, Any]:
    return {
        "user_pool_id": aws.pool("customers"),
        "job_name": "Customer import",
        "cloud_watch_logs_role_arn": aws.role(),
        "password_hashing_algorithm": None,
    }


# -- check -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("user_pool_id", "no-underscore", r"must match the pattern \[\\w-\]\+_\[0-9a-zA-Z\]\+"),
        ("user_pool_id", "a_" + "b" * 54, "must be 1 to 55 characters long"),
        ("user_pool_id", None, "is required"),
        ("job_name", "", "is required"),
        ("job_name", "bad/name", "must match the pattern"),
        ("job_name", "x" * 129, "must be 1 to 128 characters long"),
        ("cloud_watch_logs_role_arn", "arn:aws:iam::x", "must be 20 to 2048 characters long"),
        ("cloud_watch_logs_role_arn", "arn:aws:iam::notanumber:role/x", "must match the pattern"),
        (
            "password_hashing_algorithm",
            "MD5",
            "must be one of BCRYPT, SCRYPT, ARGON2ID, PBKDF2_SHA256",
        ),
        ("job_name", 42, "must be a string"),
    ],
)
def test_check_names_the_property_and_the_rule(field: str, value: Any, reason: str) -> None:
    # Not configured, no endpoint: check must not need AWS.
    result = UserImportJobProvider().check({}, {**VALID, field: value})
    assert [f.property for f in result.failures] == [field] * len(result.failures)
    assert any(re.search(reason, f.reason) for f in result.failures), result.failures


def test_check_returns_every_failure_at_once() -> None:
    result = UserImportJobProvider().check(
        {}, {"user_pool_id": "x", "job_name": "a/b", "password_hashing_algorithm": "MD5"}
    )
    assert {f.property for f in result.failures} == {
        "user_pool_id",
        "job_name",
        "cloud_watch_logs_role_arn",
        "password_hashing_algorithm",
    }


def test_check_accepts_valid_and_unknown_inputs(
    provider: UserImportJobProvider, inputs: dict[str, Any]
) -> None:
    assert provider.check({}, inputs).failures == []
    unknown = dict.fromkeys(VALID, UNKNOWN)
    result = UserImportJobProvider().check({}, unknown)
    assert result.failures == []
    assert result.inputs == unknown


# -- diff --------------------------------------------------------------------------------


def test_diff_of_unchanged_inputs_is_no_change() -> None:
    olds = {**VALID, "job_id": "import-x", "status": "Succeeded", "__provider": "pickle"}
    news = {**VALID, "password_hashing_algorithm": None, "__provider": "pickle"}
    result = UserImportJobProvider().diff("pool/import-x", olds, news)
    assert result.changes is False
    assert result.replaces == []


def test_a_provider_pickled_elsewhere_is_rewritten_by_an_update_not_a_replacement() -> None:
    """An older version pickled the provider under another module path: an update records
    the new pickle, so refresh and destroy never need the old module."""
    olds = {**VALID, "job_id": "import-x", "__provider": "components.cognito_user_import"}
    news = {**VALID, "__provider": "cognito_user_import"}
    result = UserImportJobProvider().diff("pool/import-x", olds, news)
    assert result.changes is True
    assert result.replaces == []


@pytest.mark.parametrize("field", [*VALID, "password_hashing_algorithm"])
def test_any_input_change_replaces_the_job(field: str) -> None:
    news = {**VALID, field: "us-east-1_Other1" if field == "user_pool_id" else "SCRYPT"}
    result = UserImportJobProvider().diff("pool/import-x", {**VALID}, news)
    assert result.changes is True
    assert result.replaces == [field]
    assert result.delete_before_replace is False


def test_an_unknown_input_may_replace_the_job() -> None:
    result = UserImportJobProvider().diff("p/import-x", VALID, {**VALID, "job_name": UNKNOWN})
    assert (result.changes, result.replaces) == (True, ["job_name"])


# -- create ------------------------------------------------------------------------------


def test_create_returns_the_job_and_where_it_logs(
    aws: Aws, provider: UserImportJobProvider, inputs: dict[str, Any]
) -> None:
    result = provider.create(inputs)
    outs = outs_of(result)
    pool = inputs["user_pool_id"]
    assert result.id == f"{pool}/{outs['job_id']}"
    assert re.fullmatch(r"import-[0-9a-zA-Z]{10}", outs["job_id"])
    assert outs["status"] == "Created"
    assert outs["pre_signed_url"].startswith(aws.endpoint)
    assert (outs["imported_users"], outs["skipped_users"], outs["failed_users"]) == (0, 0, 0)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+\+00:00", outs["creation_date"])
    assert outs["start_date"] is None and outs["completion_message"] is None
    assert outs["log_group_name"] == f"/aws/cognito/userpools/{pool}/customers"
    assert outs["log_stream_name"] == f"{outs['job_id']}/Customer import"
    assert {k: outs[k] for k in ("user_pool_id", "job_name", "cloud_watch_logs_role_arn")} == {
        k: inputs[k] for k in ("user_pool_id", "job_name", "cloud_watch_logs_role_arn")
    }
    assert aws.describe(pool, outs["job_id"])["JobName"] == "Customer import"


def test_create_passes_the_password_hashing_algorithm(
    provider: UserImportJobProvider, inputs: dict[str, Any]
) -> None:
    outs = outs_of(provider.create({**inputs, "password_hashing_algorithm": "PBKDF2_SHA256"}))
    assert outs["password_hashing_algorithm"] == "PBKDF2_SHA256"


def test_create_in_a_missing_pool_names_user_pool_id(
    provider: UserImportJobProvider, inputs: dict[str, Any]
) -> None:
    with pytest.raises(ProviderError, match=r"user_pool_id 'us-east-1_gone' does not exist"):
        provider.create({**inputs, "user_pool_id": "us-east-1_gone"})


def test_create_rides_out_throttling_and_internal_errors(
    aws: Aws, provider: UserImportJobProvider, inputs: dict[str, Any]
) -> None:
    aws.control("faults", {"operation": "CreateUserImportJob", "kind": "throttle", "count": 3})
    aws.control("faults", {"operation": "CreateUserImportJob", "kind": "internal", "count": 2})
    assert outs_of(provider.create(inputs))["status"] == "Created"
    assert aws.control("faults", method="GET") == {"pending": {}}


def test_create_gives_up_on_endless_throttling_with_a_fix(aws: Aws, inputs: dict[str, Any]) -> None:
    provider = configured(aws.endpoint, {"aws:maxRetries": "2"})
    aws.control("faults", {"operation": "CreateUserImportJob", "kind": "throttle", "count": 5})
    with pytest.raises(ProviderError, match=r"throttled CreateUserImportJob 3 times.*--parallel 1"):
        provider.create(inputs)
    remaining = aws.control("faults", method="GET")["pending"]["CreateUserImportJob"][0]
    assert remaining["remaining"] == 2


def test_create_waits_for_a_new_role_to_propagate(
    aws: Aws, provider: UserImportJobProvider, inputs: dict[str, Any]
) -> None:
    aws.control(
        "faults", {"operation": "CreateUserImportJob", "kind": "iam-propagation", "count": 2}
    )
    assert outs_of(provider.create(inputs))["status"] == "Created"


def test_create_stops_waiting_for_a_role_after_its_bound(aws: Aws, inputs: dict[str, Any]) -> None:
    provider = configured(aws.endpoint, iam_propagation_seconds=1.5)
    aws.control(
        "faults", {"operation": "CreateUserImportJob", "kind": "iam-propagation", "count": 50}
    )
    with pytest.raises(ProviderError, match=r"Cognito cannot use cloud_watch_logs_role_arn"):
        provider.create(inputs)
    pending = aws.control("faults", method="GET")["pending"]["CreateUserImportJob"]
    assert 47 <= pending[0]["remaining"] <= 49  # tried a few times over 1.5 s, then stopped


def test_create_explains_the_job_quota(
    aws: Aws, provider: UserImportJobProvider, inputs: dict[str, Any]
) -> None:
    for i in range(1000):
        aws.job(inputs["user_pool_id"], inputs["cloud_watch_logs_role_arn"], f"job{i}")
    with pytest.raises(ProviderError, match=r"quota of import jobs \(1,000 a pool.*Service Quotas"):
        provider.create(inputs)
    # A quota is final: botocore (which counts the code as throttling) must not retry it.
    client = cognito_client(AwsSettings.from_stack_config(stack_config(aws.endpoint).get))
    with pytest.raises(ClientError) as raised:
        client.create_user_import_job(
            UserPoolId=inputs["user_pool_id"],
            JobName="again",
            CloudWatchLogsRoleArn=inputs["cloud_watch_logs_role_arn"],
        )
    assert raised.value.response["ResponseMetadata"]["RetryAttempts"] == 0


def test_create_without_a_region_says_how_to_set_one(
    monkeypatch: pytest.MonkeyPatch, inputs: dict[str, Any]
) -> None:
    for variable in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_CONFIG_FILE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    provider = UserImportJobProvider()
    provider.configure(ConfigureRequest(Config({}, "p")))
    with pytest.raises(ProviderError, match=r"pulumi config set aws:region"):
        provider.create(inputs)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (NoRegionError(), "pulumi config set aws:region"),
        (NoCredentialsError(), "aws:profile"),
        (ClientError({"Error": {"Code": "NotAuthorizedException", "Message": "no"}}, "X"),
         "iam:PassRole on 'arn:aws:iam::123456789012:role/logs'"),
        (ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}}, "X"),
         "docs/guides/iam-permissions.md#what-the-deployer-needs"),
        (ClientError({"Error": {"Code": "OperationNotEnabledException", "Message": "x"}}, "X"),
         "primary region"),
        (ClientError({"Error": {"Code": "InvalidParameterException", "Message": "odd"}}, "X"),
         "Cognito rejected an input of CreateUserImportJob. (AWS: InvalidParameterException: odd)"),
    ],
)  # fmt: skip
def test_errors_localaws_cannot_produce_are_explained(error: Exception, expected: str) -> None:
    """AWS answers localaws never gives (IAM policy evaluation, replica regions)."""
    subject = Subject(VALID["user_pool_id"], role_arn=VALID["cloud_watch_logs_role_arn"])
    assert expected in str(explain(error, "CreateUserImportJob", subject))


# -- read and update ---------------------------------------------------------------------


def test_read_refreshes_status_and_counters(
    aws: Aws, provider: UserImportJobProvider, inputs: dict[str, Any]
) -> None:
    created = provider.create(inputs)
    pool, job_id = inputs["user_pool_id"], outs_of(created)["job_id"]
    aws.upload_users(pool, outs_of(created)["pre_signed_url"], ["u1", "u2"])
    aws.run_to_end(pool, job_id)
    read = provider.read(created.id, outs_of(created))
    assert read.id == created.id
    assert outs_of(read)["status"] == "Succeeded"
    assert outs_of(read)["imported_users"] == 2
    assert outs_of(read)["completion_message"] == "Import Job Completed Successfully."
    assert outs_of(read)["start_date"] is not None
    assert read.inputs is None  # a refresh keeps the program's inputs


def test_read_by_id_alone_recovers_the_inputs(
    provider: UserImportJobProvider, inputs: dict[str, Any]
) -> None:
    created = provider.create({**inputs, "password_hashing_algorithm": "SCRYPT"})
    read = provider.read(created.id, {})
    assert read.inputs == {**{k: inputs[k] for k in VALID}, "password_hashing_algorithm": "SCRYPT"}
    assert outs_of(read)["job_id"] == outs_of(created)["job_id"]


def test_read_of_a_job_whose_pool_is_gone_reports_it_gone(
    aws: Aws, provider: UserImportJobProvider, inputs: dict[str, Any]
) -> None:
    created = provider.create(inputs)
    aws.cognito.delete_user_pool(UserPoolId=inputs["user_pool_id"])
    assert provider.read(created.id, outs_of(created)).id == ""


def test_read_of_a_malformed_id_says_what_an_id_looks_like(provider: UserImportJobProvider) -> None:
    with pytest.raises(ProviderError, match=r"expected <userPoolId>/<jobId>"):
        provider.read("import-abc", {})


def test_update_records_the_change_and_keeps_the_outputs(
    provider: UserImportJobProvider, inputs: dict[str, Any]
) -> None:
    created = provider.create(inputs)
    updated = provider.update(created.id, outs_of(created), {**inputs, "wait_timeout_seconds": 9})
    assert outs_of(updated) == {**outs_of(created), "wait_timeout_seconds": 9}


# -- delete ------------------------------------------------------------------------------


def test_delete_of_a_created_job_releases_it_and_says_it_will_expire(
    provider: UserImportJobProvider, inputs: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    created = provider.create(inputs)
    provider.delete(created.id, outs_of(created))
    assert "never started" in capsys.readouterr().err


def test_delete_stops_an_active_job(
    aws: Aws,
    provider: UserImportJobProvider,
    inputs: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
) -> None:
    created = provider.create(inputs)
    pool, job_id = inputs["user_pool_id"], outs_of(created)["job_id"]
    upload(outs_of(created)["pre_signed_url"], b"whatever")
    aws.cognito.start_user_import_job(UserPoolId=pool, JobId=job_id)
    provider.delete(created.id, outs_of(created))
    # Delete's own DescribeUserImportJob is an observation: localaws may advance the job.
    assert re.search(f"{job_id}: was (Pending|InProgress), stopped", capsys.readouterr().err)
    assert aws.describe(pool, job_id)["Status"] == "Stopped"


def test_delete_releases_a_finished_job(
    aws: Aws,
    provider: UserImportJobProvider,
    inputs: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
) -> None:
    created = provider.create(inputs)
    pool, job_id = inputs["user_pool_id"], outs_of(created)["job_id"]
    aws.upload_users(pool, outs_of(created)["pre_signed_url"], ["u1"])
    aws.run_to_end(pool, job_id)
    provider.delete(created.id, outs_of(created))
    assert "already Succeeded" in capsys.readouterr().err
    assert aws.describe(pool, job_id)["Status"] == "Succeeded"


def test_delete_of_a_job_whose_pool_is_gone_removes_it(
    aws: Aws,
    provider: UserImportJobProvider,
    inputs: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
) -> None:
    created = provider.create(inputs)
    aws.cognito.delete_user_pool(UserPoolId=inputs["user_pool_id"])
    provider.delete(created.id, outs_of(created))
    assert "the pool is gone" in capsys.readouterr().err


# -- preview: the pool, and what it could not check ----------------------------------------


def test_preview_without_a_csv_checks_that_the_pool_exists(
    provider: UserImportJobProvider, inputs: dict[str, Any]
) -> None:
    result = provider.check({}, {**inputs, "user_pool_id": "us-east-1_gone"})
    [failure] = result.failures
    assert failure.property == "user_pool_id"
    assert failure.reason.startswith("user_pool_id 'us-east-1_gone' does not exist")


def test_preview_passes_saying_what_it_could_not_check_when_aws_is_unreachable(
    aws: Aws, inputs: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    """An outage may be over by `up`, which checks again: preview warns and passes."""
    unreachable = {"aws:endpoints": '[{"cognitoidp": "http://127.0.0.1:9"}]', "aws:maxRetries": "0"}
    provider = configured(aws.endpoint, unreachable)
    assert provider.check({}, inputs).failures == []
    said = capsys.readouterr().err
    pool = inputs["user_pool_id"]
    assert f"preview could not check that the pool exists (user_pool_id {pool}): " in said
    assert "Could not reach AWS for DescribeUserPool" in said
    assert "This looks transient: `pulumi up` checks everything again" in said


def test_preview_fails_when_up_would_fail_for_want_of_credentials(
    monkeypatch: pytest.MonkeyPatch, aws: Aws, inputs: dict[str, Any]
) -> None:
    """No credentials anywhere: `up` would refuse, so preview does, naming where to set
    them (pulumi-aws's places)."""
    for variable in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    provider = configured(aws.endpoint, {"aws:accessKey": "", "aws:secretKey": ""})
    [failure] = provider.check({}, inputs).failures
    assert failure.property == ""
    assert failure.reason.startswith("No AWS credentials found for DescribeUserPool: set ")
    assert "aws:profile or AWS_PROFILE" in failure.reason


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("aws:maxRetries", "many", "aws:maxRetries must be a whole number, 0 or more"),
        ("aws:endpoints", "cognitoidp=http://x", "aws:endpoints must be a list of {service: url}"),
    ],
)
def test_a_malformed_config_key_is_named_with_its_expected_form(
    aws: Aws, inputs: dict[str, Any], key: str, value: str, expected: str
) -> None:
    provider = configured(aws.endpoint, {key: value})
    with pytest.raises(ProviderError, match=re.escape(expected)):
        provider.create(inputs)


def test_preview_checks_a_pool_once_for_all_its_jobs(
    aws: Aws, provider: UserImportJobProvider, inputs: dict[str, Any]
) -> None:
    calls: list[str] = []

    def record(model: Any, **_: Any) -> None:
        calls.append(model.name)

    client = cognito_client(AwsSettings.from_stack_config(stack_config(aws.endpoint).get))
    client.meta.events.register("before-call.cognito-idp", record)
    try:
        for name in ("first", "second", "third"):
            assert provider.check({}, {**inputs, "job_name": name}).failures == []
    finally:
        client.meta.events.unregister("before-call.cognito-idp", record)
    assert calls.count("DescribeUserPool") == 1
