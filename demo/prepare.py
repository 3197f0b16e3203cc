"""Create what the demo's stack expects to exist: a user pool and a logging role.

Prints `<poolId> <roleArn>` for demo/run.sh. In a real account these already exist (or the
component creates the role with pulumi-aws, whose plugin can't be fetched here).
"""

import json
import sys

import boto3

from cognito_user_import.policies import trust_policy


def main() -> None:
    endpoint = sys.argv[1]
    session = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )
    cognito = session.client("cognito-idp", endpoint_url=endpoint)
    iam = session.client("iam", endpoint_url=endpoint)
    pool = cognito.create_user_pool(PoolName="demo-customers", AutoVerifiedAttributes=["email"])
    role = iam.create_role(
        RoleName="cognito-import-logs", AssumeRolePolicyDocument=json.dumps(trust_policy())
    )
    print(pool["UserPool"]["Id"], role["Role"]["Arn"])


if __name__ == "__main__":
    main()
