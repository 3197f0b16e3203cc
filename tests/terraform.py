"""Driving the real Terraform and OpenTofu CLIs in tests: a configuration in a temp dir, the
provider installed the way terraform/build.sh installs it (a dev_overrides CLI config).

`make setup` builds the provider and OpenTofu in .tools/terraform; Terraform is the one on the
machine's image. Without them these tests fail (never skip): CI must not pass without
having run them.
"""

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.engine import PYTHON_ERROR, Running
from tests.support import ROOT, Aws, environment_without_aws, run_cli

TOOLS = ROOT / ".tools" / "terraform"
#: The provider's address, as `required_providers` names it.
SOURCE = "cognito-user-import/cognitouserimport"
REQUIRED = f"""terraform {{
  required_providers {{
    cognitouserimport = {{ source = "{SOURCE}" }}
  }}
}}
"""


def cli(name: str) -> Path:
    """`terraform` (the machine image's) or `tofu` (built by `make setup`)."""
    found = TOOLS / "bin" / name if name == "tofu" else shutil.which(name)
    if found is None or not Path(found).exists():
        raise RuntimeError(f"no {name} CLI: run `make setup` (OpenTofu is built there)")
    return Path(found)


def provider_block(aws: Aws, **settings: str) -> str:
    """The provider block for localaws: its endpoint for Cognito and CloudWatch Logs."""
    lines = [
        'provider "cognitouserimport" {',
        f'  region     = "{aws.region}"',
        '  access_key = "testing"',
        '  secret_key = "testing"',
        *(f'  {name} = "{value}"' for name, value in settings.items()),
        "  endpoints {",
        f'    cognitoidp     = "{aws.endpoint}"',
        f'    cloudwatchlogs = "{aws.endpoint}"',
        "  }",
        "}",
    ]
    return "\n".join(lines) + "\n"


def hcl(value: Any) -> str:
    """A Python value as an HCL expression (JSON is one)."""
    return json.dumps(value)


def job_block(name: str = "users", **attributes: Any) -> str:
    body = "\n".join(f"  {key} = {hcl(value)}" for key, value in attributes.items())
    return f'resource "cognitouserimport_job" "{name}" {{\n{body}\n}}\n'


@dataclass
class Workspace:
    """One Terraform working directory, run with one CLI (terraform or tofu)."""

    directory: Path
    rc: Path
    tool: str = "terraform"
    log: list[str] = field(default_factory=list)
    extra_env: dict[str, str] = field(default_factory=dict)

    def write(self, *parts: str) -> None:
        (self.directory / "main.tf").write_text(REQUIRED + "".join(parts))

    def env(self) -> dict[str, str]:
        return {
            **environment_without_aws(),
            "TF_CLI_CONFIG_FILE": str(self.rc),
            "TF_IN_AUTOMATION": "1",
            "CHECKPOINT_DISABLE": "1",
            **self.extra_env,
        }

    def _command(self, args: tuple[str, ...]) -> list[str]:
        return [str(cli(self.tool)), *args, "-no-color"]

    def shown(self, output: str) -> str:
        """`output`, after checking no Python traceback reached the user."""
        found = PYTHON_ERROR.search(output)
        assert found is None, f"a Python traceback reached the user:\n{output}"
        return output

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = self._command(args)
        return run_cli(
            self.tool, command, self.directory, self.env(), self.log, self.shown, check, 600
        )

    def start(self, *args: str) -> Running:
        """A run in a session of its own, for a test to interrupt."""
        return Running(
            subprocess.Popen(
                self._command(args),
                cwd=self.directory,
                env=self.env(),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                start_new_session=True,
            )
        )

    def apply(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("apply", "-auto-approve", "-input=false", *args, check=check)

    def plan_changes(self) -> int:
        """`plan -detailed-exitcode`: 0 no changes, 2 changes (1 is a failure, raised)."""
        result = self.run("plan", "-detailed-exitcode", "-input=false", check=False)
        assert result.returncode in (0, 2), self.log[-1]
        return result.returncode

    def outputs(self) -> dict[str, Any]:
        shown = json.loads(self.run("output", "-json").stdout)
        return {name: entry["value"] for name, entry in shown.items()}

    def resource(self, address: str) -> dict[str, Any] | None:
        """The resource's values in state (sensitive values included), or None."""
        shown = json.loads(self.run("show", "-json").stdout)
        found = shown.get("values", {}).get("root_module", {}).get("resources", [])
        return next((r["values"] for r in found if r["address"] == address), None)

    def state_text(self) -> str:
        state = self.directory / "terraform.tfstate"
        return state.read_text() if state.exists() else ""


def leftover_plugins(directory: Path) -> list[str]:
    """Plugin processes started from `directory`'s runs still alive (their cwd is it)."""
    alive = []
    for proc in Path("/proc").iterdir():
        try:
            if (
                os.readlink(proc / "cwd") == str(directory)
                and b"plugin" in (proc / "cmdline").read_bytes()
            ):
                alive.append(proc.name)
        except OSError:
            continue
    return alive
