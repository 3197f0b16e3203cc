"""An import job on an existing pool. The component creates the logging role unless
`cloudWatchLogsRoleArn` names one (e.g. a role your platform team manages)."""

import pulumi

from cognito_user_import import CognitoUserImport, CognitoUserImportArgs

config = pulumi.Config()
user_import = CognitoUserImport(
    "customers",
    CognitoUserImportArgs(
        user_pool_id=config.require("userPoolId"),
        job_name=config.get("jobName") or "customers",
        cloud_watch_logs_role_arn=config.get("cloudWatchLogsRoleArn"),
    ),
)
pulumi.export("jobId", user_import.job_id)
pulumi.export("preSignedUrl", pulumi.Output.secret(user_import.pre_signed_url))
pulumi.export("roleArn", user_import.role_arn)
