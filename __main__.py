"""A Cognito user import job from stack config, its ID and upload URL as stack outputs.

With `csvFile` (and `start`, `wait`) the import runs inside `pulumi up`: the file is
validated in preview, uploaded, started and watched to completion. With `sourceUserPoolId`
instead, `up` copies the users of that pool (`copyTrigger`: change it to copy again).
"""

import pulumi

from cognito_user_import import CognitoUserImport, CognitoUserImportArgs

config = pulumi.Config()


def _unset_if_negative(value: int | None) -> int | None:
    """Stack config can't hold "unset" beside a default; Pulumi.yaml's -1 means it."""
    return None if value is None or value < 0 else value


user_import = CognitoUserImport(
    "users",
    CognitoUserImportArgs(
        user_pool_id=config.require("userPoolId"),
        job_name=config.require("jobName"),
        cloud_watch_logs_role_arn=config.get("cloudWatchLogsRoleArn") or None,
        password_hashing_algorithm=config.get("passwordHashingAlgorithm") or None,
        csv_file=config.get("csvFile") or None,
        source_user_pool_id=config.get("sourceUserPoolId") or None,
        source_region=config.get("sourceRegion") or None,
        copy_trigger=config.get("copyTrigger") or None,
        start=config.get_bool("start"),
        wait=config.get_bool("wait"),
        wait_timeout_seconds=config.get_float("waitTimeoutSeconds"),
        rows_per_job=config.get_int("rowsPerJob"),
        max_failed_users=_unset_if_negative(config.get_int("maxFailedUsers")),
        outcome_file=config.get("outcomeFile") or None,
    ),
)

pulumi.export("jobId", user_import.job_id)
pulumi.export("preSignedUrl", pulumi.Output.secret(user_import.pre_signed_url))
pulumi.export("status", user_import.status)
pulumi.export("roleArn", user_import.role_arn)
pulumi.export("importedUsers", user_import.imported_users)
pulumi.export("skippedUsers", user_import.skipped_users)
pulumi.export("failedUsers", user_import.failed_users)
pulumi.export("logGroupName", user_import.log_group_name)
pulumi.export("logStreamName", user_import.log_stream_name)
pulumi.export("jobs", user_import.jobs)
pulumi.export("outcome", user_import.outcome)
pulumi.export("export", user_import.export)
