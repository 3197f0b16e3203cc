"""The example programs that need pulumi-aws's plugin, run under Pulumi mocks.

The consumer example and the main program run through the real CLI (test_engine.py); these
two create AWS resources with pulumi-aws, whose plugin can't be fetched here.
"""

import runpy
from typing import Any

import pulumi
import pytest
from pulumi.runtime import rpc

from cognito_user_import.settings import AwsSettings
from tests.mocks import AwsMocks, RecordingMonitor
from tests.support import ROOT


@pytest.fixture
def monitor() -> RecordingMonitor:
    mocks = AwsMocks()
    recording = RecordingMonitor(mocks)
    pulumi.runtime.set_mocks(
        mocks, project="examples", stack="test", preview=False, monitor=recording
    )
    return recording


def run_example(name: str) -> dict[str, Any]:
    """Run an example's program; its globals, so a test can wait on its resources."""
    return runpy.run_path(str(ROOT / "examples" / name / "__main__.py"), run_name="__main__")


@pulumi.runtime.test
def test_pool_in_stack_imports_into_the_pool_it_creates(monitor: RecordingMonitor) -> Any:
    program = run_example("pool-in-stack")

    def check(_: Any) -> None:
        registered = monitor.registered
        pool, job = registered["customers-pool"], registered["customers-job"]
        assert pool.type == "aws:cognito/userPool:UserPool"
        assert pool.inputs["autoVerifiedAttributes"] == ["email"]
        assert job.inputs["user_pool_id"] == "cn-north-1_Pool123"
        assert job.inputs["job_name"] == "initial load"
        assert pool.urn in job.dependencies
        assert registered["customers-logs"].urn in job.dependencies
        assert registered["customers-logs-policy"].urn in job.dependencies

    return program["user_import"].job_id.apply(check)


@pulumi.runtime.test
def test_existing_pool_takes_the_pool_and_an_optional_role(monitor: RecordingMonitor) -> Any:
    pulumi.runtime.set_all_config(
        {
            "examples:userPoolId": "cn-north-1_Existing1",
            "examples:cloudWatchLogsRoleArn": "arn:aws-cn:iam::111122223333:role/platform-logs",
        }
    )
    program = run_example("existing-pool")

    def check(_: Any) -> None:
        assert set(monitor.registered) == {"customers", "customers-job"}
        job = monitor.registered["customers-job"]
        assert job.inputs["user_pool_id"] == "cn-north-1_Existing1"
        assert job.inputs["cloud_watch_logs_role_arn"].endswith("role/platform-logs")
        assert job.inputs["job_name"] == "customers"

    return program["user_import"].job_id.apply(check)


@pulumi.runtime.test
def test_pool_copy_copies_an_existing_pool_into_the_pool_it_creates(
    monitor: RecordingMonitor,
) -> Any:
    pulumi.runtime.set_all_config({"examples:sourceUserPoolId": "cn-north-1_OldPool1"})
    program = run_example("pool-copy")

    def check(_: Any) -> None:
        registered = monitor.registered
        pool, job = registered["members-pool"], registered["members-job"]
        assert pool.inputs["usernameConfiguration"] == {"caseSensitive": False}
        assert job.inputs["user_pool_id"] == "cn-north-1_Pool123"
        assert job.inputs["source_user_pool_id"] == "cn-north-1_OldPool1"
        assert (job.inputs["start"], job.inputs["wait"]) == (True, True)
        assert pool.urn in job.dependencies
        assert registered["members-logs-policy"].urn in job.dependencies

    return program["copy"].job_id.apply(check)


@pulumi.runtime.test
def test_another_account_gives_its_provider_to_the_role_and_the_job(
    monitor: RecordingMonitor,
) -> Any:
    """Without a role given, the role the component creates is made with the provider
    too: both land in the other account."""
    pulumi.runtime.set_all_config(
        {
            "examples:userPoolId": "cn-north-1_Other12",
            "examples:deployRoleArn": "arn:aws-cn:iam::999988887777:role/deployer",
            "examples:region": "cn-north-1",
        }
    )
    program = run_example("another-account")

    def check(_: Any) -> None:
        registered = monitor.registered
        provider, job = registered["other-account"], registered["customers-job"]
        assert provider.type == "pulumi:providers:aws"
        assert registered["customers-logs"].provider.startswith(provider.urn)
        recorded = rpc.unwrap_rpc_secret(job.inputs["aws_settings"])
        settings = AwsSettings.from_record(recorded)
        assert (settings.region, settings.origin.provider) == ("cn-north-1", "other-account")
        assert [role.role_arn for role in settings.assume_roles] == [
            "arn:aws-cn:iam::999988887777:role/deployer"
        ]
        assert job.inputs["csv_file"] == "users.csv"

    return program["user_import"].job_id.apply(check)
