"""A pool and its import job in one stack: the job waits for the pool and the role.

The pool auto-verifies email, which Cognito needs for imported users to reset their
passwords; MFA is off, so every CSV row says `cognito:mfa_enabled` false.
"""

import pulumi
import pulumi_aws as aws

from cognito_user_import import CognitoUserImport, CognitoUserImportArgs

pool = aws.cognito.UserPool(
    "customers-pool",
    auto_verified_attributes=["email"],
    mfa_configuration="OFF",
    account_recovery_setting=aws.cognito.UserPoolAccountRecoverySettingArgs(
        recovery_mechanisms=[
            aws.cognito.UserPoolAccountRecoverySettingRecoveryMechanismArgs(
                name="verified_email", priority=1
            )
        ]
    ),
)
user_import = CognitoUserImport(
    "customers",
    CognitoUserImportArgs(user_pool_id=pool.id, job_name="initial load"),
)
pulumi.export("userPoolId", pool.id)
pulumi.export("jobId", user_import.job_id)
pulumi.export("preSignedUrl", pulumi.Output.secret(user_import.pre_signed_url))
