"""What differs between the languages the local language host runs (language_host.py): how
a program starts, how its dependencies install, and how a package's SDK is generated and
linked into it. Each follows Pulumi's own host for that language:

- Python: the SDK's `pulumi-language-python-exec` runner in the virtualenv Pulumi.yaml
  names (created and filled from requirements.txt at the first run), config in
  `PULUMI_CONFIG`.
- Node.js: `node <the program's @pulumi/pulumi>/cmd/run` with the engine's arguments as
  flags, TypeScript through the SDK's ts-node (`typescript` option, default true), npm for
  dependencies, and `npm install <sdk folder>` to link a generated SDK.
- Go: `go build` of the program folder into a private folder, then the binary run with the
  engine's arguments in `PULUMI_*` variables; `go mod tidy` for dependencies, and a
  `replace` of the generated SDK's module to link it.

Where this differs from Pulumi's hosts is listed in docs/development.md.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from google.protobuf import json_format
from pulumi.runtime.proto import language_pb2

#: Exit code with which every Pulumi SDK says it already showed the user an actionable error.
EXITED_AFTER_USER_MESSAGE = 32


@dataclass
class Install:
    """The commands that install a program's dependencies, run in order in its folder."""

    steps: list[list[str]]
    cwd: Path
    #: A folder the steps create, removed when they fail: the next run starts again.
    made: Path | None = None
    #: Said before the steps run.
    headline: str = ""
    #: A folder only one install at a time may fill (a plugin's instances start together).
    exclusive: Path | None = None


@dataclass
class Launch:
    """How one run of a program starts: `build` first (its failure is the run's error),
    then `command`; `scratch` is removed afterwards."""

    command: list[str]
    env: dict[str, str]
    cwd: str | None
    build: list[str] | None = None
    scratch: Path | None = None


@dataclass
class Link:
    """What `pulumi package add` changes in a program to use a generated SDK."""

    steps: list[list[str]] = field(default_factory=list)
    instructions: str = ""


def options(info: language_pb2.ProgramInfo) -> dict[str, Any]:
    """The `runtime.options` of the program's Pulumi.yaml."""
    return json_format.MessageToDict(info.options) if info.options else {}


def program_directory(info: language_pb2.ProgramInfo, fallback: str = ".") -> Path:
    return Path(info.program_directory or info.root_directory or fallback)


def config_env(request: language_pb2.RunRequest) -> dict[str, str]:
    return {
        "PULUMI_CONFIG": json.dumps(dict(request.config)),
        "PULUMI_CONFIG_SECRET_KEYS": json.dumps(list(request.configSecretKeys)),
    }


class Runtime(ABC):
    """One language, as Pulumi's host for it runs, installs and links."""

    name: ClassVar[str]
    #: The language of the SDK generator (engine/cli/gensdk) for `pulumi package add`.
    generates: ClassVar[str | None] = None

    @abstractmethod
    def install(self, info: language_pb2.ProgramInfo) -> Install | None:
        """`pulumi install`: None when there is nothing to install."""

    def install_before_run(self, info: language_pb2.ProgramInfo) -> bool:
        """Whether a run installs first, as Pulumi's Python host does for a new virtualenv."""
        return False

    @abstractmethod
    def launch(self, request: language_pb2.RunRequest, engine: str) -> Launch | str:
        """How to run the program, or why it can't run (the run's error)."""

    def plugin(self, info: language_pb2.ProgramInfo) -> list[str] | str:
        """The command running a plugin folder written in this language, or why not."""
        return f"this language host runs Python plugins only, not {self.name} ones"

    def link(self, info: language_pb2.ProgramInfo, sdks: list[Path]) -> Link | str:
        """How to make the program use SDK folders (relative to its root), or why not."""
        return f"linking an SDK into a {self.name} program is not supported by this host"

    def version(self) -> str:
        return sys.version.split()[0]


