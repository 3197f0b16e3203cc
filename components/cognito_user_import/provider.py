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
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

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

from .aws import cognito_client, logs_client, proxies
from .calls import Cognito
from .constraints import check_import_inputs, check_inputs, is_unknown
from .copying import CopySource, region_of
from .errors import UserError
from .fields import (
    AWS_SETTINGS,
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
from .lifeline import LIFELINE
from .outputs import JobSummary
from .service import Created, ImportService, Source, log_group
from .settings import AwsSettings, SettingError

if TYPE_CHECKING:
    from mypy_boto3_logs import CloudWatchLogsClient

ID_SEPARATOR = "/"
#: The id's job part for a copy that had no user to send, so made no job.
NO_JOB = "no-job"
#: The input in which the dynamic-provider SDK keeps the pickled provider.
PROVIDER_KEY = "__provider"
_Method = TypeVar("_Method", bound=Callable[..., Any])


class ProviderError(UserError):
    """What the user reads when an operation fails: the message, no botocore chain."""


def user_facing(method: _Method) -> _Method:
    """Raise the product's message from the top of the provider method, chain cut. Only a
    UserError is shown as a message; anything else is a bug (host.py)."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except UserError as error:
            raise ProviderError(str(error)) from None

    return wrapper  # type: ignore[return-value]


def job_resource_id(user_pool_id: str, job_id: str) -> str:
    """`<poolId>/<jobId>`: enough to read the job back with nothing else (pulumi import)."""
    return f"{user_pool_id}{ID_SEPARATOR}{job_id}"


def parse_resource_id(resource_id: str) -> tuple[str, str]:
    pool_id, separator, job_id = resource_id.partition(ID_SEPARATOR)
    if not separator or not pool_id or not (job_id.startswith("import-") or job_id == NO_JOB):
        raise UserError(
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
        show_errors_as_messages(UserError)
        self._stack_settings: AwsSettings | SettingError
        try:
            self._stack_settings = AwsSettings.from_stack_config(req.config.get)
        except SettingError as error:  # reported by the first method that needs AWS
            self._stack_settings = error

    def _settings(self, props: Mapping[str, Any]) -> AwsSettings:
        """The job's settings: recorded with it (an explicit aws.Provider's, or the stack's
        through the plugin), else the stack's `aws:*` config this host was configured with."""
        recorded = props.get(AWS_SETTINGS)
        if recorded:
            return AwsSettings.from_record(recorded)
        stack = getattr(self, "_stack_settings", AwsSettings())
        if isinstance(stack, SettingError):
            raise stack
        return stack

    def _pools_checked(self) -> set[str]:
        """Pools this host found (or said it could not check): a host lives one operation."""
        if not hasattr(self, "_pools"):
            self._pools: set[str] = set()
        return self._pools

    def _service(self, props: Mapping[str, Any]) -> ImportService:
        """The import service with the job's settings (a copy's source in its own region)."""
        settings = self._settings(props)

        def cognito(region: str | None = None) -> Cognito:
            regional = settings.for_region(region)
            return Cognito(cognito_client(regional), self.iam_propagation_seconds, regional)

        def logs() -> "CloudWatchLogsClient":
            return logs_client(settings)

        def proxy_for(url: str) -> str | None:
            return next(iter(proxies(settings, url).values()), None)

        return ImportService(cognito, logs, _say, proxy_for=proxy_for)

    # -- check and diff ---------------------------------------------------------------------

    @user_facing
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        if is_unknown(news.get(AWS_SETTINGS)):  # an explicit provider not known yet
            return CheckResult(news, _failures(check_inputs(news) + check_import_inputs(news)))
        try:
            self._settings(news)
        except SettingError as error:  # a setting, not an input: no property to name
            return CheckResult(news, [CheckFailure("", str(error))])
        failures = _failures(check_inputs(news) + check_import_inputs(news))
        source = Source.of(news)
        import_failures = {"csv_file", "users", "rows_per_job"} & {f.property for f in failures}
        if source and not import_failures and not is_unknown(news.get(source.input_name)):
            digest, problems = self._service(news).preview(news, ask_aws=not failures)
            if digest is not None:
                # The digest of declared users is as secret as they are: state must not let
                # anyone confirm a guessed list (the engine keeps a value so marked secret).
                news = {**news, CONTENT_HASH: _secret(digest) if source.records else digest}
            failures += [CheckFailure(where, reason) for where, reason in problems]
        elif CopySource.of(news) and not failures:
            problems = self._service(news).preview_copy(news)
            failures += [CheckFailure(where, reason) for where, reason in problems]
        elif not failures and news.get("user_pool_id") not in self._pools_checked():
            problems = self._service(news).check_pool(news.get("user_pool_id"))
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
                if is_unknown(news.get(name)) or _given(olds, name) != _given(news, name)
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
        request = _request(props)
        created = self._service(props).create(request, props)  # type: ignore[arg-type]
        jobs = created.jobs
        job_id = jobs[0]["JobId"] if jobs else NO_JOB  # no job: a copy with no user to send
        return CreateResult(
            job_resource_id(request["UserPoolId"], job_id), self._created_outputs(props, created)
        )

    def _created_outputs(self, props: Mapping[str, Any], created: Created) -> dict[str, Any]:
        echoed = {name: props.get(name) for name in ECHOED}
        export = created.export.output() if created.export else None
        if not created.jobs:
            return {**echoed, **_no_jobs(), EXPORT: export}
        outputs = self._outputs(echoed, created.jobs, created.pool_name, created.first_lines)
        outputs[OUTCOME] = created.outcome.output() if created.outcome else None
        outputs[EXPORT] = export
        return outputs

    @user_facing
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        pool_id, job_id = parse_resource_id(id_)
        if job_id == NO_JOB:  # nothing in Cognito to read: as recorded, or gone if unknown
            return ReadResult(id_, props) if props.get("user_pool_id") else ReadResult("", {})
        job_ids = [job for job, _ in _recorded_jobs(props)] or [job_id]
        found_jobs = self._service(props).describe(pool_id, job_ids)
        if found_jobs is None:
            return ReadResult(id_="", outs={})  # gone: the engine drops it from state
        pool_name, jobs = found_jobs
        found = {name: jobs[0].get(member) for name, member in INPUTS.items()}
        # Imports name their jobs "<job_name>[ part i of n] @<marker>": keep the input.
        found["job_name"] = props.get("job_name") or found["job_name"]
        echoed = {name: props.get(name) for name in ECHOED if name not in INPUTS}
        first_lines = _first_lines(props, jobs)
        outputs = self._outputs({**found, **echoed}, jobs, pool_name, first_lines)
        outputs[OUTCOME] = _camel_keys(props.get(OUTCOME))
        outputs[EXPORT] = _camel_keys(props.get(EXPORT))
        ended = all(job["Status"] in TERMINAL_STATUSES for job in jobs)
        if ended and not (props.get(OUTCOME) or {}).get("complete"):
            outcome = self._service(props).outcome(outputs["log_group_name"], jobs, first_lines)
            outputs[OUTCOME] = outcome.output()
        # Read by id alone (get: the program's inputs are blank): inputs from Cognito.
        # On refresh: keep the program's.
        inputs = {name: value for name, value in found.items() if value is not None}
        return ReadResult(id_, outputs, None if props.get("user_pool_id") else inputs)

    @user_facing
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Inputs that need no new job changed (anything else replaces). An import asked now
        to start, or to be waited for, is continued on its own jobs (found by name, as after
        an interruption); otherwise the change is recorded, with the jobs' state read afresh
        when it can be, else as last recorded (never an output lost)."""
        if _continued(olds, news):
            created = self._service(news).create(_request(news), news)  # type: ignore[arg-type]
            return UpdateResult(self._created_outputs(news, created))
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
        if news.get("start") is False and olds.get("start"):
            _say(f"{id_}: start is now false, but Cognito cannot take back a started job.")
        return UpdateResult(outputs)

    @user_facing
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        pool_id, first = parse_resource_id(id_)
        if first == NO_JOB:
            return
        self._service(props).release(pool_id, [job for job, _ in _recorded_jobs(props)] or [first])

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
        summaries: list[JobSummary] = [
            {
                "jobId": job["JobId"],
                "jobName": job["JobName"],
                "status": job["Status"],
                "completionMessage": job.get("CompletionMessage"),
                "importedUsers": int(job.get("ImportedUsers") or 0),
                "skippedUsers": int(job.get("SkippedUsers") or 0),
                "failedUsers": int(job.get("FailedUsers") or 0),
                "logStreamName": f"{job['JobId']}/{job['JobName']}",
                "firstLine": first_line,
            }
            for job, first_line in zip(jobs, first_lines, strict=True)
        ]
        outputs["jobs"] = summaries
        return outputs


#: Inputs the outputs repeat (diff compares the new inputs with them). Not `users`: secret
#: personal data, kept (encrypted) as an input only.
ECHOED = tuple(
    name for name in (*INPUTS, *IMPORT_INPUTS, CONTENT_HASH, AWS_SETTINGS) if name != "users"
)


def _request(props: Mapping[str, Any]) -> dict[str, Any]:
    """CreateUserImportJob's request members from the inputs given."""
    return {member: props[name] for name, member in INPUTS.items() if props.get(name)}


