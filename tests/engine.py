"""Driving the real Pulumi CLI in tests: a program laid out in a temp dir, a file backend.

`make setup` provides the CLI in .tools/pulumi/bin. Without it these tests fail (never
skip): CI must not pass without having run the engine.
"""

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.support import ROOT, Aws, environment_without_aws

TOOLS = ROOT / ".tools" / "pulumi" / "bin"
PASSPHRASE = "test-passphrase"


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
        }

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(pulumi_binary()), *args, "--non-interactive", "--color", "never"]
        result = subprocess.run(
            command,
            cwd=self.directory,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        self.log.append(f"$ pulumi {' '.join(args)}\n{result.stdout}{result.stderr}")
        if check and result.returncode != 0:
            raise AssertionError(
                f"pulumi {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
            )
        return result

    def init(self, config: dict[str, str], secrets: dict[str, str] | None = None) -> None:
        self.backend.mkdir(parents=True, exist_ok=True)
        self.run("stack", "init", self.stack)
        for key, value in config.items():
            self.run("config", "set", "--path", key, value)
        for key, value in (secrets or {}).items():
            self.run("config", "set", "--secret", key, value)

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
        "aws:accessKey": "testing",
    }