class Python(Runtime):
    name = "python"

    @staticmethod
    def virtualenv(info: language_pb2.ProgramInfo) -> Path | None:
        """The virtualenv Pulumi.yaml's `virtualenv` option names, relative to the project."""
        named = options(info).get("virtualenv")
        if not named:
            return None
        return (Path(info.root_directory or info.program_directory or ".") / str(named)).resolve()

    def interpreter(self, info: language_pb2.ProgramInfo) -> str:
        """The virtualenv's Python when there is one, else PULUMI_PYTHON_CMD or this one."""
        virtualenv = self.virtualenv(info)
        if virtualenv is not None and (virtualenv / "bin" / "python").exists():
            return str(virtualenv / "bin" / "python")
        return os.environ.get("PULUMI_PYTHON_CMD", sys.executable)

    def install_before_run(self, info: language_pb2.ProgramInfo) -> bool:
        virtualenv = self.virtualenv(info)
        return virtualenv is not None and not (virtualenv / "bin" / "python").exists()

    def install(self, info: language_pb2.ProgramInfo) -> Install | None:
        virtualenv = self.virtualenv(info)
        if virtualenv is None:
            return None
        python = virtualenv / "bin" / "python"
        root = Path(info.root_directory or info.program_directory or ".")
        steps = []
        creating = not python.exists()
        if creating:
            base = os.environ.get("PULUMI_PYTHON_CMD") or shutil.which("python3") or sys.executable
            steps.append([base, "-m", "venv", str(virtualenv)])
        requirements = root / "requirements.txt"
        if requirements.exists():
            pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check"]
            steps.append([*pip, "-r", str(requirements)])
        return Install(
            steps, root, made=virtualenv if creating else None,
            headline=f"Installing dependencies from {requirements.name} into {virtualenv}",
            exclusive=virtualenv,
        )  # fmt: skip

    def launch(self, request: language_pb2.RunRequest, engine: str) -> Launch | str:
        info = request.info
        program = info.entry_point or request.program or "."
        directory = info.program_directory or request.pwd
        runner = os.environ.get("PULUMI_LANGUAGE_PYTHON_EXEC") or shutil.which(
            "pulumi-language-python-exec"
        )
        if runner is None:
            return "pulumi-language-python-exec (the Python SDK's program runner) is not on PATH"
        command = [
            self.interpreter(info), "-u", runner,
            "--monitor", request.monitor_address,
            "--engine", engine,
            "--project", request.project,
            "--stack", request.stack,
            "--pwd", request.pwd,
            "--dry_run", "true" if request.dryRun else "false",
            "--parallel", str(request.parallel),
            "--organization", request.organization,
            "--root_directory", info.root_directory or request.pwd,
            str(Path(directory) / program) if program != "." else directory,
            *request.args,
        ]  # fmt: skip
        return Launch(command, config_env(request), request.pwd or None)

    def plugin(self, info: language_pb2.ProgramInfo) -> list[str] | str:
        return [self.interpreter(info), "-u", info.program_directory]


