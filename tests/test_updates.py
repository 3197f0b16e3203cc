"""What a change of inputs does to an import's jobs: an update goes on with the same jobs
(start or wait asked for now), a replacement makes a new import whose jobs are its own.

A replacement creates the new resource before it deletes the old one, and the old one's
delete stops a running job: were the new resource to find the old one's job again (the
same name), its delete would stop the job the new resource just started. So every input
that replaces must change the jobs' names, and `start` must not replace.
"""

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from cognito_user_import import UserImportJobProvider
from cognito_user_import.copying import CopySource
from cognito_user_import.fields import REPLACE_ON, UPDATE_ON, Input
from cognito_user_import.inputs import JobInputs
from tests.support import Aws, csv_bytes, outs_of, user_row
from tests.test_import_as_code import checked, counters, jobs_of, props

USERS = ["ada", "alan", "grace"]


@pytest.fixture
def csv(aws: Aws, pool: str, tmp_path: Path) -> str:
    header = aws.header(pool)
    path = tmp_path / "users.csv"
    path.write_bytes(csv_bytes(header, [user_row(header, name) for name in USERS]))
    return str(path)


def test_starting_an_uploaded_import_updates_it_in_place_on_its_own_job(
    aws: Aws, provider: UserImportJobProvider, pool: str, csv: str
) -> None:
    uploaded = checked(provider, props(aws, pool, csv_file=csv, start=False, wait=False))
    created = provider.create(uploaded)
    outs = outs_of(created)
    assert outs["status"] == "Created"
    started = checked(provider, {**uploaded, "start": True, "wait": False})

    diff = provider.diff(created.id, outs, started)
    assert (diff.changes, diff.replaces) == (True, [])
    updated = outs_of(provider.update(created.id, outs, started))
    assert updated["job_id"] == outs["job_id"] and updated["status"] in ("Pending", "InProgress")

    waited = checked(provider, {**started, "wait": True})
    assert provider.diff(created.id, updated, waited).replaces == []
    done = outs_of(provider.update(created.id, updated, waited))
    assert counters(done) == ("Succeeded", 3, 0, 0)
    assert [job["JobId"] for job in jobs_of(aws, pool)] == [outs["job_id"]]
    assert done["outcome"]["byStatus"] == {"SUCCEEDED": 3}


def test_a_change_of_start_to_false_is_recorded_and_said_to_change_nothing(
    aws: Aws, provider: UserImportJobProvider, pool: str, csv: str,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    news = checked(provider, props(aws, pool, csv_file=csv))
    created = provider.create(news)
    outs = outs_of(created)
    stopped = {**news, "start": False, "wait": False}
    updated = outs_of(provider.update(created.id, outs, stopped))
    assert (updated["start"], updated["status"]) == (False, "Succeeded")
    assert "Cognito cannot take back a started job" in capsys.readouterr().err


def test_start_and_wait_are_updates_and_every_other_import_input_replaces() -> None:
    assert {"start", "wait"} <= set(UPDATE_ON)
    assert not set(UPDATE_ON) & set(REPLACE_ON)


#: Each input that replaces, and a new value for it (pools and roles made by the test).
CHANGES: dict[str, Any] = {
    "user_pool_id": "another pool",
    "job_name": "another name",
    "cloud_watch_logs_role_arn": "another role",
    "password_hashing_algorithm": "BCRYPT",
    Input.CONTENT_SHA256: "another file",
    "rows_per_job": 3,
}
COPY_CHANGES: dict[str, Any] = {
    "source_user_pool_id": "us-east-1_Other",
    "source_region": "us-west-2",
    "copy_trigger": "again",
}


def test_the_inputs_that_replace_are_the_ones_tested_here() -> None:
    assert set(REPLACE_ON) == {*CHANGES, *COPY_CHANGES}


@pytest.mark.parametrize("name", list(CHANGES))
def test_a_replacement_never_finds_the_old_imports_job(
    aws: Aws, provider: UserImportJobProvider, pool: str, csv: str, tmp_path: Path, name: str
) -> None:
    """The replacement's create lists the pool's jobs like any attempt: it must not take the
    old resource's job for its own."""
    first = checked(provider, props(aws, pool, csv_file=csv, start=False, wait=False))
    old_job = outs_of(provider.create(first))["job_id"]
    changed = dict(first)
    if name == "user_pool_id":
        changed[name] = aws.pool("another")
        changed["csv_file"] = _csv_for(aws, changed[name], tmp_path / "another.csv")
    elif name == "cloud_watch_logs_role_arn":
        changed[name] = aws.role("another-role")
    elif name == Input.CONTENT_SHA256:
        header = aws.header(pool)
        path = tmp_path / "more.csv"
        path.write_bytes(csv_bytes(header, [user_row(header, n) for n in [*USERS, "barbara"]]))
        changed["csv_file"] = str(path)
    else:
        changed[name] = CHANGES[name]
    replaced = checked(provider, {**changed, Input.CONTENT_SHA256: None})
    assert name in (provider.diff("id", outs_of_first(first, old_job), replaced).replaces or [])
    new_job = outs_of(provider.create(replaced))["job_id"]
    assert new_job != old_job


def outs_of_first(news: dict[str, Any], job_id: str) -> dict[str, Any]:
    return {**news, "job_id": job_id}


def _csv_for(aws: Aws, pool: str, path: Path) -> str:
    header = aws.header(pool)
    path.write_bytes(csv_bytes(header, [user_row(header, name) for name in USERS]))
    return str(path)


@pytest.mark.parametrize("name", list(COPY_CHANGES))
def test_a_copys_replacing_inputs_make_another_copy(name: str) -> None:
    base = JobInputs(source_user_pool_id="us-east-1_Source", copy_trigger=1)
    before = CopySource.of(base)
    after = CopySource.of(replace(base, **{name: COPY_CHANGES[name]}))
    assert before is not None and after is not None
    assert before.key() != after.key()


def test_a_copys_region_given_as_its_pool_ids_own_is_no_change(
    provider: UserImportJobProvider,
) -> None:
    olds = {"user_pool_id": "us-east-1_T", "source_user_pool_id": "eu-west-1_S", "job_id": "x"}
    news = {**olds, "source_region": "eu-west-1"}
    assert provider.diff("id", olds, news).replaces == []
    assert provider.diff("id", olds, {**news, "source_region": "eu-central-1"}).replaces == [
        "source_region"
    ]
