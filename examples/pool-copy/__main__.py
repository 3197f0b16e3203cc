"""Move users to a new pool: a setting that can't change after creation (here, usernames
that ignore case) means a new pool, and Cognito has no export.

The new pool is created with pulumi-aws; CognitoUserImport copies every user of the pool in
`sourceUserPoolId` that the new pool can take, once. The outputs say how many were read,
sent, and skipped and why; no user's data enters state. Change `copyTrigger` (any value)
to copy again: only users the new pool lacks are sent.
"""

import pulumi
import pulumi_aws as aws

from cognito_user_import import CognitoUserImport, CognitoUserImportArgs

config = pulumi.Config()
pool = aws.cognito.UserPool(
    "members-pool",
    username_configuration=aws.cognito.UserPoolUsernameConfigurationArgs(case_sensitive=False),
    auto_verified_attributes=["email"],
    mfa_configuration="OFF",
)
copy = CognitoUserImport(
    "members",
    CognitoUserImportArgs(
        user_pool_id=pool.id,
        job_name="members from the old pool",
        source_user_pool_id=config.require("sourceUserPoolId"),
        copy_trigger=config.get("copyTrigger"),
        start=True,
        wait=True,
    ),
)
pulumi.export("userPoolId", pool.id)
pulumi.export("status", copy.status)
pulumi.export("importedUsers", copy.imported_users)
pulumi.export("export", copy.export)
