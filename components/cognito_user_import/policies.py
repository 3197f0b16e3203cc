"""The logging role's documents, as AWS documents them for user import jobs.

Trust: only Cognito may assume the role. AWS documents no confused-deputy condition for it,
and a role Cognito cannot assume fails the job, so none is added. Permissions: exactly the
four CloudWatch Logs actions, on the log group of the one pool the job imports into
(`/aws/cognito/userpools/<poolId>/<poolName>`, and its streams), in this account and region.
"""

from typing import Any

LOG_ACTIONS = (
    "logs:CreateLogGroup",
    "logs:CreateLogStream",
    "logs:DescribeLogStreams",
    "logs:PutLogEvents",
)


def trust_policy() -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "cognito-idp.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }


def logging_policy(partition: str, region: str, account_id: str, pool_id: str) -> dict[str, Any]:
    group = f"/aws/cognito/userpools/{pool_id}/*"
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": list(LOG_ACTIONS),
                "Resource": f"arn:{partition}:logs:{region}:{account_id}:log-group:{group}",
            }
        ],
    }
