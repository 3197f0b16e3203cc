"""A Cognito user import job from stack config, its ID and upload URL as stack outputs."""

import pulumi

from components.cognito_user_import import CognitoUserImport, CognitoUserImportArgs

config = pulumi.Config()

user_import = CognitoUserImport(
    "users",
    CognitoUserImportArgs(
        user_pool_id=config.require("userPoolId"),
        job_name=config.require("jobName"),
        cloud_watch_logs_role_arn=config.get("cloudWatchLogsRoleArn") or None,
        password_hashing_algorithm=config.get("passwordHashingAlgorithm") or None,
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
