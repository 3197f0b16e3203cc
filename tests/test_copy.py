"""Copying one pool's users into another, through the provider against localaws over HTTP.

The source holds users in every state and shape the copy must handle; the target has another
schema. Each test asserts which users arrive with which attributes, and which are reported
skipped and why, in counts and reasons only.
"""

import json
from pathlib import Path
from typing import Any

import pytest

from cognito_user_import import UserImportJobProvider, copying
from cognito_user_import.copying import DISABLED, FEDERATED
from cognito_user_import.lifeline import LIFELINE
from cognito_user_import.provider import ProviderError
from tests.support import Aws, configured, outs_of
from tests.test_import_as_code import checked, counters, jobs_of, logging_role, unmarked
from tests.test_resume import on_start

AUTO_VERIFY = (
    "email_verified: must be true: the pool auto-verifies email, and imported users need it "
    "verified to reset their passwords"
)
SPACES = "cognito:username: must not contain spaces or tabs"


def create_user(
    aws: Aws, pool: str, username: str, region: str | None = None, **attributes: str
) -> None:
    client = aws.client("cognito-idp", region_name=region) if region else aws.cognito
    client.admin_create_user(
        UserPoolId=pool,
        Username=username,
        UserAttributes=[{"Name": name, "Value": value} for name, value in attributes.items()],
        MessageAction="SUPPRESS",
    )


def attributes_of(aws: Aws, pool: str) -> dict[str, dict[str, str]]:
    """Username -> attributes (without `sub`) of every user of the pool."""
    pages = aws.cognito.get_paginator("list_users").paginate(UserPoolId=pool)
    return {
        user["Username"]: {a["Name"]: a["Value"] for a in user["Attributes"] if a["Name"] != "sub"}
        for page in pages
        for user in page["Users"]
    }


def source_pool(aws: Aws) -> str:
    """A pool with a custom attribute, and a user of every kind a copy meets."""
    pool = aws.pool(
        "old", Schema=[{"Name": "tier", "AttributeDataType": "String", "Mutable": True}]
    )
    create_user(
        aws, pool, "alice", email="alice@example.com", email_verified="true",
        given_name="Alice", birthdate="1990-02-01", **{"custom:tier": "gold"},
    )  # fmt: skip
    create_user(aws, pool, "bob", phone_number="+15550100", phone_number_verified="true")
    create_user(aws, pool, "carol", email="carol@example.com", email_verified="false")
    create_user(aws, pool, "dave", email="dave@example.com", email_verified="true")
    aws.cognito.admin_disable_user(UserPoolId=pool, Username="dave")
    create_user(aws, pool, "frank smith", email="frank@example.com", email_verified="true")
    create_user(aws, pool, "erin", email="erin@example.com", email_verified="true")
    aws.control(
        "federated-user",
        {"user_pool_id": pool, "provider": "Google", "subject": "1234",
         "attributes": {"email": "gina@example.com", "email_verified": "true"}},
    )  # fmt: skip
    return pool


def target_pool(aws: Aws) -> str:
    """Another schema: no custom:tier but a custom:plan; email auto-verified; erin is there."""
    pool = aws.pool(
        "new", Schema=[{"Name": "plan", "AttributeDataType": "String", "Mutable": True}]
    )
    create_user(aws, pool, "erin", email="erin@new.example.com", email_verified="true")
    return pool


def copy_props(aws: Aws, target: str, source: str, **extra: Any) -> dict[str, Any]:
    return {
        "user_pool_id": target,
        "job_name": "copy",
        "cloud_watch_logs_role_arn": logging_role(aws),
        "source_user_pool_id": source,
        "start": True,
        "wait": True,
        **extra,
    }


