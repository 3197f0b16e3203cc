"""CognitoUserImport's resource graph under Pulumi mocks (pulumi-aws's plugin can't run here)."""

import base64
import json
from typing import Any

import dill
import pulumi
import pulumi_aws as aws
import pytest
from pulumi.runtime import rpc

from cognito_user_import import (
    CognitoUserImport,
    CognitoUserImportArgs,
    UserImportJob,
    UserImportJobArgs,
    UserImportJobProvider,
)
from cognito_user_import.component import forwarded_outputs
from cognito_user_import.fields import DECLARED, Input, Output
from cognito_user_import.settings import AwsSettings
from tests.mocks import AwsMocks, RecordingMonitor, Registration

POOL = "eu-west-1_AbCdEf123"
GIVEN_ROLE = "arn:aws:iam::111122223333:role/existing-logs"
PROD_ROLE = "arn:aws:iam::999988887777:role/deployer"


@pytest.fixture
def monitor() -> RecordingMonitor:
    mocks = AwsMocks()
    recording = RecordingMonitor(mocks)
    pulumi.runtime.set_mocks(mocks, project="proj", stack="test", preview=False, monitor=recording)
    return recording


def resolved(output: pulumi.Output[Any]) -> Any:
    """The value of an output once the mocked deployment has settled."""
    return output.future()


