"""The import service: inputs -> validated parts -> jobs, and those jobs read or released.

Every provider operation goes through it the same way: check previews an import (its source
validated against the pool's rules when they can be read), create validates again and runs
it as jobs (importer.py), read describes the jobs, delete releases them. provider.py only
translates between the engine's calls and these; the inputs arrive parsed (inputs.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError

from . import scancache
from .attributes import SignIn
from .awserrors import AwsCallError
from .calls import Cognito, Connect
from .commands import tool
from .copying import CopySource, ExportReport, TargetUsers, began, dropped_columns, export
from .csvfile import PoolRules, Scan
from .fields import Input
from .importer import ImportFailed, ImportKey, ImportRun, Plan, ProxyFor, Say
from .inputs import JobInputs, Violation
from .jobs import ACTIVE, Job, JobStatus
from .lifeline import LIFELINE, Lifeline
from .outcome import REASON_COLUMN, LoggedJob, LogReader, Outcome, write_retry_file
from .poolsettings import PoolRefused, refusals
from .private import open_private, temporary_directory
from .source import Source

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp.type_defs import UserPoolTypeTypeDef
    from mypy_boto3_logs import CloudWatchLogsClient

#: A failure of these inputs leaves no source worth judging in preview.
_SOURCE_INPUTS = frozenset({Input.CSV_FILE, Input.USERS, Input.ROWS_PER_JOB})


@dataclass(frozen=True)
class Checked:
    """What check made of the inputs: what state keeps of the content (a file's SHA-256,
    the declared users' digest, secret like them), and every violation."""

    digest: str | None
    digest_is_secret: bool
    violations: list[Violation]


@dataclass(frozen=True)
class Created:
    """What create made: the pool's name, every job of the import (none for a copy with no
    user to send), the line of the user's file each job's rows start at, (when `up` waited)
    what became of every line, and what a copy read and left out."""

    pool_name: str
    jobs: list[Job]
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
        checked_pools: set[str] | None = None,
    ) -> None:
        self._cognito = cognito
        self._logs = logs
        self._say = say
        self._lifeline = lifeline
        self._proxy_for = proxy_for
        #: Pools found (or said not to be checkable) by this host: one check a pool, so 50
        #: jobs of a pool make one call. A host lives one operation.
        self._checked_pools = set() if checked_pools is None else checked_pools

    # -- check ------------------------------------------------------------------------------

    def check(self, inputs: JobInputs, violations: list[Violation]) -> Checked:
        """Everything preview can know before anything changes, after the inputs' own
        rules (`violations`): the source against the pool's rules when they can be read, a
        copy's pools, or (with nothing to import) that the pool exists."""
        source = Source.of(inputs)
        failed = {violation.input for violation in violations}
        if source is not None and not failed & _SOURCE_INPUTS:
            digest, problems = self._preview(inputs, source, ask_aws=not violations)
            return Checked(digest, source.records, violations + problems)
        copy = CopySource.of(inputs)
        if copy is not None and not violations:
            return Checked(None, False, self._preview_copy(inputs, copy))
        pool_id = inputs.user_pool_id
        if violations or pool_id is None or pool_id in self._checked_pools:
            return Checked(None, False, violations)
        problems = self._check_pool(pool_id)
        if not problems:
            self._checked_pools.add(pool_id)
        return Checked(None, False, problems)

    def _preview(
        self, inputs: JobInputs, source: Source, ask_aws: bool
    ) -> tuple[str | None, list[Violation]]:
        """The content's digest and every problem of the source, before anything changes.

        Against the pool's rules when they can be read; otherwise (a pool made in the same
        stack, other inputs failing) the checks that need no pool. Create checks again.
        """
        unreadable = source.unreadable()
        if unreadable:
            return None, [Violation(source.input, unreadable)]
        try:
            rules = self._pool_rules(inputs.user_pool_id) if ask_aws else None
        except PoolRefused as error:
            return None, [Violation(Input.USER_POOL_ID, str(error))]
        except AwsCallError as error:
            return None, [_violation(error, Input.USER_POOL_ID)]
        header = list(rules.header) if rules else source.header_without_a_pool()
        problems = source.record_problems_of(header)
        if source.lines_unknown_yet():  # no file to judge yet
            return source.digest(), problems
        with source.csv(header) as path:
            scanned, found = source.check(path, rules)
        return source.digest(scanned), problems + found

    def _pool_rules(self, pool_id: str | None) -> PoolRules | None:
        """The pool's header and settings, or None when they can't be known yet.

        None in preview of a pool not created yet, or when AWS could not be reached (said,
        and create checks again); anything `up` would refuse as well (the pool missing, a
        setting missing, a permission denied) is raised, to fail preview.
        """
        if pool_id is None:
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

    def _check_pool(self, pool_id: str) -> list[Violation]:
        """Without anything to import: that the pool exists, and takes import jobs."""
        try:
            pool = self._cognito().user_pool(pool_id)
        except AwsCallError as error:
            if not error.transient:
                return [_violation(error, Input.USER_POOL_ID)]
            self._could_not_check(pool_id, "that the pool exists", error)
            return []
        return [Violation(Input.USER_POOL_ID, refusal) for refusal in refusals(pool)]

    def _preview_copy(self, inputs: JobInputs, copy: CopySource) -> list[Violation]:
        """A copy before anything changes: the source exists, and which of its attributes
        the target has no column for (said, names only). Its users are read at `up` only:
        a pool can hold millions."""
        try:
            source_pool = self._cognito(copy.region).of_source().user_pool(copy.pool_id)
        except AwsCallError as error:
            if not error.transient:
                return [_violation(error, Input.SOURCE_USER_POOL_ID)]
            self._could_not_check(copy.pool_id, "the source pool", error)
            return []
        target = inputs.user_pool_id
        if target is None:
            return []
        try:
            target_pool = self._cognito().user_pool(target)
            header = self._cognito().csv_header(target)
        except AwsCallError as error:
            if not error.transient:
                return [_violation(error, Input.USER_POOL_ID)]
            self._could_not_check(target, "the target's CSV header", error)
            return []
        refused = refusals(target_pool)
        if refused:
            return [Violation(Input.USER_POOL_ID, refusal) for refusal in refused]
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
        5xx): preview passes, saying so; anything else fails preview (`_violation`)."""
        self._say(
            f"{tool().plan} could not check {what} (user_pool_id {pool_id}): {error} This "
            f"looks transient: {tool().apply} checks everything again before it changes "
            "anything."
        )

    # -- create -----------------------------------------------------------------------------

    def create(self, inputs: JobInputs) -> Created:
        """One bare job, or a whole import (of a file, declared users or another pool)."""
        cognito = self._cognito()
        pool_id = inputs.request()["UserPoolId"]
        pool = cognito.user_pool(pool_id)
        _refuse([Violation(Input.USER_POOL_ID, refusal) for refusal in refusals(pool)])
        copy = CopySource.of(inputs)
        if copy is not None:
            return self._copy(cognito, inputs, pool, copy)
        source = Source.of(inputs)
        if source is None:
            return Created(pool["Name"], [cognito.create_job(inputs.request())], [2], None)
        unreadable = source.unreadable()
        if unreadable:
            raise ImportFailed(f"{source.input}: {unreadable}")
        rules = PoolRules.from_aws(cognito.csv_header(pool_id), pool)
        header = list(rules.header)
        _refuse(source.record_problems_of(header))
        with source.csv(header) as path:
            scanned, found = source.check(path, rules)
            _refuse(found)
            digest = source.digest(scanned)
            if inputs.content_sha256 not in (None, digest):
                raise ImportFailed(
                    f"{inputs.csv_file} changed after {tool().plan}; run {tool().apply} again."
                )
            key = ImportKey.of(inputs, digest)
            return self._run(cognito, key, path, scanned, inputs, pool["Name"])

    def _copy(
        self, cognito: Cognito, inputs: JobInputs, pool: UserPoolTypeTypeDef, copy: CopySource
    ) -> Created:
        """Export the source's users the target lacks, then import them as a file."""
        pool_id = pool["Id"]
        rules = PoolRules.from_aws(cognito.csv_header(pool_id), pool)
        key = ImportKey.of(inputs, copy.key())
        listed = cognito.jobs(pool_id)
        first_parts = {key.job_name_of(0, n) for n in range(1, len(listed) + 2)}
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
                report = export(
                    source.users(copy.pool_id), rules, existing, out, progress, self._lifeline.now
                )
            for line in report.summary(copy.label()):
                self._say(line)
            if not report.rows:
                return Created(pool["Name"], [], [], None, report)
            scanned = scancache.scanned(path, rules, inputs.rows_per_job)
            _refuse(
                [Violation(Input.SOURCE_USER_POOL_ID, problem) for problem in scanned.summary()]
            )
            created = self._run(cognito, key, path, scanned, inputs, pool["Name"], listed)
            return replace(created, export=report)

    def _run(
        self,
        cognito: Cognito,
        key: ImportKey,
        path: Path,
        scanned: Scan,
        inputs: JobInputs,
        pool_name: str,
        listed: list[Job] | None = None,
    ) -> Created:
        """The validated file sent as jobs, continued from earlier attempts, and (when `up`
        waits) what became of each line."""
        plan = Plan(
            start=inputs.start,
            wait=inputs.wait,
            timeout_seconds=inputs.wait_timeout_seconds,
            max_failed_users=inputs.max_failed_users,
        )
        group = log_group(key.pool_id, pool_name)
        run = ImportRun(
            cognito, key, path, scanned, plan, self._say, group, self._lifeline, self._proxy_for
        )
        try:
            jobs = run.run(listed)
        except ImportFailed:
            ended = run.ended_jobs()
            if plan.wait and ended:  # what became of the lines of the jobs that ended
                lines = [first_line for _, first_line in ended]
                outcome = self.outcome(group, [job for job, _ in ended], lines)
                self._report(outcome, inputs.outcome_file, path)
            raise
        first_lines = [part.first_line for part in scanned.parts]
        if not plan.wait:
            return Created(pool_name, jobs, first_lines, None)
        outcome = self.outcome(group, jobs, first_lines)
        self._report(outcome, inputs.outcome_file, path)
        return Created(pool_name, jobs, first_lines, outcome)

    def outcome(self, group: str, jobs: list[Job], first_lines: list[int]) -> Outcome:
        """Every job's log read back, numbered by the lines of the user's file."""
        logged = [
            LoggedJob(stream=job.stream_name, expected_lines=job.counts.judged, first_line=line)
            for job, line in zip(jobs, first_lines, strict=True)
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

    def read_jobs(self, pool_id: str, job_ids: list[str]) -> tuple[str, list[Job]] | None:
        """The pool's name and each job as Cognito describes it; None when they are gone."""
        cognito = self._cognito()
        try:
            jobs = [cognito.describe_job(pool_id, job_id) for job_id in job_ids]
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
                status = cognito.describe_job(pool_id, job_id).status
            except AwsCallError as error:
                if not error.not_found:
                    raise
                self._say(
                    f"{job_id}: not found in {pool_id} (the pool is gone); removed from state."
                )
                continue
            if status in ACTIVE:
                cognito.stop(pool_id, job_id)
                self._say(f"{job_id}: was {status}, stopped; Cognito jobs cannot be deleted.")
            elif status is JobStatus.CREATED:
                self._say(
                    f"{job_id}: never started; Cognito cannot delete or stop it, it expires on "
                    "its own within 24-48 hours. Released from state."
                )
            else:
                self._say(
                    f"{job_id}: already {status}; jobs cannot be deleted. Released from state."
                )


def _violation(error: AwsCallError, pool_input: Input) -> Violation:
    """A failure preview reports: on the pool's input when the pool is missing, else on no
    input (a setting, or the deployer's permissions)."""
    return Violation(pool_input if error.not_found else "", str(error))


def _refuse(violations: list[Violation]) -> None:
    """Create checks again what preview checked: nothing that fails goes to Cognito."""
    if violations:
        listed = "\n  ".join(f"{where}: {reason}" for where, reason in violations)
        raise ImportFailed(f"The import does not fit the pool's rules:\n  {listed}")


def log_group(pool_id: str, pool_name: str) -> str:
    """Where Cognito logs an import into this pool, line by line."""
    return f"/aws/cognito/userpools/{pool_id}/{pool_name}"
