"""The dynamic resource provider of a Cognito user import job: every engine call, real.

It runs inside Pulumi's dynamic-provider host, unpickled from state. It is pickled by
reference (the class lives in an importable module), carries no client, logger or settings
when pickled (configure() sets them in the host), and imports neither pulumi-aws nor the
component, so it loads fast and `refresh`/`destroy` always run the current code.

An import job is immutable and cannot be deleted: a change of what it imports replaces it,
and delete stops a running job or releases a finished one from state, saying which. With a
CSV file or users declared, create also uploads, starts and waits (importer.py), continuing
what an interrupted or failed attempt with the same inputs left in Cognito.

Pulumi's host prints whatever a method raises as a Python traceback; every method raises
the product's own message from its top (`user_facing`), without a chained botocore cause.
"""

import functools
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from botocore.exceptions import BotoCoreError
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
from pulumi.runtime import rpc

from .aws import (
    AwsCallError,
    AwsSettings,
    ConfigError,
    cognito_client,
    explain,
    logs_client,
)
from .calls import Cognito
from .constraints import check_import_inputs, check_inputs, is_unknown
from .fields import (
    CONTENT_HASH,
    COUNTERS,
    EXPORT,
    IMPORT_INPUTS,
    INPUTS,
    JOB_OUTPUTS,
    OUTCOME,
    REPLACE_ON,
    TERMINAL_STATUSES,
    UPDATE_ON,
)
from .host import show_errors_as_messages
from .importer import ImportFailed
from .lifeline import LIFELINE

if TYPE_CHECKING:
    from mypy_boto3_logs import CloudWatchLogsClient
from .copying import CopySource
from .service import ImportService, Source, log_group

ID_SEPARATOR = "/"
#: The id's job part for a copy that had no user to send, so made no job.
NO_JOB = "no-job"
#: The input in which the dynamic-provider SDK keeps the pickled provider.
PROVIDER_KEY = "__provider"
_Method = TypeVar("_Method", bound=Callable[..., Any])


class ProviderError(Exception):
    """What the user reads when an operation fails: the message, no botocore chain."""


def user_facing(method: _Method) -> _Method:
    """Raise the product's message from the top of the provider method, chain cut."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except (AwsCallError, ImportFailed, ConfigError, ValueError) as error:
            raise ProviderError(str(error)) from None

    return wrapper  # type: ignore[return-value]


def job_resource_id(user_pool_id: str, job_id: str) -> str:
    """`<poolId>/<jobId>`: enough to read the job back with nothing else (pulumi import)."""
    return f"{user_pool_id}{ID_SEPARATOR}{job_id}"


def parse_resource_id(resource_id: str) -> tuple[str, str]:
    pool_id, separator, job_id = resource_id.partition(ID_SEPARATOR)
    if not separator or not pool_id or not (job_id.startswith("import-") or job_id == NO_JOB):
        raise ValueError(
            f"{resource_id!r} is not a user import job id; expected <userPoolId>/<jobId>, "
            "e.g. us-east-1_AbCdEf123/import-AbCdEf1234"
        )
    return pool_id, job_id


def _plain(value: Any) -> Any:
    """State holds JSON: timestamps become ISO 8601 strings."""
    return value.isoformat() if isinstance(value, datetime) else value


def _secret(value: str) -> dict[str, str]:
    """A value as the engine's wire format marks a secret; dynamic providers have no other
    way to return one from check."""
    return {rpc._special_sig_key: rpc._special_secret_sig, "value": value}


def _say(message: str) -> None:
    """Tell the person running Pulumi what happened; the engine shows a plugin's stderr."""
    print(message, file=sys.stderr, flush=True)


