"""The product as a user adopts it, from outside this repository.

A project in a folder of its own (the csv-as-code example's program and CSV copied out), with
its own `requirements.txt` naming the package: the language host creates its virtualenv at
the first run and installs the package from the sdist `make dist` built (pip builds it) and
its dependencies from the package index. No
PYTHONPATH, no editable install, nothing of this repository's `.venv`. Through the real CLI
against localaws: preview, up (a CSV imported), a no-change up, refresh, destroy, then
`pulumi install`; and in that virtualenv, the `localaws` command, the user's own tests with
`localaws.running()`, and a strict mypy run that sees the package's types.
"""

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cognito_user_import import __version__
from tests.docblocks import commands, run_by
from tests.engine import PIP_WITHOUT_COMPILING, PulumiProgram, aws_config
from tests.support import ROOT, SAMPLE, Aws, LocalAwsProcess

#: One xdist worker builds the distributions and the plugin's environment for both modules.
pytestmark = [pytest.mark.engine, pytest.mark.xdist_group("outside-the-repository")]

PROJECT = """name: my-stack
runtime:
  name: python
  options:
    virtualenv: venv
"""
REQUIREMENTS = f"""cognito-user-import[localaws]~={__version__}
pytest
"""
#: A user's strictly typed code, one line wrong: mypy must see the package's types to say so.
#: Their config skips pulumi-aws's 270 MB of generated modules, as users of it often do.
MYPY_CONFIG = "[mypy]\n[mypy-pulumi_aws.*]\nfollow_imports = skip\n"
TYPED_USE = """from cognito_user_import import CognitoUserImportArgs

args = CognitoUserImportArgs(user_pool_id="us-east-1_AbCdEf123", job_name="j")
count: int = args.job_name
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("elsewhere") / "my-stack"
    folder.mkdir()
    (folder / "Pulumi.yaml").write_text(PROJECT)
    shutil.copy(ROOT / "examples" / "csv-as-code" / "__main__.py", folder)  # the user's
    (folder / "requirements.txt").write_text(REQUIREMENTS)
    shutil.copy(SAMPLE, folder / "users.csv")
    shutil.copy(ROOT / "examples" / "localaws-tests" / "test_import_script.py", folder)
    return folder


@pytest.fixture(scope="module")
def users_program(
    project: Path, sdist_house: Path, localaws_endpoint: str
) -> Iterator[PulumiProgram]:
    """The project's stack, after its first run: `pulumi preview` created `venv/` and
    installed requirements.txt into it (the package from the sdist, which pip builds)."""
    program = PulumiProgram(project, project.parent / "state")
    program.extra_env = {"PIP_FIND_LINKS": str(sdist_house), **PIP_WITHOUT_COMPILING}
    aws = Aws(localaws_endpoint)
    program.init(
        {
            **aws_config(aws),
            "userPoolId": aws.pool("first-run"),
            "cloudWatchLogsRoleArn": aws.role("first"),
        },
        secrets={"aws:secretKey": "testing"},
    )  # fmt: skip
    assert not venv_python(project).exists()
    preview = program.run("preview")
    assert "Finished installing dependencies" in preview.stdout + preview.stderr
    yield program
    program.kill_leftovers()


def venv_python(project: Path) -> Path:
    return project / "venv" / "bin" / "python"


def test_a_users_own_program_runs_its_whole_lifecycle(
    aws: Aws, users_program: PulumiProgram
) -> None:
    program = users_program
    python = venv_python(program.directory)
    shown = subprocess.run(
        [str(python), "-m", "pip", "show", "cognito-user-import"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert f"Version: {__version__}" in shown
    assert f"Location: {program.directory / 'venv'}" in shown  # not this repository

    pool = aws.pool("customers")
    program.run("config", "set", "userPoolId", pool)
    program.run("config", "set", "cloudWatchLogsRoleArn", aws.role())
    program.run("preview")
    program.up()
    outputs = program.outputs()
    assert (outputs["status"], outputs["importedUsers"]) == ("Succeeded", 5)
    assert set(aws.users(pool)) == {"ada", "alan", "grace", "edsger", "barbara"}
    program.up("--expect-no-changes")
    program.run("refresh", "--yes", "--skip-preview")
    program.run("destroy", "--yes", "--skip-preview")
    assert program.resources() == []

    installed = program.run("install")
    assert "Installing dependencies from requirements.txt" in installed.stdout + installed.stderr


def test_the_localaws_command_serves_from_the_users_virtualenv(
    project: Path, users_program: PulumiProgram
) -> None:
    command = venv_python(project).parent / "localaws"
    server = LocalAwsProcess(command=[str(command), "--port", "0"])
    try:
        remote = Aws(server.endpoint)
        pool = remote.pool("theirs")
        assert remote.header(pool)[-1] == "cognito:username"
    finally:
        server.stop()


def test_the_users_own_tests_run_localaws_in_process(
    project: Path, users_program: PulumiProgram
) -> None:
    python = venv_python(project)
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    env.pop("PYTHONPATH", None)
    run = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_import_script.py"],
        cwd=project, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout


def test_a_users_strict_mypy_sees_the_packages_types(
    project: Path, users_program: PulumiProgram, tmp_path: Path
) -> None:
    python = venv_python(project)
    source = tmp_path / "typed_use.py"
    source.write_text(TYPED_USE)
    (tmp_path / "mypy.ini").write_text(MYPY_CONFIG)
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--config-file",
         "mypy.ini", "--python-executable", str(python), str(source)],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert "py.typed" not in checked.stdout, checked.stdout  # the package is typed
    assert checked.returncode == 1, checked.stdout
    errors = [line for line in checked.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1 and "typed_use.py:4" in errors[0], checked.stdout
    assert json.dumps("Incompatible types in assignment")[1:-1] in errors[0]


def test_the_install_commands_of_the_docs_work_as_written(
    distributions: Path, wheelhouse: Path, tmp_path: Path
) -> None:
    """Every block the docs say this module runs, typed as written into a fresh virtualenv,
    in a folder whose dist/ holds what `make dist` built (the `distributions` fixture ran
    its script); pip finds the package in the wheelhouse, as the docs say to point it there
    until the package is on an index. Then the package imports at its version and the
    localaws extra's command answers."""
    blocks = run_by("tests/test_adoption.py")
    assert blocks
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    (tmp_path / "dist").symlink_to(distributions)
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env.update(
        PATH=f"{venv / 'bin'}:{env['PATH']}", PIP_FIND_LINKS=str(wheelhouse),
        VIRTUAL_ENV=str(venv), **PIP_WITHOUT_COMPILING,
    )  # fmt: skip
    for block in blocks:
        for command in commands(block):
            if command == "make dist":
                continue  # the distributions fixture ran scripts/dist.sh, make dist's script
            typed = subprocess.run(
                ["bash", "-c", command],
                cwd=tmp_path,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            assert typed.returncode == 0, f"{block.id}: {command}\n{typed.stderr}"
    python = venv / "bin" / "python"
    version = subprocess.run(
        [str(python), "-c", "import cognito_user_import; print(cognito_user_import.__version__)"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    assert version == __version__
    server = LocalAwsProcess([str(venv / "bin" / "localaws"), "--port", "0"])
    try:
        assert server.endpoint.startswith("http://127.0.0.1:")
    finally:
        server.stop()
