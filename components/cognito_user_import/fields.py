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
#: Outputs the provider derives: where the job writes its CloudWatch log.
LOG_OUTPUTS = ("log_group_name", "log_stream_name")
OUTPUTS: tuple[str, ...] = (*JOB_OUTPUTS, *LOG_OUTPUTS)

#: The pre-signed URL is a bearer credential for 15 minutes: secret in state and outputs.
SECRET_OUTPUTS = ("pre_signed_url",)

ACTIVE_STATUSES = frozenset({"Pending", "InProgress"})
TERMINAL_STATUSES = frozenset({"Succeeded", "Failed", "Stopped", "Expired"})
