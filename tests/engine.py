"""Driving the real Pulumi CLI in tests: a program laid out in a temp dir, a file backend.

`make setup` provides the CLI in .tools/pulumi/bin. Without it these tests fail (never
skip): CI must not pass without having run the engine.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.support import ROOT, Aws, environment_without_aws, run_cli

TOOLS = ROOT / ".tools" / "pulumi" / "bin"
PASSPHRASE = "test-passphrase"
#: What a Python traceback, or the last line of one, looks like in the CLI's output: a
#: `Traceback (most recent call last):` header, or a line that is nothing but an exception's
#: (optionally module-qualified) class name and its message.
PYTHON_ERROR = re.compile(
    r"Traceback \(most recent call last\)"
    r"|^\s*(?:[a-z_][\w]*\.)*_?[A-Z]\w*(?:Error|Exception|Interrupt|Exit|Warning)(?::.*)?$",
    re.MULTILINE,
)
#: For a virtualenv a test's run installs: pip byte-compiles what it installs by default,
#: 19 of the 21 s pulumi-aws's 270 MB take; the files are the same without it. pip reads
#: this setting from the environment, where (a quirk of its `--no-*` options) a false value
#: is what turns compiling off.
PIP_WITHOUT_COMPILING = {"PIP_NO_COMPILE": "0"}
#: Set in the environment of every run of a program, and inherited by every process the CLI
#: starts (language host, program, provider hosts), so a test can find them all.
RUN_MARKER = "COGNITO_IMPORT_TEST_RUN"


def pulumi_binary() -> Path:
    binary = TOOLS / "pulumi"
    if not binary.exists():
        raise RuntimeError(f"no Pulumi CLI at {binary}: run `make setup` (it builds one)")
    return binary


@dataclass
class PulumiProgram:
    """One Pulumi project and stack in `directory`, its state in `backend`."""

    directory: Path
    backend: Path
    stack: str = "test"
    log: list[str] = field(default_factory=list)
    marker: str = field(default_factory=lambda: uuid.uuid4().hex)
    #: More environment for every run, e.g. PIP_FIND_LINKS for a first run's install.
    extra_env: dict[str, str] = field(default_factory=dict)
    #: Why this program's output may hold a Python traceback (a known upstream bug, cited);
    #: empty: any traceback fails the test, since a user would read it as a crash.
    expected_traceback: str = ""

    def shown(self, output: str) -> str:
        """`output` of a CLI run, after checking that no Python traceback reaches the user."""
        found = PYTHON_ERROR.search(output)
        if found and not self.expected_traceback:
            raise AssertionError(
                f"a Python traceback reached the user ({found.group(0).strip()!r}):\n{output}"
            )
        return output

    @classmethod
    def copy_of(
        cls, source: Path, workdir: Path, backend: Path, files: tuple[str, ...]
    ) -> "PulumiProgram":
        workdir.mkdir(parents=True)
        for name in files:
            shutil.copy(source / name, workdir / name)
        project = workdir / "Pulumi.yaml"
        text = project.read_text()
        # The program's virtualenv option points into the repository; make it absolute.
        text = re.sub(r"virtualenv: .*", f"virtualenv: {ROOT / '.venv'}", text)
        project.write_text(text)
        return cls(workdir, backend)

    def env(self) -> dict[str, str]:
        return {
            **environment_without_aws(),
            "PATH": f"{TOOLS}{os.pathsep}{os.environ['PATH']}",
            "PULUMI_BACKEND_URL": self.backend.as_uri(),
            "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
            "PULUMI_HOME": str(self.backend / ".pulumi-home"),
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            "PULUMI_SKIP_CONFIRMATIONS": "true",
            RUN_MARKER: self.marker,
            **self.extra_env,
        }

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(pulumi_binary()), *args, "--non-interactive", "--color", "never"]
        return run_cli(
            "pulumi", command, self.directory, self.env(), self.log, self.shown, check, 300
        )

    def start(self, *args: str) -> "Running":
        """`pulumi <args>` in a session of its own, for a test to signal while it runs and
        to wait on what it prints."""
        command = [str(pulumi_binary()), *args, "--non-interactive", "--color", "never"]
        return Running(
            subprocess.Popen(
                command,
                cwd=self.directory,
                env=self.env(),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                start_new_session=True,
            )
        )

    def processes(self) -> list[str]:
        """`pid command` of every live process started by this program's runs."""
        found = []
        needle = f"{RUN_MARKER}={self.marker}".encode()
        for proc in Path("/proc").iterdir():
            try:
                if proc.name.isdigit() and needle in (proc / "environ").read_bytes().split(b"\0"):
                    command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                    state = (proc / "stat").read_text().split(")")[-1].split()[0]
                    if state != "Z":
                        found.append(f"{proc.name} {command.strip()}")
            except OSError:
                continue
        return found

    def kill_leftovers(self) -> None:
        for entry in self.processes():
            try:
                os.kill(int(entry.split()[0]), signal.SIGKILL)
            except OSError:
                continue

    def init(self, config: dict[str, str], secrets: dict[str, str] | None = None) -> None:
        """A new stack with this config, in one `pulumi config set-all` (a CLI run is a
        fifth of a second: one per key made stack setup a test's slowest part)."""
        self.backend.mkdir(parents=True, exist_ok=True)
        self.run("stack", "init", self.stack)
        pairs = [("--plaintext", f"{key}={value}") for key, value in config.items()]
        pairs += [("--secret", f"{key}={value}") for key, value in (secrets or {}).items()]
        if pairs:
            self.run("config", "set-all", "--path", *(part for pair in pairs for part in pair))

    def up(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("up", "--yes", "--skip-preview", *args, check=check)

    def outputs(self, show_secrets: bool = False) -> dict[str, Any]:
        args = ["stack", "output", "--json"] + (["--show-secrets"] if show_secrets else [])
        return dict(json.loads(self.run(*args).stdout))

    def resources(self) -> list[dict[str, Any]]:
        exported = json.loads(self.run("stack", "export").stdout)
        return list(exported["deployment"].get("resources") or [])

    def resource(self, resource_type: str) -> dict[str, Any] | None:
        return next((r for r in self.resources() if r["type"] == resource_type), None)

    def state_files(self) -> str:
        """Every byte the file backend holds, as text: what an attacker with the bucket sees."""
        return "".join(
            path.read_text(errors="replace")
            for path in (self.backend / ".pulumi").rglob("*")
            if path.is_file()
        )


def aws_config(aws: Aws) -> dict[str, str]:
    """How a pulumi-aws user points a stack at another endpoint: `aws:endpoints`."""
    return {
        "aws:region": "us-east-1",
        "aws:endpoints[0].cognitoidp": aws.endpoint,
        "aws:endpoints[0].cloudwatchlogs": aws.endpoint,
        "aws:accessKey": "testing",
    }


class Running:
    """A CLI run in progress: its output read as it comes (so a test waits for what the
    CLI says, never for a while), its process to signal."""

    def __init__(self, process: "subprocess.Popen[str]") -> None:
        self.process = process
        self.pid = process.pid
        self._lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self._lines)

    @property
    def returncode(self) -> int | None:
        return self.process.returncode

    def poll(self) -> int | None:
        return self.process.poll()

    def kill(self) -> None:
        self.process.kill()

    def finish(self, hang_guard: float = 120) -> str:
        """Everything it printed, once it has ended (the guard only catches a hang)."""
        self.process.wait(timeout=hang_guard)
        self._reader.join(timeout=hang_guard)
        return self.output
