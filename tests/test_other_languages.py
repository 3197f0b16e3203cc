"""The README's TypeScript and Go programs, run as a user runs them, through the real CLI
against localaws: each in a fresh folder, the plugin added from a clone of the repository
with `pulumi package add <clone>/plugin` (which generates the program's SDK, links it and
names the plugin in Pulumi.yaml's `packages:`), then `preview`, `up` (importing the CSV), a
no-change `up` and `destroy`. The language hosts are this repository's own
(engine/language_host.py: why, and where it differs from Pulumi's, in docs/development.md).
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import NO_WHEELHOUSE
from tests.docblocks import Block, run_by
from tests.engine import PulumiProgram, aws_config
from tests.support import ROOT, SAMPLE, Aws

#: A worker of its own when there is one to spare: the slowest tests of the suite (npm and
#: Go installs), beside the other tests of the product as a user gets it.
pytestmark = [pytest.mark.engine, pytest.mark.xdist_group("other-languages")]

COMPONENT = "cognito-user-import:index:CognitoUserImport"
#: The @pulumi/pulumi the TypeScript check is pinned to (tests/sdks/typescript), for both.
NODE_SDK = json.loads((ROOT / "tests" / "sdks" / "typescript" / "package.json").read_text())[
    "devDependencies"
]
#: The Go SDK the CLI is built from (engine/cli/go.mod).
GO_SDK = next(
    line.split()[1]
    for line in (ROOT / "engine" / "cli" / "go.mod").read_text().splitlines()
    if line.strip().startswith("github.com/pulumi/pulumi/sdk/v3 ")
)
#: Go's build cache as the machine has it, read before the session's private cache home
#: (conftest.py) would hide it: the Pulumi SDK compiled once for the CLI serves the program.
GO_CACHE = subprocess.run(
    ["go", "env", "GOCACHE"], capture_output=True, text=True, check=True
).stdout.strip()


def readme_program(lang: str) -> Block:
    [block] = [b for b in run_by("tests/test_other_languages.py") if b.lang == lang]
    return block


def program_in(folder: Path, runtime: str, files: dict[str, str]) -> PulumiProgram:
    folder.mkdir(parents=True)
    (folder / "Pulumi.yaml").write_text(f"name: users-in-{runtime}\nruntime: {runtime}\n")
    for name, text in files.items():
        (folder / name).write_text(text)
    shutil.copy(SAMPLE, folder / "users.csv")
    return PulumiProgram(folder, folder.parent / "state", extra_env=dict(NO_WHEELHOUSE))


def lifecycle(aws: Aws, program: PulumiProgram, plugin: Path) -> None:
    """`pulumi package add`, then the whole lifecycle of the README's program."""
    added = program.run("package", "add", str(plugin))
    assert "Added package Cognito User Import" in added.stderr, added.stdout + added.stderr
    project = (program.directory / "Pulumi.yaml").read_text()
    assert f"packages:\n  cognito-user-import: {plugin}\n" in project
    pool = aws.pool("customers")
    program.init(
        {**aws_config(aws), "userPoolId": pool, "cloudWatchLogsRoleArn": aws.role()},
        secrets={"aws:secretKey": "testing"},
    )
    preview = program.run("preview")
    assert f"+  {COMPONENT} users create" in preview.stdout, preview.stdout

    program.up()
    outcome = program.outputs()["outcome"]
    assert outcome["byStatus"] == {"SUCCEEDED": 5}, outcome
    assert set(aws.users(pool)) == {"ada", "alan", "grace", "edsger", "barbara"}

    program.up("--expect-no-changes")
    program.run("destroy", "--yes", "--skip-preview")
    assert program.resources() == []


def test_the_readmes_typescript_program_runs_preview_up_and_destroy(
    aws: Aws, clone: Path, tmp_path: Path
) -> None:
    package = {
        "name": "users-in-typescript",
        "private": True,
        "main": "index.ts",
        "dependencies": {"@pulumi/pulumi": NODE_SDK["@pulumi/pulumi"]},
        "devDependencies": {name: NODE_SDK[name] for name in ("typescript", "@types/node")},
    }
    files = {"index.ts": readme_program("typescript").text, "package.json": json.dumps(package)}
    program = program_in(tmp_path / "program", "nodejs", files)
    program.extra_env["npm_config_prefer_offline"] = "true"  # npm's cache first, then the index
    lifecycle(aws, program, clone / "plugin")
    linked = json.loads((program.directory / "package.json").read_text())["dependencies"]
    assert linked["cognito-user-import"] == "file:sdks/cognito-user-import"


def test_the_readmes_go_program_runs_preview_up_and_destroy(
    aws: Aws, clone: Path, tmp_path: Path
) -> None:
    module = (
        f"module example.com/users\n\ngo 1.26\n\nrequire github.com/pulumi/pulumi/sdk/v3 {GO_SDK}\n"
    )
    files = {"main.go": readme_program("go").text, "go.mod": module}
    program = program_in(tmp_path / "program", "go", files)
    program.extra_env.update(GOCACHE=GO_CACHE, GOTOOLCHAIN="local", GOFLAGS="-mod=mod")
    lifecycle(aws, program, clone / "plugin")
    linked = (program.directory / "go.mod").read_text()
    assert "github.com/cognito-user-import/sdk/go => ./sdks/cognito-user-import" in linked


def test_a_program_the_host_cannot_start_says_why_in_one_line(tmp_path: Path) -> None:
    """A Node.js program whose dependencies were never installed, a Go program that does
    not compile: the run fails with the host's sentence (what Pulumi's own hosts say), and
    no traceback of the host."""
    node = program_in(tmp_path / "node", "nodejs", {"index.ts": "export const x = 1;\n"})
    node.init({})
    preview = node.run("preview", check=False)
    assert preview.returncode != 0
    assert "Have you run npm install or yarn install?" in preview.stdout + preview.stderr

    broken = "package main\n\nfunc main() { undefined() }\n"
    go = program_in(tmp_path / "go", "go", {"main.go": broken, "go.mod": "module x\n\ngo 1.26\n"})
    go.extra_env.update(GOCACHE=GO_CACHE, GOTOOLCHAIN="local")
    go.init({})
    preview = go.run("preview", check=False)
    said = preview.stdout + preview.stderr
    assert preview.returncode != 0 and "undefined: undefined" in said, said
    assert "`go build -o" in said and "failed (exit code 1)" in said
