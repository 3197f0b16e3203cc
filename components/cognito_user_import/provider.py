"""The dynamic resource provider of a Cognito user import job: every engine call, real.

It runs inside Pulumi's dynamic-provider host, unpickled from state. It is pickled by
reference (the class lives in an importable module), carries no client, logger or settings
when pickled (configure() sets them in the host), and imports neither pulumi-aws nor the
component, so it loads fast and `refresh`/`destroy` always run the current code.

An import job is immutable and cannot be deleted: every input change replaces it, and delete
stops a running job or releases a finished one from state, saying which.
"""

import sys
import time
from datetime import datetime
from typing import Any

from botocore import xform_name
from botocore.exceptions import BotoCoreError, ClientError
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from .aws import (
    AwsSettings,
    cognito_client,
    error_code,
    explain,
    is_role_not_assumable,
)
from .constraints import check_inputs, is_unknown
from .fields import ACTIVE_STATUSES, INPUTS, JOB_OUTPUTS, OPTIONAL_INPUTS

ID_SEPARATOR = "/"


def job_resource_id(user_pool_id: str, job_id: str) -> str:
    """`<poolId>/<jobId>`: enough to read the job back with nothing else (pulumi import)."""
    return f"{user_pool_id}{ID_SEPARATOR}{job_id}"


def parse_resource_id(resource_id: str) -> tuple[str, str]:
    pool_id, separator, job_id = resource_id.partition(ID_SEPARATOR)
    if not separator or not pool_id or not job_id.startswith("import-"):
        raise ValueError(
            f"{resource_id!r} is not a user import job id; expected <userPoolId>/<jobId>, "
            "e.g. us-east-1_AbCdEf123/import-AbCdEf1234"
        )
    return pool_id, job_id


def _plain(value: Any) -> Any:
    """State holds JSON: timestamps become ISO 8601 strings."""
    return value.isoformat() if isinstance(value, datetime) else value


def _inputs_of(props: dict[str, Any]) -> dict[str, Any]:
    inputs = {name: props.get(name) for name in INPUTS}
    return {k: v for k, v in inputs.items() if v is not None or k not in OPTIONAL_INPUTS}


def _say(message: str) -> None:
    """Tell the person running Pulumi what happened; the host shows a plugin's stderr."""
    print(message, file=sys.stderr, flush=True)


class UserImportJobProvider(ResourceProvider):
    #: The pickle holds a class reference and one float, no secret: keep it readable in
    #: state instead of encrypting it (the SDK's default for providers that might capture one).
    serialize_as_secret_always = False

    def __init__(self, iam_propagation_seconds: float = 120.0) -> None:
        #: How long create waits for a new role to become usable by Cognito.
        self.iam_propagation_seconds = iam_propagation_seconds

    def configure(self, req: ConfigureRequest) -> None:
        self._settings = AwsSettings.from_stack_config(req.config.get)

    def _client(self) -> Any:
        try:
            return cognito_client(getattr(self, "_settings", AwsSettings()))
        except BotoCoreError as error:  # no region, unknown profile, ...
            raise explain(error, "connecting to Cognito", {}) from error

    def _call(self, operation: str, inputs: dict[str, Any], **params: Any) -> dict[str, Any]:
        method = getattr(self._client(), xform_name(operation))
        try:
            return dict(method(**params))
        except (ClientError, BotoCoreError) as error:
            raise explain(error, operation, inputs) from error

    # -- check and diff: no AWS calls ---------------------------------------------------

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        failures = [CheckFailure(v.property, v.reason) for v in check_inputs(news)]
        return CheckResult(news, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        # `olds` are the old outputs, which repeat the inputs the job was created with.
        changed = [
            name
            for name in INPUTS
            if is_unknown(news.get(name)) or (olds.get(name) or None) != (news.get(name) or None)
        ]
        return DiffResult(changes=bool(changed), replaces=changed, delete_before_replace=False)

    # -- create, read, update, delete -----------------------------------------------------

    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs = _inputs_of(props)
        pool = self._call("DescribeUserPool", inputs, UserPoolId=inputs["user_pool_id"])
        request = {member: inputs[name] for name, member in INPUTS.items() if inputs.get(name)}
        job = self._create_job(inputs, request)
        return CreateResult(
            job_resource_id(inputs["user_pool_id"], job["JobId"]),
            self._outputs(inputs, job, pool["UserPool"]["Name"]),
        )

    def _create_job(self, inputs: dict[str, Any], request: dict[str, str]) -> dict[str, Any]:
        """CreateUserImportJob, waiting (bounded) while a new role propagates through IAM."""
        deadline = time.monotonic() + self.iam_propagation_seconds
        pause = 1.0
        while True:
            try:
                return dict(self._client().create_user_import_job(**request)["UserImportJob"])
            except ClientError as error:
                if not is_role_not_assumable(error) or time.monotonic() + pause > deadline:
                    raise explain(error, "CreateUserImportJob", inputs) from error
            except BotoCoreError as error:
                raise explain(error, "CreateUserImportJob", inputs) from error
            time.sleep(pause)
            pause = min(pause * 2, 10.0)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        pool_id, job_id = parse_resource_id(id_)
        client = self._client()
        try:
            job = client.describe_user_import_job(UserPoolId=pool_id, JobId=job_id)["UserImportJob"]
            pool_name = client.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Name"]
        except ClientError as error:
            if error_code(error) == "ResourceNotFoundException":
                return ReadResult(id_="", outs={})  # gone: the engine drops it from state
            raise explain(error, "DescribeUserImportJob", {"user_pool_id": pool_id}) from error
        except BotoCoreError as error:
            raise explain(error, "DescribeUserImportJob", {"user_pool_id": pool_id}) from error
        inputs = {
            name: job.get(member)
            for name, member in INPUTS.items()
            if job.get(member) is not None or name not in OPTIONAL_INPUTS
        }
        return ReadResult(id_, self._outputs(inputs, job, pool_name), inputs)

    def update(self, id_: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        # diff() replaces on every input change, so the engine only updates when nothing of
        # the job changed; answer with its current outputs rather than none.
        return UpdateResult(self.read(id_, news).outs)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        pool_id, job_id = parse_resource_id(id_)
        inputs = {"user_pool_id": pool_id}
        try:
            status = self._client().describe_user_import_job(UserPoolId=pool_id, JobId=job_id)[
                "UserImportJob"
            ]["Status"]
        except ClientError as error:
            if error_code(error) == "ResourceNotFoundException":
                _say(f"{job_id}: not found in {pool_id} (the pool is gone); removed from state.")
                return
            raise explain(error, "DescribeUserImportJob", inputs) from error
        if status in ACTIVE_STATUSES:
            self._call("StopUserImportJob", inputs, UserPoolId=pool_id, JobId=job_id)
            _say(f"{job_id}: was {status}, stopped; Cognito jobs cannot be deleted.")
        elif status == "Created":
            _say(
                f"{job_id}: never started; Cognito cannot delete or stop it, it expires on its "
                "own within 24-48 hours. Released from state."
            )
        else:
            _say(f"{job_id}: already {status}; jobs cannot be deleted. Released from state.")

    @staticmethod
    def _outputs(inputs: dict[str, Any], job: dict[str, Any], pool_name: str) -> dict[str, Any]:
        outputs = dict(inputs)
        outputs.update({name: _plain(job.get(member)) for name, member in JOB_OUTPUTS.items()})
        outputs["log_group_name"] = f"/aws/cognito/userpools/{inputs['user_pool_id']}/{pool_name}"
        outputs["log_stream_name"] = f"{job['JobId']}/{job['JobName']}"
        return outputs
