"""CognitoUserImport for other languages: the cognito-user-import plugin (plugin/), its
schema, a YAML program run through the real CLI against localaws, and TypeScript and Go
programs type-checked and built against the SDKs generated from the schema."""

import json
import os
import shutil
import subprocess
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cognito_user_import import __version__
from tests.conftest import yaml_example
from tests.docblocks import of_language
from tests.engine import PIP_WITHOUT_COMPILING, PulumiProgram
from tests.support import ROOT, SAMPLE, Aws, standin_aws_plugin

#: One xdist worker builds the distributions and the plugin's environment for both modules.
pytestmark = [pytest.mark.engine, pytest.mark.xdist_group("outside-the-repository")]

SERVED_JOB_TYPE = "cognito-user-import:index:UserImportJob"
SCHEMA = ROOT / "schema.json"
COMPONENT = "cognito-user-import:index:CognitoUserImport"
SDK_PROGRAMS = ROOT / "tests" / "sdks"
#: The generated Go SDK's module, as the plugin's schema names its import path.
GO_SDK_MODULE = """module github.com/cognito-user-import/sdk

go 1.26.6

require github.com/pulumi/pulumi/sdk/v3 v3.274.1
"""


def cli_in(folder: Path) -> PulumiProgram:
    """The CLI in an empty folder, with a home of its own: for commands that need no stack."""
    (folder / "tool").mkdir(parents=True)
    (folder / "tool-state").mkdir()
    return PulumiProgram(folder / "tool", folder / "tool-state")