class UserImportJobProvider(ResourceProvider):
    """The dynamic provider of UserImportJob: Pulumi's engine calls, translated to Cognito.

    Pickled by reference into each resource's state and run by Pulumi's dynamic-provider
    host; configured from the stack's `aws:*` config as pulumi-aws would be.
    """

    #: The pickle holds a class reference and one float, no secret: keep it readable in
    #: state instead of encrypting it (the SDK's default for providers that might capture one).
    serialize_as_secret_always = False

    def __init__(self, iam_propagation_seconds: float = 120.0) -> None:
        #: How long create waits for a new role to become usable by Cognito.
        self.iam_propagation_seconds = iam_propagation_seconds

    def configure(self, req: ConfigureRequest) -> None:
        LIFELINE.watch_host()
        show_errors_as_messages(ProviderError)
        self._config_error: ConfigError | None = None
        try:
            self._settings = AwsSettings.from_stack_config(req.config.get)
        except ConfigError as error:  # reported by the first method that needs AWS
            self._config_error = error

    def _cognito(self, region: str | None = None) -> Cognito:
        config_error: ConfigError | None = getattr(self, "_config_error", None)
        if config_error is not None:
            raise config_error
        settings: AwsSettings = getattr(self, "_settings", AwsSettings())
        try:
            client = cognito_client(replace(settings, region=region) if region else settings)
        except BotoCoreError as error:  # no region, unknown profile, ...
            raise explain(error, "connecting to Cognito") from None
        return Cognito(client, self.iam_propagation_seconds)

    def _pools_checked(self) -> set[str]:
        """Pools this host found (or said it could not check): a host lives one operation."""
        if not hasattr(self, "_pools"):
            self._pools: set[str] = set()
        return self._pools

    def _logs(self) -> "CloudWatchLogsClient":
        return logs_client(getattr(self, "_settings", AwsSettings()))

    def _service(self) -> ImportService:
        return ImportService(self._cognito, self._logs, _say)

    # -- check and diff ---------------------------------------------------------------------

    @user_facing
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        config_error: ConfigError | None = getattr(self, "_config_error", None)
        if config_error is not None:  # a stack setting, not an input: no property to name
            return CheckResult(news, [CheckFailure("", str(config_error))])
        violations = check_inputs(news) + check_import_inputs(news)
        failures = [CheckFailure(v.property, v.reason) for v in violations]
        source = Source.of(news)
        import_failures = {"csv_file", "users", "rows_per_job"} & {f.property for f in failures}
        if source and not import_failures and not is_unknown(news.get(source.input_name)):
            digest, problems = self._service().preview(news, ask_aws=not failures)
            if digest is not None:
                # The digest of declared users is as secret as they are: state must not let
                # anyone confirm a guessed list (the engine keeps a value so marked secret).
                news = {**news, CONTENT_HASH: _secret(digest) if source.records else digest}
            failures += [CheckFailure(where, reason) for where, reason in problems]
        elif CopySource.of(news) and not failures:
            problems = self._service().preview_copy(news)
            failures += [CheckFailure(where, reason) for where, reason in problems]
        elif not failures and news.get("user_pool_id") not in self._pools_checked():
            problems = self._service().check_pool(news.get("user_pool_id"))
            failures += [CheckFailure(where, reason) for where, reason in problems]
            if not problems:  # one check a pool per host: 50 jobs of a pool make one call
                self._pools_checked().add(news["user_pool_id"])
        return CheckResult(news, failures)

    @user_facing
    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        # `olds` are the old outputs, which repeat the inputs the job was created with.
        def changed(names: tuple[str, ...]) -> list[str]:
            return [
                name
                for name in names
                if is_unknown(news.get(name))
                or (olds.get(name) or None) != (news.get(name) or None)
            ]

        replaces = changed(REPLACE_ON)
        # A provider pickled by an older version (another module path) is rewritten by an
        # update, so that refresh and destroy never need the old module.
        updates = changed(UPDATE_ON) + changed((PROVIDER_KEY,))
        return DiffResult(
            changes=bool(replaces or updates), replaces=replaces, delete_before_replace=False
        )

    # -- create, read, update, delete -----------------------------------------------------

    @user_facing
    def create(self, props: dict[str, Any]) -> CreateResult:
        request = {member: props[name] for name, member in INPUTS.items() if props.get(name)}
        created = self._service().create(request, props)  # type: ignore[arg-type]
        jobs = created.jobs
        echoed = {name: props.get(name) for name in (*INPUTS, *IMPORT_INPUTS, CONTENT_HASH)}
        echoed.pop("users")  # secret personal data: kept (encrypted) as an input only
        export = created.export.output() if created.export else None
        if not jobs:  # a copy that found no user the target lacks
            outputs = {**echoed, **_no_jobs(), EXPORT: export}
            return CreateResult(job_resource_id(request["UserPoolId"], NO_JOB), outputs)
        outputs = self._outputs(echoed, jobs, created.pool_name, created.first_lines)
        outputs[OUTCOME] = created.outcome.output() if created.outcome else None
        outputs[EXPORT] = export
        return CreateResult(job_resource_id(request["UserPoolId"], jobs[0]["JobId"]), outputs)

    @user_facing
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        pool_id, job_id = parse_resource_id(id_)
        if job_id == NO_JOB:  # nothing in Cognito to read: as recorded, or gone if unknown
            return ReadResult(id_, props) if props.get("user_pool_id") else ReadResult("", {})
        job_ids = [job["job_id"] for job in props.get("jobs") or []] or [job_id]
        found_jobs = self._service().describe(pool_id, job_ids)
        if found_jobs is None:
            return ReadResult(id_="", outs={})  # gone: the engine drops it from state
        pool_name, jobs = found_jobs
        found = {name: jobs[0].get(member) for name, member in INPUTS.items()}
        # Imports name their jobs "<job_name>[ part i of n] @<marker>": keep the input.
        found["job_name"] = props.get("job_name") or found["job_name"]
        echoed = {name: props.get(name) for name in (*IMPORT_INPUTS, CONTENT_HASH)}
        echoed.pop("users")
        first_lines = _first_lines(props, jobs)
        outputs = self._outputs({**found, **echoed}, jobs, pool_name, first_lines)
        outputs[OUTCOME] = props.get(OUTCOME)
        outputs[EXPORT] = props.get(EXPORT)
        ended = all(job["Status"] in TERMINAL_STATUSES for job in jobs)
        if ended and not (props.get(OUTCOME) or {}).get("complete"):
            outcome = self._service().outcome(outputs["log_group_name"], jobs, first_lines)
            outputs[OUTCOME] = outcome.output()
        # Read by id alone (get: the program's inputs are blank): inputs from Cognito.
        # On refresh: keep the program's.
        inputs = {name: value for name, value in found.items() if value is not None}
        return ReadResult(id_, outputs, None if props.get("user_pool_id") else inputs)

    @user_facing
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Only the file's path, the waiting settings or the pickled provider changed
        (anything else replaces): record them, with the jobs' state read afresh when it can
        be, else as last recorded (never an output lost)."""
        outputs = {name: value for name, value in olds.items() if name != PROVIDER_KEY}
        try:
            fresh = self.read(id_, olds).outs
        except ProviderError as error:
            _say(f"{id_}: could not read the jobs afresh, outputs kept as last recorded: {error}")
        else:
            if fresh:
                outputs.update(fresh)
            else:
                _say(f"{id_}: the pool or job is gone; outputs kept as last recorded.")
        outputs.update({name: news.get(name) for name in UPDATE_ON})
        return UpdateResult(outputs)

    @user_facing
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        pool_id, first = parse_resource_id(id_)
        if first == NO_JOB:
            return
        self._service().release(
            pool_id, [job["job_id"] for job in props.get("jobs") or []] or [first]
        )

    @staticmethod
    def _outputs(
        echoed: dict[str, Any],
        jobs: Sequence[Mapping[str, Any]],
        pool_name: str,
        first_lines: list[int],
    ) -> dict[str, Any]:
        """The first job's fields, the import's totals, and every job in `jobs`."""
        first = jobs[0]
        outputs = dict(echoed)
        outputs.update({name: _plain(first.get(member)) for name, member in JOB_OUTPUTS.items()})
        for name in COUNTERS:
            outputs[name] = sum(int(job.get(JOB_OUTPUTS[name]) or 0) for job in jobs)
        outputs["status"] = _overall_status([job["Status"] for job in jobs])
        outputs["log_group_name"] = log_group(first["UserPoolId"], pool_name)
        outputs["log_stream_name"] = f"{first['JobId']}/{first['JobName']}"
        outputs["jobs"] = [
            {
                "job_id": job["JobId"],
                "job_name": job["JobName"],
                "status": job["Status"],
                "completion_message": job.get("CompletionMessage"),
                **{name: int(job.get(JOB_OUTPUTS[name]) or 0) for name in COUNTERS},
                "log_stream_name": f"{job['JobId']}/{job['JobName']}",
                "first_line": first_line,
            }
            for job, first_line in zip(jobs, first_lines, strict=True)
        ]
        return outputs


def _no_jobs() -> dict[str, Any]:
    """The outputs of an import that made no job: every count 0, done."""
    outputs: dict[str, Any] = dict.fromkeys((*JOB_OUTPUTS, "log_group_name", "log_stream_name"))
    outputs.update(dict.fromkeys(COUNTERS, 0))
    outputs.update({"status": "Succeeded", "jobs": [], OUTCOME: None})
    return outputs


def _first_lines(props: Mapping[str, Any], jobs: Sequence[Any]) -> list[int]:
    """Where each job's rows start in the user's file (a split import's parts)."""
    recorded = [job.get("first_line") for job in props.get("jobs") or []]
    if len(recorded) == len(jobs) and all(recorded):
        return [int(line) for line in recorded]
    return [2] * len(jobs)  # read by id alone: one job, its rows from line 2


def _overall_status(statuses: list[str]) -> str:
    """One job: its status. Several: the first that is not Succeeded, else Succeeded."""
    unfinished = [status for status in statuses if status not in TERMINAL_STATUSES]
    unsuccessful = [status for status in statuses if status != "Succeeded"]
    return (unfinished or unsuccessful or ["Succeeded"])[0]
