"""The import service: source -> validated parts -> jobs, and those jobs read or released.

Every provider operation goes through it the same way: check previews an import (its source
validated against the pool's rules when they can be read), create validates again and runs
it as jobs (importer.py), read describes the jobs, delete releases them. provider.py only
translates between the engine's calls and these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError

from . import scancache
from .attributes import SignIn
from .aws import AwsCallError
from .calls import Cognito, Connect
from .constraints import is_unknown
from .copying import CopySource, ExportReport, TargetUsers, began, dropped_columns, export
from .csvfile import (
    MAX_ROWS_PER_JOB,
    PoolRules,
    Scan,
    breaks_lines,
    default_header,
    record_problems,
    records_digest,
    render,
)
from .fields import (
    ACTIVE_STATUSES,
    CONTENT_HASH,
    DEFAULT_WAIT_TIMEOUT_SECONDS,
)
from .importer import Identity, ImportFailed, ImportRun, Plan, ProxyFor, Say
from .lifeline import LIFELINE, Lifeline
from .outcome import REASON_COLUMN, LoggedJob, LogReader, Outcome, write_retry_file
from .poolsettings import PoolRefused, refusals
from .private import open_private, temporary_directory

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp.type_defs import (
        CreateUserImportJobRequestTypeDef,
        UserImportJobTypeTypeDef,
        UserPoolTypeTypeDef,
    )
    from mypy_boto3_logs import CloudWatchLogsClient

#: A failure to show on a property in preview: (property, reason).
Problem = tuple[str, str]


@dataclass(frozen=True)
class Source:
    """What an import sends: a CSV file, or declared user records rendered to one."""

    #: The input its problems are reported on: `csv_file` or `users`.
    input_name: str
    props: Mapping[str, Any]

    @classmethod
    def of(cls, props: Mapping[str, Any]) -> Source | None:
        for name in ("csv_file", "users"):
            if props.get(name):
                return cls(name, props)
        return None

    @property
    def records(self) -> bool:
        return self.input_name == "users"

    @property
    def rows_per_job(self) -> int:
        return rows_per_job(self.props)

    def unreadable(self) -> str | None:
        """Why the file can't be read at all, before any line of it is judged."""
        if self.records:
            return None
        path = Path(self.props["csv_file"])
        if path.is_dir():
            return f"{path} is a directory; give the path of a CSV file"
        if not path.is_file():
            return f"no such file: {path} (from {Path.cwd()})"
        return None

    def record_problems_of(self, header: list[str]) -> list[Problem]:
        """Declared values that would not arrive as declared (none for a file)."""
        users = self.props.get("users") or [] if self.records else []
        return [("users", problem) for problem in record_problems(users, header)]

    @contextmanager
    def csv(self, header: list[str]) -> Iterator[Path]:
        """The CSV to import: the user's file, or the records rendered to a private file."""
        if not self.records:
            yield Path(self.props["csv_file"])
            return
        with temporary_directory("cognito-import-") as directory:
            path = directory / "users.csv"
            with open_private(path, "w", encoding="utf-8", newline="") as out:
                render(self.props["users"], header, out)
            yield path

    def check(self, path: Path, rules: PoolRules | None) -> tuple[Scan, list[Problem]]:
        """Scan the CSV (once per content and rules, see scancache.py): every problem of its
        lines, and of how it splits into jobs."""
        scanned = scancache.scanned(path, rules, self.rows_per_job)
        problems = [(self.input_name, problem) for problem in scanned.summary(self.records)]
        if not scanned.rows and not scanned.problem_count:
            problems.append((self.input_name, "has no users: a header and no rows to import"))
        if len(scanned.parts) > 1 and not self.props.get("wait"):
            problems.append(
                (
                    "wait",
                    f"must be true: the CSV needs {len(scanned.parts)} jobs, which must run one "
                    "after another (Cognito runs one import job at a time per account)",
                )
            )
        return scanned, problems

    def digest(self, scanned: Scan) -> str:
        """What state keeps of the content: the file's SHA-256, or the records' own."""
        return records_digest(self.props["users"]) if self.records else scanned.sha256


@dataclass(frozen=True)
class Created:
    """What create made: the pool's name, every job of the import (none for a copy with no
    user to send), the line of the user's file each job's rows start at, (when `up` waited)
    what became of every line, and what a copy read and left out."""

    pool_name: str
    jobs: list[UserImportJobTypeTypeDef]
    first_lines: list[int]
    outcome: Outcome | None
    export: ExportReport | None = None


