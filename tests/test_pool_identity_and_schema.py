"""The pool's own settings decide what an import takes: who is the same user, and every
constraint of its schema. Each case is a real pool in localaws, read back with
DescribeUserPool and GetCSVHeader; the same file is judged by the product's preview rules
(PoolRules.from_aws, then scan) and imported by localaws, and the two must agree: every
line preview refuses is one the job skips or fails, and no other.

Sources (localaws/README.md, "Fidelity", quotes each where its row is):
[API] UsernameConfigurationType: case insensitivity "also enables both preferred_username
      and email alias to be case insensitive, in addition to the username attribute";
      CaseSensitive true "is the default value".
[CFN] UsernameConfiguration: "Amazon Cognito treats any variation in case as the same user,
      and prevents a case variation from being assigned to the same attribute for a
      different user."
[ATTR] "Working with user attributes": "If you select email address as an alias, Amazon
      Cognito doesn't accept a user name that matches a valid email address format."
[LOG] "The user data doesn't match the schema." (a user not imported, the job goes on)
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cognito_user_import import UserImportJobProvider
from cognito_user_import.csvfile import PoolRules
from cognito_user_import.csvscan import scan
from tests.engine import PulumiProgram, aws_config
from tests.support import Aws, csv_bytes, outs_of, upload, user_row
from tests.test_copy import copy_props, create_user
from tests.test_import_as_code import checked, counters

POOL_NAME = "settings"
SCHEMA_MISMATCH = "The user data doesn't match the schema."
CASE_INSENSITIVE = {"UsernameConfiguration": {"CaseSensitive": False}}
CUSTOM_SCHEMA = {
    "Schema": [
        {"Name": "age", "AttributeDataType": "Number",
         "NumberAttributeConstraints": {"MinValue": "0", "MaxValue": "150"}},
        {"Name": "code", "AttributeDataType": "String",
         "StringAttributeConstraints": {"MinLength": "2", "MaxLength": "4"}},
        {"Name": "vip", "AttributeDataType": "Boolean"},
        {"Name": "since", "AttributeDataType": "DateTime"},
        {"Name": "secret", "AttributeDataType": "String", "DeveloperOnlyAttribute": True},
    ]
}  # fmt: skip


def judged(aws: Aws, pool: str, tmp_path: Path, rows: list[dict[str, str]]) -> list[str]:
    """What preview says of the file, by the rules read from the pool."""
    header = aws.header(pool)
    described = aws.cognito.describe_user_pool(UserPoolId=pool)["UserPool"]
    path = tmp_path / "users.csv"
    path.write_bytes(csv_bytes(header, rows))
    return scan(path, PoolRules.from_aws(header, described)).summary()


def imported(aws: Aws, pool: str, rows: list[dict[str, str]]) -> list[str]:
    """The job's log lines for the same file, imported by localaws."""
    job = aws.job(pool, aws.role(), "settings")
    assert upload(job["PreSignedUrl"], csv_bytes(aws.header(pool), rows)).status_code == 200
    aws.run_to_end(pool, job["JobId"])
    return list(aws.log_messages(pool, POOL_NAME, job))


def refused_lines(log: list[str]) -> list[int]:
    return [int(line.split()[3]) for line in log if not line.startswith("[SUCCEEDED]")]


def preview_lines(summary: list[str]) -> list[int]:
    return sorted({int(problem.split(",")[0].split()[1]) for problem in summary})


