"""The resource's property names and the AWS fields behind them.

Shared by the resource class (which declares them to Pulumi) and the provider (which fills
them from AWS), so the two can never disagree about a name.
"""

#: Inputs: Python name -> CreateUserImportJob request member.
INPUTS: dict[str, str] = {
    "user_pool_id": "UserPoolId",
    "job_name": "JobName",
    "cloud_watch_logs_role_arn": "CloudWatchLogsRoleArn",
    "password_hashing_algorithm": "PasswordHashingAlgorithm",
}
OPTIONAL_INPUTS = frozenset({"password_hashing_algorithm"})

#: A copy: the pool whose users are imported, its region when not the stack's, and any
#: value whose change runs a new copy (copying.py).
COPY_INPUTS = ("source_user_pool_id", "source_region", "copy_trigger")
#: Import as code: what to upload, and whether to start it and wait for it.
IMPORT_INPUTS = (
    "csv_file",
    "users",
    *COPY_INPUTS,
    "start",
    "wait",
    "wait_timeout_seconds",
    "rows_per_job",
    "max_failed_users",
    "outcome_file",
)
#: Computed by check from the CSV's bytes: state holds this, never the contents.
CONTENT_HASH = "content_sha256"
#: The job's AWS settings when they are not the stack's own `aws:*` config: an explicit
#: aws.Provider's arguments, or (through the plugin) the stack's config (settings.record).
AWS_SETTINGS = "aws_settings"
#: Inputs whose change needs a new job: each is part of the import's identity (its jobs'
#: names, importer.Identity), so a new job is never mistaken for the old one's. `users` is
#: left out: its secret value is compared through CONTENT_HASH.
REPLACE_ON = (*INPUTS, CONTENT_HASH, *COPY_INPUTS, "rows_per_job")
#: Inputs changed in place: recorded, and an import asked to start or to wait now is
#: continued on its own jobs (never a replacement, whose old resource would stop them).
UPDATE_ON = (
    "csv_file",
    "start",
    "wait",
    "wait_timeout_seconds",
    "max_failed_users",
    "outcome_file",
    AWS_SETTINGS,
)
DEFAULT_WAIT_TIMEOUT_SECONDS = 1800.0

#: Outputs read from UserImportJobType: Python name -> AWS member.
JOB_OUTPUTS: dict[str, str] = {
    "job_id": "JobId",
    "pre_signed_url": "PreSignedUrl",
    "status": "Status",
    "creation_date": "CreationDate",
    "start_date": "StartDate",
    "completion_date": "CompletionDate",
    "completion_message": "CompletionMessage",
    "imported_users": "ImportedUsers",
    "skipped_users": "SkippedUsers",
    "failed_users": "FailedUsers",
}
COUNTERS = ("imported_users", "skipped_users", "failed_users")
#: Outputs the provider derives: where the job writes its CloudWatch log, and every job of
#: an import split into several (one job per 500,000 rows or 100 MB).
LOG_OUTPUTS = ("log_group_name", "log_stream_name")
#: What became of every line, read back from CloudWatch Logs when `up` waited (outcome.py).
OUTCOME = "outcome"
#: What a copy read from the source and left out, by reason (counts and column names only).
EXPORT = "export"
OUTPUTS: tuple[str, ...] = (*JOB_OUTPUTS, *LOG_OUTPUTS, "jobs", CONTENT_HASH, OUTCOME, EXPORT)

#: The pre-signed URL is a bearer credential for 15 minutes: secret in state and outputs.
#: (The AWS settings, which may hold keys, are secret too when the job has them: job.py.)
SECRET_OUTPUTS = ("pre_signed_url",)

ACTIVE_STATUSES = frozenset({"Pending", "InProgress"})
TERMINAL_STATUSES = frozenset({"Succeeded", "Failed", "Stopped", "Expired"})
