"""Show the job and the pool's users as Cognito (here: localaws) sees them."""

import sys

import boto3


def main() -> None:
    endpoint, pool_id, job_id = sys.argv[1:4]
    cognito = boto3.client(
        "cognito-idp",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    job = cognito.describe_user_import_job(UserPoolId=pool_id, JobId=job_id)["UserImportJob"]
    for field in ("JobId", "JobName", "Status", "ImportedUsers", "SkippedUsers", "FailedUsers"):
        print(f"  {field:<14} {job.get(field)}")
    print(f"  {'CompletionMessage':<14} {job.get('CompletionMessage', '')}")
    users = cognito.list_users(UserPoolId=pool_id)["Users"]
    print(f"  users in the pool: {len(users)}")
    for user in users:
        print(f"    {user['Username']:<10} {user['UserStatus']}")


if __name__ == "__main__":
    main()
