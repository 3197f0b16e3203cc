"""Fixtures: one localaws process for the session, reset before each test that uses it."""

import functools
import os
import shlex
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from cognito_user_import import UserImportJobProvider, __version__
from cognito_user_import.lifeline import LIFELINE
from tests.docblocks import commands, run_by
from tests.engine import PIP_WITHOUT_COMPILING, PulumiProgram, aws_config
from tests.support import (
    ROOT,
    SAMPLE,
    Aws,
    LocalAwsProcess,
    clone_of_the_repository,
    configured,
    wait_for,
)
from tests.terraform import Workspace, leftover_plugins


@pytest.fixture(scope="session", autouse=True)
def private_cache_and_state(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The deployer's scan cache (scancache.py) and kept reports (private.py), for this
    session only: tests never read or leave them in the home of whoever runs them.
    Inherited by every CLI and provider host."""
    names = ("XDG_CACHE_HOME", "XDG_STATE_HOME")
    saved = {name: os.environ.get(name) for name in names}
    for name in names:
        os.environ[name] = str(tmp_path_factory.mktemp(name.lower()))
    yield
    for name, value in saved.items():
        if value is None:
            del os.environ[name]
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def localaws_endpoint() -> Iterator[str]:
    process = LocalAwsProcess()
    try:
        yield process.endpoint
    finally:
        process.stop()


@pytest.fixture
def aws(localaws_endpoint: str) -> Aws:
    session = Aws(localaws_endpoint)
    session.reset()
    return session


@pytest.fixture
def make_program(tmp_path: Path) -> Iterator[Callable[..., PulumiProgram]]:
    backend = tmp_path / "state"

    made: list[PulumiProgram] = []

    def make(
        source: Path = ROOT,
        name: str = "program",
        files: tuple[str, ...] = ("Pulumi.yaml", "__main__.py"),
    ) -> PulumiProgram:
        made.append(PulumiProgram.copy_of(source, tmp_path / name, backend, files))
        return made[-1]

    yield make
    for program in made:  # a failed test must not leave a CLI or plugin running
        program.kill_leftovers()


@pytest.fixture
def provider(aws: Aws) -> UserImportJobProvider:
    """The provider, configured for localaws as the engine would configure it."""
    return configured(aws.endpoint)


@pytest.fixture
def lifeline() -> Iterator[None]:
    """For tests that cut the provider's lifeline: whole again afterwards."""
    yield
    LIFELINE.reset()


@pytest.fixture
def pool(aws: Aws) -> str:
    """A pool named "customers" that auto-verifies email, MFA off."""
    return aws.pool("customers")


@pytest.fixture
def header(aws: Aws, pool: str) -> list[str]:
    return aws.header(pool)


@pytest.fixture
def program_with_csv(
    aws: Aws, make_program: Callable[..., PulumiProgram]
) -> tuple[PulumiProgram, str]:
    """This repository's own program, configured to import a copy of the sample CSV."""
    pool = aws.pool("customers")
    program = make_program()
    shutil.copy(SAMPLE, program.directory / "users.csv")
    program.init(
        {
            **aws_config(aws),
            "userPoolId": pool,
            "jobName": "from config",
            "cloudWatchLogsRoleArn": aws.role(),
            "csvFile": "users.csv",
            "start": "true",
            "wait": "true",
        },
        secrets={"aws:secretKey": "testing"},
    )
    return program, pool


def yaml_example(
    aws: Aws,
    make_program: Callable[..., PulumiProgram],
    name: str,
    plugin: Path | None,
    env: dict[str, str],
) -> tuple[PulumiProgram, str]:
    """examples/yaml in a folder of its own, importing a copy of the sample CSV into a new
    pool, its `packages:` entry naming `plugin` (or no folder at all: the plugin is then the
    one `pulumi plugin install` installed); the program names no Python virtualenv."""
    program = make_program(ROOT / "examples" / "yaml", name, ("Pulumi.yaml",))
    project = program.directory / "Pulumi.yaml"
    text = project.read_text().replace("../csv-as-code/users.csv", "users.csv")
    assert "virtualenv:" not in text
    if plugin is None:
        text = text.replace("packages:\n  cognito-user-import: ../../plugin\n", "")
    project.write_text(text.replace("../../plugin", str(plugin)))
    shutil.copy(SAMPLE, program.directory / "users.csv")
    program.extra_env = env
    pool = aws.pool("customers")
    program.init(
        {**aws_config(aws), "userPoolId": pool, "cloudWatchLogsRoleArn": aws.role()},
        secrets={"aws:secretKey": "testing"},
    )
    return program, pool


@pytest.fixture(scope="session")
def distributions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel and the sdist, built and checked by `make dist`'s own script."""
    out = tmp_path_factory.mktemp("dist") / "dist"
    subprocess.run(["bash", str(ROOT / "scripts" / "dist.sh"), str(out)], check=True)
    return out


def _house(distributions: Path, tmp_path_factory: pytest.TempPathFactory, pattern: str) -> Path:
    house = tmp_path_factory.mktemp("wheelhouse")
    for path in distributions.glob(pattern):
        shutil.copy(path, house / path.name)
    return house


@pytest.fixture(scope="session")
def wheelhouse(distributions: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder pip finds the package's wheel in (PIP_FIND_LINKS), and nothing else."""
    return _house(distributions, tmp_path_factory, "*.whl")


@pytest.fixture(scope="session")
def sdist_house(distributions: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder pip finds the package's sdist in, and nothing else: pip builds it."""
    return _house(distributions, tmp_path_factory, "*.tar.gz")


@pytest.fixture(scope="session")
def package_index(wheelhouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A package index holding the package's wheel, as the Python index will once it is
    published: its PEP 503 "simple" page (the folder listing http.server writes links every
    file) served over HTTP, for pip's `--extra-index-url` beside the real index."""
    root = tmp_path_factory.mktemp("index")
    project = root / "simple" / "cognito-user-import"
    project.mkdir(parents=True)
    for wheel in wheelhouse.glob("*.whl"):
        shutil.copy(wheel, project / wheel.name)
    handler = functools.partial(QuietFiles, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/simple/"
    server.shutdown()
    server.server_close()


class QuietFiles(SimpleHTTPRequestHandler):
    """Files served without a line per request on the test's output."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


#: Where tests live: a sleep called from here is a test's own.
TESTS = str(ROOT / "tests")


@pytest.fixture(autouse=True)
def no_test_sleeps(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test waits for what it needs (tests.support.wait_for, or a clock it advances), and
    never sleeps for it: a sleep long enough on an idle machine is too short on a busy one.
    Only the polling of wait_for may sleep; the product's own waits (botocore's back-off,
    the provider's lifeline) are not the test's."""
    real = time.sleep

    def guarded(seconds: float) -> None:
        caller = sys._getframe(1).f_code.co_filename
        if caller.startswith(TESTS) and not caller.endswith("support.py"):
            raise AssertionError(
                f"a test slept {seconds} s ({caller}): wait for a condition instead "
                "(tests.support.wait_for), or advance a clock"
            )
        real(seconds)

    monkeypatch.setattr(time, "sleep", guarded)


#: Nothing but the package index: no wheelhouse for pip to find this package in.
NO_WHEELHOUSE = {**PIP_WITHOUT_COMPILING, "PIP_FIND_LINKS": ""}


@pytest.fixture(scope="session")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clone of the repository in a folder of its own, its plugin used once, as `pulumi
    package add ./plugin` first uses it (reading its schema): the plugin's virtualenv gets
    the package from the clone itself, with no wheelhouse and no index holding it."""
    folder = clone_of_the_repository(tmp_path_factory.mktemp("clone") / "cognito-user-import")
    tool = PulumiProgram(
        folder.parent / "tool", folder.parent / "tool-state", extra_env=NO_WHEELHOUSE
    )
    tool.directory.mkdir()
    tool.run("package", "get-schema", str(folder / "plugin"))
    assert built_from_the_repository(folder / "plugin")
    assert not list(folder.glob("*.egg-info")) and not (folder / "build").exists()
    return folder


def plugin_package(plugin: Path) -> tuple[str, str]:
    """The version of the package in the plugin's virtualenv, and where pip installed it
    from (its direct_url.json: a folder or a URL; "None" from an index or a wheelhouse)."""
    python = plugin / "venv" / "bin" / "python"
    found = subprocess.run(
        [str(python), "-c", "from importlib.metadata import distribution as d; "
         "x = d('cognito-user-import'); print(x.version, x.read_text('direct_url.json'))"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    version, origin = found.strip().split(" ", 1)
    return version, origin


def built_from_the_repository(plugin: Path) -> bool:
    """Whether the plugin's virtualenv holds the package at this version, built from the
    repository holding the plugin (the private copy plugin/__main__.py builds), not from an
    index or a wheelhouse."""
    version, origin = plugin_package(plugin)
    return version == __version__ and "/cognito-user-import-build-" in origin


@pytest.fixture(scope="session")
def terraform_rc(clone: Path) -> Path:
    """The Terraform provider built in a clone as its page tells a user to build it
    (docs/terraform/index.md#install); the CLI config the build writes (dev_overrides),
    which installs it for Terraform and OpenTofu."""
    [install] = run_by("tests/conftest.py")
    build, export = commands(install)
    subprocess.run(shlex.split(build), cwd=clone, check=True, capture_output=True, text=True)
    name, value = export.removeprefix("export ").split("=", 1)
    assert name == "TF_CLI_CONFIG_FILE"
    return Path(value.replace("$PWD", str(clone)))


@pytest.fixture
def workspace(tmp_path: Path, terraform_rc: Path) -> Iterator[Workspace]:
    """A Terraform working directory holding the sample CSV as users.csv."""
    directory = tmp_path / "terraform"
    directory.mkdir()
    shutil.copy(SAMPLE, directory / "users.csv")
    made = Workspace(directory, terraform_rc)
    yield made
    print("\n".join(made.log))  # shown by pytest when the test fails
    wait_for(lambda: not leftover_plugins(directory), timeout=60)  # every plugin ended
