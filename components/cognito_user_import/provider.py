"""The dynamic resource provider of a Cognito user import job: every engine call, real.

It runs inside Pulumi's dynamic-provider host, unpickled from state. It is pickled by
reference (the class lives in an importable module), carries no client, logger or settings
when pickled (configure() sets them in the host), and imports neither pulumi-aws nor the
component, so it loads fast and `refresh`/`destroy` always run the current code.

An import job is immutable and cannot be deleted: a change of what it imports replaces it,
and delete stops a running job or releases a finished one from state, saying which. With a
CSV file or users declared, create also uploads, starts and waits (importer.py).
"""

import sys
from datetime import datetime
from pathlib import Path
from typing import Any

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

from .aws import AwsCallError, AwsSettings, cognito_client, explain
from .calls import Cognito
from .constraints import check_import_inputs, check_inputs, is_unknown
from .csvfile import (
    MAX_ROWS_PER_JOB,
    PoolRules,
    Scan,
    default_header,
    records_digest,
    scan,
    unknown_attributes,
)
from .fields import (
    ACTIVE_STATUSES,
    CONTENT_HASH,
    COUNTERS,
    DEFAULT_WAIT_TIMEOUT_SECONDS,
    IMPORT_INPUTS,
    INPUTS,
    JOB_OUTPUTS,
    REPLACE_ON,
    TERMINAL_STATUSES,
    UPDATE_ON,
)
from .importer import ImportFailed, ImportRun, Plan, csv_source

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


def _say(message: str) -> None:
    """Tell the person running Pulumi what happened; the engine shows a plugin's stderr."""
    print(message, file=sys.stderr, flush=True)


def _has_source(props: dict[str, Any]) -> bool:
    return bool(props.get("csv_file") or props.get("users"))


