"""The whole import inside `pulumi up`: users.csv is checked against the pool's header in
preview, then uploaded, started and watched to the end. Its contents never enter state:
only its path and SHA-256. Editing the file replaces the job (a new import)."""

import pulumi

from cognito_user_import import CognitoUserImport, CognitoUserImportArgs

config = pulumi.Config()
user_import = CognitoUserImport(
    "customers",
    CognitoUserImportArgs(
        user_pool_id=config.require("userPoolId"),
        job_name="customers from csv",
        cloud_watch_logs_role_arn=config.get("cloudWatchLogsRoleArn"),
        csv_file="users.csv",
        start=True,
        wait=True,
    ),
)
pulumi.export("jobId", user_import.job_id)
pulumi.export("status", user_import.status)
pulumi.export("importedUsers", user_import.imported_users)
pulumi.export("skippedUsers", user_import.skipped_users)
pulumi.export("failedUsers", user_import.failed_users)