class ImportService:
    def __init__(
        self,
        cognito: Connect,
        logs: Callable[[], CloudWatchLogsClient],
        say: Say,
        lifeline: Lifeline = LIFELINE,
        proxy_for: ProxyFor = lambda _url: None,
    ) -> None:
        self._cognito = cognito
        self._logs = logs
        self._say = say
        self._lifeline = lifeline
        self._proxy_for = proxy_for

    # -- check ------------------------------------------------------------------------------

    def preview(self, news: Mapping[str, Any], ask_aws: bool) -> tuple[str | None, list[Problem]]:
        """The content's digest and every problem of the source, before anything changes.

        Against the pool's rules when they can be read; otherwise (a pool made in the same
        stack, other inputs failing) the checks that need no pool. Create checks again.
        """
        source = Source.of(news)
        assert source is not None
        unreadable = source.unreadable()
        if unreadable:
            return None, [(source.input_name, unreadable)]
        try:
            rules = self._pool_rules(news.get("user_pool_id")) if ask_aws else None
        except PoolRefused as error:
            return None, [("user_pool_id", str(error))]
        except AwsCallError as error:
            return None, [_problem(error, "user_pool_id")]
        header = list(rules.header) if rules else default_header(news.get("users") or [])
        problems = source.record_problems_of(header)
        if source.records and breaks_lines(news["users"]):  # no file to judge yet
            return records_digest(news["users"]), problems
        with source.csv(header) as path:
            scanned, found = source.check(path, rules)
        return source.digest(scanned), problems + found

    def _pool_rules(self, pool_id: str | None) -> PoolRules | None:
        """The pool's header and settings, or None when they can't be known yet.

        None in preview of a pool not created yet, or when AWS could not be reached (said,
        and create checks again); anything `up` would refuse as well (the pool missing, a
        setting missing, a permission denied) is raised, to fail preview.
        """
        if not pool_id or is_unknown(pool_id):
            return None
        try:
            cognito = self._cognito()
            pool = cognito.user_pool(pool_id)
            refused = refusals(pool)
            if refused:
                raise PoolRefused("; ".join(refused))
            return PoolRules.from_aws(cognito.csv_header(pool_id), pool)
        except AwsCallError as error:
            if not error.transient:
                raise
            self._could_not_check(pool_id, "the CSV against the pool's header and rules", error)
            return None

    def check_pool(self, pool_id: str | None) -> list[Problem]:
        """Without anything to import: that the pool exists, whenever its id is known."""
        if not pool_id or is_unknown(pool_id):
            return []
        try:
            pool = self._cognito().user_pool(pool_id)
        except AwsCallError as error:
            if not error.transient:
                return [_problem(error, "user_pool_id")]
            self._could_not_check(pool_id, "that the pool exists", error)
            return []
        return [("user_pool_id", refusal) for refusal in refusals(pool)]

    def preview_copy(self, news: Mapping[str, Any]) -> list[Problem]:
        """A copy before anything changes: the source exists, and which of its attributes
        the target has no column for (said, names only). Its users are read at `up` only:
        a pool can hold millions."""
        copy = CopySource.of(news)
        assert copy is not None
        try:
            source_pool = self._cognito(copy.region).of_source().user_pool(copy.pool_id)
        except AwsCallError as error:
            if not error.transient:
                return [_problem(error, "source_user_pool_id")]
            self._could_not_check(copy.pool_id, "the source pool", error)
            return []
        target = news.get("user_pool_id")
        if not target or is_unknown(target):
            return []
        try:
            target_pool = self._cognito().user_pool(target)
            header = self._cognito().csv_header(target)
        except AwsCallError as error:
            if not error.transient:
                return [_problem(error, "user_pool_id")]
            self._could_not_check(target, "the target's CSV header", error)
            return []
        refused = refusals(target_pool)
        if refused:
            return [("user_pool_id", refusal) for refusal in refused]
        schema = [attribute["Name"] for attribute in source_pool.get("SchemaAttributes", [])]
        dropped = dropped_columns(schema, header)
        if dropped:
            self._say(
                f"copy: the target's CSV header has no column for {', '.join(dropped)} of "
                f"{copy.label()}; those values are not copied."
            )
        if (
            SignIn.from_aws(source_pool).case_sensitive
            and not SignIn.from_aws(target_pool).case_sensitive
        ):
            self._say(
                f"copy: {copy.label()} tells usernames apart by case and the target does not; "
                "of source users whose usernames differ only in case, the first by username "
                "is copied and the others are skipped and counted."
            )
        return []

    def _could_not_check(self, pool_id: str, what: str, error: AwsCallError) -> None:
        """Only for failures that running again may not meet (AWS unreachable, throttling,
        5xx): preview passes, saying so; anything else fails preview (`_problem`)."""
        self._say(
            f"preview could not check {what} (user_pool_id {pool_id}): {error} This looks "
            "transient: `pulumi up` checks everything again before it changes anything."
        )

    # -- create -----------------------------------------------------------------------------

    def create(
        self, request: CreateUserImportJobRequestTypeDef, props: Mapping[str, Any]
    ) -> Created:
        """One bare job, or a whole import (of a file, declared users or another pool)."""
        cognito = self._cognito()
        pool_id = request["UserPoolId"]
        pool = cognito.user_pool(pool_id)
        _refuse([("user_pool_id", refusal) for refusal in refusals(pool)])
        copy = CopySource.of(props)
        if copy is not None:
            return self._copy(cognito, request, props, pool, copy)
        source = Source.of(props)
        if source is None:
            return Created(pool["Name"], [cognito.create_job(request)], [2], None)
        unreadable = source.unreadable()
        if unreadable:
            raise ImportFailed(f"{source.input_name}: {unreadable}")
        rules = PoolRules.from_aws(cognito.csv_header(pool_id), pool)
        header = list(rules.header)
        _refuse(source.record_problems_of(header))
        with source.csv(header) as path:
            scanned, found = source.check(path, rules)
            _refuse(found)
            digest = source.digest(scanned)
            if props.get(CONTENT_HASH) not in (None, digest):
                raise ImportFailed(
                    f"{props.get('csv_file')} changed after preview; run `pulumi up` again."
                )
            identity = _identity(request, digest, source.rows_per_job)
            return self._run(cognito, identity, path, scanned, props, pool["Name"])

    def _copy(
        self,
        cognito: Cognito,
        request: CreateUserImportJobRequestTypeDef,
        props: Mapping[str, Any],
        pool: UserPoolTypeTypeDef,
        copy: CopySource,
    ) -> Created:
        """Export the source's users the target lacks, then import them as a file."""
        pool_id = request["UserPoolId"]
        rules = PoolRules.from_aws(cognito.csv_header(pool_id), pool)
        per_job = rows_per_job(props)
        identity = _identity(request, copy.key(), per_job)
        listed = cognito.jobs(pool_id)
        first_parts = {identity.job_name_of(0, n) for n in range(1, len(listed) + 2)}
        case_sensitive = rules.sign_in.case_sensitive
        existing = TargetUsers(cognito.users(pool_id), began(listed, first_parts), case_sensitive)
        source = self._cognito(copy.region).of_source()
        estimate = source.user_pool(copy.pool_id).get("EstimatedNumberOfUsers")
        about = f" of about {estimate}" if estimate else ""

        def progress(read: int) -> None:
            self._say(f"copy: {read} users{about} read from {copy.label()}")

        with temporary_directory("cognito-copy-") as directory:
            path = directory / "users.csv"
            with open_private(path, "w", encoding="utf-8", newline="") as out:
                report = export(source.users(copy.pool_id), rules, existing, out, progress)
            for line in report.summary(copy.label()):
                self._say(line)
            if not report.rows:
                return Created(pool["Name"], [], [], None, report)
            scanned = scancache.scanned(path, rules, per_job)
            _refuse([("source_user_pool_id", problem) for problem in scanned.summary()])
            created = self._run(cognito, identity, path, scanned, props, pool["Name"], listed)
            return replace(created, export=report)

    def _run(
        self,
        cognito: Cognito,
        identity: Identity,
        path: Path,
        scanned: Scan,
        props: Mapping[str, Any],
        pool_name: str,
        listed: list[UserImportJobTypeTypeDef] | None = None,
    ) -> Created:
        """The validated file sent as jobs, continued from earlier attempts, and (when `up`
        waits) what became of each line."""
        limit = props.get("max_failed_users")
        plan = Plan(
            start=bool(props.get("start")),
            wait=bool(props.get("wait")),
            timeout_seconds=float(
                props.get("wait_timeout_seconds") or DEFAULT_WAIT_TIMEOUT_SECONDS
            ),
            max_failed_users=None if limit is None else int(limit),
        )
        group = log_group(identity.pool_id, pool_name)
        run = ImportRun(
            cognito,
            identity,
            path,
            scanned,
            plan,
            self._say,
            group,
            self._lifeline,
            self._proxy_for,
        )
        try:
            jobs = run.run(listed)
        except ImportFailed:
            ended = run.ended_jobs()
            if plan.wait and ended:  # what became of the lines of the jobs that ended
                lines = [first_line for _, first_line in ended]
                outcome = self.outcome(group, [job for job, _ in ended], lines)
                self._report(outcome, props.get("outcome_file"), path)
            raise
        first_lines = [part.first_line for part in scanned.parts]
        if not plan.wait:
            return Created(pool_name, jobs, first_lines, None)
        outcome = self.outcome(group, jobs, first_lines)
        self._report(outcome, props.get("outcome_file"), path)
        return Created(pool_name, jobs, first_lines, outcome)

    def outcome(
        self, group: str, jobs: list[UserImportJobTypeTypeDef], first_lines: list[int]
    ) -> Outcome:
        """Every job's log read back, numbered by the lines of the user's file."""
        logged = [
            LoggedJob(
                stream=f"{job['JobId']}/{job['JobName']}",
                expected_lines=job.get("ImportedUsers", 0)
                + job.get("SkippedUsers", 0)
                + job.get("FailedUsers", 0),
                first_line=first_line,
            )
            for job, first_line in zip(jobs, first_lines, strict=True)
        ]
        try:
            logs = self._logs()
        except BotoCoreError as error:
            return Outcome(notes=[f"could not reach CloudWatch Logs ({error})."])
        return LogReader(logs, self._lifeline).read(group, logged)

    def _report(self, outcome: Outcome, retry_file: str | None, source: Path) -> None:
        counts = ", ".join(f"{n} {status.lower()}" for status, n in outcome.by_status.items())
        self._say(f"outcome: {outcome.lines} lines logged ({counts or 'none'}).")
        for note in outcome.notes:
            self._say(f"outcome: {note}")
        if not retry_file:
            return
        if not outcome.problems:
            self._say(f"outcome: no row to retry; {retry_file} not written.")
            return
        written = write_retry_file(Path(retry_file), source, outcome)
        self._say(
            f"outcome: {written} rows that were not imported written to {retry_file}, with "
            f"their reason in a last column {REASON_COLUMN} (remove it before importing again)."
        )

    # -- read and delete --------------------------------------------------------------------

    def describe(
        self, pool_id: str, job_ids: list[str]
    ) -> tuple[str, list[UserImportJobTypeTypeDef]] | None:
        """The pool's name and each job as Cognito describes it; None when they are gone."""
        cognito = self._cognito()
        try:
            jobs = [cognito.describe(pool_id, job_id) for job_id in job_ids]
            return cognito.user_pool(pool_id)["Name"], jobs
        except AwsCallError as error:
            if error.not_found:
                return None
            raise

    def release(self, pool_id: str, job_ids: list[str]) -> None:
        """Cognito cannot delete jobs: stop the running ones, say what becomes of each."""
        cognito = self._cognito()
        for job_id in job_ids:
            try:
                status = cognito.describe(pool_id, job_id)["Status"]
            except AwsCallError as error:
                if not error.not_found:
                    raise
                self._say(
                    f"{job_id}: not found in {pool_id} (the pool is gone); removed from state."
                )
                continue
            if status in ACTIVE_STATUSES:
                cognito.stop(pool_id, job_id)
                self._say(f"{job_id}: was {status}, stopped; Cognito jobs cannot be deleted.")
            elif status == "Created":
                self._say(
                    f"{job_id}: never started; Cognito cannot delete or stop it, it expires on "
                    "its own within 24-48 hours. Released from state."
                )
            else:
                self._say(
                    f"{job_id}: already {status}; jobs cannot be deleted. Released from state."
                )


