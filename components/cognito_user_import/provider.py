"""The dynamic resource provider of a Cognito user import job: every engine call, real.

It runs inside Pulumi's dynamic-provider host, unpickled from state. It is pickled by
reference (the class lives in an importable module), carries no client, logger or settings
when pickled (configure() sets them in the host), and imports neither pulumi-aws nor the
component, so it loads fast and `refresh`/`destroy` always run the current code.

It only translates: the engine's properties are parsed into typed inputs at once
(inputs.py), the import service decides and acts (service.py), and what it made goes back
in the engine's shape (wire.py). An import job is immutable and cannot be deleted: a change
of what it imports replaces it, and delete stops a running job or releases a finished one.

Pulumi's host prints whatever a method raises as a Python traceback; every method raises
the product's own message from its top (`user_facing`), without a chained botocore cause.
"""

import functools
import sys
from collections.abc import Callable, Mapping
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

from .aws import cognito_client, logs_client, proxies
from .calls import Cognito
from .copying import CopySource, region_of
from .errors import UserError
from .fields import REPLACE_ON, UPDATE_ON, Input, Output
from .host import show_errors_as_messages
from .inputs import JobInputs, Violation, is_unknown, parse
from .jobs import TERMINAL
from .lifeline import LIFELINE
from .outputs import camel_keys, export_of, outcome_of
from .service import Created, ImportService, log_group
from .settings import AwsSettings, SettingError
from .source import Source
from .wire import (
    NO_JOB,
    echoed,
    first_lines,
    found_inputs,
    job_outputs,
    job_resource_id,
    no_jobs,
    parse_resource_id,
    recorded_jobs,
    recorded_statuses,
    secret,
)