def test_a_copy_sends_what_the_target_can_take_and_counts_the_rest_by_reason(
    aws: Aws, provider: UserImportJobProvider, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = source_pool(aws), target_pool(aws)
    outs = outs_of(provider.create(checked(provider, copy_props(aws, target, source))))

    assert counters(outs) == ("Succeeded", 1, 0, 0)
    assert outs["export"] == {
        "sourceUsers": 7,
        "rows": 1,
        "alreadyInTarget": 1,
        "skipped": {
            AUTO_VERIFY: 2,  # bob (phone only) and carol (email not verified)
            DISABLED: 1,
            FEDERATED: 1,
            SPACES: 1,
        },
        "droppedColumns": {"custom:tier": 1},
    }
    users = attributes_of(aws, target)
    assert set(users) == {"alice", "erin"}
    assert users["alice"] == {
        "email": "alice@example.com",
        "email_verified": "true",
        "phone_number_verified": "false",
        "given_name": "Alice",
        "birthdate": "02/01/1990",  # the CSV's form of Cognito's 1990-02-01
    }
    assert users["erin"]["email"] == "erin@new.example.com"  # the target's own, untouched
    said = capsys.readouterr().err
    assert (
        f"copy: read 7 users of {source}; 1 to import, 1 already in the target, 5 skipped." in said
    )
    assert "the target's header has no column for custom:tier (1 users); not copied." in said
    written = json.dumps(outs)
    for personal in ("alice", "example.com", "Alice", "+1555", "Google_1234"):
        assert personal not in written


def test_the_preview_of_a_copy_checks_the_source_and_names_the_columns_it_drops(
    aws: Aws, provider: UserImportJobProvider, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = source_pool(aws), target_pool(aws)
    assert provider.check({}, copy_props(aws, target, source)).failures == []
    assert (
        f"copy: the target's CSV header has no column for custom:tier of {source}; those "
        "values are not copied." in capsys.readouterr().err
    )
    gone = provider.check({}, copy_props(aws, target, "us-east-1_gone"))
    assert [(f.property, f.reason) for f in gone.failures] == [
        (
            "source_user_pool_id",
            "source_user_pool_id 'us-east-1_gone' does not exist in this account and region. "
            "Check source_user_pool_id and source_region. (AWS: ResourceNotFoundException: "
            "User pool us-east-1_gone does not exist.)",
        )
    ]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"wait": False}, ("wait", "a copy needs start: true and wait: true: `up` reads the "
                          "source, sends what the target lacks and records how it ended")),
        ({"csv_file": "users.csv"},
         ("source_user_pool_id", "give one of csv_file, users or this, not two")),
        ({"source_user_pool_id": "TARGET"},
         ("source_user_pool_id", "is the target pool itself; copy another pool")),
        ({"source_region": "eu-west-1"},
         ("source_region", "is eu-west-1, but the pool id us-east-1_Source1 begins with the "
          "region it is in: us-east-1")),
        ({"source_region": "Frankfurt"},
         ("source_region", "must be a region name, e.g. us-west-2")),
        ({"source_user_pool_id": "not a pool"},
         ("source_user_pool_id", "must match the pattern [\\w-]+_[0-9a-zA-Z]+ (got 'not a pool')")),
    ],
)  # fmt: skip
def test_copy_inputs_that_cannot_work_are_refused_in_preview(
    aws: Aws, provider: UserImportJobProvider, pool: str,
    extra: dict[str, Any], expected: tuple[str, str],
) -> None:  # fmt: skip
    if extra.get("source_user_pool_id") == "TARGET":
        extra = {"source_user_pool_id": pool}
    news = {**copy_props(aws, pool, "us-east-1_Source1"), **extra}
    failures = [(f.property, f.reason) for f in provider.check({}, news).failures]
    assert expected in failures


def test_copy_trigger_runs_a_new_copy_of_only_what_the_target_lacks(
    aws: Aws, provider: UserImportJobProvider
) -> None:
    source, target = source_pool(aws), target_pool(aws)
    first = outs_of(provider.create(checked(provider, copy_props(aws, target, source))))
    assert first["export"]["rows"] == 1

    again = provider.create(checked(provider, copy_props(aws, target, source, copy_trigger=2)))
    nothing = outs_of(again)
    assert again.id == f"{target}/no-job"
    assert (nothing["status"], nothing["jobs"], nothing["imported_users"]) == ("Succeeded", [], 0)
    assert nothing["export"]["alreadyInTarget"] == 2  # erin, and alice from the first copy
    assert provider.read(again.id, nothing).outs == nothing
    provider.delete(again.id, nothing)  # nothing in Cognito to release

    create_user(aws, source, "hana", email="hana@example.com", email_verified="true")
    news = checked(provider, copy_props(aws, target, source, copy_trigger=3))
    third = outs_of(provider.create(news))
    assert (counters(third), third["export"]["rows"]) == (("Succeeded", 1, 0, 0), 1)
    assert set(attributes_of(aws, target)) == {"alice", "erin", "hana"}
    assert len(jobs_of(aws, target)) == 2


