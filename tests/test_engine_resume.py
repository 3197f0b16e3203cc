"""Interrupted or failed imports converge on the next `pulumi up`, through the real CLI.

Each test holds a job running in localaws (`polls_in_progress`), interrupts or fails the
run the way pipelines and people do, checks that nothing of the run is left alive, follows
the recovery the product documents (and Pulumi's own, after a killed CLI), and asserts one
job per part, every user once, and a stack that records the import and then stays still.

What the real CLI does, measured here and relied on: plugins run in process groups of their
own, so a Ctrl-C to the CLI's group reaches the CLI only; the first makes Pulumi wait for
the operation in flight (the dynamic-provider host ignores Cancel), the second ends the run
at once and leaves a pending create in state; SIGKILL leaves the stack's lock as well.
"""

import json
import os
import shlex
import signal
import threading
from typing import Any

import pytest

from tests.docblocks import commands, run_by
from tests.engine import PulumiProgram, Running
from tests.support import JOB_TYPE, Aws, wait_for
from tests.test_import_as_code import jobs_of, unmarked

pytestmark = pytest.mark.engine

SAMPLE_USERS = {"ada", "alan", "grace", "edsger", "barbara"}
#: How long the CLI, the language host, the program and the provider host may outlive an
#: interruption: the engine health checks run every second, two misses in a row count.
SECONDS_TO_STOP = 10


def running(aws: Aws, pool: str, count: int = 1) -> bool:
    """The pool has `count` jobs and the newest is InProgress."""
    jobs = jobs_of(aws, pool)
    return len(jobs) == count and jobs[0]["Status"] == "InProgress"


def stopped(program: PulumiProgram, process: Running) -> str:
    return program.shown(process.finish())


def nothing_left(program: PulumiProgram) -> None:
    """No process of the program's runs is alive (how long that took is printed: `-s`)."""
    waited = wait_for(lambda: not program.processes(), timeout=SECONDS_TO_STOP)
    print(f"every process of the run gone after {waited:.1f} s")


def pending_operations(program: PulumiProgram) -> list[Any]:
    exported = json.loads(program.run("stack", "export").stdout)["deployment"]
    return list(exported.get("pending_operations") or [])


#: The recovery as the guide tells it (docs/guides/recover-an-interrupted-import.md).
RECOVERY = commands(run_by("tests/test_engine_resume.py")[0])


def recover_the_killed_update(program: PulumiProgram) -> None:
    """Pulumi's own recovery of an update that died, typed as the guide writes it: release
    the lock, clear the create that never reported back (the provider finds its job again
    by name); then the guide's `pulumi up`, which converged() runs (with --yes, as a run
    without a terminal needs)."""
    *before, last = RECOVERY
    assert last == "pulumi up"
    for command in before:
        program.run(*shlex.split(command)[1:])
    assert pending_operations(program) == []


def converged(aws: Aws, program: PulumiProgram, pool: str, jobs: int = 1) -> dict[str, Any]:
    """`pulumi up` finished the import: one job per part, every user once, all recorded."""
    aws.control("settings", {"polls_in_progress": 1})
    up = program.up()
    outputs = program.outputs()
    assert (outputs["status"], outputs["importedUsers"]) == ("Succeeded", 5), up.stdout
    assert len(jobs_of(aws, pool)) == jobs
    assert aws.users(pool) == dict.fromkeys(SAMPLE_USERS, "RESET_REQUIRED")
    assert pending_operations(program) == []
    job = program.resource(JOB_TYPE)
    assert job is not None and job["outputs"]["status"] == "Succeeded"
    program.up("--expect-no-changes")
    nothing_left(program)
    return outputs


def held_running(aws: Aws, program: PulumiProgram, pool: str) -> tuple[Running, dict[str, Any]]:
    """`pulumi up` started, its job InProgress in localaws until the test lets it end."""
    aws.control("settings", {"polls_in_progress": 1000})
    update = program.start("up", "--yes", "--skip-preview")
    wait_for(lambda: running(aws, pool), timeout=60)
    [job] = jobs_of(aws, pool)
    return update, job


def test_a_second_ctrl_c_ends_the_run_within_seconds_and_up_finishes_the_import(
    aws: Aws, program_with_csv: tuple[PulumiProgram, str]
) -> None:
    program, pool = program_with_csv
    update, job = held_running(aws, program, pool)

    os.killpg(update.pid, signal.SIGINT)
    wait_for(lambda: "^C received; cancelling" in update.output, timeout=SECONDS_TO_STOP)
    assert update.poll() is None  # the first Ctrl-C waits for the operation in flight
    os.killpg(update.pid, signal.SIGINT)
    out = stopped(program, update)
    assert "^C received; terminating" in out
    assert f"{job['JobId']}: InProgress" in out  # the job the next up will find
    nothing_left(program)

    recover_the_killed_update(program)
    outputs = converged(aws, program, pool)
    assert outputs["jobId"] == job["JobId"]


