"""Many clients at once: no request may fail because another one mutates state."""

from concurrent.futures import ThreadPoolExecutor

import boto3

from tests.support import CREDENTIALS, REGION, Aws, csv_bytes, upload, user_row

CLIENTS = 16
ROUNDS = 15


def test_parallel_clients_never_see_an_error(aws: Aws) -> None:
    shared_pool, role = aws.pool("shared"), aws.role()
    header = aws.header(shared_pool)

    def client_work(number: int) -> list[str]:
        cognito = boto3.client(
            "cognito-idp",
            endpoint_url=aws.endpoint,
            region_name=REGION,
            aws_access_key_id=CREDENTIALS["aws_access_key_id"],
            aws_secret_access_key=CREDENTIALS["aws_secret_access_key"],
        )
        own_pool = cognito.create_user_pool(
            PoolName=f"own{number}", AutoVerifiedAttributes=["email"]
        )["UserPool"]["Id"]
        jobs = []
        for round_ in range(ROUNDS):
            pool = shared_pool if round_ % 2 else own_pool
            job = cognito.create_user_import_job(
                UserPoolId=pool, JobName=f"c{number}r{round_}", CloudWatchLogsRoleArn=role
            )["UserImportJob"]
            jobs.append(job["JobId"])
            rows = [user_row(header, f"c{number}r{round_}")]
            assert upload(job["PreSignedUrl"], csv_bytes(header, rows)).status_code == 200
            cognito.start_user_import_job(UserPoolId=pool, JobId=job["JobId"])
            cognito.describe_user_import_job(UserPoolId=pool, JobId=job["JobId"])
            cognito.list_user_import_jobs(UserPoolId=pool, MaxResults=60)
            cognito.get_csv_header(UserPoolId=pool)
            cognito.admin_create_user(UserPoolId=own_pool, Username=f"direct{round_}")
        return jobs

    with ThreadPoolExecutor(CLIENTS) as pool_of_clients:
        created = [job for jobs in pool_of_clients.map(client_work, range(CLIENTS)) for job in jobs]

    assert len(set(created)) == CLIENTS * ROUNDS
    listed = []
    token = None
    while True:
        page = aws.cognito.list_user_import_jobs(
            UserPoolId=shared_pool, MaxResults=60, **({"PaginationToken": token} if token else {})
        )
        listed += page["UserImportJobs"]
        token = page.get("PaginationToken")
        if not token:
            break
    assert len(listed) == CLIENTS * (ROUNDS // 2)
    # Poll until every job of the account has run; each import brings in its one user.
    for _ in range(2 * CLIENTS * ROUNDS + 2):
        aws.cognito.list_user_import_jobs(UserPoolId=shared_pool, MaxResults=1)
    statuses = {
        job["Status"]
        for job in aws.cognito.list_user_import_jobs(UserPoolId=shared_pool, MaxResults=60)[
            "UserImportJobs"
        ]
    }
    assert statuses == {"Succeeded"}
