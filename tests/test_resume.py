"""An import interrupted or failed at any point is finished, once, by the same inputs.

Through the provider against localaws over HTTP. The interruption is the one the provider
host reports (LIFELINE: Ctrl-C reached the host, or the engine is gone); the real CLI's
signals are in test_engine_resume.py.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cognito_user_import import UserImportJobProvider
from cognito_user_import import provider as provider_module
from cognito_user_import.lifeline import LIFELINE
from cognito_user_import.provider import ProviderError
from tests.support import Aws, configured, csv_bytes, outs_of, user_row
from tests.test_import_as_code import checked, counters, jobs_of, props, unmarked

USERS = [f"u{i}" for i in range(5)]


@pytest.fixture
def news(
    aws: Aws, provider: UserImportJobProvider, pool: str, header: list[str], tmp_path: Path
) -> Callable[..., dict[str, Any]]:
    path = tmp_path / "users.csv"
    path.write_bytes(csv_bytes(header, [user_row(header, name) for name in USERS]))

    def make(**extra: Any) -> dict[str, Any]:
        return checked(provider, props(aws, pool, csv_file=str(path), **extra))

    return make


def on_start(monkeypatch: pytest.MonkeyPatch, nth: int, action: Callable[[], None]) -> None:
    """Run `action` in the provider's thread when it reports starting its nth job."""
    started = []

    def say(message: str) -> None:
        if ": started (" in message:
            started.append(message)
            if len(started) == nth:
                action()

    monkeypatch.setattr(provider_module, "_say", say)


