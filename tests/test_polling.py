"""The wait's poll schedule: a job's end is noticed within max(1 s, 5% of the time it has
run) and never more than 5 s later, with far fewer calls than polling every second.

Time is localaws's clock, advanced by the provider's own sleeps (VirtualTime): the
schedule is the provider's real one, and the test takes no real minutes."""

from pathlib import Path

import pytest

from cognito_user_import.importer import next_pause
from tests.support import Aws, VirtualTime, csv_bytes, import_service, job_inputs, user_row
from tests.test_import_as_code import logging_role


@pytest.mark.parametrize(
    ("ran", "pause"), [(0, 1.0), (10, 1.0), (20, 1.0), (40, 2.0), (80, 4.0), (100, 5.0), (1e6, 5.0)]
)
def test_the_pause_is_5_percent_of_the_run_between_1_and_5_seconds(
    ran: float, pause: float
) -> None:
    assert next_pause(ran) == pytest.approx(pause)


def test_a_30_minute_import_is_noticed_on_schedule_with_few_calls(
    aws: Aws, pool: str, header: list[str], tmp_path: Path
) -> None:
    path = tmp_path / "users.csv"
    path.write_bytes(csv_bytes(header, [user_row(header, f"u{i}") for i in range(3)]))
    aws.control("settings", {"import_seconds": 1800})
    time = VirtualTime(aws)
    inputs = job_inputs(
        user_pool_id=pool, job_name="long", cloud_watch_logs_role_arn=logging_role(aws),
        csv_file=str(path), start=True, wait=True, wait_timeout_seconds=7200,
    )  # fmt: skip
    [job] = import_service(aws, time, []).create(inputs).jobs

    assert job.status == "Succeeded"
    ran = 0.0
    for pause in time.sleeps:  # each pause is the schedule's for how long the job had run
        assert pause == pytest.approx(next_pause(ran), abs=0.01)
        ran += pause
    late = ran - 1800  # the import ended at 1,800 s of the clock; the last poll saw it
    assert 0 <= late <= max(1.0, 0.05 * 1800) and late <= 5.0
    assert len(time.sleeps) < 1800 / 4  # polling every second would make 1,800 calls


def test_the_one_retry_loop_grows_its_pause_within_its_bound(aws: Aws) -> None:
    """Used by the wait for a new role (IAM) and the wait for lagging log lines."""
    time = VirtualTime(aws)
    tries = sum(1 for _ in time.tries(10, first=1, growth=2, longest=4))
    assert (tries, time.sleeps) == (4, [1, 2, 4])