def test_a_case_insensitive_pool_sees_a_case_variant_as_the_same_user(
    aws: Aws, tmp_path: Path
) -> None:
    """[CFN] "Amazon Cognito treats any variation in case as the same user": preview names
    both lines and the column, never the username; the job skips the variant as a user that
    exists, and skips a variant of a user already in the pool as well."""
    pool = aws.pool(POOL_NAME, **CASE_INSENSITIVE)
    aws.cognito.admin_create_user(UserPoolId=pool, Username="zoe")
    header = aws.header(pool)
    rows = [user_row(header, "ann"), user_row(header, "ANN", email="other@example.com"),
            user_row(header, "ZOE")]  # fmt: skip
    summary = judged(aws, pool, tmp_path, rows)
    assert summary == [
        "line 3, column cognito:username: repeats the username of line 2 when case is "
        "ignored, as the pool ignores it"
    ]
    assert "ANN" not in " ".join(summary)
    assert imported(aws, pool, rows) == [
        "[SUCCEEDED] Line Number 2 - The import succeeded.",
        "[SKIPPED] Line Number 3 - The user already exists.",
        "[SKIPPED] Line Number 4 - The user already exists.",
    ]


def test_a_case_sensitive_pool_keeps_case_variants_apart(aws: Aws, tmp_path: Path) -> None:
    """[API] CaseSensitive true "is the default value": `ann` and `ANN` are two users."""
    pool = aws.pool(POOL_NAME)
    header = aws.header(pool)
    rows = [user_row(header, "ann"), user_row(header, "ANN", email="other@example.com")]
    assert judged(aws, pool, tmp_path, rows) == []
    assert refused_lines(imported(aws, pool, rows)) == []
    assert sorted(aws.users(pool)) == ["ANN", "ann"]


@pytest.mark.parametrize(
    ("settings", "column", "values", "setting"),
    [
        ({"AliasAttributes": ["email"], **CASE_INSENSITIVE}, "email",
         ("ann@example.com", "ANN@example.com"), "AliasAttributes"),
        ({"AliasAttributes": ["phone_number"]}, "phone_number",
         ("+15555550100", "+15555550100"), "AliasAttributes"),
        ({"AliasAttributes": ["preferred_username"], **CASE_INSENSITIVE}, "preferred_username",
         ("annie", "Annie"), "AliasAttributes"),
        ({"UsernameAttributes": ["email"]}, "email",
         ("ann@example.com", "ann@example.com"), "UsernameAttributes"),
    ],
    ids=["email alias, case ignored", "phone alias", "preferred_username alias",
         "email as username"],
)  # fmt: skip
def test_an_attribute_users_sign_in_with_is_one_users_alone(
    aws: Aws, tmp_path: Path, settings: dict[str, Any], column: str,
    values: tuple[str, str], setting: str,
) -> None:  # fmt: skip
    """Users sign in with an alias or username attribute, so no two may share its value
    (compared ignoring case for email and preferred_username where the pool ignores case,
    [API]). Preview names both lines and the column; the job fails the second user with
    Cognito's AliasExistsException words."""
    pool = aws.pool(POOL_NAME, **settings)
    header = aws.header(pool)
    first, second = ({column: value} for value in values)
    rows = [user_row(header, "ann", **first), user_row(header, "bob", **second)]
    summary = judged(aws, pool, tmp_path, rows)
    assert len(summary) == 1 and summary[0].startswith(
        f"line 3, column {column}: repeats the {column} of line 2"
    )
    assert f"(the pool's {setting})" in summary[0] and values[1] not in summary[0]
    assert imported(aws, pool, rows)[1] == (
        f"[FAILED] Line Number 3 - An account with the given {column} already exists."
    )


