"""Users declared as code. They are inputs, so Pulumi keeps them in state, always as a
secret (encrypted with the stack's secrets provider). For many users, prefer a CSV file,
whose contents never enter state."""

import pulumi

from cognito_user_import import CognitoUserImport, CognitoUserImportArgs

config = pulumi.Config()
team = [
    {"cognito:username": "ops-ana", "email": "ana@example.com", "given_name": "Ana"},
    {"cognito:username": "ops-bo", "email": "bo@example.com", "given_name": "Bo"},
]
user_import = CognitoUserImport(
    "operators",
    CognitoUserImportArgs(
        user_pool_id=config.require("userPoolId"),
        job_name="operators",
        cloud_watch_logs_role_arn=config.get("cloudWatchLogsRoleArn"),
        users=[{**person, "email_verified": True, "cognito:mfa_enabled": False} for person in team],
        start=True,
        wait=True,
    ),
)
pulumi.export("status", user_import.status)
pulumi.export("importedUsers", user_import.imported_users)