class UserImportJobProvider(ResourceProvider):
    #: The pickle holds a class reference and one float, no secret: keep it readable in
    #: state instead of encrypting it (the SDK's default for providers that might capture one).
    serialize_as_secret_always = False

    def __init__(self, iam_propagation_seconds: float = 120.0) -> None:
        #: How long create waits for a new role to become usable by Cognito.
        self.iam_propagation_seconds = iam_propagation_seconds

    def configure(self, req: ConfigureRequest) -> None:
        self._settings = AwsSettings.from_stack_config(req.config.get)

    def _cognito(self, inputs: dict[str, Any]) -> Cognito:
        try:
            client = cognito_client(getattr(self, "_settings", AwsSettings()))
        except BotoCoreError as error:  # no region, unknown profile, ...
            raise explain(error, "connecting to Cognito", inputs) from error
        return Cognito(client, inputs, self.iam_propagation_seconds)

    # -- check and diff ---------------------------------------------------------------------

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        violations = check_inputs(news) + check_import_inputs(news)
        failures = [CheckFailure(v.property, v.reason) for v in violations]
        source = "csv_file" if news.get("csv_file") else "users"
        import_failures = {"csv_file", "users", "rows_per_job"} & {f.property for f in failures}
        if _has_source(news) and not import_failures and not is_unknown(news.get(source)):
            checked, more = self._check_csv(news, source, ask_aws=not failures)
            digest = checked.sha256 if source == "csv_file" else records_digest(news["users"])
            news = {**news, CONTENT_HASH: digest}
            failures += more
        return CheckResult(news, failures)

    def _check_csv(
        self, news: dict[str, Any], source: str, ask_aws: bool
    ) -> tuple[Scan, list[CheckFailure]]:
        """Validate the CSV in preview: against the pool's header when it can be read.

        With other inputs failing, no AWS call is made: the checks that need no pool still run.
        """
        if source == "csv_file" and not Path(news["csv_file"]).is_file():
            missing = CheckFailure(
                "csv_file", f"no such file: {news['csv_file']} (from {Path.cwd()})"
            )
            return Scan(sha256=""), [missing]
        try:
            rules = self._pool_rules(news) if ask_aws else None
        except AwsCallError as error:
            return Scan(sha256=""), [CheckFailure("user_pool_id", str(error))]
        users = news.get("users") or []
        header = list(rules.header) if rules else default_header(users)
        failures = [
            CheckFailure("users", f"{where}: is not a column of the pool's CSV header")
            for where in unknown_attributes(users, header)
        ]
        with csv_source(news, header) as path:
            checked = scan(path, rules, int(news.get("rows_per_job") or MAX_ROWS_PER_JOB))
        failures += [CheckFailure(source, problem) for problem in checked.summary(bool(users))]
        if len(checked.parts) > 1 and not news.get("wait"):
            failures.append(
                CheckFailure(
                    "wait",
                    f"must be true: the CSV needs {len(checked.parts)} jobs, which must run one "
                    "after another (Cognito runs one import job at a time per account)",
                )
            )
        return checked, failures

    def _pool_rules(self, news: dict[str, Any]) -> PoolRules | None:
        """The pool's header and settings, or None when they can't be known yet.

        None in preview of a pool not created yet, or without credentials (create checks
        again); a pool that does not exist is an error worth showing in preview.
        """
        pool_id = news.get("user_pool_id")
        if not pool_id or is_unknown(pool_id):
            return None
        try:
            cognito = self._cognito(news)
            return PoolRules.from_aws(cognito.csv_header(pool_id), cognito.user_pool(pool_id))
        except AwsCallError as error:
            if error.not_found:
                raise
            return None

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
        updates = changed(UPDATE_ON)
        return DiffResult(
            changes=bool(replaces or updates), replaces=replaces, delete_before_replace=False
        )

    # -- create, read, update, delete -----------------------------------------------------

    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs: dict[str, str] = {name: props[name] for name in INPUTS if props.get(name)}
        cognito = self._cognito(inputs)
        pool = cognito.user_pool(inputs["user_pool_id"])
        request = {member: inputs[name] for name, member in INPUTS.items() if name in inputs}
        if _has_source(props):
            jobs = self._import(cognito, request, pool, props)
        else:
            jobs = [cognito.create_job(request)]
        echoed = {name: props.get(name) for name in (*INPUTS, *IMPORT_INPUTS, CONTENT_HASH)}
        echoed.pop("users")  # secret personal data: kept (encrypted) as an input only
        outputs = self._outputs(echoed, jobs, pool["Name"])
        return CreateResult(job_resource_id(inputs["user_pool_id"], jobs[0]["JobId"]), outputs)

    def _import(
        self, cognito: Cognito, request: dict[str, str], pool: dict[str, Any], props: dict[str, Any]
    ) -> list[dict[str, Any]]:
        rules = PoolRules.from_aws(cognito.csv_header(request["UserPoolId"]), pool)
        source = "csv_file" if props.get("csv_file") else "users"
        with csv_source(props, list(rules.header)) as path:
            checked = scan(path, rules, int(props.get("rows_per_job") or MAX_ROWS_PER_JOB))
            if checked.problem_count:
                listed = "\n  ".join(checked.summary(records=source == "users"))
                raise ImportFailed(f"{source} does not fit the pool's CSV rules:\n  {listed}")
            if source == "csv_file" and props.get(CONTENT_HASH) not in (None, checked.sha256):
                raise ImportFailed(
                    f"{props.get('csv_file')} changed after preview; run `pulumi up` again."
                )
            plan = Plan(
                start=bool(props.get("start")),
                wait=bool(props.get("wait")),
                timeout_seconds=float(
                    props.get("wait_timeout_seconds") or DEFAULT_WAIT_TIMEOUT_SECONDS
                ),
            )
            return ImportRun(cognito, request, path, checked, plan, _say).run()

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        pool_id, job_id = parse_resource_id(id_)
        cognito = self._cognito({"user_pool_id": pool_id})
        job_ids = [job["job_id"] for job in props.get("jobs") or []] or [job_id]
        try:
            jobs = [cognito.describe(pool_id, each) for each in job_ids]
            pool_name = cognito.user_pool(pool_id)["Name"]
        except AwsCallError as error:
            if error.not_found:
                return ReadResult(id_="", outs={})  # gone: the engine drops it from state
            raise
        found = {name: jobs[0].get(member) for name, member in INPUTS.items()}
        if len(jobs) > 1:  # parts are named "<job_name> part i of n"
            found["job_name"] = props.get("job_name", found["job_name"])
        echoed = {name: props.get(name) for name in (*IMPORT_INPUTS, CONTENT_HASH)}
        echoed.pop("users")
        outputs = self._outputs({**found, **echoed}, jobs, pool_name)
        # Read by id alone (get, import): inputs from Cognito. On refresh: keep the program's.
        inputs = {name: value for name, value in found.items() if value is not None}
        return ReadResult(id_, outputs, None if props else inputs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        # Only the file's path or the waiting settings changed (anything else replaces):
        # record them, with the jobs' current state.
        outputs = dict(self.read(id_, olds).outs or {})
        outputs.update({name: news.get(name) for name in UPDATE_ON})
        return UpdateResult(outputs)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        pool_id, first = parse_resource_id(id_)
        cognito = self._cognito({"user_pool_id": pool_id})
        for job_id in [job["job_id"] for job in props.get("jobs") or []] or [first]:
            self._release(cognito, pool_id, job_id)

    @staticmethod
    def _release(cognito: Cognito, pool_id: str, job_id: str) -> None:
        try:
            status = cognito.describe(pool_id, job_id)["Status"]
        except AwsCallError as error:
            if error.not_found:
                _say(f"{job_id}: not found in {pool_id} (the pool is gone); removed from state.")
                return
            raise
        if status in ACTIVE_STATUSES:
            cognito.stop(pool_id, job_id)
            _say(f"{job_id}: was {status}, stopped; Cognito jobs cannot be deleted.")
        elif status == "Created":
            _say(
                f"{job_id}: never started; Cognito cannot delete or stop it, it expires on its "
                "own within 24-48 hours. Released from state."
            )
        else:
            _say(f"{job_id}: already {status}; jobs cannot be deleted. Released from state.")

    @staticmethod
    def _outputs(
        echoed: dict[str, Any], jobs: list[dict[str, Any]], pool_name: str
    ) -> dict[str, Any]:
        """The first job's fields, the import's totals, and every job in `jobs`."""
        first = jobs[0]
        outputs = dict(echoed)
        outputs.update({name: _plain(first.get(member)) for name, member in JOB_OUTPUTS.items()})
        for name in COUNTERS:
            outputs[name] = sum(int(job.get(JOB_OUTPUTS[name]) or 0) for job in jobs)
        outputs["status"] = _overall_status([job["Status"] for job in jobs])
        outputs["log_group_name"] = f"/aws/cognito/userpools/{first['UserPoolId']}/{pool_name}"
        outputs["log_stream_name"] = f"{first['JobId']}/{first['JobName']}"
        outputs["jobs"] = [
            {
                "job_id": job["JobId"],
                "job_name": job["JobName"],
                "status": job["Status"],
                "completion_message": job.get("CompletionMessage"),
                **{name: int(job.get(JOB_OUTPUTS[name]) or 0) for name in COUNTERS},
                "log_stream_name": f"{job['JobId']}/{job['JobName']}",
            }
            for job in jobs
        ]
        return outputs


def _overall_status(statuses: list[str]) -> str:
    """One job: its status. Several: the first that is not Succeeded, else Succeeded."""
    unfinished = [status for status in statuses if status not in TERMINAL_STATUSES]
    unsuccessful = [status for status in statuses if status != "Succeeded"]
    return (unfinished or unsuccessful or ["Succeeded"])[0]