if TYPE_CHECKING:
    from mypy_boto3_logs import CloudWatchLogsClient

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
        recorded = props.get(Input.AWS_SETTINGS)
        if recorded:
            return AwsSettings.from_record(recorded)
        stack = getattr(self, "_stack_settings", AwsSettings())
        if isinstance(stack, SettingError):
            raise stack
        return stack

    def _checked_pools(self) -> set[str]:
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

        return ImportService(
            cognito, logs, _say, proxy_for=proxy_for, checked_pools=self._checked_pools()
        )

    # -- check and diff ---------------------------------------------------------------------

    @user_facing
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs, violations = parse(news)
        if Input.AWS_SETTINGS in inputs.unknown:  # an explicit provider not known yet
            return CheckResult(news, _failures(violations))
        try:
            self._settings(news)
        except SettingError as error:  # a setting, not an input: no property to name
            return CheckResult(news, [CheckFailure("", str(error))])
        checked = self._service(news).check(inputs, violations)
        if checked.digest is not None:
            # The digest of declared users is as secret as they are: state must not let
            # anyone confirm a guessed list (the engine keeps a value so marked secret).
            digest = secret(checked.digest) if checked.digest_is_secret else checked.digest
            news = {**news, Input.CONTENT_SHA256: digest}
        return CheckResult(news, _failures(checked.violations))

    @user_facing
    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        # `olds` are the old outputs, which repeat the inputs the job was created with.
        def changed(names: tuple[str, ...]) -> list[str]:
            return [
                name
                for name in names
                if is_unknown(news.get(name)) or _decides(olds, name) != _decides(news, name)
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
        inputs = _parsed(props)
        created = self._service(props).create(inputs)
        job_id = created.jobs[0].job_id if created.jobs else NO_JOB  # a copy with no user
        outputs = _created_outputs(props, created)
        return CreateResult(job_resource_id(inputs.request()["UserPoolId"], job_id), outputs)

    @user_facing
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        pool_id, job_id = parse_resource_id(id_)
        refreshed = bool(props.get(Input.USER_POOL_ID))  # else read by id alone (get)
        if job_id == NO_JOB:  # nothing in Cognito to read: as recorded, or gone if unknown
            return ReadResult(id_, props) if refreshed else ReadResult("", {})
        job_ids = [job for job, _ in recorded_jobs(props)] or [job_id]
        found_jobs = self._service(props).read_jobs(pool_id, job_ids)
        if found_jobs is None:
            return ReadResult(id_="", outs={})  # gone: the engine drops it from state
        pool_name, jobs = found_jobs
        found = found_inputs(jobs[0])
        # Imports name their jobs "<job_name>[ part i of n] @<marker>": keep the input.
        found[Input.JOB_NAME] = props.get(Input.JOB_NAME) or found[Input.JOB_NAME]
        repeated = {name: value for name, value in echoed(props).items() if name not in found}
        lines = first_lines(props, jobs)
        group = log_group(pool_id, pool_name)
        outputs = job_outputs({**found, **repeated}, jobs, group, lines)
        recorded = camel_keys(props.get(Output.OUTCOME))
        outputs[Output.OUTCOME] = recorded
        outputs[Output.EXPORT] = camel_keys(props.get(Output.EXPORT))
        if all(job.ended for job in jobs) and not (recorded or {}).get("complete"):
            outputs[Output.OUTCOME] = outcome_of(self._service(props).outcome(group, jobs, lines))
        # Read by id alone: inputs from Cognito. On refresh: keep the program's.
        inputs = {name: value for name, value in found.items() if value is not None}
        return ReadResult(id_, outputs, None if refreshed else inputs)

    @user_facing
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Inputs that need no new job changed (anything else replaces). An import asked now
        to start, or to be waited for, is continued on its own jobs (found by name, as after
        an interruption); otherwise the change is recorded, with the jobs' state read afresh
        when it can be, else as last recorded (never an output lost)."""
        inputs = _parsed(news)
        if _continued(olds, inputs):
            created = self._service(news).create(inputs)
            return UpdateResult(_created_outputs(news, created))
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
        if not inputs.start and olds.get(Input.START):
            _say(f"{id_}: start is now false, but Cognito cannot take back a started job.")
        return UpdateResult(outputs)

    @user_facing
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        pool_id, first = parse_resource_id(id_)
        if first == NO_JOB:
            return
        jobs = [job for job, _ in recorded_jobs(props)] or [first]
        self._service(props).release(pool_id, jobs)


def _parsed(props: Mapping[str, Any]) -> JobInputs:
    """The typed inputs of create and update, which check has passed: a violation now (the
    engine skipped check) is refused like any other."""
    inputs, violations = parse(props)
    if violations:
        listed = "\n  ".join(f"{where}: {reason}" for where, reason in violations)
        raise UserError(f"The inputs break their rules:\n  {listed}")
    return inputs


def _created_outputs(props: Mapping[str, Any], created: Created) -> dict[str, Any]:
    repeated = echoed(props)
    export = export_of(created.export) if created.export else None
    if not created.jobs:
        return {**repeated, **no_jobs(), Output.EXPORT: export}
    group = log_group(created.jobs[0].pool_id, created.pool_name)
    outputs = job_outputs(repeated, created.jobs, group, created.first_lines)
    outputs[Output.OUTCOME] = outcome_of(created.outcome) if created.outcome else None
    outputs[Output.EXPORT] = export
    return outputs


def _continued(olds: Mapping[str, Any], news: JobInputs) -> bool:
    """An import now asked to start, or to be waited for, whose jobs were not: the update
    goes on with them. (`start` is not part of the import's key, so this never makes a new
    job for rows already sent.)"""
    if Source.of(news) is None and CopySource.of(news) is None:
        return False
    starts = news.start and not olds.get(Input.START)
    waits = news.wait and any(status not in TERMINAL for status in recorded_statuses(olds))
    return starts or waits


def _decides(props: Mapping[str, Any], name: str) -> Any:
    """An input's value as it decides the import: unset and empty alike, and a copy's
    source_region unset or the region its pool id begins with alike (the same copy)."""
    value = props.get(name) or None
    if name == Input.SOURCE_REGION and value is None:
        return region_of(str(props.get(Input.SOURCE_USER_POOL_ID) or ""))
    return value


def _failures(violations: list[Violation]) -> list[CheckFailure]:
    return [CheckFailure(violation.input, violation.reason) for violation in violations]