def _continued(olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
    """An import now asked to start, or to be waited for, whose jobs were not: the update
    goes on with them. (`start` is not part of the import's identity, so this never makes
    a new job for rows already sent.)"""
    if Source.of(news) is None and CopySource.of(news) is None:
        return False
    statuses = [job.get("status") for job in olds.get("jobs") or []] or [olds.get("status")]
    starts = bool(news.get("start")) and not olds.get("start")
    waits = bool(news.get("wait")) and any(s not in TERMINAL_STATUSES for s in statuses)
    return starts or waits


def _given(props: Mapping[str, Any], name: str) -> Any:
    """An input's value as it decides the import: unset and empty alike, and a copy's
    source_region unset or the region its pool id begins with alike (the same copy)."""
    value = props.get(name) or None
    if name == "source_region" and value is None:
        return region_of(str(props.get("source_user_pool_id") or ""))
    return value


def _failures(violations: Sequence[Any]) -> list[CheckFailure]:
    return [CheckFailure(v.property, v.reason) for v in violations]


def _no_jobs() -> dict[str, Any]:
    """The outputs of an import that made no job: every count 0, done."""
    outputs: dict[str, Any] = dict.fromkeys((*JOB_OUTPUTS, "log_group_name", "log_stream_name"))
    outputs.update(dict.fromkeys(COUNTERS, 0))
    outputs.update({"status": "Succeeded", "jobs": [], OUTCOME: None})
    return outputs


def _recorded_jobs(props: Mapping[str, Any]) -> list[tuple[str, int | None]]:
    """Each job recorded in `jobs`, and where its rows start (state written before 0.3
    keyed them job_id and first_line)."""
    return [
        (job.get("jobId") or job["job_id"], job.get("firstLine") or job.get("first_line"))
        for job in props.get("jobs") or []
    ]


def _camel_keys(recorded: Any) -> Any:
    """An outcome or export as recorded; state written before 0.3 keyed it in snake_case."""
    if not isinstance(recorded, Mapping):
        return recorded
    return {re.sub(r"_([a-z])", lambda m: m[1].upper(), key): v for key, v in recorded.items()}


def _first_lines(props: Mapping[str, Any], jobs: Sequence[Any]) -> list[int]:
    """Where each job's rows start in the user's file (a split import's parts)."""
    recorded = [first_line for _, first_line in _recorded_jobs(props)]
    if len(recorded) == len(jobs) and all(line is not None for line in recorded):
        return [int(line or 2) for line in recorded]
    return [2] * len(jobs)  # read by id alone: one job, its rows from line 2


def _overall_status(statuses: list[str]) -> str:
    """One job: its status. Several: the first that is not Succeeded, else Succeeded."""
    unfinished = [status for status in statuses if status not in TERMINAL_STATUSES]
    unsuccessful = [status for status in statuses if status != "Succeeded"]
    return (unfinished or unsuccessful or ["Succeeded"])[0]
