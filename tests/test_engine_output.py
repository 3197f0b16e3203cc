"""What a user reads when a preview fails while the program is still registering resources.

The engine stops the run at the first check failure, with the program's other registrations
in flight, and ends the language host with SIGINT to its process group. Before the host ran
programs in a session of their own, that SIGINT reached the program too, which printed a
KeyboardInterrupt traceback (chained to the in-flight `monitor.RegisterResource`) under the
Stack in 4 of 6 previews of such a program, and within 8 runs of this test. The output check
of every CLI run (tests/engine.py) fails on any traceback.
"""

from collections.abc import Callable

import pytest

from tests.engine import PulumiProgram, aws_config
from tests.support import Aws

pytestmark = pytest.mark.engine

#: Three imports whose CSV is a directory (refused at check), and forty registrations after.
BUSY_PROGRAM = """import pulumi
from cognito_user_import import CognitoUserImport, CognitoUserImportArgs

config = pulumi.Config()
for i in range(3):
    CognitoUserImport(f"import{i}", CognitoUserImportArgs(
        user_pool_id=config.require("userPoolId"), job_name=f"import {i}",
        cloud_watch_logs_role_arn=config.require("cloudWatchLogsRoleArn"),
        csv_file="users.csv", start=True, wait=True))
for i in range(40):
    pulumi.ComponentResource("example:index:Thing", f"thing{i}", None)
"""
RUNS = 8


def test_a_preview_failing_mid_registration_shows_the_cause_and_no_traceback(
    aws: Aws, make_program: Callable[..., PulumiProgram]
) -> None:
    program = make_program()
    (program.directory / "__main__.py").write_text(BUSY_PROGRAM)
    (program.directory / "users.csv").mkdir()
    program.init(
        {**aws_config(aws), "userPoolId": aws.pool("customers"), "jobName": "unused",
         "cloudWatchLogsRoleArn": aws.role()},
        secrets={"aws:secretKey": "testing"},
    )  # fmt: skip
    for _ in range(RUNS):
        preview = program.run("preview", check=False)  # fails on any traceback shown
        assert preview.returncode != 0
        assert "users.csv is a directory; give the path of a CSV file" in preview.stdout
        assert "KeyboardInterrupt" not in preview.stdout + preview.stderr