@pytest.mark.parametrize(
    ("alias", "username", "words"),
    [("email", "ann@example.com", "email format"),
     ("phone_number", "+15555550100", "phone number format")],
)  # fmt: skip
def test_a_username_may_not_look_like_an_alias_of_the_pool(
    aws: Aws, tmp_path: Path, alias: str, username: str, words: str
) -> None:
    """[ATTR]: with email (or phone number) as an alias, Cognito "doesn't accept a user
    name that matches a valid email address format"."""
    pool = aws.pool(POOL_NAME, AliasAttributes=[alias])
    header = aws.header(pool)
    rows = [user_row(header, "ann"), user_row(header, username, email="b@example.com")]
    assert judged(aws, pool, tmp_path, rows) == [
        f"line 3, column cognito:username: must not have the format of a {alias}: users of "
        f"this pool sign in with their {alias} (its AliasAttributes)"
    ]
    assert imported(aws, pool, rows)[1] == (
        f"[FAILED] Line Number 3 - Username cannot be of {words}, since user pool is "
        f"configured for {words.removesuffix(' format')} alias."
    )


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        ("custom:age", "151", "must be at most 150 (the pool's MaxValue)"),
        ("custom:age", "-1", "must be at least 0 (the pool's MinValue)"),
        ("custom:age", "4.5", "must be a whole number"),
        ("custom:code", "é", "must be at least 2 characters long (the pool's MinLength)"),
        ("custom:code", "abcde", "must be at most 4 characters long (the pool's MaxLength)"),
        ("custom:vip", "yes", "must be true or false"),
        ("custom:since", "yesterday", "must be a date and time in ISO 8601"),
        ("dev:custom:secret", "x", "is a developer-only attribute (DeveloperOnlyAttribute)"),
        ("name", "n" * 2049, "must be at most 2048 characters long (the pool's MaxLength)"),
    ],
    ids=["above MaxValue", "below MinValue", "not a number", "below MinLength",
         "above MaxLength", "not a boolean", "not a date", "developer-only",
         "standard attribute"],
)  # fmt: skip
def test_every_schema_constraint_is_judged_by_line_and_column(
    aws: Aws, tmp_path: Path, column: str, value: str, problem: str
) -> None:
    """[LOG]: a user whose data "doesn't match the schema" is not imported and the job goes
    on. Preview names the line, the column and the constraint, never the value."""
    pool = aws.pool(POOL_NAME, **CUSTOM_SCHEMA)
    header = aws.header(pool)
    good = {"custom:age": "150", "custom:code": "éé", "custom:vip": "TRUE",
            "custom:since": "2024-05-06T07:08:09"}  # fmt: skip
    rows = [user_row(header, "ann", **good), user_row(header, "bob", **{column: value})]
    summary = judged(aws, pool, tmp_path, rows)
    assert len(summary) == 1 and summary[0].startswith(f"line 3, column {column}: {problem}")
    assert value not in summary[0].removeprefix(f"line 3, column {column}")
    assert imported(aws, pool, rows) == [
        "[SUCCEEDED] Line Number 2 - The import succeeded.",
        f"[FAILED] Line Number 3 - {SCHEMA_MISMATCH}",
    ]


def test_preview_and_the_import_agree_on_a_mixed_file(aws: Aws, tmp_path: Path) -> None:
    """One file breaking each rule once, in a pool with every setting: preview refuses
    exactly the lines the job does not import."""
    pool = aws.pool(POOL_NAME, AliasAttributes=["email", "preferred_username"],
                    **CASE_INSENSITIVE, **CUSTOM_SCHEMA)  # fmt: skip
    header = aws.header(pool)
    rows = [
        user_row(header, "ann", preferred_username="annie"),
        user_row(header, "Ann", email="x@example.com"),
        user_row(header, "bob", preferred_username="ANNIE"),
        user_row(header, "cy", email="ANN@example.com"),
        user_row(header, "dee", **{"custom:age": "200"}),
        user_row(header, "eve@example.com", email="eve@example.org"),
        user_row(header, "fay", **{"custom:vip": "False", "custom:code": "ab"}),
    ]
    summary = judged(aws, pool, tmp_path, rows)
    assert preview_lines(summary) == [3, 4, 5, 6, 7], summary
    assert refused_lines(imported(aws, pool, rows)) == [3, 4, 5, 6, 7]