def test_an_import_interrupted_while_waiting_is_finished_by_the_next_attempt(
    aws: Aws, provider: UserImportJobProvider, pool: str, news: Callable[..., dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch, lifeline: None,
) -> None:  # fmt: skip
    on_start(monkeypatch, 1, lambda: LIFELINE.cut("the update was interrupted (Ctrl-C)"))
    with pytest.raises(ProviderError) as raised:
        provider.create(news())
    [job] = jobs_of(aws, pool)
    assert str(raised.value).startswith(
        f"{job['JobId']}: the update was interrupted (Ctrl-C) while waiting for it. "
        f"Jobs of this import: {job['JobId']} Pending."
    )
    assert f"finds these jobs by name, waits for {job['JobId']}" in str(raised.value)

    LIFELINE.reset()
    outs = outs_of(provider.create(news()))
    assert (outs["job_id"], counters(outs)) == (job["JobId"], ("Succeeded", 5, 0, 0))
    assert len(jobs_of(aws, pool)) == 1
    assert aws.users(pool) == dict.fromkeys(USERS, "RESET_REQUIRED")


def test_a_split_import_interrupted_at_its_second_part_goes_on_from_there(
    aws: Aws, provider: UserImportJobProvider, pool: str, news: Callable[..., dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch, lifeline: None, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    on_start(monkeypatch, 2, lambda: LIFELINE.cut("the update was interrupted (Ctrl-C)"))
    with pytest.raises(ProviderError) as raised:
        provider.create(news(rows_per_job=2))
    second, first = jobs_of(aws, pool)
    assert str(raised.value).startswith(
        f"{second['JobId']} (part 2 of 3): the update was interrupted (Ctrl-C) while waiting "
        f"for it. Jobs of this import: {first['JobId']} (part 1 of 3) Succeeded, "
        f"{second['JobId']} (part 2 of 3) Pending; 1 later part not created yet."
    )

    LIFELINE.reset()
    monkeypatch.undo()
    outs = outs_of(provider.create(news(rows_per_job=2)))
    jobs = outs["jobs"]
    assert [job["jobId"] for job in jobs[:2]] == [first["JobId"], second["JobId"]]
    assert [(unmarked(j["jobName"]), j["status"], j["importedUsers"]) for j in jobs] == [
        ("as code part 1 of 3", "Succeeded", 2),
        ("as code part 2 of 3", "Succeeded", 2),
        ("as code part 3 of 3", "Succeeded", 1),
    ]
    assert len(jobs_of(aws, pool)) == 3
    assert aws.users(pool) == dict.fromkeys(USERS, "RESET_REQUIRED")
    said = capsys.readouterr().err
    assert f"{first['JobId']} (part 1 of 3): found from an earlier attempt, Succeeded" in said


@pytest.mark.parametrize(
    ("operation", "kind", "left", "reason", "advice"),
    [
        ("DescribeUserImportJob", "throttle", "Pending",
         "Cognito did not answer while it ran (Cognito throttled DescribeUserImportJob 2 "
         "times in a row.", "waits for {job}"),
        ("StartUserImportJob", "internal", "Created",
         "the file is uploaded, but StartUserImportJob failed: Cognito failed internally on "
         "StartUserImportJob 2 times in a row", "uploads the file to {job} again (or to a new job"),
    ],
)  # fmt: skip
def test_cognito_failing_after_the_upload_names_the_job_and_the_same_inputs_finish_it(
    aws: Aws, pool: str, news: Callable[..., dict[str, Any]],
    operation: str, kind: str, left: str, reason: str, advice: str,
) -> None:  # fmt: skip
    provider = configured(aws.endpoint, {"aws:maxRetries": "1"})
    aws.control("faults", {"operation": operation, "kind": kind, "count": 2})
    with pytest.raises(ProviderError) as raised:
        provider.create(news())
    [job] = jobs_of(aws, pool)
    message = str(raised.value)
    assert message.startswith(f"{job['JobId']}: {reason}")
    assert f"Jobs of this import: {job['JobId']} {left}." in message
    assert advice.format(job=job["JobId"]) in message

    outs = outs_of(provider.create(news()))
    assert (outs["job_id"], counters(outs)) == (job["JobId"], ("Succeeded", 5, 0, 0))
    assert len(jobs_of(aws, pool)) == 1


def test_a_finished_import_is_recorded_again_not_repeated(
    aws: Aws, provider: UserImportJobProvider, pool: str, news: Callable[..., dict[str, Any]],
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """A stack destroyed and deployed again, or state lost: the import ran already."""
    created = provider.create(news())
    provider.delete(created.id, outs_of(created))
    again = outs_of(provider.create(news()))
    assert again["job_id"] == outs_of(created)["job_id"]
    assert counters(again) == ("Succeeded", 5, 0, 0)
    assert len(jobs_of(aws, pool)) == 1
    assert "found from an earlier attempt, Succeeded, imported 5" in capsys.readouterr().err


def test_other_inputs_are_another_import(
    aws: Aws, provider: UserImportJobProvider, pool: str, news: Callable[..., dict[str, Any]]
) -> None:
    provider.create(news())
    again = outs_of(provider.create(news(job_name="as code again")))  # every user exists
    assert (again["status"], again["imported_users"], again["skipped_users"]) == ("Failed", 0, 5)
    assert [unmarked(job["JobName"]) for job in jobs_of(aws, pool)] == ["as code again", "as code"]


def test_an_update_keeps_every_output_it_cannot_read_afresh(
    aws: Aws, provider: UserImportJobProvider, pool: str, news: Callable[..., dict[str, Any]],
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    inputs = news()
    created = provider.create(inputs)
    olds = outs_of(created)
    aws.cognito.delete_user_pool(UserPoolId=pool)
    updated = outs_of(provider.update(created.id, olds, {**inputs, "wait_timeout_seconds": 60}))
    assert updated == {**olds, "wait_timeout_seconds": 60}
    assert "the pool or job is gone; outputs kept as last recorded" in capsys.readouterr().err


def test_errors_reach_the_user_without_a_chained_botocore_cause(
    aws: Aws, provider: UserImportJobProvider, news: Callable[..., dict[str, Any]]
) -> None:
    """Pulumi's host prints the whole traceback: a chained cause would double it."""
    with pytest.raises(ProviderError) as raised:
        provider.create({**news(), "user_pool_id": "us-east-1_gone"})
    assert raised.value.__cause__ is None and raised.value.__suppress_context__
    assert len(raised.traceback) <= 3