def test_a_killed_cli_leaves_no_process_and_up_finishes_the_import(
    aws: Aws, program_with_csv: tuple[PulumiProgram, str]
) -> None:
    program, pool = program_with_csv
    update, job = held_running(aws, program, pool)
    assert len(program.processes()) >= 4  # CLI, language host, program, provider host

    update.kill()
    program.shown(update.finish())  # what it printed before it was killed
    nothing_left(program)  # the language host and the provider's wait noticed

    up = program.up(check=False)
    assert up.returncode != 0 and "the stack is currently locked" in up.stderr
    recover_the_killed_update(program)
    outputs = converged(aws, program, pool)
    assert outputs["jobId"] == job["JobId"]


def test_a_timed_out_wait_fails_up_naming_the_job_and_up_again_finishes_it(
    aws: Aws, program_with_csv: tuple[PulumiProgram, str]
) -> None:
    program, pool = program_with_csv
    program.run("config", "set", "waitTimeoutSeconds", "2")
    aws.control("settings", {"polls_in_progress": 1000})
    up = program.up(check=False)
    [job] = jobs_of(aws, pool)
    assert up.returncode != 0
    assert f"{job['JobId']}: still InProgress after waiting 2 s." in up.stdout
    assert "Run `pulumi up` again with the same inputs to finish the import" in up.stdout
    assert "During handling of the above exception" not in up.stdout  # no chained cause
    assert program.resource(JOB_TYPE) is None
    nothing_left(program)

    outputs = converged(aws, program, pool)  # the same inputs, the 2 s wait included
    assert outputs["jobId"] == job["JobId"]


def test_cognito_failing_while_up_waits_names_the_job_and_up_again_finishes_it(
    aws: Aws, program_with_csv: tuple[PulumiProgram, str]
) -> None:
    program, pool = program_with_csv
    program.run("config", "set", "aws:maxRetries", "1")
    aws.control("faults", {"operation": "DescribeUserImportJob", "kind": "throttle", "count": 2})
    up = program.up(check=False)
    [job] = jobs_of(aws, pool)
    assert up.returncode != 0
    assert (
        f"{job['JobId']}: Cognito did not answer while it ran (Cognito throttled "
        "DescribeUserImportJob 2 times in a row." in up.stdout
    )
    assert f"waits for {job['JobId']}" in up.stdout
    assert "botocore" not in up.stdout
    outputs = converged(aws, program, pool)
    assert outputs["jobId"] == job["JobId"]


def killed_at_the_second_part(
    aws: Aws, program: PulumiProgram, pool: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """`pulumi up` of a 3-part import killed while part 2 runs, then Pulumi's recovery: the
    jobs of parts 1 and 2."""
    program.run("config", "set", "rowsPerJob", "2")

    def hold_the_second_part() -> None:
        wait_for(lambda: len(jobs_of(aws, pool)) == 2, timeout=60)
        aws.control("settings", {"polls_in_progress": 1000})

    holder = threading.Thread(target=hold_the_second_part)
    holder.start()
    update = program.start("up", "--yes", "--skip-preview")
    holder.join()
    wait_for(lambda: running(aws, pool, count=2), timeout=60)
    second, first = jobs_of(aws, pool)
    assert first["Status"] == "Succeeded"

    update.kill()
    program.shown(update.finish())  # what it printed before it was killed
    nothing_left(program)
    recover_the_killed_update(program)
    return first, second


def test_a_split_import_killed_at_its_second_part_resumes_there(
    aws: Aws, program_with_csv: tuple[PulumiProgram, str]
) -> None:
    program, pool = program_with_csv
    first, second = killed_at_the_second_part(aws, program, pool)
    outputs = converged(aws, program, pool, jobs=3)
    assert [job["jobId"] for job in outputs["jobs"][:2]] == [first["JobId"], second["JobId"]]
    assert [(unmarked(j["jobName"]), j["status"]) for j in outputs["jobs"]] == [
        ("from config part 1 of 3", "Succeeded"),
        ("from config part 2 of 3", "Succeeded"),
        ("from config part 3 of 3", "Succeeded"),
    ]