def test_check_refuses_a_file_of_users_the_pool_sees_as_one(
    aws: Aws, provider: UserImportJobProvider, tmp_path: Path
) -> None:
    """Through the provider's check, as `pulumi preview` calls it, and for users declared
    in code too; no job is made."""
    pool = aws.pool(POOL_NAME, **CASE_INSENSITIVE, **CUSTOM_SCHEMA)
    header = aws.header(pool)
    path = tmp_path / "users.csv"
    path.write_bytes(csv_bytes(header, [user_row(header, "ann"), user_row(header, "ANN")]))
    base = {"user_pool_id": pool, "job_name": "j", "cloud_watch_logs_role_arn": aws.role()}
    failures = provider.check({}, {**base, "csv_file": str(path)}).failures
    assert [(f.property, f.reason) for f in failures] == [
        ("csv_file", "line 3, column cognito:username: repeats the username of line 2 when "
         "case is ignored, as the pool ignores it")
    ]  # fmt: skip
    users = [{"username": "ann", "email": "a@example.com", "custom:age": "x"}]
    failures = provider.check({}, {**base, "users": users}).failures
    assert any("users[0] (CSV line 2), column custom:age: must be a whole number" in f.reason
               for f in failures), failures  # fmt: skip
    assert aws.cognito.list_user_import_jobs(UserPoolId=pool, MaxResults=10)["UserImportJobs"] == []


@pytest.mark.engine
def test_preview_through_the_cli_names_the_pairs_and_up_creates_nothing(
    aws: Aws, make_program: Callable[..., PulumiProgram], tmp_path: Path
) -> None:
    pool = aws.pool(POOL_NAME, AliasAttributes=["email"], **CASE_INSENSITIVE)
    header = aws.header(pool)
    path = tmp_path / "users.csv"
    rows = [user_row(header, "ann"), user_row(header, "bob", email="ANN@example.com")]
    path.write_bytes(csv_bytes(header, rows))
    program = make_program()
    program.init(
        {**aws_config(aws), "userPoolId": pool, "jobName": "settings",
         "cloudWatchLogsRoleArn": aws.role(), "csvFile": str(path)},
        secrets={"aws:secretKey": "testing"},
    )  # fmt: skip
    preview = program.run("preview", check=False)
    expected = "line 3, column email: repeats the email of line 2 when case is ignored"
    assert preview.returncode != 0 and expected in preview.stdout, preview.stdout
    assert "ANN@example.com" not in preview.stdout
    assert program.up(check=False).returncode != 0
    assert aws.cognito.list_user_import_jobs(UserPoolId=pool, MaxResults=10)["UserImportJobs"] == []


def test_a_copy_sends_one_of_the_source_users_the_target_sees_as_one(
    aws: Aws, provider: UserImportJobProvider, capsys: pytest.CaptureFixture[str]
) -> None:
    """A case-sensitive source can hold `ann` and `Ann`, and users sharing an email; a
    target that ignores case and signs in by email takes one of each. The copy sends the
    first by username, counts the others by reason (no username in the reason), and the
    import fails no row for it."""
    source = aws.pool("old")
    for name, email in (
        ("ann", "a@example.com"),
        ("Ann", "b@example.com"),
        ("bob", "shared@example.com"),
        ("cy", "SHARED@example.com"),
    ):
        create_user(aws, source, name, email=email, email_verified="true")  # fmt: skip
    target = aws.pool("new", AliasAttributes=["email"], **CASE_INSENSITIVE)
    news = checked(provider, copy_props(aws, target, source))
    assert "tells usernames apart by case and the target does not" in capsys.readouterr().err
    outs = outs_of(provider.create(news))
    assert counters(outs) == ("Succeeded", 2, 0, 0)
    assert outs["export"]["skipped"] == {
        "its email is another source user's when case is ignored, as the target ignores it, "
        "and the target's users sign in with it": 1,
        "its username is another source user's when case is ignored, as the target ignores it": 1,
    }
    assert sorted(aws.users(target)) == ["Ann", "bob"]