def test_an_interrupted_split_copy_resumes_with_the_same_parts(
    aws: Aws, provider: UserImportJobProvider, monkeypatch: pytest.MonkeyPatch, lifeline: None
) -> None:
    """The resumed copy still sends the users its first attempt imported (Cognito skips
    them), so its parts, and the names its jobs are found by, stay the same."""
    source, target = aws.pool("old"), aws.pool("new")
    names = [f"user{i}" for i in range(5)]
    for name in names:
        create_user(aws, source, name, email=f"{name}@example.com", email_verified="true")
    news = checked(provider, copy_props(aws, target, source, rows_per_job=2))
    on_start(monkeypatch, 2, lambda: LIFELINE.cut("the update was interrupted (Ctrl-C)"))
    with pytest.raises(ProviderError, match=r"\(part 2 of 3\): the update was interrupted"):
        provider.create(news)

    LIFELINE.reset()
    monkeypatch.undo()
    outs = outs_of(provider.create(news))
    assert [(unmarked(j["jobName"]), j["status"], j["importedUsers"]) for j in outs["jobs"]] == [
        ("copy part 1 of 3", "Succeeded", 2),
        ("copy part 2 of 3", "Succeeded", 2),
        ("copy part 3 of 3", "Succeeded", 1),
    ]
    assert len(jobs_of(aws, target)) == 3
    assert set(attributes_of(aws, target)) == set(names)
    assert outs["export"]["alreadyInTarget"] == 0


def test_a_copy_reads_a_source_in_another_region(aws: Aws, provider: UserImportJobProvider) -> None:
    west = aws.client("cognito-idp", region_name="us-west-2")
    created = west.create_user_pool(PoolName="west", AutoVerifiedAttributes=["email"])
    source = created["UserPool"]["Id"]
    assert source.startswith("us-west-2_")
    create_user(
        aws, source, "wes", region="us-west-2", email="wes@example.com", email_verified="true"
    )
    target = aws.pool("east")
    for extra in ({}, {"source_region": "us-west-2", "job_name": "copy named"}):
        news = checked(provider, copy_props(aws, target, source, **extra))
        outs = outs_of(provider.create(news))
        assert outs["export"]["sourceUsers"] == 1
    assert set(attributes_of(aws, target)) == {"wes"}


def test_the_export_says_how_far_it_got(
    aws: Aws, provider: UserImportJobProvider, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setattr(copying, "PROGRESS_SECONDS", 0.0)
    source, target = source_pool(aws), target_pool(aws)
    provider.create(checked(provider, copy_props(aws, target, source)))
    said = capsys.readouterr().err
    for read in range(1, 8):
        assert f"copy: {read} users of about 7 read from {source}" in said


def test_throttled_pages_are_retried_and_a_copy_that_gave_up_finishes_when_run_again(
    aws: Aws, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = source_pool(aws), target_pool(aws)
    patient = configured(aws.endpoint)
    aws.control("faults", {"operation": "ListUsers", "kind": "throttle", "count": 2})
    outs = outs_of(patient.create(checked(patient, copy_props(aws, target, source))))
    assert outs["export"]["rows"] == 1

    impatient = configured(aws.endpoint, {"aws:maxRetries": "1"})
    news = checked(impatient, copy_props(aws, target, source, copy_trigger="again"))
    aws.control("faults", {"operation": "ListUsers", "kind": "throttle", "count": 2})
    with pytest.raises(ProviderError) as raised:
        impatient.create(news)
    assert str(raised.value).startswith(
        "Cognito throttled ListUsers 2 times in a row. Run again later, or with fewer "
        "parallel operations (`pulumi up --parallel 1`)."
    )
    assert jobs_of(aws, target) and len(jobs_of(aws, target)) == 1  # nothing half-made
    again = outs_of(impatient.create(news))  # run again, as the message says
    assert (again["export"]["alreadyInTarget"], again["jobs"]) == (2, [])


def test_rows_cognito_refuses_are_reported_and_written_to_the_outcome_file(
    aws: Aws, provider: UserImportJobProvider, tmp_path: Path
) -> None:
    """The target signs in by email and one of its users has the email of a source user:
    Cognito fails that row; the outcome numbers it in the export, the retry file holds it."""
    source = aws.pool("old")
    for name in ("amy", "ben"):
        create_user(aws, source, name, email=f"{name}@example.com", email_verified="true")
    target = aws.pool("new", AliasAttributes=["email"])
    create_user(aws, target, "zoe", email="ben@example.com", email_verified="true")
    retry = tmp_path / "not-imported.csv"
    news = checked(provider, copy_props(aws, target, source, outcome_file=str(retry)))
    outs = outs_of(provider.create(news))

    assert counters(outs) == ("Succeeded", 1, 0, 1)
    assert outs["outcome"]["firstProblems"] == [
        {"line": 3, "status": "FAILED", "reason": "An account with the given email already exists."}
    ]
    header, row = retry.read_text().splitlines()
    assert header.endswith(",cognito:username,import_outcome")
    assert row.endswith(",ben,FAILED: An account with the given email already exists.")
    assert set(attributes_of(aws, target)) == {"amy", "zoe"}