def rows_per_job(props: Mapping[str, Any]) -> int:
    """Rows a job of this import takes: as given, else Cognito's limit."""
    return int(props.get("rows_per_job") or MAX_ROWS_PER_JOB)


def _identity(
    request: CreateUserImportJobRequestTypeDef, content: str, rows_per_job: int
) -> Identity:
    return Identity(
        pool_id=request["UserPoolId"],
        role_arn=request["CloudWatchLogsRoleArn"],
        job_name=request["JobName"],
        password_hashing_algorithm=request.get("PasswordHashingAlgorithm"),
        content_sha256=content,
        rows_per_job=rows_per_job,
    )


def _problem(error: AwsCallError, pool_input: str) -> Problem:
    """A failure preview reports: on the pool's input when the pool is missing, else on no
    input (a setting, or the deployer's permissions)."""
    return (pool_input if error.not_found else "", str(error))


def _refuse(problems: list[Problem]) -> None:
    """Create checks again what preview checked: nothing that fails goes to Cognito."""
    if problems:
        listed = "\n  ".join(f"{where}: {reason}" for where, reason in problems)
        raise ImportFailed(f"The import does not fit the pool's rules:\n  {listed}")


def log_group(pool_id: str, pool_name: str) -> str:
    """Where Cognito logs an import into this pool, line by line."""
    return f"/aws/cognito/userpools/{pool_id}/{pool_name}"