@pytest.fixture(scope="session")
def plugin(wheelhouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The plugin folder copied out of the repository, as a deployer gets it. Its first use
    (here: reading its schema) creates its virtualenv from its requirements.txt, the package
    coming from the wheel `make dist` built and its dependencies from the package index."""
    folder = tmp_path_factory.mktemp("anywhere") / "cognito-user-import-plugin"
    shutil.copytree(ROOT / "plugin", folder, ignore=shutil.ignore_patterns("venv"))
    tool = cli_in(tmp_path_factory.mktemp("first-use"))
    tool.extra_env = {"PIP_FIND_LINKS": str(wheelhouse), **PIP_WITHOUT_COMPILING}
    first = tool.run("package", "get-schema", str(folder))
    assert json.loads(first.stdout)["version"] == __version__
    assert (folder / "venv" / "bin" / "python").exists()
    return folder


def schema_of(program: PulumiProgram, plugin: Path) -> dict[str, Any]:
    return dict(json.loads(program.run("package", "get-schema", str(plugin)).stdout))


@pytest.fixture
def tool(tmp_path: Path) -> PulumiProgram:
    return cli_in(tmp_path)


def test_the_schema_documents_every_input_and_output_and_is_the_committed_one(
    tool: PulumiProgram, plugin: Path
) -> None:
    """schema.json is what the Registry reads: an accidental change of the public interface
    fails here; an intended one updates it: `pulumi package get-schema ./plugin > schema.json`
    (and `python scripts/reference.py`)."""
    schema = schema_of(tool, plugin)
    resource = schema["resources"][COMPONENT]
    undocumented = [
        name
        for group in ("inputProperties", "properties")
        for name, spec in resource[group].items()
        if not spec.get("description")
    ]
    assert undocumented == []
    assert "    " not in json.dumps(schema)  # docstrings' indentation removed
    assert set(resource["inputProperties"]) >= {"userPoolId", "csvFile", "sourceUserPoolId"}
    assert schema == json.loads(SCHEMA.read_text())


#: The categories the Pulumi Registry files a package under (its `category/<name>` keyword).
REGISTRY_CATEGORIES = {"cloud", "infrastructure", "network", "database", "monitoring", "utility"}


def test_the_schema_carries_what_the_registry_reads_from_the_packages_own_metadata() -> None:
    """Written once: the description, license and links are pyproject.toml's (through the
    installed metadata); the logo is a file of this repository."""
    schema = json.loads(SCHEMA.read_text())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert (schema["description"], schema["license"]) == (
        project["description"],
        project["license"],
    )
    assert schema["homepage"] == project["urls"]["Homepage"]
    assert schema["repository"] == project["urls"]["Repository"]
    assert schema["publisher"] and schema["displayName"]
    keywords = schema["keywords"]
    assert "kind/component" in keywords and set(project["keywords"]) <= set(keywords)
    categories = [word.removeprefix("category/") for word in keywords if "category/" in word]
    assert len(categories) == 1 and categories[0] in REGISTRY_CATEGORIES
    logo = schema["logoUrl"].removeprefix(
        schema["repository"].replace("https://github.com/", "https://raw.githubusercontent.com/")
        + "/main/"
    )
    assert (ROOT / logo).is_file() and logo.endswith(".svg")
    owner_repo = schema["repository"].removeprefix("https://github.com/")
    assert schema["pluginDownloadURL"] == f"github://api.github.com/{owner_repo}"


def test_the_registrys_pages_carry_its_front_matter() -> None:
    """docs/_index.md and docs/installation-configuration.md are the Registry's two pages:
    each opens with the front matter it renders (title, meta_desc, layout: package)."""
    for page in ("_index.md", "installation-configuration.md"):
        text = (ROOT / "docs" / page).read_text()
        front, _, _ = text.removeprefix("---\n").partition("\n---\n")
        assert text.startswith("---\n"), page
        fields = dict(line.split(": ", 1) for line in front.splitlines())
        assert set(fields) >= {"title", "meta_desc", "layout"} and fields["layout"] == "package"


@pytest.fixture
def yaml_program(
    aws: Aws, make_program: Callable[..., PulumiProgram], plugin: Path
) -> tuple[PulumiProgram, str]:
    """The YAML example as a deployer runs it: the plugin folder alone, nothing leaning on
    a Python the program names (PULUMI_PYTHON_CMD points nowhere)."""
    env = {"PULUMI_PYTHON_CMD": "/nonexistent/python"}
    return yaml_example(aws, make_program, "yaml", plugin, env)


def test_a_yaml_program_imports_a_csv_through_the_plugin(
    aws: Aws, yaml_program: tuple[PulumiProgram, str]
) -> None:
    program, pool = yaml_program
    preview = program.run("preview")
    assert f"{COMPONENT}" in preview.stdout and SERVED_JOB_TYPE in preview.stdout

    up = program.up()
    outputs = program.outputs()
    assert (outputs["status"], outputs["importedUsers"]) == ("Succeeded", 5), up.stdout
    assert outputs["outcome"]["byStatus"] == {"SUCCEEDED": 5}
    assert set(aws.users(pool)) == {"ada", "alan", "grace", "edsger", "barbara"}
    assert outputs["preSignedUrl"] == "[secret]"
    url = program.outputs(show_secrets=True)["preSignedUrl"]
    assert "X-Amz-Signature=" in url
    state = program.state_files()
    assert url.split("X-Amz-Signature=")[1] not in state
    job = program.resource(SERVED_JOB_TYPE)
    assert job is not None and job["inputs"]["aws_settings"]["ciphertext"]  # keys encrypted

    program.up("--expect-no-changes")
    program.run("refresh", "--yes", "--skip-preview")
    program.up("--expect-no-changes")
    program.run("destroy", "--yes", "--skip-preview")
    assert program.resources() == []


def test_a_yaml_program_gets_the_previews_precise_errors(
    aws: Aws, yaml_program: tuple[PulumiProgram, str]
) -> None:
    program, _pool = yaml_program
    (program.directory / "users.csv").write_text("cognito:username,email\nada,ada@example.com\n")
    preview = program.run("preview", check=False)
    assert preview.returncode != 0
    assert "line 1: missing columns:" in preview.stdout + preview.stderr


def generated_sdks(tool: PulumiProgram, plugin: Path, workdir: Path) -> Path:
    """The TypeScript and Go SDKs of the plugin's schema, generated in `workdir/sdk` by
    `pulumi package gen-sdk` (through the language hosts' GeneratePackage)."""
    for language in ("nodejs", "go"):
        out = str(workdir / "sdk")
        tool.run("package", "gen-sdk", str(plugin), "--language", language, "--out", out)
    return workdir / "sdk"


def checked_program(source: Path, workdir: Path, misspelled: bool) -> Path:
    """The program copied into workdir, `userPoolId` misspelled if asked (the compiler must
    refuse it: proof that the program is checked against the SDK)."""
    workdir.mkdir()
    for path in source.iterdir():
        if path.is_file():
            shutil.copy(path, workdir / path.name)
    for path in workdir.iterdir():
        if misspelled and path.suffix in (".ts", ".go"):
            text = path.read_text().replace("userPoolId:", "userPoolID:")
            path.write_text(text.replace("UserPoolId:", "UserPoolID:"))
    return workdir


def test_a_typescript_program_type_checks_against_the_generated_sdk(
    tool: PulumiProgram, plugin: Path, tmp_path: Path
) -> None:
    sdk = generated_sdks(tool, plugin, tmp_path)
    assert (sdk / "nodejs" / "cognitoUserImport.ts").is_file()
    modules = SDK_PROGRAMS / "typescript" / "node_modules"
    (tmp_path / "node_modules").symlink_to(modules)  # for the program and the SDK
    tsc = str(modules / ".bin" / "tsc")
    for misspelled, name in ((False, "ts"), (True, "ts-misspelled")):
        program = checked_program(SDK_PROGRAMS / "typescript", tmp_path / name, misspelled)
        checked = subprocess.run(
            [tsc, "-p", "tsconfig.json"], cwd=program, capture_output=True, text=True, check=False
        )
        assert (checked.returncode != 0) == misspelled, checked.stdout
    assert "'userPoolID' does not exist in type 'CognitoUserImportArgs'" in checked.stdout
    # The documentation's TypeScript blocks, each a file of one program.
    docs = checked_program(SDK_PROGRAMS / "typescript", tmp_path / "ts-docs", False)
    blocks = of_language("typescript")
    for index, block in enumerate(blocks):
        (docs / f"doc{index}.ts").write_text(f"// {block.id}\n{block.text}")
    config = json.loads((docs / "tsconfig.json").read_text())
    (docs / "tsconfig.json").write_text(
        json.dumps({**config, "files": [f"doc{i}.ts" for i in range(len(blocks))]})
    )
    checked = subprocess.run(
        [tsc, "-p", "tsconfig.json"], cwd=docs, capture_output=True, text=True, check=False
    )
    files = {f"doc{index}.ts": block.id for index, block in enumerate(blocks)}
    assert blocks and checked.returncode == 0, f"{files}\n{checked.stdout}"


def test_a_go_program_builds_against_the_generated_sdk(
    tool: PulumiProgram, plugin: Path, tmp_path: Path
) -> None:
    sdk = generated_sdks(tool, plugin, tmp_path)
    (sdk / "go.mod").write_text(GO_SDK_MODULE)
    # Go's build cache where `make setup` built the CLI (not the session's private cache home).
    env = {key: value for key, value in os.environ.items() if key != "XDG_CACHE_HOME"}
    env.update(GOTOOLCHAIN="local", GOFLAGS="-mod=readonly")
    for misspelled, name in ((False, "program"), (True, "misspelled")):
        program = checked_program(SDK_PROGRAMS / "go", tmp_path / name, misspelled)
        built = go_build(program, env)
        assert (built.returncode != 0) == misspelled, built.stderr
    assert "unknown field UserPoolID in struct literal" in built.stderr
    # The documentation's Go blocks, each a program of its own.
    blocks = of_language("go")
    for index, block in enumerate(blocks):
        program = checked_program(SDK_PROGRAMS / "go", tmp_path / f"doc{index}", False)
        (program / "main.go").write_text(block.text)
        built = go_build(program, env)
        assert built.returncode == 0, f"{block.id}: {built.stderr}"
    assert blocks


def go_build(program: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["go", "build", "-o", os.devnull, "."],
        check=False,
        cwd=program,
        env=env,
        capture_output=True,
        text=True,
    )


def test_the_plugins_environment_is_its_own_and_localaws_names_its_missing_extra(
    plugin: Path,
) -> None:
    """The plugin installed the wheel without the `localaws` extra: the package is its own
    copy (not this repository's), and localaws says in one line what to install."""
    python = plugin / "venv" / "bin" / "python"
    shown = subprocess.run(
        [str(python), "-m", "pip", "show", "cognito-user-import"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert f"Version: {__version__}" in shown and f"Location: {plugin / 'venv'}" in shown
    command = subprocess.run(
        [str(plugin / "venv" / "bin" / "localaws"), "--port", "0"],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert command.returncode == 1 and command.stdout == ""
    assert command.stderr == (
        "localaws: localaws needs moto, which the localaws extra installs: "
        'pip install "cognito-user-import[localaws]"\n'
    )


def test_a_yaml_programs_explicit_provider_reaches_the_plugins_job(
    aws: Aws, make_program: Callable[..., PulumiProgram], plugin: Path, tmp_path: Path
) -> None:
    """examples/yaml-another-account: the component gets the provider as `providers`; the
    plugin's job reads its arguments from the engine (a YAML program hands the plugin only
    a reference) and imports into the pool of the account whose role it assumes."""
    there = aws.in_account("111111111111")
    pool, role = there.pool("customers"), there.role()
    example = ROOT / "examples" / "yaml-another-account"
    program = make_program(example, "yaml-another-account", ("Pulumi.yaml",))
    project = program.directory / "Pulumi.yaml"
    text = project.read_text().replace("../../plugin", str(plugin))
    project.write_text(text.replace("../csv-as-code/users.csv", "users.csv"))
    shutil.copy(SAMPLE, program.directory / "users.csv")
    plugins = standin_aws_plugin(tmp_path / "plugins")
    program.extra_env = {
        "PATH": f"{plugins}:{os.environ['PATH']}",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }
    program.init(
        {
            "aws:region": "eu-west-1",  # not read: the provider is explicit
            "userPoolId": pool,
            "deployRoleArn": "arn:aws:iam::111111111111:role/deployer",
            "region": "us-east-1",
            "cloudWatchLogsRoleArn": role,
            "endpoint": aws.endpoint,
        }
    )
    program.up()
    outputs = program.outputs()
    assert (outputs["status"], outputs["importedUsers"]) == ("Succeeded", 5)
    assert set(there.users(pool)) == {"ada", "alan", "grace", "edsger", "barbara"}
    program.up("--expect-no-changes")
    program.run("destroy", "--yes", "--skip-preview")
