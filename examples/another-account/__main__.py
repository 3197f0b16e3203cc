"""An import into a pool of another AWS account: an explicit aws.Provider assumes a role
there, and the component gives it to the logging role it creates and to the import job
alike, as pulumi-aws resources use a provider they are given. The stack's own `aws:*`
config is not read for either (docs/installation-configuration.md#aws-settings)."""

import pulumi
import pulumi_aws as aws

from cognito_user_import import CognitoUserImport, CognitoUserImportArgs

config = pulumi.Config()
endpoint = config.get("endpoint")
other_account = aws.Provider(
    "other-account",
    region=config.require("region"),
    assume_roles=[
        aws.ProviderAssumeRoleArgs(
            role_arn=config.require("deployRoleArn"), session_name="user-import"
        )
    ],
    endpoints=(
        [aws.ProviderEndpointArgs(cognitoidp=endpoint, cloudwatchlogs=endpoint, sts=endpoint)]
        if endpoint
        else None
    ),
)
user_import = CognitoUserImport(
    "customers",
    CognitoUserImportArgs(
        user_pool_id=config.require("userPoolId"),
        job_name="customers",
        cloud_watch_logs_role_arn=config.get("cloudWatchLogsRoleArn") or None,
        csv_file="users.csv",
        start=True,
        wait=True,
    ),
    pulumi.ResourceOptions(provider=other_account),
)
pulumi.export("jobId", user_import.job_id)
pulumi.export("status", user_import.status)
pulumi.export("importedUsers", user_import.imported_users)