@pulumi.runtime.test
def test_without_a_role_it_creates_the_role_its_policy_and_the_job(
    monitor: RecordingMonitor,
) -> Any:
    component = CognitoUserImport(
        "users", CognitoUserImportArgs(user_pool_id=POOL, job_name="first")
    )

    def check(values: list[Any]) -> None:
        role_arn, job_id = values
        registered = monitor.registered
        assert set(registered) == {"users", "users-logs", "users-logs-policy", "users-job"}
        component_urn = registered["users"].urn
        role, policy = registered["users-logs"], registered["users-logs-policy"]
        assert (role.type, policy.type) == ("aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy")
        job = registered["users-job"]
        assert registered["users"].type == "cognito-user-import:index:CognitoUserImport"
        assert role.parent == policy.parent == job.parent == component_urn
        assert set(job.dependencies) == {role.urn, policy.urn}
        assert job.secret_outputs == ["pre_signed_url"]
        assert job.inputs["cloud_watch_logs_role_arn"] == role_arn
        assert role_arn == "arn:aws-cn:iam::111122223333:role/users-logs"
        assert job_id == "import-AbCdEf1234"

        trust = json.loads(role.inputs["assumeRolePolicy"])
        assert trust["Statement"] == [
            {
                "Effect": "Allow",
                "Principal": {"Service": "cognito-idp.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ]
        permissions = json.loads(policy.inputs["policy"])
        assert permissions["Statement"] == [
            {
                "Effect": "Allow",
                "Action": [
                    "logs:CreateLogGroup",
                    "logs:CreateLogStream",
                    "logs:DescribeLogStreams",
                    "logs:PutLogEvents",
                ],
                "Resource": "arn:aws-cn:logs:cn-north-1:111122223333:log-group:"
                f"/aws/cognito/userpools/{POOL}/*",
            }
        ]
        assert policy.inputs["role"] == "users-logs"

    return pulumi.Output.all(component.role_arn, component.job_id).apply(check)


@pulumi.runtime.test
def test_with_a_role_it_creates_only_the_job(monitor: RecordingMonitor) -> Any:
    component = CognitoUserImport(
        "users",
        CognitoUserImportArgs(
            user_pool_id=POOL,
            job_name="first",
            cloud_watch_logs_role_arn=GIVEN_ROLE,
            password_hashing_algorithm="BCRYPT",
        ),
    )

    def check(values: list[Any]) -> None:
        role_arn, _job_id = values
        assert set(monitor.registered) == {"users", "users-job"}
        job = monitor.registered["users-job"]
        assert job.parent == monitor.registered["users"].urn
        assert job.dependencies == []
        assert job.secret_outputs == ["pre_signed_url"]
        assert job.inputs["cloud_watch_logs_role_arn"] == GIVEN_ROLE
        assert job.inputs["password_hashing_algorithm"] == "BCRYPT"
        assert role_arn == GIVEN_ROLE
        assert component.role is None and component.role_policy is None

    return pulumi.Output.all(component.role_arn, component.job_id).apply(check)


@pulumi.runtime.test
def test_the_job_declares_every_output_and_the_provider_travels_small(
    monitor: RecordingMonitor,
) -> Any:
    component = CognitoUserImport(
        "users",
        CognitoUserImportArgs(
            user_pool_id=POOL, job_name="x", cloud_watch_logs_role_arn=GIVEN_ROLE
        ),
    )

    def check(_: Any) -> None:
        inputs = monitor.registered["users-job"].inputs
        declared = (
            "job_id", "pre_signed_url", "status", "creation_date", "start_date",
            "completion_date", "completion_message", "imported_users", "skipped_users",
            "failed_users", "log_group_name", "log_stream_name",
        )  # fmt: skip
        for name in declared:
            assert isinstance(getattr(component.job, name), pulumi.Output), name
        pickled = base64.b64decode(inputs["__provider"])
        # By reference: the class travels as its module path, not its code.
        assert b"cognito_user_import.provider" in pickled
        assert b"def create" not in pickled
        assert len(pickled) < 400
        provider = dill.loads(pickled)
        assert isinstance(provider, UserImportJobProvider)
        assert vars(provider) == {"iam_propagation_seconds": 120.0}

    return component.job_id.apply(check)


@pulumi.runtime.test
def test_component_outputs_come_from_the_job(monitor: RecordingMonitor) -> Any:
    component = CognitoUserImport(
        "users",
        CognitoUserImportArgs(
            user_pool_id=POOL, job_name="x", cloud_watch_logs_role_arn=GIVEN_ROLE
        ),
    )

    def check(values: list[Any]) -> None:
        assert values == ["import-AbCdEf1234", "Created", 0]

    return pulumi.Output.all(component.job_id, component.status, component.imported_users).apply(
        check
    )


def test_every_output_name_is_defined_once_and_declared_where_it_is_exposed() -> None:
    """fields.py names the outputs; the resource declares exactly those (and its inputs),
    the component a subset of them plus its role."""
    assert set(UserImportJob.__annotations__) == set(DECLARED)
    assert set(forwarded_outputs()) <= set(Output)
    assert set(CognitoUserImport.__annotations__) == {"role_arn", *forwarded_outputs()}


def explicit_provider() -> aws.Provider:
    """An aws.Provider as a multi-account stack declares one: its own region and a role."""
    return aws.Provider(
        "prod",
        region="eu-west-1",
        access_key="AKIAPROD",
        secret_key="prod-secret",
        assume_roles=[aws.ProviderAssumeRoleArgs(role_arn=PROD_ROLE, session_name="deploy")],
        endpoints=[aws.ProviderEndpointArgs(cognitoidp="https://cognito.example")],
    )


def settings_of(registration: Registration) -> dict[str, Any]:
    recorded = rpc.unwrap_rpc_secret(registration.inputs[Input.AWS_SETTINGS])
    return dict(recorded)


def expect_the_providers_settings(monitor: RecordingMonitor, job_name: str) -> None:
    job = monitor.registered[job_name]
    recorded = settings_of(job)
    assert recorded["provider"] == "prod"
    settings = AwsSettings.from_record(recorded)
    assert (settings.region, settings.access_key, settings.origin.key("region")) == (
        "eu-west-1",
        "AKIAPROD",
        "`region` of the aws.Provider 'prod'",
    )
    assert [role.role_arn for role in settings.assume_roles] == [PROD_ROLE]
    assert settings.endpoint("cognito-idp") == "https://cognito.example"
    assert rpc.is_rpc_secret(job.inputs[Input.AWS_SETTINGS])
    assert Input.AWS_SETTINGS in job.secret_outputs


@pulumi.runtime.test
def test_an_explicit_provider_reaches_the_job_as_it_reaches_the_role(
    monitor: RecordingMonitor,
) -> Any:
    provider = explicit_provider()
    component = CognitoUserImport(
        "users",
        CognitoUserImportArgs(user_pool_id=POOL, job_name="first"),
        pulumi.ResourceOptions(provider=provider),
    )

    def check(_: Any) -> None:
        prod = monitor.registered["prod"]
        assert monitor.registered["users-logs"].provider.startswith(prod.urn)
        assert monitor.registered["users-logs-policy"].provider.startswith(prod.urn)
        expect_the_providers_settings(monitor, "users-job")

    return component.job_id.apply(check)


@pulumi.runtime.test
def test_a_provider_in_providers_or_on_a_parent_reaches_the_job(
    monitor: RecordingMonitor,
) -> Any:
    provider = explicit_provider()
    listed = CognitoUserImport(
        "listed",
        CognitoUserImportArgs(
            user_pool_id=POOL, job_name="a", cloud_watch_logs_role_arn=GIVEN_ROLE
        ),
        pulumi.ResourceOptions(providers=[provider]),
    )
    parent = pulumi.ComponentResource("my:team:Imports", "team", None, pulumi.ResourceOptions(
        providers={"aws": provider}))  # fmt: skip
    inherited = CognitoUserImport(
        "inherited",
        CognitoUserImportArgs(
            user_pool_id=POOL, job_name="b", cloud_watch_logs_role_arn=GIVEN_ROLE
        ),
        pulumi.ResourceOptions(parent=parent),
    )

    def check(_: Any) -> None:
        expect_the_providers_settings(monitor, "listed-job")
        expect_the_providers_settings(monitor, "inherited-job")

    return pulumi.Output.all(listed.job_id, inherited.job_id).apply(check)


@pulumi.runtime.test
def test_a_bare_job_takes_an_aws_provider_as_its_provider_option(
    monitor: RecordingMonitor,
) -> Any:
    """Pulumi refuses an `aws` provider for a resource of another package; the job takes it
    (and its children would find it) as pulumi-aws's resources do."""
    job = UserImportJob(
        "bare",
        UserImportJobArgs(user_pool_id=POOL, job_name="c", cloud_watch_logs_role_arn=GIVEN_ROLE),
        pulumi.ResourceOptions(provider=explicit_provider()),
    )

    def check(_: Any) -> None:
        expect_the_providers_settings(monitor, "bare")

    return job.job_id.apply(check)


@pulumi.runtime.test
def test_without_an_explicit_provider_the_job_reads_the_stacks_settings(
    monitor: RecordingMonitor,
) -> Any:
    component = CognitoUserImport(
        "users",
        CognitoUserImportArgs(
            user_pool_id=POOL, job_name="x", cloud_watch_logs_role_arn=GIVEN_ROLE
        ),
    )

    def check(_: Any) -> None:
        assert Input.AWS_SETTINGS not in monitor.registered["users-job"].inputs

    return component.job_id.apply(check)
