"""The real dynamic-provider host (`python -m pulumi.dynamic`) driven over gRPC, as the engine does.

This proves what mocks cannot: the provider unpickles in a fresh process by reference, the
engine's config reaches configure(), and every answer has the wire shape the engine reads.
"""

import asyncio
import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import grpc
import pytest
from google.protobuf import struct_pb2
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime import rpc
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from cognito_user_import import UserImportJobProvider
from tests.support import JOB_TYPE, ROOT, Aws, environment_without_aws

URN = f"urn:pulumi:dev::cognito-user-import::{JOB_TYPE}::users-job"


def to_struct(props: dict[str, Any]) -> struct_pb2.Struct:
    return asyncio.run(rpc.serialize_properties(props, {}))


def from_struct(struct: struct_pb2.Struct) -> dict[str, Any]:
    return dict(rpc.deserialize_properties(struct, keep_unknowns=True))


@pytest.fixture
def host() -> Iterator[provider_pb2_grpc.ResourceProviderStub]:
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "pulumi.dynamic"],
        cwd=ROOT,
        env={**environment_without_aws(), "PULUMI_PROJECT": "cognito-user-import"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    port = int(process.stdout.readline())
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    try:
        yield provider_pb2_grpc.ResourceProviderStub(channel)
    finally:
        channel.close()
        process.kill()
        process.wait()


def configure(host: Any, endpoint: str) -> None:
    config = {
        "aws:region": "us-east-1",
        "aws:endpoints": json.dumps([{"cognitoidp": endpoint}]),
        "aws:accessKey": "testing",
        "aws:secretKey": "testing",
    }
    host.Configure(provider_pb2.ConfigureRequest(args=to_struct(config)))


def test_every_call_through_the_host(host: Any, aws: Aws) -> None:
    configure(host, aws.endpoint)
    pickled = serialize_provider(UserImportJobProvider())
    inputs = {
        "__provider": pickled,
        "user_pool_id": aws.pool("customers"),
        "job_name": "over grpc",
        "cloud_watch_logs_role_arn": aws.role(),
    }

    checked = host.Check(
        provider_pb2.CheckRequest(urn=URN, olds=to_struct({}), news=to_struct(inputs))
    )
    assert list(checked.failures) == []
    assert from_struct(checked.inputs) == inputs

    created = host.Create(provider_pb2.CreateRequest(urn=URN, properties=checked.inputs))
    outs = from_struct(created.properties)
    assert created.id == f"{inputs['user_pool_id']}/{outs['job_id']}"
    assert outs["status"] == "Created" and outs["__provider"] == pickled
    assert outs["log_stream_name"] == f"{outs['job_id']}/over grpc"

    same = host.Diff(
        provider_pb2.DiffRequest(
            id=created.id, urn=URN, olds=created.properties, news=checked.inputs
        )
    )
    assert same.changes == provider_pb2.DiffResponse.DIFF_NONE

    renamed = to_struct({**inputs, "job_name": "renamed"})
    changed = host.Diff(
        provider_pb2.DiffRequest(id=created.id, urn=URN, olds=created.properties, news=renamed)
    )
    assert changed.changes == provider_pb2.DiffResponse.DIFF_SOME
    assert list(changed.replaces) == ["job_name"]

    read = host.Read(
        provider_pb2.ReadRequest(id=created.id, urn=URN, properties=created.properties)
    )
    assert read.id == created.id
    assert from_struct(read.properties)["job_id"] == outs["job_id"]
    assert not read.HasField("inputs")  # a refresh keeps the program's inputs

    waits_longer = to_struct({**inputs, "wait_timeout_seconds": 60})
    updated = host.Update(
        provider_pb2.UpdateRequest(
            id=created.id, urn=URN, olds=created.properties, news=waits_longer
        )
    )
    assert from_struct(updated.properties)["job_id"] == outs["job_id"]
    assert from_struct(updated.properties)["wait_timeout_seconds"] == 60

    pool = inputs["user_pool_id"]
    aws.upload_users(pool, outs["pre_signed_url"], ["ann"])
    aws.cognito.start_user_import_job(UserPoolId=pool, JobId=outs["job_id"])
    host.Delete(provider_pb2.DeleteRequest(id=created.id, urn=URN, properties=created.properties))
    assert aws.describe(pool, outs["job_id"])["Status"] in ("Stopping", "Stopped")


def test_check_failures_cross_the_wire(host: Any, aws: Aws) -> None:
    configure(host, aws.endpoint)
    news = {
        "__provider": serialize_provider(UserImportJobProvider()),
        "user_pool_id": "bad",
        "job_name": "x/y",
        "cloud_watch_logs_role_arn": rpc.UNKNOWN,
    }
    checked = host.Check(
        provider_pb2.CheckRequest(urn=URN, olds=to_struct({}), news=to_struct(news))
    )
    failures = {(f.property, f.reason.split(" (")[0]) for f in checked.failures}
    assert failures == {
        ("user_pool_id", r"must match the pattern [\w-]+_[0-9a-zA-Z]+"),
        ("job_name", r"must match the pattern [\w\s+=,.@-]+"),
    }  # the unknown role ARN (preview) is not a failure


def test_an_unknown_input_in_preview_replaces(host: Any, aws: Aws) -> None:
    configure(host, aws.endpoint)
    olds = {
        "__provider": serialize_provider(UserImportJobProvider()),
        "user_pool_id": "us-east-1_Abc",
        "job_name": "x",
        "cloud_watch_logs_role_arn": "arn:aws:iam::123456789012:role/logs",
    }
    news = {**olds, "cloud_watch_logs_role_arn": rpc.UNKNOWN}
    diff = host.Diff(
        provider_pb2.DiffRequest(
            id="us-east-1_Abc/import-x", urn=URN, olds=to_struct(olds), news=to_struct(news)
        )
    )
    assert list(diff.replaces) == ["cloud_watch_logs_role_arn"]


def test_read_by_id_alone_reads_every_property_from_cognito(host: Any, aws: Aws) -> None:
    """UserImportJob.get: the engine sends the program's blank inputs and no state."""
    configure(host, aws.endpoint)
    pool, role = aws.pool("customers"), aws.role()
    job = aws.job(pool, role, "made elsewhere")
    blank = {
        "__provider": serialize_provider(UserImportJobProvider()),
        "user_pool_id": "",
        "job_name": "",
        "cloud_watch_logs_role_arn": "",
    }
    resource_id = f"{pool}/{job['JobId']}"
    read = host.Read(provider_pb2.ReadRequest(id=resource_id, urn=URN, inputs=to_struct(blank)))
    assert read.id == resource_id
    properties = from_struct(read.properties)
    assert (properties["status"], properties["job_name"]) == ("Created", "made elsewhere")
    assert (properties["user_pool_id"], properties["cloud_watch_logs_role_arn"]) == (pool, role)
    assert from_struct(read.inputs)["job_name"] == "made elsewhere"


def test_an_aws_error_reaches_the_engine_as_the_providers_message(host: Any, aws: Aws) -> None:
    configure(host, aws.endpoint)
    props = {
        "__provider": serialize_provider(UserImportJobProvider()),
        "user_pool_id": "us-east-1_missing",
        "job_name": "x",
        "cloud_watch_logs_role_arn": aws.role(),
    }
    with pytest.raises(grpc.RpcError) as raised:
        host.Create(provider_pb2.CreateRequest(urn=URN, properties=to_struct(props)))
    details = raised.value.details()
    # The message alone, as the user reads it: no traceback from Pulumi's host (host.py).
    assert details.startswith("user_pool_id 'us-east-1_missing' does not exist"), details
    assert "Traceback" not in details and "ProviderError" not in details


def modules_loaded_by(module: str) -> list[str]:
    """Every module a fresh interpreter holds after importing `module`."""
    return subprocess.run(
        [sys.executable, "-c", f"import sys, {module}; print(*sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()


FREEZES = """
import gc, json
from cognito_user_import.aws import cognito_client, service_model
from cognito_user_import.settings import AwsSettings
counts = [gc.get_freeze_count()]
service_model("cognito-idp")
counts.append(gc.get_freeze_count())
settings = AwsSettings(region="eu-west-1", access_key="key", secret_key="secret")
client = cognito_client(settings)
counts.append(gc.get_freeze_count())
print(json.dumps([*counts, any(seen is client for seen in gc.get_objects())]))
"""


def test_what_botocore_builds_is_kept_out_of_the_cyclic_collectors_walks() -> None:
    """A host's exit, which the engine waits for, and every full collection skip botocore's
    models and clients once built (gc.freeze; benchmarks/preview_jobs.py measures it)."""
    output = subprocess.run(
        [sys.executable, "-c", FREEZES], capture_output=True, text=True, check=True
    ).stdout
    before, after_model, after_client, client_walked = json.loads(output)
    assert before == 0 < after_model < after_client
    assert not client_walked  # gc.get_objects() lists what collections walk


def test_the_host_loads_neither_pulumi_aws_nor_the_component() -> None:
    """What the host imports to unpickle the provider: the provider module and its own."""
    loaded = modules_loaded_by("cognito_user_import.provider")
    assert "cognito_user_import.provider" in loaded
    assert not [name for name in loaded if name.startswith("pulumi_aws")]
    assert "cognito_user_import.component" not in loaded
    assert "cognito_user_import.job" not in loaded
    # numpy loads with the first scan of a CSV (csvscan.scan), not with every host.
    assert not [name for name in loaded if name.split(".")[0] == "numpy"]


def test_a_program_declaring_jobs_loads_no_aws_client_code() -> None:
    """A program only pickles the provider: botocore's session and client, boto3 and urllib3
    load in the host at its first AWS call (benchmarks/preview_jobs.py), never here."""
    loaded = modules_loaded_by("cognito_user_import.job")
    assert "cognito_user_import.provider" in loaded
    heavy = ("botocore.session", "botocore.client", "botocore.config", "boto3", "urllib3", "numpy")
    assert [name for name in heavy if name in loaded] == []
