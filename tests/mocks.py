"""Pulumi mocks that answer as AWS would, and a monitor that records the resource graph.

The recording monitor keeps every RegisterResource request as the engine would receive it:
type, parent, dependencies, secret outputs and inputs.
"""

from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.runtime import rpc
from pulumi.runtime.mocks import MockMonitor

from tests.support import JOB_TYPE


@dataclass
class Registration:
    type: str
    urn: str
    parent: str
    dependencies: list[str]
    secret_outputs: list[str]
    inputs: dict[str, Any]
    #: The provider reference the engine would use for it (`urn::id`), or "".
    provider: str = ""


class RecordingMonitor(MockMonitor):
    def __init__(self, mocks: pulumi.runtime.Mocks) -> None:
        super().__init__(mocks)
        self.registered: dict[str, Registration] = {}

    def RegisterResource(self, request: Any) -> Any:
        response = super().RegisterResource(request)  # type: ignore[no-untyped-call]
        if request.type == "pulumi:pulumi:Stack":
            return response
        assert request.name not in self.registered, f"two resources named {request.name!r}"
        self.registered[request.name] = Registration(
            type=request.type,
            urn=response.urn,
            parent=request.parent,
            dependencies=list(request.dependencies),
            secret_outputs=list(request.additionalSecretOutputs),
            inputs=rpc.deserialize_properties(request.object),
            provider=request.provider,
        )
        return response


class AwsMocks(pulumi.runtime.Mocks):
    """Answers as AWS would in partition aws-cn, region cn-north-1, account 111122223333."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        outputs = dict(args.inputs)
        if args.typ == "aws:iam/role:Role":
            outputs["arn"] = f"arn:aws-cn:iam::111122223333:role/{args.name}"
            return args.name, outputs
        if args.typ == "aws:cognito/userPool:UserPool":
            return "cn-north-1_Pool123", {**outputs, "arn": "arn:aws-cn:cognito-idp:pool"}
        if args.typ == JOB_TYPE:
            outputs.update(job_id="import-AbCdEf1234", status="Created", imported_users=0)
            outputs["pre_signed_url"] = "https://bucket.s3.amazonaws.com/key?X-Amz-Signature=abc"
            return f"{args.inputs['user_pool_id']}/import-AbCdEf1234", outputs
        return f"{args.name}-id", outputs

    def call(
        self, args: pulumi.runtime.MockCallArgs
    ) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        answers = {
            "aws:index/getPartition:getPartition": {"partition": "aws-cn", "id": "aws-cn"},
            "aws:index/getRegion:getRegion": {"region": "cn-north-1", "name": "cn-north-1"},
            "aws:index/getCallerIdentity:getCallerIdentity": {"accountId": "111122223333"},
        }
        return answers[args.token], []