class NodeJS(Runtime):
    name = "nodejs"
    generates = "nodejs"
    RUN_ENTRY = "@pulumi/pulumi/cmd/run"

    def install(self, info: language_pb2.ProgramInfo) -> Install | None:
        return Install(
            [["npm", "install", "--no-audit", "--no-fund"]], program_directory(info),
            headline="Installing dependencies...",
        )  # fmt: skip

    def run_entry(self, directory: Path) -> str | None:
        """The program's own @pulumi/pulumi run entry, as Node resolves it from its folder."""
        found = subprocess.run(
            ["node", "-e", "process.stdout.write(require.resolve(process.argv[1], "
             "{paths: [process.argv[2]]}))", self.RUN_ENTRY, str(directory)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        return found.stdout if found.returncode == 0 else None

    def launch(self, request: language_pb2.RunRequest, engine: str) -> Launch | str:
        info = request.info
        directory = program_directory(info, request.pwd)
        if shutil.which("node") is None:
            return "could not find node on the $PATH"
        entry = self.run_entry(directory)
        if entry is None:
            return (
                "It looks like the Pulumi SDK has not been installed. Have you run npm install "
                "or yarn install?"
            )
        settings = options(info)
        env = config_env(request)
        if settings.get("typescript", True):
            env["PULUMI_NODEJS_TYPESCRIPT"] = "true"
        if settings.get("tsconfig"):
            env["PULUMI_NODEJS_TSCONFIG_PATH"] = str(settings["tsconfig"])
        flags = {
            "monitor": request.monitor_address,
            "engine": engine,
            "organization": request.organization,
            "project": request.project,
            "stack": request.stack,
            "pwd": str(directory),
            "parallel": str(request.parallel),
        }
        command = ["node", *str(settings.get("nodeargs", "")).split(), entry]
        for flag, value in flags.items():
            command += [f"--{flag}", value] if value else []
        command += ["--dry-run"] if request.dryRun else []
        command += [info.entry_point or ".", *request.args]
        return Launch(command, env, str(directory))

    def link(self, info: language_pb2.ProgramInfo, sdks: list[Path]) -> Link | str:
        root = Path(info.root_directory or info.program_directory)
        if not (root / "package.json").exists():
            return f"no package.json in {root}: `npm init -y` makes one"
        names = [json.loads((root / sdk / "package.json").read_text())["name"] for sdk in sdks]
        # Recorded only: `pulumi package add` installs next, as `pulumi install` does.
        steps = [
            ["npm", "pkg", "set", f"dependencies.{name}=file:{sdk}"]
            for name, sdk in zip(names, sdks, strict=True)
        ]
        imports = "".join(f'  import * as {_camel(name)} from "{name}";\n' for name in names)
        return Link(steps, f"You can import the SDK in your TypeScript code with:\n\n{imports}")

    def version(self) -> str:
        found = subprocess.run(["node", "--version"], capture_output=True, text=True, check=False)
        return found.stdout.strip()


class Go(Runtime):
    name = "go"
    generates = "go"

    def install(self, info: language_pb2.ProgramInfo) -> Install | None:
        return Install([["go", "mod", "tidy"]], program_directory(info))

    def launch(self, request: language_pb2.RunRequest, engine: str) -> Launch | str:
        info = request.info
        directory = program_directory(info, request.pwd)
        env = {
            **config_env(request),
            "PULUMI_MONITOR": request.monitor_address,
            "PULUMI_ENGINE": engine,
            "PULUMI_PROJECT": request.project,
            "PULUMI_STACK": request.stack,
            "PULUMI_ORGANIZATION": request.organization,
            "PULUMI_ROOT_DIRECTORY": info.root_directory or str(directory),
            "PULUMI_DRY_RUN": "true" if request.dryRun else "false",
            "PULUMI_PARALLEL": str(request.parallel),
        }
        prebuilt = options(info).get("binary")
        if prebuilt:
            return Launch([str(directory / str(prebuilt)), *request.args], env, str(directory))
        if shutil.which("go") is None:
            return "could not find go on the $PATH"
        scratch = Path(tempfile.mkdtemp(prefix="pulumi-go-"))
        binary = scratch / "program"
        build = ["go", "build", "-o", str(binary), info.entry_point or "."]
        return Launch([str(binary), *request.args], env, str(directory), build, scratch)

    def link(self, info: language_pb2.ProgramInfo, sdks: list[Path]) -> Link | str:
        root = Path(info.root_directory or info.program_directory)
        if not (root / "go.mod").exists():
            return f"no go.mod in {root}: `go mod init <module>` makes one"
        steps, imports = [], []
        for sdk in sdks:
            module = _go_module(root / sdk)
            if module is None:
                return f"{root / sdk} holds no go.mod naming its module"
            edit = f"-replace={module}=./{sdk}"
            steps.append(["go", "mod", "edit", f"-require={module}@v0.0.0", edit])
            imports += [
                f'  import "{module}/{package.name}"\n'
                for package in sorted((root / sdk).iterdir())
                if package.is_dir() and package.name != "internal" and any(package.glob("*.go"))
            ]
        return Link(steps, "You can import the SDK in your Go code with:\n\n" + "".join(imports))

    def version(self) -> str:
        found = subprocess.run(["go", "version"], capture_output=True, text=True, check=False)
        return found.stdout.strip()


def _camel(name: str) -> str:
    words = re.split(r"[^0-9A-Za-z]+", name.rsplit("/", 1)[-1])
    return words[0] + "".join(word.title() for word in words[1:])


def _go_module(folder: Path) -> str | None:
    try:
        text = (folder / "go.mod").read_text()
    except OSError:
        return None
    found = re.search(r"^module\s+(\S+)", text, re.MULTILINE)
    return found.group(1) if found else None


RUNTIMES: dict[str, type[Runtime]] = {kind.name: kind for kind in (Python, NodeJS, Go)}
